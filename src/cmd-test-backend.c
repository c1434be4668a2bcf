/*
 * cmd-test-backend.c: `redoubt test-backend METHOD RECIPIENT`: send a
 * clearly marked test message (or start a verification, or check a device
 * OTP given as RECIPIENT) and report what the provider said: its status,
 * its own code and message, the time taken (or, when no secure channel
 * was made, why: "tls"); with --verbose the whole exchange, credentials
 * and codes shown as ***.  This is how an operator finds out why a
 * channel does not work, so the details are kept on failure too.  The test takes the same way as a real send: the kind's
 * own operations (kind.h).
 *
 * A test message is a real send, so it is audited as one: after the
 * exchange, with no transaction held across the network, one row in a
 * transaction of its own names the method, the handler, the recipient
 * masked as everywhere else, and how it went; never the code, the OTP
 * or the provider's message (which may repeat the recipient whole).
 * That is why the command opens the vault even for channels that do not
 * keep anything in it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../backends/http.h"
#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "kind.h"
#include "secret.h"
#include "tx.h"
#include "util.h"

enum {
	TEST_BACKEND_VERBOSE,
	TEST_BACKEND_NOPTS
};

static const struct cmd_opt test_backend_opts[TEST_BACKEND_NOPTS] = {
	[TEST_BACKEND_VERBOSE] = { .name = "verbose",
	    .help = N_("show the exchange (secrets as ***)") },
};

struct test_record {
	const char	*outcome;
	const char	*detail;
};

static enum rd_code RD_CHECK
test_backend_audit(struct rd_ctx *ctx, void *arg, struct rd_err *err)
{
	struct test_record	*t = arg;

	return flow_audit(ctx, NULL, "test-backend", t->outcome, t->detail,
	    err);
}

/*
 * The row for a test of mc toward to: "work-sms via sms_twilio to
 * +*********67: backend, status 401, provider code 20003", or "...: sent"
 * when the channel says nothing more than that it took the message.  Not
 * the time taken: the log says who did what, test-backend's answer how
 * fast.
 */
static enum rd_code RD_CHECK
test_backend_record(struct rd_ctx *ctx, const struct method_cfg *mc,
    const char *to, enum rd_code rc, const struct be_reply *reply,
    struct rd_err *err)
{
	struct test_record	 t;
	struct rd_buf		 b;
	const char		*sep = " ";
	char			*masked;
	enum rd_code		 r;

	rd_buf_init(&b, 1024);
	if (kind_of(mc)->test_otp) {
		rd_buf_printf(&b, "%s via %s, a key's OTP:", mc->name,
		    mc->handler->name);
	} else {
		masked = mask_destination(to);
		rd_buf_printf(&b, "%s via %s to %s:", mc->name,
		    mc->handler->name, masked);
		free(masked);
	}
	if (rc != RD_OK) {
		rd_buf_printf(&b, "%s%s", sep, rd_code_name(rc));
		sep = ", ";
	}
	if (reply->status != 0) {
		rd_buf_printf(&b, "%sstatus %ld", sep, reply->status);
		sep = ", ";
	}
	if (reply->code[0] != '\0') {
		rd_buf_printf(&b, "%sprovider code %.63s", sep, reply->code);
		sep = ", ";
	}
	if (sep[0] == ' ')
		rd_buf_addstr(&b, " sent");
	t.outcome = rc == RD_OK ? "ok" : "failure";
	t.detail = b.data;
	r = tx_run(ctx, test_backend_audit, &t, err);
	rd_buf_free(&b);
	return r;
}

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
	struct rd_err		 aerr;
	enum rd_code		 rc, arc;

	if ((rc = flow_method_cfg(ctx, in->pos[0], &mc, err)) != RD_OK)
		goto out;
	k = kind_of(mc);
	if (k->test == NULL) {
		rc = rd_err_set(err, RD_NOT_ALLOWED, _("%s (%s) has no channel "
		    "to test: its codes are made in the app"), mc->name,
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
	/* Unaudited, the send would be unaccounted for: that error wins. */
	if ((arc = test_backend_record(ctx, mc, in->pos[1], rc, &reply,
	    &aerr)) != RD_OK) {
		*err = aerr;
		rc = arc;
	}
	rd_buf_free(&transcript);
out:
	secret_release(code);
	return rc;
}

const struct cmd_entry cmd_test_backend_entry = {
	.name = "test-backend",
	.usage = "METHOD RECIPIENT [--verbose]",
	.help = N_("send a test message and report the provider's answer"),
	.minpos = 2,
	.maxpos = 2,
	.opts = test_backend_opts,
	.nopts = TEST_BACKEND_NOPTS,
	/* The exchange holds no lock; its audit row is a transaction alone. */
	.flags = CMD_OWN_TX,
	.exec = test_backend_exec,
};
