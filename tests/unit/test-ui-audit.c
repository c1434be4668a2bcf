/*
 * test-ui-audit.c: the audit log screen at 80x24 and 100x40 (goldens
 * tests/golden/audit-*.txt): columns that fit, local times, outcomes in
 * words, the operator; the filter by user and action; Enter on a row and
 * the whole entry; and the table of words behind them (ui/outcome.c).
 */
#include "test-ui-fix.h"
#include "../../ui/outcome.h"

static void
test_outcome_words(void **state)
{
	static const char *const outcomes[] = { "ok", "pending", "active",
		"mfa_required", "refused", "locked", "failure" };
	static const char *const codes[] = { "invalid_code", "expired",
		"locked_out", "inactive_user", "bad_credentials", "not_found",
		"exists", "bad_state", "not_allowed", "usage",
		"bad_passphrase", "vault_corrupt", "vault_busy",
		"vault_missing", "backend", "timeout", "network", "config" };
	char	buf[256];
	size_t	i;

	(void)state;
	assert_string_equal(outcome_word("failure", "invalid_code"),
	    "wrong code");
	outcome_detail("failure", "invalid_code", buf, sizeof buf);
	assert_string_equal(buf, "");
	assert_string_equal(outcome_word("failure", "bad_credentials (not a "
	    "user name)"), "bad password");
	outcome_detail("failure", "bad_credentials (not a user name)", buf,
	    sizeof buf);
	assert_string_equal(buf, "not a user name");
	/* A send's failure: the code after the colon becomes words. */
	assert_string_equal(outcome_word("failure", "sms via sms_twilio: "
	    "backend 21211"), "provider error");
	outcome_detail("failure", "sms via sms_twilio: backend 21211", buf,
	    sizeof buf);
	assert_string_equal(buf, "sms via sms_twilio: provider error 21211");
	outcome_detail("failure", "gw via exec to +*********67: backend, "
	    "status 1, provider code exit 1", buf, sizeof buf);
	assert_string_equal(buf, "gw via exec to +*********67: provider "
	    "error, status 1, provider code exit 1");
	/* A method named like a code is a name, not a code. */
	assert_string_equal(outcome_word("failure", "timeout via exec to "
	    "+*********67: network"), "network error");
	outcome_detail("failure", "timeout via exec to +*********67: network",
	    buf, sizeof buf);
	assert_string_equal(buf, "timeout via exec to +*********67: network "
	    "error");
	outcome_detail("ok", "expired via outbox to +*********67: sent", buf,
	    sizeof buf);
	assert_string_equal(buf, "expired via outbox to +*********67: sent");
	assert_string_equal(outcome_word("failure", "expired2"), "failed");
	assert_string_equal(outcome_word("failure", NULL), "failed");
	assert_string_equal(outcome_word("mfa_required", "app"),
	    "needs a code");
	assert_string_equal(outcome_word("ok", "invalid_code"), "ok");
	assert_string_equal(outcome_word("something_new", NULL),
	    "something_new");
	outcome_detail("failure", NULL, buf, sizeof buf);
	assert_string_equal(buf, "");
	outcome_detail("failure", "invalid_code", buf, 1);
	assert_string_equal(buf, "");
	/* Every word fits the Result column and names no code. */
	for (i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++)
		assert_true(canvas_width(outcome_word(outcomes[i], NULL)) <=
		    OUTCOME_WORD_MAX);
	for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		const char	*w = outcome_word("failure", codes[i]);

		assert_true(canvas_width(w) <= OUTCOME_WORD_MAX);
		assert_null(strchr(w, '_'));
		assert_string_not_equal(w, "failed");
	}
}

/*
 * A log with what a desk sees: enrolment, a wrong code, logins that need
 * a code or fail, a test send, two operators, a long user name.
 */
static void
audit_data(struct fix *f)
{
	struct rd_err	err;
	cJSON		*out;

	alice_app(f, NULL);
	f->h.henv.now += 3600;
	f->h.ctx.actor = "tui:jan.kowalski";
	assert_int_equal(harness_run(&f->h, &err, "activate", "alice", "email",
	    "000000", NULL), RD_INVALID_CODE);
	assert_int_equal(harness_run(&f->h, &err, "user", "add",
	    "alexandra.konstantynopolitanczykowna@example.com", NULL), RD_OK);
	harness_answer(&f->h, "not her password");
	assert_int_equal(harness_run(&f->h, &err, "login", "bob", NULL),
	    RD_BAD_CREDENTIALS);
	f->h.henv.now += 60;
	harness_answer(&f->h, "alice pw");
	assert_int_equal(harness_cmd(&f->h, &out, "login", "alice", NULL),
	    RD_OK);
	cmd_result_free(out);
	f->h.ctx.actor = "cli:desk7";
	assert_int_equal(harness_run(&f->h, &err, "test-backend", "email",
	    "ops@example.com", NULL), RD_OK);
	f->h.ctx.actor = "test";
	f->ui.ctx.actor = "tui:jan.kowalski";
}

