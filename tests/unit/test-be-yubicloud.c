/*
 * test-be-yubicloud.c: the YubiCloud handler.  The signature against the
 * worked example of docs/protocols.md §5, the config check, and whole
 * exchanges with tests/servers/fake_yubicloud.py in each of its modes:
 * every answer that is not a signed, echoed OK must be refused, and the
 * transcript must never show the API key or the OTP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <yubikey.h>

#include "harness.h"
#include "../../backends/backend.h"
#include "../../src/kind.h"
#include "../../backends/yubicloud.h"
#include "../../src/config.h"
#include "../../src/util.h"

#define EX_KEY		"ZmFrZS1hcGkta2V5LWZvci10c3Q="
#define EX_OTP		"vvvvvvcucrlcietctckflvnncdgckubflugerlnr"
#define EX_NONCE	"askjdnkajsndjkasndkjsnad"
#define OTHER_KEY	"b3RoZXItYXBpLWtleS1mb3ItdGVzdHM="
#define PUBID		"ccccccbcgujh"

/* One fake server and a method configured against it. */
struct yc {
	pid_t			 pid;
	int			 port;
	char			*dir;
	char			 log[512];
	struct config		*cfg;
	const struct method_cfg	*m;
	struct rd_buf		 transcript;
	struct be_device	 dev;
	struct be_reply		 reply;
	struct rd_err		 err;
};

static void
test_sign_example(void **state)
{
	const struct yubicloud_pair	req[] = {
		{ "id", "87" }, { "otp", EX_OTP }, { "nonce", EX_NONCE },
		{ "timestamp", "1" }, { "sl", "50" }, { "timeout", "8" },
	};
	/* Shuffled, with an h that must not count. */
	const struct yubicloud_pair	resp[] = {
		{ "status", "OK" }, { "h", "ryNiaPioaujHj3+0ah15JAadvWs=" },
		{ "t", "2024-01-02T03:04:05Z0678" }, { "otp", EX_OTP },
		{ "sessionuse", "17" }, { "nonce", EX_NONCE }, { "sl", "100" },
		{ "timestamp", "8917344" }, { "sessioncounter", "19" },
	};
	unsigned char			key[YUBICLOUD_KEY_MAX];
	char				h[YUBICLOUD_SIG_SIZE];
	size_t				keylen;
	struct rd_err			err;

	(void)state;
	assert_true(yubicloud_key_decode(EX_KEY, key, &keylen));
	assert_int_equal(keylen, 20);
	assert_memory_equal(key, "fake-api-key-for-tst", 20);
	assert_int_equal(yubicloud_sign(req, 6, key, keylen, h, &err), RD_OK);
	assert_string_equal(h, "zh+C7qkADQqt2XHb7mIAzJbLTpc=");
	assert_int_equal(yubicloud_sign(resp, 9, key, keylen, h, &err), RD_OK);
	assert_string_equal(h, "ryNiaPioaujHj3+0ah15JAadvWs=");
	/* One value changed, another h. */
	assert_int_equal(yubicloud_sign(resp, 8, key, keylen, h, &err), RD_OK);
	assert_string_not_equal(h, "ryNiaPioaujHj3+0ah15JAadvWs=");

	assert_false(yubicloud_key_decode("", key, &keylen));
	assert_false(yubicloud_key_decode("not base64!", key, &keylen));
	assert_false(yubicloud_key_decode("ZmFrZS1hcGkta2V5LWZvci10c3Q",
	    key, &keylen));
}

static struct config *
load(const char *text, struct rd_err *err)
{
	struct config	*cfg = NULL;

	rd_err_clear(err);
	/* A config with problems is still returned: tests look at them. */
	rd_ignore(config_load_string(text, "test.conf", &cfg, err));
	return cfg;
}

