/*
 * test-be-http.c: backends/http.c and the three SMS handlers (sms_twilio,
 * sms_smsapi, sms_sns) against the fake providers of tests/servers/ on
 * loopback.  Each test starts its own server, configures a method whose
 * api_base points at it, calls the handler directly and checks both what
 * the handler reports and what the server logged.  The verify handlers
 * are in test-be-verify.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test-be-fix.h"

#include "../../backends/backend.h"
#include "../../src/kind.h"
#include "../../backends/http.h"
#include "../../src/util.h"

#define TW_SID		"ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define TW_TOKEN	"tw-token-0123456789abcdef"
#define TW_KEYS		"handler = sms_twilio\naccount_sid = " TW_SID "\n" \
			"auth_token = " TW_TOKEN "\nfrom = +15005550001\n"
#define SA_TOKEN	"smsapi-token-0123456789"
#define SA_KEYS		"handler = sms_smsapi\naccess_token = " SA_TOKEN "\n" \
			"from = Test\n"
#define SNS_KEY		"AKIDEXAMPLE0123456789"
#define SNS_SECRET	"sns-secret/0123456789+abcdefghij"
#define SNS_KEYS	"handler = sms_sns\naccess_key = " SNS_KEY "\n" \
			"secret_key = " SNS_SECRET "\nregion = eu-west-1\n"
#define CODE		"918273"

static int
fx_setup(void **state)
{
	return fx_new(state, "+15005550006", CODE);
}

/* A self-signed certificate for 127.0.0.1, made by openssl. */
static void
fx_cert(struct fx *f)
{
	char	*cmd = xasprintf("openssl req -x509 -newkey rsa:2048 -nodes "
	    "-subj /CN=localhost -addext "
	    "subjectAltName=DNS:localhost,IP:127.0.0.1 -days 1 "
	    "-keyout %s/key.pem -out %s/cert.pem 2>/dev/null", f->dir, f->dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void
fx_start(struct fx *f, const char *script, const char *mode)
{
	char	cert[512], key[512];

	if (f->tls) {
		fx_cert(f);
		snprintf(cert, sizeof cert, "%s/cert.pem", f->dir);
		snprintf(key, sizeof key, "%s/key.pem", f->dir);
		f->pid = harness_server(script, &f->port, "--mode", mode,
		    "--log", f->log, "--lifetime", "40", "--tls-cert", cert,
		    "--tls-key", key, NULL);
	} else
		f->pid = harness_server(script, &f->port, "--mode", mode,
		    "--log", f->log, "--lifetime", "40", NULL);
	assert_true(f->pid > 0);
}

/* [method.m] with keys, pointing at the server. */
static void
fx_load(struct fx *f, const char *keys)
{
	char		*text;
	enum rd_code	 rc;

	text = xasprintf("[redoubt]\nissuer = ACME\n\n[method.m]\n%s"
	    "api_base = %s://127.0.0.1:%d\n", keys, f->tls ? "https" : "http",
	    f->port);
	rc = config_load_string(text, "test.conf", &f->cfg, &f->err);
	free(text);
	if (rc != RD_OK)
		fail_msg("config: %s", f->err.msg);
	f->m = config_method(f->cfg, "m");
	assert_non_null(f->m);
	harness_be_call(f->m, &f->call);
}

static enum rd_code
fx_send(struct fx *f)
{
	memset(&f->reply, 0, sizeof f->reply);
	rd_err_clear(&f->err);
	return kind_backend(f->m)->code->send(&f->call, &f->msg, &f->reply, &f->err);
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

/* A port where nothing listens: bound once by us, then closed. */
static int
free_port(void)
{
	struct sockaddr_in	sa = { 0 };
	socklen_t		len = sizeof sa;
	int			fd = socket(AF_INET, SOCK_STREAM, 0), port;

	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static void
test_twilio_ok(void **state)
{
	struct fx	*f = *state;

	fx_start(f, "fake_twilio.py", "ok");
	fx_load(f, TW_KEYS);
	f->msg.test = true;
	assert_int_equal(fx_send(f), RD_OK);
	assert_int_equal(f->reply.status, 201);
	assert_non_null(strstr(f->reply.message, "queued SM"));
	assert_true(f->reply.seconds > 0);
	assert_true(fx_logged(f, "\"path\": \"/2010-04-01/Accounts/" TW_SID
	    "/Messages.json\""));
	/* '+' travels as %2B; the test marker comes first. */
	assert_true(fx_logged(f, "To=%2B15005550006&From=%2B15005550001&"
	    "Body=%5BTEST%5D%20Your%20verification%20code%20is%3A%20" CODE));
	assert_true(fx_logged(f, "\"User-Agent\": \"redoubt/0.1\""));
}

static void
test_twilio_service(void **state)
{
	struct fx	*f = *state;

	fx_start(f, "fake_twilio.py", "ok");
	fx_load(f, "handler = sms_twilio\naccount_sid = " TW_SID "\n"
	    "auth_token = " TW_TOKEN "\nmessaging_service_sid = MG123\n"
	    "body = {issuer} code {code} for {user}, {minutes} min\n");
	assert_int_equal(fx_send(f), RD_OK);
	assert_non_null(strstr(f->reply.message, "accepted"));
	assert_true(fx_logged(f, "MessagingServiceSid=MG123&Body=ACME%20code%20"
	    CODE "%20for%20alice%2C%2010%20min\""));
}

/*
 * Each provider's documented errors and the faults, one server each.  The
 * code and message are the provider's own, read from its body; a body
 * that cannot be read or ends early is an error, never a success.
 */
static void
test_errors(void **state)
{
	static const struct {
		const char	*script, *keys, *mode, *to;
		enum rd_code	 rc;
		long		 status;
		const char	*code, *message, *in_err;
	} cases[] = {
		{ "fake_twilio.py", TW_KEYS, "ok", "+1555", RD_BACKEND, 400,
		  "21211", "The 'To' number +1555 is not a valid phone number.",
		  "Twilio answered 400: 21211 The 'To' number" },
		{ "fake_twilio.py", "handler = sms_twilio\naccount_sid = " TW_SID
		  "\nauth_token = wrong-token-123\nfrom = +15005550001\n", "ok",
		  NULL, RD_BACKEND, 401, "20003", "Authenticate", "401" },
		{ "fake_twilio.py", TW_KEYS, "trial", NULL, RD_BACKEND, 400,
		  "21608", "The number +15005550006 is unverified", "21608" },
		{ "fake_twilio.py", TW_KEYS, "server500", NULL, RD_BACKEND, 500,
		  "20500", "Internal Server Error", "500" },
		{ "fake_twilio.py", TW_KEYS, "malformed", NULL, RD_BACKEND, 201,
		  "", "", "201 with an unreadable body" },
		{ "fake_twilio.py", TW_KEYS, "truncated", NULL, RD_NETWORK, 201,
		  "", "", "127.0.0.1" },
		{ "fake_smsapi.py", SA_KEYS, "ok", "+48 500", RD_BACKEND, 200,
		  "13", "No correct phone numbers", "error 13" },
		{ "fake_smsapi.py", "handler = sms_smsapi\naccess_token = "
		  "wrong-token-123\n", "ok", NULL, RD_BACKEND, 401, "101",
		  "Authorization failed", "401" },
		{ "fake_smsapi.py", SA_KEYS, "no_points", NULL, RD_BACKEND, 200,
		  "103", "Not enough points", "103" },
		{ "fake_smsapi.py", SA_KEYS, "ip_filter", NULL, RD_BACKEND, 401,
		  "105", "Authorization failed: IP", "105" },
		{ "fake_smsapi.py", SA_KEYS, "server500", NULL, RD_BACKEND, 500,
		  "201", "Internal system error", "500" },
		{ "fake_smsapi.py", SA_KEYS, "malformed", NULL, RD_BACKEND, 200,
		  "", "", "unreadable body" },
		{ "fake_smsapi.py", SA_KEYS, "truncated", NULL, RD_NETWORK, 200,
		  "", "", "127.0.0.1" },
		{ "fake_sns.py", "handler = sms_sns\naccess_key = " SNS_KEY "\n"
		  "secret_key = wrong-token-123\nregion = eu-west-1\n", "ok",
		  NULL, RD_BACKEND, 403, "SignatureDoesNotMatch",
		  "The request signature we", "403" },
		{ "fake_sns.py", "handler = sms_sns\naccess_key = AKIDWRONG\n"
		  "secret_key = " SNS_SECRET "\nregion = eu-west-1\n", "ok", NULL,
		  RD_BACKEND, 403, "InvalidClientTokenId",
		  "The security token included", "403" },
		{ "fake_sns.py", SNS_KEYS, "ok", "+1555", RD_BACKEND, 400,
		  "InvalidParameter", "Invalid parameter: PhoneNumber",
		  "SNS answered 400: InvalidParameter Invalid parameter" },
		{ "fake_sns.py", SNS_KEYS, "throttled", NULL, RD_BACKEND, 400,
		  "Throttling", "Rate exceeded", "Throttling" },
		{ "fake_sns.py", SNS_KEYS, "server500", NULL, RD_BACKEND, 500,
		  "InternalError", "An internal error occurred & we're sorry",
		  "500" },
		{ "fake_sns.py", SNS_KEYS, "malformed", NULL, RD_BACKEND, 200,
		  "", "", "unreadable body" },
		{ "fake_sns.py", SNS_KEYS, "truncated", NULL, RD_NETWORK, 200,
		  "", "", "127.0.0.1" },
	};
	struct fx	*f = *state;
	size_t		 i;
	enum rd_code	 rc;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fx_start(f, cases[i].script, cases[i].mode);
		fx_load(f, cases[i].keys);
		f->msg.to = cases[i].to ? cases[i].to : "+15005550006";
		rc = fx_send(f);
		if (rc != cases[i].rc || f->reply.status != cases[i].status ||
		    strcmp(f->reply.code, cases[i].code) != 0 ||
		    !str_has_prefix(f->reply.message, cases[i].message) ||
		    strstr(f->err.msg, cases[i].in_err) == NULL)
			fail_msg("%s %s: rc %d, status %ld, code '%s', message "
			    "'%s', err '%s'", cases[i].script, cases[i].mode,
			    rc, f->reply.status, f->reply.code,
			    f->reply.message, f->err.msg);
		assert_null(strstr(f->err.msg, "wrong-token-123"));
		assert_null(strstr(f->err.msg, SNS_SECRET));
		harness_server_stop(f->pid);
		f->pid = 0;
		config_free(f->cfg);
		f->cfg = NULL;
	}
}

static void
test_twilio_transcript(void **state)
{
	struct fx	*f = *state;
	const char	*t;

	fx_start(f, "fake_twilio.py", "ok");
	fx_load(f, TW_KEYS);
	f->call.transcript = &f->transcript;
	assert_int_equal(fx_send(f), RD_OK);
	t = f->transcript.data;
	assert_non_null(strstr(t, "> POST http://127.0.0.1:"));
	assert_non_null(strstr(t, "> Authorization: ***\n"));
	assert_non_null(strstr(t, "> User-Agent: redoubt/0.1\n"));
	assert_non_null(strstr(t, "> To=%2B15005550006&"));
	assert_non_null(strstr(t, "< HTTP 201\n"));
	assert_non_null(strstr(t, "< {\"sid\": \"SM"));
	assert_non_null(strstr(t, "***"));
	assert_null(strstr(t, TW_TOKEN));
	assert_null(strstr(t, CODE));
	assert_true(fx_logged(f, CODE));	/* it did travel */
}

static void
test_twilio_env(void **state)
{
	struct fx	*f = *state;

	fx_start(f, "fake_twilio.py", "ok");
	setenv("TWILIO_ACCOUNT_SID", TW_SID, 1);
	setenv("TWILIO_AUTH_TOKEN", TW_TOKEN, 1);
	fx_load(f, "handler = sms_twilio\nfrom = +15005550001\n");
	unsetenv("TWILIO_ACCOUNT_SID");
	unsetenv("TWILIO_AUTH_TOKEN");
	assert_string_equal(harness_cfg(&f->m->own, "account_sid"), TW_SID);
	assert_int_equal(fx_send(f), RD_OK);
	assert_int_equal(f->reply.status, 201);
}

static bool
has_problem(const struct config *cfg, const char *a, const char *b)
{
	size_t	i;

	for (i = 0; i < cfg->problems.n; i++)
		if (strstr(cfg->problems.list[i], a) != NULL &&
		    strstr(cfg->problems.list[i], b) != NULL)
			return true;
	for (i = 0; i < cfg->problems.n; i++)
		print_error("problem: %s\n", cfg->problems.list[i]);
	return false;
}

/*
 * Twilio refuses a Body past 1600 characters.  A line of the file holds
 * fewer; a body from the environment may not.  Placeholders count empty.
 */
static void
twilio_body_limit(struct fx *f)
{
	static const char	conf[] = "[method.t]\n" TW_KEYS
	    "body = env:RD_TEST_TWILIO_BODY\n";
	char			body[2000];

	/* 1600 characters (one of two bytes) and placeholders: fine. */
	memset(body, 'x', 1597);
	snprintf(body + 1597, sizeof body - 1597, "\xc3\xb3 {code}{user}"
	    "{issuer}{minutes}");
	assert_int_equal(setenv("RD_TEST_TWILIO_BODY", body, 1), 0);
	assert_int_equal(config_load_string(conf, "test.conf", &f->cfg,
	    &f->err), RD_OK);
	config_free(f->cfg);
	body[0] = 'y';
	memmove(body + 1, body, strlen(body) + 1);
	assert_int_equal(setenv("RD_TEST_TWILIO_BODY", body, 1), 0);
	assert_int_equal(config_load_string(conf, "test.conf", &f->cfg,
	    &f->err), RD_CONFIG);
	assert_true(has_problem(f->cfg, "test.conf:6: [method.t] body:",
	    "1601 characters without its placeholders; Twilio refuses a "
	    "message longer than 1600"));
	unsetenv("RD_TEST_TWILIO_BODY");
}

static void
test_config_check(void **state)
{
	struct fx	*f = *state;
	char		 where[64];

	assert_int_equal(config_load_string("[redoubt]\n\n[method.x]\n"
	    "handler = sms_twilio\naccount_sid = AC1\nauth_token = t0k3n\n",
	    "test.conf", &f->cfg, &f->err), RD_CONFIG);
	/* The line the core gives the section (its header or first key). */
	snprintf(where, sizeof where, "test.conf:%d: [method.x]",
	    config_method(f->cfg, "x")->line);
	assert_true(has_problem(f->cfg, where, "from or "
	    "messaging_service_sid is missing"));
	config_free(f->cfg);
	unsetenv("TWILIO_ACCOUNT_SID");
	assert_int_equal(config_load_string("[method.y]\nhandler = sms_twilio\n"
	    "auth_token = t0k3n\nfrom = +1500\n", "test.conf", &f->cfg,
	    &f->err), RD_CONFIG);
	assert_true(has_problem(f->cfg, "account_sid", "TWILIO_ACCOUNT_SID"));
	config_free(f->cfg);
	assert_int_equal(config_load_string("[method.z]\nhandler = sms_sns\n"
	    "access_key = k\nsecret_key = s\nregion = eu west\n"
	    "api_base = ftp://x\n", "test.conf", &f->cfg, &f->err), RD_CONFIG);
	assert_true(has_problem(f->cfg, "test.conf:5:", "region"));
	assert_true(has_problem(f->cfg, "test.conf:6:", "api_base"));
	config_free(f->cfg);
	f->cfg = NULL;
	twilio_body_limit(f);
}

static void
test_refused(void **state)
{
	struct fx	*f = *state;

	f->port = free_port();
	fx_load(f, TW_KEYS);
	f->call.transcript = &f->transcript;
	assert_int_equal(fx_send(f), RD_NETWORK);
	assert_non_null(strstr(f->err.msg, "127.0.0.1"));
	assert_non_null(strstr(f->err.msg, "onnect"));
	assert_null(strstr(f->err.msg, TW_TOKEN));
	assert_int_equal(f->reply.status, 0);
	assert_non_null(strstr(f->transcript.data, "< (no answer"));
	assert_null(strstr(f->transcript.data, CODE));
}

static void
test_timeout(void **state)
{
	struct fx	*f = *state;

	fx_start(f, "fake_twilio.py", "hang");
	fx_load(f, TW_KEYS "timeout = 1\n");
	assert_int_equal(fx_send(f), RD_TIMEOUT);
	assert_true(f->reply.seconds >= 0.9 && f->reply.seconds < 2.5);
	assert_non_null(strstr(f->err.msg, "127.0.0.1"));
}

static void
test_slow_and_cancel(void **state)
{
	struct fx	*f = *state;
	volatile int	 cancel = 1;

	fx_start(f, "fake_smsapi.py", "slow");
	fx_load(f, SA_KEYS "timeout = 5\n");
	assert_int_equal(fx_send(f), RD_OK);
	assert_true(f->reply.seconds >= 1.9);
	f->call.cancel = &cancel;
	assert_int_equal(fx_send(f), RD_NETWORK);
	assert_non_null(strstr(f->err.msg, "cancelled"));
	assert_true(f->reply.seconds < 1.5);
}

static void
test_too_large(void **state)
{
	struct fx	*f = *state;

	fx_start(f, "fake_smsapi.py", "huge");
	fx_load(f, SA_KEYS);
	assert_int_equal(fx_send(f), RD_NETWORK);
	assert_non_null(strstr(f->err.msg, "response too large"));
}

static void
test_https(void **state)
{
	struct fx	*f = *state;
	char		*keys;

	f->tls = true;
	fx_start(f, "fake_twilio.py", "ok");
	fx_load(f, TW_KEYS);
	f->call.transcript = &f->transcript;
	assert_int_equal(fx_send(f), RD_NETWORK);
	/* Said to be TLS, with libcurl's reason, and no HTTP status. */
	assert_non_null(strstr(f->err.msg, "127.0.0.1: TLS handshake failed: "
	    "SSL certificate problem: self-signed certificate"));
	assert_true(str_has_prefix(f->reply.tls, "TLS handshake failed: SSL "
	    "certificate problem"));
	assert_int_equal(f->reply.status, 0);
	assert_non_null(strstr(f->transcript.data, "< (no answer: TLS "
	    "handshake failed: "));
	f->call.transcript = NULL;
	config_free(f->cfg);
	keys = xasprintf(TW_KEYS "ca_file = %s/cert.pem\n", f->dir);
	fx_load(f, keys);
	free(keys);
	assert_int_equal(fx_send(f), RD_OK);
	assert_int_equal(f->reply.status, 201);
	assert_string_equal(f->reply.tls, "");
}

/* https:// to a server that speaks plain HTTP: the handshake fails. */
static void
test_https_to_http(void **state)
{
	struct fx	*f = *state;
	char		*text;

	fx_start(f, "fake_twilio.py", "ok");
	text = xasprintf("[method.m]\n" TW_KEYS "api_base = https://127.0.0.1:"
	    "%d\n", f->port);
	assert_int_equal(config_load_string(text, "test.conf", &f->cfg,
	    &f->err), RD_OK);
	free(text);
	f->m = config_method(f->cfg, "m");
	harness_be_call(f->m, &f->call);
	assert_int_equal(fx_send(f), RD_NETWORK);
	assert_non_null(strstr(f->err.msg, "127.0.0.1: TLS handshake failed: "));
	assert_true(str_has_prefix(f->reply.tls, "TLS handshake failed: "));
	assert_int_equal(f->reply.status, 0);
}

static void
test_smsapi_ok(void **state)
{
	struct fx	*f = *state;

	fx_start(f, "fake_smsapi.py", "ok");
	fx_load(f, SA_KEYS);
	f->msg.to = "+48500100200";
	f->msg.test = true;
	f->call.transcript = &f->transcript;
	assert_int_equal(fx_send(f), RD_OK);
	assert_int_equal(f->reply.status, 200);
	assert_non_null(strstr(f->reply.message, "QUEUE"));
	assert_true(fx_logged(f, "\"Authorization\": \"Bearer " SA_TOKEN "\""));
	assert_true(fx_logged(f, "\"body\": \"to=48500100200&message=%5BTEST%5D"
	    "%20Your%20verification%20code%20is%3A%20" CODE "&from=Test&"
	    "format=json&encoding=utf-8\""));
	assert_non_null(strstr(f->transcript.data, "> Authorization: ***\n"));
	assert_null(strstr(f->transcript.data, SA_TOKEN));
	assert_null(strstr(f->transcript.data, CODE));
}

static void
test_sns_ok(void **state)
{
	struct fx	*f = *state;
	const char	*t;

	fx_start(f, "fake_sns.py", "ok");
	fx_load(f, SNS_KEYS);
	f->call.transcript = &f->transcript;
	assert_int_equal(fx_send(f), RD_OK);
	assert_int_equal(f->reply.status, 200);
	assert_true(str_has_prefix(f->reply.message, "MessageId "));
	assert_true(fx_logged(f, "\"body\": \"Action=Publish&PhoneNumber="
	    "%2B15005550006&Message=Your%20verification%20code%20is%3A%20" CODE
	    "&Version=2010-03-31\""));
	assert_true(fx_logged(f, "\"Authorization\": \"AWS4-HMAC-SHA256 "
	    "Credential=" SNS_KEY "/"));
	t = f->transcript.data;
	assert_non_null(strstr(t, "> Authorization: ***\n"));
	assert_non_null(strstr(t, "<MessageId>"));
	assert_null(strstr(t, SNS_KEY));
	assert_null(strstr(t, SNS_SECRET));
	assert_null(strstr(t, CODE));
}

static void
test_http_helpers(void **state)
{
	static const char *const redact[] = { "s3cr+t/x", "ab", NULL };
	struct rd_buf	 b;
	char		*u;

	(void)state;
	rd_buf_init(&b, 0);
	http_form_add(&b, "a", "x y+z&");
	http_form_add(&b, "B", "s3cr+t/x");
	assert_string_equal(b.data, "a=x%20y%2Bz%26&B=s3cr%2Bt%2Fx");
	rd_buf_addstr(&b, " s3cr+t/x ab");
	http_redact(&b, redact);
	assert_string_equal(b.data, "a=x%20y%2Bz%26&B=*** *** ab");
	rd_buf_free(&b);
	/* A secret that is *** itself (found by fuzz-smtp: it looped). */
	rd_buf_init(&b, 0);
	rd_buf_addstr(&b, "*** 550 no ****");
	http_redact(&b, (const char *const[]){ "***", "****", NULL });
	assert_string_equal(b.data, "*** 550 no ***");
	rd_buf_free(&b);
	u = http_url("http://h:1//", "/sms.do");
	assert_string_equal(u, "http://h:1/sms.do");
	free(u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)
		T(test_http_helpers),
		T(test_twilio_ok),
		T(test_twilio_service),
		T(test_errors),
		T(test_twilio_transcript),
		T(test_twilio_env),
		T(test_config_check),
		T(test_refused),
		T(test_timeout),
		T(test_slow_and_cancel),
		T(test_too_large),
		T(test_https),
		T(test_https_to_http),
		T(test_smsapi_ok),
		T(test_sns_ok),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
