/*
 * test-be-verify.c: the provider-made-code handlers, twilio_verify and
 * vonage_verify, against fake_twilio.py and fake_vonage.py on loopback:
 * start then check, every documented outcome of a check mapped to the
 * core's own codes, provider errors, faults, and transcripts that never
 * show the secret or the code.  test-be-http.c covers http.c itself.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-be-fix.h"

#include "../../backends/backend.h"
#include "../../src/kind.h"
#include "../../src/util.h"

#define TW_KEYS		"handler = twilio_verify\n" \
			"account_sid = ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n" \
			"auth_token = tw-token-0123456789abcdef\n" \
			"service_sid = VAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"
#define VN_SECRET	"vonage-Secret+0123/x"
#define VN_KEYS		"handler = vonage_verify\napi_key = abcd1234\n" \
			"api_secret = " VN_SECRET "\n"
#define GOOD		"123456"

static int
fx_setup(void **state)
{
	return fx_new(state, "+447700900123", NULL);
}

/* Start script in mode and configure [method.m] with keys against it. */
static void
fx_start(struct fx *f, const char *script, const char *mode, const char *keys)
{
	char		*text;
	enum rd_code	 rc;

	harness_server_stop(f->pid);
	config_free(f->cfg);
	f->pid = harness_server(script, &f->port, "--mode", mode, "--log",
	    f->log, "--lifetime", "40", NULL);
	assert_true(f->pid > 0);
	text = xasprintf("[method.m]\n%sapi_base = http://127.0.0.1:%d/\n",
	    keys, f->port);
	rc = config_load_string(text, "test.conf", &f->cfg, &f->err);
	free(text);
	if (rc != RD_OK)
		fail_msg("config: %s", f->err.msg);
	f->m = config_method(f->cfg, "m");
	assert_non_null(f->m);
	harness_be_call(f->m, &f->call);
}

static enum rd_code
fx_begin(struct fx *f)
{
	enum rd_code	rc;

	memset(&f->reply, 0, sizeof f->reply);
	rd_err_clear(&f->err);
	rc = kind_backend(f->m)->verify->start(&f->call, &f->msg, &f->reply, &f->err);
	snprintf(f->request_id, sizeof f->request_id, "%s",
	    f->reply.request_id);
	return rc;
}

static enum rd_code
fx_check(struct fx *f, const char *code)
{
	memset(&f->reply, 0, sizeof f->reply);
	rd_err_clear(&f->err);
	return kind_backend(f->m)->verify->check(&f->call, f->request_id, code,
	    &f->reply, &f->err);
}

static bool
fx_logged(struct fx *f, const char *needle)
{
	char	*log = harness_slurp(f->log);
	bool	 found = log != NULL && strstr(log, needle) != NULL;

	if (!found)
		print_error("server log lacks '%s':\n%s\n", needle,
		    log ? log : "(none)");
	free(log);
	return found;
}

static void
test_registry(void **state)
{
	static const struct {
		const char	*name;
		enum be_kind	 kind;
	} hs[] = {
		{ "sms_twilio", BE_CODE }, { "sms_smsapi", BE_CODE },
		{ "sms_sns", BE_CODE }, { "twilio_verify", BE_VERIFY },
		{ "vonage_verify", BE_VERIFY },
	};
	const struct backend	*be;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof hs / sizeof hs[0]; i++) {
		assert_non_null(be = backend_find(hs[i].name));
		assert_int_equal(be->kind, hs[i].kind);
		assert_string_equal(be->cfg.source_field, "phone");
		if (be->kind == BE_CODE)
			assert_non_null(be->code->send);
		else
			assert_true(be->verify->start != NULL &&
			    be->verify->check != NULL);
	}
}

