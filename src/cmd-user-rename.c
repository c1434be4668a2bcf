/*
 * cmd-user-rename.c: `redoubt user rename OLD NEW`: the user goes on under
 * a new name, which passes the checks of `user add` and is nobody's yet.
 * (A ':' is refused too, as apps refuse it; `user add` says so, and
 * user_name_for_app tells how to fix an old name with one: by renaming.)
 * Methods, codes, backup codes, locks and tokens stay, being the user's by
 * id; the audit log keeps the old rows under the old name and says where
 * it went, in a row of the old name with the new one in its detail.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "user.h"

static enum rd_code RD_CHECK
user_rename_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	u;
	char			detail[VAULT_NAME_MAX + 32];
	enum rd_code		rc;

	/* A bad name is refused before the old one is even looked up. */
	if ((rc = user_name_check(in->pos[1], err)) != RD_OK)
		return rc;
	if ((rc = flow_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	if (strcmp(u.name, in->pos[1]) == 0)
		rc = rd_err_set(err, RD_EXISTS,
		    _("user %s has that name already"),
		    u.name);
	else
		rc = vault_user_rename(ctx->vault, u.id, in->pos[1], err);
	snprintf(detail, sizeof detail, "new name: %s", in->pos[1]);
	if (rc == RD_OK && (rc = flow_audit(ctx, u.name, "user rename", "ok",
	    detail, err)) == RD_OK) {
		json_str(out, "user", in->pos[1]);
		json_str(out, "old_name", u.name);
	}
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_user_rename_entry = {
	.name = "user rename",
	.usage = "OLD NEW",
	.help = N_("give a user a new name"),
	.minpos = 2,
	.maxpos = 2,
	.flags = CMD_WRITES,
	.exec = user_rename_exec,
};
