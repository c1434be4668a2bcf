/*
 * test-flow.c: every flow of DESIGN.md §3 driven through the command
 * table with a fixed clock and random stream: enrolment, two-step login,
 * replay, windows, expiry of codes and tokens, attempt caps, lockout with
 * doubling, require_code_to_add and its operator bypass, cooldowns,
 * primary rules and backup codes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define OK(h, ...)	do { struct rd_err e_; enum rd_code r_ = \
	harness_run(h, &e_, __VA_ARGS__, NULL); if (r_ != RD_OK) \
	fail_msg("%s: %s", rd_code_name(r_), e_.msg); } while (0)
#define REFUSED(h, code, ...) assert_int_equal(harness_run(h, NULL_ERR, \
	__VA_ARGS__, NULL), code)
static struct rd_err	null_err;
#define NULL_ERR	(&null_err)

static void
add_user(struct harness_core *h, const char *name)
{
	char	email[128];

	snprintf(email, sizeof email, "%s@example.com", name);
	harness_answer(h, "secret-pw");
	OK(h, "user add", name, "--email", email, "--phone", "+15551234567",
	    "--password-stdin");
}

/* Enrol name in an app method; returns the otpauth URI (free it). */
static char *
enrol_app(struct harness_core *h, const char *name, const char *method)
{
	cJSON	*out;
	char	 code[16], *uri;

	assert_int_equal(harness_cmd(h, &out, "activate", name, method, NULL),
	    RD_OK);
	assert_string_equal(harness_str(out, "state"), "pending");
	uri = strdup(harness_str(out, "otpauth_uri"));
	cmd_result_free(out);
	harness_otp(uri, h->henv.now / 30, 6, code);
	OK(h, "confirm", name, method, code);
	return uri;
}

static char *
login(struct harness_core *h, const char *name)
{
	cJSON	*out;
	char	*tok;

	harness_answer(h, "secret-pw");
	assert_int_equal(harness_cmd(h, &out, "login", name, NULL), RD_OK);
	assert_string_equal(harness_str(out, "status"), "mfa_required");
	tok = strdup(harness_str(out, "ephemeral_token"));
	cmd_result_free(out);
	return tok;
}

static void
test_app_enrol_and_login(void **state)
{
	struct harness_core	 h;
	cJSON			*out, *codes;
	char			 code[16], *uri, *tok;

	(void)state;
	harness_core_open(&h, NULL);
	add_user(&h, "alice");
	assert_int_equal(harness_cmd(&h, &out, "activate", "alice", "app",
	    NULL), RD_OK);
	uri = strdup(harness_str(out, "otpauth_uri"));
	assert_non_null(strstr(uri, "otpauth://totp/redoubt:alice?secret="));
	cmd_result_free(out);
	REFUSED(&h, RD_INVALID_CODE, "confirm", "alice", "app", "000000");
	harness_otp(uri, h.henv.now / 30, 6, code);
	assert_int_equal(harness_cmd(&h, &out, "confirm", "alice", "app", code,
	    NULL), RD_OK);
	assert_string_equal(harness_str(out, "state"), "active");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(out, "primary")));
	codes = cJSON_GetObjectItem(out, "backup_codes");
	assert_int_equal(cJSON_GetArraySize(codes), 10);
	assert_int_equal(strlen(cJSON_GetArrayItem(codes, 0)->valuestring), 10);
	cmd_result_free(out);

	tok = login(&h, "alice");
	/* The code just used at confirm is spent: replay refused. */
	REFUSED(&h, RD_INVALID_CODE, "login-code", tok, code);
	harness_otp(uri, h.henv.now / 30 + 1, 6, code);
	assert_int_equal(harness_cmd(&h, &out, "login-code", tok, code, NULL),
	    RD_OK);
	assert_string_equal(harness_str(out, "method_used"), "app");
	assert_string_equal(harness_str(out, "user"), "alice");
	cmd_result_free(out);
	/* The token is spent too. */
	h.henv.now += 60;
	harness_otp(uri, h.henv.now / 30, 6, code);
	REFUSED(&h, RD_BAD_STATE, "login-code", tok, code);
	free(tok);
	free(uri);
	harness_core_close(&h);
}