static void
test_twilio_approved(void **state)
{
	struct fx	*f = *state;

	fx_start(f, "fake_twilio.py", "ok", TW_KEYS "channel = call\n");
	assert_int_equal(fx_begin(f), RD_OK);
	assert_int_equal(f->reply.status, 201);
	assert_true(str_has_prefix(f->request_id, "VE"));
	assert_true(fx_logged(f, "\"path\": \"/v2/Services/VAbbbbbbbbbbbbbbbbbbb"
	    "bbbbbbbbbbbbb/Verifications\""));
	assert_true(fx_logged(f, "\"body\": \"To=%2B447700900123&Channel=call\""));
	assert_int_equal(fx_check(f, GOOD), RD_OK);
	assert_int_equal(f->reply.status, 200);
	assert_string_equal(f->reply.message, "approved");
	assert_true(fx_logged(f, "/VerificationCheck\""));
	assert_true(fx_logged(f, "VerificationSid="));
	/* Approved is gone: a second check is a 404. */
	assert_int_equal(fx_check(f, GOOD), RD_EXPIRED);
	assert_int_equal(f->reply.status, 404);
	assert_string_equal(f->reply.code, "20404");
}

static void
test_twilio_wrong_then_locked(void **state)
{
	struct fx	*f = *state;
	int		 i;

	fx_start(f, "fake_twilio.py", "ok", TW_KEYS);
	assert_int_equal(fx_begin(f), RD_OK);
	for (i = 0; i < 5; i++) {
		assert_int_equal(fx_check(f, "000000"), RD_INVALID_CODE);
		assert_int_equal(f->reply.status, 200);
	}
	assert_int_equal(fx_check(f, GOOD), RD_LOCKED_OUT);
	assert_int_equal(f->reply.status, 429);
	assert_string_equal(f->reply.code, "60202");
	assert_string_equal(f->reply.message, "Max check attempts reached");
}

static void
test_twilio_errors(void **state)
{
	static const struct {
		const char	*mode;
		bool		 at_start;
		enum rd_code	 rc;
		long		 status;
		const char	*code;
	} cases[] = {
		{ "auth401", true, RD_BACKEND, 401, "20003" },
		{ "bad_number", true, RD_BACKEND, 400, "60200" },
		{ "max_sends", true, RD_BACKEND, 429, "60203" },
		{ "server500", true, RD_BACKEND, 500, "20500" },
		{ "malformed", true, RD_BACKEND, 201, "" },
		{ "wrong_code", false, RD_INVALID_CODE, 200, "" },
		{ "max_attempts", false, RD_LOCKED_OUT, 429, "60202" },
		{ "expired", false, RD_EXPIRED, 404, "20404" },
		{ "truncated", true, RD_NETWORK, 201, "" },
	};
	struct fx	*f = *state;
	size_t		 i;
	enum rd_code	 rc;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fx_start(f, "fake_twilio.py", cases[i].mode, TW_KEYS);
		if (cases[i].at_start)
			rc = fx_begin(f);
		else {
			assert_int_equal(fx_begin(f), RD_OK);
			rc = fx_check(f, GOOD);
		}
		if (rc != cases[i].rc)
			fail_msg("%s: %d (%s)", cases[i].mode, rc, f->err.msg);
		assert_int_equal(f->reply.status, cases[i].status);
		assert_string_equal(f->reply.code, cases[i].code);
	}
	assert_non_null(strstr(f->err.msg, "127.0.0.1"));
}

static void
test_twilio_transcript(void **state)
{
	struct fx	*f = *state;
	const char	*t;

	fx_start(f, "fake_twilio.py", "ok", TW_KEYS);
	assert_int_equal(fx_begin(f), RD_OK);
	f->call.transcript = &f->transcript;
	assert_int_equal(fx_check(f, "918273"), RD_INVALID_CODE);
	t = f->transcript.data;
	assert_non_null(strstr(t, "/VerificationCheck\n"));
	assert_non_null(strstr(t, "> Authorization: ***\n"));
	assert_non_null(strstr(t, "&Code=***"));
	assert_non_null(strstr(t, "< HTTP 200\n"));
	assert_null(strstr(t, "tw-token-0123456789abcdef"));
	assert_null(strstr(t, "918273"));
}

