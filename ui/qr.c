/*
 * qr.c: libqrencode to canvas cells (see qr.h).  The cells carry which of
 * their two modules is dark; term.c gives them explicit colours, so the
 * code reads the same on a dark and a light terminal theme.
 */
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>
#include <sodium.h>

#include "../src/util.h"
#include "canvas.h"
#include "qr.h"

#define QR_QUIET	4

struct qr {
	int		 width;		/* modules per side, no quiet zone */
	unsigned char	*dark;		/* width * width, 1 = dark */
};

struct qr *
qr_new(const char *text)
{
	QRcode		*code;
	struct qr	*q;
	size_t		 i, n;

	code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (code == NULL)
		return NULL;
	q = xcalloc(1, sizeof *q);
	q->width = code->width;
	n = (size_t)code->width * (size_t)code->width;
	q->dark = xmalloc(n);
	for (i = 0; i < n; i++)
		q->dark[i] = code->data[i] & 1;
	sodium_memzero(code->data, n);
	QRcode_free(code);
	return q;
}

void
qr_free(struct qr *q)
{
	if (q == NULL)
		return;
	secret_free_bytes(q->dark, (size_t)q->width * (size_t)q->width);
	free(q);
}

int
qr_cols(const struct qr *q)
{
	return q->width + 2 * QR_QUIET;
}

int
qr_rows(const struct qr *q)
{
	return (q->width + 2 * QR_QUIET + 1) / 2;
}

/* Module at (mx, my) of the code with its quiet zone; outside is light. */
static bool
qr_dark(const struct qr *q, int mx, int my)
{
	mx -= QR_QUIET;
	my -= QR_QUIET;
	if (mx < 0 || my < 0 || mx >= q->width || my >= q->width)
		return false;
	return q->dark[(size_t)my * (size_t)q->width + (size_t)mx];
}

int
qr_draw(struct canvas *c, int x, int y, int w, int h, const struct qr *q,
    bool invert)
{
	int		cx, cy, side = q->width + 2 * QR_QUIET;
	unsigned	attr;
	bool		top, bot;

	if (qr_cols(q) > w || qr_rows(q) > h) {
		canvas_printf(c, x, y, ROLE_WARN | CA_BOLD, "terminal too small "
		    "for the QR code: need %dx%d", qr_cols(q) + (c->cols - w),
		    qr_rows(q) + (c->rows - h));
		return 1;
	}
	for (cy = 0; cy < qr_rows(q); cy++) {
		for (cx = 0; cx < side; cx++) {
			top = qr_dark(q, cx, 2 * cy) != invert;
			bot = 2 * cy + 1 < side ?
			    qr_dark(q, cx, 2 * cy + 1) != invert : invert;
			attr = ROLE_QR | (top ? CA_QR_TOP : 0) |
			    (bot ? CA_QR_BOTTOM : 0);
			canvas_cell(c, x + cx, y + cy, 0x2580, attr);
		}
	}
	return qr_rows(q);
}
