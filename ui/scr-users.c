/*
 * scr-users.c: the user list, the TUI's home.  It never holds more than
 * one screenful: each page is `user list --after NAME --limit ROWS`, so a
 * vault of a million users scrolls as fast as one of ten, and the search
 * field is `--prefix` as you type.  The command has no backwards paging,
 * so the screen keeps the anchors (the name before each window) it passed
 * on the way down and goes back through them; End walks forward once, in
 * big pages on the worker thread, keeping one anchor per screenful.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/util.h"
#include "screen.h"
#include "widget.h"

enum {
	T_LOAD,		/* the window at the current anchor */
	T_DOWN,		/* the window one name further */
	T_PGDN,		/* the next window */
	T_END,		/* the last window */
};

struct anchor {
	char	*name;		/* NULL: the start */
	int	 shift;		/* names between it and the next window */
};

struct scr_users {
	struct screen	 base;
	struct field	 search;
	char		**names;
	bool		*active;
	int		  n;
	char		 *anchor;	/* the name before the window; NULL: start */
	struct anchor	 *stack;	/* anchors of windows above */
	int		  nstack, cap;
	int		  sel;
};

/* Rows of names: the body less the search line and the column heads. */
static int
users_page(const struct ui *ui)
{
	return ui->rows - 5 > 1 ? ui->rows - 5 : 1;
}

static void
users_push(struct scr_users *s, const char *anchor, int shift)
{
	if (s->nstack == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->stack = xrealloc(s->stack, (size_t)s->cap * sizeof *s->stack);
	}
	s->stack[s->nstack].name = anchor ? xstrdup(anchor) : NULL;
	s->stack[s->nstack++].shift = shift;
}

static void
users_clear_stack(struct scr_users *s)
{
	while (s->nstack > 0)
		free(s->stack[--s->nstack].name);
}

static void
users_set_anchor(struct scr_users *s, const char *name)
{
	char	*old = s->anchor;

	s->anchor = name ? xstrdup(name) : NULL;
	free(old);
}

static struct ui_job *
users_job(struct scr_users *s, int tag, const char *after, int limit)
{
	struct ui_job	*j = job_new(tag, "user", "list", NULL);
	char		 n[16];

	snprintf(n, sizeof n, "%d", limit);
	job_arg(j, "--limit");
	job_arg(j, n);
	if (s->search.len > 0) {
		job_arg(j, "--prefix");
		job_arg(j, s->search.buf);
	}
	if (after != NULL) {
		job_arg(j, "--after");
		job_arg(j, after);
	}
	return j;
}

static void
users_take(struct scr_users *s, const cJSON *arr)
{
	const cJSON	*u;
	int		 i;

	for (i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	free(s->active);
	s->n = cJSON_GetArraySize(arr);
	s->names = xcalloc((size_t)s->n + 1, sizeof *s->names);
	s->active = xcalloc((size_t)s->n + 1, sizeof *s->active);
	i = 0;
	cJSON_ArrayForEach(u, arr) {
		s->names[i] = xstrdup(job_str(u, "name"));
		s->active[i++] = job_bool(u, "active");
	}
}

/*
 * End: every name after the anchors, in big pages; see the top.  A ring
 * keeps the last page + 1 names: the last window and the name before it.
 */
struct users_walk {
	char		**ring;
	bool		 *ring_active;
	int		  page, size;	/* size = page + 1 */
	long		  seen;
	struct anchor	 *anchors;	/* one per screenful passed */
	int		  nanchors, cap;
	char		 *prefix;
};

static void
users_walk_one(struct users_walk *w, const cJSON *u)
{
	int	slot = (int)(w->seen % w->size);

	/* The name before each screenful is its anchor. */
	if (w->seen % w->page == 0) {
		if (w->nanchors == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 64;
			w->anchors = xrealloc(w->anchors, (size_t)w->cap *
			    sizeof *w->anchors);
		}
		w->anchors[w->nanchors].name = w->seen == 0 ? NULL :
		    xstrdup(w->ring[(w->seen - 1) % w->size]);
		w->anchors[w->nanchors++].shift = w->page;
	}
	free(w->ring[slot]);
	w->ring[slot] = xstrdup(job_str(u, "name"));
	w->ring_active[slot] = job_bool(u, "active");
	w->seen++;
}

static enum rd_code
users_walk_fn(struct ui *ui, struct ui_job *j, cJSON *out, struct rd_err *err)
{
	struct users_walk	*w = j->arg;
	struct ui_job		*sub;
	const cJSON		*u;
	char			*after = NULL;
	int			 got;

	(void)out;
	do {
		if (ui->cancel) {
			free(after);
			return rd_err_set(err, RD_TIMEOUT, "cancelled");
		}
		sub = job_new(0, "user", "list", "--limit", "10000", NULL);
		if (w->prefix != NULL) {
			job_arg(sub, "--prefix");
			job_arg(sub, w->prefix);
		}
		if (after != NULL) {
			job_arg(sub, "--after");
			job_arg(sub, after);
		}
		free(after);
		after = NULL;
		job_exec(ui, sub);
		if (sub->rc != RD_OK) {
			*err = sub->err;
			job_free(sub);
			return err->code;
		}
		got = 0;
		cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(sub->out,
		    "users")) {
			users_walk_one(w, u);
			got++;
		}
		if (got > 0)
			after = xstrdup(w->ring[(w->seen - 1) % w->size]);
		job_free(sub);
	} while (got == 10000);
	free(after);
	return RD_OK;
}

