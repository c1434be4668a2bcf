/*
 * cmd-login-code.c: `redoubt login-code TOKEN CODE [--method METHOD]`,
 * the second login step.  The token must be known, unexpired and unused;
 * the code may come from any active method or be a backup code.  The
 * token is spent only by a success, so a typo does not end the login, but
 * every miss counts towards the lock.
 */
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "env.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "util.h"

enum {
	LOGIN_CODE_METHOD,
	LOGIN_CODE_NOPTS
};

static const struct cmd_opt login_code_opts[LOGIN_CODE_NOPTS] = {
	[LOGIN_CODE_METHOD] = { .name = "method", .has_arg = true,
	    .help = N_("check the code against this method only") },
};

static enum rd_code RD_CHECK
login_code_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct flow_proof	proof = {
		.only = cmd_opt(in, LOGIN_CODE_METHOD),
		.backup = true,
		.login = true,
		.action = "login-code",
	};
	struct vault_user	u;
	char			*code = NULL;
	char			used[VAULT_METHOD_MAX + 1] = "";
	enum rd_code		rc;

	if ((rc = flow_token_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	if (!u.active) {
		rc = rd_err_set(err, RD_INACTIVE_USER, _("user %s is inactive"),
		    u.name);
		goto out;
	}
	if ((rc = flow_code_arg(ctx, in->pos[1], &code, err)) !=
	    RD_OK ||
	    (rc = flow_check_any(ctx, &u, &proof, code, used, err)) != RD_OK ||
	    (rc = vault_token_use(ctx->vault, in->pos[0], err)) != RD_OK ||
	    (rc = flow_audit(ctx, u.name, "login", "ok", used, err)) != RD_OK)
		goto out;
	json_str(out, "status", "ok");
	json_str(out, "user", u.name);
	json_str(out, "method_used", used);
out:
	secret_release(code);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_login_code_entry = {
	.name = "login-code",
	.usage = "TOKEN CODE [--method METHOD]",
	.help = N_("second login step"),
	.minpos = 2,
	.maxpos = 2,
	.opts = login_code_opts,
	.nopts = LOGIN_CODE_NOPTS,
	.flags = CMD_WRITES,
	.exec = login_code_exec,
};
