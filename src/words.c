/*
 * words.c: times and durations for people (words.h), in their language
 * with its plural forms (ngettext: Polish says 1 minuta, 2 minuty, 5 minut).
 */
#include <stdio.h>
#include <time.h>

#include "i18n.h"
#include "words.h"

void
words_duration(long secs, char *buf, size_t size)
{
	long	mins, hours, days;
	char	h[32], m[32];

	if (secs < 0)
		secs = 0;
	if (secs < 120 && secs % 60 != 0) {
		snprintf(buf, size, ngettext("%ld second", "%ld seconds",
		    (unsigned long)secs), secs);
		return;
	}
	mins = (secs + 59) / 60;
	if (mins < 120) {
		snprintf(buf, size, ngettext("%ld minute", "%ld minutes",
		    (unsigned long)mins), mins);
		return;
	}
	hours = mins / 60;
	mins %= 60;
	if (hours < 48) {
		snprintf(h, sizeof h, ngettext("%ld hour", "%ld hours",
		    (unsigned long)hours), hours);
		snprintf(m, sizeof m, ngettext("%ld minute", "%ld minutes",
		    (unsigned long)mins), mins);
		snprintf(buf, size, "%s%s%s", h, mins > 0 ? " " : "",
		    mins > 0 ? m : "");
		return;
	}
	days = (hours + 23) / 24;
	snprintf(buf, size, ngettext("%ld day", "%ld days",
	    (unsigned long)days), days);
}

void
words_time(time_t t, char *buf, size_t size)
{
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, size, "%lld", (long long)t);
}