static void
test_totp_window(void **state)
{
	struct harness_core	 h;
	char			 code[16], *uri, *tok;
	int64_t			 step;

	(void)state;
	harness_core_open(&h, NULL);
	add_user(&h, "bob");
	uri = enrol_app(&h, "bob", "app");
	h.henv.now += 300;
	step = h.henv.now / 30;
	tok = login(&h, "bob");
	harness_otp(uri, step + 2, 6, code);
	REFUSED(&h, RD_INVALID_CODE, "login-code", tok, code);
	harness_otp(uri, step - 2, 6, code);
	REFUSED(&h, RD_INVALID_CODE, "login-code", tok, code);
	harness_otp(uri, step + 1, 6, code);
	OK(&h, "login-code", tok, code);
	free(tok);
	/* A step before the last accepted one is a replay even in window. */
	tok = login(&h, "bob");
	harness_otp(uri, step, 6, code);
	REFUSED(&h, RD_INVALID_CODE, "login-code", tok, code);
	free(tok);
	free(uri);
	harness_core_close(&h);
}

static void
test_token_expiry(void **state)
{
	struct harness_core	 h;
	char			 code[16], *uri, *tok;

	(void)state;
	harness_core_open(&h, NULL);
	add_user(&h, "carol");
	uri = enrol_app(&h, "carol", "app");
	tok = login(&h, "carol");
	h.henv.now += 299;
	harness_otp(uri, h.henv.now / 30, 6, code);
	OK(&h, "login-code", tok, code);
	free(tok);
	tok = login(&h, "carol");
	h.henv.now += 300;
	harness_otp(uri, h.henv.now / 30, 6, code);
	REFUSED(&h, RD_EXPIRED, "login-code", tok, code);
	REFUSED(&h, RD_EXPIRED, "login-code", "no-such-token", code);
	free(tok);
	free(uri);
	harness_core_close(&h);
}

static void
test_backup_codes(void **state)
{
	struct harness_core	 h;
	cJSON			*out;
	char			 code[16], first[32], upper[40], *uri, *tok;
	size_t			 i;

	(void)state;
	harness_core_open(&h, NULL);
	add_user(&h, "dave");
	assert_int_equal(harness_cmd(&h, &out, "activate", "dave", "app",
	    NULL), RD_OK);
	uri = strdup(harness_str(out, "otpauth_uri"));
	cmd_result_free(out);
	harness_otp(uri, h.henv.now / 30, 6, code);
	assert_int_equal(harness_cmd(&h, &out, "confirm", "dave", "app", code,
	    NULL), RD_OK);
	snprintf(first, sizeof first, "%s", cJSON_GetArrayItem(
	    cJSON_GetObjectItem(out, "backup_codes"), 0)->valuestring);
	/* Typed in upper case with a dash: still the same code. */
	for (i = 0; first[i]; i++)
		upper[i + (i >= 5)] = (char)(first[i] >= 'a' && first[i] <= 'z' ?
		    first[i] - 32 : first[i]);
	upper[5] = '-';
	upper[strlen(first) + 1] = '\0';
	snprintf(code, sizeof code, "%s", cJSON_GetArrayItem(
	    cJSON_GetObjectItem(out, "backup_codes"), 1)->valuestring);
	cmd_result_free(out);

	tok = login(&h, "dave");
	assert_int_equal(harness_cmd(&h, &out, "login-code", tok, upper, NULL),
	    RD_OK);
	assert_string_equal(harness_str(out, "method_used"), "backup_codes");
	cmd_result_free(out);
	free(tok);
	tok = login(&h, "dave");
	REFUSED(&h, RD_INVALID_CODE, "login-code", tok, first);
	/* Regeneration needs a code and kills the old set. */
	REFUSED(&h, RD_NOT_ALLOWED, "backup-codes", "dave");
	OK(&h, "backup-codes", "dave", first[0] ? code : code);
	REFUSED(&h, RD_INVALID_CODE, "login-code", tok, code);
	free(tok);
	free(uri);
	harness_core_close(&h);
}

/*
 * A second use of a backup code says so, and is still a counted failure
 * that logs nobody in; a code that never was one is only wrong.
 */
