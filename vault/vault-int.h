/*
 * vault-int.h: what the files of vault/ share and nobody else sees: the
 * struct vault, the statement cache, the mapping of store results to
 * rd_code, sealing and keyed hashing.
 */
#ifndef RD_VAULT_INT_H
#define RD_VAULT_INT_H

#include <sodium.h>

#include "store.h"
#include "vault.h"

#define VAULT_STMT_MAX	96
#define VAULT_HASH_LEN	32
#define VAULT_FORMAT	1	/* the header's layout ("format" in meta) */

/* Key material, in one sodium_malloc block (guard pages, wiped on free). */
struct vault_keys {
	uint8_t	master[32];
	uint8_t	seal[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	uint8_t	hash[crypto_generichash_KEYBYTES];
	uint8_t	audit[crypto_generichash_KEYBYTES];
	uint8_t	row[crypto_generichash_KEYBYTES];	/* row MACs */
	uint8_t	header[crypto_generichash_KEYBYTES];	/* the header's MAC */
	uint8_t	index[crypto_generichash_KEYBYTES];	/* e-mail, phone index */
};

/*
 * vault-user.c: a user's whole row, as the other files need it: the
 * security columns beside struct vault_user, read with their MAC checked
 * and written with it made afresh.
 */
#define USER_COLS "id, name, email, phone, pwhash, active, created, failures," \
	" locked_until, lock_count, mset, bset, mac, email_ix, phone_ix"

struct urow {
	struct vault_user	 u;
	char			*pwhash;	/* NULL: no password */
	struct vault_lock	 lk;
	uint8_t			 mset[VAULT_HASH_LEN];	/* the method set */
	int64_t			 bset;		/* backup code generation */
};

/* The audit chain's head as a write transaction has it (txcache.c). */
struct audit_tx {
	bool		 valid;		/* read from the store in this one */
	bool		 dirty;		/* changed since: to write at commit */
	uint8_t		 mac[VAULT_HASH_LEN];	/* the newest row's MAC */
	int64_t		 rows;
	int64_t		 next;		/* the id the next row gets */
};

struct vault {
	struct store		*db;
	char			*path;
	struct vault_keys	*keys;
	unsigned long long	 opslimit;	/* Argon2id cost, also for passwords */
	size_t			 memlimit;
	enum vault_kdf		 kdf;
	struct {
		const char	*sql;
		struct store_stmt	*stmt;
	}			 stmts[VAULT_STMT_MAX];
	int			 nstmts;
	bool			 conflict;	/* the last failure: run again */
	struct {
		struct audit_tx	 head;
		struct audit_tx	 mark;		/* the head at the savepoint */
		struct urow	 user;		/* the user row read last */
		bool		 user_ok;
		uint8_t		 token_h[VAULT_HASH_LEN];	/* its hash */
		struct vault_token token;	/* the token read last */
		bool		 token_ok;
	}			 tx;		/* txcache.c */
};

/* A ready statement for sql (a string literal: cached by its address). */
struct store_stmt	*vault_stmt(struct vault *v, const char *sql,
		    struct rd_err *err);
/* Reset a statement for the next use. */
void		 vault_done(struct store_stmt *st);
/* Turn a store result into an rd_code with a message naming what. */
enum rd_code	 vault_sqlerr(struct vault *v, int rc, const char *what,
		    struct rd_err *err) RD_CHECK;
/* Run a statement that returns no rows. */
enum rd_code	 vault_exec_stmt(struct vault *v, struct store_stmt *st,
		    const char *what, struct rd_err *err) RD_CHECK;
/*
 * The same for a write whose rows nobody reads: a shared store sends it
 * with the next statement (stmt_queue), so a failure may come back from a
 * later call of the same transaction.  expect: the rows it must change
 * (else vault_corrupt: the row is not as the transaction read it), or -1.
 */
enum rd_code	 vault_queue_stmt(struct vault *v, struct store_stmt *st,
		    int64_t expect, const char *what, struct rd_err *err)
		    RD_CHECK;

/*
 * Run an INSERT ... RETURNING id; *id is 0 when it inserted nothing (ON
 * CONFLICT DO NOTHING: the row exists).  A refused insert would end a
 * PostgreSQL transaction, so duplicates are found this way, not by error.
 */
enum rd_code	 vault_insert_id(struct vault *v, struct store_stmt *st,
		    const char *what, int64_t *id, struct rd_err *err) RD_CHECK;

/* Connect to the store at where (create: a new one), no key yet. */
enum rd_code	 vault_connect(const char *where, bool create,
		    struct vault **out, struct rd_err *err) RD_CHECK;
/* The store's settings once the key is known (WAL, LISTEN). */
enum rd_code	 vault_pragmas(struct vault *v, struct rd_err *err) RD_CHECK;
/* Remove a vault file and whatever SQLite left beside it (backup.c). */
void		 vault_unlink_file(const char *path);

/* key.c */
enum rd_code	 key_kdf_limits(enum vault_kdf kdf, unsigned long long *ops,
		    size_t *mem) RD_CHECK;
enum rd_code	 key_unlock(struct vault *v, const char *pass, size_t passlen,
		    const uint8_t *salt, const uint8_t *wrapped,
		    size_t wrappedlen, struct rd_err *err) RD_CHECK;
/* New random salt + wrapped master key for pass (master already set). */
enum rd_code	 key_wrap(struct vault *v, const char *pass, size_t passlen,
		    uint8_t salt[crypto_pwhash_SALTBYTES],
		    uint8_t *wrapped, size_t *wrappedlen, struct rd_err *err)
		    RD_CHECK;
/* What a session hands vault_open_with instead of a passphrase. */
struct sesskey_in {
	const uint8_t		*key;		/* 32 bytes */
	const uint8_t		*ad;
	size_t			 adlen;
	const uint8_t		*blob;
	size_t			 bloblen;
	struct vault_session	*times;		/* out */
};
/*
 * How vault_open_with gets the master key once the header has been read:
 * fn fills v->keys->master (and derives the subkeys) from arg and the
 * passphrase slot's salt and wrapped key, or fails with
 * RD_BAD_PASSPHRASE.  The passphrase, a session and a key slot are three.
 */
struct vault_opener {
	enum rd_code	(*fn)(struct vault *v, void *arg, const uint8_t *salt,
			    const uint8_t *wrapped, size_t wrappedlen,
			    struct rd_err *err) RD_CHECK;
	void		 *arg;
};
enum rd_code	 vault_open_with(const char *path,
		    const struct vault_opener *op, struct vault **out,
		    struct rd_err *err) RD_CHECK;
/* The master key out of a session's blob (sesskey.c). */
enum rd_code	 sesskey_unlock(struct vault *v, struct sesskey_in *sk,
		    const uint8_t *salt, const uint8_t *wrapped,
		    size_t wrappedlen, struct rd_err *err) RD_CHECK;
void		 key_derive(struct vault_keys *k);
/*
 * keyslot.c: after an unlock, note when slot id (0: the passphrase) was
 * last used, at most once a minute; best effort, never an error.
 */
void		 keyslot_touch(struct vault *v, int64_t id);
/* The key-slot rows a vault of before key slots has none of. */
#define KEYSLOT_META_GLOB	"slot.*"
#define KEY_WRAPPED_LEN	(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + 32 + \
			 crypto_aead_xchacha20poly1305_ietf_ABYTES)

