/*
 * cmd-key-remove.c: `redoubt key remove SLOT`: revoke a key slot at once.
 * Its row goes, so its file opens nothing from then on; sessions this user
 * started (perhaps with that file) end too, as `lock --all` ends them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "sesstok.h"
#include "util.h"

static enum rd_code RD_CHECK
key_remove_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	char		detail[64];
	long		id;
	int		ended = 0;
	enum rd_code	rc;

	if (!str_to_long(in->pos[0], 0, 1000000000L, &id))
		return rd_err_set(err, RD_USAGE, _("'%s' is not a slot number "
		    "(see redoubt key list)"), in->pos[0]);
	if ((rc = vault_slot_remove(ctx->vault, id, err)) != RD_OK)
		return rc;
	snprintf(detail, sizeof detail, "slot %ld", id);
	if ((rc = flow_audit(ctx, NULL, "key remove", "ok", detail, err)) !=
	    RD_OK)
		return rc;
	/* The slot is gone whatever happens to the session files. */
	if (sesstok_end_all(ctx->vault_path, &ended, NULL) != RD_OK)
		ended = 0;
	cJSON_AddNumberToObject(out, "slot", (double)id);
	json_str(out, "status", "removed");
	cJSON_AddNumberToObject(out, "sessions_ended", ended);
	return RD_OK;
}

const struct cmd_entry cmd_key_remove_entry = {
	.name = "key remove",
	.usage = "SLOT",
	.help = N_("remove a key slot: its key file opens nothing from now on"),
	.minpos = 1,
	.maxpos = 1,
	.flags = CMD_WRITES | CMD_BATCH_NO,
	.exec = key_remove_exec,
};
