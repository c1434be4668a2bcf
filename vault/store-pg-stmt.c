/*
 * store-pg-stmt.c: statements of the PostgreSQL store in SQLite's shape.
 *
 * The vault's SQL numbers parameters as SQLite does (`?` takes the next
 * number after the highest so far, `?N` is number N); prepare rewrites
 * them to $N, leaving string literals, quoted names and comments alone,
 * and keeps the text.  The server prepares it at the first step, when the
 * bound values give the parameters' types (int8, text, bytea; a NULL lets
 * the server infer one); a later run that binds a value of another type
 * prepares it again under a new name.  Values go and come back in binary.
 *
 * A step runs the whole statement and keeps its PGresult, so a statement
 * may be stepped through while others run on the same connection (the
 * vault reads a list and writes as it goes), and returns its rows one by
 * one.  Bound values are copies, wiped when unbound.
 */
#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store-pg.h"

/* The most parameters a statement may have (PostgreSQL's protocol). */
#define MAX_PARAMS	65535

struct pg_param {
	Oid		 type;		/* 0: NULL (or never bound) */
	char		*p;		/* the value in binary; owned */
	int		 n;
};

struct pg_stmt {
	struct store_stmt	 base;
	struct pg_store		*s;
	char			*sql;		/* with $N */
	int			 nparams;
	struct pg_param		*params;
	Oid			*types;		/* as prepared */
	const char		**vals;		/* for PQexecPrepared */
	int			*lens;
	int			*fmts;
	char			 name[24];	/* "" until prepared */
	const char		*bad;		/* why a bind failed, or NULL */
	PGresult		*res;		/* rows of the current run */
	int			 row;
	char			(*num)[24];	/* col_text of integers */
};

/* Mark parameter n used in *used, grown to hold it. */
static bool
mark(unsigned char **used, int *cap, long n)
{
	unsigned char	*u;

	if (n >= *cap) {
		if ((u = realloc(*used, (size_t)n + 1)) == NULL)
			return false;
		memset(u + *cap, 0, (size_t)(n + 1 - *cap));
		*used = u;
		*cap = (int)n + 1;
	}
	(*used)[n] = 1;
	return true;
}

/*
 * sql with SQLite's ? and ?N as $N, into a new string; the highest number
 * in *nparams, and which numbers occur in *used (a new array of
 * *nparams + 1 flags or more, or NULL when there are none).  NULL when out
 * of memory or a number is out of range.
 */
static char *
rewrite(const char *sql, int *nparams, unsigned char **used,
    const char **why)
{
	size_t		 len = strlen(sql);
	const char	*p = sql, *end;
	char		*out, *o, *e;
	long		 n;
	int		 top = 0, cap = 0;
	char		 q;

	*why = "out of memory";
	*used = NULL;
	if (len > (SIZE_MAX - 1) / 7 || (out = malloc(len * 7 + 1)) == NULL)
		return NULL;
	o = out;
	while (*p != '\0') {
		if (*p == '\'' || *p == '"') {
			/* 'it''s' is two literals back to back: no harm. */
			q = *p;
			*o++ = *p++;
			while (*p != '\0' && *p != q)
				*o++ = *p++;
			if (*p != '\0')
				*o++ = *p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p != '\0' && *p != '\n')
				*o++ = *p++;
		} else if (p[0] == '/' && p[1] == '*') {
			end = strstr(p + 2, "*/");
			end = end != NULL ? end + 2 : p + strlen(p);
			while (p < end)
				*o++ = *p++;
		} else if (*p == '?') {
			p++;
			if (isdigit((unsigned char)*p)) {
				n = strtol(p, &e, 10);
				p = e;
			} else
				n = top + 1;
			if (n < 1 || n > MAX_PARAMS) {
				*why = "a parameter's number is out of range";
				goto fail;
			}
			if (!mark(used, &cap, n))
				goto fail;
			if (n > top)
				top = (int)n;
			o += sprintf(o, "$%ld", n);
		} else
			*o++ = *p++;
	}
	*o = '\0';
	*nparams = top;
	return out;
fail:
	free(out);
	free(*used);
	*used = NULL;
	return NULL;
}

