/*
 * scr-pick.c: which method to activate: the config's methods (from the
 * `config` command) filtered as you type, by name, shown name or handler.
 * Enter starts the enrolment wizard for the one selected.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "screen.h"
#include "widget.h"

struct scr_pick {
	struct screen	 base;
	char		*user;
	struct field	 filter;
	cJSON		*config;
	const cJSON	*shown[64];	/* methods that match the filter */
	int		 n;
	struct listpos	 pos;
};

static bool
pick_match(const char *hay, const char *needle)
{
	size_t	i, j;

	for (i = 0; hay[i] != '\0' || needle[0] == '\0'; i++) {
		for (j = 0; needle[j] != '\0' && hay[i + j] != '\0' &&
		    tolower((unsigned char)hay[i + j]) ==
		    tolower((unsigned char)needle[j]); j++)
			;
		if (needle[j] == '\0')
			return true;
	}
	return false;
}

static void
pick_filter(struct scr_pick *s)
{
	const cJSON	*m;
	const char	*f = s->filter.buf;

	s->n = 0;
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(s->config,
	    "methods")) {
		if (s->n < (int)(sizeof s->shown / sizeof s->shown[0]) &&
		    (pick_match(job_str(m, "name"), f) ||
		    pick_match(job_str(m, "verbose_name"), f) ||
		    pick_match(job_str(m, "handler"), f)))
			s->shown[s->n++] = m;
	}
	list_fit(&s->pos, s->n, s->base.ui->rows - 7);
}

static void
pick_draw(struct screen *sc, struct canvas *c)
{
	struct scr_pick	*s = (struct scr_pick *)sc;
	char		 t[200];
	int		 i, y;
	bool		 sel;

	snprintf(t, sizeof t, _("Activate a method for %s"), s->user);
	frame_draw(sc, c, t);
	field_draw(c, 1, 1, c->cols - 2 > 50 ? 50 : c->cols - 2, 0,
	    &s->filter, true);
	canvas_fill(c, 1, 3, c->cols - 2, 1, ' ', CA_BOLD | CA_UNDERLINE);
	canvas_put(c, 3, 3, CA_BOLD | CA_UNDERLINE, 19, _("Method"));
	canvas_put(c, 23, 3, CA_BOLD | CA_UNDERLINE, 15, _("Handler"));
	canvas_put(c, 39, 3, CA_BOLD | CA_UNDERLINE, 7, _("Kind"));
	canvas_put(c, 47, 3, CA_BOLD | CA_UNDERLINE, c->cols - 49 > 0 ?
	    c->cols - 49 : 1, _("Shown as"));
	for (i = s->pos.top; i < s->n && 4 + i - s->pos.top < c->rows - 3;
	    i++) {
		y = 4 + i - s->pos.top;
		sel = i == s->pos.sel;
		if (sel)
			sel_bar(c, y);
		canvas_printf(c, 3, y, sel ? ROLE_SEL | CA_BOLD : 0,
		    "%-20.19s%-16.15s%-8.7s%s", job_str(s->shown[i], "name"),
		    job_str(s->shown[i], "handler"),
		    job_str(s->shown[i], "kind"),
		    job_str(s->shown[i], "verbose_name"));
	}
	if (s->n == 0 && s->config != NULL)
		canvas_put(c, 3, 4, CA_DIM, -1, _("no method matches"));
}

static struct ui_action
pick_key(struct screen *sc, int key)
{
	struct scr_pick	*s = (struct scr_pick *)sc;
	enum key_act	 a = keys_lookup(sc->keys, key, true);

	if (field_key(&s->filter, key)) {
		s->pos.sel = 0;
		pick_filter(s);
		return act_none();
	}
	if (list_move(&s->pos, a, s->n, sc->ui->rows - 7))
		return act_none();
	if (a == KA_ENTER) {
		if (s->n == 0)
			return act_none();
		return act_replace(scr_enrol_new(sc->ui, s->user,
		    s->shown[s->pos.sel]));
	}
	return scr_key_common(sc, a);
}

static struct ui_action
pick_enter(struct screen *sc)
{
	struct scr_pick	*s = (struct scr_pick *)sc;

	if (s->config != NULL)
		return act_none();
	return act_run(job_new(0, "config", NULL));
}

static struct ui_action
pick_done(struct screen *sc, struct ui_job *j)
{
	struct scr_pick	*s = (struct scr_pick *)sc;

	if (j->rc != RD_OK) {
		scr_msg_job(sc, j);
		return act_none();
	}
	s->config = j->out;
	j->out = NULL;
	pick_filter(s);
	return act_none();
}

static void
pick_free(struct screen *sc)
{
	struct scr_pick	*s = (struct scr_pick *)sc;

	cmd_result_free(s->config);
	field_clear(&s->filter);
	free(s->user);
	free(s);
}

static const struct screen_ops pick_ops = {
	.name = N_("method picker"),
	.draw = pick_draw,
	.key = pick_key,
	.enter = pick_enter,
	.done = pick_done,
	.free = pick_free,
};

struct screen *
scr_pick_new(struct ui *ui, const char *user)
{
	struct scr_pick	*s = xcalloc(1, sizeof *s);

	s->base.ops = &pick_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_LIST;
	s->base.typing = true;
	s->user = xstrdup(user);
	s->filter.label = _("Filter");
	return &s->base;
}
