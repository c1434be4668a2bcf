/*
 * util.c: allocation, the capped buffer and string helpers of util.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "util.h"

void
oom(void)
{
	static const char	msg[] = "redoubt: out of memory\n";

	/*
	 * Nothing sensible can follow.  No abort(): a core would hold the
	 * secrets this process has seen.
	 */
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
		_exit(70);
	_exit(70);
}

void *
xmalloc(size_t n)
{
	void	*p = malloc(n == 0 ? 1 : n);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void	*q = realloc(p, n == 0 ? 1 : n);

	if (q == NULL)
		oom();
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
secret_free(char *s)
{
	if (s == NULL)
		return;
	sodium_memzero(s, strlen(s));
	free(s);
}

void
secret_free_bytes(void *p, size_t n)
{
	if (p == NULL)
		return;
	sodium_memzero(p, n);
	free(p);
}

void
rd_buf_init(struct rd_buf *b, size_t max)
{
	b->size = 64;
	b->data = xmalloc(b->size);
	b->data[0] = '\0';
	b->len = 0;
	b->max = max;
}

int
rd_buf_add(struct rd_buf *b, const void *p, size_t n)
{
	size_t	 want;
	char	*grown;

	if (b->max != 0 && b->len + n > b->max)
		return -1;
	want = b->len + n + 1;
	if (want > b->size) {
		size_t	size = b->size;

		while (size < want)
			size *= 2;
		/* Grow by copying so no secret is left behind in freed memory. */
		grown = xmalloc(size);
		memcpy(grown, b->data, b->len + 1);
		sodium_memzero(b->data, b->size);
		free(b->data);
		b->data = grown;
		b->size = size;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
rd_buf_addstr(struct rd_buf *b, const char *s)
{
	return rd_buf_add(b, s, strlen(s));
}

int
rd_buf_printf(struct rd_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = rd_buf_add(b, s, (size_t)n);
	secret_free(s);
	return rc;
}

char *
rd_buf_take(struct rd_buf *b)
{
	char	*p = b->data;

	b->data = NULL;
	b->len = b->size = 0;
	return p;
}

void
rd_buf_free(struct rd_buf *b)
{
	if (b->data != NULL) {
		sodium_memzero(b->data, b->size);
		free(b->data);
	}
	b->data = NULL;
	b->len = b->size = 0;
}

void
path_mkdirs(const char *path)
{
	char	*dir = xstrdup(path), *p;

	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			break;
		*p = '/';
	}
	free(dir);
}

bool
str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_to_long(const char *s, long min, long max, long *out)
{
	char	*end;
	long	 v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool
code_normalise(const char *in, bool fold, char *out, size_t outsz)
{
	size_t	n = 0;

	for (; *in != '\0'; in++) {
		unsigned char	c = (unsigned char)*in;

		if (c == ' ' || c == '\t' || c == '-' || c == '\n' || c == '\r')
			continue;
		if (n + 1 >= outsz) {
			sodium_memzero(out, outsz);
			return false;
		}
		out[n++] = fold ? (char)tolower(c) : (char)c;
	}
	out[n] = '\0';
	return n > 0;
}

bool
str_ct_equal(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b);

	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}
