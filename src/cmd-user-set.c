/*
 * cmd-user-set.c: `redoubt user set USER`: change e-mail, phone, active
 * flag or password.  An empty --email or --phone clears the field.
 */
#include "cmd.h"
#include "flow.h"
#include "json.h"
#include "user.h"

enum {
	USER_SET_EMAIL,
	USER_SET_PHONE,
	USER_SET_ACTIVE,
	USER_SET_INACTIVE,
	USER_SET_PASSWORD_STDIN,
	USER_SET_NOPTS
};

static const struct cmd_opt user_set_opts[USER_SET_NOPTS] = {
	[USER_SET_EMAIL] = { .name = "email", .has_arg = true,
	    .help = "e-mail address (empty: none)" },
	[USER_SET_PHONE] = { .name = "phone", .has_arg = true,
	    .help = "phone number with its country code, e.g. "
	    "\"+48 500 000 000\" (empty: none)" },
	[USER_SET_ACTIVE] = { .name = "active",
	    .help = "the user may log in" },
	[USER_SET_INACTIVE] = { .name = "inactive",
	    .help = "the user may not log in" },
	[USER_SET_PASSWORD_STDIN] = { .name = "password-stdin",
	    .help = "read a new password from stdin" },
};

/* The password is hashed before the transaction: no lock meanwhile. */
static enum rd_code RD_CHECK
user_set_prepare(struct rd_ctx *ctx, const struct cmd_input *in,
    struct rd_err *err)
{
	return user_password_prepare(ctx, cmd_opt(in, USER_SET_PASSWORD_STDIN) !=
	    NULL, err);
}

static enum rd_code RD_CHECK
user_set_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	u;
	struct user_change	c = { 0 };
	enum rd_code		rc;

	if ((rc = flow_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	c.email = cmd_opt(in, USER_SET_EMAIL);
	c.phone = cmd_opt(in, USER_SET_PHONE);
	c.activate = cmd_opt(in, USER_SET_ACTIVE) != NULL;
	c.deactivate = cmd_opt(in, USER_SET_INACTIVE) != NULL;
	if ((rc = user_apply(&c, &u, err)) == RD_OK &&
	    (rc = vault_user_update(ctx->vault, &u, err)) == RD_OK &&
	    (ctx->prep == NULL ||
	    (rc = vault_user_set_pwhash(ctx->vault, u.id, ctx->prep, err)) ==
	    RD_OK) &&
	    (rc = flow_audit(ctx, u.name, "user set", "ok", NULL, err)) ==
	    RD_OK) {
		json_str(out, "user", u.name);
		json_bool(out, "active", u.active);
	}
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_user_set_entry = {
	.name = "user set",
	.usage = "USER [--email A] [--phone N] [--active|--inactive] "
	    "[--password-stdin]",
	.help = "change a user",
	.minpos = 1,
	.maxpos = 1,
	.opts = user_set_opts,
	.nopts = USER_SET_NOPTS,
	.flags = CMD_WRITES,
	.prepare = user_set_prepare,
	.exec = user_set_exec,
};
