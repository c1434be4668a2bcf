/*
 * import-report.c: the report of a user import (import-int.h): a CSV
 * file of the refused rows only, with the file's own columns then `line`
 * and `reason`, so that it can be corrected and imported again (the
 * import ignores those two columns).  It is written even when no row is
 * refused (the header alone), made mode 0600 since it holds personal
 * data, and the password column is always left blank.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "import-int.h"

enum rd_code
import_report_open(const char *path, FILE **fp, struct rd_err *err)
{
	int	fd;

	*fp = NULL;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	/* A file that was there keeps its mode through O_CREAT: not this. */
	if (fd < 0 || fchmod(fd, 0600) != 0 ||
	    (*fp = fdopen(fd, "w")) == NULL) {
		rd_ignore(rd_err_set(err, RD_USAGE, _("cannot write the report "
		    "%s: %s"), path, strerror(errno)));
		if (fd >= 0)
			close(fd);
		return RD_USAGE;
	}
	return RD_OK;
}

int
import_report_header(FILE *fp, const struct import_cols *cols)
{
	int	i, r = 0;

	for (i = 0; i < cols->n; i++) {
		if (cols->names[i] == NULL)
			continue;
		r |= csv_write_field(fp, cols->names[i]);
		r |= fputc(',', fp) == EOF ? -1 : 0;
	}
	r |= fputs("line,reason\r\n", fp) == EOF ? -1 : 0;
	return r;
}

int
import_report_row(FILE *fp, const struct import_cols *cols,
    const struct import_row *r)
{
	char	line[32];
	int	i, w = 0;

	for (i = 0; i < cols->n; i++) {
		if (cols->names[i] == NULL)
			continue;
		if (r->fields != NULL && i < r->nfields &&
		    i != cols->at[IC_PASSWORD])
			w |= csv_write_field(fp, r->fields[i]);
		w |= fputc(',', fp) == EOF ? -1 : 0;
	}
	snprintf(line, sizeof line, "%ld", r->line);
	w |= csv_write_field(fp, line);
	w |= fputc(',', fp) == EOF ? -1 : 0;
	w |= csv_write_field(fp, r->reason != NULL ? r->reason : "");
	w |= fputs("\r\n", fp) == EOF ? -1 : 0;
	return w;
}

enum rd_code
import_report_close(FILE *fp, const char *path, struct rd_err *err)
{
	int	bad = ferror(fp);

	if (fclose(fp) != 0 || bad)
		return rd_err_set(err, RD_USAGE, _("cannot write the report "
		    "%s: %s"), path, strerror(errno ? errno : EIO));
	return RD_OK;
}
