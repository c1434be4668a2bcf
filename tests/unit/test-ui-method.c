/*
 * test-ui-method.c: the user detail's desk work.  Enter on an active
 * method opens its detail (kind, enrolled, last used in local time or
 * "never", a YubiKey's public id, an HOTP counter, primary or not; golden
 * at 80x24 and 100x40), whose keys make it primary, deactivate it (the
 * detail then leaves, saying so) and send a code; Enter on a pending one
 * still resumes its enrolment.  n renames the user in a field: a taken
 * or bad name is refused in words and the field stays; a good one puts
 * the new name on the screen.  The lock line is in words, with no count
 * of nothing.
 */
#include "test-ui-fix.h"

#define AESKEY	"ecde18dbe76fbd0c33330f1c354871db"
#define PRIVID	"8792ebfe26cc"
#define PUBID	"ccccccbcgujh"

static const char *const desk_conf = "[redoubt]\nresend_cooldown = 0\n"
    "[method.app]\nhandler = totp\n"
    "[method.key]\nhandler = yubikey\n"
    "[method.counter]\nhandler = hotp\n"
    "[method.email]\nhandler = outbox\nsource_field = email\n";

static struct rd_err	e;

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

/* A code of alice's app now, after the clock moved on a step. */
static void
app_code(struct fix *f, const char *uri, char *code)
{
	f->h.henv.now += 30;
	harness_otp(uri, f->h.henv.now / 30, 6, code);
}

/*
 * alice with app, key and counter active and email pending; returns the
 * app's and the counter's otpauth URIs.
 */
static void
alice_desk(struct fix *f, char **uri, char **urih)
{
	cJSON	*out;
	char	 code[16], o[64];

	harness_answer(&f->h, "alice pw");
	users_add(f);
	assert_int_equal(harness_cmd(&f->h, &out, "activate", "alice", "app",
	    NULL), RD_OK);
	*uri = strdup(harness_str(out, "otpauth_uri"));
	cmd_result_free(out);
	harness_otp(*uri, f->h.henv.now / 30, 6, code);
	assert_int_equal(harness_run(&f->h, &e, "confirm", "alice", "app",
	    code, NULL), RD_OK);
	app_code(f, *uri, code);
	harness_answer(&f->h, AESKEY " " PRIVID);
	assert_int_equal(harness_run(&f->h, &e, "activate", "alice", "key",
	    code, NULL), RD_OK);
	otp(1, 1, o);
	assert_int_equal(harness_run(&f->h, &e, "confirm", "alice", "key", o,
	    NULL), RD_OK);
	app_code(f, *uri, code);
	assert_int_equal(harness_cmd(&f->h, &out, "activate", "alice",
	    "counter", code, NULL), RD_OK);
	*urih = strdup(harness_str(out, "otpauth_uri"));
	cmd_result_free(out);
	harness_otp(*urih, 0, 6, code);
	assert_int_equal(harness_run(&f->h, &e, "confirm", "alice", "counter",
	    code, NULL), RD_OK);
	app_code(f, *uri, code);
	assert_int_equal(harness_run(&f->h, &e, "activate", "alice", "email",
	    code, NULL), RD_OK);
	f->h.henv.now += 1000;
}

static void
resize(struct fix *f, int cols, int rows)
{
	canvas_free(f->c);
	f->c = canvas_new(cols, rows);
	f->ui.cols = cols;
	f->ui.rows = rows;
}

