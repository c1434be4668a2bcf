/*
 * words.h: how times, durations and counts read for a person, said one
 * way on every screen and in every line of the command line's human
 * output.  JSON keeps numbers; these are only for people.
 */
#ifndef RD_WORDS_H
#define RD_WORDS_H

#include <stddef.h>
#include <time.h>

/*
 * A span of seconds in the unit that reads naturally: "1 second", "55
 * seconds", "90 seconds", "10 minutes", "2 hours 5 minutes", "3 days".
 * From two minutes on, seconds round up to the minute: a code that has
 * 599 seconds left is "valid for 10 minutes", as its message said.
 */
void	words_duration(long secs, char *buf, size_t size);
/* A moment in local time: "2026-11-29 14:03:12". */
void	words_time(time_t t, char *buf, size_t size);

#endif
