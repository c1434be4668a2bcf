/*
 * cmd-user-show.c: `redoubt user show USER`: the operator's view of a
 * user, with e-mail and phone whole (only the user being enrolled sees
 * them masked), methods, lock state and backup codes left.
 */
#include "flow.h"
#include "lockout.h"

static enum rd_code
user_show_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	 u;
	struct vault_lock	 lk;
	struct vault_method	*list;
	size_t			 n, i;
	int			 left;
	int64_t			 now = env_now(ctx->env);
	cJSON			*arr, *m;
	enum rd_code		 rc;

	if ((rc = flow_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	if ((rc = vault_lock_get(ctx->vault, u.id, &lk, err)) != RD_OK ||
	    (rc = vault_backup_left(ctx->vault, u.id, &left, err)) != RD_OK ||
	    (rc = vault_method_list(ctx->vault, u.id, &list, &n, err)) !=
	    RD_OK)
		goto out;
	json_str(out, "user", u.name);
	json_str(out, "email", u.email);
	json_str(out, "phone", u.phone);
	cJSON_AddBoolToObject(out, "active", u.active);
	cJSON_AddBoolToObject(out, "password", u.has_password);
	cJSON_AddBoolToObject(out, "locked", lockout_locked(&lk, now));
	cJSON_AddNumberToObject(out, "locked_for", lockout_locked(&lk, now) ?
	    (double)(lk.locked_until - now) : 0);
	cJSON_AddNumberToObject(out, "failures", lk.failures);
	cJSON_AddNumberToObject(out, "backup_codes_left", left);
	arr = cJSON_AddArrayToObject(out, "methods");
	for (i = 0; i < n; i++) {
		m = cJSON_CreateObject();
		json_str(m, "name", list[i].name);
		json_str(m, "handler", list[i].handler);
		json_str(m, "state", list[i].state == VAULT_ACTIVE ? "active" :
		    "pending");
		cJSON_AddBoolToObject(m, "primary", list[i].primary);
		cJSON_AddItemToArray(arr, m);
	}
	vault_method_list_free(list, n);
out:
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_user_show_entry = {
	"user show", "USER", "show a user", 1, 1, NULL, 0, user_show_exec
};