static void
test_twilio_config(void **state)
{
	struct fx	*f = *state;
	size_t		 i;
	bool		 seen = false;

	assert_int_equal(config_load_string("[method.v]\nhandler = "
	    "twilio_verify\naccount_sid = AC1\nauth_token = t0k3n\n"
	    "channel = fax\n", "test.conf", &f->cfg, &f->err), RD_CONFIG);
	for (i = 0; i < f->cfg->problems.n; i++)
		if (strstr(f->cfg->problems.list[i], "test.conf:5:") &&
		    strstr(f->cfg->problems.list[i], "channel"))
			seen = true;
	assert_true(seen);
	seen = false;
	for (i = 0; i < f->cfg->problems.n; i++)
		if (strstr(f->cfg->problems.list[i], "service_sid is missing"))
			seen = true;
	assert_true(seen);
}

static void
test_vonage_ok(void **state)
{
	struct fx	*f = *state;

	fx_start(f, "fake_vonage.py", "ok", VN_KEYS);
	assert_int_equal(fx_begin(f), RD_OK);
	assert_int_equal(f->reply.status, 200);
	assert_string_equal(f->reply.code, "0");
	assert_int_equal(strlen(f->request_id), 32);
	assert_true(fx_logged(f, "\"path\": \"/verify/json\""));
	assert_true(fx_logged(f, "\"body\": \"api_key=abcd1234&api_secret="
	    "vonage-Secret%2B0123%2Fx&number=447700900123&brand=ACME&"
	    "code_length=6\""));
	assert_int_equal(fx_check(f, GOOD), RD_OK);
	assert_true(fx_logged(f, "\"path\": \"/verify/check/json\""));
	assert_true(fx_logged(f, "&code=" GOOD "\""));
	/* A finished request is unknown to Vonage: status 6. */
	assert_int_equal(fx_check(f, GOOD), RD_EXPIRED);
	assert_string_equal(f->reply.code, "6");
}

static void
test_vonage_wrong(void **state)
{
	struct fx	*f = *state;

	/* 18 characters (27 bytes): the most Vonage takes, sent whole. */
	fx_start(f, "fake_vonage.py", "ok", VN_KEYS "code_length = 4\n"
	    "brand = Zażółć gęślą jaźń!\n");
	assert_int_equal(fx_begin(f), RD_OK);
	assert_true(fx_logged(f, "&brand=Za%C5%BC%C3%B3%C5%82%C4%87%20g%C4%99"
	    "%C5%9Bl%C4%85%20ja%C5%BA%C5%84%21&code_length=4"));
	assert_int_equal(fx_check(f, "0000"), RD_INVALID_CODE);
	assert_string_equal(f->reply.code, "16");
	assert_string_equal(f->reply.message,
	    "The code provided does not match the expected value");
	assert_int_equal(fx_check(f, "0000"), RD_INVALID_CODE);
	assert_int_equal(fx_check(f, "0000"), RD_LOCKED_OUT);
	assert_string_equal(f->reply.code, "17");
}

static void
test_vonage_errors(void **state)
{
	static const struct {
		const char	*mode;
		bool		 at_start;
		enum rd_code	 rc;
		long		 status;
		const char	*code, *in_err;
	} cases[] = {
		{ "auth401", true, RD_BACKEND, 200, "4", "Bad Credentials" },
		{ "bad_number", true, RD_BACKEND, 200, "3", "number" },
		{ "concurrent", true, RD_BACKEND, 200, "10", "Concurrent" },
		{ "throttled", true, RD_BACKEND, 200, "1", "Throttled" },
		{ "server500", true, RD_BACKEND, 500, "", "unreadable body" },
		{ "malformed", true, RD_BACKEND, 200, "", "unreadable body" },
		{ "wrong_code", false, RD_INVALID_CODE, 200, "16", "match" },
		{ "max_attempts", false, RD_LOCKED_OUT, 200, "17", "too many" },
		{ "expired", false, RD_EXPIRED, 200, "6", "no longer" },
		{ "truncated", true, RD_NETWORK, 200, "", "127.0.0.1" },
	};
	struct fx	*f = *state;
	size_t		 i;
	enum rd_code	 rc;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fx_start(f, "fake_vonage.py", cases[i].mode, VN_KEYS);
		if (cases[i].at_start)
			rc = fx_begin(f);
		else {
			assert_int_equal(fx_begin(f), RD_OK);
			rc = fx_check(f, GOOD);
		}
		if (rc != cases[i].rc || strstr(f->err.msg,
		    cases[i].in_err) == NULL)
			fail_msg("%s: %d (%s)", cases[i].mode, rc, f->err.msg);
		assert_int_equal(f->reply.status, cases[i].status);
		assert_string_equal(f->reply.code, cases[i].code);
		assert_null(strstr(f->err.msg, VN_SECRET));
	}
}

