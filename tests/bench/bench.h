/*
 * bench.h: what bench.c and bench-vault.c share: the clock, percentiles,
 * running a command from words and the TOTP code of an otpauth URI.
 */
#ifndef RD_BENCH_H
#define RD_BENCH_H

#include <stddef.h>

#include <cJSON.h>

#include "../../src/ctx.h"
#include "../../src/err.h"

/* A step the figures rely on: stop rather than time a failure. */
#define MUST(x) do {							\
	if ((x) != RD_OK) {						\
		fprintf(stderr, "bench: %s failed\n", #x);		\
		exit(1);						\
	}								\
} while (0)

#define RUNS	200

double		 now_us(void);
int		 cmp_double(const void *a, const void *b);
/* "M us median (p90 A, p99 B)" of n samples (sorts v); a static buffer. */
const char	*pcts(double *v, int n);
enum rd_code	 bench_ask(void *arg, const char *what, char *buf,
		    size_t size, struct rd_err *err);
/* The result of a command run from words; exits on failure. */
cJSON		*run(struct rd_ctx *ctx, int argc, char **argv);
/* The TOTP code of uri, `ahead` steps after now, into out (16 bytes). */
void		 code_of(const char *uri, int ahead, char *out);
/* bench-vault.c */
void		 bench_enrolled(const char *dir, struct config *cfg);
void		 bench_audit(struct rd_ctx *ctx, long n);
/* bench-mixed.c: nproc operators at once on a new store at where. */
void		 bench_mixed(const char *where, int nproc, struct config *cfg);

#endif
