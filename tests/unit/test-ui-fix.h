/*
 * test-ui-fix.h: what the TUI tests share: a test vault (test KDF, fixed
 * clock and random stream, from harness.h) under a struct ui that runs
 * every job in line, a canvas, golden-file comparison (UPDATE_GOLDEN=1
 * rewrites tests/golden/NAME.txt), and key and text helpers.  Functions
 * are static inline so each test file takes what it uses.
 */
#ifndef RD_TEST_UI_FIX_H
#define RD_TEST_UI_FIX_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "../../ui/canvas.h"
#include "../../ui/keys.h"
#include "../../ui/qr-canvas.h"
#include "../../ui/screen.h"
#include "../../ui/ui.h"
#include "../../ui/widget.h"
#include "../../src/session.h"
#include "harness.h"

/* Only what these tests need of the core: e-mail and SMS keep codes. */
static const char *const test_conf = "[redoubt]\nresend_cooldown = 0\n";

struct fix {
	struct harness_core	 h;
	struct session		*session;	/* what the unlock screen opens */
	struct ui		 ui;
	struct canvas		*c;
};

static inline void
golden(const char *name, const struct canvas *c)
{
	char	 path[256], *dump = canvas_dump(c), *want;
	FILE	*fp;

	snprintf(path, sizeof path, "tests/golden/%s.txt", name);
	if (getenv("UPDATE_GOLDEN") != NULL) {
		fp = fopen(path, "w");
		assert_non_null(fp);
		fputs(dump, fp);
		fclose(fp);
		free(dump);
		return;
	}
	want = harness_slurp(path);
	if (want == NULL)
		fail_msg("no golden file %s (run with UPDATE_GOLDEN=1)", path);
	if (strcmp(want, dump) != 0) {
		fprintf(stderr, "---- %s expected ----\n%s---- got ----\n%s----\n",
		    path, want, dump);
		free(want);
		free(dump);
		fail_msg("%s differs", path);
	}
	free(want);
	free(dump);
}

static inline void
fix_open_with(struct fix *f, const char *conf, int cols, int rows)
{
	struct session_opts	o = { 0 };
	struct rd_err		err;

	/* Screens show local time: goldens are drawn in UTC. */
	setenv("TZ", "UTC", 1);
	tzset();
	harness_core_open(&f->h, conf);
	o.vault = f->h.path;
	if (session_new(&o, "tui", &f->session, &err) != RD_OK)
		fail_msg("session: %s", err.msg);
	ui_init(&f->ui, &f->h.ctx);
	f->ui.session = f->session;
	f->ui.sync = true;
	f->ui.cols = cols;
	f->ui.rows = rows;
	f->ui.title_path = "test/vault.db";
	f->c = canvas_new(cols, rows);
}

static inline void
fix_open(struct fix *f, int cols, int rows)
{
	fix_open_with(f, test_conf, cols, rows);
}

static inline void
fix_close(struct fix *f)
{
	ui_fini(&f->ui);
	canvas_free(f->c);
	/* A vault the unlock screen opened is the session's own. */
	session_free(f->session);
	/* ui_init copied the vault handle; the harness closes it. */
	harness_core_close(&f->h);
	/* Every key a screen relied on was in the commands' answers. */
	assert_int_equal(job_missing(), 0);
}

static inline void
draw(struct fix *f, const char *name)
{
	ui_draw(&f->ui, f->c);
	golden(name, f->c);
}

static inline void
press(struct fix *f, int key)
{
	ui_key(&f->ui, key);
}

static inline void
type(struct fix *f, const char *s)
{
	for (; *s != '\0'; s++)
		ui_key(&f->ui, (unsigned char)*s);
}

static inline const char *
top_name(struct fix *f)
{
	return ui_top(&f->ui)->ops->name;
}

static inline bool
screen_has(struct fix *f, const char *text)
{
	char	*dump;
	bool	 r;

	ui_draw(&f->ui, f->c);
	dump = canvas_dump(f->c);
	r = strstr(dump, text) != NULL;
	if (getenv("UI_DEBUG") != NULL)
		fprintf(stderr, "---- looking for %s:\n%s", text, dump);
	free(dump);
	return r;
}

