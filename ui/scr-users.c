/*
 * scr-users.c: the user list, the TUI's home.  It never holds more than
 * one screenful, and every move is one indexed `user list` query, so a
 * vault of a million users scrolls as fast as one of ten: Home is the
 * first page, End `--before ""`, PgDn `--after` the last name shown, PgUp
 * `--before` the first, and moving the selection past the bottom or the
 * top scrolls by one row the same way.  The search field adds `--search`
 * to all of them as you type: names starting with the text, and the users
 * whose e-mail or phone number is exactly the text (the vault's keyed
 * index), shown above the names and kept while the names scroll; they
 * come anew with each fresh load.  What a query brings joins the window on
 * its side and as many names drop off the other, so the window stays full
 * while there are names enough.  The screen keeps the name just before
 * the window (the anchor) so that coming back to it, or a new terminal
 * size, reloads the same place with `--after`; so do Ctrl-L and work
 * done by another process (app.c's ui_idle), the selected name kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "scr-users.h"

static void
users_set_anchor(struct scr_users *s, const char *name)
{
	char	*old = s->anchor;

	s->anchor = name ? xstrdup(name) : NULL;
	free(old);
}

static void
users_found_clear(struct scr_users *s)
{
	int	i;

	for (i = 0; i < s->nfound; i++)
		free(s->found[i].name);
	free(s->found);
	s->found = NULL;
	s->nfound = 0;
}

/* The matches of a fresh load, at most half the list. */
static void
users_found_set(struct scr_users *s, const cJSON *m)
{
	int	max = users_body(s->base.ui) / 2, n;

	users_found_clear(s);
	n = cJSON_GetArraySize(m);
	n = n < max ? n : max;
	if (n <= 0)
		return;
	s->found = xcalloc((size_t)n, sizeof *s->found);
	for (m = m->child; m != NULL && s->nfound < n; m = m->next) {
		s->found[s->nfound].name = xstrdup(job_str(m, "name"));
		s->found[s->nfound].active = job_bool(m, "active");
		s->found[s->nfound++].by = strcmp(job_str(m, "by"), "phone") ==
		    0 ? N_("phone") : N_("e-mail");
	}
}

/* Forget count rows from from on; the rest close up. */
static void
users_drop(struct scr_users *s, int from, int count)
{
	int	i;

	if (count == 0)
		return;		/* rows may still be NULL */
	for (i = from; i < from + count; i++)
		free(s->rows[i].name);
	memmove(s->rows + from, s->rows + from + count, (size_t)(s->n - from -
	    count) * sizeof *s->rows);
	s->n -= count;
}

/* `user list` for limit names from name on the side opt says (or none). */
static struct ui_action
users_query(struct scr_users *s, int tag, const char *opt, const char *name,
    int limit)
{
	struct ui_job	*j = job_new(tag, "user", "list", NULL);
	char		 n[16];

	snprintf(n, sizeof n, "%d", limit);
	job_arg(j, "--limit");
	job_arg(j, n);
	if (s->search.len > 0) {
		job_arg(j, "--search");
		job_arg(j, s->search.buf);
	}
	if (opt != NULL && name != NULL) {
		job_arg(j, opt);
		job_arg(j, name);
	}
	return act_run(j);
}

/* A whole list of names: the matches it brings take their rows. */
static struct ui_action
users_reload(struct scr_users *s)
{
	return users_query(s, T_LOAD, "--after", s->anchor,
	    users_body(s->base.ui));
}

/*
 * The same window afresh, for work done elsewhere (another process, or a
 * Ctrl-L): the name selected stays selected where it is still shown.
 */
static struct ui_action
users_refresh(struct screen *sc)
{
	struct scr_users	*s = (struct scr_users *)sc;
	const char		*name = NULL;
	struct ui_action	 a;

	if (s->fsel >= 0 && s->fsel < s->nfound)
		name = s->found[s->fsel].name;
	else if (s->fsel < 0 && s->sel < s->n)
		name = s->rows[s->sel].name;
	free(s->keep);
	s->keep = name != NULL ? xstrdup(name) : NULL;
	a = users_reload(s);
	a.job->tag = T_KEEP;
	return a;
}

