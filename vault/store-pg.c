/*
 * store-pg.c: the vault in a PostgreSQL database, through libpq: the
 * connection, what a failure means (SQLSTATE to store_rc), and the watch
 * on other connections' commits.  Transactions are in store-pg-tx.c,
 * statements sent ahead in store-pg-pipe.c, statements in store-pg-stmt.c,
 * the header in store-pg-meta.c, the schema and ids in store-pg-schema.c.
 *
 * Messages are the server's primary message only: its DETAIL may quote key
 * values (a user name in a unique violation).  The connection string is
 * never quoted: it may carry a password.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-pg.h"

int
pgs_failf(struct pg_store *s, int code, const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	free(s->err);
	s->err = strdup(buf);
	return code;
}

/*
 * Keep a copy of msg on one line: libpq's connection errors run over
 * several, and a message is one line of a terminal or a log.
 */
static void
set_err(struct pg_store *s, const char *msg)
{
	size_t	 n = strlen(msg), i, j;

	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	free(s->err);
	if ((s->err = malloc(n + 1)) == NULL)
		return;
	for (i = j = 0; i < n; i++) {
		if (msg[i] == '\n' || msg[i] == '\t') {
			if (j > 0 && s->err[j - 1] != ' ')
				s->err[j++] = ' ';
			continue;
		}
		s->err[j++] = msg[i];
	}
	s->err[j] = '\0';
}

/* What a SQLSTATE means to the vault. */
static int
rc_of(const char *state)
{
	static const struct {
		const char	*state;
		int		 rc;
	} codes[] = {
		{ "40001", STORE_CONFLICT },	/* serialization_failure */
		{ "40P01", STORE_CONFLICT },	/* deadlock_detected */
		{ "55P03", STORE_BUSY },	/* lock_not_available */
		{ "42501", STORE_READONLY },	/* insufficient_privilege */
		{ "25006", STORE_READONLY },	/* read_only_sql_transaction */
		{ "53100", STORE_FULL },	/* disk_full */
	};
	size_t	 i;

	if (state == NULL || strlen(state) != 5)
		return STORE_ERROR;
	if (strncmp(state, "23", 2) == 0)	/* integrity_constraint_violation */
		return STORE_CONSTRAINT;
	if (strncmp(state, "08", 2) == 0)	/* connection_exception */
		return STORE_CANTOPEN;
	for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(state, codes[i].state) == 0)
			return codes[i].rc;
	return STORE_ERROR;
}

int
pgs_fail(struct pg_store *s, const PGresult *r)
{
	const char	*msg = NULL;

	if (PQstatus(s->conn) != CONNECTION_OK) {
		set_err(s, PQerrorMessage(s->conn));
		return STORE_CANTOPEN;
	}
	if (r != NULL) {
		msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
		if (msg == NULL || *msg == '\0')
			msg = PQresultErrorMessage(r);
	}
	if (msg == NULL || *msg == '\0')
		msg = PQerrorMessage(s->conn);
	if (*msg == '\0')
		msg = "the server gave no result";
	set_err(s, msg);
	return r == NULL ? STORE_ERROR :
	    rc_of(PQresultErrorField(r, PG_DIAG_SQLSTATE));
}

int
pgs_query(struct pg_store *s, const char *sql, int n, const Oid *types,
    const char *const *vals, const int *lens, PGresult **out)
{
	int		 binary[PGS_QUERY_MAX];
	PGresult	*r;
	int		 rc, i;

	*out = NULL;
	if (n > PGS_QUERY_MAX)
		return pgs_failf(s, STORE_ERROR, "too many parameters");
	for (i = 0; i < n; i++)
		binary[i] = 1;
	if ((rc = pgs_run_params(s, sql, n, types, vals, lens, binary,
	    &r)) != STORE_OK)
		return rc;
	switch (PQresultStatus(r)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		*out = r;
		return STORE_OK;
	default:
		rc = pgs_fail(s, r);
		PQclear(r);
		return rc;
	}
}

/*
 * Run sql without parameters or rows that matter; note: count the rows it
 * changed for changes() (the store's own BEGIN, SET and LISTEN do not).
 */
int
pgs_run_sql(struct pg_store *s, const char *sql, bool note)
{
	PGresult	*r;
	int		 rc;

	/* Several statements in one string cannot go into a pipeline. */
	if ((rc = pgs_drain(s)) != STORE_OK)
		return rc;
	r = PQexec(s->conn, sql);
	switch (PQresultStatus(r)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		if (note)
			pgs_note_changes(s, r);
		break;
	case PGRES_EMPTY_QUERY:
		break;
	default:
		rc = pgs_fail(s, r);
	}
	PQclear(r);
	return rc;
}

