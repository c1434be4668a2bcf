/*
 * cmd-user-add.c: `redoubt user add USER`: a new user, active unless
 * --inactive, with an optional password read from stdin.
 */
#include <stdio.h>

#include "flow.h"
#include "user.h"

extern const struct cmd_entry cmd_user_add_entry;

static const struct cmd_opt user_add_opts[] = {
	{ "email", true, "e-mail address" },
	{ "phone", true, "phone number, E.164" },
	{ "inactive", false, "the user may not log in yet" },
	{ "password-stdin", false, "read a password from stdin" },
	{ NULL, false, NULL }
};

static enum rd_code
user_add_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	u = { 0 };
	bool			pw = false;
	enum rd_code		rc;

	if (!user_name_ok(in->pos[0]))
		return rd_err_set(err, RD_USAGE, "'%s' is not a user name (1 "
		    "to %d bytes, no spaces or control characters)",
		    in->pos[0], VAULT_NAME_MAX);
	snprintf(u.name, sizeof u.name, "%s", in->pos[0]);
	u.active = true;
	u.created = env_now(ctx->env);
	if ((rc = user_apply(&cmd_user_add_entry, in, &u, &pw, err)) != RD_OK)
		goto out;
	if ((rc = vault_begin(ctx->vault, err)) != RD_OK)
		goto out;
	rc = vault_user_add(ctx->vault, &u, err);
	if (rc == RD_OK && pw)
		rc = user_password(ctx, u.id, err);
	if (rc == RD_OK)
		rc = flow_audit(ctx, u.name, "user add", "ok", NULL, err);
	if ((rc = flow_end(ctx, rc, err)) != RD_OK)
		goto out;
	json_str(out, "user", u.name);
	cJSON_AddBoolToObject(out, "active", u.active);
out:
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_user_add_entry = {
	"user add", "USER [--email A] [--phone N] [--inactive] "
	"[--password-stdin]", "add a user", 1, 1, user_add_opts, 0,
	user_add_exec
};
