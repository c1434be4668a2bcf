/*
 * csv.c: an RFC 4180 reader, one record at a time, and the quoting of one
 * field for writing.  The record is parsed byte by byte into one buffer
 * whose fields are NUL-separated, so a record costs no allocation once the
 * buffer has grown; the buffer is wiped between records because an import
 * row may hold a password or a token seed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "csv.h"
#include "i18n.h"
#include "util.h"

struct csv {
	FILE	*fp;
	bool	 owned;		/* fp is ours to close */
	char	*what;		/* names the file in messages */
	long	 line;		/* the line the next byte is on */
	bool	 started;	/* the byte order mark has been looked for */
	char	*buf;
	size_t	 len, size;
};

struct csv *
csv_open_stream(FILE *fp, const char *what)
{
	struct csv	*c = xcalloc(1, sizeof *c);

	c->fp = fp;
	c->what = xstrdup(what);
	c->line = 1;
	c->size = 1024;
	c->buf = xmalloc(c->size);
	return c;
}

enum rd_code
csv_open_file(const char *path, const char *what, struct csv **out,
    struct rd_err *err)
{
	FILE	*fp;

	*out = NULL;
	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "r")) == NULL)
		return rd_err_set(err, errno == ENOENT ? RD_NOT_FOUND :
		    RD_USAGE, _("cannot read %s %s: %s"), what, path,
		    strerror(errno));
	*out = csv_open_stream(fp, what);
	(*out)->owned = fp != stdin;
	return RD_OK;
}

void
csv_free(struct csv *c)
{
	if (c == NULL)
		return;
	if (c->owned)
		fclose(c->fp);
	sodium_memzero(c->buf, c->size);
	free(c->buf);
	free(c->what);
	free(c);
}

/* Append one byte; false once the record is too long. */
static bool
csv_put(struct csv *c, char ch)
{
	if (c->len + 1 >= CSV_MAX_RECORD)
		return false;
	if (c->len + 1 >= c->size) {
		char	*n = xmalloc(c->size * 2);

		memcpy(n, c->buf, c->len);
		sodium_memzero(c->buf, c->size);
		free(c->buf);
		c->buf = n;
		c->size *= 2;
	}
	c->buf[c->len++] = ch;
	return true;
}

/* Skip to the start of the next line after a malformed record. */
static void
csv_skip_line(struct csv *c)
{
	int	ch;

	while ((ch = getc(c->fp)) != EOF && ch != '\n')
		;
	if (ch == '\n')
		c->line++;
}

static enum rd_code RD_CHECK
csv_bad(struct csv *c, long line, const char *why, struct rd_err *err)
{
	csv_skip_line(c);
	return rd_err_set(err, RD_USAGE, _("%s, line %ld: %s"), c->what, line,
	    why);
}

enum rd_code
csv_next(struct csv *c, char **fields, int *nfields, long *line,
    struct rd_err *err)
{
	size_t	 starts[CSV_MAX_FIELDS];
	int	 n, ch;
	bool	 quoted, after_quote, any;

	sodium_memzero(c->buf, c->size);
	if (!c->started) {
		c->started = true;
		if ((ch = getc(c->fp)) == 0xef) {
			if (getc(c->fp) != 0xbb || getc(c->fp) != 0xbf)
				return csv_bad(c, 1, _("not UTF-8 text"), err);
		} else if (ch != EOF)
			ungetc(ch, c->fp);
	}
again:
	c->len = 0;
	n = 0;
	starts[n++] = 0;
	quoted = after_quote = any = false;
	*line = c->line;
	for (;;) {
		ch = getc(c->fp);
		if (ch == EOF) {
			if (quoted)
				return rd_err_set(err, RD_USAGE,
				    _("%s, line %ld: a quote is never closed"),
				    c->what, *line);
			if (!any && c->len == 0 && n == 1)
				return RD_NOT_FOUND;
			break;
		}
		if (ch == '\0')
			return csv_bad(c, c->line, _("a NUL byte"), err);
		if (quoted) {
			if (ch == '"') {
				int	next = getc(c->fp);

				if (next == '"') {
					if (!csv_put(c, '"'))
						goto toolong;
					continue;
				}
				if (next != EOF)
					ungetc(next, c->fp);
				quoted = false;
				after_quote = true;
				continue;
			}
			if (ch == '\n')
				c->line++;
			if (!csv_put(c, (char)ch))
				goto toolong;
			continue;
		}
		if (ch == '\r') {
			int	next = getc(c->fp);

			if (next == '\n')
				ch = '\n';
			else if (next != EOF)
				ungetc(next, c->fp);
		}
		if (ch == '\n') {
			c->line++;
			if (!any && c->len == 0 && n == 1)
				goto again;	/* a blank line */
			break;
		}
		any = true;
		if (ch == ',') {
			if (n == CSV_MAX_FIELDS)
				return csv_bad(c, *line, _("too many fields"),
				    err);
			if (!csv_put(c, '\0'))
				goto toolong;
			starts[n++] = c->len;
			after_quote = false;
			continue;
		}
		if (after_quote) {
			if (ch == ' ' || ch == '\t')
				continue;
			return csv_bad(c, *line,
			    _("text after a closing quote"), err);
		}
		if (ch == '"' && c->len == starts[n - 1]) {
			quoted = true;
			continue;
		}
		if (!csv_put(c, (char)ch))
			goto toolong;
	}
	if (!csv_put(c, '\0'))
		goto toolong;
	for (int i = 0; i < n; i++)
		fields[i] = c->buf + starts[i];
	*nfields = n;
	return RD_OK;
toolong:
	return csv_bad(c, *line, _("the record is too long"), err);
}

int
csv_column(char *const *header, int n, const char *name)
{
	size_t	len = strlen(name);

	for (int i = 0; i < n; i++) {
		const char	*h = header[i];
		size_t		 hl;

		while (*h == ' ' || *h == '\t')
			h++;
		hl = strlen(h);
		while (hl > 0 && (h[hl - 1] == ' ' || h[hl - 1] == '\t'))
			hl--;
		if (hl == len && strncasecmp(h, name, len) == 0)
			return i;
	}
	return -1;
}

int
csv_write_field(FILE *fp, const char *field)
{
	size_t	len = strlen(field);
	bool	quote = strpbrk(field, ",\"\r\n") != NULL ||
	    (len > 0 && (field[0] == ' ' || field[len - 1] == ' '));

	if (!quote)
		return fputs(field, fp) == EOF ? -1 : 0;
	if (putc('"', fp) == EOF)
		return -1;
	for (const char *p = field; *p != '\0'; p++) {
		if (*p == '"' && putc('"', fp) == EOF)
			return -1;
		if (putc(*p, fp) == EOF)
			return -1;
	}
	return putc('"', fp) == EOF ? -1 : 0;
}
