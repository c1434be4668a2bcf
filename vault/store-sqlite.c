/*
 * store-sqlite.c: the SQLite driver behind store.h, the store of one
 * operator on one machine.  The interface is SQLite's own shape, so most
 * calls pass straight through; what this file adds is the file's life
 * (created 0600 with O_EXCL, never overwritten), the pragmas that make a
 * consumed code stay consumed after a power cut, and the header's
 * key-value rows, which SQLite keeps in one untyped column.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store-sqlite.h"


struct sq_store {
	struct store	 base;
	sqlite3		*db;
	char		 msg[256];	/* a message of our own, else SQLite's */
	struct sq_stmt	*meta[4];	/* get, put, del, list */
	uint8_t		*val;		/* meta_get's value, until the next */
	size_t		 vallen;
	uint8_t		*vals[STORE_META_N];	/* meta_get_n's */
	size_t		 vallens[STORE_META_N];
};

struct sq_stmt {
	struct store_stmt	 base;
	sqlite3_stmt		*st;
};

static void	sq_val_drop(struct sq_store *q);
static int	sq_meta_put(struct store *s, const char *k,
		    const struct store_val *val);

#define SQ(s)	((struct sq_store *)(void *)(s))
#define SQS(st)	(((struct sq_stmt *)(void *)(st))->st)

static int
sq_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return STORE_OK;
	case SQLITE_ROW:
		return STORE_ROW;
	case SQLITE_DONE:
		return STORE_DONE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_BUSY;
	case SQLITE_CONSTRAINT:
		return STORE_CONSTRAINT;
	case SQLITE_CANTOPEN:
		return STORE_CANTOPEN;
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return STORE_READONLY;
	case SQLITE_FULL:
		return STORE_FULL;
	default:
		return STORE_ERROR;
	}
}

static const char *
sq_errmsg(struct store *s)
{
	struct sq_store	*q = SQ(s);

	if (q->msg[0] != '\0')
		return q->msg;
	return q->db != NULL ? sqlite3_errmsg(q->db) : "out of memory";
}

static int
sq_exec(struct store *s, const char *sql)
{
	SQ(s)->msg[0] = '\0';
	return sq_rc(sqlite3_exec(SQ(s)->db, sql, NULL, NULL, NULL));
}

static int
sq_open(const char *where, bool create, struct store **out)
{
	struct sq_store	*q;
	struct stat	 sb;
	int		 fd, rc;

	*out = NULL;
	if ((q = calloc(1, sizeof *q)) == NULL)
		return STORE_ERROR;
	q->base.ops = &store_sqlite_ops;
	*out = &q->base;
	if (create) {
		/* O_EXCL: never overwrite, and 0600 from the first byte. */
		fd = open(where, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			snprintf(q->msg, sizeof q->msg, "%s", strerror(errno));
			return errno == EEXIST ? STORE_CONSTRAINT :
			    STORE_CANTOPEN;
		}
		close(fd);
	} else if (stat(where, &sb) != 0) {
		snprintf(q->msg, sizeof q->msg, "%s", strerror(errno));
		return STORE_CANTOPEN;
	} else if (!S_ISREG(sb.st_mode)) {
		snprintf(q->msg, sizeof q->msg, "not a regular file");
		return STORE_ERROR;
	}
	rc = sqlite3_open_v2(where, &q->db, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK)
		return sq_rc(rc);
	/*
	 * Steps hold the write lock for milliseconds (no KDF, no network
	 * inside one), so a writer that waits this long is up against
	 * something stuck, not against real contention.
	 */
	sqlite3_busy_timeout(q->db, VAULT_BUSY_MS);
	sqlite3_extended_result_codes(q->db, 0);
	return STORE_OK;
}

static void
sq_finalize(struct store_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_finalize(SQS(st));
	free(st);
}

static void
sq_close(struct store *s)
{
	struct sq_store	*q = SQ(s);
	size_t		 i;

	for (i = 0; i < sizeof q->meta / sizeof q->meta[0]; i++)
		sq_finalize(q->meta[i] ? &q->meta[i]->base : NULL);
	sq_val_drop(q);
	if (q->db != NULL)
		sqlite3_close(q->db);
	free(q);
}

static int
sq_tune(struct store *s)
{
	int	rc;

	if ((rc = sq_exec(s, "PRAGMA journal_mode=WAL")) != STORE_OK)
		return rc;
	/*
	 * Temporary data in memory: the journal of a savepoint (a row of an
	 * import, a line of a batch) would otherwise go to a file in
	 * /var/tmp, page by page.  32 MiB of page cache keeps an import's
	 * chunk from spilling to the WAL early.
	 */
	return sq_exec(s, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
	    " PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY;"
	    " PRAGMA cache_size=-32768");
}

