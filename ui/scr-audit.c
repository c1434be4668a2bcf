/*
 * scr-audit.c: the audit log (`audit list`), newest first, in columns
 * that fit 80: when (local time), user, action, what happened in words,
 * the operator from 100 columns on, and the detail last, cut with an
 * ellipsis where the screen ends.  `/` filters by user and action (the
 * command's --user and --action, exact names), Enter shows a whole entry
 * (scr-auditrow.c), and `v` walks the MAC chain (`audit verify`), which
 * names the first row changed behind redoubt's back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/util.h"
#include "../src/when.h"
#include "outcome.h"
#include "screen.h"
#include "widget.h"

#define AUDIT_LOAD	1000	/* rows loaded: the newest that match */

enum {
	T_LIST,
	T_VERIFY,
};

struct scr_audit {
	struct screen	 base;
	cJSON		*list;		/* `audit list` */
	struct listpos	 pos;
	struct field	 user;		/* the filter, kept while not typing */
	struct field	 action;
	int		 focus;		/* 0: user, 1: action */
};

/* One column: its heading and width; the last takes what is left. */
struct audit_col {
	const char	*head;
	int		 w;
};

enum { C_WHEN, C_USER, C_ACTION, C_RESULT, C_BY, C_DETAIL, C_N };

static int
audit_rows(const struct ui *ui)
{
	return ui->rows - 5 > 1 ? ui->rows - 5 : 1;
}

static const cJSON *
audit_entries(const struct scr_audit *s)
{
	return cJSON_GetObjectItemCaseSensitive(s->list, "entries");
}

/*
 * Widths for cols columns: at 80 the operator gives way to the detail
 * (Enter shows it); from 100 on it has its column; the user column
 * grows a little with the width.
 */
static void
audit_layout(int cols, struct audit_col col[C_N])
{
	static const char *const	 heads[C_N] = { "When", "User", "Action",
					    "Result", "By", "Detail" };
	int				 i, used = 0;

	for (i = 0; i < C_N; i++)
		col[i].head = heads[i];
	col[C_WHEN].w = 16;
	col[C_USER].w = cols >= 120 ? 20 : 12;
	col[C_ACTION].w = 12;
	col[C_RESULT].w = OUTCOME_WORD_MAX;
	col[C_BY].w = cols >= 100 ? 14 : 0;
	for (i = 0; i < C_DETAIL; i++)
		used += col[i].w > 0 ? col[i].w + 1 : 0;
	/* The frame's margin of one column on either side. */
	col[C_DETAIL].w = cols - 2 - used > 1 ? cols - 2 - used : 1;
}

/* s in w columns at x, y; cut with an ellipsis when it does not fit. */
static void
cell_put(struct canvas *c, int x, int y, unsigned attr, int w, const char *s)
{
	int	used;

	if (w <= 0)
		return;
	if (canvas_width(s) <= w) {
		canvas_put(c, x, y, attr, w, s);
		return;
	}
	used = canvas_put(c, x, y, attr, w - 1, s);
	canvas_put(c, x + used, y, attr, 1, "\xe2\x80\xa6");
}

static bool
audit_filtered(const struct scr_audit *s)
{
	return s->user.len > 0 || s->action.len > 0;
}

/* Line 1: the filter fields while typing, else what is shown. */
static void
audit_summary(struct scr_audit *s, struct canvas *c, int n)
{
	char	line[FIELD_MAX * 2 + 64], who[96];
	int	w = c->cols - 2, x;

	if (s->base.typing) {
		/* Two fields, and how to use them where there is room. */
		x = w >= 88 ? 31 : w >= 50 ? (w - 26) / 2 : w / 2 - 1;
		field_draw(c, 1, 1, x, 0, &s->user, s->focus == 0);
		field_draw(c, 2 + x, 1, x, 0, &s->action, s->focus == 1);
		if (w - 2 * x - 2 >= 24)
			canvas_put(c, 3 + 2 * x, 1, CA_DIM, w - 2 * x - 2,
			    "Enter filters, Esc drops");
		return;
	}
	snprintf(line, sizeof line, "%s%d entr%s%s%s%s%s, newest first",
	    n == AUDIT_LOAD ? "the newest " : "", n, n == 1 ? "y" : "ies",
	    s->user.len ? " about " : "", s->user.buf,
	    s->action.len ? ", action " : "", s->action.buf);
	snprintf(who, sizeof who, "you are %s", s->base.ui->ctx.actor ?
	    s->base.ui->ctx.actor : "");
	x = canvas_width(who);
	if (canvas_width(line) + x + 3 <= w) {
		canvas_put(c, 1, 1, CA_DIM, w, line);
		canvas_put(c, c->cols - 1 - x, 1, CA_DIM, x, who);
	} else {
		cell_put(c, 1, 1, CA_DIM, w, line);
	}
}

static void
audit_line(struct canvas *c, int y, unsigned attr, const struct audit_col
    *col, const char *const text[C_N])
{
	int	i, x = 1;

	for (i = 0; i < C_N; i++) {
		if (col[i].w <= 0)
			continue;
		cell_put(c, x, y, attr, col[i].w, text[i]);
		x += col[i].w + 1;
	}
}

