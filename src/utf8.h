/*
 * utf8.h: what text from outside may hold.  Names, and everything the
 * command line prints, must be valid UTF-8 (no overlong forms, no
 * surrogates); controls (C0, DEL, C1) never reach a terminal.
 */
#ifndef RD_UTF8_H
#define RD_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The code point at s into *cp; the bytes it takes (1 to 4), or 0 when s
 * does not start a valid UTF-8 sequence (or is at its end).
 */
size_t	utf8_next(const char *s, uint32_t *cp);
bool	utf8_valid(const char *s);
/* C0, DEL and C1 controls. */
bool	utf8_control(uint32_t cp);
/* A copy with each invalid byte as U+FFFD (free()). */
char	*utf8_clean(const char *s);

#endif
