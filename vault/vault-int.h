/*
 * vault-int.h: what the files of vault/ share and nobody else sees: the
 * struct vault, the statement cache, SQLite error mapping, sealing and
 * keyed hashing.
 */
#ifndef RD_VAULT_INT_H
#define RD_VAULT_INT_H

#include <sqlite3.h>
#include <sodium.h>

#include "vault.h"

#define VAULT_STMT_MAX	96
#define VAULT_HASH_LEN	32
#define VAULT_FORMAT	1	/* PRAGMA user_version of the newest schema */

/* Key material, in one sodium_malloc block (guard pages, wiped on free). */
struct vault_keys {
	uint8_t	master[32];
	uint8_t	seal[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	uint8_t	hash[crypto_generichash_KEYBYTES];
	uint8_t	audit[crypto_generichash_KEYBYTES];
};

struct vault {
	sqlite3			*db;
	char			*path;
	struct vault_keys	*keys;
	unsigned long long	 opslimit;	/* Argon2id cost, also for passwords */
	size_t			 memlimit;
	enum vault_kdf		 kdf;
	struct {
		const char	*sql;
		sqlite3_stmt	*stmt;
	}			 stmts[VAULT_STMT_MAX];
	int			 nstmts;
};

/* A ready statement for sql (a string literal: cached by its address). */
sqlite3_stmt	*vault_stmt(struct vault *v, const char *sql,
		    struct rd_err *err);
/* Reset a statement for the next use. */
void		 vault_done(sqlite3_stmt *st);
/* Turn a SQLite result into an rd_code with a message naming what. */
enum rd_code	 vault_sqlerr(struct vault *v, int rc, const char *what,
		    struct rd_err *err) RD_CHECK;
/* Run a statement that returns no rows. */
enum rd_code	 vault_exec_stmt(struct vault *v, sqlite3_stmt *st,
		    const char *what, struct rd_err *err) RD_CHECK;

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
void		 key_derive(struct vault_keys *k);
#define KEY_WRAPPED_LEN	(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + 32 + \
			 crypto_aead_xchacha20poly1305_ietf_ABYTES)

/* seal.c: bind a sealed value as parameter idx; NULL binds NULL. */
int		 seal_bind(struct vault *v, sqlite3_stmt *st, int idx,
		    const char *table, const char *column, int64_t row,
		    const void *plain, size_t len);
/*
 * Open column col of the current row; *out is a new NUL-terminated buffer
 * of *len bytes (free with secret_free_bytes(*out, *len + 1)), NULL when
 * the column is NULL.  RD_VAULT_CORRUPT when it does not open.
 */
enum rd_code	 seal_open_col(struct vault *v, sqlite3_stmt *st, int col,
		    const char *table, const char *column, int64_t row,
		    uint8_t **out, size_t *len, struct rd_err *err) RD_CHECK;
/* Keyed BLAKE2b of (domain, id, text). */
void		 seal_hash(const struct vault *v, const char *domain,
		    int64_t id, const char *text, uint8_t out[VAULT_HASH_LEN]);

/* vault-log.c: the head tag of an empty chain, written at creation. */
enum rd_code	 vault_audit_start(struct vault *v, struct rd_err *err)
		    RD_CHECK;

/* schema.c */
enum rd_code	 schema_migrate(struct vault *v, struct rd_err *err) RD_CHECK;

#endif
