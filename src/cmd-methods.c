/*
 * cmd-methods.c: `redoubt methods USER`: the user's enrolled methods,
 * pending or active, with the primary marked.
 */
#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"

static enum rd_code RD_CHECK
methods_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	 u;
	struct vault_method	*list = NULL;
	size_t			 n = 0, i;
	cJSON			*arr;
	enum rd_code		 rc;

	if ((rc = flow_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	if ((rc = vault_method_list(ctx->vault, u.id, &list, &n, err)) ==
	    RD_OK) {
		json_str(out, "user", u.name);
		arr = cJSON_AddArrayToObject(out, "methods");
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(arr,
			    flow_method_json(ctx, &list[i], false));
	}
	vault_method_list_free(list, n);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_methods_entry = {
	.name = "methods",
	.usage = "USER",
	.help = N_("list a user's methods"),
	.minpos = 1,
	.maxpos = 1,
	.exec = methods_exec,
};
