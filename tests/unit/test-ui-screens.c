/*
 * test-ui-screens.c: every screen of the TUI drawn into an 80x24 canvas
 * (100x40 for the QR code) from a test vault, compared with
 * tests/golden/NAME.txt (UPDATE_GOLDEN=1 rewrites them), while the keys
 * of DESIGN.md §7 drive whole flows: unlock, the user list, a user,
 * enrolment with QR and backup codes, the login tester, the operator's
 * lists and dialogs.
 */
#include "test-ui-fix.h"

static void
test_unlock(void **state)
{
	struct fix	f;

	(void)state;
	fix_open(&f, 80, 24);
	f.ui.ctx.vault = NULL;		/* as before unlocking */
	ui_act(&f.ui, act_push(scr_unlock_new(&f.ui, NULL, NULL)));
	draw(&f, "unlock");
	type(&f, "nope");
	assert_true(screen_has(&f, "Passphrase: ****"));
	assert_false(screen_has(&f, "nope"));
	press(&f, UK_ENTER);
	draw(&f, "unlock-wrong");
	/* q is text here, not quit. */
	type(&f, "q");
	assert_false(f.ui.quit);
	press(&f, UK_BACKSPACE);
	type(&f, "pw");
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "user list");
	fix_close(&f);
}

static void
test_unlock_problem(void **state)
{
	struct fix	f;

	(void)state;
	fix_open(&f, 80, 24);
	ui_act(&f.ui, act_push(scr_unlock_new(&f.ui, NULL, "no vault at "
	    "test/vault.db (make one with: redoubt --vault test/vault.db "
	    "init)")));
	draw(&f, "unlock-missing");
	type(&f, "q");
	assert_true(f.ui.quit);
	fix_close(&f);
}

static void
test_users(void **state)
{
	struct fix	f;
	struct rd_err	err;

	(void)state;
	fix_open(&f, 80, 24);
	harness_answer(&f.h, "alice pw");
	users_add(&f);
	/* No C1 control (CSI) in a name; a bidi override is drawn as text. */
	assert_int_equal(harness_run(&f.h, &err, "user", "add",
	    "m\xc2\x9b" "2Jallory", NULL), RD_USAGE);
	assert_int_equal(harness_run(&f.h, &err, "user", "add",
	    "mallory\xe2\x80\xae" "evil", NULL), RD_OK);
	start_users(&f);
	draw(&f, "users");
	press(&f, 'j');
	press(&f, 'j');
	draw(&f, "users-sel");
	press(&f, '/');
	type(&f, "b");
	draw(&f, "users-search");
	/* q is text while searching. */
	type(&f, "q");
	assert_false(f.ui.quit);
	assert_true(screen_has(&f, "no user name starts with that"));
	press(&f, UK_BACKSPACE);
	press(&f, UK_ENTER);
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "user detail");
	assert_true(screen_has(&f, "User bob"));
	press(&f, UK_ESC);
	/* Esc clears the kept search; q then quits from the top. */
	press(&f, UK_ESC);
	assert_true(screen_has(&f, "carol"));
	press(&f, 'q');
	assert_true(f.ui.quit);
	fix_close(&f);
}

static void
test_user_detail(void **state)
{
	struct fix	f;
	struct ui_action a;
	struct screen	*s;

	(void)state;
	fix_open(&f, 80, 24);
	alice_app(&f, NULL);
	ui_act(&f.ui, act_push(scr_user_new(&f.ui, "alice")));
	draw(&f, "user-alice");
	/* Keys give actions; nothing runs until the loop acts on them. */
	s = ui_top(&f.ui);
	a = s->ops->key(s, 'a');
	assert_int_equal(a.kind, UA_PUSH);
	assert_string_equal(a.scr->ops->name, "method picker");
	a.scr->ops->free(a.scr);
	a = s->ops->key(s, 'l');
	assert_int_equal(a.kind, UA_PUSH);
	assert_string_equal(a.scr->ops->name, "login tester");
	a.scr->ops->free(a.scr);
	a = s->ops->key(s, 'd');
	assert_int_equal(a.kind, UA_PUSH);
	assert_string_equal(a.scr->ops->name, "code dialog");
	a.scr->ops->free(a.scr);
	a = s->ops->key(s, 'r');
	assert_int_equal(a.kind, UA_RUN);
	assert_string_equal(a.job->argv[0], "request-code");
	assert_true(a.job->slow);
	job_free(a.job);
	a = s->ops->key(s, '?');
	assert_int_equal(a.kind, UA_PUSH);
	assert_string_equal(a.scr->ops->name, "help");
	a.scr->ops->free(a.scr);
	a = s->ops->key(s, 'q');
	assert_int_equal(a.kind, UA_POP);
	/* r on an app: the core refuses, the screen says why. */
	press(&f, 'r');
	assert_true(screen_has(&f, "not_allowed: app makes its own codes"));
	/* Primary needs a code: the dialog says so and runs primary. */
	press(&f, 'p');
	draw(&f, "prompt-primary");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "type the code first"));
	press(&f, UK_ESC);
	press(&f, 'e');
	draw(&f, "user-edit");
	fix_close(&f);
}

