/*
 * cmd-outbox-list.c: `redoubt outbox [list]`: the messages the outbox
 * handler kept in the vault, for demos and offline work.  They hold live
 * codes, which is their purpose; they stay sealed at rest.
 */
#include "cmd.h"
#include "flow.h"
#include "i18n.h"

static void
outbox_list_one(void *arg, const struct vault_message *msg)
{
	cJSON	*m = cJSON_CreateObject();

	flow_message_json(m, msg);
	cJSON_AddItemToArray(arg, m);
}

static enum rd_code RD_CHECK
outbox_list_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	(void)in;
	return vault_outbox_list(ctx->vault, outbox_list_one,
	    cJSON_AddArrayToObject(out, "messages"), err);
}

const struct cmd_entry cmd_outbox_list_entry = {
	.name = "outbox list",
	.usage = "",
	.help = N_("messages kept by outbox methods (also: redoubt outbox)"),
	.flags = CMD_DEFAULT,
	.exec = outbox_list_exec,
};
