/*
 * line.h: reading one secret line (a passphrase, a password, a code, key
 * material) from a stream or a file.  A line that does not fit is refused,
 * never cut short, and what was read of it is wiped.
 */
#ifndef RD_LINE_H
#define RD_LINE_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/*
 * One line from fp into buf (size bytes), without its newline.  0, or -1
 * at end of file, or -2 when the line does not fit, or -3 when it holds a
 * NUL byte (which would cut it short).
 */
int		line_read(FILE *fp, char *buf, size_t size);
/*
 * A line_read result that is no line: -2 (too long for size) or -3 (a
 * NUL byte) as RD_USAGE naming what; RD_OK for any other result.
 */
enum rd_code	line_bad(int r, const char *what, size_t size,
		    struct rd_err *err) RD_CHECK;
/* The first line of the file at path; what names it in messages. */
enum rd_code	line_read_file(const char *path, const char *what, char *buf,
		    size_t size, struct rd_err *err) RD_CHECK;

#endif
