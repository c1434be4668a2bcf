/*
 * when.h: points in time as an operator writes and reads them.  The audit
 * log keeps seconds since the epoch; people give `--since` as a local date,
 * a local date and time or an age, and read times back in one local form,
 * "2026-11-29 14:03", the same on every screen and in the command line's
 * human output.
 */
#ifndef RD_WHEN_H
#define RD_WHEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The accepted forms, for error messages. */
#define WHEN_FORMS	"a local date (2026-11-29), a local date and time " \
			"(2026-11-29 14:03, 2026-11-29T14:03:05) or an age " \
			"(45s, 30m, 2h, 7d, 2w)"

/*
 * s as seconds since the epoch into *out: YYYY-MM-DD (local midnight),
 * YYYY-MM-DD HH:MM[:SS] or with a T between (local time), or an age N
 * followed by s, m, h, d or w counted back from now.  False when s is
 * none of these or names no real day or time.
 */
bool	when_parse(const char *s, int64_t now, int64_t *out);

/* Room for when_format's text. */
#define WHEN_MAX	32
/* t as local "YYYY-MM-DD HH:MM" into buf (at least WHEN_MAX bytes). */
void	when_format(int64_t t, char *buf, size_t size);
/* The same to the second, with the zone: "2026-11-29 14:03:05 CET". */
void	when_format_full(int64_t t, char *buf, size_t size);

#endif
