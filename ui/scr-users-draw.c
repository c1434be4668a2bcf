/*
 * scr-users-draw.c: how the user list looks: the search line or its
 * hint, the column heads, the matches by e-mail or phone above the names,
 * and the window of names; widths follow the terminal, the state column
 * stays at the right edge.
 */
#include "../src/i18n.h"
#include "scr-users.h"

int
users_body(const struct ui *ui)
{
	return ui->rows - 5 > 1 ? ui->rows - 5 : 1;
}

int
users_page(const struct scr_users *s)
{
	int	n = users_body(s->base.ui) - s->nfound;

	return n > 1 ? n : 1;
}

/* One row; a match says by what it was found. */
static void
users_row_draw(struct canvas *c, int y, const struct users_row *r, bool sel)
{
	int	w = c->cols - 16;

	if (sel)
		sel_bar(c, y);
	if (r->by != NULL) {
		w -= 17;
		canvas_printf(c, c->cols - 30, y, sel ? ROLE_SEL : CA_DIM,
		    _("found by %s"), _(r->by));
	}
	canvas_put(c, 3, y, sel ? ROLE_SEL | CA_BOLD : 0, w > 1 ? w : 1,
	    r->name);
	canvas_put(c, c->cols - 13, y, sel ? ROLE_SEL : r->active ? 0 : CA_DIM,
	    -1, r->active ? C_("user", "active") : C_("user", "inactive"));
}

void
users_draw(struct screen *sc, struct canvas *c)
{
	struct scr_users	*s = (struct scr_users *)sc;
	int			 i, page = users_page(s), y, sel;

	frame_draw(sc, c, _("Users"));
	if (sc->typing || s->search.len > 0)
		field_draw(c, 1, 1, c->cols - 2 > 60 ? 60 : c->cols - 2, 0,
		    &s->search, sc->typing);
	else
		canvas_put(c, 1, 1, CA_DIM, -1, _("/ to search by the start of "
		    "a name, or a whole e-mail or phone number"));
	canvas_fill(c, 1, 2, c->cols - 14 > 0 ? c->cols - 4 : 11, 1, ' ',
	    CA_BOLD | CA_UNDERLINE);
	canvas_put(c, 3, 2, CA_BOLD | CA_UNDERLINE, -1, _("User"));
	canvas_put(c, c->cols - 13 > 1 ? c->cols - 13 : 1, 2,
	    CA_BOLD | CA_UNDERLINE, 12, _("State"));
	for (i = 0; i < s->nfound; i++)
		users_row_draw(c, 3 + i, &s->found[i], !sc->typing &&
		    i == s->fsel);
	sel = sc->typing || s->fsel >= 0 ? -1 : s->sel;
	for (i = 0; i < s->n && i < page; i++) {
		y = 3 + s->nfound + i;
		users_row_draw(c, y, &s->rows[i], i == sel);
	}
	if (s->n == 0 && s->nfound == 0)
		canvas_put(c, 3, 3, CA_DIM, -1, s->search.len ?
		    _("no user name starts with that, and no e-mail or phone "
		    "number is that") : _("no users yet: press n to add one"));
}
