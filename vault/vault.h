/*
 * vault.h: the encrypted store, one SQLite file (DESIGN.md §4).
 *
 * Only vault/ opens SQLite and touches key material.  A passphrase unlocks
 * (Argon2id) a key-encryption key that opens the random master key; from it
 * come subkeys for sealing fields (XChaCha20-Poly1305 with table, column and
 * row id as associated data), for keyed BLAKE2b hashes of codes and tokens,
 * and for the audit chain.  Callers hand in and get back plaintext; what is
 * sealed or hashed is this layer's business.
 *
 * Writes happen between vault_begin() and vault_commit(); the core opens one
 * transaction per flow step, and vault_rollback() undoes everything of a
 * failed step.  Strings and buffers returned in structs belong to the
 * struct; the matching _clear function wipes and frees them.
 */
#ifndef RD_VAULT_H
#define RD_VAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../src/err.h"

struct vault;
struct vault_audit;

enum vault_kdf {
	VAULT_KDF_TEST,		/* minimum cost: test suites only */
	VAULT_KDF_INTERACTIVE,
	VAULT_KDF_MODERATE,
	VAULT_KDF_SENSITIVE,
};

#define VAULT_NAME_MAX	128	/* bytes of a username */
#define VAULT_METHOD_MAX 64	/* bytes of a method name */
#define VAULT_PWHASH_MAX 128	/* a password hash string, with its NUL */

enum vault_state {
	VAULT_PENDING = 1,
	VAULT_ACTIVE = 2,
};

/* Open an existing vault; RD_VAULT_MISSING, RD_BAD_PASSPHRASE, ... */
enum rd_code	vault_open(const char *path, const char *pass, size_t passlen,
		    struct vault **out, struct rd_err *err) RD_CHECK;
/*
 * Make a new vault (mode 0600); RD_EXISTS when path is there already.
 * first (may be NULL) is the first row of its audit log.
 */
enum rd_code	vault_create(const char *path, const char *pass, size_t passlen,
		    enum vault_kdf kdf, const struct vault_audit *first,
		    struct vault **out, struct rd_err *err) RD_CHECK;
/*
 * Sessions (sesskey.c): the master key sealed under a random session key
 * (XChaCha20-Poly1305), with the session's times inside, so a token
 * opens the vault without Argon2id.  The associated data is the caller's
 * ad (which session, which vault) and a hash of the vault's wrapped key:
 * a new passphrase rewraps it, which ends every session of the vault.
 */
struct vault_session {
	int64_t	created;	/* when unlocked */
	int64_t	used;		/* last use, for the idle limit */
	int64_t	idle;		/* seconds */
	int64_t	max;		/* seconds from created */
};
#define VAULT_SESSION_BLOB_LEN	(24 + 32 + 4 * 8 + 16)
/* Seal v's master key and t into blob (VAULT_SESSION_BLOB_LEN bytes). */
enum rd_code	vault_session_seal(struct vault *v, const uint8_t key[32],
		    const uint8_t *ad, size_t adlen,
		    const struct vault_session *t, uint8_t *blob,
		    struct rd_err *err) RD_CHECK;
/*
 * Open path with a session's blob instead of a passphrase; *t gets the
 * times sealed in it (the caller judges them).  RD_BAD_PASSPHRASE when
 * the key, the vault or the passphrase's epoch does not match.
 */
enum rd_code	vault_open_session(const char *path, const uint8_t key[32],
		    const uint8_t *ad, size_t adlen, const uint8_t *blob,
		    size_t bloblen, struct vault_session *t,
		    struct vault **out, struct rd_err *err) RD_CHECK;
/*
 * Key slots (keyslot.c).  Open path with a key file instead of the
 * passphrase: RD_BAD_PASSPHRASE names why a file is refused (not ours,
 * readable by others, not a key file, a slot removed).
 */
