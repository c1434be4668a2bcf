/*
 * canvas.c: the off-screen cell grid (see canvas.h).  Text is decoded here
 * once and sanitised here once, so no screen can forget to: anything that
 * could move the cursor, change colours or reorder text on the operator's
 * terminal (C0 and C1 controls, bidi overrides, zero-width and combining
 * characters, broken UTF-8) is drawn as '?'.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../src/util.h"
#include "canvas.h"

/* One code point from s (at most n bytes); *len its bytes; 0xFFFD if bad. */
static uint32_t
utf8_next(const unsigned char *s, size_t n, size_t *len)
{
	uint32_t	cp;
	size_t		need, i;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 1;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 2;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 3;
		cp = s[0] & 0x07;
	} else
		return 0xfffd;
	if (need >= n)
		return 0xfffd;
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0xfffd;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past Unicode. */
	if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0xfffd;
	*len = need + 1;
	return cp;
}

struct range {
	uint32_t	lo, hi;
};

static bool
in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (cp >= r[i].lo && cp <= r[i].hi)
			return true;
	return false;
}

/* Characters never drawn as themselves. */
static bool
cp_unsafe(uint32_t cp)
{
	static const struct range bad[] = {
		{ 0x0000, 0x001f }, { 0x007f, 0x009f },	/* C0, DEL, C1 */
		{ 0x00ad, 0x00ad },			/* soft hyphen */
		{ 0x0300, 0x036f }, { 0x0483, 0x0489 },	/* combining */
		{ 0x0591, 0x05c7 }, { 0x0610, 0x061a }, { 0x061c, 0x061c },
		{ 0x064b, 0x065f }, { 0x0e31, 0x0e3a }, { 0x1ab0, 0x1aff },
		{ 0x1dc0, 0x1dff }, { 0x180e, 0x180e },
		{ 0x200b, 0x200f }, { 0x2028, 0x202e },	/* zero width, bidi */
		{ 0x2060, 0x206f }, { 0x20d0, 0x20ff },
		{ 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff },
		{ 0xfff9, 0xfffd }, { 0xe0000, 0xe0fff },
		{ 0xd800, 0xdfff }, { 0xe000, 0xf8ff },	/* private use */
	};

	return in_ranges(cp, bad, sizeof bad / sizeof bad[0]);
}

