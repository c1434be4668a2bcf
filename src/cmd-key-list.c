/*
 * cmd-key-list.c: `redoubt key list`: the slots that open the vault, the
 * passphrase (slot 0) first, with when each was made and last used.
 */
#include <stdlib.h>

#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"

static void
key_list_time(cJSON *o, const char *key, int64_t t)
{
	if (t > 0)
		cJSON_AddNumberToObject(o, key, (double)t);
	else
		cJSON_AddNullToObject(o, key);
}

static enum rd_code RD_CHECK
key_list_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_slot	*s;
	cJSON			*arr, *o;
	size_t			 n, i;
	enum rd_code		 rc;

	(void)in;
	if ((rc = vault_slot_list(ctx->vault, &s, &n, err)) != RD_OK)
		return rc;
	arr = cJSON_AddArrayToObject(out, "slots");
	for (i = 0; i < n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "slot", (double)s[i].id);
		json_str(o, "kind", s[i].passphrase ? "passphrase" :
		    "keyfile");
		key_list_time(o, "created", s[i].created);
		key_list_time(o, "last_used", s[i].used);
		cJSON_AddItemToArray(arr, o);
	}
	free(s);
	return RD_OK;
}

const struct cmd_entry cmd_key_list_entry = {
	.name = "key list",
	.usage = "",
	.help = N_("list the key slots (the passphrase is slot 0)"),
	.exec = key_list_exec,
};