enum rd_code	vault_open_keyfile(const char *path, const char *keyfile,
		    struct vault **out, struct rd_err *err) RD_CHECK;
struct vault_slot {
	int64_t	id;		/* 0: the passphrase */
	bool	passphrase;
	int64_t	created;	/* 0: not known (a vault of before slots) */
	int64_t	used;		/* 0: never; kept to the minute */
};
/*
 * A new slot and its key file at keyfile (new, 0400; RD_EXISTS when there
 * already), inside the caller's transaction; *id is its number.
 */
enum rd_code	vault_slot_add(struct vault *v, const char *keyfile,
		    int64_t now, int64_t *id, struct rd_err *err) RD_CHECK;
/* RD_NOT_FOUND; slot 0 (the passphrase) is RD_NOT_ALLOWED. */
enum rd_code	vault_slot_remove(struct vault *v, int64_t id,
		    struct rd_err *err) RD_CHECK;
/* Every slot, the passphrase first; *out is the caller's (free()). */
enum rd_code	vault_slot_list(struct vault *v, struct vault_slot **out,
		    size_t *n, struct rd_err *err) RD_CHECK;
/*
 * Backups (backup.c).  vault_backup: a consistent copy of the open vault
 * at path, which must not exist (RD_EXISTS): made with SQLite's online
 * backup API in one read transaction, so other processes may write
 * meanwhile; mode 0600, synced, and linked to its name only when whole.
 * It opens with the same passphrase (or key files) as the vault.
 */
enum rd_code	vault_backup(struct vault *v, const char *path,
		    struct rd_err *err) RD_CHECK;
/*
 * Put the vault in the file from back at to.  from must open with pass
 * and its audit chain verify, checked on a working copy beside to, so a
 * refused file and the vault at to are left as they were; row is added
 * to the restored vault's log.  A vault at to is refused (RD_EXISTS)
 * unless force; it is then replaced in one SQLite transaction, so a kill
 * leaves the old vault or the new one.  *replaced says whether there was
 * one.  The vault is not open here: the caller has no connection to to.
 */
enum rd_code	vault_restore(const char *from, const char *to,
		    const char *pass, size_t passlen, bool force,
		    const struct vault_audit *row, bool *replaced,
		    struct rd_err *err) RD_CHECK;
/* Close and wipe every key; NULL is fine. */
void		vault_close(struct vault *v);
/*
 * Wrap the master key under a new passphrase; nothing else changes.
 * Inside the caller's transaction.
 */
enum rd_code	vault_rekey(struct vault *v, const char *pass, size_t passlen,
		    struct rd_err *err) RD_CHECK;
bool		vault_kdf_parse(const char *name, enum vault_kdf *out);
enum vault_kdf	vault_kdf(const struct vault *v);
/*
 * A number that changes when another connection (another process) has
 * committed to the file since the last call; this connection's own writes
 * leave it as it was.  Outside transactions too.
 */
/* Whether where names a database (PostgreSQL) rather than a vault file. */
bool		vault_is_db(const char *where);
/* where as it may be shown: a password in it becomes ***.  Caller frees. */
char		*vault_where_shown(const char *where);
/*
 * Whether a vault is there: a file that exists, or a database that holds
 * the vault's tables (asking it).  RD_VAULT_MISSING when not.
 */
enum rd_code	vault_exists(const char *where, struct rd_err *err) RD_CHECK;
/*
 * Copy the whole vault into another store at where (a new file, or an
 * empty PostgreSQL database): rows, ids, header, key slots and audit chain
 * as they are, checked with the key before the copy commits (copy.c).
 */
enum rd_code	vault_copy(struct vault *v, const char *where,
		    struct rd_err *err) RD_CHECK;
enum rd_code	vault_data_version(struct vault *v, int64_t *out,
		    struct rd_err *err) RD_CHECK;
/*
 * A descriptor that turns readable when another connection commits (a
 * shared store), or -1: then poll vault_data_version instead.
 */