static void
test_backup_spent(void **state)
{
	struct harness_core	 h;
	struct rd_err		 e;
	cJSON			*out;
	char			 code[16], first[32], *uri, *tok;

	(void)state;
	harness_core_open(&h, NULL);
	add_user(&h, "dave");
	assert_int_equal(harness_cmd(&h, &out, "activate", "dave", "app",
	    NULL), RD_OK);
	uri = strdup(harness_str(out, "otpauth_uri"));
	cmd_result_free(out);
	harness_otp(uri, h.henv.now / 30, 6, code);
	assert_int_equal(harness_cmd(&h, &out, "confirm", "dave", "app", code,
	    NULL), RD_OK);
	snprintf(first, sizeof first, "%s", cJSON_GetArrayItem(
	    cJSON_GetObjectItem(out, "backup_codes"), 0)->valuestring);
	cmd_result_free(out);
	tok = login(&h, "dave");
	OK(&h, "login-code", tok, first);
	free(tok);
	tok = login(&h, "dave");
	assert_int_equal(harness_run(&h, &e, "login-code", tok, first, NULL),
	    RD_INVALID_CODE);
	assert_string_equal(e.msg, "that backup code was already used");
	assert_int_equal(harness_run(&h, &e, "login-code", tok, "zzzz2345zz",
	    NULL), RD_INVALID_CODE);
	assert_string_equal(e.msg, "wrong code");
	/* Both counted; the token still waits for a good code. */
	assert_int_equal(harness_cmd(&h, &out, "user", "show", "dave", NULL),
	    RD_OK);
	assert_int_equal(cJSON_GetObjectItem(out, "failures")->valueint, 2);
	cmd_result_free(out);
	/* Also where a backup code proves an operator's step. */
	assert_int_equal(harness_run(&h, &e, "backup-codes", "dave", first,
	    NULL), RD_INVALID_CODE);
	assert_string_equal(e.msg, "that backup code was already used");
	h.henv.now += 30;
	harness_otp(uri, h.henv.now / 30, 6, code);
	OK(&h, "login-code", tok, code);
	free(tok);
	free(uri);
	harness_core_close(&h);
}

static void
test_channel_expiry(void **state)
{
	struct harness_core	 h;
	cJSON			*out;
	char			 code[16];

	(void)state;
	harness_core_open(&h, NULL);
	add_user(&h, "erin");
	add_user(&h, "fred");
	assert_int_equal(harness_cmd(&h, &out, "activate", "erin", "email",
	    NULL), RD_OK);
	assert_string_equal(harness_str(out, "sent_to"), "e***@example.com");
	assert_int_equal((int)cJSON_GetObjectItem(out, "expires_in")->valuedouble,
	    600);
	cmd_result_free(out);
	harness_outbox_code(&h, code);
	assert_int_equal(strlen(code), 6);
	h.henv.now += 599;
	OK(&h, "confirm", "erin", "email", code);

	OK(&h, "activate", "fred", "email");
	harness_outbox_code(&h, code);
	h.henv.now += 600;
	REFUSED(&h, RD_EXPIRED, "confirm", "fred", "email", code);
	harness_core_close(&h);
}

static void
test_channel_attempts(void **state)
{
	struct harness_core	h;
	char			code[16];
	int			i;

	(void)state;
	harness_core_open(&h, "[redoubt]\nlockout_threshold = 100\n");
	add_user(&h, "gina");
	OK(&h, "activate", "gina", "sms");
	harness_outbox_code(&h, code);
	for (i = 0; i < 5; i++)
		REFUSED(&h, RD_INVALID_CODE, "confirm", "gina", "sms", "999999");
	/* The code died with its fifth wrong try. */
	REFUSED(&h, RD_INVALID_CODE, "confirm", "gina", "sms", code);
	harness_core_close(&h);
}

