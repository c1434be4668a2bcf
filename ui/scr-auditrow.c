/*
 * scr-auditrow.c: one audit entry in full, from Enter on the audit log:
 * every field on its own line, the detail wrapped rather than cut, time
 * to the second with its zone.  Up and Down step to the newer and older
 * entries of the list it came from; Enter or Esc go back to it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "../src/when.h"
#include "outcome.h"
#include "screen.h"
#include "widget.h"

struct scr_auditrow {
	struct screen	 base;
	cJSON		*entries;	/* a copy of `audit list`'s, oldest first */
	int		 i;
};

/* The labels, in the operator's language; the widest sets the column. */
static const char *const row_labels[] = {
	N_("When"), N_("User"), N_("Action"), N_("Result"), N_("Operator"),
	N_("Detail"),
};

/* The widest label and two spaces, at least 10 ("Operator" and two). */
static int
row_label_w(const struct canvas *c)
{
	size_t	i;
	int	w = 10;

	for (i = 0; i < sizeof row_labels / sizeof row_labels[0]; i++)
		if (canvas_width(_(row_labels[i])) + 2 > w)
			w = canvas_width(_(row_labels[i])) + 2;
	return w < c->cols / 3 ? w : c->cols / 3;
}

static void
row_field(struct canvas *c, int y, const char *label, const char *value)
{
	int	lw = row_label_w(c);

	canvas_put(c, 2, y, CA_BOLD, lw, _(label));
	canvas_put(c, 2 + lw, y, 0, c->cols - 3 - lw, value);
}

static void
row_draw(struct screen *sc, struct canvas *c)
{
	struct scr_auditrow	*s = (struct scr_auditrow *)sc;
	int			 n = cJSON_GetArraySize(s->entries), y = 3;
	const cJSON		*e = cJSON_GetArrayItem(s->entries, s->i);
	char			 t[64], when[WHEN_MAX + 16], detail[1024];
	const char		*user;
	int			 lw = row_label_w(c);

	snprintf(t, sizeof t, _("Audit entry %.0f"), job_num(e, "id"));
	frame_draw(sc, c, t);
	canvas_printf(c, 1, 1, CA_DIM, _("%d of %d, newest first; Up and Down "
	    "step through them"), n - s->i, n);
	when_format_full((int64_t)job_num(e, "time"), when, sizeof when);
	user = job_opt_str(e, "user");
	outcome_detail(job_opt_str(e, "outcome"), job_opt_str(e, "detail"),
	    detail, sizeof detail);
	row_field(c, y++, row_labels[0], when);
	row_field(c, y++, row_labels[1], user != NULL ? user : _("(none)"));
	row_field(c, y++, row_labels[2], job_str(e, "action"));
	row_field(c, y++, row_labels[3], outcome_word(job_str(e, "outcome"),
	    job_opt_str(e, "detail")));
	row_field(c, y++, row_labels[4], job_str(e, "actor"));
	canvas_put(c, 2, y, CA_BOLD, lw, _(row_labels[5]));
	text_wrap(c, 2 + lw, y, c->cols - 3 - lw, c->rows - 3 - y,
	    0, 0, detail[0] != '\0' ? detail : _("(none)"));
}

static struct ui_action
row_key(struct screen *sc, int key)
{
	struct scr_auditrow	*s = (struct scr_auditrow *)sc;
	enum key_act		 a = keys_lookup(sc->keys, key, false);
	int			 n = cJSON_GetArraySize(s->entries);

	switch (a) {
	case KA_UP:
		/* The list shows the newest first: up is newer. */
		if (s->i + 1 < n)
			s->i++;
		return act_none();
	case KA_DOWN:
		if (s->i > 0)
			s->i--;
		return act_none();
	case KA_ENTER:
		return act_pop();
	default:
		return scr_key_common(sc, a);
	}
}

static void
row_free(struct screen *sc)
{
	struct scr_auditrow	*s = (struct scr_auditrow *)sc;

	cmd_result_free(s->entries);
	free(s);
}

static const struct screen_ops auditrow_ops = {
	.name = N_("audit entry"),
	.draw = row_draw,
	.key = row_key,
	.free = row_free,
};

struct screen *
scr_auditrow_new(struct ui *ui, const cJSON *entries, int i)
{
	struct scr_auditrow	*s = xcalloc(1, sizeof *s);

	s->base.ops = &auditrow_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_LIST;
	s->entries = cJSON_Duplicate(entries, 1);
	if (s->entries == NULL)
		oom();
	s->i = i >= 0 && i < cJSON_GetArraySize(s->entries) ? i : 0;
	return &s->base;
}