int		vault_watch_fd(struct vault *v);

enum rd_code	vault_begin(struct vault *v, struct rd_err *err) RD_CHECK;
enum rd_code	vault_commit(struct vault *v, struct rd_err *err) RD_CHECK;
void		vault_rollback(struct vault *v);
/*
 * Inside a transaction, one step that can be undone alone: after
 * vault_savepoint, vault_release keeps what the step wrote and
 * vault_rollback_to undoes it; the transaction goes on either way.
 */
enum rd_code	vault_savepoint(struct vault *v, struct rd_err *err) RD_CHECK;
enum rd_code	vault_release(struct vault *v, struct rd_err *err) RD_CHECK;
enum rd_code	vault_rollback_to(struct vault *v, struct rd_err *err)
		    RD_CHECK;
/* Whether a transaction is open (SQLite may end one on a hard error). */
bool		vault_in_transaction(const struct vault *v);
/*
 * Whether the last failure was a serialization conflict with another
 * connection (a shared store): the step wrote nothing and may run again.
 */
bool		vault_conflicted(const struct vault *v);

/* Users. */
struct vault_user {
	int64_t	 id;
	char	 name[VAULT_NAME_MAX + 1];
	char	*email;		/* NULL when none */
	char	*phone;		/* NULL when none */
	bool	 active;
	bool	 has_password;
	int64_t	 created;
	uint8_t	 stamp[16];	/* changes with every write of the row */
};
void		vault_user_clear(struct vault_user *u);
/* Sets u->id; RD_EXISTS. */
enum rd_code	vault_user_add(struct vault *v, struct vault_user *u,
		    struct rd_err *err) RD_CHECK;
enum rd_code	vault_user_get(struct vault *v, const char *name,
		    struct vault_user *out, struct rd_err *err) RD_CHECK;
enum rd_code	vault_user_get_id(struct vault *v, int64_t id,
		    struct vault_user *out, struct rd_err *err) RD_CHECK;
/*
 * Give user id the name `name`: RD_EXISTS when another user has it.
 * Nothing else of the user changes; what is bound to the user (sealed
 * fields, methods, codes, tokens) is bound to the id, not the name.
 */
enum rd_code	vault_user_rename(struct vault *v, int64_t id, const char *name,
		    struct rd_err *err) RD_CHECK;
/* Write email, phone and active of u (by u->id). */
enum rd_code	vault_user_update(struct vault *v, const struct vault_user *u,
		    struct rd_err *err) RD_CHECK;
/* The same at the interactive cost (for the bench and tests). */
enum rd_code	vault_user_set_password(struct vault *v, int64_t id,
		    const char *pw, size_t len, struct rd_err *err) RD_CHECK;
/*
 * The same in two parts, so that the slow hashing needs no transaction:
 * a hash of pw at kdf's limits (password_kdf; on a vault made with the
 * test KDF always the test limits), and storing it.  The vault's own KDF
 * is apart: it guards the master key, not logins.
 */
enum rd_code	vault_password_hash(struct vault *v, enum vault_kdf kdf,
		    const char *pw, size_t len, char hash[VAULT_PWHASH_MAX],
		    struct rd_err *err) RD_CHECK;
enum rd_code	vault_user_set_pwhash(struct vault *v, int64_t id,
		    const char *hash, struct rd_err *err) RD_CHECK;
/*
 * RD_OK or RD_BAD_CREDENTIALS (also when the user has no password, after
 * the same work at kdf's limits).  A stored hash is checked at the limits
 * it was made with; *rehash (may be NULL) is set when the password was
 * right and those limits are not kdf's, so the caller may store a new
 * hash of it.
 */
enum rd_code	vault_user_verify_password(struct vault *v, int64_t id,
		    const char *pw, size_t len, enum vault_kdf kdf,
		    bool *rehash, struct rd_err *err) RD_CHECK;
