/*
 * widget.h: the pieces screens are made of: the frame (title bar, status
 * line, hint line from the key table), text fields (masked or not),
 * buttons, scrolling lists and wrapped text.
 */
#ifndef RD_UI_WIDGET_H
#define RD_UI_WIDGET_H

#include <stdbool.h>
#include <stddef.h>

#include "screen.h"

#define FIELD_MAX	512

struct field {
	const char	*label;
	char		 buf[FIELD_MAX];
	size_t		 len;
	bool		 masked;	/* drawn as '*' */
};

/* Printable keys, Backspace and Ctrl-U; true when the key was used. */
bool	field_key(struct field *f, int key);
void	field_set(struct field *f, const char *s);
/* Wipe the text. */
void	field_clear(struct field *f);
/*
 * "label: [text    ]" at x, y in w columns; the label takes lw columns
 * (0: as long as it is).  With focus the cursor goes to its end.
 */
void	field_draw(struct canvas *c, int x, int y, int w, int lw,
	    const struct field *f, bool focus);
/*
 * C_("user", "active"): a word whose translation depends on what it is
 * said of (gettext's message context; "active" of a user and of a method
 * differ in Polish).  xgettext reads it as --keyword=C_:1c,2.
 */
#define C_(ctx, s)	ui_ctx_gettext(ctx "\004" s, s)
const char	*ui_ctx_gettext(const char *key, const char *s);

/* "[ label ]", reversed when it has the focus; returns its width. */
int	button_draw(struct canvas *c, int x, int y, const char *label,
	    bool focus);

/*
 * The frame of every screen: title bar on the first row, the screen's
 * message on the row above the last, its key hints on the last.
 */
void	frame_draw(struct screen *s, struct canvas *c, const char *title);
/* Its parts, for a screen that lays out its own body and message. */
void	frame_bar(struct screen *s, struct canvas *c, const char *title);
void	frame_hints(struct screen *s, struct canvas *c);
/* Rows between the title bar and the status line. */
int	frame_body(const struct canvas *c);

/* The status line. */
void	scr_msg(struct screen *s, unsigned role, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* A refusal or failure of a job, in the core's words: "wrong code". */
void	scr_msg_job(struct screen *s, const struct ui_job *j);
/* What every screen does with help, back and redraw. */
struct ui_action scr_key_common(struct screen *s, enum key_act a);

/*
 * The selected line of a list: highlighted, and marked with '>' so it
 * shows without colour and in a text dump too.
 */
void	sel_bar(struct canvas *c, int y);

/* A cursor over n lines shown page at a time. */
struct listpos {
	int	sel;
	int	top;
};
/* Up, Down, PgUp, PgDn, Home, End; true when the key was one. */
bool	list_move(struct listpos *l, enum key_act a, int n, int page);
/* A text view scrolled by its top line; true when the key was one. */
bool	scroll_key(int *top, enum key_act a, int n, int page);
/* Keep sel inside [0, n) and on the page. */
void	list_fit(struct listpos *l, int n, int page);

/*
 * Text wrapped at w columns from row y, at most h rows, skipping the first
 * skip rows; returns the rows it needs in all.  Newlines break lines.
 */
int	text_wrap(struct canvas *c, int x, int y, int w, int h, int skip,
	    unsigned attr, const char *s);

/* Seconds since the epoch as "2023-11-14 22:13:20Z". */
void	time_fmt(double t, char *buf, size_t size);

#endif
