/*
 * cmd-user-set.c: `redoubt user set USER`: change e-mail, phone, active
 * flag or password.  An empty --email or --phone clears the field.
 */
#include "flow.h"
#include "user.h"

extern const struct cmd_entry cmd_user_set_entry;

static const struct cmd_opt user_set_opts[] = {
	{ "email", true, "e-mail address (empty: none)" },
	{ "phone", true, "phone number, E.164 (empty: none)" },
	{ "active", false, "the user may log in" },
	{ "inactive", false, "the user may not log in" },
	{ "password-stdin", false, "read a new password from stdin" },
	{ NULL, false, NULL }
};

static enum rd_code
user_set_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	u;
	bool			pw = false;
	enum rd_code		rc;

	if ((rc = flow_begin_user(ctx, in->pos[0], false, &u, err)) != RD_OK)
		return rc;
	rc = user_apply(&cmd_user_set_entry, in, &u, &pw, err);
	if (rc == RD_OK)
		rc = vault_user_update(ctx->vault, &u, err);
	if (rc == RD_OK && pw)
		rc = user_password(ctx, u.id, err);
	if (rc == RD_OK)
		rc = flow_audit(ctx, u.name, "user set", "ok", NULL, err);
	rc = flow_end(ctx, rc, err);
	if (rc == RD_OK) {
		json_str(out, "user", u.name);
		cJSON_AddBoolToObject(out, "active", u.active);
	}
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_user_set_entry = {
	"user set", "USER [--email A] [--phone N] [--active|--inactive] "
	"[--password-stdin]", "change a user", 1, 1, user_set_opts, 0,
	user_set_exec
};
