/*
 * widget.c: fields, buttons, lists, wrapped text and the frame every
 * screen shares (see widget.h).  Field text is wiped, not just forgotten:
 * it is often a password or a code.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "../src/i18n.h"
#include "widget.h"

bool
field_key(struct field *f, int key)
{
	char	u[4];
	size_t	n;

	if (key == UK_BACKSPACE) {
		/* Back over one whole UTF-8 character. */
		while (f->len > 0) {
			f->len--;
			if (((unsigned char)f->buf[f->len] & 0xc0) != 0x80)
				break;
		}
		sodium_memzero(f->buf + f->len, sizeof f->buf - f->len);
		return true;
	}
	if (key == UK_KILL) {
		field_clear(f);
		return true;
	}
	if (!keys_printable(key))
		return false;
	if (key < 0x80) {
		u[0] = (char)key;
		n = 1;
	} else if (key < 0x800) {
		u[0] = (char)(0xc0 | key >> 6);
		u[1] = (char)(0x80 | (key & 0x3f));
		n = 2;
	} else if (key < 0x10000) {
		u[0] = (char)(0xe0 | key >> 12);
		u[1] = (char)(0x80 | (key >> 6 & 0x3f));
		u[2] = (char)(0x80 | (key & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | key >> 18);
		u[1] = (char)(0x80 | (key >> 12 & 0x3f));
		u[2] = (char)(0x80 | (key >> 6 & 0x3f));
		u[3] = (char)(0x80 | (key & 0x3f));
		n = 4;
	}
	if (f->len + n < sizeof f->buf) {
		memcpy(f->buf + f->len, u, n);
		f->len += n;
		f->buf[f->len] = '\0';
	}
	sodium_memzero(u, sizeof u);
	return true;
}

void
field_set(struct field *f, const char *s)
{
	field_clear(f);
	snprintf(f->buf, sizeof f->buf, "%s", s != NULL ? s : "");
	f->len = strlen(f->buf);
}

void
field_clear(struct field *f)
{
	sodium_memzero(f->buf, sizeof f->buf);
	f->len = 0;
}

void
field_draw(struct canvas *c, int x, int y, int w, int lw,
    const struct field *f, bool focus)
{
	char		 shown[FIELD_MAX];
	const char	*p;
	int		 fw, tw;
	size_t		 i, n = 0;

	if (f->label != NULL) {
		int	lab = canvas_put(c, x, y, focus ? CA_BOLD : 0, w,
			    f->label);

		canvas_put(c, x + lab, y, focus ? CA_BOLD : 0, 1, ":");
		lw = (lw > lab ? lw : lab) + 2;
	} else {
		lw = 0;
	}
	fw = w - lw;
	if (fw < 2)
		return;
	if (f->masked) {
		/* One star per character, not per byte. */
		for (i = 0; i < f->len && n + 1 < sizeof shown; i++)
			if (((unsigned char)f->buf[i] & 0xc0) != 0x80)
				shown[n++] = '*';
		shown[n] = '\0';
	} else {
		snprintf(shown, sizeof shown, "%s", f->buf);
	}
	/* The end of the text stays visible; one column for the cursor. */
	p = shown;
	while (*p != '\0' && (tw = canvas_width(p)) > fw - 1)
		p += canvas_fit(p, 1) ? canvas_fit(p, 1) : 1;
	canvas_fill(c, x + lw, y, fw, 1, ' ', ROLE_FIELD | CA_UNDERLINE);
	tw = canvas_put(c, x + lw, y, ROLE_FIELD | CA_UNDERLINE, fw, p);
	if (focus)
		canvas_cursor(c, x + lw + tw, y);
	sodium_memzero(shown, sizeof shown);
}

const char *
ui_ctx_gettext(const char *key, const char *s)
{
	const char	*t = gettext(key);

	/* No translation: gettext gives the key back, context and all. */
	return t == key ? s : t;
}

int
button_draw(struct canvas *c, int x, int y, const char *label, bool focus)
{
	char	buf[128];

	snprintf(buf, sizeof buf, "[ %s ]", label);
	return canvas_put(c, x, y, focus ? ROLE_SEL | CA_BOLD : CA_BOLD, -1,
	    buf);
}

int
frame_body(const struct canvas *c)
{
	return c->rows - 3;
}

static void
hints_draw(struct canvas *c, int y, unsigned mask, bool typing)
{
	char		 buf[512], *tok = buf, *sp;
	int		 x = 1;

	/* Tokens are "key brief", two spaces apart. */
	keys_hints(mask, typing, buf, sizeof buf);
	while (tok != NULL && *tok != '\0' && x < c->cols) {
		char	*next = strstr(tok, "  ");

		if (next != NULL) {
			*next = '\0';
			next += 2;
		}
		if ((sp = strchr(tok, ' ')) != NULL)
			*sp = '\0';
		if (x + canvas_width(tok) + (sp ? canvas_width(sp + 1) + 1 :
		    0) > c->cols - 1)
			break;
		x += canvas_put(c, x, y, ROLE_KEY | CA_BOLD, -1, tok);
		if (sp != NULL) {
			x += canvas_put(c, x, y, 0, -1, " ");
			x += canvas_put(c, x, y, 0, -1, sp + 1);
		}
		x += 2;
		tok = next;
	}
}