static void
test_config_check(void **state)
{
	struct config	*cfg;
	struct rd_err	 err;
	size_t		 i;

	(void)state;
	cfg = load("[method.yc]\nhandler = yubicloud\nclient_id = 87\n"
	    "api_key = " EX_KEY "\n", &err);
	assert_int_equal(cfg->problems.n, 0);
	assert_string_equal(harness_cfg(&config_method(cfg, "yc")->own, "api_base"),
	    "https://api.yubico.com");
	assert_string_equal(method_source_field(config_method(cfg, "yc")),
	    "yubikey");
	config_free(cfg);

	cfg = load("[method.yc]\nhandler = yubicloud\nclient_id = 87a\n"
	    "api_key = c2VjcmV0LWJ1dC1ub3QtYmFzZTY0!!\n", &err);
	assert_int_equal(err.code, RD_CONFIG);
	assert_int_equal(cfg->problems.n, 2);
	assert_non_null(strstr(cfg->problems.list[0], "client_id"));
	assert_non_null(strstr(cfg->problems.list[0], "test.conf:3"));
	assert_non_null(strstr(cfg->problems.list[1], "api_key"));
	for (i = 0; i < cfg->problems.n; i++)
		assert_null(strstr(cfg->problems.list[i], "c2VjcmV0"));
	config_free(cfg);

	cfg = load("[method.yc]\nhandler = yubicloud\nclient_id = 0\n"
	    "api_key = " EX_KEY "\n", &err);
	assert_int_equal(cfg->problems.n, 1);
	config_free(cfg);
	/* Without an API key answers could be forged: it is required. */
	cfg = load("[method.yc]\nhandler = yubicloud\n", &err);
	assert_int_equal(cfg->problems.n, 2);
	assert_non_null(strstr(cfg->problems.list[0], "client_id is missing"));
	assert_non_null(strstr(cfg->problems.list[1], "api_key is missing"));
	config_free(cfg);
}

static void
test_enrol(void **state)
{
	const struct backend	*be = backend_find("yubicloud");
	struct be_call		 call = { 0 };
	struct be_device	 dev;
	struct rd_err		 err;

	(void)state;
	assert_non_null(be);
	assert_int_equal(be->kind, BE_DEVICE);
	memset(&dev, 0xa5, sizeof dev);
	assert_int_equal(be->device->enrol(&call, "", &dev, &err), RD_OK);
	assert_int_equal(dev.len, 0);
	assert_int_equal(dev.counter, -1);
	assert_string_equal(dev.public_id, "");
	assert_int_equal(be->device->enrol(&call, " \n", &dev, &err), RD_OK);
	assert_int_equal(be->device->enrol(&call, NULL, &dev, &err), RD_OK);
	assert_int_equal(be->device->enrol(&call, "00112233445566778899aabbccddeeff "
	    "a1b2c3d4e5f6", &dev, &err), RD_USAGE);
	assert_null(strstr(err.msg, "0011"));
}

/* A fresh OTP: the public id and 16 random bytes in modhex. */
static void
fresh_otp(char out[45])
{
	uint8_t	raw[16];

	randombytes_buf(raw, sizeof raw);
	memcpy(out, PUBID, 12);
	yubikey_modhex_encode(out + 12, (const char *)raw, sizeof raw);
}

/*
 * Start the fake in mode (server_key: its --api-key or NULL) and load a
 * method yc against it (client_key: api_key or NULL).  port < 0: point
 * the method at a port where nothing listens.
 */
static void
yc_start(struct yc *y, const char *mode, const char *server_key,
    const char *client_key, int timeout)
{
	char	*text;

	memset(y, 0, sizeof *y);
	y->dir = harness_tmpdir();
	assert_non_null(y->dir);
	snprintf(y->log, sizeof y->log, "%s/requests.log", y->dir);
	if (server_key != NULL)
		y->pid = harness_server("fake_yubicloud.py", &y->port,
		    "--mode", mode, "--log", y->log, "--lifetime", "20",
		    "--api-key", server_key, (char *)NULL);
	else
		y->pid = harness_server("fake_yubicloud.py", &y->port,
		    "--mode", mode, "--log", y->log, "--lifetime", "20",
		    (char *)NULL);
	assert_true(y->pid > 0);
	if (strcmp(mode, "refused") == 0) {
		/* A port that was just free: nothing listens on it now. */
		harness_server_stop(y->pid);
		y->pid = 0;
	}
	text = xasprintf("[method.yc]\nhandler = yubicloud\nclient_id = 87\n"
	    "%s%s%sapi_base = http://127.0.0.1:%d/\ntimeout = %d\n",
	    client_key ? "api_key = " : "", client_key ? client_key : "",
	    client_key ? "\n" : "", y->port, timeout);
	y->cfg = load(text, &y->err);
	free(text);
	assert_int_equal(y->cfg->problems.n, 0);
	y->m = config_method(y->cfg, "yc");
	assert_non_null(y->m);
	rd_buf_init(&y->transcript, 0);
	y->dev.counter = -1;
}

