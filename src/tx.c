/*
 * tx.c: the transaction rule of tx.h, in one place.  A refusal keeps its
 * writes; if the commit itself fails, its error replaces the refusal, so
 * a failure that could not be counted is never reported as a counted one.
 * tx_step() is the same rule for a part of a transaction, by a savepoint.
 */
#include <string.h>

#include "../vault/vault.h"
#include "tx.h"

enum rd_code
tx_run(struct rd_ctx *ctx, enum rd_code (*fn)(struct rd_ctx *, void *,
    struct rd_err *), void *arg, struct rd_err *err)
{
	struct rd_err	cerr;
	enum rd_code	rc;

	if ((rc = vault_begin(ctx->vault, err)) != RD_OK)
		return rc;
	rc = fn(ctx, arg, err);
	if (rc != RD_OK && !rd_code_refusal(rc)) {
		vault_rollback(ctx->vault);
		return rc;
	}
	if (vault_commit(ctx->vault, &cerr) != RD_OK) {
		*err = cerr;
		return cerr.code;
	}
	return rc;
}

enum rd_code
tx_step(struct rd_ctx *ctx, enum rd_code (*step)(struct rd_ctx *, void *,
    struct rd_err *), void *arg, struct rd_err *err)
{
	struct rd_err	serr;
	enum rd_code	rc;

	if ((rc = vault_savepoint(ctx->vault, err)) != RD_OK)
		return rc;
	if ((rc = step(ctx, arg, err)) != RD_OK) {
		/* A savepoint that cannot be undone is the transaction's end. */
		if (vault_rollback_to(ctx->vault, &serr) != RD_OK) {
			*err = serr;
			return serr.code;
		}
		return rc;
	}
	return vault_release(ctx->vault, err);
}
