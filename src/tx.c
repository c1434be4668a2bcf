/*
 * tx.c: the transaction rule of tx.h, in one place.  A refusal keeps its
 * writes; if the commit itself fails, its error replaces the refusal, so
 * a failure that could not be counted is never reported as a counted one.
 * A group runs each step in a savepoint, the same rule one level down;
 * tx_step() undoes a failed part of a transaction (refusals too: a row of
 * an import is whole or not at all), by a savepoint.
 */
#include <string.h>

#include "../vault/vault.h"
#include "i18n.h"
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
tx_group_begin(struct rd_ctx *ctx, struct tx_group *g, struct rd_err *err)
{
	enum rd_code	rc;

	memset(g, 0, sizeof *g);
	if ((rc = vault_begin(ctx->vault, err)) != RD_OK)
		return rc;
	g->open = true;
	return RD_OK;
}

enum rd_code
tx_group_step(struct rd_ctx *ctx, struct tx_group *g, enum rd_code (*fn)(
    struct rd_ctx *, void *, struct rd_err *), void *arg, struct rd_err *err)
{
	struct rd_err	serr;
	enum rd_code	rc;

	if ((rc = vault_savepoint(ctx->vault, err)) != RD_OK)
		goto lost;
	g->steps++;
	rc = fn(ctx, arg, err);
	if (!vault_in_transaction(ctx->vault)) {
		/* SQLite gave the whole transaction up under the step. */
		if (rc == RD_OK || rd_code_refusal(rc))
			rc = rd_err_set(err, RD_VAULT_CORRUPT, "%s",
			    _("the vault ended the transaction"));
		goto lost;
	}
	if (rc == RD_OK || rd_code_refusal(rc)) {
		if (vault_release(ctx->vault, &serr) != RD_OK) {
			*err = serr;
			rc = serr.code;
			goto lost;
		}
		return rc;
	}
	if (vault_rollback_to(ctx->vault, &serr) != RD_OK)
		goto lost;
	return rc;
lost:
	vault_rollback(ctx->vault);
	g->lost = true;
	g->open = false;
	return rc;
}

enum rd_code
tx_group_commit(struct rd_ctx *ctx, struct tx_group *g, struct rd_err *err)
{
	if (g->lost)
		return rd_err_set(err, RD_VAULT_CORRUPT, "%s",
		    _("the vault ended the transaction"));
	if (!g->open)
		return RD_OK;
	g->open = false;
	return vault_commit(ctx->vault, err);
}

void
tx_group_abort(struct rd_ctx *ctx, struct tx_group *g)
{
	if (g->open)
		vault_rollback(ctx->vault);
	g->open = false;
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
