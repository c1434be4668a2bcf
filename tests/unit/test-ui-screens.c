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
	assert_true(screen_has(&f, "app makes its own codes"));
	assert_false(screen_has(&f, "not_allowed"));
	/* Primary needs a code: the dialog says so and runs primary. */
	press(&f, 'p');
	draw(&f, "prompt-primary");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "Type the code first."));
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
	/* The core's words, never its code names. */
	assert_true(screen_has(&f, "wrong code"));
	assert_false(screen_has(&f, "invalid_code"));
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

/* Messages in the outbox now. */
static int
outbox_count(struct fix *f)
{
	cJSON	*out;
	int	 n;

	assert_int_equal(harness_cmd(&f->h, &out, "outbox", "list", NULL),
	    RD_OK);
	n = cJSON_GetArraySize(cJSON_GetObjectItem(out, "messages"));
	cmd_result_free(out);
	return n;
}

/*
 * alice with e-mail (primary), then the app and SMS, each added with a
 * code from the e-mail; *uri gets the app's (free it), backup her first
 * backup code.
 */
static void
alice_three(struct fix *f, char **uri, char *backup)
{
	char	 code[16];
	cJSON	*out;

	harness_answer(&f->h, "alice pw");
	users_add(f);
	assert_int_equal(harness_cmd(&f->h, &out, "activate", "alice",
	    "email", NULL), RD_OK);
	cmd_result_free(out);
	harness_outbox_code(&f->h, code);
	assert_int_equal(harness_cmd(&f->h, &out, "confirm", "alice", "email",
	    code, NULL), RD_OK);
	snprintf(backup, 16, "%s", cJSON_GetArrayItem(
	    cJSON_GetObjectItemCaseSensitive(out, "backup_codes"),
	    0)->valuestring);
	cmd_result_free(out);
	f->h.henv.now += 31;	/* past a resend cooldown */
	assert_int_equal(harness_cmd(&f->h, &out, "request-code", "alice",
	    "email", NULL), RD_OK);
	cmd_result_free(out);
	harness_outbox_code(&f->h, code);
	assert_int_equal(harness_cmd(&f->h, &out, "activate", "alice", "app",
	    code, NULL), RD_OK);
	*uri = strdup(harness_str(out, "otpauth_uri"));
	cmd_result_free(out);
	harness_otp(*uri, f->h.henv.now / 30, 6, code);
	assert_int_equal(harness_cmd(&f->h, &out, "confirm", "alice", "app",
	    code, NULL), RD_OK);
	cmd_result_free(out);
	f->h.henv.now += 31;	/* past a resend cooldown */
	assert_int_equal(harness_cmd(&f->h, &out, "request-code", "alice",
	    "email", NULL), RD_OK);
	cmd_result_free(out);
	harness_outbox_code(&f->h, code);
	assert_int_equal(harness_cmd(&f->h, &out, "activate", "alice", "sms",
	    code, NULL), RD_OK);
	cmd_result_free(out);
	harness_outbox_code(&f->h, code);
	assert_int_equal(harness_cmd(&f->h, &out, "confirm", "alice", "sms",
	    code, NULL), RD_OK);
	cmd_result_free(out);
	f->h.henv.now += 30;
}

static void
login_again(struct fix *f)
{
	type(f, "alice pw");
	press(f, UK_ENTER);
	assert_true(screen_has(f, "Step 2"));
}

/* To the Switch method button from the code field, and press it. */
static void
login_switch(struct fix *f)
{
	press(f, UK_TAB);
	press(f, UK_TAB);
	press(f, UK_TAB);
	press(f, UK_ENTER);
}

