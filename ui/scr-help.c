/*
 * scr-help.c: `?` on any screen: the rows of the key table that apply to
 * the screen below, by section.  Keys that do the same thing share a line
 * ("Up k  move up").  Nothing here is written by hand, so help cannot
 * drift from what the keys do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "screen.h"
#include "widget.h"

struct help_line {
	bool	 head;
	char	 keys[48];
	char	 text[160];
};

struct scr_help {
	struct screen		 base;
	char			*name;
	unsigned		 mask;
	struct help_line	*lines;
	int			 n;
	int			 cap;
	int			 width;		/* the text's, built for */
	int			 top;
};

/* A line of help: text wider than w columns goes on below, under it. */
static void
help_add(struct scr_help *s, const char *keys, const char *text, int w)
{
	struct help_line	*l;
	const char		*p = text;
	size_t			 n, cut;

	do {
		n = canvas_fit(p, w);
		cut = n;
		if (p[n] != '\0') {
			/* At the last space that fits, if there is one. */
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = n > 0 ? n : strlen(p);
		}
		l = &s->lines[s->n++];
		snprintf(l->keys, sizeof l->keys, "%s", p == text ? keys : "");
		snprintf(l->text, sizeof l->text, "%.*s", (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	} while (*p != '\0' && s->n < s->cap);
}

/* The lines for mask, the help texts wrapped at w columns. */
static void
help_build(struct scr_help *s, unsigned mask, int w)
{
	static const unsigned	order[] = { KC_ALL, KC_LIST, KC_FORM,
				    KC_USERS, KC_USER, KC_METHOD, KC_QR,
				    KC_CODES, KC_LOGIN, KC_AUDIT, KC_OUTBOX };
	struct help_line	*l;
	char			 keys[48];
	size_t			 i, j, k;

	free(s->lines);
	s->n = 0;
	s->cap = (int)(key_table_len * 6 + 16);
	s->lines = xcalloc((size_t)s->cap, sizeof *s->lines);
	s->width = w;
	w = w > 8 ? w : 8;
	for (j = 0; j < sizeof order / sizeof order[0]; j++) {
		if (!(order[j] & mask))
			continue;
		/* The blank line above a section is a line of its own, so
		   that a page holds as many lines as the screen has rows
		   and End shows the last one. */
		if (s->n > 0)
			s->n++;
		l = &s->lines[s->n++];
		l->head = true;
		snprintf(l->text, sizeof l->text, "%s", keys_section(order[j]));
		for (i = 0; i < key_table_len; i++) {
			const struct key_bind	*b = &key_table[i];

			if (b->ctx != order[j])
				continue;
			/* Keys that do the same share the line: "Up k". */
			for (k = 0; k < i; k++)
				if (key_table[k].ctx == b->ctx &&
				    strcmp(key_table[k].help, b->help) == 0)
					break;
			if (k < i)
				continue;
			snprintf(keys, sizeof keys, "%s", _(b->label));
			for (k = i + 1; k < key_table_len; k++) {
				size_t	n = strlen(keys);

				if (key_table[k].ctx == b->ctx &&
				    strcmp(key_table[k].help, b->help) == 0)
					snprintf(keys + n, sizeof keys - n,
					    " %s", _(key_table[k].label));
			}
			if (s->n + 1 < s->cap)
				help_add(s, keys, _(b->help), w);
		}
	}
}

static int
help_rows(const struct ui *ui)
{
	return ui->rows - 4 > 1 ? ui->rows - 4 : 1;
}

static void
help_draw(struct screen *sc, struct canvas *c)
{
	struct scr_help	*s = (struct scr_help *)sc;
	char		 t[128];
	int		 i, y = 2;

	if (s->width != c->cols - 22) {
		help_build(s, s->mask, c->cols - 22);
		if (s->top >= s->n)
			s->top = s->n > 0 ? s->n - 1 : 0;
	}
	snprintf(t, sizeof t, _("Help: %s"), s->name);
	frame_draw(sc, c, t);
	for (i = s->top; i < s->n && y < c->rows - 2; i++, y++) {
		if (s->lines[i].head) {
			canvas_put(c, 2, y, CA_BOLD | CA_UNDERLINE, -1,
			    s->lines[i].text);
			continue;
		}
		canvas_put(c, 4, y, ROLE_KEY | CA_BOLD, 16, s->lines[i].keys);
		canvas_put(c, 21, y, 0, c->cols - 22, s->lines[i].text);
	}
	if (s->top > 0 || i < s->n)
		canvas_printf(c, c->cols - 24, 1, CA_DIM, _("lines %d-%d of %d"),
		    s->top + 1, i, s->n);
}

static struct ui_action
help_key(struct screen *sc, int key)
{
	struct scr_help	*s = (struct scr_help *)sc;
	enum key_act	 a = keys_lookup(sc->keys, key, false);
	int		 page = help_rows(sc->ui);

	if (scroll_key(&s->top, a, s->n, page))
		return act_none();
	if (a == KA_ENTER || a == KA_HELP)
		return act_pop();
	return scr_key_common(sc, a);
}

static void
help_free(struct screen *sc)
{
	struct scr_help	*s = (struct scr_help *)sc;

	free(s->lines);
	free(s->name);
	free(s);
}

static const struct screen_ops help_ops = {
	.name = N_("help"),
	.draw = help_draw,
	.key = help_key,
	.free = help_free,
};

struct screen *
scr_help_new(struct ui *ui, unsigned mask, const char *name)
{
	struct scr_help	*s = xcalloc(1, sizeof *s);

	s->base.ops = &help_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_LIST;
	s->name = xstrdup(_(name));
	s->mask = mask;
	help_build(s, mask, ui->cols - 22);
	return &s->base;
}
