/*
 * cmd-outbox.c: `redoubt outbox [list|show ID|clear]`: the messages the
 * outbox handler kept in the vault, for demos and offline work.  They
 * hold live codes, which is their purpose; they stay sealed at rest.
 */
#include <string.h>

#include "flow.h"
#include "util.h"

static void
outbox_json(cJSON *m, const struct vault_message *msg)
{
	cJSON_AddNumberToObject(m, "id", (double)msg->id);
	json_str(m, "method", msg->method);
	json_str(m, "to", msg->to);
	json_str(m, "body", msg->body);
	cJSON_AddNumberToObject(m, "sent_at", (double)msg->sent_at);
}

static void
outbox_one(void *arg, const struct vault_message *msg)
{
	cJSON	*m = cJSON_CreateObject();

	outbox_json(m, msg);
	cJSON_AddItemToArray(arg, m);
}

static enum rd_code
outbox_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const char		*sub = in->npos > 0 ? in->pos[0] : "list";
	struct vault_message	 msg;
	long			 id;
	enum rd_code		 rc;

	if (strcmp(sub, "list") == 0 && in->npos <= 1)
		return vault_outbox_list(ctx->vault, outbox_one,
		    cJSON_AddArrayToObject(out, "messages"), err);
	if (strcmp(sub, "show") == 0 && in->npos == 2) {
		if (!str_to_long(in->pos[1], 1, 0x7fffffffL, &id))
			return rd_err_set(err, RD_USAGE, "outbox show: '%s' is "
			    "not a message id", in->pos[1]);
		if ((rc = vault_outbox_get(ctx->vault, id, &msg, err)) != RD_OK)
			return rc;
		outbox_json(out, &msg);
		vault_message_clear(&msg);
		return RD_OK;
	}
	if (strcmp(sub, "clear") == 0 && in->npos == 1) {
		if ((rc = vault_begin(ctx->vault, err)) != RD_OK)
			return rc;
		rc = vault_outbox_clear(ctx->vault, err);
		if (rc == RD_OK)
			rc = flow_audit(ctx, NULL, "outbox clear", "ok", NULL,
			    err);
		if ((rc = flow_end(ctx, rc, err)) == RD_OK)
			json_str(out, "status", "cleared");
		return rc;
	}
	return rd_err_set(err, RD_USAGE, "usage: redoubt outbox [list|show "
	    "ID|clear]");
}

const struct cmd_entry cmd_outbox_entry = {
	"outbox", "[list|show ID|clear]", "messages kept by outbox methods",
	0, 2, NULL, 0, outbox_exec
};
