/*
 * scr-auditrow.c: one audit entry in full, from Enter on the audit log:
 * every field on its own line, the detail wrapped rather than cut, time
 * to the second with its zone.  Up and Down step to the newer and older
 * entries of the list it came from; Enter or Esc go back to it.
 */
#include <stdio.h>
#include <stdlib.h>

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

#define LABEL_W	10	/* "Operator" and two spaces */

static void
row_field(struct canvas *c, int y, const char *label, const char *value)
{
	canvas_put(c, 2, y, CA_BOLD, LABEL_W, label);
	canvas_put(c, 2 + LABEL_W, y, 0, c->cols - 3 - LABEL_W, value);
}

static void
row_draw(struct screen *sc, struct canvas *c)
{
	struct scr_auditrow	*s = (struct scr_auditrow *)sc;
	int			 n = cJSON_GetArraySize(s->entries), y = 3;
	const cJSON		*e = cJSON_GetArrayItem(s->entries, s->i);
	char			 t[64], when[WHEN_MAX + 16], detail[1024];
	const char		*user;

	snprintf(t, sizeof t, "Audit entry %.0f", job_num(e, "id"));
	frame_draw(sc, c, t);
	canvas_printf(c, 1, 1, CA_DIM, "%d of %d, newest first; Up and Down "
	    "step through them", n - s->i, n);
	when_format_full((int64_t)job_num(e, "time"), when, sizeof when);
	user = job_opt_str(e, "user");
	outcome_detail(job_opt_str(e, "outcome"), job_opt_str(e, "detail"),
	    detail, sizeof detail);
	row_field(c, y++, "When", when);
	row_field(c, y++, "User", user != NULL ? user : "(none)");
	row_field(c, y++, "Action", job_str(e, "action"));
	row_field(c, y++, "Result", outcome_word(job_str(e, "outcome"),
	    job_opt_str(e, "detail")));
	row_field(c, y++, "Operator", job_str(e, "actor"));
	canvas_put(c, 2, y, CA_BOLD, LABEL_W, "Detail");
	text_wrap(c, 2 + LABEL_W, y, c->cols - 3 - LABEL_W, c->rows - 3 - y,
	    0, 0, detail[0] != '\0' ? detail : "(none)");
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
	.name = "audit entry",
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
