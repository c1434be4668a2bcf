/*
 * test-ui-keys.c: the TUI's parts below the screens and its edges: the
 * canvas and what it does with hostile text, the key table, the QR
 * module, paging a user list both ways, every screen drawn at absurd
 * sizes (clipping, never a crash), the device wizard's key line, and the
 * benchmark hook.
 */
#include "test-ui-fix.h"
#include "../../src/util.h"

static void
test_canvas(void **state)
{
	struct canvas	*c = canvas_new(20, 3);
	char		*dump;

	(void)state;
	/* Escape, BEL, C1 CSI, bidi override, a broken byte: all '?'. */
	canvas_put(c, 0, 0, 0, -1, "a\x1b[31mb\x07" "c\xc2\x9b" "d\xe2\x80\xae"
	    "e\xff");
	canvas_put(c, 0, 1, 0, -1, "\xe6\xbc\xa2\xe5\xad\x97|");
	canvas_put(c, 16, 2, 0, -1, "clipped");
	dump = canvas_dump(c);
	assert_string_equal(dump, "a?[31mb?c?d?e?\n漢字|\n                clip\n");
	free(dump);
	assert_int_equal(canvas_width("\xe6\xbc\xa2x"), 3);
	canvas_free(c);
}

static void
test_keys(void **state)
{
	(void)state;
	assert_int_equal(keys_lookup(KC_ALL, 'q', false), KA_BACK);
	assert_int_equal(keys_lookup(KC_ALL, 'q', true), KA_NONE);
	assert_int_equal(keys_lookup(KC_ALL, '?', true), KA_NONE);
	assert_int_equal(keys_lookup(KC_ALL, UK_F1, true), KA_HELP);
	assert_int_equal(keys_lookup(KC_ALL, UK_ESC, true), KA_BACK);
	assert_int_equal(keys_lookup(KC_ALL | KC_LIST, 'j', false), KA_DOWN);
	assert_int_equal(keys_lookup(KC_ALL | KC_LIST, UK_DOWN, true),
	    KA_DOWN);
	assert_int_equal(keys_lookup(KC_ALL, 'j', false), KA_NONE);
	assert_int_equal(keys_lookup(KC_ALL | KC_USER, 'a', false),
	    KA_ACTIVATE);
	assert_int_equal(keys_lookup(KC_ALL | KC_USERS, 'a', false), KA_NONE);
	assert_int_equal(keys_lookup(KC_ALL | KC_QR, 'i', false), KA_INVERT);
	assert_int_equal(keys_lookup(KC_ALL | KC_QR, 's', false), KA_SECRET);
	assert_int_equal(keys_lookup(KC_ALL, UK_BTAB, true), KA_PREV_FIELD);
	assert_int_equal(keys_lookup(KC_ALL, UK_REDRAW, true), KA_REDRAW);
}

static void
test_qr(void **state)
{
	struct qr	*q = qr_new("otpauth://totp/redoubt:alice?secret=AAAA");
	struct canvas	*c = canvas_new(80, 24);
	const struct cell *p;
	int		 x, y;

	(void)state;
	assert_non_null(q);
	assert_int_equal(qr_cols(q), qr_side(q));
	assert_int_equal(qr_rows(q), (qr_side(q) + 1) / 2);
	qr_draw(c, 3, 1, q, false);
	/* Every cell of the code is a QR cell; around it nothing is. */
	for (y = 0; y < 24; y++)
		for (x = 0; x < 80; x++) {
			p = canvas_at(c, x, y);
			assert_int_equal((p->attr & CA_ROLE) == ROLE_QR,
			    x >= 3 && x < 3 + qr_cols(q) && y >= 1 &&
			    y < 1 + qr_rows(q));
		}
	/* Cell (QR_QUIET, QR_QUIET / 2) holds the finder's dark corner. */
	p = canvas_at(c, 3 + QR_QUIET, 1 + QR_QUIET / 2);
	assert_true(p->attr & CA_QR_TOP);
	p = canvas_at(c, 3, 1);
	assert_false(p->attr & (CA_QR_TOP | CA_QR_BOTTOM));
	/* Inverted, the quiet zone is dark. */
	qr_draw(c, 3, 1, q, true);
	p = canvas_at(c, 3, 1);
	assert_true(p->attr & CA_QR_TOP && p->attr & CA_QR_BOTTOM);
	qr_free(q);
	canvas_free(c);
}

/* The selected row: Enter opens it; Esc comes back to the same window. */
static void
assert_sel(struct fix *f, const char *name)
{
	char	title[32];

	press(f, UK_ENTER);
	snprintf(title, sizeof title, "User %s", name);
	assert_string_equal(top_name(f), "user detail");
	if (!screen_has(f, title))
		fail_msg("the selection is not %s", name);
	press(f, UK_ESC);
	assert_string_equal(top_name(f), "user list");
}

