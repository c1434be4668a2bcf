/*
 * cmd-methods.c: `redoubt methods USER`: the user's enrolled methods with
 * handler, state and the primary flag.
 */
#include "flow.h"

static enum rd_code
methods_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	 u;
	struct vault_method	*list = NULL;
	size_t			 n = 0, i;
	cJSON			*arr, *m;
	enum rd_code		 rc;

	if ((rc = flow_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	if ((rc = vault_method_list(ctx->vault, u.id, &list, &n, err)) ==
	    RD_OK) {
		json_str(out, "user", u.name);
		arr = cJSON_AddArrayToObject(out, "methods");
		for (i = 0; i < n; i++) {
			m = cJSON_CreateObject();
			json_str(m, "name", list[i].name);
			json_str(m, "handler", list[i].handler);
			json_str(m, "state", list[i].state == VAULT_ACTIVE ?
			    "active" : "pending");
			cJSON_AddBoolToObject(m, "primary", list[i].primary);
			cJSON_AddItemToArray(arr, m);
		}
	}
	vault_method_list_free(list, n);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_methods_entry = {
	"methods", "USER", "list a user's methods", 1, 1, NULL, 0, methods_exec
};
