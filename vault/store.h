/*
 * store.h: the one seam between the vault's logic and the database that
 * holds its rows.  A store is a connection to SQLite (a file path) or to
 * PostgreSQL (a libpq URI or conninfo), behind one table of functions, as
 * curl's vtls puts each TLS library behind one struct.
 *
 * The interface is SQLite's own shape (prepare, bind, step, column,
 * reset), because that is what vault/ was written against, so a driver
 * that is not SQLite mimics it: parameters are written `?` or `?N` in
 * every statement (a driver rewrites them for its server); a statement's
 * values come back typed as NULL, integer, text or blob; a zero-length blob
 * reads as a NULL pointer, as SQLite gives it; text is NUL-terminated.
 * Pointers from a column stay valid until the next step or reset of the
 * statement.  Bound values are copied at bind time.
 *
 * The header (table meta) holds values of mixed type under names; stores
 * keep it as suits them, so it has its own calls (store_meta_*).
 *
 * Only vault/ includes this; only the store-*.c files include a database
 * library.  Functions return an enum store_rc; store_errmsg() says more
 * about the last failure of a connection.
 */
#ifndef RD_STORE_H
#define RD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum store_rc {
	STORE_OK = 0,
	STORE_ROW,		/* step: a row is ready */
	STORE_DONE,		/* step: no more rows */
	STORE_BUSY,		/* another writer holds the store too long */
	STORE_CONFLICT,		/* a serialization failure: run it again */
	STORE_CONSTRAINT,	/* a UNIQUE, NOT NULL or foreign key refused */
	STORE_CANTOPEN,		/* cannot reach or open the store */
	STORE_READONLY,		/* no right to write (file mode, role grants) */
	STORE_FULL,		/* disk full */
	STORE_MISMATCH,		/* a queued write changed other than its rows */
	STORE_ERROR,		/* anything else: damaged, not a vault */
};

enum store_type {
	STORE_NULL,
	STORE_INT,
	STORE_TEXT,
	STORE_BLOB,
};

struct store;
struct store_stmt;

#define STORE_META_N	8	/* rows of one meta_get_n or meta_put_n */

/* A typed value of the header. */
struct store_val {
	enum store_type	 type;
	int64_t		 i;
	const void	*p;	/* text (NUL-terminated) or blob; owned by the store */
	size_t		 n;
};

/* Called for each header row of store_meta_list, in order of name. */
typedef int (*store_meta_fn)(void *arg, const char *k,
    const struct store_val *val);

struct store_ops {
	const char	*name;		/* "sqlite", "postgresql" */
	/*
	 * A server that many processes on many hosts use at once: what would
	 * lock out its readers for long (dropping an index for a bulk load)
	 * is not done there.
	 */
	bool		 shared;

	/*
	 * Connect to where; create: make a new store there (a new file, or
	 * an empty database), refusing one that exists or holds tables
	 * (STORE_CONSTRAINT).  *out is set on failure too when there is a
	 * connection to read store_errmsg() from; store_close() it.
	 */
	int		(*open)(const char *where, bool create,
			    struct store **out);
	void		(*close)(struct store *s);
	const char	*(*errmsg)(struct store *s);
	/*
	 * After the key is known: settings that write (SQLite's WAL), and
	 * for a shared store the subscription to others' changes.
	 */
	int		(*tune)(struct store *s);

	int		(*prepare)(struct store *s, const char *sql,
			    struct store_stmt **out);
	void		(*finalize)(struct store_stmt *st);
	void		(*bind_int)(struct store_stmt *st, int idx, int64_t x);
	void		(*bind_text)(struct store_stmt *st, int idx,
			    const char *s, int len);	/* len < 0: strlen */
	void		(*bind_blob)(struct store_stmt *st, int idx,
			    const void *p, size_t n);
	void		(*bind_null)(struct store_stmt *st, int idx);
	int		(*step)(struct store_stmt *st);
	/*
	 * Run st, a write whose rows nobody reads, and reset it; expect: the
	 * number of rows it must change (STORE_MISMATCH otherwise), or -1.
	 * Inside a transaction a store may send it ahead with the next call
	 * that waits for an answer: its failure may then come back from that
	 * call (a step, exec, meta call or the commit, which checks before it
	 * commits) instead, and the transaction is over as after any
	 * failure.  changes() does not count it.
	 */
	int		(*queue)(struct store_stmt *st, int64_t expect);
	void		(*reset)(struct store_stmt *st);	/* and unbind */
	int		(*col_type)(struct store_stmt *st, int col);
	int64_t		(*col_int)(struct store_stmt *st, int col);
	const char	*(*col_text)(struct store_stmt *st, int col);
	const void	*(*col_blob)(struct store_stmt *st, int col);
	int		(*col_bytes)(struct store_stmt *st, int col);
	/* Rows the last INSERT, UPDATE or DELETE changed. */
	int64_t		(*changes)(struct store *s);
	/* Statements without parameters or rows, separated by ';'. */
	int		(*exec)(struct store *s, const char *sql);

	/*
	 * Transactions.  begin starts a write transaction that no other
	 * writer overlaps (SQLite: BEGIN IMMEDIATE; PostgreSQL: SERIALIZABLE
	 * behind one table lock); commit tells other connections (watch).
	 * One savepoint level, named by the caller.  A shared store may send
	 * begin with the transaction's first statement (as queue does), so
	 * STORE_BUSY can come from that statement or from commit.
	 */
	int		(*begin)(struct store *s);
	/* The same, STORE_BUSY at once instead of waiting for a writer. */
	int		(*begin_nowait)(struct store *s);
	int		(*commit)(struct store *s);
	void		(*rollback)(struct store *s);
	bool		(*in_tx)(struct store *s);