/* East Asian wide and emoji: two cells. */
static bool
cp_wide(uint32_t cp)
{
	static const struct range wide[] = {
		{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
		{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
		{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
		{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
		{ 0x1f900, 0x1f9ff }, { 0x20000, 0x3fffd },
	};

	return in_ranges(cp, wide, sizeof wide / sizeof wide[0]);
}

/* The next drawable character of s and its width; advances *s. */
static uint32_t
next_glyph(const char **s, int *width)
{
	size_t		len, n = strlen(*s);
	uint32_t	cp = utf8_next((const unsigned char *)*s, n, &len);

	*s += len;
	if (cp == 0xfffd || cp_unsafe(cp)) {
		*width = 1;
		return '?';
	}
	*width = cp_wide(cp) ? 2 : 1;
	return cp;
}

struct canvas *
canvas_new(int cols, int rows)
{
	struct canvas	*c = xcalloc(1, sizeof *c);

	canvas_resize(c, cols, rows);
	return c;
}

void
canvas_free(struct canvas *c)
{
	if (c == NULL)
		return;
	secret_free_bytes(c->cells, (size_t)c->cols * (size_t)c->rows *
	    sizeof *c->cells);
	free(c);
}

void
canvas_resize(struct canvas *c, int cols, int rows)
{
	secret_free_bytes(c->cells, (size_t)c->cols * (size_t)c->rows *
	    sizeof *c->cells);
	c->cols = cols < 1 ? 1 : cols;
	c->rows = rows < 1 ? 1 : rows;
	c->cells = xcalloc((size_t)c->cols * (size_t)c->rows,
	    sizeof *c->cells);
	canvas_clear(c);
}

void
canvas_clear(struct canvas *c)
{
	size_t	i, n = (size_t)c->cols * (size_t)c->rows;

	for (i = 0; i < n; i++) {
		c->cells[i].ch = ' ';
		c->cells[i].attr = ROLE_NORMAL;
	}
	c->cur_x = c->cur_y = -1;
}

const struct cell *
canvas_at(const struct canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->cols || y >= c->rows)
		return NULL;
	return &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
}

void
canvas_cell(struct canvas *c, int x, int y, uint32_t ch, unsigned attr)
{
	struct cell	*p;

	if (x < 0 || y < 0 || x >= c->cols || y >= c->rows)
		return;
	p = &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
	/* Overwriting half of a wide character blanks its other half. */
	if (p->ch == 0 && x > 0)
		p[-1].ch = ' ';
	else if (x + 1 < c->cols && p[1].ch == 0)
		p[1].ch = ' ';
	p->ch = ch;
	p->attr = (uint16_t)attr;
}

int
canvas_put(struct canvas *c, int x, int y, unsigned attr, int maxw,
    const char *s)
{
	uint32_t	cp;
	int		w, used = 0;

	if (s == NULL)
		return 0;
	if (maxw < 0 || x + maxw > c->cols)
		maxw = c->cols - x;
	while (*s != '\0') {
		cp = next_glyph(&s, &w);
		if (used + w > maxw)
			break;
		if (x + used >= 0) {
			canvas_cell(c, x + used, y, cp, attr);
			if (w == 2) {
				canvas_cell(c, x + used + 1, y, ' ', attr);
				if (y >= 0 && y < c->rows)
					c->cells[(size_t)y * (size_t)c->cols +
					    (size_t)(x + used + 1)].ch = 0;
			}
		}
		used += w;
	}
	return used;
}

int
canvas_printf(struct canvas *c, int x, int y, unsigned attr, const char *fmt,
    ...)
{
	char	buf[1024];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	n = canvas_put(c, x, y, attr, -1, buf);
	sodium_memzero(buf, sizeof buf);
	return n;
}

void
canvas_fill(struct canvas *c, int x, int y, int w, int h, uint32_t ch,
    unsigned attr)
{
	int	i, j;

	for (j = y; j < y + h; j++)
		for (i = x; i < x + w; i++)
			canvas_cell(c, i, j, ch, attr);
}

void
canvas_box(struct canvas *c, int x, int y, int w, int h, unsigned attr,
    const char *title)
{
	int	i;

	if (w < 2 || h < 2)
		return;
	for (i = x + 1; i < x + w - 1; i++) {
		canvas_cell(c, i, y, 0x2500, attr);
		canvas_cell(c, i, y + h - 1, 0x2500, attr);
	}
	for (i = y + 1; i < y + h - 1; i++) {
		canvas_cell(c, x, i, 0x2502, attr);
		canvas_cell(c, x + w - 1, i, 0x2502, attr);
	}
	canvas_cell(c, x, y, 0x250c, attr);
	canvas_cell(c, x + w - 1, y, 0x2510, attr);
	canvas_cell(c, x, y + h - 1, 0x2514, attr);
	canvas_cell(c, x + w - 1, y + h - 1, 0x2518, attr);
	if (title != NULL && *title != '\0' && w > 6) {
		canvas_cell(c, x + 1, y, ' ', attr);
		i = canvas_put(c, x + 2, y, attr | CA_BOLD, w - 5, title);
		canvas_cell(c, x + 2 + i, y, ' ', attr);
	}
}

void
canvas_cursor(struct canvas *c, int x, int y)
{
	c->cur_x = x;
	c->cur_y = y;
}

int
canvas_width(const char *s)
{
	int	w, n = 0;

	while (*s != '\0') {
		next_glyph(&s, &w);
		n += w;
	}
	return n;
}

size_t
canvas_fit(const char *s, int w)
{
	const char	*p = s, *q;
	int		 cw, n = 0;

	while (*p != '\0') {
		q = p;
		next_glyph(&q, &cw);
		if (n + cw > w)
			break;
		n += cw;
		p = q;
	}
	return (size_t)(p - s);
}

static void
dump_cp(struct rd_buf *b, uint32_t cp)
{
	char	u[4];

	if (cp < 0x80) {
		u[0] = (char)cp;
		rd_buf_add(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		rd_buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		rd_buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		rd_buf_add(b, u, 4);
	}
}

char *
canvas_dump(const struct canvas *c)
{
	struct rd_buf		 b;
	const struct cell	*p;
	uint32_t		 cp;
	size_t			 keep;
	int			 x, y;

	rd_buf_init(&b, 0);
	for (y = 0; y < c->rows; y++) {
		keep = b.len;
		for (x = 0; x < c->cols; x++) {
			p = canvas_at(c, x, y);
			if (p->ch == 0)
				continue;
			cp = p->ch;
			if ((p->attr & CA_ROLE) == ROLE_QR) {
				/* Dark modules as ink: full, upper, lower. */
				unsigned	q = p->attr &
				    (CA_QR_TOP | CA_QR_BOTTOM);

				cp = q == (CA_QR_TOP | CA_QR_BOTTOM) ? 0x2588 :
				    q == CA_QR_TOP ? 0x2580 :
				    q == CA_QR_BOTTOM ? 0x2584 : ' ';
			}
			dump_cp(&b, cp);
			if (cp != ' ')
				keep = b.len;
		}
		b.len = keep;
		b.data[b.len] = '\0';
		rd_buf_addstr(&b, "\n");
	}
	return rd_buf_take(&b);
}
