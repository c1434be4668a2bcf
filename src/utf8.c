/*
 * utf8.c: decoding UTF-8 strictly (RFC 3629), for the checks of utf8.h.
 */
#include <string.h>

#include "utf8.h"
#include "util.h"

size_t
utf8_next(const char *s, uint32_t *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 c, min;
	size_t			 n, i;

	if (p[0] == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		c = p[0] & 0x1f;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		c = p[0] & 0x0f;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		c = p[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and what lies past U+10FFFF. */
	if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

bool
utf8_valid(const char *s)
{
	uint32_t	cp;
	size_t		n;

	while (*s != '\0') {
		if ((n = utf8_next(s, &cp)) == 0)
			return false;
		s += n;
	}
	return true;
}

bool
utf8_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

char *
utf8_clean(const char *s)
{
	struct rd_buf	b;
	uint32_t	cp;
	size_t		n;

	rd_buf_init(&b, 0);
	while (*s != '\0') {
		if ((n = utf8_next(s, &cp)) == 0) {
			rd_buf_addstr(&b, "\xef\xbf\xbd");
			s++;
			continue;
		}
		rd_buf_add(&b, s, n);
		s += n;
	}
	return rd_buf_take(&b);
}