static int
sq_prepare(struct store *s, const char *sql, struct store_stmt **out)
{
	struct sq_stmt	*p;
	int		 rc;

	SQ(s)->msg[0] = '\0';
	*out = NULL;
	if ((p = calloc(1, sizeof *p)) == NULL)
		return STORE_ERROR;
	rc = sqlite3_prepare_v3(SQ(s)->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &p->st, NULL);
	if (rc != SQLITE_OK) {
		free(p);
		return sq_rc(rc);
	}
	p->base.ops = &store_sqlite_ops;
	*out = &p->base;
	return STORE_OK;
}

static void
sq_bind_int(struct store_stmt *st, int idx, int64_t x)
{
	sqlite3_bind_int64(SQS(st), idx, x);
}

static void
sq_bind_text(struct store_stmt *st, int idx, const char *s, int len)
{
	sqlite3_bind_text(SQS(st), idx, s, len, SQLITE_TRANSIENT);
}

static void
sq_bind_blob(struct store_stmt *st, int idx, const void *p, size_t n)
{
	sqlite3_bind_blob(SQS(st), idx, p, (int)n, SQLITE_TRANSIENT);
}

static void
sq_bind_null(struct store_stmt *st, int idx)
{
	sqlite3_bind_null(SQS(st), idx);
}

static int
sq_step(struct store_stmt *st)
{
	return sq_rc(sqlite3_step(SQS(st)));
}

static void
sq_reset(struct store_stmt *st)
{
	sqlite3_reset(SQS(st));
	sqlite3_clear_bindings(SQS(st));
}

/* In-process, nothing is gained by waiting: run it now. */
static int
sq_queue(struct store_stmt *st, int64_t expect)
{
	int	rc = sq_step(st);

	sq_reset(st);
	if (rc != STORE_DONE && rc != STORE_ROW)
		return rc;
	if (expect >= 0 && sqlite3_changes64(sqlite3_db_handle(SQS(st))) !=
	    expect)
		return STORE_MISMATCH;
	return STORE_OK;
}

static int
sq_col_type(struct store_stmt *st, int col)
{
	switch (sqlite3_column_type(SQS(st), col)) {
	case SQLITE_INTEGER:
		return STORE_INT;
	case SQLITE_TEXT:
		return STORE_TEXT;
	case SQLITE_NULL:
		return STORE_NULL;
	default:
		return STORE_BLOB;
	}
}

static int64_t
sq_col_int(struct store_stmt *st, int col)
{
	return sqlite3_column_int64(SQS(st), col);
}

static const char *
sq_col_text(struct store_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(SQS(st), col);
}

static const void *
sq_col_blob(struct store_stmt *st, int col)
{
	return sqlite3_column_blob(SQS(st), col);
}

static int
sq_col_bytes(struct store_stmt *st, int col)
{
	return sqlite3_column_bytes(SQS(st), col);
}

static int64_t
sq_changes(struct store *s)
{
	return sqlite3_changes(SQ(s)->db);
}

static int
sq_begin(struct store *s)
{
	return sq_exec(s, "BEGIN IMMEDIATE");
}

static int
sq_begin_nowait(struct store *s)
{
	int	rc;

	sqlite3_busy_timeout(SQ(s)->db, 0);
	rc = sq_exec(s, "BEGIN IMMEDIATE");
	sqlite3_busy_timeout(SQ(s)->db, VAULT_BUSY_MS);
	return rc;
}

static int
sq_commit(struct store *s)
{
	return sq_exec(s, "COMMIT");
}

static bool
sq_in_tx(struct store *s)
{
	return !sqlite3_get_autocommit(SQ(s)->db);
}

static void
sq_rollback(struct store *s)
{
	if (sq_in_tx(s))
		sqlite3_exec(SQ(s)->db, "ROLLBACK", NULL, NULL, NULL);
}

/* The header's statements, kept for the connection's life. */
static sqlite3_stmt *
sq_meta_stmt(struct store *s, int which)
{
	static const char *const sql[] = {
	    "SELECT v FROM meta WHERE k = ?",
	    "INSERT INTO meta (k, v) VALUES (?, ?)"
	    " ON CONFLICT (k) DO UPDATE SET v = excluded.v",
	    "DELETE FROM meta WHERE k = ?",
	    /* substr, not LIKE: a prefix holds '_' and '.' literally. */
	    "SELECT k, v FROM meta WHERE substr(k, 1, length(?1)) = ?1"
	    " ORDER BY k",
	};
	struct sq_store		*q = SQ(s);
	struct store_stmt	*st;

	if (q->meta[which] == NULL) {
		if (sq_prepare(s, sql[which], &st) != STORE_OK)
			return NULL;
		q->meta[which] = (struct sq_stmt *)(void *)st;
	}
	return q->meta[which]->st;
}