static enum rd_code
yc_validate(struct yc *y, const char *otp)
{
	struct be_call	call = { 0 };

	harness_be_call(y->m, &call);
	call.transcript = &y->transcript;
	memset(&y->reply, 0, sizeof y->reply);
	rd_err_clear(&y->err);
	return kind_backend(y->m)->device->validate(&call, &y->dev, otp, &y->reply, &y->err);
}

static void
yc_stop(struct yc *y)
{
	/* Whatever happened, neither secret is in the transcript. */
	assert_null(strstr(y->transcript.data, EX_KEY));
	assert_null(strstr(y->transcript.data, "ZmFrZS1hcGkta2V5"));
	assert_null(strstr(y->err.msg, "ZmFrZS1hcGkta2V5"));
	harness_server_stop(y->pid);
	rd_buf_free(&y->transcript);
	config_free(y->cfg);
	harness_rmdir(y->dir);
}

/* Expect rc and a message holding says. */
static void
yc_expect(struct yc *y, const char *otp, enum rd_code rc, const char *says)
{
	enum rd_code	got = yc_validate(y, otp);

	if (got != rc || (says != NULL && strstr(y->err.msg, says) == NULL))
		fail_msg("got %s '%s', expected %s with '%s'",
		    rd_code_name(got), y->err.msg, rd_code_name(rc),
		    says ? says : "");
	assert_int_equal(y->err.code, rc);
	if (strlen(otp) > 12)
		assert_null(strstr(y->transcript.data, otp + 12));
}

