/*
 * store-pg-meta.c: the header of the PostgreSQL store.
 *
 * The header is table meta, one row per name with an integer or a blob
 * (never both, a CHECK says so).  Several rows go in one statement, its
 * text fixed by their number and prepared once per connection; inside a
 * transaction a write of them is sent ahead, and a read may have been
 * (meta_prefetch, store-pg-pipe.c).  The schema and ids are
 * store-pg-schema.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-pg.h"

/* A header value from columns i and b of row; its type, or -1 if neither. */
static int
meta_val(const PGresult *r, int row, int col, struct store_val *v)
{
	memset(v, 0, sizeof *v);
	if (!PQgetisnull(r, row, col)) {
		v->type = STORE_INT;
		v->i = pgs_int(r, row, col);
	} else if (!PQgetisnull(r, row, col + 1)) {
		v->type = STORE_BLOB;
		v->n = (size_t)PQgetlength(r, row, col + 1);
		/* A zero-length blob reads as NULL, as in SQLite. */
		v->p = v->n > 0 ? PQgetvalue(r, row, col + 1) : NULL;
	} else
		return -1;
	return (int)v->type;
}

int
pgs_meta_get(struct store *base, const char *k, struct store_val *out)
{
	struct pg_store	*s = (struct pg_store *)base;
	const Oid	 types[1] = { PGS_TEXT };
	const char	*vals[1] = { k };
	int		 lens[1] = { (int)strlen(k) };
	PGresult	*r;
	int		 rc;

	memset(out, 0, sizeof *out);
	PQclear(s->meta_res);
	s->meta_res = NULL;
	if ((rc = pgs_query(s, "SELECT i, b FROM meta WHERE k = $1", 1, types,
	    vals, lens, &r)) != STORE_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return STORE_DONE;
	}
	if (meta_val(r, 0, 0, out) < 0) {
		PQclear(r);
		return pgs_failf(s, STORE_ERROR, "header row %s has no value",
		    k);
	}
	s->meta_res = r;	/* out->p points into it */
	return STORE_OK;
}

int
pgs_meta_put(struct store *base, const char *k, const struct store_val *val)
{
	struct pg_store	*s = (struct pg_store *)base;
	const Oid	 types[3] = { PGS_TEXT, PGS_INT8, PGS_BYTEA };
	const char	*vals[3] = { k, NULL, NULL };
	int		 lens[3] = { (int)strlen(k), 0, 0 };
	unsigned char	 i8[8];
	PGresult	*r;
	int		 rc;

	pgs_meta_unfetch(s);
	PQclear(s->meta_res);
	s->meta_res = NULL;
	switch (val->type) {
	case STORE_INT:
		pgs_put_i8(i8, val->i);
		vals[1] = (const char *)i8;
		lens[1] = sizeof i8;
		break;
	case STORE_BLOB:
		/* Not NULL even when empty: the CHECK wants one value. */
		vals[2] = val->n > 0 ? val->p : "";
		lens[2] = (int)val->n;
		break;
	default:
		return pgs_failf(s, STORE_ERROR, "header value %s is neither "
		    "an integer nor a blob", k);
	}
	rc = pgs_query(s, "INSERT INTO meta (k, i, b) VALUES ($1, $2, $3)"
	    " ON CONFLICT (k) DO UPDATE SET i = EXCLUDED.i, b = EXCLUDED.b",
	    3, types, vals, lens, &r);
	PQclear(r);
	return rc;
}

/* "($1, $2, ...)" or "($1, $2, $3), ($4, ...)" for n groups of per. */
static void
meta_params(char *buf, size_t size, int n, int per)
{
	size_t	len = 0;
	int	g, j;

	buf[0] = '\0';
	for (g = 0; g < n; g++) {
		len += (size_t)snprintf(buf + len, size - len, "%s(",
		    g > 0 ? ", " : "");
		for (j = 0; j < per; j++)
			len += (size_t)snprintf(buf + len, size - len, "%s$%d",
			    j > 0 ? ", " : "", g * per + j + 1);
		len += (size_t)snprintf(buf + len, size - len, ")");
	}
}

/* n rows at once is 1 to STORE_META_N; the last values handed out go. */
static int
meta_n_start(struct pg_store *s, int n)
{
	if (n < 1 || n > STORE_META_N)
		return pgs_failf(s, STORE_ERROR, "1 to %d header rows at once",
		    STORE_META_N);
	PQclear(s->meta_res);
	s->meta_res = NULL;
	return STORE_OK;
}

