/*
 * shword.h: a line split into words the way a POSIX shell would split it
 * before running a command, without any of its expansions: the batch
 * runner reads `user add 'Anna Nowak' --email a@x.org` as the shell
 * would hand the same words to redoubt on the command line.
 *
 * Blanks (space, tab) separate words.  Single quotes keep everything up to
 * the next single quote.  Double quotes keep everything up to the next
 * unescaped double quote; inside them a backslash escapes only \, ", $
 * and ` (and stays otherwise).  Outside quotes a backslash takes the next
 * character as it is.  A # that begins a word starts a comment to the end
 * of the line; inside a word it is a letter.  Quotes join with what is
 * next to them (a'b'"c" is one word) and '' is an empty word.
 */
#ifndef RD_SHWORD_H
#define RD_SHWORD_H

#include <stddef.h>

#include "err.h"

#define SHWORD_MAX	64	/* words in one line */

/* The words of a line; each points into the buffer given to split. */
struct shword {
	char	*v[SHWORD_MAX + 1];	/* v[n] is NULL */
	int	 n;
};

/*
 * Split line (NUL-terminated, no newline) into w, the words' bytes in
 * buf, which must hold strlen(line) + 1 bytes (the words never need
 * more).  RD_USAGE, naming the line number lineno, for a quote left open,
 * a backslash at the end of the line or more than SHWORD_MAX words; w is
 * then empty.  A line of blanks or only a comment has no words.
 */
enum rd_code	shword_split(const char *line, char *buf, size_t size,
		    struct shword *w, long lineno, struct rd_err *err)
		    RD_CHECK;

#endif
