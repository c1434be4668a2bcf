/*
 * newpass.h: a new vault passphrase typed twice, masked, as the first-run
 * screen and the change-passphrase screen ask for it.  The pair is
 * checked here before any slow work starts, so the operator hears at once
 * that the two differ or that nothing was typed.
 */
#ifndef RD_UI_NEWPASS_H
#define RD_UI_NEWPASS_H

#include "widget.h"

struct newpass {
	struct field	pass;
	struct field	again;
};

/* Both fields empty and masked; label names the first one. */
void		 newpass_init(struct newpass *p, const char *label);
/*
 * The two fields one under the other at x, y in w columns, their text at
 * least lw columns after the labels' start (lining up with a field
 * above); focus is 1 for the first, 2 for the second, 0 for neither.
 * Returns the rows used.
 */
int		 newpass_draw(struct canvas *c, int x, int y, int w,
		    int lw, const struct newpass *p, int focus);
/* What is wrong with the pair, for the status line; NULL when nothing. */
const char	*newpass_problem(const struct newpass *p);
/* Wipe both. */
void		 newpass_clear(struct newpass *p);

#endif
