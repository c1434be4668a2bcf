/*
 * cmd-user-del.c: `redoubt user del USER`: the user and everything of
 * theirs (methods, codes, tokens, locks) go in one transaction.
 */
#include "flow.h"

static enum rd_code
user_del_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	u;
	enum rd_code		rc;

	if ((rc = flow_begin_user(ctx, in->pos[0], false, &u, err)) != RD_OK)
		return rc;
	rc = vault_user_del(ctx->vault, u.id, err);
	if (rc == RD_OK)
		rc = flow_audit(ctx, u.name, "user del", "ok", NULL, err);
	if ((rc = flow_end(ctx, rc, err)) == RD_OK)
		json_str(out, "user", u.name);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_user_del_entry = {
	"user del", "USER", "delete a user", 1, 1, NULL, 0, user_del_exec
};
