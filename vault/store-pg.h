/*
 * store-pg.h: what the files of the PostgreSQL store share, and nothing
 * outside them includes.  store-pg.c holds the connection, the mapping of
 * errors and the watch on others' commits, and the table store_pg_ops;
 * store-pg-tx.c the transactions; store-pg-pipe.c the statements sent
 * ahead; store-pg-stmt.c the statements (SQLite's shape on top of libpq's
 * buffered results); store-pg-meta.c the header; store-pg-schema.c the
 * schema and identity sequences.  Every name here starts with pgs_ and is
 * hidden from other objects by -fvisibility=hidden; store_pg_ops is the
 * one way in.
 */
#ifndef RD_STORE_PG_H
#define RD_STORE_PG_H

#include <libpq-fe.h>

#include "store.h"

#define PG_DEAD_BATCH	16	/* names dropped on the server at once */
#define PGS_QUERY_MAX	(3 * STORE_META_N)	/* parameters of pgs_query */
#define PG_PIPE_MAX	256	/* statements sent ahead at most */

/* The type oids the store reads and writes (pg_type.h is the server's). */
enum {
	PGS_BOOL	= 16,
	PGS_BYTEA	= 17,
	PGS_NAME	= 19,
	PGS_INT8	= 20,
	PGS_INT2	= 21,
	PGS_INT4	= 23,
	PGS_TEXT	= 25,
	PGS_OID		= 26,
	PGS_BPCHAR	= 1042,
	PGS_VARCHAR	= 1043,
};

struct pg_store {
	struct store	 base;
	PGconn		*conn;
	char		*err;		/* the last failure's message, or NULL */
	int64_t		 changes;	/* rows of the last INSERT/UPDATE/DELETE */
	int64_t		 changed;	/* commits of other connections seen */
	unsigned long	 nstmt;		/* names given to prepared statements */
	/*
	 * Prepared statements finalized while the transaction was aborted,
	 * when the server takes no DEALLOCATE: dropped after the rollback.
	 */
	char		**dead;	/* finalized, to DEALLOCATE in a batch */
	size_t		 ndead;
	size_t		 dead_cap;
	bool		 has_meta;	/* table meta exists: begin locks it */
	bool		 tx;		/* a transaction is open, or queued */
	size_t		 nqueued;	/* sent ahead, answers not read */
	int64_t		 expect[PG_PIPE_MAX];	/* rows each must change; -1 */
	size_t		 nexpect;	/* queued ones with a count to check */
	/*
	 * meta_prefetch: the header rows asked for ahead (the caller's
	 * array), the place of that query in the queue (1-based; 0: not
	 * queued) and, once its answer came, the answer.
	 */
	const char *const *pre_k;
	int		 pre_n;
	size_t		 pre_at;
	PGresult	*pre_res;
	unsigned	 meta_get_ready;	/* bit n: "mgN" is prepared */
	unsigned	 meta_put_ready;	/* bit n: "mpN" is prepared */
	PGresult	*meta_res;	/* holds the value meta_get handed out */
};