void
pgs_note_changes(struct pg_store *s, const PGresult *r)
{
	const char	*tag = PQcmdStatus((PGresult *)r);

	if (strncmp(tag, "INSERT ", 7) == 0 ||
	    strncmp(tag, "UPDATE ", 7) == 0 ||
	    strncmp(tag, "DELETE ", 7) == 0)
		s->changes = strtoll(PQcmdTuples((PGresult *)r), NULL, 10);
}

void
pgs_put_i8(unsigned char b[8], int64_t x)
{
	uint64_t	 u = (uint64_t)x;
	int		 i;

	for (i = 7; i >= 0; i--) {
		b[i] = (unsigned char)(u & 0xff);
		u >>= 8;
	}
}

int64_t
pgs_int(const PGresult *r, int row, int col)
{
	const unsigned char	*p;
	uint64_t		 u = 0;
	int			 n, i;

	p = (const unsigned char *)PQgetvalue(r, row, col);
	n = PQgetlength(r, row, col);
	for (i = 0; i < n && i < 8; i++)
		u = u << 8 | p[i];
	switch (n) {
	case 1:		/* bool */
		return (int64_t)u;
	case 2:
		return (int16_t)(uint16_t)u;
	case 4:		/* int4 is signed, oid is not */
		if (PQftype(r, col) == PGS_OID)
			return (int64_t)u;
		return (int32_t)(uint32_t)u;
	default:
		return (int64_t)u;
	}
}

