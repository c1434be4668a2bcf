/*
 * cmd-user-reset.c: `redoubt user reset USER`: the operator's answer to a
 * lost phone.  Every method, pending code and backup code of the user
 * goes, so the next activate needs no code from an old method; that
 * bypass of require_code_to_add is what the audit row records.
 */
#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"

static enum rd_code RD_CHECK
user_reset_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	 u;
	struct vault_method	*list = NULL;
	struct vault_lock	 none = { 0, 0, 0 };
	size_t			 n = 0, i;
	enum rd_code		 rc;

	if ((rc = flow_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	rc = vault_method_list(ctx->vault, u.id, &list, &n, err);
	for (i = 0; rc == RD_OK && i < n; i++)
		rc = vault_method_del(ctx->vault, list[i].id, err);
	if (rc == RD_OK)
		rc = vault_backup_set(ctx->vault, u.id, NULL, 0, err);
	if (rc == RD_OK)
		rc = vault_lock_put(ctx->vault, u.id, &none, err);
	if (rc == RD_OK)
		rc = flow_audit(ctx, u.name, "user reset", "ok",
		    "operator reset: methods and backup codes removed; "
		    "require_code_to_add bypassed", err);
	if (rc == RD_OK) {
		json_str(out, "user", u.name);
		json_num(out, "methods_removed", (double)n);
	}
	vault_method_list_free(list, n);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_user_reset_entry = {
	.name = "user reset",
	.usage = "USER",
	.help = N_("remove every method (lost device)"),
	.minpos = 1,
	.maxpos = 1,
	.flags = CMD_WRITES,
	.exec = user_reset_exec,
};