static void
audit_draw(struct screen *sc, struct canvas *c)
{
	struct scr_audit	*s = (struct scr_audit *)sc;
	const cJSON		*arr = audit_entries(s), *e;
	struct audit_col	 col[C_N];
	const char		*text[C_N];
	int			 n = cJSON_GetArraySize(arr), i, y, rows;
	char			 when[WHEN_MAX], detail[1024];
	bool			 sel;

	frame_draw(sc, c, "Audit log");
	audit_layout(c->cols, col);
	audit_summary(s, c, n);
	for (i = 0; i < C_N; i++)
		text[i] = col[i].head;
	canvas_fill(c, 1, 2, c->cols - 2, 1, ' ', CA_BOLD | CA_UNDERLINE);
	audit_line(c, 2, CA_BOLD | CA_UNDERLINE, col, text);
	if (n == 0 && s->list != NULL) {
		canvas_put(c, 3, 3, CA_DIM, c->cols - 4, audit_filtered(s) ?
		    "no entries match the filter (Esc drops it)" :
		    "no entries");
		return;
	}
	rows = audit_rows(sc->ui);
	list_fit(&s->pos, n, rows);
	for (i = s->pos.top; i < n && i < s->pos.top + rows; i++) {
		e = cJSON_GetArrayItem(arr, n - 1 - i);
		y = 3 + i - s->pos.top;
		sel = i == s->pos.sel && !sc->typing;
		when_format((int64_t)job_num(e, "time"), when, sizeof when);
		outcome_detail(job_opt_str(e, "outcome"),
		    job_opt_str(e, "detail"), detail, sizeof detail);
		text[C_WHEN] = when;
		text[C_USER] = job_opt_str(e, "user") ? job_opt_str(e, "user") :
		    "";
		text[C_ACTION] = job_str(e, "action");
		text[C_RESULT] = outcome_word(job_str(e, "outcome"),
		    job_opt_str(e, "detail"));
		text[C_BY] = job_str(e, "actor");
		text[C_DETAIL] = detail;
		if (sel)
			sel_bar(c, y);
		audit_line(c, y, sel ? ROLE_SEL : 0, col, text);
	}
}

static struct ui_action
audit_load(struct scr_audit *s)
{
	struct ui_job	*j;
	char		 limit[16];

	snprintf(limit, sizeof limit, "%d", AUDIT_LOAD);
	j = job_new(T_LIST, "audit", "list", "--limit", limit, NULL);

	if (s->user.len > 0) {
		job_arg(j, "--user");
		job_arg(j, s->user.buf);
	}
	if (s->action.len > 0) {
		job_arg(j, "--action");
		job_arg(j, s->action.buf);
	}
	s->pos.sel = 0;
	s->pos.top = 0;
	return act_run(j);
}

/* Keys while the filter fields have the focus. */
static struct ui_action
audit_key_filter(struct scr_audit *s, int key, enum key_act a)
{
	if (field_key(s->focus == 0 ? &s->user : &s->action, key))
		return act_none();
	switch (a) {
	case KA_NEXT_FIELD:
	case KA_PREV_FIELD:
		s->focus = !s->focus;
		return act_none();
	case KA_ENTER:
		s->base.typing = false;
		return audit_load(s);
	case KA_BACK:
		/* Esc drops the filter, as it started. */
		s->base.typing = false;
		field_clear(&s->user);
		field_clear(&s->action);
		return audit_load(s);
	default:
		return scr_key_common(&s->base, a);
	}
}

static struct ui_action
audit_key(struct screen *sc, int key)
{
	struct scr_audit	*s = (struct scr_audit *)sc;
	enum key_act		 a = keys_lookup(sc->keys, key, sc->typing);
	const cJSON		*arr = audit_entries(s);
	int			 n = cJSON_GetArraySize(arr);

	if (sc->typing)
		return audit_key_filter(s, key, a);
	if (list_move(&s->pos, a, n, audit_rows(sc->ui)))
		return act_none();
	switch (a) {
	case KA_SEARCH:
		sc->typing = true;
		s->focus = 0;
		return act_none();
	case KA_ENTER:
		if (n == 0)
			return act_none();
		return act_push(scr_auditrow_new(sc->ui, arr, n - 1 -
		    s->pos.sel));
	case KA_VERIFY:
		return act_run(job_new(T_VERIFY, "audit", "verify", NULL));
	case KA_BACK:
		if (audit_filtered(s)) {
			field_clear(&s->user);
			field_clear(&s->action);
			return audit_load(s);
		}
		return act_pop();
	default:
		return scr_key_common(sc, a);
	}
}

static struct ui_action
audit_enter(struct screen *sc)
{
	struct scr_audit	*s = (struct scr_audit *)sc;
	struct listpos		 keep = s->pos;
	struct ui_action	 a = audit_load(s);

	/* Back from an entry: the selection stays where it was. */
	s->pos = keep;
	return a;
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
	s->user.label = "User";
	s->action.label = "Action";
	return &s->base;
}