/* After a T_KEEP load: the kept name's row, if it is still there. */
static void
users_select_kept(struct scr_users *s)
{
	int	i;

	for (i = 0; s->keep != NULL && i < s->nfound + s->n; i++) {
		if (strcmp(i < s->nfound ? s->found[i].name :
		    s->rows[i - s->nfound].name, s->keep) != 0)
			continue;
		s->fsel = i < s->nfound ? i : -1;
		if (i >= s->nfound)
			s->sel = i - s->nfound;
		break;
	}
	free(s->keep);
	s->keep = NULL;
}

static struct ui_action
users_restart(struct scr_users *s)
{
	users_set_anchor(s, NULL);
	s->sel = 0;
	s->fsel = 0;	/* the first row, a match when there is one */
	return users_reload(s);
}

/* Moves among the matches; false: the move is the names'. */
static bool
users_move_found(struct scr_users *s, enum key_act a)
{
	if (s->fsel < 0) {
		/* Up from the first name of the first page: the matches. */
		if (s->anchor != NULL || s->nfound == 0 || s->sel > 0 ||
		    (a != KA_UP && a != KA_PGUP))
			return false;
		s->fsel = a == KA_UP ? s->nfound - 1 : 0;
		return true;
	}
	switch (a) {
	case KA_UP:
	case KA_PGUP:
		s->fsel = a == KA_UP && s->fsel > 0 ? s->fsel - 1 : 0;
		return true;
	case KA_DOWN:
		if (s->fsel < s->nfound - 1)
			s->fsel++;
		else if (s->n > 0) {
			s->fsel = -1;
			s->sel = 0;
		}
		return true;
	case KA_PGDN:
		if (s->n == 0)
			return true;
		s->fsel = -1;
		s->sel = 0;
		return false;
	default:
		s->fsel = -1;
		return false;
	}
}

