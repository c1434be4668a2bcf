/*
 * scr-users.h: the user list's state, shared by its queries and keys
 * (scr-users.c) and its drawing (scr-users-draw.c).  Nothing else
 * includes it: other screens know only scr_users_new (screen.h).
 */
#ifndef RD_UI_SCR_USERS_H
#define RD_UI_SCR_USERS_H

#include <stdbool.h>

#include "screen.h"
#include "widget.h"

enum {
	T_LOAD,		/* the window after the anchor, afresh */
	T_END,		/* the last window, afresh */
	T_UP,		/* one name before the window */
	T_PGUP,		/* a page before it */
	T_DOWN,		/* one name after it */
	T_PGDN,		/* a page after it */
	T_KEEP,		/* as T_LOAD, the selected name kept selected */
};

struct users_row {
	char		*name;
	bool		 active;
	const char	*by;	/* a match: "e-mail" or "phone"; else NULL */
};

struct scr_users {
	struct screen	  base;
	struct field	  search;
	struct users_row *rows;		/* the window, in name order */
	int		  n;
	char		 *anchor;	/* the name before it; NULL: start */
	int		  sel;
	struct users_row *found;	/* e-mail or phone matches, above */
	int		  nfound;
	int		  fsel;		/* the selected match; -1: a name */
	char		 *keep;		/* T_KEEP: the name to select again */
};

/* Rows of the list: the body less the search line and the column heads. */
int	users_body(const struct ui *ui);
/* Rows of names: the list less the matches above them. */
int	users_page(const struct scr_users *s);
void	users_draw(struct screen *sc, struct canvas *c);

#endif