/* The same at the interactive cost, without the rehash answer. */
enum rd_code	vault_user_check_password(struct vault *v, int64_t id,
		    const char *pw, size_t len, struct rd_err *err) RD_CHECK;
enum rd_code	vault_user_del(struct vault *v, int64_t id, struct rd_err *err)
		    RD_CHECK;
/*
 * Names in order, those starting with prefix (may be NULL) and after
 * `after` (may be NULL), at most limit; fn is called for each.
 */
enum rd_code	vault_user_list(struct vault *v, const char *prefix,
		    const char *after, int limit,
		    void (*fn)(void *arg, const char *name, bool active),
		    void *arg, struct rd_err *err) RD_CHECK;
/*
 * The page that ends just before `before` (NULL or "": the last page), in
 * order: paging backwards costs what paging forwards does.
 */
enum rd_code	vault_user_list_before(struct vault *v, const char *prefix,
		    const char *before, int limit,
		    void (*fn)(void *arg, const char *name, bool active),
		    void *arg, struct rd_err *err) RD_CHECK;
/*
 * Users whose e-mail address or phone number is exactly text, through the
 * keyed index (no scan): an e-mail in any case with white space around it,
 * a phone number in E.164 or a written form of it ("+48 500-000-000").
 * Text with an @ is looked up as an e-mail, text of a + and digits as a
 * phone number, anything else finds nobody.  At most limit, in name order;
 * fn gets each with by = "email" or "phone".  Each one is checked against
 * its real value: an index changed outside redoubt reads vault_corrupt.
 */
enum rd_code	vault_user_find(struct vault *v, const char *text, int limit,
		    void (*fn)(void *arg, const char *name, bool active,
		    const char *by),
		    void *arg, struct rd_err *err) RD_CHECK;
/*
 * For loading many users at once (the bench): the SQL indexes of the
 * e-mail and phone columns dropped (on = false) and made again (true) in
 * one sorted pass, rather than kept up by a random insert per user.  Only
 * inside the caller's transaction, so no vault is ever left without them;
 * a search in between still works, by a scan.
 */
enum rd_code	vault_user_index(struct vault *v, bool on, struct rd_err *err)
		    RD_CHECK;
enum rd_code	vault_user_count(struct vault *v, int64_t *n, struct rd_err *err)
		    RD_CHECK;

/* Methods of a user. */
struct vault_method {
	int64_t	 id;		/* 0 for a new one */
	int64_t	 user_id;
	char	 name[VAULT_METHOD_MAX + 1];
	char	 handler[33];
	int	 state;		/* enum vault_state */
	bool	 primary;
	uint8_t	*secret;	/* sealed at rest; NULL when none */
	size_t	 secret_len;
	int64_t	 counter;	/* last TOTP step, next HOTP counter, device counter */
	char	*request_id;	/* provider's verification id, sealed at rest */
	int64_t	 last_sent;	/* time of the last code sent, for the cooldown */
	int64_t	 created;
	int64_t	 last_used;	/* time a code of it was last accepted; 0: never */
	/*
	 * The token's own facts (serial, and for an app its algorithm,
	 * digits and period when they differ from the method's keys), as
	 * "key=value" lines; sealed at rest; NULL when none.  Set by token
	 * import (src/token.c reads and writes the lines).
	 */
	char	*params;
};
void		vault_method_clear(struct vault_method *m);
/* Insert (m->id == 0, then set) or update every field. */
enum rd_code	vault_method_put(struct vault *v, struct vault_method *m,
		    struct rd_err *err) RD_CHECK;
enum rd_code	vault_method_get(struct vault *v, int64_t user_id,
		    const char *name, struct vault_method *out,
		    struct rd_err *err) RD_CHECK;
/* All methods of a user, in order of creation; free with _list_free. */
enum rd_code	vault_method_list(struct vault *v, int64_t user_id,
		    struct vault_method **out, size_t *n, struct rd_err *err)
		    RD_CHECK;