/* The query of n header rows k, with its parameters' types and lengths. */
static void
meta_get_sql(char *sql, size_t size, const char *const *k, int n, Oid *types,
    int *lens)
{
	char	list[256];
	int	i;

	for (i = 0; i < n; i++) {
		types[i] = PGS_TEXT;
		lens[i] = (int)strlen(k[i]);
	}
	/* One list of n: ($1, $2, ...), the names as parameters. */
	meta_params(list, sizeof list, 1, n);
	snprintf(sql, size, "SELECT k, i, b FROM meta WHERE k IN %s", list);
}

/*
 * The header's statement of n rows (put: the upsert), prepared once per
 * connection under a name of its own: parsed and planned once, not in
 * every transaction.  PQprepare waits for its answer, so what is queued
 * goes first (once per connection and statement).
 */
static int
meta_ready(struct pg_store *s, bool put, int n, const char *sql,
    const Oid *types, char name[8])
{
	unsigned	*ready = put ? &s->meta_put_ready : &s->meta_get_ready;
	PGresult	*r;
	int		 rc;

	snprintf(name, 8, "%s%d", put ? "mp" : "mg", n);
	if (*ready & (1u << n))
		return STORE_OK;
	if ((rc = pgs_drain(s)) != STORE_OK)
		return rc;
	r = PQprepare(s->conn, name, sql, put ? 3 * n : n, types);
	if (PQresultStatus(r) == PGRES_COMMAND_OK)
		*ready |= 1u << n;
	else
		rc = pgs_fail(s, r);
	PQclear(r);
	return rc;
}

/* Run the prepared name; its rows (or none) into *out. */
static int
meta_run(struct pg_store *s, const char *name, int n, const char *const *vals,
    const int *lens, PGresult **out)
{
	int	fmts[PGS_QUERY_MAX], i, rc;

	for (i = 0; i < n; i++)
		fmts[i] = 1;
	if ((rc = pgs_run_prepared(s, name, n, vals, lens, fmts, out)) !=
	    STORE_OK)
		return rc;
	switch (PQresultStatus(*out)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		return STORE_OK;
	default:
		rc = pgs_fail(s, *out);
		PQclear(*out);
		*out = NULL;
		return rc;
	}
}

void
pgs_meta_unfetch(struct pg_store *s)
{
	PQclear(s->pre_res);
	s->pre_res = NULL;
	s->pre_k = NULL;
	s->pre_n = 0;
}

int
pgs_meta_prefetch(struct store *base, const char *const *k, int n)
{
	struct pg_store	*s = (struct pg_store *)base;
	Oid		 types[STORE_META_N];
	int		 lens[STORE_META_N], fmts[STORE_META_N], i, rc;
	char		 sql[512], name[8];

	pgs_meta_unfetch(s);
	/*
	 * Only in a transaction, whose snapshot the answer belongs to, of
	 * a vault that has its tables (init runs in one too).
	 */
	if (!s->tx || !s->has_meta || n < 1 || n > STORE_META_N)
		return STORE_OK;
	meta_get_sql(sql, sizeof sql, k, n, types, lens);
	for (i = 0; i < n; i++)
		fmts[i] = 1;
	if ((rc = meta_ready(s, false, n, sql, types, name)) != STORE_OK ||
	    (rc = pgs_queue_prepared(s, name, n, k, lens, fmts, -1)) !=
	    STORE_OK)
		return rc;
	/* A full pipeline was collected at once: then asked again later. */
	if (s->nqueued > 0)
		s->pre_at = s->nqueued;
	s->pre_k = k;
	s->pre_n = n;
	return STORE_OK;
}

int
pgs_meta_get_n(struct store *base, const char *const *k, int n,
    struct store_val *out)
{
	struct pg_store	*s = (struct pg_store *)base;
	Oid		 types[STORE_META_N];
	int		 lens[STORE_META_N], i, row, rc;
	char		 sql[512], name[8];
	PGresult	*r;

	if ((rc = meta_n_start(s, n)) != STORE_OK)
		return rc;
	for (i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		out[i].type = STORE_NULL;
	}
	if (s->pre_k == k && s->pre_n == n && s->pre_at > 0 &&
	    (rc = pgs_drain(s)) != STORE_OK)
		return rc;
	if (s->pre_k == k && s->pre_n == n && s->pre_res != NULL) {
		/* Asked for ahead: the answer came with an earlier trip. */
		r = s->pre_res;
		s->pre_res = NULL;
		s->pre_k = NULL;
	} else {
		meta_get_sql(sql, sizeof sql, k, n, types, lens);
		if ((rc = meta_ready(s, false, n, sql, types, name)) !=
		    STORE_OK ||
		    (rc = meta_run(s, name, n, k, lens, &r)) != STORE_OK)
			return rc;
	}
	for (row = 0; row < PQntuples(r); row++)
		for (i = 0; i < n; i++)
			if (strcmp(PQgetvalue(r, row, 0), k[i]) == 0 &&
			    meta_val(r, row, 1, &out[i]) < 0) {
				PQclear(r);
				return pgs_failf(s, STORE_ERROR, "header row %s "
				    "has no value", k[i]);
			}
	s->meta_res = r;	/* the values point into it */
	return STORE_OK;
}