static void
sq_val_drop(struct sq_store *q)
{
	int	i;

	if (q->val != NULL) {
		/* Header values are public, but a wipe costs nothing here. */
		memset(q->val, 0, q->vallen);
		free(q->val);
		q->val = NULL;
	}
	for (i = 0; i < STORE_META_N; i++) {
		if (q->vals[i] != NULL)
			memset(q->vals[i], 0, q->vallens[i]);
		free(q->vals[i]);
		q->vals[i] = NULL;
	}
}

static void
sq_val(sqlite3_stmt *st, int col, struct store_val *out)
{
	memset(out, 0, sizeof *out);
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_INTEGER:
		out->type = STORE_INT;
		out->i = sqlite3_column_int64(st, col);
		break;
	case SQLITE_NULL:
		out->type = STORE_NULL;
		break;
	case SQLITE_TEXT:
		out->type = STORE_TEXT;
		out->p = sqlite3_column_text(st, col);
		out->n = (size_t)sqlite3_column_bytes(st, col);
		break;
	default:
		out->type = STORE_BLOB;
		out->p = sqlite3_column_blob(st, col);
		out->n = (size_t)sqlite3_column_bytes(st, col);
		break;
	}
}

/*
 * A value is copied out and the statement reset at once: a statement left
 * stepping would hold a read snapshot open under the next BEGIN.
 */
static int
sq_meta_get(struct store *s, const char *k, struct store_val *out)
{
	struct sq_store	*q = SQ(s);
	sqlite3_stmt	*st;
	int		 rc;

	sq_val_drop(q);
	if ((st = sq_meta_stmt(s, 0)) == NULL)
		return sq_rc(sqlite3_errcode(q->db));
	sqlite3_bind_text(st, 1, k, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		sq_val(st, 0, out);
		if (out->p != NULL) {
			if ((q->val = malloc(out->n + 1)) == NULL) {
				sqlite3_reset(st);
				return STORE_ERROR;
			}
			memcpy(q->val, out->p, out->n);
			q->val[out->n] = '\0';
			q->vallen = out->n;
			out->p = q->val;
		}
		rc = SQLITE_OK;
	}
	sqlite3_reset(st);
	return sq_rc(rc);
}

/* One by one: SQLite is in this process, a statement costs no trip. */
static int
sq_meta_get_n(struct store *s, const char *const *k, int n,
    struct store_val *out)
{
	struct sq_store	*q = SQ(s);
	uint8_t		*keep[STORE_META_N];
	size_t		 lens[STORE_META_N];
	int		 i, rc = STORE_OK;

	if (n > STORE_META_N)
		return STORE_ERROR;
	for (i = 0; i < n; i++) {
		keep[i] = NULL;
		lens[i] = 0;
	}
	for (i = 0; i < n && rc == STORE_OK; i++) {
		rc = sq_meta_get(s, k[i], &out[i]);
		if (rc == STORE_DONE) {
			memset(&out[i], 0, sizeof out[i]);
			out[i].type = STORE_NULL;
			rc = STORE_OK;
		} else if (rc == STORE_OK && q->val != NULL) {
			/* Taken from meta_get's slot before the next drops it. */
			keep[i] = q->val;
			lens[i] = q->vallen;
			q->val = NULL;
		}
	}
	sq_val_drop(q);
	for (i = 0; i < n; i++) {
		q->vals[i] = keep[i];
		q->vallens[i] = lens[i];
	}
	return rc;
}

static int
sq_meta_put_n(struct store *s, const char *const *k,
    const struct store_val *val, int n)
{
	int	i, rc = STORE_OK;

	for (i = 0; i < n && rc == STORE_OK; i++)
		rc = sq_meta_put(s, k[i], &val[i]);
	return rc;
}

/* In-process, a read costs no trip: nothing to ask for early. */
static int
sq_meta_prefetch(struct store *s, const char *const *k, int n)
{
	(void)s;
	(void)k;
	(void)n;
	return STORE_OK;
}