static struct ui_action
users_move(struct scr_users *s, enum key_act a)
{
	int	page = users_page(s), step = page;

	if (a != KA_HOME && users_move_found(s, a))
		return act_none();
	switch (a) {
	case KA_UP:
	case KA_PGUP:
		if (a == KA_UP && s->sel > 0) {
			s->sel--;
			return act_none();
		}
		if (s->anchor == NULL) {
			s->sel = 0;
			return act_none();
		}
		/*
		 * One name more than the step: the new anchor, if there is
		 * one.  An empty window (its names went) ends the list, so
		 * the names before it are the last page: --before "".
		 */
		if (a == KA_UP)
			step = 1;
		return users_query(s, a == KA_UP ? T_UP : T_PGUP, "--before",
		    s->n > 0 ? s->rows[0].name : "", step + 1);
	case KA_DOWN:
	case KA_PGDN:
		if (a == KA_DOWN && s->sel < s->n - 1) {
			s->sel++;
			return act_none();
		}
		/* A window short of a page already shows the end. */
		if (s->n < page) {
			s->sel = s->n > 0 ? s->n - 1 : 0;
			return act_none();
		}
		return users_query(s, a == KA_DOWN ? T_DOWN : T_PGDN, "--after",
		    s->rows[s->n - 1].name, a == KA_DOWN ? 1 : page);
	case KA_HOME:
		return users_restart(s);
	case KA_END:
		return users_query(s, T_END, "--before", "", page + 1);
	default:
		return act_none();
	}
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
		if (s->fsel >= 0 && s->fsel < s->nfound)
			return act_push(scr_user_new(sc->ui,
			    s->found[s->fsel].name));
		if (s->n == 0)
			return act_none();
		return act_push(scr_user_new(sc->ui, s->rows[s->sel].name));
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
	case KA_PASSPHRASE:
		return act_push(scr_passphrase_new(sc->ui));
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

/*
 * A page came: it joins the window on its side, and what goes past a page
 * drops off the other side.  The selection moves by the step over the
 * list, so it stays on its row when the window moved a whole step and
 * goes to the edge when the list ended first.
 */
static struct ui_action
users_done(struct screen *sc, struct ui_job *j)
{
	struct scr_users	*s = (struct scr_users *)sc;
	const cJSON		*u;
	struct users_row	*rows;
	int			 page, step, got, n = 0;
	int			 over;
	bool			 before = j->tag == T_END || j->tag == T_UP ||
				    j->tag == T_PGUP, keep = j->tag == T_KEEP;

	if (keep)
		j->tag = T_LOAD;
	if (j->rc != RD_OK) {
		scr_msg_job(sc, j);
		return act_none();
	}
	if (j->tag == T_LOAD || j->tag == T_END)
		users_drop(s, 0, s->n);
	if (j->tag == T_LOAD)
		users_found_set(s, s->search.len > 0 ?
		    cJSON_GetObjectItemCaseSensitive(j->out, "matches") : NULL);
	page = users_page(s);
	step = j->tag == T_UP || j->tag == T_DOWN ? 1 : page;
	u = cJSON_GetObjectItemCaseSensitive(j->out, "users");
	got = cJSON_GetArraySize(u);
	u = u != NULL ? u->child : NULL;
	if (before) {
		/* It asked for one name more: the one before the window. */
		users_set_anchor(s, got > step ? job_str(u, "name") : NULL);
		if (got > step) {
			u = u->next;
			got--;
		}
	}
	rows = xcalloc((size_t)(s->n + got) + 1, sizeof *rows);
	if (!before && s->n > 0) {
		memcpy(rows, s->rows, (size_t)s->n * sizeof *rows);
		n = s->n;
	}
	for (; u != NULL; u = u->next) {
		rows[n].name = xstrdup(job_str(u, "name"));
		rows[n++].active = job_bool(u, "active");
	}
	if (before && s->n > 0) {
		memcpy(rows + n, s->rows, (size_t)s->n * sizeof *rows);
		n += s->n;
	}
	free(s->rows);
	s->rows = rows;
	s->n = n;
	over = n > page ? n - page : 0;
	if (j->tag == T_LOAD) {
		/* A whole list: what the matches took goes at the bottom. */
		users_drop(s, n - over, over);
	} else if (before) {
		users_drop(s, n - over, over);
		s->sel -= step - got;
	} else {
		if (over > 0)
			users_set_anchor(s, s->rows[over - 1].name);
		users_drop(s, 0, over);
		s->sel += step - over;
	}
	if (j->tag == T_END || s->sel >= s->n)
		s->sel = s->n > 0 ? s->n - 1 : 0;
	if (s->sel < 0)
		s->sel = 0;
	if (s->fsel >= s->nfound || (s->fsel < 0 && s->n == 0))
		s->fsel = s->nfound - 1;
	if (keep)
		users_select_kept(s);
	return act_none();
}

static void
users_free(struct screen *sc)
{
	struct scr_users	*s = (struct scr_users *)sc;

	users_drop(s, 0, s->n);
	free(s->rows);
	users_found_clear(s);
	free(s->anchor);
	free(s->keep);
	field_clear(&s->search);
	free(s);
}
static const struct screen_ops users_ops = {
	.name = N_("user list"),
	.draw = users_draw,
	.key = users_key,
	.enter = users_enter,
	.resize = users_enter,
	.done = users_done,
	.free = users_free,
	.reload = users_refresh,
	.changed = users_refresh,
};

struct screen *
scr_users_new(struct ui *ui)
{
	struct scr_users	*s = xcalloc(1, sizeof *s);

	s->base.ops = &users_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_LIST | KC_USERS;
	s->search.label = _("Search");
	s->fsel = -1;
	return &s->base;
}
