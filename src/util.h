/*
 * util.h: small helpers every layer uses: allocation that never returns
 * NULL (running out of memory ends the program, as in tmux), a growable
 * byte buffer with a hard cap (as curl's dynbuf), string helpers, and the
 * normalisation of codes typed by people.
 */
#ifndef RD_UTIL_H
#define RD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Out of memory: a message and exit 70, never a core (it holds secrets). */
void	 oom(void) __attribute__((noreturn));
void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Memory for secrets (OTP and key material, passwords, passphrases,
 * codes, tokens), secmem.c: from sodium_malloc'd chunks, locked against
 * swapping and behind guard pages, zeroed; secret_release wipes and frees
 * (NULL is fine).  Never mix with free().
 */
#define SECRET_LINE_MAX	1024	/* a passphrase or password line, with NUL */
void	*secret_alloc(size_t n);
char	*secret_strdup(const char *s);
void	 secret_release(void *p);

/* Wipe then free a NUL-terminated secret from malloc; NULL is fine. */
void	 secret_free(char *s);
/* Wipe then free n bytes. */
void	 secret_free_bytes(void *p, size_t n);

/*
 * A byte buffer that always stays NUL-terminated and refuses to grow past
 * max (0 means no cap).  Appends return -1 once the cap would be passed,
 * leaving the buffer as it was.
 */
struct rd_buf {
	char	*data;
	size_t	 len;
	size_t	 size;
	size_t	 max;
};
void	 rd_buf_init(struct rd_buf *b, size_t max);
int	 rd_buf_add(struct rd_buf *b, const void *p, size_t n);
int	 rd_buf_addstr(struct rd_buf *b, const char *s);
int	 rd_buf_printf(struct rd_buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Hand the contents to the caller (free with free()); b becomes empty. */
char	*rd_buf_take(struct rd_buf *b);
/* Wipe and release. */
void	 rd_buf_free(struct rd_buf *b);

/* The folders above path, made private to the operator (mkdir -p). */
void	 path_mkdirs(const char *path);

bool	 str_has_prefix(const char *s, const char *prefix);
/* Parse a whole decimal integer in [min, max]; false when it is not one. */
bool	 str_to_long(const char *s, long min, long max, long *out);

/*
 * Normalise a code typed by a person into out (size outsz): spaces, tabs
 * and dashes dropped, and, when fold is set, letters lower-cased.  Returns
 * false when the result is empty or does not fit.
 */
bool	 code_normalise(const char *in, bool fold, char *out, size_t outsz);

/* Constant-time equality of two NUL-terminated strings of public length. */
bool	 str_ct_equal(const char *a, const char *b);

#endif