/* store-pg.c */
/* Record the failure of r (NULL: of the connection); the store_rc. */
int		 pgs_fail(struct pg_store *s, const PGresult *r);
/* Record a message of the store's own; returns code. */
int		 pgs_failf(struct pg_store *s, int code, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
/*
 * Run sql with n (at most 4) binary parameters, asking for binary results.
 * STORE_OK with the result in *out (PQclear it) when it succeeded, else the
 * mapped code.  types may be NULL when n is 0.
 */
int		 pgs_query(struct pg_store *s, const char *sql, int n,
		    const Oid *types, const char *const *vals, const int *lens,
		    PGresult **out);
/* Run sql, no parameters or rows that matter; note: count its changes. */
int		 pgs_run_sql(struct pg_store *s, const char *sql, bool note);
/* changes() from the command tag of r when it is an INSERT/UPDATE/DELETE. */
void		 pgs_note_changes(struct pg_store *s, const PGresult *r);
/* store-pg-tx.c: the store's transactions (store_ops). */
bool		 pgs_in_tx(struct store *base);
int		 pgs_begin(struct store *base);
int		 pgs_begin_nowait(struct store *base);
int		 pgs_commit(struct store *base);
void		 pgs_rollback(struct store *base);
/* Drop prepared statement name, now or after the transaction ends. */
void		 pgs_deallocate(struct pg_store *s, const char *name);
/* A column's integer in binary format, by the column's type. */
int64_t		 pgs_int(const PGresult *r, int row, int col);
/* x as PostgreSQL's binary int8 (big-endian). */
void		 pgs_put_i8(unsigned char b[8], int64_t x);

/*
 * store-pg-pipe.c.  queue_*: send a statement ahead without waiting for
 * its answer (expect: the rows it must change, or -1).  run_*: send one
 * and wait, with the answers of what is queued: STORE_OK with its own
 * result in *out (as PQexec* gives it; NULL when the connection failed),
 * else the first queued failure, recorded.  drain: wait for what is
 * queued, before a call that cannot go into a pipeline.
 */
int		 pgs_queue_prepared(struct pg_store *s, const char *name,
		    int n, const char *const *vals, const int *lens,
		    const int *fmts, int64_t expect);
int		 pgs_queue_params(struct pg_store *s, const char *sql, int n,
		    const Oid *types, const char *const *vals, const int *lens,
		    const int *fmts);
int		 pgs_run_prepared(struct pg_store *s, const char *name, int n,
		    const char *const *vals, const int *lens, const int *fmts,
		    PGresult **out);
int		 pgs_run_params(struct pg_store *s, const char *sql, int n,
		    const Oid *types, const char *const *vals, const int *lens,
		    const int *fmts, PGresult **out);
int		 pgs_drain(struct pg_store *s);

/* store-pg-stmt.c */
int		 pgs_prepare(struct store *s, const char *sql,
		    struct store_stmt **out);
void		 pgs_finalize(struct store_stmt *st);
void		 pgs_bind_int(struct store_stmt *st, int idx, int64_t x);
void		 pgs_bind_text(struct store_stmt *st, int idx, const char *p,
		    int len);
void		 pgs_bind_blob(struct store_stmt *st, int idx, const void *p,
		    size_t n);
void		 pgs_bind_null(struct store_stmt *st, int idx);
int		 pgs_step(struct store_stmt *st);
int		 pgs_queue(struct store_stmt *st, int64_t expect);
void		 pgs_reset(struct store_stmt *st);
int		 pgs_col_type(struct store_stmt *st, int col);
int64_t		 pgs_col_int(struct store_stmt *st, int col);
const char	*pgs_col_text(struct store_stmt *st, int col);
const void	*pgs_col_blob(struct store_stmt *st, int col);
int		 pgs_col_bytes(struct store_stmt *st, int col);

/* store-pg-meta.c */
int		 pgs_meta_get(struct store *s, const char *k,
		    struct store_val *out);
int		 pgs_meta_get_n(struct store *base, const char *const *k,
		    int n, struct store_val *out);
int		 pgs_meta_put_n(struct store *base, const char *const *k,
		    const struct store_val *val, int n);
int		 pgs_meta_prefetch(struct store *base, const char *const *k,
		    int n);
/* Forget a prefetched answer (a write of meta, the transaction's end). */
void		 pgs_meta_unfetch(struct pg_store *s);
int		 pgs_meta_put(struct store *s, const char *k,
		    const struct store_val *val);
int		 pgs_meta_del(struct store *s, const char *k);
int		 pgs_meta_list(struct store *s, const char *prefix,
		    store_meta_fn fn, void *arg);
/* store-pg-schema.c */
int		 pgs_version_get(struct store *s, int *out);
int		 pgs_version_set(struct store *s, int v);
int		 pgs_fresh(struct store *s, int version);
int		 pgs_id_floor(struct store *s, const char *table, int64_t n);

#endif
