/*
 * qr-canvas.h: a QR code (src/qr.h) painted into the canvas with half
 * blocks: one cell holds two modules, top and bottom, so a code is as
 * wide as it has modules and half as tall.  The cells carry which module
 * is dark, not a colour: term.c gives them explicit colours, so the code
 * reads dark on light on a dark and on a light terminal alike.
 */
#ifndef RD_UI_QR_CANVAS_H
#define RD_UI_QR_CANVAS_H

#include <stdbool.h>

#include "../src/qr.h"

struct canvas;

/* Cells the code takes, quiet zone included. */
int	qr_cols(const struct qr *q);
int	qr_rows(const struct qr *q);
/* Paint at x, y (the caller made sure it fits); invert swaps the shades. */
void	qr_draw(struct canvas *c, int x, int y, const struct qr *q,
	    bool invert);

#endif