static void
test_method_detail(void **state)
{
	struct fix	 f;
	char		*uri, *urih, code[16];

	(void)state;
	fix_open_with(&f, desk_conf, 80, 24);
	alice_desk(&f, &uri, &urih);
	ui_act(&f.ui, act_push(scr_user_new(&f.ui, "alice")));
	/* Rows: app, key, counter, email (pending). */
	press(&f, UK_DOWN);
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "method detail");
	assert_true(screen_has(&f, "hardware key (yubikey)"));
	assert_true(screen_has(&f, "YubiKey public id   " PUBID));
	draw(&f, "method-key-80x24");
	resize(&f, 100, 40);
	draw(&f, "method-key-100x40");
	resize(&f, 80, 24);
	/* Nothing secret on the screen. */
	assert_false(screen_has(&f, AESKEY));
	assert_false(screen_has(&f, PRIVID));
	press(&f, UK_ESC);
	assert_string_equal(top_name(&f), "user detail");

	/* The app: primary, used at each proof; no key or counter lines. */
	press(&f, UK_UP);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "Primary             yes: logins start "
	    "with it"));
	assert_true(screen_has(&f, "authenticator app (totp)"));
	assert_false(screen_has(&f, "public id"));
	assert_false(screen_has(&f, "HOTP counter"));
	assert_false(screen_has(&f, "never"));
	press(&f, UK_ESC);

	/* The counter: its next code, never used since it was confirmed. */
	press(&f, UK_DOWN);
	press(&f, UK_DOWN);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "HOTP counter        1 (the next code's)"));
	assert_true(screen_has(&f, "Primary             no"));
	/* r tests it: an app makes its own codes, which the core says. */
	press(&f, 'r');
	assert_true(screen_has(&f, "counter makes its own codes"));
	/* p asks for a code of it, as on the user detail. */
	press(&f, 'p');
	assert_string_equal(top_name(&f), "code dialog");
	assert_true(screen_has(&f, "Make counter primary"));
	harness_otp(urih, 1, 6, code);
	type(&f, code);
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "method detail");
	assert_true(screen_has(&f, "Primary             yes: logins start "
	    "with it"));
	/* Accepted as the proof: last used is now. */
	assert_true(screen_has(&f, "HOTP counter        2 (the next code's)"));
	assert_false(screen_has(&f, "Last used           never"));
	/* d on the app, no longer primary: with a code of it; the detail
	   leaves, saying why. */
	press(&f, UK_ESC);
	press(&f, UK_HOME);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "Method app of alice"));
	press(&f, 'd');
	assert_string_equal(top_name(&f), "code dialog");
	app_code(&f, uri, code);
	type(&f, code);
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "user detail");
	assert_true(screen_has(&f, "alice no longer has the method app"));

	/* The pending e-mail still resumes its enrolment. */
	press(&f, UK_END);
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "enrolment wizard");
	free(uri);
	free(urih);
	fix_close(&f);
}

static void
test_rename(void **state)
{
	struct fix	 f;
	int		 i;

	(void)state;
	fix_open(&f, 80, 24);
	harness_answer(&f.h, "alice pw");
	users_add(&f);
	ui_act(&f.ui, act_push(scr_user_new(&f.ui, "alice")));
	assert_true(screen_has(&f, "Lock                not locked\n"));
	assert_false(screen_has(&f, "0 failures"));
	press(&f, 'n');
	/* The field says what it wants; q is a letter of the name here. */
	assert_true(screen_has(&f, "New name"));
	assert_true(screen_has(&f, "no spaces or ':'"));
	type(&f, "bob");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "not renamed: user bob exists already"));
	assert_false(screen_has(&f, "exists:"));
	press(&f, UK_KILL);
	type(&f, "a:q");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "not renamed: 'a:q' cannot be a user "
	    "name: ':' is not allowed"));
	press(&f, UK_KILL);
	type(&f, "alice smith");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "not renamed: that is not a user name"));
	/* Esc keeps the name and leaves the field. */
	press(&f, UK_ESC);
	assert_string_equal(top_name(&f), "user detail");
	assert_false(screen_has(&f, "New name"));
	assert_true(screen_has(&f, "the name stays alice"));
	press(&f, 'n');
	type(&f, "alice.smith");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "User alice.smith"));
	assert_true(screen_has(&f, "alice is now called alice.smith"));
	draw(&f, "user-renamed");
	/* The screen goes on under the new name: it reloads. */
	press(&f, UK_REDRAW);
	ui_act(&f.ui, ui_top(&f.ui)->ops->enter(ui_top(&f.ui)));
	assert_true(screen_has(&f, "alice@example.com"));

	/* The lock line in words, singular and plural; the count starts
	   again when the lock falls, so a lock says no count of nothing. */
	for (i = 0; i < 5; i++) {
		harness_answer(&f.h, "wrong");
		assert_int_equal(harness_run(&f.h, &e, "login", "alice.smith",
		    NULL), RD_BAD_CREDENTIALS);
		ui_act(&f.ui, ui_top(&f.ui)->ops->enter(ui_top(&f.ui)));
		if (i == 0)
			assert_true(screen_has(&f, "not locked (1 failed "
			    "try)"));
		if (i == 3)
			assert_true(screen_has(&f, "not locked (4 failed "
			    "tries)"));
	}
	assert_true(screen_has(&f, "Locked for 1 minute (u unlocks)"));
	f.h.henv.now += 5;
	ui_act(&f.ui, ui_top(&f.ui)->ops->enter(ui_top(&f.ui)));
	assert_true(screen_has(&f, "Locked for 55 seconds (u unlocks)"));
	draw(&f, "user-locked");
	fix_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_method_detail),
		cmocka_unit_test(test_rename),
	};

	return cmocka_run_group_tests_name("ui-method", tests, NULL, NULL);
}