int
pgs_prepare(struct store *base, const char *sql, struct store_stmt **out)
{
	struct pg_store	*s = (struct pg_store *)base;
	struct pg_stmt	*st;
	const char	*why;
	unsigned char	*used;
	size_t		 n;
	int		 i;

	*out = NULL;
	if ((st = calloc(1, sizeof *st)) == NULL)
		return pgs_failf(s, STORE_ERROR, "out of memory");
	st->base.ops = base->ops;
	st->s = s;
	st->row = -1;
	if ((st->sql = rewrite(sql, &st->nparams, &used, &why)) == NULL) {
		free(st);
		return pgs_failf(s, STORE_ERROR, "%s", why);
	}
	n = st->nparams > 0 ? (size_t)st->nparams : 1;
	st->params = calloc(n, sizeof *st->params);
	st->types = calloc(n, sizeof *st->types);
	st->vals = calloc(n, sizeof *st->vals);
	st->lens = calloc(n, sizeof *st->lens);
	st->fmts = calloc(n, sizeof *st->fmts);
	if (st->params == NULL || st->types == NULL || st->vals == NULL ||
	    st->lens == NULL || st->fmts == NULL) {
		free(used);
		pgs_finalize(&st->base);
		return pgs_failf(s, STORE_ERROR, "out of memory");
	}
	/*
	 * A number the text skips (?2 alone) still makes a parameter, as in
	 * SQLite; the server cannot infer its type, so it is text.
	 */
	for (i = 1; i <= st->nparams; i++)
		if (!used[i])
			st->types[i - 1] = PGS_TEXT;
	free(used);
	*out = &st->base;
	return STORE_OK;
}

static void
clear_result(struct pg_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	free(st->num);
	st->num = NULL;
}

static void
unbind(struct pg_param *pa)
{
	if (pa->p != NULL) {
		sodium_memzero(pa->p, (size_t)pa->n);
		free(pa->p);
	}
	pa->p = NULL;
	pa->n = 0;
	pa->type = 0;
}

void
pgs_reset(struct store_stmt *base)
{
	struct pg_stmt	*st = (struct pg_stmt *)base;
	int		 i;

	clear_result(st);
	for (i = 0; i < st->nparams; i++)
		unbind(&st->params[i]);
	st->bad = NULL;
}

void
pgs_finalize(struct store_stmt *base)
{
	struct pg_stmt	*st = (struct pg_stmt *)base;

	if (st == NULL)
		return;
	if (st->params != NULL)
		pgs_reset(base);
	if (st->name[0] != '\0')
		pgs_deallocate(st->s, st->name);
	free(st->sql);
	free(st->params);
	free(st->types);
	free(st->vals);
	free(st->lens);
	free(st->fmts);
	free(st);
}

/* Parameter idx (1-based) to bind, unbound; NULL when out of range. */
static struct pg_param *
param(struct pg_stmt *st, int idx)
{
	if (idx < 1 || idx > st->nparams) {
		st->bad = "a parameter's number is out of range";
		return NULL;
	}
	unbind(&st->params[idx - 1]);
	return &st->params[idx - 1];
}

/* Bind a copy of n bytes at p as type. */
static void
bind_copy(struct pg_stmt *st, int idx, Oid type, const void *p, size_t n)
{
	struct pg_param	*pa;

	if ((pa = param(st, idx)) == NULL)
		return;
	if (n > INT_MAX) {
		st->bad = "a bound value is too long";
		return;
	}
	/* One byte more: a zero-length value is not NULL. */
	if ((pa->p = malloc(n + 1)) == NULL) {
		st->bad = "out of memory";
		return;
	}
	if (n > 0)
		memcpy(pa->p, p, n);
	pa->n = (int)n;
	pa->type = type;
}

void
pgs_bind_int(struct store_stmt *base, int idx, int64_t x)
{
	unsigned char	 b[8];

	pgs_put_i8(b, x);
	bind_copy((struct pg_stmt *)base, idx, PGS_INT8, b, sizeof b);
}

void
pgs_bind_text(struct store_stmt *base, int idx, const char *p, int len)
{
	if (p == NULL) {
		pgs_bind_null(base, idx);
		return;
	}
	bind_copy((struct pg_stmt *)base, idx, PGS_TEXT, p,
	    len < 0 ? strlen(p) : (size_t)len);
}

