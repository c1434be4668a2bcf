/*
 * cmd-test-backend.c: `redoubt test-backend METHOD RECIPIENT`: send a
 * clearly marked test message (or start a verification, or check a device
 * OTP given as RECIPIENT) and report what the provider said: its status,
 * its own code and message, the time taken (or, when no secure channel
 * was made, why: "tls"); with --verbose the whole exchange, credentials
 * and codes shown as ***.  This is how an operator finds out why a
 * channel does not work, so the details are kept on failure too.  The test takes the same way as a real send: the kind's
 * own operations (kind.h).
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "../backends/http.h"
#include "cmd.h"
#include "flow.h"
#include "json.h"
#include "kind.h"
#include "secret.h"
#include "util.h"

enum {
	TEST_BACKEND_VERBOSE,
	TEST_BACKEND_NOPTS
};

static const struct cmd_opt test_backend_opts[TEST_BACKEND_NOPTS] = {
	[TEST_BACKEND_VERBOSE] = { .name = "verbose",
	    .help = "show the exchange (secrets as ***)" },
};

static enum rd_code RD_CHECK
test_backend_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const struct method_cfg	*mc;
	const struct kind_ops	*k;
	bool			 verbose = cmd_opt(in, TEST_BACKEND_VERBOSE) !=
				    NULL;
	struct be_call		 call;
	struct be_reply		 reply;
	struct rd_buf		 transcript;
	char			*code = secret_alloc(KIND_CODE_MAX);
	enum rd_code		 rc;

	if ((rc = flow_method_cfg(ctx, in->pos[0], &mc, err)) != RD_OK)
		goto out;
	k = kind_of(mc);
	if (k->test == NULL) {
		rc = rd_err_set(err, RD_NOT_ALLOWED, "%s (%s) has no channel "
		    "to test: its codes are made in the app", mc->name,
		    mc->handler->name);
		goto out;
	}
	rd_buf_init(&transcript, 256 * 1024);
	if (verbose)
		ctx->transcript = &transcript;
	flow_call(ctx, mc, "test", &call);
	memset(&reply, 0, sizeof reply);
	secret_code(ctx->env, (int)config_int(ctx->cfg, CK_CODE_DIGITS), code);
	rc = k->test(ctx, mc, &call, in->pos[1], code, &reply, err);
	ctx->transcript = NULL;
	json_str(out, "method", mc->name);
	json_str(out, "handler", mc->handler->name);
	json_str(out, "to", k->test_otp ? "***" : in->pos[1]);
	json_str(out, "outcome", rc == RD_OK ? "ok" : rd_code_name(rc));
	json_num(out, "status", (double)reply.status);
	/* No status then: the secure channel failed before any answer. */
	if (reply.tls[0] != '\0')
		json_str(out, "tls", reply.tls);
	json_str(out, "provider_code", reply.code);
	json_str(out, "provider_message", reply.message);
	if (reply.request_id[0] != '\0')
		json_str(out, "request_id", reply.request_id);
	json_num(out, "seconds", (double)(long)(reply.seconds * 1000 + 0.5) /
	    1000);
	if (verbose) {
		http_redact(&transcript, (const char *const[]){ code, NULL });
		json_str(out, "transcript", transcript.data);
	}
	rd_buf_free(&transcript);
out:
	secret_release(code);
	return rc;
}

const struct cmd_entry cmd_test_backend_entry = {
	.name = "test-backend",
	.usage = "METHOD RECIPIENT [--verbose]",
	.help = "send a test message and report the provider's answer",
	.minpos = 2,
	.maxpos = 2,
	.opts = test_backend_opts,
	.nopts = TEST_BACKEND_NOPTS,
	.exec = test_backend_exec,
};
