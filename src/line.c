/*
 * line.c: one secret line from a stream or a file, refused when it does
 * not fit (line.h).
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "i18n.h"
#include "line.h"

int
line_read(FILE *fp, char *buf, size_t size)
{
	size_t	n = 0;
	int	c, r = 0;

	while ((c = fgetc(fp)) != EOF && c != '\n') {
		if (c == '\0')
			r = -3;
		else if (n + 1 >= size)
			r = r ? r : -2;
		if (r == 0)
			buf[n++] = (char)c;
	}
	if (c == EOF && n == 0 && r == 0) {
		buf[0] = '\0';
		return -1;
	}
	/* The rest of a refused line is read too: it is not the next one. */
	if (r != 0) {
		sodium_memzero(buf, size);
		return r;
	}
	while (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return 0;
}

enum rd_code
line_bad(int r, const char *what, size_t size, struct rd_err *err)
{
	if (r == -2)
		return rd_err_set(err, RD_USAGE, _("the %s is longer than %zu "
		    "bytes"), what, size - 1);
	if (r == -3)
		return rd_err_set(err, RD_USAGE, _("the %s holds a NUL byte"),
		    what);
	return RD_OK;
}

enum rd_code
line_read_file(const char *path, const char *what, char *buf, size_t size,
    struct rd_err *err)
{
	FILE		*fp;
	int		 r;
	enum rd_code	 rc;

	/* "passphrase", "new passphrase": words of the catalogue. */
	what = _(what);
	if ((fp = fopen(path, "r")) == NULL)
		return rd_err_set(err, RD_USAGE, _("cannot read the %s from "
		    "%s: %s"), what, path, strerror(errno));
	r = line_read(fp, buf, size);
	fclose(fp);
	if ((rc = line_bad(r, what, size, err)) != RD_OK)
		return rc;
	if (r != 0)
		return rd_err_set(err, RD_USAGE, _("cannot read the %s from "
		    "%s: it is empty"), what, path);
	return RD_OK;
}
