/*
 * json.c: small helpers over cJSON for command results, and freeing a
 * result without leaving its secrets in freed memory.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "json.h"

static void
json_wiping_free(void *p)
{
	if (p == NULL)
		return;
	sodium_memzero(p, malloc_usable_size(p));
	free(p);
}

void
json_init(void)
{
	cJSON_Hooks	hooks = { malloc, json_wiping_free };

	/* With hooks of its own, cJSON copies instead of realloc(). */
	cJSON_InitHooks(&hooks);
}

void
json_str(cJSON *obj, const char *key, const char *value)
{
	cJSON_AddItemToObject(obj, key, value ? cJSON_CreateString(value) :
	    cJSON_CreateNull());
}

void
json_num(cJSON *obj, const char *key, double value)
{
	cJSON_AddNumberToObject(obj, key, value);
}

void
json_bool(cJSON *obj, const char *key, bool value)
{
	cJSON_AddBoolToObject(obj, key, value);
}

static void
wipe(cJSON *item)
{
	for (; item != NULL; item = item->next) {
		if (item->valuestring != NULL)
			sodium_memzero(item->valuestring,
			    strlen(item->valuestring));
		wipe(item->child);
	}
}

void
json_free(cJSON *obj)
{
	if (obj == NULL)
		return;
	wipe(obj->child);
	cJSON_Delete(obj);
}