static void
test_ok_signed(void **state)
{
	struct yc	 y;
	char		 otp[45], *log, *h;

	(void)state;
	yc_start(&y, "ok", EX_KEY, EX_KEY, 5);
	fresh_otp(otp);
	yc_expect(&y, otp, RD_OK, NULL);
	assert_string_equal(y.reply.public_id, PUBID);
	assert_string_equal(y.reply.code, "OK");
	assert_int_equal(y.reply.status, 200);
	assert_int_equal(y.dev.counter, 19 << 8 | 1);
	assert_non_null(strstr(y.transcript.data, "/wsapi/2.0/verify"));
	assert_non_null(strstr(y.transcript.data, "status=OK"));

	/* The request went signed, h percent-encoded, with a long nonce. */
	log = harness_slurp(y.log);
	assert_non_null(log);
	assert_non_null(strstr(log, "\"raw_query\": \"id=87&nonce="));
	assert_non_null(strstr(log, "&timestamp=1&h="));
	assert_non_null(h = strstr(log, "&h="));
	assert_int_equal(strcspn(h + 3, "+/=\""), strcspn(h + 3, "\""));
	assert_non_null(strstr(h, "%3D\""));
	assert_int_equal(strspn(strstr(log, "nonce=") + 6,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
	    32);
	free(log);

	/* A second OTP moves the counter on; then a stored counter ahead
	 * of YubiCloud's is a replay here too. */
	fresh_otp(otp);
	yc_expect(&y, otp, RD_OK, NULL);
	assert_int_equal(y.dev.counter, 19 << 8 | 2);
	y.dev.counter = 19 << 8 | 50;
	fresh_otp(otp);
	yc_expect(&y, otp, RD_INVALID_CODE, "OTP was already used (replay)");
	assert_int_equal(y.dev.counter, 19 << 8 | 50);
	yc_stop(&y);
}

static void
test_ok_caps_lock(void **state)
{
	struct yc	 y;
	char		 otp[45];

	(void)state;
	yc_start(&y, "ok", EX_KEY, EX_KEY, 5);
	fresh_otp(otp);
	/* Caps lock: upper case is the same OTP. */
	for (size_t i = 0; otp[i] != '\0'; i++)
		otp[i] = (char)(otp[i] - 'a' + 'A');
	yc_expect(&y, otp, RD_OK, NULL);
	assert_string_equal(y.reply.public_id, PUBID);
	yc_stop(&y);
}

/*
 * Typed on a Dvorak layout (and with caps lock): YubiCloud gets the
 * modhex OTP, which the fake insists on, and that is what it echoes.
 */
static void
test_ok_dvorak(void **state)
{
	static const char	 from[] = "cbdefghijklnrtuv";
	static const char	 to[] = "jxe.uidchtnbpygk";
	struct yc		 y;
	char			 otp[45], typed[45], *log, *sent;
	const char		*p;
	size_t			 i;

	(void)state;
	yc_start(&y, "ok", EX_KEY, EX_KEY, 5);
	fresh_otp(otp);
	for (i = 0; otp[i] != '\0'; i++)
		typed[i] = to[strchr(from, otp[i]) - from];
	typed[i] = '\0';
	yc_expect(&y, typed, RD_OK, NULL);
	assert_string_equal(y.reply.public_id, PUBID);
	assert_int_equal(y.dev.counter, 19 << 8 | 1);
	log = harness_slurp(y.log);
	assert_non_null(log);
	sent = xasprintf("&otp=%s&", otp);
	assert_non_null(strstr(log, sent));
	free(sent);
	free(log);
	assert_null(strstr(y.transcript.data, typed + 12));
	/* The modhex spelling of the same OTP is the same OTP: replayed. */
	y.dev.counter = -1;
	yc_expect(&y, otp, RD_INVALID_CODE, "OTP was already used (replay)");

	/* Caps lock on Dvorak: upper-case letters, '.' stays. */
	fresh_otp(otp);
	for (i = 0; otp[i] != '\0'; i++) {
		typed[i] = to[strchr(from, otp[i]) - from];
		if (typed[i] != '.')
			typed[i] = (char)(typed[i] - 'a' + 'A');
	}
	yc_expect(&y, typed, RD_OK, NULL);
	/* Neither modhex nor Dvorak: refused here, never sent. */
	memcpy(typed + 12, "flrv", 4);
	yc_expect(&y, typed, RD_INVALID_CODE, "nor modhex typed on a Dvorak");
	/* Three requests went out (a line each), not a fourth. */
	log = harness_slurp(y.log);
	assert_non_null(log);
	for (i = 0, p = log; (p = strchr(p, '\n')) != NULL; p++)
		i++;
	assert_int_equal(i, 3);
	free(log);
	yc_stop(&y);
}

/* A method without an API key is refused before any request goes out. */
static void
test_unsigned_refused(void **state)
{
	struct config		*cfg;
	struct be_call		 call = { 0 };
	struct be_device	 dev;
	struct be_reply		 reply;
	struct rd_err		 err;
	char			 otp[45];

	(void)state;
	cfg = load("[method.yc]\nhandler = yubicloud\nclient_id = 87\n"
	    "api_base = http://127.0.0.1:9/\n", &err);
	assert_int_equal(err.code, RD_CONFIG);
	harness_be_call(config_method(cfg, "yc"), &call);
	memset(&dev, 0, sizeof dev);
	dev.counter = -1;
	memset(&reply, 0, sizeof reply);
	fresh_otp(otp);
	assert_int_equal(kind_backend(config_method(cfg, "yc"))->device->
	    validate(&call, &dev, otp, &reply, &err), RD_CONFIG);
	assert_non_null(strstr(err.msg, "api_key is missing"));
	assert_int_equal(reply.status, 0);
	config_free(cfg);
}

static void
test_replayed(void **state)
{
	struct yc	 y;
	char		 otp[45];

	(void)state;
	yc_start(&y, "ok", EX_KEY, EX_KEY, 5);
	fresh_otp(otp);
	yc_expect(&y, otp, RD_OK, NULL);
	y.dev.counter = -1;	/* so only YubiCloud can tell */
	yc_expect(&y, otp, RD_INVALID_CODE, "OTP was already used (replay)");
	assert_string_equal(y.reply.code, "REPLAYED_OTP");
	yc_stop(&y);
}

static void
test_forged(void **state)
{
	struct yc	 y;
	char		 otp[45];

	(void)state;
	yc_start(&y, "forged", EX_KEY, EX_KEY, 5);
	fresh_otp(otp);
	yc_expect(&y, otp, RD_BACKEND, "response signature does not verify");
	assert_string_equal(y.reply.public_id, "");
	assert_int_equal(y.dev.counter, -1);
	yc_stop(&y);

	/* Our key is not the server's: its BAD_SIGNATURE does not verify. */
	yc_start(&y, "ok", EX_KEY, OTHER_KEY, 5);
	fresh_otp(otp);
	yc_expect(&y, otp, RD_BACKEND, "unverified status BAD_SIGNATURE");
	yc_stop(&y);
}

static void
test_echoes(void **state)
{
	struct yc	 y;
	char		 otp[45];

	(void)state;
	yc_start(&y, "wrong_nonce", EX_KEY, EX_KEY, 5);
	fresh_otp(otp);
	yc_expect(&y, otp, RD_BACKEND, "does not echo our otp/nonce");
	assert_int_equal(y.dev.counter, -1);
	yc_stop(&y);
	yc_start(&y, "wrong_otp_echo", EX_KEY, EX_KEY, 5);
	fresh_otp(otp);
	yc_expect(&y, otp, RD_BACKEND, "does not echo our otp/nonce");
	yc_stop(&y);
}

static void
test_statuses(void **state)
{
	static const struct {
		const char	*mode, *code;
		enum rd_code	 rc;
		const char	*says;
	} cases[] = {
		{ "bad_otp", "BAD_OTP", RD_INVALID_CODE, "malformed" },
		{ "no_such_client", "NO_SUCH_CLIENT", RD_BACKEND,
		  "NO_SUCH_CLIENT" },
		{ "backend_error", "BACKEND_ERROR", RD_BACKEND, "try again" },
		{ "two_status", "", RD_BACKEND, "2 status lines" },
		{ "malformed", "", RD_BACKEND, "not key=value" },
		{ "http500", "", RD_BACKEND, "HTTP 500" },
	};
	struct yc	 y;
	char		 otp[45];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		yc_start(&y, cases[i].mode, EX_KEY, EX_KEY, 5);
		fresh_otp(otp);
		yc_expect(&y, otp, cases[i].rc, cases[i].says);
		assert_string_equal(y.reply.code, cases[i].code);
		assert_string_equal(y.reply.public_id, "");
		assert_int_equal(y.dev.counter, -1);
		if (strcmp(cases[i].mode, "http500") == 0)
			assert_int_equal(y.reply.status, 500);
		yc_stop(&y);
	}
}