static void
test_lockout(void **state)
{
	struct harness_core	 h;
	struct rd_err		 e;
	char			 code[16], *uri, *tok;
	int			 i;

	(void)state;
	harness_core_open(&h, "[redoubt]\nlockout_threshold = 3\n"
	    "lockout_seconds = 60\n");
	add_user(&h, "hank");
	uri = enrol_app(&h, "hank", "app");
	h.henv.now += 100;
	tok = login(&h, "hank");
	for (i = 0; i < 3; i++)
		REFUSED(&h, RD_INVALID_CODE, "login-code", tok, "000000");
	harness_otp(uri, h.henv.now / 30, 6, code);
	REFUSED(&h, RD_LOCKED_OUT, "login-code", tok, code);
	/* Kept in the vault, not in memory. */
	harness_core_reopen(&h);
	REFUSED(&h, RD_LOCKED_OUT, "login-code", tok, code);
	h.henv.now += 60;
	harness_otp(uri, h.henv.now / 30, 6, code);
	for (i = 0; i < 3; i++)
		REFUSED(&h, RD_INVALID_CODE, "login-code", tok, "000000");
	/* The second lock lasts twice as long; what is left, in words. */
	assert_int_equal(harness_run(&h, &e, "login-code", tok, code, NULL),
	    RD_LOCKED_OUT);
	assert_string_equal(e.msg, "user hank is locked for another 2 minutes "
	    "after too many failed attempts");
	h.henv.now += 119;
	harness_otp(uri, h.henv.now / 30, 6, code);
	assert_int_equal(harness_run(&h, &e, "login-code", tok, code, NULL),
	    RD_LOCKED_OUT);
	assert_string_equal(e.msg, "user hank is locked for another 1 second "
	    "after too many failed attempts");
	h.henv.now += 1;
	OK(&h, "login-code", tok, code);
	free(tok);
	/* The password step is locked the same way; unlock lifts it. */
	for (i = 0; i < 3; i++) {
		harness_answer(&h, "wrong");
		REFUSED(&h, RD_BAD_CREDENTIALS, "login", "hank");
	}
	harness_answer(&h, "secret-pw");
	REFUSED(&h, RD_LOCKED_OUT, "login", "hank");
	OK(&h, "user unlock", "hank");
	free(login(&h, "hank"));
	free(uri);
	harness_core_close(&h);
}

static void
test_require_code_to_add(void **state)
{
	struct harness_core	 h;
	char			 code[16], *uri;

	(void)state;
	harness_core_open(&h, NULL);
	add_user(&h, "ivan");
	uri = enrol_app(&h, "ivan", "app");
	REFUSED(&h, RD_NOT_ALLOWED, "activate", "ivan", "email");
	REFUSED(&h, RD_INVALID_CODE, "activate", "ivan", "email", "123456");
	REFUSED(&h, RD_EXISTS, "activate", "ivan", "app");
	harness_otp(uri, h.henv.now / 30 + 1, 6, code);
	OK(&h, "activate", "ivan", "email", code);
	/* The operator's reset removes everything and bypasses the rule. */
	OK(&h, "user reset", "ivan");
	OK(&h, "activate", "ivan", "email");
	free(uri);
	harness_core_close(&h);
}

static void
test_inactive_and_credentials(void **state)
{
	struct harness_core	 h;
	cJSON			*out;

	(void)state;
	harness_core_open(&h, NULL);
	harness_answer(&h, "pw1");
	OK(&h, "user add", "judy", "--inactive", "--password-stdin");
	harness_answer(&h, "pw1");
	REFUSED(&h, RD_INACTIVE_USER, "login", "judy");
	REFUSED(&h, RD_INACTIVE_USER, "activate", "judy", "app");
	OK(&h, "user set", "judy", "--active");
	harness_answer(&h, "pw1");
	assert_int_equal(harness_cmd(&h, &out, "login", "judy", NULL), RD_OK);
	assert_string_equal(harness_str(out, "status"), "ok");
	cmd_result_free(out);
	harness_answer(&h, "pw1");
	REFUSED(&h, RD_BAD_CREDENTIALS, "login", "nobody");
	REFUSED(&h, RD_USAGE, "user add", "bad name");
	REFUSED(&h, RD_USAGE, "user add", "kim", "--email", "no-at-sign");
	REFUSED(&h, RD_USAGE, "user add", "kim", "--phone", "5551234");
	REFUSED(&h, RD_NOT_FOUND, "user show", "kim");
	REFUSED(&h, RD_EXISTS, "user add", "judy");
	harness_core_close(&h);
}