void
frame_bar(struct screen *s, struct canvas *c, const char *title)
{
	const char	*path = s->ui->title_path;
	char		 t[256];
	int		 w, pw;

	canvas_fill(c, 0, 0, c->cols, 1, ' ', ROLE_TITLE);
	snprintf(t, sizeof t, " redoubt · %s", title);
	w = canvas_put(c, 0, 0, ROLE_TITLE | CA_BOLD, c->cols, t);
	if (path != NULL) {
		pw = canvas_width(path);
		if (w + pw + 4 <= c->cols)
			canvas_put(c, c->cols - pw - 1, 0, ROLE_TITLE, -1,
			    path);
	}
}

void
frame_hints(struct screen *s, struct canvas *c)
{
	hints_draw(c, c->rows - 1, s->keys, s->typing);
}

void
frame_draw(struct screen *s, struct canvas *c, const char *title)
{
	frame_bar(s, c, title);
	if (s->msg[0] != '\0')
		canvas_put(c, 1, c->rows - 2, s->msg_role, c->cols - 2,
		    s->msg);
	frame_hints(s, c);
}

void
scr_msg(struct screen *s, unsigned role, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof s->msg, fmt, ap);
	va_end(ap);
	s->msg_role = role;
}

void
scr_msg_job(struct screen *s, const struct ui_job *j)
{
	/*
	 * The core's own words only: its stable code is for scripts (the
	 * CLI's --json), not for the person at the desk.
	 */
	scr_msg(s, ROLE_ERROR | CA_BOLD, "%s", j->err.msg);
}

struct ui_action
scr_key_common(struct screen *s, enum key_act a)
{
	switch (a) {
	case KA_HELP:
		return act_push(scr_help_new(s->ui, s->keys, s->ops->name));
	case KA_BACK:
		return act_pop();
	case KA_REDRAW:
		return act_redraw();
	default:
		return act_none();
	}
}

void
sel_bar(struct canvas *c, int y)
{
	canvas_fill(c, 0, y, c->cols, 1, ' ', ROLE_SEL);
	canvas_cell(c, 0, y, '>', ROLE_SEL | CA_BOLD);
}

void
list_fit(struct listpos *l, int n, int page)
{
	if (page < 1)
		page = 1;
	if (l->sel >= n)
		l->sel = n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->top > l->sel)
		l->top = l->sel;
	if (l->sel >= l->top + page)
		l->top = l->sel - page + 1;
	if (l->top > n - page)
		l->top = n - page;
	if (l->top < 0)
		l->top = 0;
}

bool
list_move(struct listpos *l, enum key_act a, int n, int page)
{
	switch (a) {
	case KA_UP:
		l->sel--;
		break;
	case KA_DOWN:
		l->sel++;
		break;
	case KA_PGUP:
		l->sel -= page;
		l->top -= page;
		break;
	case KA_PGDN:
		l->sel += page;
		l->top += page;
		break;
	case KA_HOME:
		l->sel = 0;
		break;
	case KA_END:
		l->sel = n - 1;
		break;
	default:
		return false;
	}
	list_fit(l, n, page);
	return true;
}

bool
scroll_key(int *top, enum key_act a, int n, int page)
{
	switch (a) {
	case KA_UP:
		(*top)--;
		break;
	case KA_DOWN:
		(*top)++;
		break;
	case KA_PGUP:
		*top -= page;
		break;
	case KA_PGDN:
		*top += page;
		break;
	case KA_HOME:
		*top = 0;
		break;
	case KA_END:
		*top = n - page;
		break;
	default:
		return false;
	}
	if (*top > n - page)
		*top = n - page;
	if (*top < 0)
		*top = 0;
	return true;
}

int
text_wrap(struct canvas *c, int x, int y, int w, int h, int skip,
    unsigned attr, const char *s)
{
	const char	*p = s, *brk, *q;
	char		 line[1024];
	size_t		 n, fit;
	int		 row = 0;

	if (w < 1)
		return 0;
	while (*p != '\0' || p == s) {
		n = strcspn(p, "\n");
		fit = canvas_fit(p, w);
		if (fit > n)
			fit = n;
		if (fit < n) {
			/* Break at the last space that fits, if any. */
			for (brk = NULL, q = p; q < p + fit; q++)
				if (*q == ' ')
					brk = q;
			if (brk != NULL && brk > p)
				fit = (size_t)(brk - p);
		}
		if (fit == 0 && n > 0)
			fit = 1;
		if (fit >= sizeof line)
			fit = sizeof line - 1;
		memcpy(line, p, fit);
		line[fit] = '\0';
		if (row >= skip && row - skip < h)
			canvas_put(c, x, y + row - skip, attr, w, line);
		row++;
		p += fit;
		if (*p == ' ' && fit < n)
			p++;
		else if (*p == '\n')
			p++;
		if (*p == '\0')
			break;
	}
	sodium_memzero(line, sizeof line);
	return row;
}

void
time_fmt(double t, char *buf, size_t size)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%d %H:%M:%SZ", &tm) == 0)
		snprintf(buf, size, "%.0f", t);
}