/* The one query a key leads to, its words after `user list --limit N`. */
static void
assert_query(struct fix *f, int key, const char *w1, const char *w2,
    const char *w3, const char *w4)
{
	struct screen		*s = ui_top(&f->ui);
	struct ui_action	 a = s->ops->key(s, key);
	const char		*want[] = { w1, w2, w3, w4 };
	int			 i;

	assert_int_equal(a.kind, UA_RUN);
	assert_false(a.job->slow);
	assert_string_equal(a.job->argv[1], "list");
	for (i = 0; i < 4 && want[i] != NULL; i++) {
		assert_true(4 + i < a.job->argc);
		assert_string_equal(a.job->argv[4 + i], want[i]);
	}
	assert_int_equal(a.job->argc, 4 + i);
	job_free(a.job);
}

/*
 * Paging both ways, one query a move: rows scroll one at a time past an
 * edge, pages keep the selection's row, the window stays full at both
 * ends, and the search goes into every query.
 */
static void
test_users_paging(void **state)
{
	struct fix	f;
	struct rd_err	err;
	char		name[16];
	int		i;

	(void)state;
	fix_open(&f, 80, 8);	/* 3 names a page */
	for (i = 1; i <= 10; i++) {
		snprintf(name, sizeof name, "u%02d", i);
		assert_int_equal(harness_run(&f.h, &err, "user", "add", name,
		    NULL), RD_OK);
	}
	start_users(&f);
	assert_true(screen_has(&f, "u03"));
	assert_false(screen_has(&f, "u04"));
	press(&f, UK_UP);		/* the start: nothing above */
	assert_true(screen_has(&f, "u01"));
	press(&f, UK_DOWN);
	press(&f, UK_DOWN);
	press(&f, UK_DOWN);		/* scrolls one */
	assert_true(screen_has(&f, "u04"));
	assert_false(screen_has(&f, "u01"));
	assert_sel(&f, "u04");
	assert_true(screen_has(&f, "u02"));	/* came back to the window */
	assert_query(&f, UK_PGDN, "--after", "u04", NULL, NULL);
	press(&f, UK_PGDN);
	assert_true(screen_has(&f, "u07"));
	assert_false(screen_has(&f, "u04"));
	assert_sel(&f, "u07");
	press(&f, UK_UP);
	press(&f, UK_UP);
	press(&f, UK_UP);		/* scrolls one back */
	assert_true(screen_has(&f, "u04"));
	assert_false(screen_has(&f, "u07"));
	assert_sel(&f, "u04");
	assert_query(&f, UK_PGUP, "--before", "u04", NULL, NULL);
	assert_query(&f, UK_END, "--before", "", NULL, NULL);
	press(&f, UK_END);
	assert_true(screen_has(&f, "u10"));
	assert_true(screen_has(&f, "u08"));
	assert_false(screen_has(&f, "u07"));
	assert_sel(&f, "u10");
	press(&f, UK_DOWN);		/* the end: nothing below */
	assert_sel(&f, "u10");
	press(&f, UK_PGUP);
	assert_true(screen_has(&f, "u05"));
	assert_false(screen_has(&f, "u08"));
	assert_sel(&f, "u07");
	press(&f, UK_PGUP);
	assert_sel(&f, "u04");
	/* One name left above: the first page, the selection a page up. */
	press(&f, UK_PGUP);
	assert_true(screen_has(&f, "u03"));
	assert_false(screen_has(&f, "u04"));
	assert_sel(&f, "u01");
	press(&f, UK_PGUP);
	assert_sel(&f, "u01");
	/* And at the end: the last full page, the selection a page down. */
	press(&f, UK_PGDN);
	press(&f, UK_PGDN);
	assert_sel(&f, "u07");
	press(&f, UK_PGDN);
	assert_true(screen_has(&f, "u08"));
	assert_false(screen_has(&f, "u07"));
	assert_sel(&f, "u10");
	press(&f, UK_PGDN);
	assert_sel(&f, "u10");
	press(&f, UK_HOME);
	assert_true(screen_has(&f, "u01"));
	assert_false(screen_has(&f, "u04"));
	assert_sel(&f, "u01");
	/* The search goes into every query. */
	press(&f, '/');
	type(&f, "u0");
	press(&f, UK_ENTER);
	assert_query(&f, UK_END, "--search", "u0", "--before", "");
	press(&f, UK_END);
	assert_true(screen_has(&f, "u09"));
	assert_false(screen_has(&f, "u10"));
	assert_false(screen_has(&f, "u06"));
	assert_query(&f, UK_PGUP, "--search", "u0", "--before", "u07");
	press(&f, UK_PGUP);
	assert_true(screen_has(&f, "u04"));
	assert_false(screen_has(&f, "u07"));
	press(&f, UK_HOME);
	assert_query(&f, UK_PGDN, "--search", "u0", "--after", "u03");
	press(&f, UK_PGDN);
	press(&f, UK_PGDN);
	press(&f, UK_PGDN);		/* no u10: the end of u0 */
	assert_true(screen_has(&f, "u09"));
	assert_false(screen_has(&f, "u10"));
	assert_sel(&f, "u09");
	fix_close(&f);
}