static void
users_walk_free(struct users_walk *w)
{
	int	i;

	for (i = 0; i < w->size; i++)
		free(w->ring[i]);
	for (i = 0; i < w->nanchors; i++)
		free(w->anchors[i].name);
	free(w->ring);
	free(w->ring_active);
	free(w->anchors);
	free(w->prefix);
	free(w);
}

static struct ui_action
users_end(struct scr_users *s)
{
	struct users_walk	*w = xcalloc(1, sizeof *w);
	struct ui_job		*j = job_new(T_END, NULL);

	w->page = users_page(s->base.ui);
	w->size = w->page + 1;
	w->ring = xcalloc((size_t)w->size, sizeof *w->ring);
	w->ring_active = xcalloc((size_t)w->size, sizeof *w->ring_active);
	w->prefix = s->search.len ? xstrdup(s->search.buf) : NULL;
	j->fn = users_walk_fn;
	j->arg = w;
	j->slow = true;
	j->what = "walking to the last user";
	return act_run(j);
}

/* The walk's outcome: the last screenful and the anchors above it. */
static void
users_end_done(struct scr_users *s, struct users_walk *w)
{
	long	start = w->seen > w->page ? w->seen - w->page : 0, i, next;

	users_clear_stack(s);
	for (i = 0; i < w->nanchors && i * w->page < start; i++) {
		next = (i + 1) * w->page < start ? (i + 1) * w->page : start;
		users_push(s, w->anchors[i].name, (int)(next - i * w->page));
	}
	for (i = 0; i < s->n; i++)
		free(s->names[i]);
	s->n = (int)(w->seen - start);
	s->names = xrealloc(s->names, ((size_t)s->n + 1) * sizeof *s->names);
	s->active = xrealloc(s->active, ((size_t)s->n + 1) *
	    sizeof *s->active);
	for (i = 0; i < s->n; i++) {
		s->names[i] = xstrdup(w->ring[(start + i) % w->size]);
		s->active[i] = w->ring_active[(start + i) % w->size];
	}
	users_set_anchor(s, start > 0 ? w->ring[(start - 1) % w->size] : NULL);
	s->sel = s->n > 0 ? s->n - 1 : 0;
}

static struct ui_action
users_reload(struct scr_users *s)
{
	return act_run(users_job(s, T_LOAD, s->anchor, users_page(s->base.ui)));
}

static struct ui_action
users_restart(struct scr_users *s)
{
	users_clear_stack(s);
	users_set_anchor(s, NULL);
	s->sel = 0;
	return users_reload(s);
}

/* Back through the anchors by at least want names. */
static struct ui_action
users_back(struct scr_users *s, int want, bool to_prev_line)
{
	int	moved = 0, shift = 0;

	while (s->nstack > 0 && moved < want) {
		s->nstack--;
		shift = s->stack[s->nstack].shift;
		moved += shift;
		users_set_anchor(s, s->stack[s->nstack].name);
		free(s->stack[s->nstack].name);
	}
	if (moved == 0)
		return act_none();
	if (to_prev_line)
		s->sel = shift - 1;
	return users_reload(s);
}

static struct ui_action
users_move(struct scr_users *s, enum key_act a)
{
	int	page = users_page(s->base.ui);

	switch (a) {
	case KA_UP:
		if (s->sel > 0) {
			s->sel--;
			return act_none();
		}
		return users_back(s, 1, true);
	case KA_DOWN:
		if (s->sel < s->n - 1) {
			s->sel++;
			return act_none();
		}
		if (s->n < page)
			return act_none();
		return act_run(users_job(s, T_DOWN, s->names[0], page));
	case KA_PGUP:
		if (s->nstack == 0) {
			s->sel = 0;
			return act_none();
		}
		return users_back(s, page, false);
	case KA_PGDN:
		if (s->n < page) {
			s->sel = s->n > 0 ? s->n - 1 : 0;
			return act_none();
		}
		return act_run(users_job(s, T_PGDN, s->names[s->n - 1], page));
	case KA_HOME:
		return users_restart(s);
	case KA_END:
		return users_end(s);
	default:
		return act_none();
	}
}