/*
 * seal.c: bind a sealed value as parameter idx; NULL binds NULL.  The
 * associated data names table, column, row and owner (the user the row
 * belongs to; 0 for none).
 */
void		 seal_bind(struct vault *v, struct store_stmt *st, int idx,
		    const char *table, const char *column, int64_t row,
		    int64_t owner, const void *plain, size_t len);
/*
 * Open column col of the current row; *out is a new NUL-terminated buffer
 * of *len bytes from secret_alloc (free with secret_release), NULL when
 * the column is NULL.  RD_VAULT_CORRUPT when it does not open.  An owner
 * of SEAL_V1 opens a value sealed before owners were bound (migration).
 */
#define SEAL_V1	(-1)
enum rd_code	 seal_open_col(struct vault *v, struct store_stmt *st, int col,
		    const char *table, const char *column, int64_t row,
		    int64_t owner, uint8_t **out, size_t *len,
		    struct rd_err *err) RD_CHECK;
/* Keyed BLAKE2b of (domain, id, text). */
void		 seal_hash(const struct vault *v, const char *domain,
		    int64_t id, const char *text, uint8_t out[VAULT_HASH_LEN]);

/*
 * rowmac.c: a keyed MAC over the columns of a row that decide a login, so
 * an edit made without the key (a moved owner, a reset counter, a foreign
 * password hash) reads as vault_corrupt.  Fields go in as typed,
 * length-prefixed values; NULL differs from "" and from 0.
 */
struct rowmac {
	crypto_generichash_state	st;
};
void		 rowmac_init(const struct vault *v, struct rowmac *m,
		    const char *table);
/*
 * The same under the header's key; unkeyed, a plain checksum that only
 * tells an edited header from a mistyped passphrase before unlocking.
 */
void		 rowmac_init_header(const struct vault *v, struct rowmac *m,
		    bool keyed);
/* Column col of st as it is typed in the file (int, text, blob, NULL). */
void		 rowmac_col(struct rowmac *m, struct store_stmt *st, int col);
void		 rowmac_int(struct rowmac *m, int64_t x);
void		 rowmac_text(struct rowmac *m, const char *s);
void		 rowmac_blob(struct rowmac *m, const void *p, size_t n);
void		 rowmac_final(struct rowmac *m, uint8_t out[VAULT_HASH_LEN]);
/* Whether column col of st holds mac. */
bool		 rowmac_check(struct store_stmt *st, int col,
		    const uint8_t mac[VAULT_HASH_LEN]);