/* Notices (and warnings) are not printed: library code never prints. */
static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* The checks of open: a vault to open, or an empty schema to create one. */
static int
check_where(struct pg_store *s, bool create)
{
	PGresult	*r;
	int		 rc;

	if (!create) {
		/*
		 * No vault in an empty schema is a vault not made yet; beside
		 * other tables it is a database that is not a vault, as a file
		 * of something else is.
		 */
		rc = pgs_query(s, "SELECT to_regclass('meta') IS NOT NULL,"
		    " (SELECT count(*) FROM pg_catalog.pg_class c"
		    "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
		    "  WHERE n.nspname = pg_catalog.current_schema()"
		    "  AND c.relkind IN ('r', 'v', 'm', 'S', 'p', 'f'))",
		    0, NULL, NULL, NULL, &r);
		if (rc != STORE_OK)
			return rc;
		s->has_meta = PQntuples(r) == 1 && pgs_int(r, 0, 0) != 0;
		rc = STORE_OK;
		if (!s->has_meta && PQntuples(r) == 1 && pgs_int(r, 0, 1) > 0)
			rc = pgs_failf(s, STORE_ERROR, "the database holds "
			    "tables but no vault");
		else if (!s->has_meta)
			rc = pgs_failf(s, STORE_CANTOPEN, "the database holds "
			    "no vault (run redoubt init)");
		PQclear(r);
		return rc;
	}
	rc = pgs_query(s, "SELECT n.nspname,"
	    " (SELECT count(*) FROM pg_catalog.pg_class c"
	    "  WHERE c.relnamespace = n.oid"
	    "  AND c.relkind IN ('r', 'v', 'm', 'S', 'p', 'f')),"
	    " pg_catalog.has_schema_privilege(n.oid, 'CREATE')"
	    " FROM pg_catalog.pg_namespace n"
	    " WHERE n.nspname = pg_catalog.current_schema()",
	    0, NULL, NULL, NULL, &r);
	if (rc != STORE_OK)
		return rc;
	if (PQntuples(r) != 1)
		rc = pgs_failf(s, STORE_CANTOPEN, "the role has no schema to "
		    "create tables in (search_path names none that exists)");
	else if (pgs_int(r, 0, 1) != 0)
		rc = pgs_failf(s, STORE_CONSTRAINT, "the database is not "
		    "empty: %lld table%s in schema %s; redoubt init needs an "
		    "empty one", (long long)pgs_int(r, 0, 1),
		    pgs_int(r, 0, 1) == 1 ? "" : "s", PQgetvalue(r, 0, 0));
	else if (pgs_int(r, 0, 2) == 0)
		rc = pgs_failf(s, STORE_READONLY, "the role may not create "
		    "tables in schema %s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return rc;
}

static int
pg_open(const char *where, bool create, struct store **out)
{
	struct pg_store	*s;
	PGconn		*conn;
	int		 v, rc;

	*out = NULL;
	if ((conn = PQconnectdb(where)) == NULL)
		return STORE_CANTOPEN;
	if ((s = calloc(1, sizeof *s)) == NULL) {
		PQfinish(conn);
		return STORE_CANTOPEN;
	}
	s->base.ops = &store_pg_ops;
	s->conn = conn;
	*out = &s->base;
	if (PQstatus(conn) != CONNECTION_OK) {
		set_err(s, PQerrorMessage(conn));
		return STORE_CANTOPEN;
	}
	PQsetNoticeProcessor(conn, quiet, NULL);
	if ((v = PQserverVersion(conn)) < 120000)
		return pgs_failf(s, STORE_CANTOPEN, "the PostgreSQL server is "
		    "version %d.%d; redoubt needs 12 or newer", v / 10000,
		    v % 10000 / 100);
	if (PQsetClientEncoding(conn, "UTF8") != 0)
		return pgs_fail(s, NULL);
	if ((rc = pgs_run_sql(s, "SET lock_timeout = '10s';"
	    " SET client_min_messages = warning", false)) != STORE_OK)
		return rc;
	return check_where(s, create);
}

static void
pg_close(struct store *base)
{
	struct pg_store	*s = (struct pg_store *)base;
	size_t		 i;

	if (s == NULL)
		return;
	PQclear(s->meta_res);
	pgs_meta_unfetch(s);
	PQfinish(s->conn);
	for (i = 0; i < s->ndead; i++)
		free(s->dead[i]);
	free(s->dead);
	free(s->err);
	free(s);
}

static const char *
pg_errmsg(struct store *base)
{
	struct pg_store	*s = (struct pg_store *)base;

	return s->err != NULL ? s->err : "";
}

static int
pg_tune(struct store *base)
{
	return pgs_run_sql((struct pg_store *)base, "LISTEN redoubt_changed",
	    false);
}

static int64_t
pg_changes(struct store *base)
{
	return ((struct pg_store *)base)->changes;
}

static int
pg_exec(struct store *base, const char *sql)
{
	return pgs_run_sql((struct pg_store *)base, sql, true);
}

static int
pg_watch_fd(struct store *base)
{
	return PQsocket(((struct pg_store *)base)->conn);
}

static int
pg_changed(struct store *base, int64_t *out)
{
	struct pg_store	*s = (struct pg_store *)base;
	PGnotify	*n;
	int		 me = PQbackendPID(s->conn);

	if (PQconsumeInput(s->conn) == 0) {
		*out = s->changed;
		return pgs_fail(s, NULL);
	}
	/* Own commits do not count, as in SQLite's data_version. */
	while ((n = PQnotifies(s->conn)) != NULL) {
		if (n->be_pid != me)
			s->changed++;
		PQfreemem(n);
	}
	*out = s->changed;
	return STORE_OK;
}

const struct store_ops store_pg_ops = {
	.name		= "postgresql",
	.shared		= true,
	.open		= pg_open,
	.close		= pg_close,
	.errmsg		= pg_errmsg,
	.tune		= pg_tune,
	.prepare	= pgs_prepare,
	.finalize	= pgs_finalize,
	.bind_int	= pgs_bind_int,
	.bind_text	= pgs_bind_text,
	.bind_blob	= pgs_bind_blob,
	.bind_null	= pgs_bind_null,
	.step		= pgs_step,
	.queue		= pgs_queue,
	.reset		= pgs_reset,
	.col_type	= pgs_col_type,
	.col_int	= pgs_col_int,
	.col_text	= pgs_col_text,
	.col_blob	= pgs_col_blob,
	.col_bytes	= pgs_col_bytes,
	.changes	= pg_changes,
	.exec		= pg_exec,
	.begin		= pgs_begin,
	.begin_nowait	= pgs_begin_nowait,
	.commit		= pgs_commit,
	.rollback	= pgs_rollback,
	.in_tx		= pgs_in_tx,
	.meta_get	= pgs_meta_get,
	.meta_put	= pgs_meta_put,
	.meta_del	= pgs_meta_del,
	.meta_get_n	= pgs_meta_get_n,
	.meta_put_n	= pgs_meta_put_n,
	.meta_prefetch	= pgs_meta_prefetch,
	.meta_list	= pgs_meta_list,
	.version_get	= pgs_version_get,
	.version_set	= pgs_version_set,
	.fresh		= pgs_fresh,
	.id_floor	= pgs_id_floor,
	.watch_fd	= pg_watch_fd,
	.changed	= pg_changed,
};
