/*
 * csv.h: reading CSV files (RFC 4180) one record at a time, for the
 * imports.  Fields may be quoted ("a, b" and "say ""hi"""), a quoted field
 * may span lines, lines end in LF or CRLF, and a UTF-8 byte order mark at
 * the start is skipped.  Each record remembers the line it starts on, so
 * an import can name the line of a refused row.  Fields are NUL-terminated
 * strings; a field holding a NUL byte is refused.
 *
 * Ownership: csv_open_file() and csv_open_stream() give a reader the
 * caller frees with csv_free(); the fields of a record belong to the
 * reader and live until the next csv_next() (they are wiped then, since a
 * row may carry a password or a seed).
 */
#ifndef RD_CSV_H
#define RD_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

#define CSV_MAX_FIELDS	32
#define CSV_MAX_RECORD	65536	/* bytes of one record, quotes removed */

struct csv;

/* A reader of the file at path ("-": stdin); what names it in messages. */
enum rd_code	 csv_open_file(const char *path, const char *what,
		    struct csv **out, struct rd_err *err) RD_CHECK;
/* A reader of fp, which stays the caller's. */
struct csv	*csv_open_stream(FILE *fp, const char *what);
void		 csv_free(struct csv *c);

/*
 * The next record: *nfields fields in fields[] (at most CSV_MAX_FIELDS),
 * *line the line it starts on.  RD_NOT_FOUND at the end of the file;
 * RD_USAGE, naming the line, for a record that is not CSV (an unclosed
 * quote, text after a closing quote, too many fields, too long, a NUL).
 * Blank lines are skipped.  After a malformed record the reader goes on at
 * the next line.
 */
enum rd_code	 csv_next(struct csv *c, char **fields, int *nfields,
		    long *line, struct rd_err *err) RD_CHECK;

/*
 * Index of the column named name in a header record (case-insensitive,
 * surrounding blanks ignored), or -1.
 */
int		 csv_column(char *const *header, int n, const char *name);

/*
 * Write one field to fp, quoted when it holds a comma, a quote, a line
 * break or leading/trailing blanks.  Returns 0, or -1 on a write error.
 */
int		 csv_write_field(FILE *fp, const char *field);

#endif