void
pgs_bind_blob(struct store_stmt *base, int idx, const void *p, size_t n)
{
	if (p == NULL) {	/* as SQLite: no pointer, NULL */
		pgs_bind_null(base, idx);
		return;
	}
	bind_copy((struct pg_stmt *)base, idx, PGS_BYTEA, p, n);
}

void
pgs_bind_null(struct store_stmt *base, int idx)
{
	param((struct pg_stmt *)base, idx);
}

/*
 * Prepare the statement on the server for the bound types, unless it is
 * prepared for them already (a NULL fits any type).
 */
static int
prepare_for_binds(struct pg_stmt *st)
{
	struct pg_store	*s = st->s;
	PGresult	*r;
	int		 i, rc;
	bool		 fits = st->name[0] != '\0';

	for (i = 0; fits && i < st->nparams; i++)
		if (st->params[i].type != 0 &&
		    st->params[i].type != st->types[i])
			fits = false;
	if (fits)
		return STORE_OK;
	if (st->name[0] != '\0') {
		pgs_deallocate(s, st->name);
		st->name[0] = '\0';
	}
	/* A NULL keeps the type the server was told before, if any. */
	for (i = 0; i < st->nparams; i++)
		if (st->params[i].type != 0)
			st->types[i] = st->params[i].type;
	/* PQprepare waits for its answer: take those of what is queued. */
	if ((rc = pgs_drain(s)) != STORE_OK)
		return rc;
	snprintf(st->name, sizeof st->name, "s%lu", ++s->nstmt);
	r = PQprepare(s->conn, st->name, st->sql, st->nparams, st->types);
	if (PQresultStatus(r) == PGRES_COMMAND_OK)
		rc = STORE_OK;
	else {
		rc = pgs_fail(s, r);
		st->name[0] = '\0';
	}
	PQclear(r);
	return rc;
}

static int
col_kind(Oid type)
{
	switch (type) {
	case PGS_INT2:
	case PGS_INT4:
	case PGS_INT8:
	case PGS_BOOL:
	case PGS_OID:
		return STORE_INT;
	case PGS_TEXT:
	case PGS_VARCHAR:
	case PGS_BPCHAR:
	case PGS_NAME:
		return STORE_TEXT;
	case PGS_BYTEA:
		return STORE_BLOB;
	default:
		return -1;
	}
}

/* Prepared for its bindings, which are in the arrays libpq takes. */
static int
ready(struct pg_stmt *st)
{
	int	i, rc;

	if (st->bad != NULL)
		return pgs_failf(st->s, STORE_ERROR, "%s", st->bad);
	if ((rc = prepare_for_binds(st)) != STORE_OK)
		return rc;
	for (i = 0; i < st->nparams; i++) {
		st->vals[i] = st->params[i].p;
		st->lens[i] = st->params[i].n;
		st->fmts[i] = 1;
	}
	return STORE_OK;
}

/* Run the statement with its bindings; its rows into st->res. */
static int
run(struct pg_stmt *st)
{
	struct pg_store	*s = st->s;
	PGresult	*r;
	int		 i, rc, ncols;

	if ((rc = ready(st)) != STORE_OK)
		return rc;
	if ((rc = pgs_run_prepared(s, st->name, st->nparams, st->vals,
	    st->lens, st->fmts, &r)) != STORE_OK)
		return rc;
	switch (PQresultStatus(r)) {
	case PGRES_COMMAND_OK:
	case PGRES_EMPTY_QUERY:
		pgs_note_changes(s, r);
		PQclear(r);
		return STORE_DONE;
	case PGRES_TUPLES_OK:
		break;
	default:
		rc = pgs_fail(s, r);
		PQclear(r);
		return rc;
	}
	pgs_note_changes(s, r);		/* INSERT ... RETURNING */
	ncols = PQnfields(r);
	for (i = 0; i < ncols; i++)
		if (col_kind(PQftype(r, i)) < 0) {
			rc = pgs_failf(s, STORE_ERROR, "column %d (%s) has "
			    "type oid %u, which the store cannot read",
			    i, PQfname(r, i), (unsigned)PQftype(r, i));
			PQclear(r);
			return rc;
		}
	if (PQntuples(r) == 0) {
		PQclear(r);
		return STORE_DONE;
	}
	if (ncols > 0 && (st->num = calloc((size_t)ncols,
	    sizeof *st->num)) == NULL) {
		PQclear(r);
		return pgs_failf(s, STORE_ERROR, "out of memory");
	}
	st->res = r;
	st->row = 0;
	return STORE_ROW;
}