	/* The header.  get: STORE_DONE when k is absent. */
	int		(*meta_get)(struct store *s, const char *k,
			    struct store_val *out);
	int		(*meta_put)(struct store *s, const char *k,
			    const struct store_val *val);
	int		(*meta_del)(struct store *s, const char *k);
	/*
	 * Several rows in one go (a round trip each would show in every
	 * command of a shared store), at most STORE_META_N: get_n fills
	 * out[i] (STORE_NULL when k[i] is absent; valid until the next meta
	 * call), put_n writes them all (inside a transaction perhaps later,
	 * as queue).
	 */
	int		(*meta_get_n)(struct store *s, const char *const *k,
			    int n, struct store_val *out);
	int		(*meta_put_n)(struct store *s, const char *const *k,
			    const struct store_val *val, int n);
	/*
	 * The rows k (at most STORE_META_N) will be read with meta_get_n in
	 * this transaction: a shared store asks for them with the next
	 * statement that waits, and the meta_get_n of the same k answers
	 * from that.  A hint: it may do nothing; a failure (it may have to
	 * wait for what is queued) ends the transaction.
	 */
	int		(*meta_prefetch)(struct store *s, const char *const *k,
			    int n);
	/* Rows whose name starts with prefix ("" for all); fn != 0 stops. */
	int		(*meta_list)(struct store *s, const char *prefix,
			    store_meta_fn fn, void *arg);

	/*
	 * The schema version (0: no tables yet), and setting it inside the
	 * migration's transaction.  fresh, when not NULL, creates the newest
	 * tables at once in an empty store (a store with no old vaults to
	 * migrate); else schema.c runs the migrations one by one.
	 */
	int		(*version_get)(struct store *s, int *out);
	int		(*version_set)(struct store *s, int v);
	int		(*fresh)(struct store *s, int version);
	/* The id the next row of table gets is above n (a copy's ids). */
	int		(*id_floor)(struct store *s, const char *table,
			    int64_t n);

	/*
	 * Others' changes: a descriptor that turns readable when another
	 * connection commits (-1: none, poll changed() instead), and a
	 * number that grows with each change made elsewhere.
	 */
	int		(*watch_fd)(struct store *s);
	int		(*changed)(struct store *s, int64_t *out);
};

/* Every driver's structs start with these. */
struct store {
	const struct store_ops	*ops;
};
struct store_stmt {
	const struct store_ops	*ops;
};

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

/* The driver for where: a libpq URI or conninfo is PostgreSQL, else a file. */
const struct store_ops	*store_for(const char *where);
/* Whether where names a PostgreSQL database rather than a file. */
bool			 store_is_pg(const char *where);
/*
 * where as it may be shown (a message, the TUI's title, JSON): a password
 * in a URI or a conninfo string becomes ***.  The caller frees it.
 */
char			*store_where_shown(const char *where);

static inline void
stmt_bind_int(struct store_stmt *st, int idx, int64_t x)
{
	st->ops->bind_int(st, idx, x);
}

static inline void
stmt_bind_text(struct store_stmt *st, int idx, const char *s, int len)
{
	st->ops->bind_text(st, idx, s, len);
}

static inline void
stmt_bind_blob(struct store_stmt *st, int idx, const void *p, size_t n)
{
	st->ops->bind_blob(st, idx, p, n);
}

static inline void
stmt_bind_null(struct store_stmt *st, int idx)
{
	st->ops->bind_null(st, idx);
}

static inline int
stmt_step(struct store_stmt *st)
{
	return st->ops->step(st);
}

static inline int
stmt_queue(struct store_stmt *st, int64_t expect)
{
	return st->ops->queue(st, expect);
}

static inline void
stmt_reset(struct store_stmt *st)
{
	st->ops->reset(st);
}

static inline void
stmt_free(struct store_stmt *st)
{
	if (st != NULL)
		st->ops->finalize(st);
}

static inline int
stmt_type(struct store_stmt *st, int col)
{
	return st->ops->col_type(st, col);
}

static inline int64_t
stmt_int(struct store_stmt *st, int col)
{
	return st->ops->col_int(st, col);
}

static inline const char *
stmt_text(struct store_stmt *st, int col)
{
	return st->ops->col_text(st, col);
}

static inline const void *
stmt_blob(struct store_stmt *st, int col)
{
	return st->ops->col_blob(st, col);
}

static inline int
stmt_bytes(struct store_stmt *st, int col)
{
	return st->ops->col_bytes(st, col);
}

/* Bind column col of src's current row, as typed, as parameter idx of st. */
static inline void
stmt_bind_col(struct store_stmt *st, int idx, struct store_stmt *src,
    int col)
{
	switch (stmt_type(src, col)) {
	case STORE_INT:
		stmt_bind_int(st, idx, stmt_int(src, col));
		break;
	case STORE_TEXT:
		stmt_bind_text(st, idx, stmt_text(src, col),
		    stmt_bytes(src, col));
		break;
	case STORE_BLOB:
		/* A zero-length blob stays a blob, not NULL. */
		stmt_bind_blob(st, idx, stmt_bytes(src, col) > 0 ?
		    stmt_blob(src, col) : "", (size_t)stmt_bytes(src, col));
		break;
	default:
		stmt_bind_null(st, idx);
		break;
	}
}

static inline int
store_prepare(struct store *s, const char *sql, struct store_stmt **out)
{
	return s->ops->prepare(s, sql, out);
}

static inline int
store_exec(struct store *s, const char *sql)
{
	return s->ops->exec(s, sql);
}

static inline int64_t
store_changes(struct store *s)
{
	return s->ops->changes(s);
}

static inline bool
store_in_tx(struct store *s)
{
	return s->ops->in_tx(s);
}

static inline const char *
store_errmsg(struct store *s)
{
	return s->ops->errmsg(s);
}

#endif
