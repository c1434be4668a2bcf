/*
 * qr.h: QR codes for authenticator apps, drawn with half blocks: one
 * cell holds two modules, top and bottom, so a code is as wide as it has
 * modules and half as tall.  Error correction M, 8-bit mode, case kept,
 * and a 4-module quiet zone (ISO/IEC 18004 asks for it; scanners fail
 * without it on a dark terminal).
 */
#ifndef RD_UI_QR_H
#define RD_UI_QR_H

#include <stdbool.h>

struct canvas;
struct qr;

/* Encode text; NULL when it cannot be encoded (too long). */
struct qr	*qr_new(const char *text);
/* Wipe (the modules spell the secret) and free; NULL is fine. */
void		 qr_free(struct qr *q);
/* Cells the code takes, quiet zone included. */
int		 qr_cols(const struct qr *q);
int		 qr_rows(const struct qr *q);
/*
 * Draw at x, y when it fits in w x h cells, dark on light (light on dark
 * with invert); otherwise write "terminal too small for the QR code: need
 * WxH" there.  Returns the rows used.
 */
int		 qr_draw(struct canvas *c, int x, int y, int w, int h,
		    const struct qr *q, bool invert);

#endif