static void
test_cooldown_and_resend(void **state)
{
	struct harness_core	 h;
	struct rd_err		 e;
	char			 first[16], second[16];

	(void)state;
	harness_core_open(&h, NULL);
	add_user(&h, "lena");
	OK(&h, "activate", "lena", "email");
	harness_outbox_code(&h, first);
	REFUSED(&h, RD_NOT_ALLOWED, "request-code", "lena", "email");
	/* How long, in words: never "1 seconds". */
	h.henv.now += 29;
	assert_int_equal(harness_run(&h, &e, "request-code", "lena", "email",
	    NULL), RD_NOT_ALLOWED);
	assert_string_equal(e.msg, "a code for email was sent 29 seconds ago; "
	    "wait 1 second before another");
	h.henv.now += 1;
	OK(&h, "request-code", "lena", "email");
	harness_outbox_code(&h, second);
	assert_string_not_equal(first, second);
	/* A new code replaces the old one. */
	REFUSED(&h, RD_INVALID_CODE, "confirm", "lena", "email", first);
	OK(&h, "confirm", "lena", "email", second);
	REFUSED(&h, RD_NOT_ALLOWED, "request-code", "lena", "app");
	harness_core_close(&h);
}

static void
test_primary_and_deactivate(void **state)
{
	struct harness_core	 h;
	cJSON			*out;
	char			 code[16], *uri;

	(void)state;
	harness_core_open(&h, "[redoubt]\nresend_cooldown = 0\n");
	add_user(&h, "mike");
	uri = enrol_app(&h, "mike", "app");
	harness_otp(uri, h.henv.now / 30 + 1, 6, code);
	OK(&h, "activate", "mike", "email", code);
	harness_outbox_code(&h, code);
	assert_int_equal(harness_cmd(&h, &out, "confirm", "mike", "email", code,
	    NULL), RD_OK);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(out, "primary")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out,
	    "backup_codes")), 0);
	cmd_result_free(out);
	REFUSED(&h, RD_NOT_ALLOWED, "deactivate", "mike", "app");
	REFUSED(&h, RD_NOT_ALLOWED, "deactivate", "mike", "email");
	/* The new primary proves itself with its own code. */
	OK(&h, "request-code", "mike", "email");
	harness_outbox_code(&h, code);
	REFUSED(&h, RD_INVALID_CODE, "primary", "mike", "email", "000000");
	OK(&h, "primary", "mike", "email", code);
	h.henv.now += 60;
	harness_otp(uri, h.henv.now / 30, 6, code);
	OK(&h, "deactivate", "mike", "app", code);
	assert_int_equal(harness_cmd(&h, &out, "methods", "mike", NULL), RD_OK);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out, "methods")),
	    1);
	cmd_result_free(out);
	free(uri);
	harness_core_close(&h);
}

static void
test_hotp(void **state)
{
	struct harness_core	 h;
	cJSON			*out;
	char			 code[16], *uri, *tok;

	(void)state;
	harness_core_open(&h, "[method.key]\nhandler = hotp\nwindow = 5\n"
	    "algorithm = sha256\ndigits = 8\n");
	add_user(&h, "nina");
	assert_int_equal(harness_cmd(&h, &out, "activate", "nina", "key", NULL),
	    RD_OK);
	uri = strdup(harness_str(out, "otpauth_uri"));
	assert_non_null(strstr(uri, "otpauth://hotp/"));
	assert_non_null(strstr(uri, "algorithm=SHA256&digits=8&counter=0"));
	cmd_result_free(out);
	harness_otp(uri, 0, 8, code);
	OK(&h, "confirm", "nina", "key", code);
	tok = login(&h, "nina");
	harness_otp(uri, 0, 8, code);
	REFUSED(&h, RD_INVALID_CODE, "login-code", tok, code);
	harness_otp(uri, 6, 8, code);
	REFUSED(&h, RD_INVALID_CODE, "login-code", tok, code);
	harness_otp(uri, 5, 8, code);
	OK(&h, "login-code", tok, code);
	free(tok);
	free(uri);
	harness_core_close(&h);
}