void		vault_method_list_free(struct vault_method *list, size_t n);
enum rd_code	vault_method_del(struct vault *v, int64_t id,
		    struct rd_err *err) RD_CHECK;
/* Make method_id the only primary of its user. */
enum rd_code	vault_method_set_primary(struct vault *v, int64_t user_id,
		    int64_t method_id, struct rd_err *err) RD_CHECK;
/*
 * Store counter in m (read in this step) only when it is greater than the
 * stored one, in one conditional statement, so that two processes cannot
 * both accept the same code: RD_OK (m->counter moves on), or
 * RD_INVALID_CODE when it was not greater (a replay).
 */
enum rd_code	vault_method_advance(struct vault *v, struct vault_method *m,
		    int64_t counter, struct rd_err *err) RD_CHECK;

/* Channel codes (one live code per method). */
struct vault_code_check {
	bool	present;	/* a code is pending */
	bool	match;		/* and it is this one */
	int64_t	expires;
	int	attempts;	/* left */
};
enum rd_code	vault_code_put(struct vault *v, int64_t method_id,
		    const char *code, int64_t expires, int attempts,
		    struct rd_err *err) RD_CHECK;
enum rd_code	vault_code_check(struct vault *v, int64_t method_id,
		    const char *code, struct vault_code_check *out,
		    struct rd_err *err) RD_CHECK;
/* One wrong try: attempts - 1, and the code dies at 0. */
enum rd_code	vault_code_fail(struct vault *v, int64_t method_id,
		    struct rd_err *err) RD_CHECK;
enum rd_code	vault_code_drop(struct vault *v, int64_t method_id,
		    struct rd_err *err) RD_CHECK;

/* Backup codes of a user. */
enum rd_code	vault_backup_set(struct vault *v, int64_t user_id,
		    char *const *codes, size_t n, struct rd_err *err) RD_CHECK;
/*
 * Consume one, atomically: RD_OK or RD_INVALID_CODE; *spent tells a code
 * of the user's set that was used before from one that is none.
 */
enum rd_code	vault_backup_use(struct vault *v, int64_t user_id,
		    const char *code, int64_t now, bool *spent,
		    struct rd_err *err) RD_CHECK;
enum rd_code	vault_backup_left(struct vault *v, int64_t user_id, int *left,
		    struct rd_err *err) RD_CHECK;

/* Ephemeral login tokens. */
struct vault_token {
	int64_t	user_id;
	int64_t	expires;
	bool	used;
};
enum rd_code	vault_token_put(struct vault *v, const char *token,
		    int64_t user_id, int64_t expires, int64_t now,
		    struct rd_err *err) RD_CHECK;
enum rd_code	vault_token_get(struct vault *v, const char *token,
		    struct vault_token *out, struct rd_err *err) RD_CHECK;
/* Mark used, atomically: RD_OK, or RD_BAD_STATE when it already was. */
enum rd_code	vault_token_use(struct vault *v, const char *token,
		    struct rd_err *err) RD_CHECK;

/* Failed attempts and locks. */
struct vault_lock {
	int	failures;
	int64_t	locked_until;
	int	lock_count;
};
enum rd_code	vault_lock_get(struct vault *v, int64_t user_id,
		    struct vault_lock *out, struct rd_err *err) RD_CHECK;
enum rd_code	vault_lock_put(struct vault *v, int64_t user_id,
		    const struct vault_lock *lk, struct rd_err *err) RD_CHECK;
/*
 * The same for a name that is no user, counted under its keyed hash so an
 * unknown name is locked out like a known one.  The table keeps at most
 * VAULT_GHOSTS names; the oldest quiet ones go first.
 */
#define VAULT_GHOSTS	10000
enum rd_code	vault_ghost_get(struct vault *v, const char *name,
		    struct vault_lock *out, struct rd_err *err) RD_CHECK;
