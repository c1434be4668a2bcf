/*
 * when.c: reading the times an operator types and writing times for
 * people (when.h).  Parsing is by hand and strict, field by field, since
 * strptime accepts signs, spaces and one-digit fields; mktime then says
 * whether the day exists (a 30 February comes back as 2 March and is
 * refused).  Local time follows $TZ, as every Unix tool does.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "when.h"

/* n digits at *s into *v, advancing *s; false unless all are digits. */
static bool
digits(const char **s, int n, int *v)
{
	*v = 0;
	for (; n > 0; n--, (*s)++) {
		if (**s < '0' || **s > '9')
			return false;
		*v = *v * 10 + (**s - '0');
	}
	return true;
}

/* An age: digits and one unit letter, at most about a century back. */
static bool
when_age(const char *s, int64_t now, int64_t *out)
{
	static const struct {
		char	unit;
		int64_t	seconds;
	} units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
		{ 'w', 7 * 86400 },
	};
	int64_t		n = 0;
	size_t		i, len = strlen(s);

	if (len < 2 || len > 12)
		return false;
	for (i = 0; i + 1 < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		n = n * 10 + (s[i] - '0');
	}
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (units[i].unit != s[len - 1])
			continue;
		if (n > (int64_t)100 * 366 * 86400 / units[i].seconds)
			return false;
		*out = now - n * units[i].seconds;
		return true;
	}
	return false;
}

bool
when_parse(const char *s, int64_t now, int64_t *out)
{
	struct tm	tm, want;
	const char	*p = s;
	int		y, mo, d, h = 0, mi = 0, sec = 0;
	time_t		t;

	if (s == NULL)
		return false;
	if (s[0] >= '0' && s[0] <= '9' && strchr("smhdw", s[strlen(s) - 1]))
		return when_age(s, now, out);
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) ||
	    *p++ != '-' || !digits(&p, 2, &d))
		return false;
	if (*p == ' ' || *p == 'T') {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			return false;
		if (*p == ':' && (p++, !digits(&p, 2, &sec)))
			return false;
		if (h > 23 || mi > 59 || sec > 59)
			return false;
	}
	if (*p != '\0' || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	want = tm;
	if ((t = mktime(&tm)) == (time_t)-1)
		return false;
	/*
	 * Only the day is compared: a time in the hour skipped when clocks go
	 * forward is moved on by mktime and stays valid, as the operator
	 * meant "from then on".
	 */
	if (tm.tm_year != want.tm_year || tm.tm_mon != want.tm_mon ||
	    tm.tm_mday != want.tm_mday)
		return false;
	*out = (int64_t)t;
	return true;
}

/* localtime of t, or false (then buf holds the plain number). */
static bool
when_local(int64_t t, struct tm *tm, char *buf, size_t size)
{
	time_t	tt = (time_t)t;

	if (localtime_r(&tt, tm) != NULL)
		return true;
	snprintf(buf, size, "%lld", (long long)t);
	return false;
}

void
when_format(int64_t t, char *buf, size_t size)
{
	struct tm	tm;

	if (when_local(t, &tm, buf, size) &&
	    strftime(buf, size, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(buf, size, "%lld", (long long)t);
}

void
when_format_full(int64_t t, char *buf, size_t size)
{
	struct tm	tm;

	if (when_local(t, &tm, buf, size) &&
	    strftime(buf, size, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		snprintf(buf, size, "%lld", (long long)t);
}
