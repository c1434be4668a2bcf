/*
 * test-user.c: what a user record may hold (src/user.c) and the names
 * that go into otpauth URIs: a ':' is refused in a new user name and in
 * the issuer (the Key URI Format forbids it in both), and a user of an
 * older vault whose name has one is refused an app method, before the
 * proof code is spent, but keeps every other method.
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_colon),
		cmocka_unit_test(test_issuer_colon),
		cmocka_unit_test(test_old_colon_user),
	};

	return cmocka_run_group_tests_name("user", tests, NULL, NULL);
}
