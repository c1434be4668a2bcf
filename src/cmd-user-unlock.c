/*
 * cmd-user-unlock.c: `redoubt user unlock USER`: the operator lifts a
 * lock and clears the failure count and the doubling.
 */
#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"

static enum rd_code RD_CHECK
user_unlock_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	u;
	struct vault_lock	none = { 0, 0, 0 };
	enum rd_code		rc;

	if ((rc = flow_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	if ((rc = vault_lock_put(ctx->vault, u.id, &none, err)) == RD_OK &&
	    (rc = flow_audit(ctx, u.name, "user unlock", "ok", NULL, err)) ==
	    RD_OK) {
		json_str(out, "user", u.name);
		json_bool(out, "locked", false);
	}
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_user_unlock_entry = {
	.name = "user unlock",
	.usage = "USER",
	.help = N_("lift a lock"),
	.minpos = 1,
	.maxpos = 1,
	.flags = CMD_WRITES,
	.exec = user_unlock_exec,
};