int
pgs_meta_put_n(struct store *base, const char *const *k,
    const struct store_val *val, int n)
{
	struct pg_store	*s = (struct pg_store *)base;
	Oid		 types[PGS_QUERY_MAX];
	const char	*vals[PGS_QUERY_MAX];
	int		 lens[PGS_QUERY_MAX], fmts[PGS_QUERY_MAX], i, rc;
	unsigned char	 i8[STORE_META_N][8];
	char		 sql[768], list[512], name[8];
	PGresult	*r;

	pgs_meta_unfetch(s);
	if ((rc = meta_n_start(s, n)) != STORE_OK)
		return rc;
	for (i = 0; i < n; i++) {
		types[3 * i] = PGS_TEXT;
		types[3 * i + 1] = PGS_INT8;
		types[3 * i + 2] = PGS_BYTEA;
		vals[3 * i] = k[i];
		lens[3 * i] = (int)strlen(k[i]);
		vals[3 * i + 1] = vals[3 * i + 2] = NULL;
		lens[3 * i + 1] = lens[3 * i + 2] = 0;
		switch (val[i].type) {
		case STORE_INT:
			pgs_put_i8(i8[i], val[i].i);
			vals[3 * i + 1] = (const char *)i8[i];
			lens[3 * i + 1] = 8;
			break;
		case STORE_BLOB:
			/* Not NULL even when empty: the CHECK wants one. */
			vals[3 * i + 2] = val[i].n > 0 ? val[i].p : "";
			lens[3 * i + 2] = (int)val[i].n;
			break;
		default:
			return pgs_failf(s, STORE_ERROR, "header value %s is "
			    "neither an integer nor a blob", k[i]);
		}
	}
	meta_params(list, sizeof list, n, 3);
	snprintf(sql, sizeof sql, "INSERT INTO meta (k, i, b) VALUES %s"
	    " ON CONFLICT (k) DO UPDATE SET i = EXCLUDED.i, b = EXCLUDED.b",
	    list);
	if ((rc = meta_ready(s, true, n, sql, types, name)) != STORE_OK)
		return rc;
	/* In a transaction, sent ahead (store-pg-pipe.c): nothing to read. */
	if (s->tx) {
		for (i = 0; i < 3 * n; i++)
			fmts[i] = 1;
		return pgs_queue_prepared(s, name, 3 * n, vals, lens, fmts,
		    -1);
	}
	if ((rc = meta_run(s, name, 3 * n, vals, lens, &r)) == STORE_OK)
		PQclear(r);
	return rc;
}

int
pgs_meta_del(struct store *base, const char *k)
{
	struct pg_store	*s = (struct pg_store *)base;
	const Oid	 types[1] = { PGS_TEXT };
	const char	*vals[1] = { k };
	int		 lens[1] = { (int)strlen(k) };
	PGresult	*r;
	int		 rc;

	pgs_meta_unfetch(s);
	PQclear(s->meta_res);
	s->meta_res = NULL;
	rc = pgs_query(s, "DELETE FROM meta WHERE k = $1", 1, types, vals,
	    lens, &r);
	PQclear(r);
	return rc;
}

int
pgs_meta_list(struct store *base, const char *prefix, store_meta_fn fn,
    void *arg)
{
	struct pg_store		*s = (struct pg_store *)base;
	const Oid		 types[1] = { PGS_TEXT };
	const char		*vals[1] = { prefix };
	int			 lens[1] = { (int)strlen(prefix) };
	struct store_val	 v;
	PGresult		*r;
	int			 rc, i;

	/* starts_with, not LIKE: a % or _ in prefix is itself. */
	if ((rc = pgs_query(s, "SELECT k, i, b FROM meta"
	    " WHERE starts_with(k, $1) ORDER BY k", 1, types, vals, lens,
	    &r)) != STORE_OK)
		return rc;
	/* r is this call's own: fn may read the header meanwhile. */
	for (i = 0; i < PQntuples(r); i++) {
		if (meta_val(r, i, 1, &v) < 0) {
			rc = pgs_failf(s, STORE_ERROR, "header row %s has no "
			    "value", PQgetvalue(r, i, 0));
			break;
		}
		if (fn(arg, PQgetvalue(r, i, 0), &v) != 0)
			break;
	}
	PQclear(r);
	return rc;
}
