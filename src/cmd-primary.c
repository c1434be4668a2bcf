/*
 * cmd-primary.c: `redoubt primary USER METHOD CODE`: make an active
 * method the primary one.  The code must come from that method, which
 * proves the user can receive codes there before logins depend on it.
 */
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "util.h"

static enum rd_code RD_CHECK
primary_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	/* Only the new primary's own code proves it: no backup codes. */
	struct flow_proof	proof = { .action = "primary" };
	struct vault_user	u;
	struct vault_method	vm;
	char			*code = NULL;
	char			used[VAULT_METHOD_MAX + 1];
	enum rd_code		rc;

	memset(&vm, 0, sizeof vm);
	if ((rc = flow_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	if ((rc = vault_method_get(ctx->vault, u.id, in->pos[1], &vm, err)) !=
	    RD_OK)
		goto out;
	if (vm.state != VAULT_ACTIVE) {
		rc = rd_err_set(err, RD_BAD_STATE, _("method %s of user %s is "
		    "not active"), vm.name, u.name);
		goto out;
	}
	proof.only = vm.name;
	if ((rc = flow_code_arg(ctx, in->pos[2], &code, err)) !=
	    RD_OK ||
	    (rc = flow_check_any(ctx, &u, &proof, code, used, err)) != RD_OK ||
	    (rc = vault_method_set_primary(ctx->vault, u.id, vm.id, err)) !=
	    RD_OK ||
	    (rc = flow_audit(ctx, u.name, "primary", "ok", vm.name, err)) !=
	    RD_OK)
		goto out;
	json_str(out, "user", u.name);
	json_str(out, "method", vm.name);
	json_bool(out, "primary", true);
out:
	secret_release(code);
	vault_method_clear(&vm);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_primary_entry = {
	.name = "primary",
	.usage = "USER METHOD CODE",
	.help = N_("change the primary method"),
	.minpos = 3,
	.maxpos = 3,
	.flags = CMD_WRITES,
	.exec = primary_exec,
};
