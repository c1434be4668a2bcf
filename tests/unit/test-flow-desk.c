/*
 * test-flow-desk.c: the core behind two operator actions of the desk.
 * `user rename` checks the new name as `user add` does, refuses a taken
 * or missing one, and leaves a user who still logs in with every method
 * and backup code, audited under both names with the chain intact.
 * `user show` tells of each method when it was enrolled and last used
 * (stamped by every accepted code, in confirm and login-code alike, and
 * not by a refused one) and what its kind may tell: a YubiKey's public
 * id, an HOTP counter, app parameters that are not the default, a masked
 * destination; never a secret, and nothing read from a method whose
 * handler the config has since changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define AESKEY	"ecde18dbe76fbd0c33330f1c354871db"
#define PRIVID	"8792ebfe26cc"
#define PUBID	"ccccccbcgujh"
/* A new name with a letter outside ASCII. */
#define NEWNAME	"al\xc3\xad" "ce.smith"

static struct rd_err	e;

static const char *const conf =
    "[redoubt]\nresend_cooldown = 0\n"
    "[method.app]\nhandler = totp\n"
    "[method.app8]\nhandler = totp\ndigits = 8\nperiod = 60\n"
    "algorithm = sha256\n"
    "[method.counter]\nhandler = hotp\n"
    "[method.email]\nhandler = outbox\nsource_field = email\n"
    "[method.sms]\nhandler = outbox\nsource_field = phone\n"
    "[method.key]\nhandler = yubikey\n";

#define RUN(want, ...) do { enum rd_code r_ = harness_run(&h, &e, \
	__VA_ARGS__, NULL); if (r_ != (want)) fail_msg("%s: %s (%s)", \
	#__VA_ARGS__, rd_code_name(r_), e.msg); } while (0)

/* A 44-character OTP of the test key for (ctr, use), from ykgenerate. */
static void
otp(int ctr, int use, char *out)
{
	char	 cmd[256], tok[64] = "";
	FILE	*fp;

	snprintf(cmd, sizeof cmd, "ykgenerate %s %s %04x 0000 00 %02x",
	    AESKEY, PRIVID, ctr, use);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	assert_non_null(fgets(tok, sizeof tok, fp));
	pclose(fp);
	tok[strcspn(tok, "\n")] = '\0';
	assert_int_equal(strlen(tok), 32);
	snprintf(out, 64, "%s%.32s", PUBID, tok);
}

/* Activate and confirm an app method; returns its otpauth URI. */
static char *
enrol_app(struct harness_core *hp, const char *user, const char *method,
    int period, int digits)
{
	cJSON	*out;
	char	 code[16], *uri;

	assert_int_equal(harness_cmd(hp, &out, "activate", user, method,
	    NULL), RD_OK);
	uri = strdup(harness_str(out, "otpauth_uri"));
	cmd_result_free(out);
	harness_otp(uri, period > 0 ? hp->henv.now / period : 0, digits,
	    code);
	assert_int_equal(harness_run(hp, &e, "confirm", user, method, code,
	    NULL), RD_OK);
	return uri;
}

/* The method of a `user show` result. */
static const cJSON *
shown(const cJSON *show, const char *name)
{
	const cJSON	*m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(show,
	    "methods"))
		if (strcmp(cJSON_GetObjectItemCaseSensitive(m, "name")->
		    valuestring, name) == 0)
			return m;
	fail_msg("no method %s shown", name);
	return NULL;
}

static double
num(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v))
		fail_msg("no number %s", key);
	return v->valuedouble;
}

static bool
has(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key) != NULL;
}

/* The base32 secret of an otpauth URI, into out. */
static void
uri_secret(const char *uri, char *out, size_t size)
{
	const char	*p = strstr(uri, "secret=");

	assert_non_null(p);
	p += 7;
	snprintf(out, size, "%.*s", (int)strcspn(p, "&"), p);
}

