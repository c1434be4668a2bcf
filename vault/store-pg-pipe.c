/*
 * store-pg-pipe.c: statements sent ahead, in libpq's pipeline mode.
 *
 * Each statement that waits for its answer costs a round trip to the
 * server, and on a Unix socket that trip, not the work, is most of what a
 * short statement costs.  A write whose answer nobody reads at once (an
 * audit row, the header rows of the chain's head, the BEGIN and LOCK of a
 * transaction) is sent and not waited for; it goes with the next statement
 * that needs an answer, and both come back in one trip.  A commit sends
 * what is queued, NOTIFY and COMMIT together.
 *
 * A queued statement that fails makes the server skip the rest of the
 * pipeline, the one that waits included; that one then returns the
 * queued statement's failure, so an error is never lost, only reported by
 * the next call instead of its own.  Everything is inside one transaction,
 * which a failure ends, so nothing after a failed write is kept.  A write
 * queued with the number of rows it must change is checked when its
 * answer comes (STORE_MISMATCH), and before any COMMIT is sent.
 *
 * Calls that cannot go into a pipeline (a simple query of several
 * statements, a PREPARE) first take the answers of what is queued.
 * Not more than PG_PIPE_MAX statements wait at once: the server stops
 * reading when its answers fill the socket, and so would we.
 */
#include <stdlib.h>
#include <string.h>

#include "store-pg.h"

/*
 * The answers of the statements queued and, when mine is not NULL, of the
 * one sent last, into *mine: the first failure among them is the result.
 * Leaves pipeline mode.
 */
static int
collect(struct pg_store *s, PGresult **mine)
{
	PGresult	*r, *x;
	size_t		 i, n = s->nqueued + (mine != NULL ? 1 : 0);
	long long	 rows;
	int		 rc = STORE_OK;

	if (mine != NULL)
		*mine = NULL;
	if (PQpipelineSync(s->conn) != 1)
		n = 0;
	for (i = 0; i < n; i++) {
		r = PQgetResult(s->conn);
		/* Each statement's answer ends with a NULL. */
		while (r != NULL && (x = PQgetResult(s->conn)) != NULL)
			PQclear(x);
		if (rc != STORE_OK) {
			PQclear(r);	/* skipped, or after a mismatch */
			continue;
		}
		if (r == NULL || PQresultStatus(r) == PGRES_FATAL_ERROR) {
			rc = pgs_fail(s, r);
			PQclear(r);
			continue;
		}
		if (i < s->nqueued && s->expect[i] >= 0 &&
		    PQresultStatus(r) == PGRES_COMMAND_OK &&
		    (rows = strtoll(PQcmdTuples(r), NULL, 10)) !=
		    s->expect[i]) {
			rc = pgs_failf(s, STORE_MISMATCH, "a write changed %lld "
			    "rows, not %lld", rows, (long long)s->expect[i]);
			PQclear(r);
			continue;
		}
		/* A header read asked for ahead (meta_prefetch): kept. */
		if (i + 1 == s->pre_at) {
			s->pre_res = r;
			continue;
		}
		if (mine != NULL && i == n - 1)
			*mine = r;
		else
			PQclear(r);
	}
	/* Then the sync point itself, after which the connection is idle. */
	while (n > 0 && (r = PQgetResult(s->conn)) != NULL) {
		ExecStatusType	st = PQresultStatus(r);

		PQclear(r);
		if (st == PGRES_PIPELINE_SYNC)
			break;
	}
	s->nqueued = 0;
	s->nexpect = 0;
	s->pre_at = 0;
	(void)PQexitPipelineMode(s->conn);
	if (rc == STORE_OK && PQstatus(s->conn) != CONNECTION_OK)
		rc = pgs_fail(s, NULL);
	if (rc != STORE_OK && mine != NULL) {
		PQclear(*mine);
		*mine = NULL;
	}
	return rc;
}

static int
enter(struct pg_store *s)
{
	if (PQpipelineStatus(s->conn) != PQ_PIPELINE_OFF)
		return STORE_OK;
	if (PQenterPipelineMode(s->conn) != 1)
		return pgs_fail(s, NULL);
	return STORE_OK;
}

/* After one more was sent: keep the queue short (see above). */
static int
queued(struct pg_store *s, int64_t expect)
{
	s->expect[s->nqueued++] = expect;
	if (expect >= 0)
		s->nexpect++;
	if (s->nqueued < PG_PIPE_MAX)
		return STORE_OK;
	return pgs_drain(s);
}

int
pgs_queue_prepared(struct pg_store *s, const char *name, int n,
    const char *const *vals, const int *lens, const int *fmts, int64_t expect)
{
	int	rc;

	if ((rc = enter(s)) != STORE_OK)
		return rc;
	if (PQsendQueryPrepared(s->conn, name, n, vals, lens, fmts, 1) != 1)
		return pgs_fail(s, NULL);
	return queued(s, expect);
}

int
pgs_queue_params(struct pg_store *s, const char *sql, int n,
    const Oid *types, const char *const *vals, const int *lens,
    const int *fmts)
{
	int	rc;

	if ((rc = enter(s)) != STORE_OK)
		return rc;
	if (PQsendQueryParams(s->conn, sql, n, types, vals, lens, fmts,
	    1) != 1)
		return pgs_fail(s, NULL);
	return queued(s, -1);
}

/* After the last one was sent (sent: whether that worked): the answers. */
static int
answers(struct pg_store *s, bool sent, PGresult **out)
{
	if (sent)
		return collect(s, out);
	*out = NULL;
	(void)collect(s, NULL);
	return pgs_fail(s, NULL);
}

int
pgs_run_prepared(struct pg_store *s, const char *name, int n,
    const char *const *vals, const int *lens, const int *fmts,
    PGresult **out)
{
	if (s->nqueued == 0) {
		*out = PQexecPrepared(s->conn, name, n, vals, lens, fmts, 1);
		return STORE_OK;
	}
	return answers(s, PQsendQueryPrepared(s->conn, name, n, vals, lens,
	    fmts, 1) == 1, out);
}

int
pgs_run_params(struct pg_store *s, const char *sql, int n, const Oid *types,
    const char *const *vals, const int *lens, const int *fmts,
    PGresult **out)
{
	if (s->nqueued == 0) {
		*out = PQexecParams(s->conn, sql, n, types, vals, lens, fmts,
		    1);
		return STORE_OK;
	}
	return answers(s, PQsendQueryParams(s->conn, sql, n, types, vals,
	    lens, fmts, 1) == 1, out);
}

int
pgs_drain(struct pg_store *s)
{
	if (s->nqueued == 0)
		return STORE_OK;
	return collect(s, NULL);
}
