/*
 * cmd-confirm.c: `redoubt confirm USER METHOD CODE`: a code from the
 * pending method proves the user has it; the method becomes active.  The
 * first active method becomes primary and brings a fresh set of backup
 * codes, shown this once.
 */
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "util.h"

static enum rd_code RD_CHECK
confirm_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	 u;
	struct vault_method	 vm, *list = NULL;
	size_t			 n = 0, i;
	bool			 first = true;
	char			 *code = NULL;
	enum rd_code		 rc, rc2;

	memset(&vm, 0, sizeof vm);
	if ((rc = flow_live_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	if ((rc = vault_method_get(ctx->vault, u.id, in->pos[1], &vm, err)) !=
	    RD_OK)
		goto out;
	if (vm.state != VAULT_PENDING) {
		rc = rd_err_set(err, RD_BAD_STATE, _("method %s of user %s is "
		    "active already"), vm.name, u.name);
		goto out;
	}
	if ((rc = flow_code_arg(ctx, in->pos[2], &code, err)) !=
	    RD_OK)
		goto out;
	if ((rc = flow_check_method(ctx, &u, &vm, code, true, err)) != RD_OK) {
		if (rd_code_counts(rc) && (rc2 = flow_fail(ctx, &u, "confirm",
		    rd_code_name(rc), err)) != RD_OK)
			rc = rc2;
		goto out;
	}
	if ((rc = vault_method_list(ctx->vault, u.id, &list, &n, err)) != RD_OK)
		goto out;
	for (i = 0; i < n; i++)
		if (list[i].state == VAULT_ACTIVE)
			first = false;
	vm.state = VAULT_ACTIVE;
	vm.primary = first;
	if ((rc = vault_method_put(ctx->vault, &vm, err)) != RD_OK ||
	    (rc = flow_success(ctx, &u, err)) != RD_OK ||
	    (rc = flow_audit(ctx, u.name, "confirm", "active", vm.name,
	    err)) != RD_OK)
		goto out;
	if (first)
		rc = flow_new_backup_codes(ctx, &u, out, err);
	else
		cJSON_AddArrayToObject(out, "backup_codes");
	if (rc == RD_OK) {
		json_str(out, "user", u.name);
		json_str(out, "method", vm.name);
		json_str(out, "state", "active");
		json_bool(out, "primary", vm.primary);
	}
out:
	secret_release(code);
	vault_method_list_free(list, n);
	vault_method_clear(&vm);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_confirm_entry = {
	.name = "confirm",
	.usage = "USER METHOD CODE",
	.help = N_("finish enrolling with a code"),
	.minpos = 3,
	.maxpos = 3,
	.flags = CMD_WRITES,
	.exec = confirm_exec,
};