static void
test_help(void **state)
{
	struct fix	f;
	size_t		i;
	char		*dump;

	(void)state;
	fix_open(&f, 80, 40);
	start_users(&f);
	press(&f, '?');
	assert_string_equal(top_name(&f), "help");
	ui_draw(&f.ui, f.c);
	dump = canvas_dump(f.c);
	/* Every row of the table for this screen is there. */
	for (i = 0; i < key_table_len; i++)
		if ((key_table[i].ctx & (KC_ALL | KC_LIST | KC_USERS)) &&
		    strstr(dump, key_table[i].help) == NULL)
			fail_msg("help lacks '%s'", key_table[i].help);
	free(dump);
	f.ui.rows = 24;
	canvas_resize(f.c, 80, 24);
	draw(&f, "help-users");
	press(&f, UK_ESC);
	assert_string_equal(top_name(&f), "user list");
	fix_close(&f);
}

static void
test_enrol_app(void **state)
{
	struct fix	f;
	struct screen	*s;
	char		*before, *after;

	(void)state;
	fix_open(&f, 80, 24);
	harness_answer(&f.h, "alice pw");
	users_add(&f);
	ui_act(&f.ui, act_push(scr_user_new(&f.ui, "bob")));
	press(&f, 'a');
	draw(&f, "picker");
	type(&f, "ap");
	assert_false(screen_has(&f, "E-mail (outbox)"));
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "enrolment wizard");
	draw(&f, "enrol-app-80x24");
	/* At 100x40 the QR code fits. */
	f.ui.cols = 100;
	f.ui.rows = 40;
	canvas_resize(f.c, 100, 40);
	draw(&f, "enrol-app-100x40");
	ui_draw(&f.ui, f.c);
	before = canvas_dump(f.c);
	press(&f, 'i');
	ui_draw(&f.ui, f.c);
	after = canvas_dump(f.c);
	assert_string_not_equal(before, after);
	free(before);
	free(after);
	press(&f, 'i');
	/* s swaps the code for the secret and the URI, and back. */
	assert_false(screen_has(&f, "secret="));
	press(&f, 's');
	assert_true(screen_has(&f, "secret="));
	assert_true(screen_has(&f, "Secret"));
	draw(&f, "enrol-app-secret-100x40");
	press(&f, 's');
	assert_false(screen_has(&f, "secret="));
	/* A digit goes to the code field; then i is text, not invert. */
	s = ui_top(&f.ui);
	type(&f, "1");
	assert_true(s->typing);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "invalid_code"));
	press(&f, UK_ESC);
	assert_string_equal(top_name(&f), "user detail");
	assert_true(screen_has(&f, "pending"));
	fix_close(&f);
}

/*
 * The URI of about 130 bytes (issuer "ACME Help Desk", a user of
 * 30 characters) at 80x24: the code from the top row down, at once.
 */
static void
test_enrol_app_long(void **state)
{
	struct fix	f;
	struct rd_err	err;
	struct screen	*s;

	(void)state;
	fix_open_with(&f, "[redoubt]\nissuer = ACME Help Desk\n", 80, 24);
	harness_answer(&f.h, "pw");
	assert_int_equal(harness_run(&f.h, &err, "user", "add",
	    "alice.smith.example@acme.corp", "--password-stdin", NULL), RD_OK);
	s = fix_enrol(&f, "alice.smith.example@acme.corp", "app");
	ui_act(&f.ui, act_push(s));
	assert_string_equal(top_name(&f), "enrolment wizard");
	assert_false(screen_has(&f, "terminal of"));
	draw(&f, "enrol-app-long-80x24");
	/* One row fewer and it cannot fit: the size needed, and the URI. */
	f.ui.rows = 22;
	canvas_resize(f.c, 80, 22);
	assert_true(screen_has(&f, "The QR code needs a terminal of 76x24 "
	    "(this one is 80x22)"));
	assert_true(screen_has(&f, "otpauth://totp/ACME%20Help%20Desk:"));
	draw(&f, "enrol-app-long-80x22");
	fix_close(&f);
}

