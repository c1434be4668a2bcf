/*
 * cmd-deactivate.c: `redoubt deactivate USER METHOD [CODE]`: remove a
 * method and its secret.  An active method needs a code from itself (or a
 * backup code) when confirm_disable_with_code is on; the primary cannot go
 * while other methods are active; when the last active method goes, the
 * backup codes go with it, as nothing is left for them to back up.
 */
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "util.h"

static enum rd_code RD_CHECK
deactivate_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct flow_proof	 proof = { .backup = true, .action = "deactivate" };
	struct vault_user	 u;
	struct vault_method	 vm, *list = NULL;
	size_t			 n = 0, i, others = 0;
	char			 *code = NULL;
	char			 used[VAULT_METHOD_MAX + 1];
	enum rd_code		 rc;

	memset(&vm, 0, sizeof vm);
	if ((rc = flow_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	if ((rc = vault_method_get(ctx->vault, u.id, in->pos[1], &vm, err)) !=
	    RD_OK ||
	    (rc = vault_method_list(ctx->vault, u.id, &list, &n, err)) != RD_OK)
		goto out;
	for (i = 0; i < n; i++)
		if (list[i].state == VAULT_ACTIVE && list[i].id != vm.id)
			others++;
	if (vm.primary && others > 0) {
		rc = rd_err_set(err, RD_NOT_ALLOWED, _("%s is the primary "
		    "method of %s; make another one primary first"), vm.name,
		    u.name);
		goto out;
	}
	if (vm.state == VAULT_ACTIVE &&
	    config_bool(ctx->cfg, CK_CONFIRM_DISABLE_WITH_CODE)) {
		if (in->npos < 3) {
			rc = rd_err_set(err, RD_NOT_ALLOWED, _("deactivating "
			    "%s needs a code from it"), vm.name);
			goto out;
		}
		proof.only = vm.name;
		if ((rc = flow_code_arg(ctx, in->pos[2], &code, err)) != RD_OK ||
		    (rc = flow_check_any(ctx, &u, &proof, code, used, err)) !=
		    RD_OK)
			goto out;
	}
	if ((rc = vault_method_del(ctx->vault, vm.id, err)) != RD_OK)
		goto out;
	if (others == 0 &&
	    (rc = vault_backup_set(ctx->vault, u.id, NULL, 0, err)) != RD_OK)
		goto out;
	if ((rc = flow_audit(ctx, u.name, "deactivate", "ok", vm.name,
	    err)) != RD_OK)
		goto out;
	json_str(out, "user", u.name);
	json_str(out, "method", vm.name);
	json_str(out, "state", "none");
out:
	secret_release(code);
	vault_method_list_free(list, n);
	vault_method_clear(&vm);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_deactivate_entry = {
	.name = "deactivate",
	.usage = "USER METHOD [CODE]",
	.help = N_("remove a method"),
	.minpos = 2,
	.maxpos = 3,
	.flags = CMD_WRITES,
	.exec = deactivate_exec,
};
