/*
 * store-pg-tx.c: transactions of the PostgreSQL store, and the prepared
 * statements dropped once one ends.
 *
 * Writers queue as behind SQLite's BEGIN IMMEDIATE: begin opens a
 * SERIALIZABLE transaction and at once takes a lock on table meta that
 * conflicts with itself, both sent ahead with the transaction's first
 * statement (store-pg-pipe.c).  LOCK takes no snapshot, so the
 * transaction's snapshot starts once the lock is held, after the previous
 * writer committed; SERIALIZABLE stays the safety net (a failure is
 * STORE_CONFLICT, and the caller runs the command again).  A writer that
 * waits more than 10 s (lock_timeout, SQLite's busy timeout) gets
 * STORE_BUSY.  commit sends NOTIFY redoubt_changed, which every other
 * connection that ran tune (LISTEN) counts in changed().
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "store-pg.h"

/*
 * Finalized statements are dropped on the server in batches: a DEALLOCATE
 * each would cost a round trip per statement when a vault closes, and the
 * connection's end drops whatever is left anyway.  Never inside an aborted
 * transaction (the server refuses it there).
 */
static void
flush_dead(struct pg_store *s)
{
	char	*sql, *p;
	size_t	 i, n = 1;

	if (s->ndead < PG_DEAD_BATCH || PQstatus(s->conn) != CONNECTION_OK ||
	    PQtransactionStatus(s->conn) == PQTRANS_INERROR)
		return;
	for (i = 0; i < s->ndead; i++)
		n += strlen(s->dead[i]) + 13;
	if ((sql = malloc(n)) != NULL) {
		/* The names are ours ("s" and digits), never outside text. */
		for (p = sql, i = 0; i < s->ndead; i++)
			p += sprintf(p, "DEALLOCATE %s;", s->dead[i]);
		PQclear(PQexec(s->conn, sql));
		free(sql);
	}
	for (i = 0; i < s->ndead; i++)
		free(s->dead[i]);
	s->ndead = 0;
}

void
pgs_deallocate(struct pg_store *s, const char *name)
{
	char	**d;

	if (PQstatus(s->conn) != CONNECTION_OK)
		return;
	/* Kept for the next batch; without memory, left to the end. */
	if (s->ndead == s->dead_cap) {
		d = realloc(s->dead, (s->dead_cap * 2 + 8) * sizeof *d);
		if (d == NULL)
			return;
		s->dead = d;
		s->dead_cap = s->dead_cap * 2 + 8;
	}
	if ((s->dead[s->ndead] = strdup(name)) != NULL)
		s->ndead++;
	if (PQtransactionStatus(s->conn) == PQTRANS_IDLE)
		flush_dead(s);
}

bool
pgs_in_tx(struct store *base)
{
	struct pg_store	*s = (struct pg_store *)base;

	/* While statements wait in a pipeline the server's state is unknown. */
	if (s->nqueued > 0)
		return s->tx;
	switch (PQtransactionStatus(s->conn)) {
	case PQTRANS_INTRANS:
	case PQTRANS_INERROR:
		return true;
	default:
		return false;
	}
}

void
pgs_rollback(struct store *base)
{
	struct pg_store	*s = (struct pg_store *)base;

	/* What was queued is dropped with the rest; its failure too. */
	(void)pgs_drain(s);
	pgs_meta_unfetch(s);
	if (pgs_in_tx(base))
		PQclear(PQexec(s->conn, "ROLLBACK"));
	s->tx = false;
	flush_dead(s);
}

static int
begin_lock(struct store *base, bool nowait)
{
	struct pg_store	*s = (struct pg_store *)base;
	PGresult	*r;
	int		 rc;

	if (pgs_in_tx(base))
		return pgs_failf(s, STORE_ERROR, "a transaction is open "
		    "already");
	/*
	 * Before init there is no meta to lock (and asking inside the
	 * transaction would take its snapshot before the lock).
	 */
	if (!s->has_meta) {
		if ((rc = pgs_query(s, "SELECT to_regclass('meta') IS NOT NULL",
		    0, NULL, NULL, NULL, &r)) != STORE_OK)
			return rc;
		s->has_meta = PQntuples(r) == 1 && pgs_int(r, 0, 0) != 0;
		PQclear(r);
	}
	if (s->has_meta && !nowait) {
		/*
		 * Sent ahead: the first statement of the transaction brings
		 * back whether the lock came (STORE_BUSY after lock_timeout).
		 */
		if ((rc = pgs_queue_params(s, "BEGIN ISOLATION LEVEL"
		    " SERIALIZABLE", 0, NULL, NULL, NULL, NULL)) == STORE_OK)
			rc = pgs_queue_params(s, "LOCK TABLE meta IN SHARE ROW"
			    " EXCLUSIVE MODE", 0, NULL, NULL, NULL, NULL);
		s->tx = true;
		if (rc != STORE_OK)
			pgs_rollback(base);
		return rc;
	}
	rc = pgs_run_sql(s, !s->has_meta ? "BEGIN ISOLATION LEVEL SERIALIZABLE" :
	    "BEGIN ISOLATION LEVEL SERIALIZABLE;"
	    " LOCK TABLE meta IN SHARE ROW EXCLUSIVE MODE NOWAIT", false);
	s->tx = rc == STORE_OK;
	if (rc != STORE_OK && pgs_in_tx(base))
		PQclear(PQexec(s->conn, "ROLLBACK"));
	return rc;
}

int
pgs_begin(struct store *base)
{
	return begin_lock(base, false);
}

/* A note that may wait for nobody (keyslot_touch): NOWAIT is 55P03. */
int
pgs_begin_nowait(struct store *base)
{
	return begin_lock(base, true);
}

int
pgs_commit(struct store *base)
{
	struct pg_store	*s = (struct pg_store *)base;
	PGresult	*r;
	int		 rc = STORE_OK;

	if (s->nqueued == 0)
		switch (PQtransactionStatus(s->conn)) {
		case PQTRANS_INTRANS:
			break;
		case PQTRANS_INERROR:
			/* COMMIT would answer ROLLBACK without an error. */
			pgs_rollback(base);
			return pgs_failf(s, STORE_ERROR, "the transaction was "
			    "aborted by an earlier error; nothing was written");
		default:
			s->tx = false;
			if (PQstatus(s->conn) != CONNECTION_OK)
				return pgs_fail(s, NULL);
			return pgs_failf(s, STORE_ERROR, "no transaction to "
			    "commit");
		}
	/*
	 * What is queued, NOTIFY and COMMIT: one trip; but writes whose row
	 * counts must be checked are answered first, or COMMIT would keep
	 * whatever they found.
	 */
	if ((s->nexpect > 0 && (rc = pgs_drain(s)) != STORE_OK) ||
	    (rc = pgs_queue_params(s, "NOTIFY redoubt_changed", 0, NULL, NULL,
	    NULL, NULL)) != STORE_OK ||
	    (rc = pgs_run_params(s, "COMMIT", 0, NULL, NULL, NULL, NULL,
	    &r)) != STORE_OK) {
		pgs_rollback(base);
		return rc;
	}
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = pgs_fail(s, r);
	else if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
		rc = pgs_failf(s, STORE_ERROR, "the server rolled the "
		    "transaction back");
	PQclear(r);
	if (rc != STORE_OK && pgs_in_tx(base))
		PQclear(PQexec(s->conn, "ROLLBACK"));
	s->tx = false;
	pgs_meta_unfetch(s);
	flush_dead(s);
	return rc;
}