/* The entry of `config` for a method, as the picker hands it on. */
static inline cJSON *
fix_method(struct fix *f, const char *name)
{
	cJSON	*out, *m, *copy = NULL;

	assert_int_equal(harness_cmd(&f->h, &out, "config", NULL), RD_OK);
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(out, "methods"))
		if (strcmp(cJSON_GetObjectItemCaseSensitive(m, "name")->
		    valuestring, name) == 0)
			copy = cJSON_Duplicate(m, 1);
	cmd_result_free(out);
	assert_non_null(copy);
	return copy;
}

/* The enrolment wizard for user and method, as from the picker. */
static inline struct screen *
fix_enrol(struct fix *f, const char *user, const char *method)
{
	cJSON		*m = fix_method(f, method);
	struct screen	*s = scr_enrol_new(&f->ui, user, m);

	cmd_result_free(m);
	return s;
}

/* A few users: alice with e-mail and phone, bob, carol inactive. */
static inline void
users_add(struct fix *f)
{
	struct rd_err	err;

	assert_int_equal(harness_run(&f->h, &err, "user", "add", "alice",
	    "--email", "alice@example.com", "--phone", "+15551234567",
	    "--password-stdin", NULL), RD_OK);
	assert_int_equal(harness_run(&f->h, &err, "user", "add", "bob", NULL),
	    RD_OK);
	assert_int_equal(harness_run(&f->h, &err, "user", "add", "carol",
	    "--inactive", NULL), RD_OK);
}

/* The screen stack as after unlocking: the user list. */
static inline void
start_users(struct fix *f)
{
	ui_act(&f->ui, act_push(scr_users_new(&f->ui)));
}

/* alice through the app wizard, so she has backup codes. */
static inline void
alice_app(struct fix *f, char *first_backup)
{
	char		 code[16];
	cJSON		*out;

	harness_answer(&f->h, "alice pw");
	users_add(f);
	assert_int_equal(harness_cmd(&f->h, &out, "activate", "alice", "app",
	    NULL), RD_OK);
	harness_otp(harness_str(out, "otpauth_uri"), f->h.henv.now / 30, 6,
	    code);
	cmd_result_free(out);
	assert_int_equal(harness_cmd(&f->h, &out, "confirm", "alice", "app",
	    code, NULL), RD_OK);
	if (first_backup != NULL)
		snprintf(first_backup, 16, "%s", cJSON_GetArrayItem(
		    cJSON_GetObjectItemCaseSensitive(out, "backup_codes"),
		    0)->valuestring);
	cmd_result_free(out);
	f->h.henv.now += 30;
}

/* Byte offset of column col in a dumped line (one cell per character). */
static inline size_t
col_offset(const char *line, int col)
{
	size_t	i = 0;

	for (; line[i] != '\0' && col > 0; col--)
		for (i++; ((unsigned char)line[i] & 0xc0) == 0x80; i++)
			;
	return i;
}

/* The text under a heading of the wizard, joined, up to an empty line. */
static inline void
panel_text(struct fix *f, const char *head, char *out, size_t size)
{
	char		*dump, *line, *save = NULL;
	const char	*p;
	int		 col = -1, x;
	size_t		 n = 0, len = strlen(head);

	ui_draw(&f->ui, f->c);
	dump = canvas_dump(f->c);
	out[0] = '\0';
	/* strsep, not strtok: an empty line ends the text. */
	for (save = dump; (line = strsep(&save, "\n")) != NULL;) {
		if (col < 0) {
			/* The heading ends its line, after the QR code. */
			for (x = 0; line[col_offset(line, x)] != '\0'; x++) {
				p = line + col_offset(line, x);
				if (strncmp(p, head, len) == 0 &&
				    p[len] == '\0')
					col = x;
			}
			continue;
		}
		p = line + col_offset(line, col);
		if (*p == '\0' || *p == ' ')
			break;
		for (; *p != '\0' && n + 1 < size; p++)
			if (*p != ' ')
				out[n++] = *p;
		out[n] = '\0';
	}
	free(dump);
}

#endif
