/*
 * test-user.c: what a user record may hold (src/user.c) and the names
 * that go into otpauth URIs: a ':' is refused in a new user name and in
 * the issuer (the Key URI Format forbids it in both), and a user of an
 * older vault whose name has one is refused an app method, before the
 * proof code is spent, but keeps every other method.  Phone numbers are
 * taken as people write them and kept in E.164, or refused in words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../src/user.h"

#define OK(h, ...)	do { struct rd_err e_; enum rd_code r_ = \
	harness_run(h, &e_, __VA_ARGS__, NULL); if (r_ != RD_OK) \
	fail_msg("%s: %s", rd_code_name(r_), e_.msg); } while (0)

static void
test_name_colon(void **state)
{
	struct harness_core	h;
	struct rd_err		err;

	(void)state;
	assert_int_equal(user_name_check("alice", &err), RD_OK);
	assert_int_equal(user_name_check("alice@example.com", &err), RD_OK);
	assert_int_equal(user_name_check("bob:x", &err), RD_USAGE);
	assert_non_null(strstr(err.msg, "'bob:x'"));
	assert_non_null(strstr(err.msg, "':' is not allowed"));
	assert_non_null(strstr(err.msg, "authenticator apps"));
	/* The other refusals keep their message, which repeats nothing. */
	assert_int_equal(user_name_check("a b", &err), RD_USAGE);
	assert_null(strstr(err.msg, "a b"));
	assert_int_equal(user_name_check("", &err), RD_USAGE);
	/* Looking a user up still takes the name of an older vault. */
	assert_true(user_name_ok("bob:x"));

	harness_core_open(&h, NULL);
	assert_int_equal(harness_run(&h, &err, "user add", "bob:x", NULL),
	    RD_USAGE);
	assert_non_null(strstr(err.msg, "'bob:x'"));
	assert_int_equal(harness_run(&h, &err, "user show", "bob:x", NULL),
	    RD_NOT_FOUND);
	OK(&h, "user add", "bob");
	harness_core_close(&h);
}

static void
test_issuer_colon(void **state)
{
	struct config	*cfg = NULL;
	struct rd_err	 err;

	(void)state;
	assert_int_equal(config_load_string("[redoubt]\nissuer = ACME: Help "
	    "Desk\n", "t.conf", &cfg, &err), RD_CONFIG);
	assert_non_null(strstr(err.msg, "t.conf:2: [redoubt] issuer: "
	    "'ACME: Help Desk' has a ':'"));
	assert_non_null(strstr(err.msg, "authenticator apps"));
	config_free(cfg);
	assert_int_equal(config_load_string("[redoubt]\nissuer = ACME Help "
	    "Desk\n", "t.conf", &cfg, &err), RD_OK);
	config_free(cfg);
}

/* A user with a ':' in the name, as `user add` made them before. */
static void
add_old_user(struct harness_core *h, const char *name)
{
	struct vault_user	u;
	struct rd_err		err;

	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "%s", name);
	u.active = true;
	u.created = h->henv.now;
	assert_int_equal(vault_begin(h->ctx.vault, &err), RD_OK);
	assert_int_equal(vault_user_add(h->ctx.vault, &u, &err), RD_OK);
	assert_int_equal(vault_commit(h->ctx.vault, &err), RD_OK);
}

static void
test_old_colon_user(void **state)
{
	struct harness_core	 h;
	struct rd_err		 err;
	cJSON			*out;
	char			 code[16], backup[64];

	(void)state;
	harness_core_open(&h, NULL);
	add_old_user(&h, "old:bob");
	/* The user can still be found, changed and enrolled in channels. */
	OK(&h, "user set", "old:bob", "--email", "bob@example.com", "--phone",
	    "+15551234567");
	OK(&h, "activate", "old:bob", "email");
	harness_outbox_code(&h, code);
	assert_int_equal(harness_cmd(&h, &out, "confirm", "old:bob", "email",
	    code, NULL), RD_OK);
	snprintf(backup, sizeof backup, "%s", cJSON_GetArrayItem(
	    cJSON_GetObjectItemCaseSensitive(out, "backup_codes"), 0)->
	    valuestring);
	cmd_result_free(out);

	/* An app is refused, saying why and what to do. */
	assert_int_equal(harness_run(&h, &err, "activate", "old:bob", "app",
	    backup, NULL), RD_NOT_ALLOWED);
	assert_non_null(strstr(err.msg, "user 'old:bob' has a ':'"));
	assert_non_null(strstr(err.msg, "rename the user"));
	assert_int_equal(harness_run(&h, &err, "methods", "old:bob", NULL),
	    RD_OK);
	/* The proof was not spent on the refusal: it still adds a method. */
	OK(&h, "activate", "old:bob", "sms", backup);
	harness_core_close(&h);
}

