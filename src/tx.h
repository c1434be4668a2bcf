/*
 * tx.h: the one owner of transactions.  The command runner runs each
 * writing step through tx_run(), and so does the little work that must
 * write after a step has committed (recording how a send went, keeping an
 * outbox message).  Nothing else begins, commits or rolls back.
 *
 * The rule: a step that succeeds commits; a step that ends in a refusal
 * (rd_code_refusal(): a wrong code, a lock, a used token) commits too,
 * because what it wrote (a counted failure, a spent attempt) must stand;
 * any other error rolls everything back.
 */
#ifndef RD_TX_H
#define RD_TX_H

#include "ctx.h"

/* Run fn(ctx, arg, err) in one transaction of ctx->vault. */
enum rd_code	tx_run(struct rd_ctx *ctx,
		    enum rd_code (*fn)(struct rd_ctx *ctx, void *arg,
		    struct rd_err *err), void *arg, struct rd_err *err) RD_CHECK;

/*
 * Inside fn of tx_run: run step(ctx, arg, err) under a savepoint, so that
 * a step that fails leaves nothing of itself and the transaction goes on
 * (one row of an import: a row is written whole or not at all).  The
 * result is step's, or the vault's when the savepoint cannot be made or
 * kept; a vault error (rd_code_exit() 3) is the transaction's, and fn
 * should give up and return it.
 */
enum rd_code	tx_step(struct rd_ctx *ctx,
		    enum rd_code (*step)(struct rd_ctx *ctx, void *arg,
		    struct rd_err *err), void *arg, struct rd_err *err)
		    RD_CHECK;

#endif