static int
sq_meta_put(struct store *s, const char *k, const struct store_val *val)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = sq_meta_stmt(s, 1)) == NULL)
		return sq_rc(sqlite3_errcode(SQ(s)->db));
	sqlite3_bind_text(st, 1, k, -1, SQLITE_TRANSIENT);
	if (val->type == STORE_INT)
		sqlite3_bind_int64(st, 2, val->i);
	else if (val->type == STORE_BLOB)
		sqlite3_bind_blob(st, 2, val->p, (int)val->n,
		    SQLITE_TRANSIENT);
	else {
		snprintf(SQ(s)->msg, sizeof SQ(s)->msg, "header values are "
		    "integers or blobs");
		return STORE_ERROR;
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? STORE_OK : sq_rc(rc);
}

static int
sq_meta_del(struct store *s, const char *k)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = sq_meta_stmt(s, 2)) == NULL)
		return sq_rc(sqlite3_errcode(SQ(s)->db));
	sqlite3_bind_text(st, 1, k, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : sq_rc(rc);
}

static int
sq_meta_list(struct store *s, const char *prefix, store_meta_fn fn,
    void *arg)
{
	sqlite3_stmt		*st;
	struct store_val	 val;
	int			 rc;

	if ((st = sq_meta_stmt(s, 3)) == NULL)
		return sq_rc(sqlite3_errcode(SQ(s)->db));
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sq_val(st, 1, &val);
		if (fn(arg, (const char *)sqlite3_column_text(st, 0), &val))
			break;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_rc(rc);
}

/* One integer a PRAGMA answers (sql is a literal of this file). */
static int
sq_pragma_int(struct store *s, const char *sql, int64_t *out)
{
	sqlite3_stmt	*st;
	int		 rc;

	rc = sqlite3_prepare_v2(SQ(s)->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sq_rc(rc);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? STORE_OK : sq_rc(rc);
}

static int
sq_version_get(struct store *s, int *out)
{
	int64_t	v = 0;
	int	rc;

	if ((rc = sq_pragma_int(s, "PRAGMA user_version", &v)) == STORE_OK)
		*out = (int)v;
	return rc;
}

static int
sq_version_set(struct store *s, int v)
{
	char	sql[48];

	/* PRAGMA takes no parameters; v is a number of ours. */
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
	return sq_exec(s, sql);
}

static int
sq_id_floor(struct store *s, const char *table, int64_t n)
{
	static const char	 sql[] = "UPDATE sqlite_sequence SET seq ="
	    " max(seq, ?2) WHERE name = ?1";
	static const char	 ins[] = "INSERT INTO sqlite_sequence (name,"
	    " seq) SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM"
	    " sqlite_sequence WHERE name = ?1)";
	const char		*q[] = { sql, ins };
	sqlite3_stmt		*st;
	int			 i, rc = SQLITE_OK;

	for (i = 0; i < 2 && rc == SQLITE_OK; i++) {
		if ((rc = sqlite3_prepare_v2(SQ(s)->db, q[i], -1, &st,
		    NULL)) != SQLITE_OK)
			break;
		sqlite3_bind_text(st, 1, table, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, n);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	return sq_rc(rc);
}

static int
sq_watch_fd(struct store *s)
{
	(void)s;
	return -1;
}

/*
 * data_version changes on this connection when any other connection
 * commits to the file, and not for this connection's own writes; it reads
 * one integer from the pager, no table: cheap enough for every second.
 */
static int
sq_changed(struct store *s, int64_t *out)
{
	return sq_pragma_int(s, "PRAGMA data_version", out);
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.errmsg = sq_errmsg,
	.tune = sq_tune,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.queue = sq_queue,
	.reset = sq_reset,
	.col_type = sq_col_type,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_blob = sq_col_blob,
	.col_bytes = sq_col_bytes,
	.changes = sq_changes,
	.exec = sq_exec,
	.begin = sq_begin,
	.begin_nowait = sq_begin_nowait,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.in_tx = sq_in_tx,
	.meta_get = sq_meta_get,
	.meta_put = sq_meta_put,
	.meta_del = sq_meta_del,
	.meta_get_n = sq_meta_get_n,
	.meta_put_n = sq_meta_put_n,
	.meta_prefetch = sq_meta_prefetch,
	.meta_list = sq_meta_list,
	.version_get = sq_version_get,
	.version_set = sq_version_set,
	.fresh = NULL,
	.id_floor = sq_id_floor,
	.watch_fd = sq_watch_fd,
	.changed = sq_changed,
};

sqlite3 *
store_sqlite_handle(struct store *s)
{
	return s->ops == &store_sqlite_ops ? SQ(s)->db : NULL;
}

sqlite3_stmt *
store_sqlite_stmt(struct store_stmt *st)
{
	return st->ops == &store_sqlite_ops ? SQS(st) : NULL;
}
