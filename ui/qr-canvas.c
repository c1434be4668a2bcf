/*
 * qr-canvas.c: QR modules to canvas cells (see qr-canvas.h).
 */
#include "canvas.h"
#include "qr-canvas.h"

int
qr_cols(const struct qr *q)
{
	return qr_side(q);
}

int
qr_rows(const struct qr *q)
{
	return (qr_side(q) + 1) / 2;
}

void
qr_draw(struct canvas *c, int x, int y, const struct qr *q, bool invert)
{
	int		cx, cy, side = qr_side(q);
	unsigned	attr;
	bool		top, bot;

	for (cy = 0; cy < qr_rows(q); cy++) {
		for (cx = 0; cx < side; cx++) {
			top = qr_dark(q, cx, 2 * cy) != invert;
			/* An odd side leaves a last half row: quiet zone. */
			bot = 2 * cy + 1 < side ?
			    qr_dark(q, cx, 2 * cy + 1) != invert : invert;
			attr = ROLE_QR | (top ? CA_QR_TOP : 0) |
			    (bot ? CA_QR_BOTTOM : 0);
			canvas_cell(c, x + cx, y + cy, 0x2580, attr);
		}
	}
}
