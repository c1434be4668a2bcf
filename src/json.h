/*
 * json.h: building command results.  Strings added here may be secrets
 * (a TOTP secret, backup codes); cmd_result_free() wipes every string of
 * a result before freeing it.
 */
#ifndef RD_JSON_H
#define RD_JSON_H

#include <stdbool.h>

#include <cJSON.h>

/* key: value, or key: null when value is NULL. */
void	json_str(cJSON *obj, const char *key, const char *value);
void	json_num(cJSON *obj, const char *key, double value);
void	json_bool(cJSON *obj, const char *key, bool value);
/*
 * Make cJSON wipe every buffer it frees (its printing grows buffers by
 * copying, and the old copies may hold secrets).  Once, before threads.
 */
void	json_init(void);
/* Wipe every string of a result, then free it; NULL is fine. */
void	json_free(cJSON *obj);

#endif