static char *
login(struct harness_core *hp, const char *user)
{
	cJSON	*out;
	char	*tok;

	harness_answer(hp, "user-pw");
	assert_int_equal(harness_cmd(hp, &out, "login", user, NULL), RD_OK);
	tok = strdup(harness_str(out, "ephemeral_token"));
	cmd_result_free(out);
	return tok;
}

/* The audit row of action (the newest), its user and detail. */
static void
audit_row(struct harness_core *hp, const char *action, char *user,
    char *detail)
{
	cJSON		*out;
	const cJSON	*r;

	assert_int_equal(harness_cmd(hp, &out, "audit list", NULL), RD_OK);
	user[0] = detail[0] = '\0';
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(out, "entries"))
		if (strcmp(harness_str(r, "action"), action) == 0) {
			snprintf(user, 256, "%s", harness_str(r, "user"));
			snprintf(detail, 256, "%s", harness_str(r, "detail"));
		}
	cmd_result_free(out);
}

static void
test_rename(void **state)
{
	struct harness_core	 h;
	cJSON			*out;
	char			 code[16], backup[16], user[256], detail[256];
	char			 longname[140], *uri, *tok;

	(void)state;
	harness_core_open(&h, conf);
	harness_answer(&h, "user-pw");
	RUN(RD_OK, "user add", "alice", "--email", "alice@example.com",
	    "--phone", "+15551234567", "--password-stdin");
	RUN(RD_OK, "user add", "carol");
	uri = enrol_app(&h, "alice", "app", 30, 6);
	h.henv.now += 30;
	harness_otp(uri, h.henv.now / 30, 6, code);
	RUN(RD_OK, "activate", "alice", "email", code);
	harness_outbox_code(&h, code);
	RUN(RD_OK, "confirm", "alice", "email", code);

	/* Bad new names, as user add refuses them; nothing changes. */
	RUN(RD_USAGE, "user rename", "alice", "has space");
	RUN(RD_USAGE, "user rename", "alice", "");
	RUN(RD_USAGE, "user rename", "alice", "evil\x1b[31m");
	RUN(RD_USAGE, "user rename", "alice", "m\xc2\x9b" "2J");
	RUN(RD_USAGE, "user rename", "alice", "bad\xff");
	/* Authenticator apps refuse a ':' in an account name. */
	RUN(RD_USAGE, "user rename", "alice", "a:b");
	assert_non_null(strstr(e.msg, "':' is not allowed"));
	memset(longname, 'x', 129);
	longname[129] = '\0';
	RUN(RD_USAGE, "user rename", "alice", longname);
	/* Taken, the same, or no such user. */
	RUN(RD_EXISTS, "user rename", "alice", "carol");
	assert_non_null(strstr(e.msg, "carol"));
	RUN(RD_EXISTS, "user rename", "alice", "alice");
	RUN(RD_NOT_FOUND, "user rename", "nobody", "zed");
	RUN(RD_OK, "user show", "alice");

	assert_int_equal(harness_cmd(&h, &out, "user rename", "alice",
	    NEWNAME, NULL), RD_OK);
	assert_string_equal(harness_str(out, "user"), NEWNAME);
	assert_string_equal(harness_str(out, "old_name"), "alice");
	cmd_result_free(out);
	RUN(RD_NOT_FOUND, "user show", "alice");
	audit_row(&h, "user rename", user, detail);
	assert_string_equal(user, "alice");
	assert_string_equal(detail, "new name: " NEWNAME);

	/* The same user: password, app, e-mail code and backup codes. */
	harness_answer(&h, "user-pw");
	RUN(RD_BAD_CREDENTIALS, "login", "alice");
	h.henv.now += 30;
	tok = login(&h, NEWNAME);
	harness_otp(uri, h.henv.now / 30, 6, code);
	assert_int_equal(harness_cmd(&h, &out, "login-code", tok, code, NULL),
	    RD_OK);
	assert_string_equal(harness_str(out, "user"), NEWNAME);
	assert_string_equal(harness_str(out, "method_used"), "app");
	cmd_result_free(out);
	free(tok);
	RUN(RD_OK, "request-code", NEWNAME, "email");
	harness_outbox_code(&h, code);
	h.henv.now += 30;
	harness_otp(uri, h.henv.now / 30, 6, backup);
	assert_int_equal(harness_cmd(&h, &out, "backup-codes",
	    NEWNAME, backup, NULL), RD_OK);
	snprintf(backup, sizeof backup, "%s", cJSON_GetArrayItem(
	    cJSON_GetObjectItemCaseSensitive(out, "backup_codes"),
	    0)->valuestring);
	cmd_result_free(out);
	tok = login(&h, NEWNAME);
	RUN(RD_OK, "login-code", tok, code, "--method", "email");
	free(tok);
	tok = login(&h, NEWNAME);
	RUN(RD_OK, "login-code", tok, backup);
	free(tok);

	/* The name can come back, and the log still verifies. */
	RUN(RD_OK, "user rename", NEWNAME, "alice");
	harness_core_reopen(&h);
	assert_int_equal(harness_cmd(&h, &out, "audit verify", NULL), RD_OK);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(out, "ok")));
	cmd_result_free(out);
	free(uri);
	harness_core_close(&h);
}