static void
test_login(void **state)
{
	struct fix	f;
	char		code[16], backup[16], *uri;
	int		n;

	(void)state;
	fix_open(&f, 80, 24);
	alice_three(&f, &uri, backup);
	ui_act(&f.ui, act_push(scr_login_new(&f.ui, "alice")));
	draw(&f, "login-password");
	type(&f, "wrong q");
	assert_false(f.ui.quit);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "Not logged in: "));
	assert_false(screen_has(&f, "bad_credentials"));
	login_again(&f);
	/* The other ways in, by the names people know them by. */
	assert_true(screen_has(&f, "Or use: Authenticator app, SMS (outbox), "
	    "a backup code"));
	draw(&f, "login-code");
	type(&f, "000000");
	press(&f, UK_ENTER);
	draw(&f, "login-refused");
	assert_false(screen_has(&f, "invalid_code"));
	/* Resend, then the new code. */
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "A code went by E-mail (outbox) to "
	    "a***@example.com"));
	press(&f, UK_BTAB);
	press(&f, UK_BTAB);
	harness_outbox_code(&f.h, code);
	type(&f, code);
	press(&f, UK_ENTER);
	draw(&f, "login-ok");

	/* Switch method: a picker, and nothing sent until a choice. */
	press(&f, UK_ENTER);
	login_again(&f);
	n = outbox_count(&f);
	login_switch(&f);
	draw(&f, "login-picker-80x24");
	assert_int_equal(outbox_count(&f), n);
	press(&f, UK_ESC);
	assert_string_equal(top_name(&f), "login tester");
	assert_false(screen_has(&f, "Switch from"));
	assert_true(screen_has(&f, "Method: E-mail (outbox) (primary)"));
	assert_int_equal(outbox_count(&f), n);
	/* The same at 100x40. */
	press(&f, UK_ENTER);
	f.ui.cols = 100;
	f.ui.rows = 40;
	canvas_resize(f.c, 100, 40);
	draw(&f, "login-picker-100x40");
	f.ui.cols = 80;
	f.ui.rows = 24;
	canvas_resize(f.c, 80, 24);
	/* SMS: its code goes, and only then. */
	press(&f, UK_DOWN);
	press(&f, UK_ENTER);
	assert_int_equal(outbox_count(&f), n + 1);
	assert_true(screen_has(&f, "Method: SMS (outbox)"));
	assert_true(screen_has(&f, "A code went by SMS (outbox) to"));
	assert_true(screen_has(&f, "Code from SMS (outbox):"));
	/* The app: nothing to send; its own prompt. */
	login_switch(&f);
	assert_true(screen_has(&f, "Switch from SMS (outbox) to:"));
	press(&f, UK_DOWN);
	press(&f, UK_ENTER);
	assert_int_equal(outbox_count(&f), n + 1);
	assert_true(screen_has(&f, "Method: Authenticator app"));
	assert_true(screen_has(&f, "Type the code the authenticator app "
	    "shows."));
	assert_true(screen_has(&f, "Or use: E-mail (outbox), SMS (outbox), a "
	    "backup code"));
	/* Resend on the app: nothing goes. */
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "Nothing to resend: Authenticator app "
	    "sends no codes."));
	assert_int_equal(outbox_count(&f), n + 1);
	press(&f, UK_BTAB);
	press(&f, UK_BTAB);
	harness_otp(uri, f.h.henv.now / 30, 6, code);
	type(&f, code);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "Logged in as alice with Authenticator "
	    "app."));

	/* A backup code, once; the second time says why it fails. */
	press(&f, UK_ENTER);
	login_again(&f);
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "Backup code:"));
	type(&f, backup);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "Logged in as alice with a backup code."));
	press(&f, UK_ENTER);
	login_again(&f);
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_ENTER);
	type(&f, backup);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "Not logged in: that backup code was "
	    "already used."));
	free(uri);
	fix_close(&f);
}

/* Switch method with one method only: nothing to pick, nothing sent. */
static void
test_login_one(void **state)
{
	struct fix	f;
	char		code[16];
	cJSON		*out;
	int		n;

	(void)state;
	fix_open(&f, 80, 24);
	harness_answer(&f.h, "alice pw");
	users_add(&f);
	assert_int_equal(harness_cmd(&f.h, &out, "activate", "alice",
	    "email", NULL), RD_OK);
	cmd_result_free(out);
	harness_outbox_code(&f.h, code);
	assert_int_equal(harness_cmd(&f.h, &out, "confirm", "alice", "email",
	    code, NULL), RD_OK);
	cmd_result_free(out);
	ui_act(&f.ui, act_push(scr_login_new(&f.ui, "alice")));
	login_again(&f);
	assert_true(screen_has(&f, "Or use: a backup code"));
	n = outbox_count(&f);
	login_switch(&f);
	assert_true(screen_has(&f, "no other active method"));
	assert_false(screen_has(&f, "Switch from"));
	assert_int_equal(outbox_count(&f), n);
	fix_close(&f);
}

