/*
 * ctx.c: leaving work for after a step's commit.
 */
#include <string.h>

#include "ctx.h"

void
ctx_after(struct rd_ctx *ctx, enum rd_code (*fn)(struct rd_ctx *, void *,
    struct cJSON *, struct rd_err *), void *arg, void (*free_arg)(void *))
{
	ctx_after_drop(ctx);
	ctx->after.fn = fn;
	ctx->after.arg = arg;
	ctx->after.free = free_arg;
}

void
ctx_after_drop(struct rd_ctx *ctx)
{
	if (ctx->after.free != NULL)
		ctx->after.free(ctx->after.arg);
	memset(&ctx->after, 0, sizeof ctx->after);
}
