/*
 * ctx.c: what a step hands on: from its prepare to its exec, and from
 * its exec to after its commit.
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

void
ctx_prep(struct rd_ctx *ctx, void *prep, void (*free_prep)(void *))
{
	ctx_prep_drop(ctx);
	ctx->prep = prep;
	ctx->prep_free = free_prep;
}

void
ctx_prep_drop(struct rd_ctx *ctx)
{
	if (ctx->prep_free != NULL)
		ctx->prep_free(ctx->prep);
	ctx->prep = NULL;
	ctx->prep_free = NULL;
}
