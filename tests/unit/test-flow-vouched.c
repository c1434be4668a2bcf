/*
 * test-flow-vouched.c: the login step when the PAM stack has checked the
 * first factor (ctx.first_factor, set only by the PAM face): no password
 * is asked, a name that is no user is RD_NOT_FOUND with nothing counted,
 * a user without an active method is refused (the first factor alone
 * must not pass), and the rest (lock, token, code, audit) is the login's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static void
add_user(struct harness_core *h, const char *name)
{
	struct rd_err	err;

	harness_answer(h, "secret-pw");
	if (harness_run(h, &err, "user add", name, "--password-stdin", NULL) !=
	    RD_OK)
		fail_msg("user add: %s", err.msg);
}

/* An active app for name; its URI (free it). */
static char *
enrol_app(struct harness_core *h, const char *name)
{
	cJSON	*out;
	char	 code[16], *uri;

	assert_int_equal(harness_cmd(h, &out, "activate", name, "app", NULL),
	    RD_OK);
	uri = strdup(harness_str(out, "otpauth_uri"));
	cmd_result_free(out);
	harness_otp(uri, h->henv.now / 30, 6, code);
	assert_int_equal(harness_run(h, NULL, "confirm", name, "app", code,
	    NULL), RD_OK);
	return uri;
}

/* How many audit rows carry outcome. */
static int
audit_count(struct harness_core *h, const char *outcome)
{
	const cJSON	*e;
	cJSON		*out;
	int		 n = 0;

	assert_int_equal(harness_cmd(h, &out, "audit list", NULL), RD_OK);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(out, "entries"))
		if (strcmp(harness_str(e, "outcome"), outcome) == 0)
			n++;
	cmd_result_free(out);
	return n;
}

static void
test_vouched_login(void **state)
{
	struct harness_core	 h;
	struct rd_err		 err;
	cJSON			*out;
	char			*uri, *tok, code[16];
	int			 failures;

	(void)state;
	harness_core_open(&h, NULL);
	add_user(&h, "alice");
	add_user(&h, "bob");
	uri = enrol_app(&h, "alice");
	h.ctx.first_factor = "pam";

	/* No answer is queued: a password asked for would fail the step. */
	assert_int_equal(harness_cmd(&h, &out, "login", "alice", NULL), RD_OK);
	assert_string_equal(harness_str(out, "status"), "mfa_required");
	tok = strdup(harness_str(out, "ephemeral_token"));
	cmd_result_free(out);
	harness_otp(uri, h.henv.now / 30 + 1, 6, code);
	assert_int_equal(harness_run(&h, NULL, "login-code", tok, code, NULL),
	    RD_OK);
	free(tok);

	failures = audit_count(&h, "failure");
	assert_int_equal(harness_run(&h, &err, "login", "nobody", NULL),
	    RD_NOT_FOUND);
	assert_non_null(strstr(err.msg, "nobody"));
	assert_int_equal(audit_count(&h, "failure"), failures);

	/* A user without an active method: refused and audited. */
	assert_int_equal(harness_run(&h, NULL, "login", "bob", NULL),
	    RD_BAD_STATE);
	assert_int_equal(audit_count(&h, "failure"), failures + 1);

	/* Without first_factor the same user logs in with the password. */
	h.ctx.first_factor = NULL;
	harness_answer(&h, "secret-pw");
	assert_int_equal(harness_cmd(&h, &out, "login", "bob", NULL), RD_OK);
	assert_string_equal(harness_str(out, "status"), "ok");
	cmd_result_free(out);
	free(uri);
	harness_core_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vouched_login),
	};

	return cmocka_run_group_tests_name("flow-vouched", tests, NULL, NULL);
}
