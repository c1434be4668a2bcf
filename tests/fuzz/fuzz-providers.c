/*
 * fuzz-providers.c: what SMS and verify providers answer, which comes
 * from the network (or from whoever sits on the path to a test server).
 * The input is an HTTP answer: its first two bytes the status (big
 * endian), the rest the body.  It goes to each parser: Twilio's
 * twilio_answer, SMSAPI's smsapi_answer, SNS's sns_answer (XML), Twilio
 * Verify's verify_read and verify_status, and to the whole start and
 * check of Twilio Verify and Vonage, whose answers are read where they
 * are fetched (vonage_post): there http_perform is replaced by
 * fuzz_http_perform, which hands back the input instead of a network
 * answer.  The backends are included whole (their objects then stay
 * unused); their static names do not clash.
 *
 * Promises checked: only the codes each operation documents, and a
 * success only from a 2xx (200 for Vonage) with what it must carry.
 */
#include <sodium.h>

#include "../../src/json.h"
#include "../../src/kind.h"
#include "fuzz.h"

#define http_perform fuzz_http_perform
#include "../../backends/be-sms-twilio.c"
#include "../../backends/be-sms-smsapi.c"
#include "../../backends/be-sms-sns.c"
#include "../../backends/be-twilio-verify.c"
#include "../../backends/be-vonage-verify.c"
#undef http_perform

static const char fuzz_conf[] =
	"[method.tv]\n"
	"handler = twilio_verify\n"
	"account_sid = ACfuzz\n"
	"auth_token = fuzz-token\n"
	"service_sid = VAfuzz\n"
	"[method.vn]\n"
	"handler = vonage_verify\n"
	"api_key = fuzzkey\n"
	"api_secret = fuzzsecret\n";

static struct config	*fuzz_cfg;
static struct be_call	 fuzz_tv, fuzz_vn;
/* The answer fuzz_http_perform gives. */
static long		 fuzz_status;
static const uint8_t	*fuzz_body;
static size_t		 fuzz_len;

static void
fuzz_cleanup(void)
{
	config_free(fuzz_cfg);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct rd_err	err;

	(void)argc;
	(void)argv;
	fuzz_start();
	if (config_load_string(fuzz_conf, "fuzz.conf", &fuzz_cfg, &err) !=
	    RD_OK) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		abort();
	}
	kind_call(config_method(fuzz_cfg, "tv"), &fuzz_tv);
	kind_call(config_method(fuzz_cfg, "vn"), &fuzz_vn);
	atexit(fuzz_cleanup);
	return 0;
}

/* http_perform for the included backends: the input, not the network. */
enum rd_code
fuzz_http_perform(const struct be_call *call, const struct http_request *req,
    struct http_response *resp, struct be_reply *reply, struct rd_err *err)
{
	(void)call;
	(void)err;
	fuzz_require(req->url != NULL && req->method != NULL,
	    "a request has a method and a URL");
	memset(resp, 0, sizeof *resp);
	resp->status = fuzz_status;
	resp->body = fuzz_text(fuzz_body, fuzz_len);
	resp->len = fuzz_len;
	reply->status = fuzz_status;
	return RD_OK;
}

static bool
fuzz_2xx(long status)
{
	return status >= 200 && status <= 299;
}

/* RD_OK only from a 2xx; otherwise RD_BACKEND. */
static void
fuzz_sent(enum rd_code rc, long status, const char *who)
{
	fuzz_require(rc == RD_BACKEND || (rc == RD_OK && fuzz_2xx(status)),
	    who);
}

/* What a check may answer; RD_OK only when ok_allowed. */
static void
fuzz_checked(enum rd_code rc, bool ok_allowed, const char *who)
{
	fuzz_require((rc == RD_OK && ok_allowed) || rc == RD_INVALID_CODE ||
	    rc == RD_LOCKED_OUT || rc == RD_EXPIRED || rc == RD_BACKEND, who);
}

static void
fuzz_parsers(const struct http_response *resp)
{
	struct be_reply		reply;
	struct verify_answer	a;
	struct rd_err		err;

	memset(&reply, 0, sizeof reply);
	fuzz_sent(twilio_answer(resp, &reply, &err), resp->status,
	    "twilio_answer: OK from a 2xx, else BACKEND");
	memset(&reply, 0, sizeof reply);
	fuzz_sent(smsapi_answer(resp, &reply, &err), resp->status,
	    "smsapi_answer: OK from a 2xx, else BACKEND");
	memset(&reply, 0, sizeof reply);
	fuzz_sent(sns_answer(resp, &reply, &err), resp->status,
	    "sns_answer: OK from a 2xx, else BACKEND");
	memset(&reply, 0, sizeof reply);
	verify_read(resp, &reply, &a);
	if (a.root != NULL && fuzz_2xx(resp->status))
		fuzz_checked(verify_status(resp, &a, &reply, &err), true,
		    "verify_status: a check's codes");
	cJSON_Delete(a.root);
}

static void
fuzz_verifies(void)
{
	struct be_message	msg = { .to = "+15005550006", .minutes = 10 };
	struct be_reply		reply;
	struct rd_err		err;
	enum rd_code		rc;

	memset(&reply, 0, sizeof reply);
	rc = verify_start(&fuzz_tv, &msg, &reply, &err);
	fuzz_require(rc == RD_BACKEND || (rc == RD_OK &&
	    fuzz_2xx(fuzz_status) && reply.request_id[0] != '\0'),
	    "verify_start: OK from a 2xx with a sid");
	memset(&reply, 0, sizeof reply);
	rc = verify_check(&fuzz_tv, "VEfuzz", "123456", &reply, &err);
	fuzz_checked(rc, fuzz_2xx(fuzz_status), "verify_check: its codes");

	memset(&reply, 0, sizeof reply);
	rc = vonage_start(&fuzz_vn, &msg, &reply, &err);
	fuzz_require(rc == RD_BACKEND || (rc == RD_OK && fuzz_status == 200 &&
	    strcmp(reply.code, "0") == 0 && reply.request_id[0] != '\0'),
	    "vonage_start: OK from a 200, status 0 and a request_id");
	memset(&reply, 0, sizeof reply);
	rc = vonage_check(&fuzz_vn, "0123abcd", "123456", &reply, &err);
	fuzz_checked(rc, fuzz_status == 200 && strcmp(reply.code, "0") == 0,
	    "vonage_check: its codes, OK from a 200 with status 0");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_response	resp;

	if (size < 2)
		return 0;
	fuzz_status = (long)(data[0] << 8 | data[1]);
	fuzz_body = data + 2;
	fuzz_len = size - 2;

	memset(&resp, 0, sizeof resp);
	resp.status = fuzz_status;
	resp.body = fuzz_text(fuzz_body, fuzz_len);
	resp.len = fuzz_len;
	fuzz_parsers(&resp);
	http_response_free(&resp);

	fuzz_verifies();
	return 0;
}