/* A load of text: RD_OK, or RD_CONFIG with a problem holding says. */
static void
vonage_config(const char *text, enum rd_code rc, const char *says)
{
	struct config	*cfg = NULL;
	struct rd_err	 err;
	size_t		 i;
	bool		 seen = false;

	assert_int_equal(config_load_string(text, "v.conf", &cfg, &err), rc);
	for (i = 0; says != NULL && i < cfg->problems.n; i++)
		if (strstr(cfg->problems.list[i], says) != NULL)
			seen = true;
	if (says != NULL && !seen)
		fail_msg("no problem says '%s' (%s)", says, err.msg);
	config_free(cfg);
}

/* Vonage cuts a brand past 18 characters: config --check says so first. */
static void
test_vonage_brand_limit(void **state)
{
	(void)state;
	vonage_config("[method.v]\n" VN_KEYS "brand = A very long brand name\n",
	    RD_CONFIG, "v.conf:5: [method.v] brand: 'A very long brand name' "
	    "is 22 characters long; the provider takes at most 18 and would "
	    "cut the rest");
	vonage_config("[method.v]\n" VN_KEYS "brand = Zażółć gęślą jaźń!\n",
	    RD_OK, NULL);
	/* Unset, the issuer stands in: the same limit, named at the header. */
	vonage_config("[redoubt]\nissuer = ACME Help Desk Services\n"
	    "[method.v]\n" VN_KEYS, RD_CONFIG, "v.conf:3: [method.v] brand: "
	    "not set, so the issuer 'ACME Help Desk Services' (23 characters) "
	    "stands in, but the provider takes at most 18");
	vonage_config("[redoubt]\nissuer = ACME Help Desk Services\n"
	    "[method.v]\n" VN_KEYS "brand = ACME Help Desk\n", RD_OK, NULL);
	vonage_config("[redoubt]\nissuer = ACME Help Desk\n[method.v]\n"
	    VN_KEYS, RD_OK, NULL);
	/* No Vonage method, no limit on the issuer. */
	vonage_config("[redoubt]\nissuer = ACME Help Desk Services\n", RD_OK,
	    NULL);
}

static void
test_vonage_timeout(void **state)
{
	struct fx	*f = *state;

	fx_start(f, "fake_vonage.py", "hang", VN_KEYS "timeout = 1\n");
	assert_int_equal(fx_begin(f), RD_TIMEOUT);
	assert_true(f->reply.seconds < 2.5);
}

static void
test_vonage_transcript(void **state)
{
	struct fx	*f = *state;
	const char	*t;

	fx_start(f, "fake_vonage.py", "ok", VN_KEYS);
	f->call.transcript = &f->transcript;
	assert_int_equal(fx_begin(f), RD_OK);
	assert_int_equal(fx_check(f, "918273"), RD_INVALID_CODE);
	t = f->transcript.data;
	assert_non_null(strstr(t, "> api_key=abcd1234&api_secret=***&"));
	assert_non_null(strstr(t, "&code=***\n"));
	assert_non_null(strstr(t, "< {\"status\": \"16\""));
	assert_null(strstr(t, VN_SECRET));
	assert_null(strstr(t, "vonage-Secret%2B0123%2Fx"));
	assert_null(strstr(t, "918273"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)
		T(test_registry),
		T(test_twilio_approved),
		T(test_twilio_wrong_then_locked),
		T(test_twilio_errors),
		T(test_twilio_transcript),
		T(test_twilio_config),
		T(test_vonage_ok),
		T(test_vonage_wrong),
		T(test_vonage_brand_limit),
		T(test_vonage_errors),
		T(test_vonage_timeout),
		T(test_vonage_transcript),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
