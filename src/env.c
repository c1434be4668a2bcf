/*
 * env.c: the system clock and randomness, and the unbiased draw built on
 * whichever source is injected.
 */
#include <time.h>

#include <sodium.h>

#include "env.h"

static int64_t
system_now(void *ctx)
{
	(void)ctx;
	return (int64_t)time(NULL);
}

static void
system_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	randombytes_buf(buf, len);
}

const struct rd_env rd_env_system = { system_now, system_random, NULL };

int64_t
env_now(const struct rd_env *env)
{
	return env->now(env->ctx);
}

void
env_random(const struct rd_env *env, void *buf, size_t len)
{
	env->random(env->ctx, buf, len);
}

uint32_t
env_uniform(const struct rd_env *env, uint32_t upper)
{
	uint32_t	r, min;

	if (upper < 2)
		return 0;
	/* Reject the few values that would make the low residues likelier. */
	min = (uint32_t)(-upper) % upper;
	do
		env_random(env, &r, sizeof r);
	while (r < min);
	return r % upper;
}
