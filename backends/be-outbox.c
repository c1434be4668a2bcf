/*
 * be-outbox.c: a code channel that delivers into the vault instead of a
 * network, for demos and offline work.  The message is sealed in the
 * vault by the core's callback; `redoubt outbox` reads it back.
 */
#include <time.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "backend.h"

/* The built-in text, in the operator's language (see README). */
static const char outbox_body[] =
	/* TRANSLATORS: keep {user}, {issuer}, {code} and {validity} as they
	   are; {validity} becomes a duration such as "10 minutes" (in
	   Polish the nominative: "10 minut", "1 minuta"). */
	N_("{issuer}: your verification code is {code}. "
	"It is valid for {validity}.");

static enum rd_code RD_CHECK
outbox_send(const struct be_call *call, const struct be_message *msg,
    struct be_reply *reply, struct rd_err *err)
{
	struct rd_buf		body;
	struct timespec		t0, t1;
	enum rd_code		rc;

	if (call->outbox_put == NULL)
		return rd_err_set(err, RD_BACKEND, _("outbox: no vault to "
		    "deliver into"));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rd_buf_init(&body, 4096);
	if (msg->test)
		rd_buf_addstr(&body, "[TEST] ");
	backend_expand(_(outbox_body), call, msg, &body);
	rc = call->outbox_put(call->host, call->method, msg->to,
	    body.data, err);
	rd_buf_free(&body);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	reply->seconds = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (call->transcript != NULL)
		rd_buf_printf(call->transcript, _("> outbox %s: message for %s "
		    "(code ***)\n< %s\n"), call->method, msg->to,
		    rc == RD_OK ? _("stored") : _("not stored"));
	return rc;
}

static const struct be_code_ops outbox_code = {
	.send = outbox_send,
};

const struct backend be_outbox = {
	.cfg = {
		.name = "outbox",
		.source_field = "email",
		.keeps_codes = true,
	},
	.kind = BE_CODE,
	.code = &outbox_code,
};
