/*
 * cmd-user-add.c: `redoubt user add USER`: a new user, active unless
 * --inactive, with an optional password read from stdin.
 */
#include <stdio.h>

#include "cmd.h"
#include "env.h"
#include "flow.h"
#include "json.h"
#include "user.h"

enum {
	USER_ADD_EMAIL,
	USER_ADD_PHONE,
	USER_ADD_INACTIVE,
	USER_ADD_PASSWORD_STDIN,
	USER_ADD_NOPTS
};

static const struct cmd_opt user_add_opts[USER_ADD_NOPTS] = {
	[USER_ADD_EMAIL] = { .name = "email", .has_arg = true,
	    .help = "e-mail address" },
	[USER_ADD_PHONE] = { .name = "phone", .has_arg = true,
	    .help = "phone number with its country code, e.g. "
	    "\"+48 500 000 000\"" },
	[USER_ADD_INACTIVE] = { .name = "inactive",
	    .help = "the user may not log in yet" },
	[USER_ADD_PASSWORD_STDIN] = { .name = "password-stdin",
	    .help = "read a password from stdin" },
};

/* The password is hashed before the transaction: no lock meanwhile. */
static enum rd_code RD_CHECK
user_add_prepare(struct rd_ctx *ctx, const struct cmd_input *in,
    struct rd_err *err)
{
	/* A bad name is refused before anything is asked for. */
	enum rd_code	rc;

	if ((rc = user_name_check(in->pos[0], err)) != RD_OK)
		return rc;
	return user_password_prepare(ctx, cmd_opt(in, USER_ADD_PASSWORD_STDIN) !=
	    NULL, err);
}

static enum rd_code RD_CHECK
user_add_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	u = { 0 };
	struct user_change	c = { 0 };
	enum rd_code		rc;

	if ((rc = user_name_check(in->pos[0], err)) != RD_OK)
		return rc;
	snprintf(u.name, sizeof u.name, "%s", in->pos[0]);
	u.active = true;
	u.created = env_now(ctx->env);
	c.email = cmd_opt(in, USER_ADD_EMAIL);
	c.phone = cmd_opt(in, USER_ADD_PHONE);
	c.deactivate = cmd_opt(in, USER_ADD_INACTIVE) != NULL;
	if ((rc = user_apply(&c, &u, err)) == RD_OK &&
	    (rc = vault_user_add(ctx->vault, &u, err)) == RD_OK &&
	    (ctx->prep == NULL ||
	    (rc = vault_user_set_pwhash(ctx->vault, u.id, ctx->prep, err)) ==
	    RD_OK) &&
	    (rc = flow_audit(ctx, u.name, "user add", "ok", NULL, err)) ==
	    RD_OK) {
		json_str(out, "user", u.name);
		json_bool(out, "active", u.active);
	}
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_user_add_entry = {
	.name = "user add",
	.usage = "USER [--email A] [--phone N] [--inactive] [--password-stdin]",
	.help = "add a user",
	.minpos = 1,
	.maxpos = 1,
	.opts = user_add_opts,
	.nopts = USER_ADD_NOPTS,
	.flags = CMD_WRITES,
	.prepare = user_add_prepare,
	.exec = user_add_exec,
};