static void
test_enrol_confirm(void **state)
{
	struct fix	 f;
	char		 secret[80], uri[200], code[16], backup[16];

	(void)state;
	fix_open(&f, 100, 40);
	harness_answer(&f.h, "alice pw");
	users_add(&f);
	ui_act(&f.ui, act_push(scr_user_new(&f.ui, "alice")));
	ui_act(&f.ui, act_push(fix_enrol(&f, "alice", "app")));
	press(&f, 's');
	panel_text(&f, "Secret", secret, sizeof secret);
	assert_int_equal(strlen(secret), 32);
	snprintf(uri, sizeof uri, "otpauth://totp/x?secret=%s", secret);
	harness_otp(uri, f.h.henv.now / 30, 6, code);
	type(&f, code);
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "backup codes");
	f.ui.cols = 80;
	f.ui.rows = 24;
	canvas_resize(f.c, 80, 24);
	draw(&f, "backup-codes");
	assert_true(ui_top(&f.ui)->secret);
	/* Leaving wipes them and repaints every cell. */
	f.ui.full = false;
	press(&f, UK_ENTER);
	assert_true(f.ui.full);
	assert_string_equal(top_name(&f), "user detail");
	draw(&f, "user-alice-app");
	{
		cJSON	*out;

		/* The deterministic stream: the first code, for the proof. */
		assert_int_equal(harness_cmd(&f.h, &out, "user", "show",
		    "alice", NULL), RD_OK);
		assert_int_equal(job_num(out, "backup_codes_left"), 10);
		cmd_result_free(out);
	}
	(void)backup;
	/* E-mail: the core wants a code from app first; a wrong one. */
	press(&f, 'a');
	type(&f, "email");
	press(&f, UK_ENTER);
	draw(&f, "enrol-proof");
	f.h.henv.now += 30;
	harness_otp(uri, f.h.henv.now / 30, 6, code);
	type(&f, code);
	press(&f, UK_ENTER);
	draw(&f, "enrol-email");
	harness_outbox_code(&f.h, code);
	type(&f, code);
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "user detail");
	assert_true(screen_has(&f, "email is active for alice"));
	fix_close(&f);
}

/* Whether the screen shows the newest outbox code (into code). */
static bool
peek_shows_outbox_code(struct fix *f, char *code)
{
	harness_outbox_code(&f->h, code);
	return screen_has(f, code);
}

/*
 * Leaving a pending enrolment and coming back resumes it: the same
 * secret for an app, the same code (still valid, shown inline from the
 * outbox) for e-mail, with Resend counting down its cooldown.
 */
static void
test_enrol_resume(void **state)
{
	struct fix	f;
	char		secret1[80], secret2[80], code1[16], code2[16];

	(void)state;
	fix_open_with(&f, "[redoubt]\nresend_cooldown = 30\n", 80, 24);
	harness_answer(&f.h, "alice pw");
	users_add(&f);
	ui_act(&f.ui, act_push(scr_user_new(&f.ui, "alice")));
	ui_act(&f.ui, act_push(fix_enrol(&f, "alice", "app")));
	press(&f, 's');
	panel_text(&f, "Secret", secret1, sizeof secret1);
	assert_int_equal(strlen(secret1), 32);
	press(&f, UK_ESC);
	assert_string_equal(top_name(&f), "user detail");
	/* The first method row, app, pending: Enter resumes it. */
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "enrolment wizard");
	press(&f, 's');
	panel_text(&f, "Secret", secret2, sizeof secret2);
	assert_string_equal(secret1, secret2);
	press(&f, UK_ESC);
	/* E-mail: the code inline, then the same code after coming back. */
	ui_act(&f.ui, act_push(fix_enrol(&f, "alice", "email")));
	assert_true(peek_shows_outbox_code(&f, code1));
	assert_true(screen_has(&f, "Resend in 30 seconds"));
	press(&f, UK_ESC);
	press(&f, UK_DOWN);
	f.h.henv.now += 20;
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "enrolment wizard");
	assert_true(peek_shows_outbox_code(&f, code2));
	assert_string_equal(code1, code2);
	assert_true(screen_has(&f, "another 10 minutes"));
	assert_true(screen_has(&f, "Resend in 10 seconds"));
	draw(&f, "enrol-email-resumed");
	f.h.henv.now += 11;
	assert_true(screen_has(&f, "[ Resend ]"));
	type(&f, code1);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "email is active for alice"));
	fix_close(&f);
}

/*
 * Adding a method to a user with an active one: the wizard asks for a
 * code, offers to send one through the active e-mail method, and shows
 * it from the outbox; with it, the enrolment goes on.
 */