static void
test_method_facts(void **state)
{
	struct harness_core	 h;
	cJSON			*out;
	const cJSON		*m;
	char			 o[64], code[16], secret[64], *json, *tok;
	char			*uri, *uri8, *urih;
	int64_t			 t0;

	(void)state;
	harness_core_open(&h, conf);
	harness_answer(&h, "user-pw");
	RUN(RD_OK, "user add", "alice", "--email", "alice@example.com",
	    "--phone", "+15551234567", "--password-stdin");
	t0 = h.henv.now;
	uri = enrol_app(&h, "alice", "app", 30, 6);
	h.henv.now += 100;
	/* A code from the new app is needed for each further method. */
	harness_otp(uri, h.henv.now / 30, 6, code);
	assert_int_equal(harness_cmd(&h, &out, "activate", "alice", "app8",
	    code, NULL), RD_OK);
	uri8 = strdup(harness_str(out, "otpauth_uri"));
	cmd_result_free(out);
	assert_int_equal(harness_cmd(&h, &out, "user show", "alice", NULL),
	    RD_OK);
	m = shown(out, "app8");
	assert_int_equal((int64_t)num(m, "enrolled"), t0 + 100);
	assert_int_equal((int64_t)num(m, "last_used"), 0);
	assert_string_equal(harness_str(m, "state"), "pending");
	m = shown(out, "app");
	assert_int_equal((int64_t)num(m, "enrolled"), t0);
	/* Used at confirm, then again as the proof for app8. */
	assert_int_equal((int64_t)num(m, "last_used"), t0 + 100);
	cmd_result_free(out);

	harness_otp(uri8, h.henv.now / 60, 8, code);
	RUN(RD_OK, "confirm", "alice", "app8", code);
	h.henv.now += 60;
	harness_otp(uri, h.henv.now / 30, 6, code);
	assert_int_equal(harness_cmd(&h, &out, "activate", "alice", "counter",
	    code, NULL), RD_OK);
	urih = strdup(harness_str(out, "otpauth_uri"));
	cmd_result_free(out);
	harness_otp(urih, 0, 6, code);
	RUN(RD_OK, "confirm", "alice", "counter", code);
	h.henv.now += 30;
	harness_otp(uri, h.henv.now / 30, 6, code);
	RUN(RD_OK, "activate", "alice", "email", code);
	harness_outbox_code(&h, code);
	RUN(RD_OK, "confirm", "alice", "email", code);
	h.henv.now += 30;
	harness_otp(uri, h.henv.now / 30, 6, code);
	RUN(RD_OK, "activate", "alice", "sms", code);
	h.henv.now += 30;
	harness_otp(uri, h.henv.now / 30, 6, code);
	harness_answer(&h, AESKEY " " PRIVID);
	RUN(RD_OK, "activate", "alice", "key", code);
	assert_int_equal(harness_cmd(&h, &out, "user show", "alice", NULL),
	    RD_OK);
	/* Before the first OTP no key is bound: no public id yet. */
	assert_false(has(shown(out, "key"), "public_id"));
	cmd_result_free(out);
	otp(1, 1, o);
	RUN(RD_OK, "confirm", "alice", "key", o);

	/* A refused code changes nothing; a login stamps the method used. */
	h.henv.now += 1000;
	tok = login(&h, "alice");
	RUN(RD_INVALID_CODE, "login-code", tok, "00000000", "--method",
	    "app8");
	harness_otp(urih, 1, 6, code);
	RUN(RD_OK, "login-code", tok, code, "--method", "counter");
	free(tok);

	assert_int_equal(harness_cmd(&h, &out, "user show", "alice", NULL),
	    RD_OK);
	m = shown(out, "app");
	assert_false(has(m, "digits") || has(m, "period") ||
	    has(m, "algorithm") || has(m, "counter"));
	m = shown(out, "app8");
	assert_int_equal((int)num(m, "digits"), 8);
	assert_int_equal((int)num(m, "period"), 60);
	assert_string_equal(harness_str(m, "algorithm"), "SHA256");
	assert_false(has(m, "counter"));
	assert_int_not_equal((int64_t)num(m, "last_used"), h.henv.now);
	m = shown(out, "counter");
	/* Codes 0 (confirm) and 1 (login) were used: 2 is next. */
	assert_int_equal((int)num(m, "counter"), 2);
	assert_int_equal((int64_t)num(m, "last_used"), h.henv.now);
	m = shown(out, "email");
	assert_string_equal(harness_str(m, "destination"), "a***@example.com");
	assert_true(num(m, "last_used") > 0);
	m = shown(out, "sms");
	assert_string_equal(harness_str(m, "state"), "pending");
	assert_string_equal(harness_str(m, "destination"), "+*********67");
	assert_int_equal((int64_t)num(m, "last_used"), 0);
	m = shown(out, "key");
	assert_string_equal(harness_str(m, "public_id"), PUBID);
	assert_false(has(m, "destination") || has(m, "counter"));
	/* Nothing secret anywhere in the answer. */
	json = cJSON_PrintUnformatted(out);
	assert_null(strstr(json, AESKEY));
	assert_null(strstr(json, PRIVID));
	assert_null(strstr(json, "secret"));
	uri_secret(uri, secret, sizeof secret);
	assert_null(strstr(json, secret));
	uri_secret(urih, secret, sizeof secret);
	assert_null(strstr(json, secret));
	cJSON_free(json);
	cmd_result_free(out);

	/*
	 * The config now says key is an app: its stored bytes are a
	 * device's, so no fact is read from them.
	 */
	config_free(h.cfg);
	assert_int_equal(config_load_string("[method.key]\nhandler = totp\n"
	    "[method.app]\nhandler = totp\n", "test.conf", &h.cfg, &e),
	    RD_OK);
	h.ctx.cfg = h.cfg;
	assert_int_equal(harness_cmd(&h, &out, "user show", "alice", NULL),
	    RD_OK);
	m = shown(out, "key");
	assert_false(has(m, "public_id") || has(m, "counter"));
	assert_true(num(m, "enrolled") > 0);
	m = shown(out, "email");
	assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m,
	    "in_config")));
	assert_false(has(m, "destination"));
	cmd_result_free(out);
	free(uri);
	free(uri8);
	free(urih);
	harness_core_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rename),
		cmocka_unit_test(test_method_facts),
	};

	return cmocka_run_group_tests_name("flow-desk", tests, NULL, NULL);
}