static void
users_draw(struct screen *sc, struct canvas *c)
{
	struct scr_users	*s = (struct scr_users *)sc;
	int			 i, page = users_page(sc->ui), y;

	frame_draw(sc, c, "Users");
	if (sc->typing || s->search.len > 0)
		field_draw(c, 1, 1, c->cols - 2 > 60 ? 60 : c->cols - 2, 0,
		    &s->search, sc->typing);
	else
		canvas_put(c, 1, 1, CA_DIM, -1, "/ to search by the start of "
		    "the name");
	canvas_printf(c, 1, 2, CA_BOLD | CA_UNDERLINE, "%-*s%s",
	    c->cols - 14 > 0 ? c->cols - 14 : 1, "  User", "State     ");
	for (i = 0; i < s->n && i < page; i++) {
		y = 3 + i;
		if (i == s->sel && !sc->typing)
			sel_bar(c, y);
		canvas_put(c, 3, y, i == s->sel && !sc->typing ? ROLE_SEL |
		    CA_BOLD : 0, c->cols - 16, s->names[i]);
		canvas_put(c, c->cols - 13, y, i == s->sel && !sc->typing ?
		    ROLE_SEL : s->active[i] ? 0 : CA_DIM, -1,
		    s->active[i] ? "active" : "inactive");
	}
	if (s->n == 0)
		canvas_put(c, 3, 3, CA_DIM, -1, s->search.len ? "no user name "
		    "starts with that" : "no users yet: press n to add one");
}

static struct ui_action
users_key(struct screen *sc, int key)
{
	struct scr_users	*s = (struct scr_users *)sc;
	enum key_act		 a = keys_lookup(sc->keys, key, sc->typing);

	if (sc->typing) {
		if (field_key(&s->search, key))
			return users_restart(s);
		if (a == KA_ENTER) {
			sc->typing = false;
			return act_none();
		}
		if (a == KA_BACK) {
			/* Esc drops the search, as it started. */
			sc->typing = false;
			field_clear(&s->search);
			return users_restart(s);
		}
	}
	switch (a) {
	case KA_SEARCH:
		sc->typing = true;
		return act_none();
	case KA_UP: case KA_DOWN: case KA_PGUP: case KA_PGDN: case KA_HOME:
	case KA_END:
		sc->typing = false;
		return users_move(s, a);
	case KA_ENTER:
		if (s->n == 0)
			return act_none();
		return act_push(scr_user_new(sc->ui, s->names[s->sel]));
	case KA_NEW_USER:
		return act_push(scr_useredit_new(sc->ui, NULL, NULL));
	case KA_OUTBOX:
		return act_push(scr_outbox_new(sc->ui));
	case KA_TESTER:
		return act_push(scr_backend_new(sc->ui));
	case KA_AUDIT:
		return act_push(scr_audit_new(sc->ui));
	case KA_CONFIG:
		return act_push(scr_config_new(sc->ui));
	case KA_BACK:
		if (s->search.len > 0) {
			field_clear(&s->search);
			return users_restart(s);
		}
		return act_pop();
	default:
		return scr_key_common(sc, a);
	}
}

static struct ui_action
users_enter(struct screen *sc)
{
	return users_reload((struct scr_users *)sc);
}

static struct ui_action
users_done(struct screen *sc, struct ui_job *j)
{
	struct scr_users	*s = (struct scr_users *)sc;
	const cJSON		*arr;
	int			 got;

	if (j->rc != RD_OK) {
		scr_msg_job(sc, j);
		if (j->tag == T_END)
			users_walk_free(j->arg);
		return act_none();
	}
	if (j->tag == T_END) {
		users_end_done(s, j->arg);
		users_walk_free(j->arg);
		return act_none();
	}
	arr = cJSON_GetObjectItemCaseSensitive(j->out, "users");
	got = cJSON_GetArraySize(arr);
	switch (j->tag) {
	case T_DOWN:
		/* Only a window that gained a name moves. */
		if (got < s->n)
			return act_none();
		users_push(s, s->anchor, 1);
		users_set_anchor(s, s->names[0]);
		break;
	case T_PGDN:
		if (got == 0) {
			s->sel = s->n - 1;
			return act_none();
		}
		users_push(s, s->anchor, s->n);
		users_set_anchor(s, s->names[s->n - 1]);
		break;
	default:
		break;
	}
	users_take(s, arr);
	if (s->sel >= s->n)
		s->sel = s->n > 0 ? s->n - 1 : 0;
	if (s->sel < 0)
		s->sel = 0;
	return act_none();
}

static void
users_free(struct screen *sc)
{
	struct scr_users	*s = (struct scr_users *)sc;
	int			 i;

	for (i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	free(s->active);
	users_clear_stack(s);
	free(s->stack);
	free(s->anchor);
	field_clear(&s->search);
	free(s);
}

static const struct screen_ops users_ops = {
	"user list", users_draw, users_key, users_enter, users_enter,
	users_done, users_free
};

struct screen *
scr_users_new(struct ui *ui)
{
	struct scr_users	*s = xcalloc(1, sizeof *s);

	s->base.ops = &users_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_LIST | KC_USERS;
	s->search.label = "Search";
	return &s->base;
}