int
pgs_step(struct store_stmt *base)
{
	struct pg_stmt	*st = (struct pg_stmt *)base;

	if (st->res == NULL)
		return run(st);
	if (++st->row < PQntuples(st->res))
		return STORE_ROW;
	/* Done: as in SQLite, a further step runs the statement again. */
	clear_result(st);
	return STORE_DONE;
}

int
pgs_queue(struct store_stmt *base, int64_t expect)
{
	struct pg_stmt	*st = (struct pg_stmt *)base;
	int		 rc;

	/* Outside a transaction each statement is its own: run it now. */
	if (!st->s->tx) {
		while ((rc = pgs_step(base)) == STORE_ROW)
			;
		pgs_reset(base);
		if (rc != STORE_DONE)
			return rc;
		if (expect >= 0 && st->s->changes != expect)
			return pgs_failf(st->s, STORE_MISMATCH, "a write "
			    "changed %lld rows, not %lld",
			    (long long)st->s->changes, (long long)expect);
		return STORE_OK;
	}
	clear_result(st);
	if ((rc = ready(st)) == STORE_OK)
		rc = pgs_queue_prepared(st->s, st->name, st->nparams, st->vals,
		    st->lens, st->fmts, expect);
	pgs_reset(base);
	return rc;
}

/* Whether col of the current row exists and is not NULL. */
static bool
has(struct pg_stmt *st, int col)
{
	return st->res != NULL && st->row >= 0 &&
	    st->row < PQntuples(st->res) && col >= 0 &&
	    col < PQnfields(st->res) && !PQgetisnull(st->res, st->row, col);
}

int
pgs_col_type(struct store_stmt *base, int col)
{
	struct pg_stmt	*st = (struct pg_stmt *)base;

	if (!has(st, col))
		return STORE_NULL;
	return col_kind(PQftype(st->res, col));
}

int64_t
pgs_col_int(struct store_stmt *base, int col)
{
	struct pg_stmt	*st = (struct pg_stmt *)base;

	if (!has(st, col))
		return 0;
	if (col_kind(PQftype(st->res, col)) == STORE_INT)
		return pgs_int(st->res, st->row, col);
	/* Text and blobs as numbers, as SQLite reads them. */
	return strtoll(PQgetvalue(st->res, st->row, col), NULL, 10);
}

const char *
pgs_col_text(struct store_stmt *base, int col)
{
	struct pg_stmt	*st = (struct pg_stmt *)base;

	if (!has(st, col))
		return NULL;
	if (col_kind(PQftype(st->res, col)) == STORE_INT) {
		snprintf(st->num[col], sizeof st->num[col], "%" PRId64,
		    pgs_int(st->res, st->row, col));
		return st->num[col];
	}
	/* libpq ends every value with a NUL, binary ones too. */
	return PQgetvalue(st->res, st->row, col);
}

const void *
pgs_col_blob(struct store_stmt *base, int col)
{
	struct pg_stmt	*st = (struct pg_stmt *)base;

	if (!has(st, col))
		return NULL;
	if (col_kind(PQftype(st->res, col)) == STORE_INT)
		return pgs_col_text(base, col);
	/* SQLite's rule, on which the row MACs depend. */
	if (PQgetlength(st->res, st->row, col) == 0)
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

int
pgs_col_bytes(struct store_stmt *base, int col)
{
	struct pg_stmt	*st = (struct pg_stmt *)base;

	if (!has(st, col))
		return 0;
	if (col_kind(PQftype(st->res, col)) == STORE_INT)
		return (int)strlen(pgs_col_text(base, col));
	return PQgetlength(st->res, st->row, col);
}
