/*
 * cmd-user-show.c: `redoubt user show USER`: the operator's view of a
 * user, with e-mail and phone whole (only the user being enrolled sees
 * them masked), methods with when each was enrolled and last used and
 * what its kind may tell (never a secret), lock state and backup codes
 * left.
 */
#include "cmd.h"
#include "env.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "lockout.h"

static enum rd_code RD_CHECK
user_show_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	 u;
	struct vault_lock	 lk;
	struct vault_method	*list;
	size_t			 n, i;
	int			 left;
	int64_t			 now = env_now(ctx->env);
	cJSON			*arr, *needed;
	bool			 active = false;
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
	json_bool(out, "active", u.active);
	json_bool(out, "password", u.has_password);
	json_bool(out, "locked", lockout_locked(&lk, now));
	json_num(out, "locked_for", lockout_locked(&lk, now) ?
	    (double)(lk.locked_until - now) : 0);
	json_num(out, "failures", lk.failures);
	json_num(out, "backup_codes_left", left);
	arr = cJSON_AddArrayToObject(out, "methods");
	for (i = 0; i < n; i++) {
		cJSON_AddItemToArray(arr, flow_method_detail(ctx, &u,
		    &list[i]));
		active = active || list[i].state == VAULT_ACTIVE;
	}
	/*
	 * Which operator actions need a code now, by the config and the
	 * user's state, so a face asks for one exactly when the core will.
	 */
	needed = cJSON_AddObjectToObject(out, "code_needed");
	json_bool(needed, "activate", active &&
	    config_bool(ctx->cfg, CK_REQUIRE_CODE_TO_ADD));
	json_bool(needed, "deactivate", config_bool(ctx->cfg,
	    CK_CONFIRM_DISABLE_WITH_CODE));
	json_bool(needed, "backup_codes", config_bool(ctx->cfg,
	    CK_CONFIRM_BACKUP_CODES_REGENERATION_WITH_CODE));
	json_bool(needed, "primary", true);
	json_bool(out, "backup_codes_renewable", active &&
	    config_bool(ctx->cfg, CK_ALLOW_BACKUP_CODES_REGENERATION));
	/* Whether a backup code may stand in for those codes too. */
	json_bool(out, "backup_codes_everywhere", config_bool(ctx->cfg,
	    CK_BACKUP_CODES_EVERYWHERE));
	vault_method_list_free(list, n);
out:
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_user_show_entry = {
	.name = "user show",
	.usage = "USER",
	.help = N_("show a user"),
	.minpos = 1,
	.maxpos = 1,
	.exec = user_show_exec,
};
