/*
 * tok-csv.c: the record loop the CSV token formats share (OATH CSV,
 * Yubico's log): records that are not CSV and rows the format refuses
 * are refused by line and the file goes on; blank rows and the format's
 * comments are passed over; the same serial twice keeps its first row.
 */
#include <stdbool.h>

#include "csv.h"
#include "token.h"

enum rd_code
token_csv_read(struct csv *c, struct token_set *s, const struct token_csv *fmt,
    struct rd_err *err)
{
	char		*f[CSV_MAX_FIELDS], why[256];
	const char	*first;
	int		 nf;
	long		 line;
	bool		 skip;
	struct token	*t;
	enum rd_code	 rc;

	for (;;) {
		rc = csv_next(c, f, &nf, &line, err);
		if (rc == RD_NOT_FOUND)
			break;
		if (rc == RD_USAGE) {
			/* Not CSV: that row only (the reader goes on). */
			token_set_refuse(s, line, 0, NULL, "%s", err->msg);
			continue;
		}
		if (rc != RD_OK)
			return rc;
		first = token_trim(f[0]);
		if ((rc = fmt->comment(first, line, &skip, err)) != RD_OK)
			return rc;
		/* A comment, or a line of blanks and commas only. */
		if (skip || (nf == 1 && first[0] == '\0'))
			continue;
		t = token_set_add(s, line, 0);
		if (!fmt->row(f, nf, t, why, sizeof why)) {
			token_set_refuse(s, line, 0, t->serial, "%s", why);
			token_set_drop_last(s);
		}
	}
	token_set_dedupe(s);
	return RD_OK;
}
