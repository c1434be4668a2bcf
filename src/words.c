/*
 * words.c: times and durations for people (words.h).
 */
#include <stdio.h>
#include <time.h>

#include "words.h"

static void
words_unit(char *buf, size_t size, long n, const char *one,
    const char *many)
{
	snprintf(buf, size, "%ld %s", n, n == 1 ? one : many);
}

void
words_duration(long secs, char *buf, size_t size)
{
	long	mins, hours, days;
	char	h[32], m[32];

	if (secs < 0)
		secs = 0;
	if (secs < 120 && secs % 60 != 0) {
		words_unit(buf, size, secs, "second", "seconds");
		return;
	}
	mins = (secs + 59) / 60;
	if (mins < 120) {
		words_unit(buf, size, mins, "minute", "minutes");
		return;
	}
	hours = mins / 60;
	mins %= 60;
	if (hours < 48) {
		words_unit(h, sizeof h, hours, "hour", "hours");
		words_unit(m, sizeof m, mins, "minute", "minutes");
		snprintf(buf, size, "%s%s%s", h, mins > 0 ? " " : "",
		    mins > 0 ? m : "");
		return;
	}
	days = (hours + 23) / 24;
	words_unit(buf, size, days, "day", "days");
}

void
words_time(time_t t, char *buf, size_t size)
{
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, size, "%lld", (long long)t);
}
