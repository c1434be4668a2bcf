/*
 * qr.h: QR codes for otpauth URIs, made with libqrencode, for both faces:
 * the TUI paints the modules into its canvas (ui/qr.c), the command line
 * prints them as text (qr_text).
 *
 * A code is as small as the text allows, so it fits an 80x24 terminal:
 * the smallest version that holds the text at error correction L, mixed
 * modes (the base32 secret goes in alphanumeric mode), and then as much
 * error correction as that same version still holds, which costs no
 * space.  The quiet zone is 2 modules, the least that scanners read
 * reliably; ISO/IEC 18004 asks for 4, which an 80x24 screen cannot spare
 * for a 130-byte URI.
 *
 * The modules spell the secret: qr_free wipes them.
 */
#ifndef RD_QR_H
#define RD_QR_H

#include <stdbool.h>

#define QR_QUIET	2	/* modules of light margin on each side */

struct qr;

/* Encode text; NULL when it is too long for any QR code. */
struct qr	*qr_new(const char *text);
/* Wipe and free; NULL is fine. */
void		 qr_free(struct qr *q);
/* Modules per side, quiet zone included. */
int		 qr_side(const struct qr *q);
/* Whether module (x, y) is dark; the quiet zone and outside are light. */
bool		 qr_dark(const struct qr *q, int x, int y);
/* The symbol's version (1-40) and error correction ('L', 'M', 'Q', 'H'). */
int		 qr_version(const struct qr *q);
char		 qr_level(const struct qr *q);
/*
 * The code as lines for a terminal, dark on light with explicit colours
 * whatever the terminal's theme: with utf8, upper half blocks, two module
 * rows a line (foreground the top module, background the bottom one);
 * without, two spaces of background colour a module.  Free with
 * secret_free().
 */
char		*qr_text(const struct qr *q, bool utf8);

#endif
