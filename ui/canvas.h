/*
 * canvas.h: an off-screen grid of cells that screens draw into, as tmux's
 * struct grid.  Only term.c copies a canvas to the terminal; tests dump it
 * as plain text and compare it with golden files.
 *
 * Every string drawn goes through canvas_put, which decodes UTF-8 and
 * replaces control characters, bidi overrides, combining marks and broken
 * sequences with '?': text a user typed (a name, an address, a message
 * body) is drawn as text and can never reach the terminal as a control
 * sequence.  Wide characters take two cells.  Drawing outside the grid is
 * clipped, never an error.
 */
#ifndef RD_UI_CANVAS_H
#define RD_UI_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Colour roles: term.c picks the colours (or none, under NO_COLOR). */
enum canvas_role {
	ROLE_NORMAL = 0,
	ROLE_TITLE,		/* the title bar */
	ROLE_ERROR,		/* refusals and failures */
	ROLE_OK,		/* successes */
	ROLE_WARN,		/* warnings, e.g. "shown once" */
	ROLE_KEY,		/* key names in hints and help */
	ROLE_SEL,		/* the selected line */
	ROLE_FIELD,		/* a text field */
	ROLE_QR,		/* QR cells: the low bits below say which */
};

#define CA_ROLE		0x00ff	/* enum canvas_role */
#define CA_BOLD		0x0100
#define CA_REVERSE	0x0200
#define CA_DIM		0x0400
#define CA_UNDERLINE	0x0800
/* ROLE_QR cells: which half of the cell is a dark module. */
#define CA_QR_TOP	0x1000
#define CA_QR_BOTTOM	0x2000

struct cell {
	uint32_t	ch;	/* code point; 0: right half of a wide char */
	uint16_t	attr;	/* role | CA_ flags */
};

struct canvas {
	int		 cols, rows;
	struct cell	*cells;
	int		 cur_x, cur_y;	/* terminal cursor; -1: hidden */
};

struct canvas	*canvas_new(int cols, int rows);
/* Wipe (cells may hold codes) and free; NULL is fine. */
void		 canvas_free(struct canvas *c);
/* New size; the contents are wiped. */
void		 canvas_resize(struct canvas *c, int cols, int rows);
/* Every cell a blank; the cursor hidden. */
void		 canvas_clear(struct canvas *c);

const struct cell *canvas_at(const struct canvas *c, int x, int y);
void		 canvas_cell(struct canvas *c, int x, int y, uint32_t ch,
		    unsigned attr);
/*
 * Draw UTF-8 text at x, y in at most maxw columns (-1: to the right edge).
 * Returns the columns used.  No wrapping: a newline is a '?' like any
 * other control character.
 */
int		 canvas_put(struct canvas *c, int x, int y, unsigned attr,
		    int maxw, const char *s);
int		 canvas_printf(struct canvas *c, int x, int y, unsigned attr,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Fill a rectangle with ch. */
void		 canvas_fill(struct canvas *c, int x, int y, int w, int h,
		    uint32_t ch, unsigned attr);
/* A frame with an optional title in its top edge. */
void		 canvas_box(struct canvas *c, int x, int y, int w, int h,
		    unsigned attr, const char *title);
void		 canvas_cursor(struct canvas *c, int x, int y);

/* Columns s takes when drawn (after the replacements above). */
int		 canvas_width(const char *s);
/* Bytes of s that fit in w columns. */
size_t		 canvas_fit(const char *s, int w);

/*
 * The grid as plain UTF-8 text, one line per row without trailing blanks;
 * QR cells become blocks for their dark modules.  free() the result.
 */
char		*canvas_dump(const struct canvas *c);

#endif
