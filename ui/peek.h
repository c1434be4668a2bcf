/*
 * peek.h: the newest outbox message of one method and destination, shown
 * where a code is asked for (the enrolment wizard, the code dialogs), so
 * an operator testing an offline channel reads the code there instead of
 * leaving for the outbox screen.  The destination is known only masked
 * (as activate and request-code say it): a message matches when its own
 * recipient masks the same way.
 */
#ifndef RD_UI_PEEK_H
#define RD_UI_PEEK_H

#include <stdbool.h>

#include <cJSON.h>

struct canvas;
struct ui_job;

struct peek {
	char	 method[64];
	char	 sent_to[160];	/* masked */
	char	*body;		/* NULL: nothing found (yet) */
	bool	 looked;
};

/* What to look for; forgets what was found. */
void		 peek_set(struct peek *p, const char *method,
		    const char *sent_to);
/* The job that reads the outbox; its answer goes to peek_take. */
struct ui_job	*peek_job(int tag);
void		 peek_take(struct peek *p, const cJSON *out);
/* A framed box at x, y, w wide, at most h rows; returns the rows used. */
int		 peek_draw(struct canvas *c, int x, int y, int w, int h,
		    const struct peek *p);
/* Wipe the message (it holds a code) and forget it. */
void		 peek_clear(struct peek *p);

#endif
