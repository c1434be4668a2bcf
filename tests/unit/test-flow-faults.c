/*
 * test-flow-faults.c: a refusal is never an uncounted attempt.  The audit
 * insert is made to fail (a trigger planted with the sqlite3 library, as
 * an outside process would) during a wrong password and a wrong code: the
 * step must either count the failure or fail as a whole with the vault's
 * error, never answer "wrong" with nothing counted.  Then the trigger goes
 * and the next refusal is counted as usual.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "harness.h"

/* Refuse every audit insert of the vault at path (or allow it again). */
static void
audit_refused(const char *path, bool refuse)
{
	sqlite3	*db;
	char	*msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	if (sqlite3_exec(db, refuse ? "CREATE TRIGGER fault BEFORE INSERT ON "
	    "audit BEGIN SELECT RAISE(ABORT, 'disk said no'); END" :
	    "DROP TRIGGER fault", NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("sqlite3: %s", msg);
	sqlite3_close(db);
}

static int
failures(struct harness_core *h, const char *user)
{
	cJSON	*out;
	int	 n;

	assert_int_equal(harness_cmd(h, &out, "user show", user, NULL), RD_OK);
	n = cJSON_GetObjectItemCaseSensitive(out, "failures")->valueint;
	cmd_result_free(out);
	return n;
}

/* rc after one refusal-to-be: counted, or a failed step and no count. */
static void
counted_or_failed(enum rd_code rc, enum rd_code refusal, int before,
    int after)
{
	if (rc == refusal) {
		assert_int_equal(after, before + 1);
		return;
	}
	/* The step failed as a whole: the vault's error, nothing half done. */
	assert_int_equal(rd_code_exit(rc), 3);
	assert_int_equal(after, before);
}

static void
test_wrong_password(void **state)
{
	struct harness_core	h;
	struct rd_err		err;
	enum rd_code		rc;

	(void)state;
	harness_core_open(&h, NULL);
	harness_answer(&h, "right-pw");
	assert_int_equal(harness_run(&h, &err, "user add", "alice",
	    "--password-stdin", NULL), RD_OK);
	audit_refused(h.path, true);
	harness_answer(&h, "wrong-pw");
	rc = harness_run(&h, &err, "login", "alice", NULL);
	audit_refused(h.path, false);
	counted_or_failed(rc, RD_BAD_CREDENTIALS, 0, failures(&h, "alice"));
	assert_int_not_equal(rc, RD_BAD_CREDENTIALS);
	/* With the log writable again, the next refusal counts. */
	harness_answer(&h, "wrong-pw");
	assert_int_equal(harness_run(&h, &err, "login", "alice", NULL),
	    RD_BAD_CREDENTIALS);
	assert_int_equal(failures(&h, "alice"), 1);
	harness_core_close(&h);
}

static void
test_wrong_code(void **state)
{
	struct harness_core	 h;
	struct rd_err		 err;
	cJSON			*out;
	char			 code[16], *uri, *tok;
	enum rd_code		 rc;

	(void)state;
	harness_core_open(&h, NULL);
	harness_answer(&h, "right-pw");
	assert_int_equal(harness_run(&h, &err, "user add", "alice",
	    "--password-stdin", NULL), RD_OK);
	assert_int_equal(harness_cmd(&h, &out, "activate", "alice", "app",
	    NULL), RD_OK);
	uri = strdup(harness_str(out, "otpauth_uri"));
	cmd_result_free(out);
	harness_otp(uri, h.henv.now / 30, 6, code);
	assert_int_equal(harness_run(&h, &err, "confirm", "alice", "app", code,
	    NULL), RD_OK);
	harness_answer(&h, "right-pw");
	assert_int_equal(harness_cmd(&h, &out, "login", "alice", NULL), RD_OK);
	tok = strdup(harness_str(out, "ephemeral_token"));
	cmd_result_free(out);

	audit_refused(h.path, true);
	rc = harness_run(&h, &err, "login-code", tok, "000000", NULL);
	audit_refused(h.path, false);
	counted_or_failed(rc, RD_INVALID_CODE, 0, failures(&h, "alice"));
	assert_int_not_equal(rc, RD_INVALID_CODE);
	assert_int_equal(harness_run(&h, &err, "login-code", tok, "000000",
	    NULL), RD_INVALID_CODE);
	assert_int_equal(failures(&h, "alice"), 1);

	free(uri);
	free(tok);
	harness_core_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_wrong_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
