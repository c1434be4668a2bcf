/*
 * test-flow-device.c: the device kind through the whole core: activating
 * an offline YubiKey reads its key material through ctx.ask, confirming
 * binds the key's public id, logins accept only that key, and a replayed
 * or older OTP is refused.  OTPs come from Debian's ykgenerate; the
 * YubiCloud case runs against the loopback fake of the service.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define AESKEY	"ecde18dbe76fbd0c33330f1c354871db"
#define PRIVID	"8792ebfe26cc"

/* A 44-char OTP: public id + ykgenerate's token for (ctr, use). */
static void
otp(const char *pubid, const char *key, int ctr, int use, char *out)
{
	char	 cmd[256], tok[64] = "";
	FILE	*fp;

	snprintf(cmd, sizeof cmd, "ykgenerate %s %s %04x 0000 00 %02x", key,
	    PRIVID, ctr, use);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	assert_non_null(fgets(tok, sizeof tok, fp));
	pclose(fp);
	tok[strcspn(tok, "\n")] = '\0';
	assert_int_equal(strlen(tok), 32);
	snprintf(out, 64, "%s%s", pubid, tok);
}

static char *
login(struct harness_core *h, const char *name)
{
	cJSON	*out;
	char	*tok;

	harness_answer(h, "pw");
	assert_int_equal(harness_cmd(h, &out, "login", name, NULL), RD_OK);
	tok = strdup(harness_str(out, "ephemeral_token"));
	cmd_result_free(out);
	return tok;
}

static void
test_yubikey_offline(void **state)
{
	struct harness_core	 h;
	cJSON			*out;
	char			 o[64], *tok;
	struct rd_err		 err;

	(void)state;
	harness_core_open(&h, "[method.key]\nhandler = yubikey\n");
	harness_answer(&h, "pw");
	assert_int_equal(harness_run(&h, &err, "user add", "yuri",
	    "--password-stdin", NULL), RD_OK);
	/* Bad key material is refused and nothing is kept. */
	harness_answer(&h, "not-hex " PRIVID);
	assert_int_equal(harness_run(&h, &err, "activate", "yuri", "key", NULL),
	    RD_USAGE);
	assert_null(strstr(err.msg, "not-hex"));
	assert_int_equal(harness_cmd(&h, &out, "methods", "yuri", NULL), RD_OK);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out,
	    "methods")), 0);
	cmd_result_free(out);

	harness_answer(&h, AESKEY " " PRIVID);
	assert_int_equal(harness_cmd(&h, &out, "activate", "yuri", "key", NULL),
	    RD_OK);
	assert_string_equal(harness_str(out, "state"), "pending");
	cmd_result_free(out);
	otp("ccccccbcgujh", AESKEY, 1, 1, o);
	assert_int_equal(harness_run(&h, &err, "confirm", "yuri", "key", o,
	    NULL), RD_OK);

	tok = login(&h, "yuri");
	/* Replay of the confirm OTP, then an older counter pair. */
	assert_int_equal(harness_run(&h, &err, "login-code", tok, o, NULL),
	    RD_INVALID_CODE);
	otp("ccccccbcgujh", AESKEY, 1, 0, o);
	assert_int_equal(harness_run(&h, &err, "login-code", tok, o, NULL),
	    RD_INVALID_CODE);
	/* Another key's public id is not the bound one. */
	otp("ccccccbcgujj", AESKEY, 2, 0, o);
	assert_int_equal(harness_run(&h, &err, "login-code", tok, o, NULL),
	    RD_INVALID_CODE);
	otp("ccccccbcgujh", AESKEY, 2, 0, o);
	assert_int_equal(harness_cmd(&h, &out, "login-code", tok, o, NULL),
	    RD_OK);
	assert_string_equal(harness_str(out, "method_used"), "key");
	cmd_result_free(out);
	free(tok);
	/* Nothing to send for a device. */
	assert_int_equal(harness_run(&h, &err, "request-code", "yuri", "key",
	    NULL), RD_NOT_ALLOWED);
	harness_core_close(&h);
}

/*
 * YubiCloud through the core (against tests/servers/fake_yubicloud.py):
 * activation needs no key material, confirm binds the key's public id,
 * and a login accepts only that key; a replay is refused by the service.
 */
static void
test_yubicloud(void **state)
{
	struct harness_core	 h;
	struct rd_err		 err;
	char			*conf, *tok;
	int			 port;
	pid_t			 pid;
	cJSON			*out;
	const char		*tail = "hknhfjbrjnlnldnhcujvddbikngjrtgh";
	char			 o[64];

	(void)state;
	pid = harness_server("fake_yubicloud.py", &port, "--api-key",
	    "ZmFrZS1hcGkta2V5LWZvci10c3Q=", "--lifetime", "30", NULL);
	assert_true(pid > 0);
	conf = malloc(256);
	snprintf(conf, 256, "[method.cloud]\nhandler = yubicloud\n"
	    "client_id = 87\napi_key = ZmFrZS1hcGkta2V5LWZvci10c3Q=\n"
	    "api_base = http://127.0.0.1:%d\n", port);
	harness_core_open(&h, conf);
	free(conf);
	harness_answer(&h, "pw");
	assert_int_equal(harness_run(&h, &err, "user add", "yves",
	    "--password-stdin", NULL), RD_OK);
	assert_int_equal(harness_run(&h, &err, "activate", "yves", "cloud",
	    NULL), RD_OK);
	snprintf(o, sizeof o, "ccccccbcgujh%s", tail);
	assert_int_equal(harness_run(&h, &err, "confirm", "yves", "cloud", o,
	    NULL), RD_OK);
	tok = login(&h, "yves");
	/* The same OTP again: the service says it was replayed. */
	assert_int_equal(harness_run(&h, &err, "login-code", tok, o, NULL),
	    RD_INVALID_CODE);
	/* A valid OTP of another key is not this user's key. */
	snprintf(o, sizeof o, "ccccccbcgujj%s", tail);
	assert_int_equal(harness_run(&h, &err, "login-code", tok, o, NULL),
	    RD_INVALID_CODE);
	o[11] = 'h';
	o[40] = 'c';	/* a fresh OTP of the bound key */
	assert_int_equal(harness_cmd(&h, &out, "login-code", tok, o, NULL),
	    RD_OK);
	assert_string_equal(harness_str(out, "method_used"), "cloud");
	cmd_result_free(out);
	free(tok);
	harness_core_close(&h);
	harness_server_stop(pid);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yubikey_offline),
		cmocka_unit_test(test_yubicloud),
	};

	return cmocka_run_group_tests_name("flow-device", tests, NULL, NULL);
}