static void
test_enrol_proof_send(void **state)
{
	struct fix	f;
	char		code[16];
	cJSON		*out;

	(void)state;
	fix_open(&f, 80, 24);
	harness_answer(&f.h, "alice pw");
	users_add(&f);
	assert_int_equal(harness_cmd(&f.h, &out, "activate", "alice", "email",
	    NULL), RD_OK);
	cmd_result_free(out);
	harness_outbox_code(&f.h, code);
	assert_int_equal(harness_cmd(&f.h, &out, "confirm", "alice", "email",
	    code, NULL), RD_OK);
	cmd_result_free(out);
	ui_act(&f.ui, act_push(scr_user_new(&f.ui, "alice")));
	ui_act(&f.ui, act_push(fix_enrol(&f, "alice", "sms")));
	assert_true(screen_has(&f, "Code from email or a backup code"));
	assert_true(screen_has(&f, "[ Send a code by email ]"));
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "A code went by email to a***@example.com"));
	assert_true(peek_shows_outbox_code(&f, code));
	draw(&f, "enrol-proof-sent");
	press(&f, UK_TAB);
	type(&f, code);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "A code went by sms to"));
	fix_close(&f);
}

static void
test_login(void **state)
{
	struct fix	f;
	char		code[16];

	(void)state;
	fix_open(&f, 80, 24);
	harness_answer(&f.h, "alice pw");
	users_add(&f);
	{
		cJSON	*out;

		assert_int_equal(harness_cmd(&f.h, &out, "activate", "alice",
		    "email", NULL), RD_OK);
		cmd_result_free(out);
		harness_outbox_code(&f.h, code);
		assert_int_equal(harness_cmd(&f.h, &out, "confirm", "alice",
		    "email", code, NULL), RD_OK);
		cmd_result_free(out);
	}
	ui_act(&f.ui, act_push(scr_login_new(&f.ui, "alice")));
	draw(&f, "login-password");
	type(&f, "wrong q");
	assert_false(f.ui.quit);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "refused (bad_credentials)"));
	type(&f, "alice pw");
	press(&f, UK_ENTER);
	draw(&f, "login-code");
	type(&f, "000000");
	press(&f, UK_ENTER);
	draw(&f, "login-refused");
	/* Resend, then the new code. */
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "A code went by email to a***@example.com"));
	press(&f, UK_BTAB);
	press(&f, UK_BTAB);
	harness_outbox_code(&f.h, code);
	type(&f, code);
	press(&f, UK_ENTER);
	draw(&f, "login-ok");
	/* Switch method with one method only. */
	press(&f, UK_ENTER);
	type(&f, "alice pw");
	press(&f, UK_ENTER);
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "one active method only"));
	fix_close(&f);
}

static void
test_lists(void **state)
{
	struct fix	 f;
	struct ui_action a;
	struct screen	*s;

	(void)state;
	fix_open(&f, 80, 24);
	alice_app(&f, NULL);
	{
		cJSON	*out;

		assert_int_equal(harness_cmd(&f.h, &out, "activate", "alice",
		    "email", "000000", NULL), RD_INVALID_CODE);
		cmd_result_free(out);
		assert_int_equal(harness_cmd(&f.h, &out, "test-backend",
		    "email", "ops@example.com", NULL), RD_OK);
		cmd_result_free(out);
	}
	start_users(&f);
	press(&f, 'o');
	assert_string_equal(top_name(&f), "outbox");
	draw(&f, "outbox");
	press(&f, 'q');
	press(&f, 'g');
	draw(&f, "audit");
	press(&f, 'v');
	assert_true(screen_has(&f, "audit chain intact"));
	press(&f, 'q');
	press(&f, 'c');
	draw(&f, "config");
	press(&f, UK_PGDN);
	assert_true(screen_has(&f, "[method.app]"));
	press(&f, 'q');
	press(&f, 't');
	draw(&f, "backend");
	s = ui_top(&f.ui);
	press(&f, UK_TAB);
	type(&f, "ops@example.com");
	a = s->ops->key(s, UK_ENTER);
	assert_int_equal(a.kind, UA_RUN);
	assert_string_equal(a.job->argv[0], "test-backend");
	assert_string_equal(a.job->argv[1], "email");
	assert_string_equal(a.job->argv[2], "ops@example.com");
	assert_true(a.job->slow);
	ui_act(&f.ui, a);
	assert_true(screen_has(&f, "Outcome: ok"));
	assert_true(screen_has(&f, "Exchange"));
	press(&f, UK_ESC);
	press(&f, 'n');
	draw(&f, "user-new");
	type(&f, "dave");
	press(&f, UK_TAB);
	type(&f, "not-an-address");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "usage: --email: 'not-an-address' is not"));
	press(&f, UK_KILL);
	type(&f, "dave@example.com");
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "user detail");
	assert_true(screen_has(&f, "user dave added"));
	assert_true(screen_has(&f, "dave@example.com"));
	fix_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unlock),
		cmocka_unit_test(test_unlock_problem),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_user_detail),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_enrol_app),
		cmocka_unit_test(test_enrol_app_long),
		cmocka_unit_test(test_enrol_resume),
		cmocka_unit_test(test_enrol_proof_send),
		cmocka_unit_test(test_enrol_confirm),
		cmocka_unit_test(test_login),
		cmocka_unit_test(test_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
