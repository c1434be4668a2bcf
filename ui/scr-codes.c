/*
 * scr-codes.c: backup codes, shown this once.  The core keeps only their
 * keyed hashes, so this screen is the only place they can be read; it
 * says so, and when it is left the codes are wiped from memory and the
 * whole terminal is repainted so no cell keeps one.  p prints them (and,
 * right after an app was confirmed, its secret and QR code) on an
 * enrolment sheet (print.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "print.h"
#include "screen.h"
#include "widget.h"

struct scr_codes {
	struct screen	 base;
	char		*user;
	char		*why;
	cJSON		*codes;		/* array of strings; wiped on free */
	cJSON		*app;		/* otpauth_uri, secret; NULL; wiped */
	struct print_src print;
};

static void
codes_draw(struct screen *sc, struct canvas *c)
{
	struct scr_codes	*s = (struct scr_codes *)sc;
	const cJSON		*e;
	char			 t[200];
	int			 i = 0, n = cJSON_GetArraySize(s->codes);
	int			 half = (n + 1) / 2, y;

	snprintf(t, sizeof t, _("Backup codes of %s"), s->user);
	frame_draw(sc, c, t);
	canvas_put(c, 2, 2, CA_BOLD, -1, s->why);
	text_wrap(c, 2, 3, c->cols - 4, 3, 0, ROLE_WARN | CA_BOLD, _("Shown "
	    "once: write them down or print them now. They are not kept in "
	    "readable form and will not be shown again. Each works once, "
	    "wherever a code is asked for."));
	cJSON_ArrayForEach(e, s->codes) {
		y = 7 + (i < half ? i : i - half);
		if (y < c->rows - 3)
			canvas_printf(c, i < half ? 6 : 30, y, CA_BOLD,
			    "%2d.  %s", i + 1, cJSON_IsString(e) ?
			    e->valuestring : "?");
		i++;
	}
	canvas_put(c, 2, 8 + half, CA_DIM, -1, _("Enter or Esc: done (the "
	    "codes are wiped from the screen)"));
}

static struct ui_action
codes_key(struct screen *sc, int key)
{
	enum key_act	a = keys_lookup(sc->keys, key, sc->typing);

	if (a == KA_ENTER)
		return act_pop();
	if (a == KA_SHEET)
		return act_run(print_job(0, &((struct scr_codes *)sc)->print));
	return scr_key_common(sc, a);
}

static struct ui_action
codes_done(struct screen *sc, struct ui_job *j)
{
	print_done(sc, j);
	return act_none();
}

static void
codes_free(struct screen *sc)
{
	struct scr_codes	*s = (struct scr_codes *)sc;

	cmd_result_free(s->codes);
	cmd_result_free(s->app);
	free(s->user);
	free(s->why);
	free(s);
}

static const struct screen_ops codes_ops = {
	.name = N_("backup codes"),
	.draw = codes_draw,
	.key = codes_key,
	.done = codes_done,
	.free = codes_free,
};

struct screen *
scr_codes_new(struct ui *ui, const char *user, cJSON *codes, const char *why,
    const cJSON *app)
{
	struct scr_codes	*s = xcalloc(1, sizeof *s);
	const cJSON		*v;

	s->base.ops = &codes_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_CODES;
	s->base.secret = true;
	s->user = xstrdup(user);
	s->why = xstrdup(why);
	s->codes = codes;
	if (app != NULL &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(app, "secret"))) {
		s->app = cJSON_CreateObject();
		v = cJSON_GetObjectItemCaseSensitive(app, "otpauth_uri");
		if (cJSON_IsString(v))
			cJSON_AddStringToObject(s->app, "otpauth_uri",
			    v->valuestring);
		v = cJSON_GetObjectItemCaseSensitive(app, "secret");
		cJSON_AddStringToObject(s->app, "secret", v->valuestring);
	}
	s->print.user = s->user;
	s->print.codes = s->codes;
	s->print.app = s->app;
	return &s->base;
}