static void
test_phone_forms(void **state)
{
	static const struct {
		const char	*in, *want;
	} good[] = {
		{ "+15551234567", "+15551234567" },
		{ "+1 (555) 123-4567", "+15551234567" },
		{ "+1 555.123.4567", "+15551234567" },
		{ "+48 500-000-000", "+48500000000" },
		{ "+48 500 000 000", "+48500000000" },
		{ "  +48 500 000 000 ", "+48500000000" },
		{ "(+48) 500 000 000", "+48500000000" },
		{ "00 48 500 000 000", "+48500000000" },
		{ "0048500000000", "+48500000000" },
		{ "+1 (234) 567", "+1234567" },			/* 7 digits */
		{ "+123456", "+123456" },			/* 6: the fewest */
		{ "+123 456 789 012 345", "+123456789012345" },	/* 15: the most */
	};
	static const struct {
		const char	*in, *says;
	} bad[] = {
		{ "555-123-4567", "'555-123-4567' has no country code: write + "
		  "and the country code first, e.g. +48 500 000 000" },
		{ "0500 000 000", "no country code" },
		{ "500000000", "no country code" },
		{ "   ", "no country code" },
		{ "+44 (0)20 7946 0000", "has a (0), which is dialled only "
		  "within the country: leave it out" },
		{ "+44 ( 0 ) 20 7946 0000", "(0)" },
		{ "+0 555 123 4567", "no country code begins with 0" },
		{ "000 48 500 000 000", "no country code begins with 0" },
		{ "+48 500 abc", "cannot hold 'a'" },
		{ "+48 500\xe2\x80\x93" "000", "cannot hold '\xe2\x80\x93'" },
		{ "+48/500000000", "cannot hold '/'" },
		{ "0+48500000000", "a + after the start" },
		{ "++48500000000", "a + after the start" },
		{ "+12345", "has 5 digits, but with its country code a phone "
		  "number has 6 to 15" },
		{ "+1234567890123456", "has 16 digits" },
		{ "+", "has 0 digits" },
	};
	char		out[USER_PHONE_MAX];
	struct rd_err	err;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (user_phone_normalise(good[i].in, out, &err) != RD_OK)
			fail_msg("'%s': %s", good[i].in, err.msg);
		assert_string_equal(out, good[i].want);
		assert_true(user_phone_ok(out));
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(user_phone_normalise(bad[i].in, out, &err),
		    RD_USAGE);
		if (strstr(err.msg, bad[i].says) == NULL)
			fail_msg("'%s': '%s' lacks '%s'", bad[i].in, err.msg,
			    bad[i].says);
		assert_null(strstr(err.msg, "E.164"));
		assert_string_equal(out, "");
	}
	/* A control character is not repeated to the terminal. */
	assert_int_equal(user_phone_normalise("+48 500\033[31m000", out, &err),
	    RD_USAGE);
	assert_null(strchr(err.msg, '\033'));
	assert_non_null(strstr(err.msg, "the phone number may hold only "
	    "digits"));
}

/* user add and user set keep the E.164 form; a refusal writes nothing. */
static void
test_phone_commands(void **state)
{
	struct harness_core	 h;
	struct rd_err		 err;
	cJSON			*out;

	(void)state;
	harness_core_open(&h, NULL);
	OK(&h, "user add", "pat", "--phone", "+1 (555) 123-4567");
	assert_int_equal(harness_cmd(&h, &out, "user show", "pat", NULL),
	    RD_OK);
	assert_string_equal(harness_str(out, "phone"), "+15551234567");
	cmd_result_free(out);
	OK(&h, "user set", "pat", "--phone", "00 48 500-000-000");
	assert_int_equal(harness_cmd(&h, &out, "user show", "pat", NULL),
	    RD_OK);
	assert_string_equal(harness_str(out, "phone"), "+48500000000");
	cmd_result_free(out);
	assert_int_equal(harness_run(&h, &err, "user set", "pat", "--phone",
	    "500 000 000", NULL), RD_USAGE);
	assert_non_null(strstr(err.msg, "no country code"));
	assert_int_equal(harness_run(&h, &err, "user add", "quinn", "--phone",
	    "500 000 000", NULL), RD_USAGE);
	assert_int_equal(harness_run(&h, &err, "user show", "quinn", NULL),
	    RD_NOT_FOUND);
	/* The code goes to the number as kept, masked as ever. */
	OK(&h, "activate", "pat", "sms");
	assert_int_equal(harness_cmd(&h, &out, "outbox list", NULL), RD_OK);
	assert_string_equal(harness_str(cJSON_GetArrayItem(
	    cJSON_GetObjectItemCaseSensitive(out, "messages"), 0), "to"),
	    "+48500000000");
	cmd_result_free(out);
	/* test-backend takes a written-out number for a phone method too. */
	assert_int_equal(harness_run(&h, &err, "test-backend", "sms",
	    "+48 500 000 001", NULL), RD_OK);
	assert_int_equal(harness_cmd(&h, &out, "outbox list", NULL), RD_OK);
	assert_string_equal(harness_str(cJSON_GetArrayItem(
	    cJSON_GetObjectItemCaseSensitive(out, "messages"), 1), "to"),
	    "+48500000001");
	cmd_result_free(out);
	assert_int_equal(harness_run(&h, &err, "test-backend", "sms",
	    "500 000 001", NULL), RD_USAGE);
	harness_core_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_colon),
		cmocka_unit_test(test_issuer_colon),
		cmocka_unit_test(test_old_colon_user),
		cmocka_unit_test(test_phone_forms),
		cmocka_unit_test(test_phone_commands),
	};

	return cmocka_run_group_tests_name("user", tests, NULL, NULL);
}
