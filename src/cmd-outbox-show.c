/*
 * cmd-outbox-show.c: `redoubt outbox show ID`: one message of the outbox,
 * whole.
 */
#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "util.h"

static enum rd_code RD_CHECK
outbox_show_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_message	msg;
	long			id;
	enum rd_code		rc;

	if (!str_to_long(in->pos[0], 1, 0x7fffffffL, &id))
		return rd_err_set(err, RD_USAGE, _("outbox show: '%s' is not a "
		    "message id"), in->pos[0]);
	if ((rc = vault_outbox_get(ctx->vault, id, &msg, err)) != RD_OK)
		return rc;
	flow_message_json(out, &msg);
	vault_message_clear(&msg);
	return RD_OK;
}

const struct cmd_entry cmd_outbox_show_entry = {
	.name = "outbox show",
	.usage = "ID",
	.help = N_("one message of the outbox"),
	.minpos = 1,
	.maxpos = 1,
	.exec = outbox_show_exec,
};