/* RD_VAULT_CORRUPT naming the row. */
enum rd_code	 rowmac_bad(const char *table, int64_t row,
		    struct rd_err *err) RD_CHECK;

void		 urow_clear(struct urow *r);

/*
 * txcache.c: the audit head and the last user row, kept for the length of
 * a write transaction (and the login token read last).  end: drop them
 * (commit, rollback, begin); savepoint and rollback_to keep and put back
 * the head.  user_get: a copy of the kept row when it is user id (name
 * NULL) or named name; user_put: keep r (stamp: its stamp, or the MAC it
 * was just written with); user_drop after any other write of users.
 * flush: write a changed head to the store (before commit, and before
 * anything reads the head from the store).
 */
void		 txcache_end(struct vault *v);
void		 txcache_savepoint(struct vault *v);
void		 txcache_rollback_to(struct vault *v);
bool		 txcache_user_get(struct vault *v, int64_t id,
		    const char *name, struct urow *r);
void		 txcache_user_put(struct vault *v, const struct urow *r,
		    const uint8_t *stamp);
void		 txcache_user_drop(struct vault *v);
/* The same for the login token of hash h (vault-code.c). */
bool		 txcache_token_get(struct vault *v, const uint8_t *h,
		    struct vault_token *t);
void		 txcache_token_put(struct vault *v, const uint8_t *h,
		    const struct vault_token *t);
void		 txcache_token_drop(struct vault *v);
enum rd_code	 txcache_flush(struct vault *v, struct rd_err *err) RD_CHECK;
enum rd_code	 urow_get(struct vault *v, int64_t id, struct urow *r,
		    struct rd_err *err) RD_CHECK;
/* The current row of st (USER_COLS) into r, its MAC and index checked. */
enum rd_code	 urow_read(struct vault *v, struct store_stmt *st, struct urow *r,
		    struct rd_err *err) RD_CHECK;
enum rd_code	 urow_put(struct vault *v, const struct urow *r,
		    struct rd_err *err) RD_CHECK;
void		 urow_mac(const struct vault *v, const struct urow *r,
		    uint8_t out[VAULT_HASH_LEN]);

/*
 * The MACs of the other rows (vault-method.c, vault-code.c), for the
 * files that write those rows and for the migration that adds them.
 */
void		 method_mac(const struct vault *v, const struct vault_method *m,
		    uint8_t out[VAULT_HASH_LEN]);
/* Write every column of m (which has its id) and its MAC. */
enum rd_code	 method_write(struct vault *v, const struct vault_method *m,
		    struct rd_err *err) RD_CHECK;
void		 code_mac(const struct vault *v, int64_t method_id,
		    const uint8_t *h, int64_t expires, int attempts,
		    uint8_t out[VAULT_HASH_LEN]);
void		 token_mac(const struct vault *v, const uint8_t *h,
		    int64_t user_id, int64_t expires, int used,
		    uint8_t out[VAULT_HASH_LEN]);

/* The digest of no methods: a user just added has none. */
void		 mset_empty(const struct vault *v, int64_t user_id,
		    uint8_t out[VAULT_HASH_LEN]);
/* The digest of user_id's method set as the table holds it now. */
enum rd_code	 mset_digest(struct vault *v, int64_t user_id,
		    uint8_t out[VAULT_HASH_LEN], struct rd_err *err) RD_CHECK;
/* Check the set against the user's row (before a change), or record it. */
enum rd_code	 mset_verify(struct vault *v, int64_t user_id,
		    struct rd_err *err) RD_CHECK;
enum rd_code	 mset_record(struct vault *v, int64_t user_id,
		    struct rd_err *err) RD_CHECK;

/*
 * userix.c: the blind index of e-mail and phone (columns email_ix and
 * phone_ix of users): a keyed hash of the normalised value, or NULL.
 */
#define USERIX_LEN	16
enum userix_field {
	USERIX_EMAIL,
	USERIX_PHONE,
};
void		 userix_hash(const struct vault *v, enum userix_field f,
		    const char *value, uint8_t out[USERIX_LEN]);
/* Bind the index of value (NULL binds NULL) as parameter idx. */
void		 userix_bind(const struct vault *v, struct store_stmt *st, int idx,
		    enum userix_field f, const char *value);
/* Whether column col of st is the index of value (NULL for NULL). */
bool		 userix_check(const struct vault *v, struct store_stmt *st, int col,
		    enum userix_field f, const char *value);

/* vault-log.c: the head tag of an empty chain, written at creation. */
enum rd_code	 vault_audit_start(struct vault *v, struct rd_err *err)
		    RD_CHECK;
