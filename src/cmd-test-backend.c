/*
 * cmd-test-backend.c: `redoubt test-backend METHOD RECIPIENT`: send a
 * clearly marked test message (or start a verification, or check a device
 * OTP given as RECIPIENT) and report what the provider said: its status,
 * its own code and message, the time taken; with --verbose the whole
 * exchange, credentials and codes shown as ***.  This is how an operator
 * finds out why a channel does not work, so the details are kept on
 * failure too.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "../backends/http.h"
#include "flow.h"
#include "secret.h"
#include "util.h"

static const struct cmd_opt test_backend_opts[] = {
	{ "verbose", false, "show the exchange (secrets as ***)" },
	{ NULL, false, NULL }
};

static enum rd_code
test_backend_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const struct method_cfg	*mc;
	struct be_call		 call;
	struct be_message	 msg;
	struct be_reply		 reply;
	struct be_device	 dev;
	struct rd_buf		 transcript;
	char			 code[16] = "";
	enum rd_code		 rc;

	if ((rc = flow_method_cfg(ctx, in->pos[0], &mc, err)) != RD_OK)
		return rc;
	if (mc->be->kind == BE_APP)
		return rd_err_set(err, RD_NOT_ALLOWED, "%s (%s) has no channel "
		    "to test: its codes are made in the app", mc->name,
		    mc->be->name);
	rd_buf_init(&transcript, 256 * 1024);
	if (in->opt[0] != NULL)
		ctx->transcript = &transcript;
	flow_call(ctx, mc, "test", &call);
	memset(&msg, 0, sizeof msg);
	memset(&reply, 0, sizeof reply);
	secret_code(ctx->env, (int)config_int(ctx->cfg, "code_digits"), code);
	msg.to = in->pos[1];
	msg.code = code;
	msg.minutes = (int)((method_validity(mc) + 59) / 60);
	msg.test = true;
	switch (mc->be->kind) {
	case BE_CODE:
		rc = mc->be->send(&call, &msg, &reply, err);
		break;
	case BE_VERIFY:
		rc = mc->be->start(&call, &msg, &reply, err);
		break;
	default:
		memset(&dev, 0, sizeof dev);
		dev.counter = -1;
		rc = mc->be->enrol(&call, "", &dev, err);
		if (rc == RD_OK || mc->be->enrol_prompt != NULL)
			rc = mc->be->validate(&call, &dev, in->pos[1], &reply,
			    err);
		sodium_memzero(&dev, sizeof dev);
		break;
	}
	ctx->transcript = NULL;
	json_str(out, "method", mc->name);
	json_str(out, "handler", mc->be->name);
	json_str(out, "to", mc->be->kind == BE_DEVICE ? "***" : in->pos[1]);
	json_str(out, "outcome", rc == RD_OK ? "ok" : rd_code_name(rc));
	cJSON_AddNumberToObject(out, "status", (double)reply.status);
	json_str(out, "provider_code", reply.code);
	json_str(out, "provider_message", reply.message);
	if (reply.request_id[0] != '\0')
		json_str(out, "request_id", reply.request_id);
	cJSON_AddNumberToObject(out, "seconds",
	    (double)(long)(reply.seconds * 1000 + 0.5) / 1000);
	if (in->opt[0] != NULL) {
		http_redact(&transcript, (const char *const[]){ code, NULL });
		json_str(out, "transcript", transcript.data);
	}
	rd_buf_free(&transcript);
	sodium_memzero(code, sizeof code);
	return rc;
}

const struct cmd_entry cmd_test_backend_entry = {
	"test-backend", "METHOD RECIPIENT [--verbose]",
	"send a test message and report the provider's answer", 2, 2,
	test_backend_opts, 0, test_backend_exec
};
