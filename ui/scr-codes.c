/*
 * scr-codes.c: backup codes, shown this once.  The core keeps only their
 * keyed hashes, so this screen is the only place they can be read; it
 * says so, and when it is left the codes are wiped from memory and the
 * whole terminal is repainted so no cell keeps one.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "screen.h"
#include "widget.h"

struct scr_codes {
	struct screen	 base;
	char		*user;
	char		*why;
	cJSON		*codes;		/* array of strings; wiped on free */
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
	return scr_key_common(sc, a);
}

static void
codes_free(struct screen *sc)
{
	struct scr_codes	*s = (struct scr_codes *)sc;

	cmd_result_free(s->codes);
	free(s->user);
	free(s->why);
	free(s);
}

static const struct screen_ops codes_ops = {
	.name = N_("backup codes"),
	.draw = codes_draw,
	.key = codes_key,
	.free = codes_free,
};

struct screen *
scr_codes_new(struct ui *ui, const char *user, cJSON *codes, const char *why)
{
	struct scr_codes	*s = xcalloc(1, sizeof *s);

	s->base.ops = &codes_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL;
	s->base.secret = true;
	s->user = xstrdup(user);
	s->why = xstrdup(why);
	s->codes = codes;
	return &s->base;
}