/*
 * vault-log.c, for audit-verify.c: a length-prefixed field of a keyed hash;
 * a row's chain MAC over the previous one; the head tag over the row count
 * and the newest MAC; the head kept in meta (newest MAC, row count, and
 * the id the next row gets when next is not NULL); a row of a statement
 * whose columns are id, time, actor, user, action, outcome, detail.
 */
void		 audit_mac_field(crypto_generichash_state *st, const char *s);
void		 audit_mac(const struct vault *v,
		    const uint8_t prev[VAULT_HASH_LEN],
		    const struct vault_audit *a, uint8_t out[VAULT_HASH_LEN]);
void		 audit_head_tag(const struct vault *v, int64_t rows,
		    const uint8_t mac[VAULT_HASH_LEN], uint8_t out[VAULT_HASH_LEN]);
/*
 * Ask a shared store for the head early (vault_begin); a store_rc: the
 * first time it may wait for the transaction's lock.
 */
int		 audit_prefetch(struct vault *v);
enum rd_code	 audit_head(struct vault *v, uint8_t mac[VAULT_HASH_LEN],
		    int64_t *rows, int64_t *next, struct rd_err *err) RD_CHECK;
void		 audit_row(struct store_stmt *st, struct vault_audit *a);

/*
 * schema.c: bring the tables to the newest version.  *from is the version
 * the file had (0 for a new one).
 */
enum rd_code	 schema_migrate(struct vault *v, int *from, struct rd_err *err)
		    RD_CHECK;
/*
 * A new vault's first table, the header (a store that makes every table
 * at its newest at once, as PostgreSQL does, makes them all here).
 */
enum rd_code	 schema_header(struct vault *v, struct rd_err *err) RD_CHECK;
/* Every table at its newest in an empty store (a copy's target). */
enum rd_code	 schema_fresh(struct vault *v, struct rd_err *err) RD_CHECK;
/* migrate.c: the parts SQL cannot do (they need the keys). */
enum rd_code	 migrate_v2(struct vault *v, struct rd_err *err) RD_CHECK;
enum rd_code	 migrate_v3(struct vault *v, struct rd_err *err) RD_CHECK;
enum rd_code	 migrate_v6(struct vault *v, struct rd_err *err) RD_CHECK;
/*
 * backup-set.c: a user's backup code set, one row: the keyed hashes of its
 * codes, BACKUP_HASH_LEN bytes each, and a bit per code once spent.  Write
 * the set of user_id (n codes, n > 0) with its MAC under generation bset.
 */
#define BACKUP_HASH_LEN	16
#define BACKUP_MAX	100
enum rd_code	 backup_set_put(struct vault *v, int64_t user_id,
		    int64_t bset, const uint8_t *hashes, size_t n,
		    const uint8_t *used, struct rd_err *err) RD_CHECK;

/*
 * header.c: the meta table's rows (an integer in out, or a blob copied
 * into buf of size bytes, its length in *len), written by meta_put (p and
 * len for a blob, else the integer n); the header's checksum (before the
 * KDF) and its MAC under the master key, made or checked.
 */
enum rd_code	 meta_int(struct vault *v, const char *k, int64_t *out,
		    struct rd_err *err) RD_CHECK;
enum rd_code	 meta_blob(struct vault *v, const char *k, uint8_t *buf,
		    size_t size, size_t *len, struct rd_err *err) RD_CHECK;
enum rd_code	 meta_put(struct vault *v, const char *k, const void *p,
		    int len, int64_t n, struct rd_err *err) RD_CHECK;
/* What vault_open_with reads of the header before the KDF, at once. */
struct header_fields {
	int64_t		ops, mem, kdf, format;
	uint8_t		salt[crypto_pwhash_SALTBYTES];
	uint8_t		wrapped[KEY_WRAPPED_LEN];
	size_t		saltlen, wrappedlen;
};
enum rd_code	 header_read(struct vault *v, struct header_fields *h,
		    struct rd_err *err) RD_CHECK;
/* A row of the header if there is one (valid until the next meta call). */
enum rd_code	 meta_find(struct vault *v, const char *k,
		    struct store_val *val, bool *found, struct rd_err *err)
		    RD_CHECK;
enum rd_code	 meta_del(struct vault *v, const char *k, struct rd_err *err)
		    RD_CHECK;
/* A header value into a MAC, as rowmac_col takes a column. */
void		 rowmac_val(struct rowmac *m, const struct store_val *val);
enum rd_code	 header_sum_check(struct vault *v, struct rd_err *err)
		    RD_CHECK;
enum rd_code	 header_check(struct vault *v, struct rd_err *err) RD_CHECK;
enum rd_code	 header_seal(struct vault *v, struct rd_err *err) RD_CHECK;

#endif