static void
test_audit_80(void **state)
{
	struct fix	f;

	(void)state;
	fix_open(&f, 80, 24);
	audit_data(&f);
	start_users(&f);
	press(&f, 'g');
	assert_string_equal(top_name(&f), "audit log");
	draw(&f, "audit-80x24");
	/* Words, not code names; local times; nothing cut mid-word. */
	assert_true(screen_has(&f, "wrong code"));
	assert_true(screen_has(&f, "bad password"));
	assert_true(screen_has(&f, "needs a code"));
	assert_false(screen_has(&f, "invalid_c"));
	assert_false(screen_has(&f, "mfa_requi"));
	assert_false(screen_has(&f, "bad_credentials"));
	assert_true(screen_has(&f, "2023-11-14 23:14 "));
	assert_true(screen_has(&f, "alexandra.k\xe2\x80\xa6"));

	/* Enter: the whole entry, the newest (the test send) first. */
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "audit entry");
	draw(&f, "audit-entry-80x24");
	assert_true(screen_has(&f, "email via outbox to o***@example.com: "
	    "sent"));
	assert_true(screen_has(&f, "cli:desk7"));
	/* Down is older: the login that needs a code, then bob's. */
	press(&f, UK_DOWN);
	assert_true(screen_has(&f, "needs a code"));
	press(&f, 'j');
	assert_true(screen_has(&f, "bad password"));
	assert_true(screen_has(&f, "3 of 11"));
	press(&f, 'k');
	press(&f, 'k');
	press(&f, 'k');
	assert_true(screen_has(&f, "1 of 11"));
	press(&f, UK_ESC);
	assert_string_equal(top_name(&f), "audit log");

	/* The selection stays on its row after the entry. */
	press(&f, 'j');
	press(&f, 'j');
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "bad password"));
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "audit log");
	assert_true(screen_has(&f, ">2023-11-14 23:13 bob"));
	fix_close(&f);
}

static void
test_audit_filter(void **state)
{
	struct fix	f;

	(void)state;
	fix_open(&f, 80, 24);
	audit_data(&f);
	start_users(&f);
	press(&f, 'g');
	press(&f, '/');
	/* Keys are text while typing: q does not leave. */
	type(&f, "bqob");
	assert_string_equal(top_name(&f), "audit log");
	press(&f, UK_BACKSPACE);
	press(&f, UK_BACKSPACE);
	press(&f, UK_BACKSPACE);
	type(&f, "ob");
	draw(&f, "audit-filter-typing");
	press(&f, UK_ENTER);
	draw(&f, "audit-filter");
	assert_true(screen_has(&f, "2 entries about bob, newest first"));
	assert_false(screen_has(&f, "alice"));
	/* Both filters: bob's login only. */
	press(&f, '/');
	press(&f, UK_TAB);
	type(&f, "login");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "1 entry about bob, action login"));
	assert_true(screen_has(&f, "bad password"));
	assert_false(screen_has(&f, "user add"));
	/* Tab and Shift-Tab go round: alice's logins. */
	press(&f, '/');
	press(&f, UK_TAB);
	press(&f, UK_BTAB);
	press(&f, UK_KILL);
	type(&f, "alice");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "1 entry about alice, action login"));
	assert_true(screen_has(&f, "needs a code"));
	/* Nothing matches: said so. */
	press(&f, '/');
	press(&f, UK_KILL);
	type(&f, "nobody");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "no entries match the filter"));
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "audit log");
	/* Esc drops the kept filter first, then leaves. */
	press(&f, UK_ESC);
	assert_true(screen_has(&f, "11 entries, newest first"));
	/* Esc while typing drops what was typed. */
	press(&f, '/');
	type(&f, "carol");
	press(&f, UK_ESC);
	assert_false(f.ui.stack[f.ui.depth - 1]->typing);
	assert_true(screen_has(&f, "11 entries, newest first"));
	press(&f, 'q');
	assert_string_equal(top_name(&f), "user list");
	fix_close(&f);
}

static void
test_audit_100(void **state)
{
	struct fix	f;

	(void)state;
	fix_open(&f, 100, 40);
	audit_data(&f);
	start_users(&f);
	press(&f, 'g');
	/* From 100 columns the operator has a column of its own. */
	draw(&f, "audit-100x40");
	assert_true(screen_has(&f, "tui:jan.kowal"));
	press(&f, 'j');
	press(&f, UK_ENTER);
	draw(&f, "audit-entry-100x40");
	fix_close(&f);
}

/* Odd sizes: clipped, never a crash; an empty list has no entry. */
static void
test_audit_tiny(void **state)
{
	static const int	 sizes[][2] = { { 1, 1 }, { 5, 2 }, { 12, 4 },
				    { 30, 6 }, { 200, 3 } };
	struct fix		 f;
	size_t			 k;
	int			 screen;

	(void)state;
	fix_open(&f, 80, 24);
	audit_data(&f);
	start_users(&f);
	press(&f, 'g');
	for (screen = 0; screen < 2; screen++) {
		if (screen == 1)
			press(&f, UK_ENTER);
		for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			f.ui.cols = sizes[k][0];
			f.ui.rows = sizes[k][1];
			canvas_resize(f.c, sizes[k][0], sizes[k][1]);
			ui_draw(&f.ui, f.c);
			press(&f, UK_DOWN);
			press(&f, UK_PGDN);
			ui_draw(&f.ui, f.c);
		}
		canvas_resize(f.c, 80, 24);
		f.ui.cols = 80;
		f.ui.rows = 24;
	}
	press(&f, UK_ESC);
	press(&f, '/');
	type(&f, "nobody");
	press(&f, UK_ENTER);
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "audit log");
	fix_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcome_words),
		cmocka_unit_test(test_audit_80),
		cmocka_unit_test(test_audit_filter),
		cmocka_unit_test(test_audit_100),
		cmocka_unit_test(test_audit_tiny),
	};

	return cmocka_run_group_tests_name("ui-audit", tests, NULL, NULL);
}