enum rd_code	vault_ghost_put(struct vault *v, const char *name,
		    const struct vault_lock *lk, int64_t now,
		    struct rd_err *err) RD_CHECK;

/* The outbox: messages of the outbox handler, sealed. */
struct vault_message {
	int64_t	 id;
	char	 method[VAULT_METHOD_MAX + 1];
	char	*to;
	char	*body;
	int64_t	 sent_at;
};
void		vault_message_clear(struct vault_message *m);
enum rd_code	vault_outbox_add(struct vault *v, const char *method,
		    const char *to, const char *body, int64_t now,
		    int64_t *id, struct rd_err *err) RD_CHECK;
enum rd_code	vault_outbox_list(struct vault *v,
		    void (*fn)(void *arg, const struct vault_message *m),
		    void *arg, struct rd_err *err) RD_CHECK;
enum rd_code	vault_outbox_get(struct vault *v, int64_t id,
		    struct vault_message *out, struct rd_err *err) RD_CHECK;
enum rd_code	vault_outbox_clear(struct vault *v, struct rd_err *err)
		    RD_CHECK;

/* The audit log, a MAC chain. */
struct vault_audit {
	int64_t		 id;
	int64_t		 time;
	const char	*actor;
	const char	*user;		/* may be NULL */
	const char	*action;
	const char	*outcome;
	const char	*detail;	/* may be NULL */
};
enum rd_code	vault_audit_add(struct vault *v, const struct vault_audit *a,
		    struct rd_err *err) RD_CHECK;
/* Which rows vault_audit_list reads; the filters combine (AND). */
struct vault_audit_filter {
	const char	*user;		/* exactly this user; NULL: any */
	const char	*action;	/* exactly this action; NULL: any */
	int64_t		 since;		/* time at or after; 0: any */
	int		 limit;		/* the newest N that match; 0: all */
};
/* The rows that pass f (NULL: every row), oldest first. */
enum rd_code	vault_audit_list(struct vault *v,
		    const struct vault_audit_filter *f,
		    void (*fn)(void *arg, const struct vault_audit *a),
		    void *arg, struct rd_err *err) RD_CHECK;
/*
 * A full walk that seals nothing.
 * *bad = id of the first row whose MAC fails (0 when none); *rows = count.
 * With head (a digest from vault_audit_head), *extends says whether the
 * chain still passes through it: false after a cut or a rollback.
 */
enum rd_code	vault_audit_verify(struct vault *v, const char *head,
		    int64_t *bad, int64_t *rows, bool *extends,
		    struct rd_err *err) RD_CHECK;
/* What vault_audit_check found. */
struct vault_verify {
	int64_t		rows;		/* rows in the log */
	int64_t		checked;	/* rows whose MAC was computed now */
	int64_t		from;		/* rows taken from the sealed head */
	int64_t		bad;		/* the first row that fails; 0: none */
	bool		extends;	/* passes through head (true: none) */
	bool		head_bad;	/* the sealed head fails its tag */
	bool		head_stale;	/* the file no longer matches it */
};
/*
 * The chain from the verified head sealed in the vault (from the first
 * row when full, when there is none or when it does not hold), head as
 * for vault_audit_verify; a good check seals the new head, so the caller
 * holds a write transaction.  The log is sound only when bad is 0,
 * extends is true and neither head_bad nor head_stale is set.
 */
enum rd_code	vault_audit_check(struct vault *v, const char *head, bool full,
		    struct vault_verify *out, struct rd_err *err) RD_CHECK;
/*
 * A short digest of the chain's head, "ROWS-HEX", to record outside the
 * vault: only a vault whose log extends it passes verify --head.  No local
 * check can catch a rollback of the whole file; this one can.
 */
#define VAULT_HEAD_MAX	64
enum rd_code	vault_audit_head(struct vault *v, char out[VAULT_HEAD_MAX],
		    int64_t *rows, struct rd_err *err) RD_CHECK;

#endif
