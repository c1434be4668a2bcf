/*
 * qr.c: libqrencode behind qr.h.  The choice of version and error
 * correction is explained there.
 */
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>
#include <sodium.h>

#include "qr.h"
#include "util.h"

/* SGR colours: black, and bright white (plain white is grey on many
   terminals, and a scanner wants contrast). */
#define QR_FG_DARK	"30"
#define QR_FG_LIGHT	"97"
#define QR_BG_DARK	"40"
#define QR_BG_LIGHT	"107"

struct qr {
	int		 width;		/* modules per side, no quiet zone */
	int		 version;
	char		 level;
	unsigned char	*dark;		/* width * width, 1 = dark */
};

static QRcode *
qr_encode(const char *text, int version, QRecLevel level)
{
	/* QR_MODE_8 is only the hint for non-alphanumeric runs: libqrencode
	   still splits the text into numeric and alphanumeric segments. */
	return QRcode_encodeString(text, version, level, QR_MODE_8, 1);
}

static void
qr_code_free(QRcode *code)
{
	if (code == NULL)
		return;
	sodium_memzero(code->data, (size_t)code->width * (size_t)code->width);
	QRcode_free(code);
}

struct qr *
qr_new(const char *text)
{
	static const struct {
		QRecLevel	level;
		char		name;
	} levels[] = {
		{ QR_ECLEVEL_H, 'H' }, { QR_ECLEVEL_Q, 'Q' },
		{ QR_ECLEVEL_M, 'M' },
	};
	QRcode		*code, *more;
	struct qr	*q;
	size_t		 i, n;
	char		 level = 'L';

	if ((code = qr_encode(text, 0, QR_ECLEVEL_L)) == NULL)
		return NULL;
	for (i = 0; i < sizeof levels / sizeof levels[0]; i++) {
		more = qr_encode(text, code->version, levels[i].level);
		if (more != NULL && more->version == code->version) {
			qr_code_free(code);
			code = more;
			level = levels[i].name;
			break;
		}
		qr_code_free(more);
	}
	q = xcalloc(1, sizeof *q);
	q->width = code->width;
	q->version = code->version;
	q->level = level;
	n = (size_t)code->width * (size_t)code->width;
	q->dark = xmalloc(n);
	for (i = 0; i < n; i++)
		q->dark[i] = code->data[i] & 1;
	qr_code_free(code);
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
qr_side(const struct qr *q)
{
	return q->width + 2 * QR_QUIET;
}

bool
qr_dark(const struct qr *q, int x, int y)
{
	x -= QR_QUIET;
	y -= QR_QUIET;
	if (x < 0 || y < 0 || x >= q->width || y >= q->width)
		return false;
	return q->dark[(size_t)y * (size_t)q->width + (size_t)x];
}

int
qr_version(const struct qr *q)
{
	return q->version;
}

char
qr_level(const struct qr *q)
{
	return q->level;
}

char *
qr_text(const struct qr *q, bool utf8)
{
	struct rd_buf	 b;
	int		 x, y, side = qr_side(q);
	const char	*fg, *bg, *last_fg, *last_bg;

	rd_buf_init(&b, 0);
	for (y = 0; y < side; y += utf8 ? 2 : 1) {
		/* Colours are said when they change, and again each line. */
		last_fg = last_bg = NULL;
		for (x = 0; x < side; x++) {
			fg = qr_dark(q, x, y) ? QR_FG_DARK : QR_FG_LIGHT;
			bg = utf8 ? (qr_dark(q, x, y + 1) ? QR_BG_DARK :
			    QR_BG_LIGHT) : (qr_dark(q, x, y) ? QR_BG_DARK :
			    QR_BG_LIGHT);
			if (utf8 && fg != last_fg && bg != last_bg)
				rd_buf_printf(&b, "\033[%s;%sm", fg, bg);
			else if (utf8 && fg != last_fg)
				rd_buf_printf(&b, "\033[%sm", fg);
			else if (bg != last_bg)
				rd_buf_printf(&b, "\033[%sm", bg);
			rd_buf_addstr(&b, utf8 ? "\u2580" : "  ");
			last_fg = fg;
			last_bg = bg;
		}
		rd_buf_addstr(&b, "\033[0m\n");
	}
	return rd_buf_take(&b);
}
