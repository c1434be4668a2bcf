/*
 * env.h: the clock and the randomness the core uses, injected so that unit
 * tests can fix time and draw predictable codes.  Production uses
 * rd_env_system (time(2) and libsodium's randombytes_buf).
 */
#ifndef RD_ENV_H
#define RD_ENV_H

#include <stddef.h>
#include <stdint.h>

struct rd_env {
	int64_t	(*now)(void *ctx);
	void	(*random)(void *ctx, void *buf, size_t len);
	void	*ctx;
};

extern const struct rd_env rd_env_system;

int64_t		env_now(const struct rd_env *env);
void		env_random(const struct rd_env *env, void *buf, size_t len);
/* A uniform number in [0, upper) without modulo bias. */
uint32_t	env_uniform(const struct rd_env *env, uint32_t upper);

#endif
