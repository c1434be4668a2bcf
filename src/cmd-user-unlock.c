/*
 * cmd-user-unlock.c: `redoubt user unlock USER`: the operator lifts a
 * lock and clears the failure count and the doubling.
 */
#include "flow.h"

static enum rd_code
user_unlock_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	u;
	struct vault_lock	none = { 0, 0, 0 };
	enum rd_code		rc;

	if ((rc = flow_begin_user(ctx, in->pos[0], false, &u, err)) != RD_OK)
		return rc;
	rc = vault_lock_put(ctx->vault, u.id, &none, err);
	if (rc == RD_OK)
		rc = flow_audit(ctx, u.name, "user unlock", "ok", NULL, err);
	if ((rc = flow_end(ctx, rc, err)) == RD_OK) {
		json_str(out, "user", u.name);
		cJSON_AddBoolToObject(out, "locked", 0);
	}
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_user_unlock_entry = {
	"user unlock", "USER", "lift a lock", 1, 1, NULL, 0, user_unlock_exec
};
