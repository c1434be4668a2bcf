/*
 * shword.c: splitting a line into words as a shell would (shword.h), as
 * a small state machine over the bytes.  The bytes are copied, never
 * interpreted further: no variables, globs or command substitution, so a
 * line cannot do anything but name a command and its arguments.
 */
#include <stdbool.h>
#include <string.h>

#include "i18n.h"
#include "shword.h"

enum shword_state {
	SW_BLANK,	/* between words */
	SW_WORD,	/* in a word, outside quotes */
	SW_SINGLE,	/* inside '...' */
	SW_DOUBLE,	/* inside "..." */
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* What a backslash escapes inside double quotes (POSIX). */
static bool
double_escapes(char c)
{
	return c == '\\' || c == '"' || c == '$' || c == '`';
}

enum rd_code
shword_split(const char *line, char *buf, size_t size, struct shword *w,
    long lineno, struct rd_err *err)
{
	enum shword_state	 state = SW_BLANK;
	const char		*p;
	char			*o = buf;

	memset(w, 0, sizeof *w);
	if (size < strlen(line) + 1)
		return rd_err_set(err, RD_USAGE, _("line %ld is too long"),
		    lineno);
	for (p = line; *p != '\0'; p++) {
		char	c = *p;

		switch (state) {
		case SW_BLANK:
			if (is_blank(c))
				continue;
			if (c == '#')
				goto end;
			if (w->n == SHWORD_MAX) {
				memset(w, 0, sizeof *w);
				return rd_err_set(err, RD_USAGE, _("line %ld "
				    "has more than %d words"), lineno,
				    SHWORD_MAX);
			}
			w->v[w->n++] = o;
			state = SW_WORD;
			/* FALLTHROUGH */
		case SW_WORD:
			if (is_blank(c)) {
				*o++ = '\0';
				state = SW_BLANK;
			} else if (c == '\'') {
				state = SW_SINGLE;
			} else if (c == '"') {
				state = SW_DOUBLE;
			} else if (c == '\\') {
				if (p[1] == '\0') {
					memset(w, 0, sizeof *w);
					return rd_err_set(err, RD_USAGE,
					    _("line %ld ends in a backslash"),
					    lineno);
				}
				*o++ = *++p;
			} else {
				*o++ = c;
			}
			break;
		case SW_SINGLE:
			if (c == '\'')
				state = SW_WORD;
			else
				*o++ = c;
			break;
		case SW_DOUBLE:
			if (c == '"')
				state = SW_WORD;
			else if (c == '\\' && double_escapes(p[1]))
				*o++ = *++p;
			else
				*o++ = c;
			break;
		}
	}
end:
	if (state == SW_SINGLE || state == SW_DOUBLE) {
		memset(w, 0, sizeof *w);
		return rd_err_set(err, RD_USAGE, state == SW_SINGLE ?
		    _("line %ld: a single quote is not closed") :
		    _("line %ld: a double quote is not closed"), lineno);
	}
	if (state == SW_WORD)
		*o = '\0';
	return RD_OK;
}
