/*
 * cmd-outbox-clear.c: `redoubt outbox clear`: empty the outbox, audited.
 */
#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"

static enum rd_code RD_CHECK
outbox_clear_exec(struct rd_ctx *ctx, const struct cmd_input *in,
    cJSON *out, struct rd_err *err)
{
	enum rd_code	rc;

	(void)in;
	if ((rc = vault_outbox_clear(ctx->vault, err)) == RD_OK &&
	    (rc = flow_audit(ctx, NULL, "outbox clear", "ok", NULL, err)) ==
	    RD_OK)
		json_str(out, "status", "cleared");
	return rc;
}

const struct cmd_entry cmd_outbox_clear_entry = {
	.name = "outbox clear",
	.usage = "",
	.help = N_("empty the outbox"),
	.flags = CMD_WRITES,
	.exec = outbox_clear_exec,
};