/*
 * The code dialogs of the user detail: what proves each step, a button
 * that sends a code with its cooldown counted down, and steps the
 * config lets go without a code, or not at all, said up front.
 */
static void
test_prompts(void **state)
{
	struct fix	f;
	char		code[16], backup[16], *uri;

	(void)state;
	fix_open_with(&f, "[redoubt]\nresend_cooldown = 30\n", 80, 24);
	alice_three(&f, &uri, backup);
	f.h.henv.now += 31;
	ui_act(&f.ui, act_push(scr_user_new(&f.ui, "alice")));
	press(&f, 'b');
	assert_string_equal(top_name(&f), "code dialog");
	assert_true(screen_has(&f, "Code from email, app or sms, or a backup "
	    "code:"));
	assert_true(screen_has(&f, "Required"));
	draw(&f, "prompt-backup-80x24");
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "A code went by email to a***@example.com; "
	    "it is valid for 10 minutes."));
	assert_true(screen_has(&f, "[ Send a code by email in 30 seconds ]"));
	f.h.henv.now += 10;
	assert_true(screen_has(&f, "[ Send a code by email in 20 seconds ]"));
	harness_outbox_code(&f.h, code);
	assert_true(screen_has(&f, code));	/* the outbox, inline */
	f.ui.cols = 100;
	f.ui.rows = 40;
	canvas_resize(f.c, 100, 40);
	draw(&f, "prompt-sent-100x40");
	f.ui.cols = 80;
	f.ui.rows = 24;
	canvas_resize(f.c, 80, 24);
	/* Sent again too soon: the core's reason, no code name. */
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "wait 20 seconds before another"));
	assert_false(screen_has(&f, "not_allowed"));
	press(&f, UK_BTAB);
	press(&f, UK_BTAB);
	type(&f, code);
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "backup codes");
	press(&f, UK_ESC);
	/* Primary: the app's own code only, and an app sends none. */
	press(&f, UK_DOWN);
	press(&f, 'p');
	assert_true(screen_has(&f, "Code from app:"));
	assert_false(screen_has(&f, "Send a code"));
	press(&f, UK_ESC);
	/* Deactivate sms: its code, sent by itself. */
	press(&f, UK_DOWN);
	press(&f, 'd');
	assert_true(screen_has(&f, "Code from sms or a backup code:"));
	assert_true(screen_has(&f, "[ Send a code by sms ]"));
	press(&f, UK_ESC);
	free(uri);
	fix_close(&f);

	fix_open_with(&f, "[redoubt]\nresend_cooldown = 0\n"
	    "confirm_disable_with_code = false\n"
	    "allow_backup_codes_regeneration = false\n", 80, 24);
	alice_three(&f, &uri, backup);
	ui_act(&f.ui, act_push(scr_user_new(&f.ui, "alice")));
	press(&f, 'b');
	assert_string_equal(top_name(&f), "user detail");
	assert_true(screen_has(&f, "New backup codes are turned off in the "
	    "configuration."));
	press(&f, UK_DOWN);
	press(&f, UK_DOWN);
	press(&f, 'd');
	assert_true(screen_has(&f, "No code is needed for this."));
	assert_false(screen_has(&f, "Code from"));
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "user detail");
	assert_true(screen_has(&f, "Deactivate sms: done"));
	free(uri);
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
	assert_true(screen_has(&f, "'not-an-address' is not an e-mail"));
	assert_false(screen_has(&f, "--email"));
	assert_false(screen_has(&f, "usage"));
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
		cmocka_unit_test(test_login_one),
		cmocka_unit_test(test_prompts),
		cmocka_unit_test(test_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