static void
test_bench_hook(void **state)
{
	struct fix	 f;
	struct ui_bench	*b;
	double		 us;

	(void)state;
	fix_open(&f, 80, 24);
	harness_answer(&f.h, "alice pw");
	users_add(&f);
	b = ui_bench_new(&f.h.ctx, f.c);
	us = ui_bench_keypress(b, '/');
	assert_true(us >= 0);
	us = ui_bench_keypress(b, 'b');
	assert_true(us > 0);
	{
		char	*dump = canvas_dump(f.c);

		assert_non_null(strstr(dump, "bob"));
		assert_null(strstr(dump, "alice"));
		free(dump);
	}
	ui_bench_free(b);
	fix_close(&f);
}

/* Every screen, at sizes down to one cell: clipping, never a crash. */
static void
test_tiny(void **state)
{
	static const int	 sizes[][2] = { { 1, 1 }, { 5, 2 }, { 12, 4 },
				    { 30, 6 }, { 200, 3 } };
	struct fix		 f;
	struct screen		*s[16];
	size_t			 i, k, n = 0;

	(void)state;
	fix_open(&f, 80, 24);
	alice_app(&f, NULL);
	s[n++] = scr_users_new(&f.ui);
	s[n++] = scr_user_new(&f.ui, "alice");
	s[n++] = scr_unlock_new(&f.ui, NULL, NULL);
	s[n++] = scr_pick_new(&f.ui, "alice");
	s[n++] = fix_enrol(&f, "bob", "app");
	s[n++] = fix_enrol(&f, "bob", "email");
	s[n++] = scr_login_new(&f.ui, "alice");
	s[n++] = scr_outbox_new(&f.ui);
	s[n++] = scr_backend_new(&f.ui);
	s[n++] = scr_audit_new(&f.ui);
	s[n++] = scr_config_new(&f.ui);
	s[n++] = scr_help_new(&f.ui, KC_ALL | KC_USER, "x");
	s[n++] = scr_useredit_new(&f.ui, NULL, NULL);
	s[n++] = scr_prompt_new(&f.ui, "T", "text", true, "primary", "alice",
	    "app", NULL);
	for (i = 0; i < n; i++) {
		/* Loaded at the normal size, drawn at the odd ones. */
		f.ui.cols = 80;
		f.ui.rows = 24;
		ui_act(&f.ui, act_push(s[i]));
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
		if (ui_top(&f.ui) == s[i])
			ui_act(&f.ui, act_pop());
	}
	fix_close(&f);
}

/* A device handler with an enrol prompt: the key line comes first. */
static void
test_enrol_device(void **state)
{
	struct fix	f;
	struct rd_err	err;

	(void)state;
	fix_open_with(&f, "[method.yk]\nhandler = yubikey\n", 80, 24);
	assert_int_equal(harness_run(&f.h, &err, "user", "add", "bob", NULL),
	    RD_OK);
	ui_act(&f.ui, act_push(fix_enrol(&f, "bob", "yk")));
	assert_true(screen_has(&f, "Paste the line below"));
	assert_true(screen_has(&f, "yubikey key (AES_KEY_HEX PRIVATE_ID_HEX):"));
	type(&f, "00112233445566778899aabbccddeeff 0123456789ab");
	/* Key material is masked as it is typed. */
	assert_false(screen_has(&f, "00112233"));
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "Touch the key"));
	draw(&f, "enrol-device");
	type(&f, "cccccccccccccccccccccccccccccccccccccccccccc");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "refused") || screen_has(&f, "invalid"));
	fix_close(&f);
}

/* A verify channel: the provider sends and checks; refusals are shown. */
static void
test_enrol_verify(void **state)
{
	struct fix	 f;
	struct rd_err	 err;
	char		*conf;
	int		 port;
	pid_t		 pid;

	(void)state;
	pid = harness_server("fake_twilio.py", &port, "--lifetime", "30", NULL);
	assert_true(pid > 0);
	conf = xasprintf("[method.verify]\nhandler = twilio_verify\n"
	    "account_sid = ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
	    "auth_token = tw-token-0123456789abcdef\n"
	    "service_sid = VAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"
	    "api_base = http://127.0.0.1:%d\n", port);
	fix_open_with(&f, conf, 80, 24);
	free(conf);
	assert_int_equal(harness_run(&f.h, &err, "user", "add", "vera",
	    "--phone", "+15551234599", NULL), RD_OK);
	ui_act(&f.ui, act_push(fix_enrol(&f, "vera", "verify")));
	/* The destination is masked for the user being enrolled. */
	assert_true(screen_has(&f, "+*********99"));
	assert_false(screen_has(&f, "+15551234599"));
	type(&f, "000000");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "invalid_code"));
	type(&f, "123456");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "Backup codes of vera"));
	fix_close(&f);
	harness_server_stop(pid);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canvas),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_qr),
		cmocka_unit_test(test_users_paging),
		cmocka_unit_test(test_tiny),
		cmocka_unit_test(test_enrol_device),
		cmocka_unit_test(test_enrol_verify),
		cmocka_unit_test(test_bench_hook),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