static void
test_login_sends_through_primary(void **state)
{
	struct harness_core	 h;
	cJSON			*out;
	char			 code[16], *tok;

	(void)state;
	harness_core_open(&h, "[redoubt]\nresend_cooldown = 0\ncode_digits = 8\n");
	add_user(&h, "olga");
	OK(&h, "activate", "olga", "sms");
	harness_outbox_code(&h, code);
	assert_int_equal(strlen(code), 8);
	OK(&h, "confirm", "olga", "sms", code);
	harness_answer(&h, "secret-pw");
	assert_int_equal(harness_cmd(&h, &out, "login", "olga", NULL), RD_OK);
	assert_string_equal(harness_str(out, "method"), "sms");
	assert_string_equal(harness_str(out, "sent_to"), "+*********67");
	tok = strdup(harness_str(out, "ephemeral_token"));
	cmd_result_free(out);
	/* Resend during the login replaces the code. */
	OK(&h, "request-code", "--token", tok);
	harness_outbox_code(&h, code);
	OK(&h, "login-code", tok, code, "--method", "sms");
	free(tok);
	harness_core_close(&h);
}

static void
test_audit_chain(void **state)
{
	struct harness_core	 h;
	cJSON			*out;

	(void)state;
	harness_core_open(&h, NULL);
	add_user(&h, "pat");
	free(enrol_app(&h, "pat", "app"));
	assert_int_equal(harness_cmd(&h, &out, "audit", "verify", NULL), RD_OK);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(out, "ok")));
	assert_true(cJSON_GetObjectItem(out, "rows")->valuedouble >= 3);
	cmd_result_free(out);
	harness_core_close(&h);
}

static void
test_backup_codes_not_everywhere(void **state)
{
	struct harness_core	 h;
	cJSON			*out;
	char			 code[16], b1[32], b2[32], *uri, *tok;

	(void)state;
	harness_core_open(&h, "[redoubt]\nbackup_codes_everywhere = false\n");
	add_user(&h, "quin");
	assert_int_equal(harness_cmd(&h, &out, "activate", "quin", "app", NULL),
	    RD_OK);
	uri = strdup(harness_str(out, "otpauth_uri"));
	cmd_result_free(out);
	harness_otp(uri, h.henv.now / 30, 6, code);
	assert_int_equal(harness_cmd(&h, &out, "confirm", "quin", "app", code,
	    NULL), RD_OK);
	snprintf(b1, sizeof b1, "%s", cJSON_GetArrayItem(cJSON_GetObjectItem(
	    out, "backup_codes"), 0)->valuestring);
	snprintf(b2, sizeof b2, "%s", cJSON_GetArrayItem(cJSON_GetObjectItem(
	    out, "backup_codes"), 1)->valuestring);
	cmd_result_free(out);
	/* Not for adding a method or with a named method... */
	REFUSED(&h, RD_INVALID_CODE, "activate", "quin", "email", b1);
	tok = login(&h, "quin");
	REFUSED(&h, RD_INVALID_CODE, "login-code", tok, b1, "--method", "app");
	/* ...but as a login's second step, yes. */
	OK(&h, "login-code", tok, b2);
	free(tok);
	free(uri);
	harness_core_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_app_enrol_and_login),
		cmocka_unit_test(test_totp_window),
		cmocka_unit_test(test_token_expiry),
		cmocka_unit_test(test_backup_codes),
		cmocka_unit_test(test_backup_spent),
		cmocka_unit_test(test_backup_codes_not_everywhere),
		cmocka_unit_test(test_channel_expiry),
		cmocka_unit_test(test_channel_attempts),
		cmocka_unit_test(test_lockout),
		cmocka_unit_test(test_require_code_to_add),
		cmocka_unit_test(test_inactive_and_credentials),
		cmocka_unit_test(test_cooldown_and_resend),
		cmocka_unit_test(test_primary_and_deactivate),
		cmocka_unit_test(test_hotp),
		cmocka_unit_test(test_login_sends_through_primary),
		cmocka_unit_test(test_audit_chain),
	};

	return cmocka_run_group_tests_name("flow", tests, NULL, NULL);
}
