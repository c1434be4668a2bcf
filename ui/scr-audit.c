/*
 * scr-audit.c: the audit log (`audit list`), newest first, and `v` to
 * walk its MAC chain (`audit verify`), which names the first row changed
 * behind redoubt's back.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../src/util.h"
#include "screen.h"
#include "widget.h"

enum {
	T_LIST,
	T_VERIFY,
};

struct scr_audit {
	struct screen	 base;
	cJSON		*list;		/* `audit list` */
	struct listpos	 pos;
};

static int
audit_rows(const struct ui *ui)
{
	return ui->rows - 5 > 1 ? ui->rows - 5 : 1;
}

static void
audit_draw(struct screen *sc, struct canvas *c)
{
	struct scr_audit	*s = (struct scr_audit *)sc;
	const cJSON		*arr = cJSON_GetObjectItemCaseSensitive(s->list,
				    "entries"), *e;
	int			 n = cJSON_GetArraySize(arr), i, y, rows;
	char			 when[32], line[512];
	bool			 sel;

	frame_draw(sc, c, "Audit log");
	canvas_printf(c, 1, 1, CA_DIM, "%d newest entries, newest first; v "
	    "verifies the chain", n);
	canvas_printf(c, 1, 2, CA_BOLD | CA_UNDERLINE, "%-6s%-21s%-6s%-12s"
	    "%-14s%-10s%-*s", "Row", "Time (UTC)", "By", "User", "Action",
	    "Outcome", c->cols - 70 > 0 ? c->cols - 70 : 1, "Detail");
	rows = audit_rows(sc->ui);
	list_fit(&s->pos, n, rows);
	for (i = s->pos.top; i < n && i < s->pos.top + rows; i++) {
		e = cJSON_GetArrayItem(arr, n - 1 - i);
		y = 3 + i - s->pos.top;
		sel = i == s->pos.sel;
		time_fmt(job_num(e, "time"), when, sizeof when);
		snprintf(line, sizeof line, "%-6.0f%-21s%-6.5s%-12.11s%-14.13s"
		    "%-10.9s%s", job_num(e, "id"), when, job_str(e, "actor"),
		    job_str(e, "user"), job_str(e, "action"),
		    job_str(e, "outcome"), job_str(e, "detail"));
		if (sel)
			sel_bar(c, y);
		canvas_put(c, 1, y, sel ? ROLE_SEL : 0, c->cols - 2, line);
	}
}

static struct ui_action
audit_key(struct screen *sc, int key)
{
	struct scr_audit	*s = (struct scr_audit *)sc;
	enum key_act		 a = keys_lookup(sc->keys, key, false);

	if (list_move(&s->pos, a, cJSON_GetArraySize(
	    cJSON_GetObjectItemCaseSensitive(s->list, "entries")),
	    audit_rows(sc->ui)))
		return act_none();
	if (a == KA_VERIFY)
		return act_run(job_new(T_VERIFY, "audit", "verify", NULL));
	return scr_key_common(sc, a);
}

static struct ui_action
audit_enter(struct screen *sc)
{
	(void)sc;
	return act_run(job_new(T_LIST, "audit", "list", "--limit", "1000",
	    NULL));
}

static struct ui_action
audit_done(struct screen *sc, struct ui_job *j)
{
	struct scr_audit	*s = (struct scr_audit *)sc;

	if (j->rc != RD_OK) {
		scr_msg_job(sc, j);
		return act_none();
	}
	if (j->tag == T_VERIFY) {
		scr_msg(sc, ROLE_OK | CA_BOLD, "audit chain intact: %.0f rows "
		    "verified", job_num(j->out, "rows"));
		return audit_enter(sc);
	}
	cmd_result_free(s->list);
	s->list = j->out;
	j->out = NULL;
	return act_none();
}

static void
audit_free(struct screen *sc)
{
	struct scr_audit	*s = (struct scr_audit *)sc;

	cmd_result_free(s->list);
	free(s);
}

static const struct screen_ops audit_ops = {
	.name = "audit log",
	.draw = audit_draw,
	.key = audit_key,
	.enter = audit_enter,
	.done = audit_done,
	.free = audit_free,
};

struct screen *
scr_audit_new(struct ui *ui)
{
	struct scr_audit	*s = xcalloc(1, sizeof *s);

	s->base.ops = &audit_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_LIST | KC_AUDIT;
	return &s->base;
}