static void
test_transport(void **state)
{
	struct yc	 y;
	char		 otp[45];

	(void)state;
	yc_start(&y, "hang", EX_KEY, EX_KEY, 1);
	fresh_otp(otp);
	yc_expect(&y, otp, RD_TIMEOUT, NULL);
	assert_true(y.reply.seconds < 3.0);
	yc_stop(&y);

	yc_start(&y, "refused", NULL, EX_KEY, 5);
	fresh_otp(otp);
	yc_expect(&y, otp, RD_NETWORK, NULL);
	yc_stop(&y);
}

static void
test_local_refusals(void **state)
{
	struct yc	 y;
	char		 otp[45], *log;

	(void)state;
	yc_start(&y, "ok", EX_KEY, EX_KEY, 5);
	snprintf(y.dev.public_id, sizeof y.dev.public_id, "%s", "ccccccbcgujj");
	fresh_otp(otp);
	yc_expect(&y, otp, RD_INVALID_CODE, "another YubiKey");
	assert_int_equal(y.dev.counter, -1);
	yc_expect(&y, "cccccc", RD_INVALID_CODE, "not a YubiKey OTP");
	yc_expect(&y, otp + 12, RD_INVALID_CODE, "not a YubiKey OTP");
	otp[20] = 'a';
	yc_expect(&y, otp, RD_INVALID_CODE, "not a YubiKey OTP");
	/* None of these left the machine. */
	log = harness_slurp(y.log);
	assert_true(log == NULL || *log == '\0');
	free(log);
	/* The bound key's own OTP passes. */
	snprintf(y.dev.public_id, sizeof y.dev.public_id, "%s", PUBID);
	fresh_otp(otp);
	yc_expect(&y, otp, RD_OK, NULL);
	yc_stop(&y);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_sign_example),
		cmocka_unit_test(test_config_check),
		cmocka_unit_test(test_enrol),
		cmocka_unit_test(test_ok_signed),
		cmocka_unit_test(test_ok_caps_lock),
		cmocka_unit_test(test_ok_dvorak),
		cmocka_unit_test(test_unsigned_refused),
		cmocka_unit_test(test_replayed),
		cmocka_unit_test(test_forged),
		cmocka_unit_test(test_echoes),
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_transport),
		cmocka_unit_test(test_local_refusals),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
