/*
 * cmd-user-del.c: `redoubt user del USER`: the user and everything of
 * theirs (methods, codes, tokens, locks) go in one transaction.
 */
#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"

static enum rd_code RD_CHECK
user_del_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	u;
	enum rd_code		rc;

	if ((rc = flow_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	if ((rc = vault_user_del(ctx->vault, u.id, err)) == RD_OK &&
	    (rc = flow_audit(ctx, u.name, "user del", "ok", NULL, err)) ==
	    RD_OK)
		json_str(out, "user", u.name);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_user_del_entry = {
	.name = "user del",
	.usage = "USER",
	.help = N_("delete a user"),
	.minpos = 1,
	.maxpos = 1,
	.flags = CMD_WRITES,
	.exec = user_del_exec,
};
