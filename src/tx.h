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

#include <stdbool.h>

#include "ctx.h"

/* Run fn(ctx, arg, err) in one transaction of ctx->vault. */
enum rd_code	tx_run(struct rd_ctx *ctx,
		    enum rd_code (*fn)(struct rd_ctx *ctx, void *arg,
		    struct rd_err *err), void *arg, struct rd_err *err) RD_CHECK;

/*
 * A group commit (the batch runner): several steps share one transaction,
 * each in a savepoint of its own, under the same rule as tx_run step by
 * step: a step that succeeds or is refused keeps its writes, a step that
 * fails otherwise loses its own writes and nothing else.  What the steps
 * did is durable only once tx_group_commit returns RD_OK; a caller tells
 * nobody about a step before that.
 */
struct tx_group {
	bool	open;		/* a transaction is open */
	int	steps;		/* steps run in it */
	/*
	 * The transaction ended under the steps (SQLite rolls back on a
	 * full disk or I/O error): every step of the group is lost.
	 */
	bool	lost;
};

enum rd_code	tx_group_begin(struct rd_ctx *ctx, struct tx_group *g,
		    struct rd_err *err) RD_CHECK;
/* Run fn as one step of the open group g. */
enum rd_code	tx_group_step(struct rd_ctx *ctx, struct tx_group *g,
		    enum rd_code (*fn)(struct rd_ctx *ctx, void *arg,
		    struct rd_err *err), void *arg, struct rd_err *err) RD_CHECK;
/* Commit the group; on failure nothing of it was kept.  g is closed. */
enum rd_code	tx_group_commit(struct rd_ctx *ctx, struct tx_group *g,
		    struct rd_err *err) RD_CHECK;
/* Roll the whole group back (a batch that cannot go on); g is closed. */
void		tx_group_abort(struct rd_ctx *ctx, struct tx_group *g);
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
