/*
 * vault-code.c: what is kept only as keyed hashes or counts: channel
 * codes, backup codes, ephemeral tokens, and failed-attempt locks.
 *
 * A backup code is consumed by one conditional UPDATE on its (user, hash)
 * primary key, so a check costs one hash and one index probe, and two
 * processes can never both spend the same code.  A token is marked used
 * the same way.
 */
#include <string.h>

#include "../src/util.h"
#include "vault-int.h"

enum rd_code
vault_code_put(struct vault *v, int64_t method_id, const char *code,
    int64_t expires, int attempts, struct rd_err *err)
{
	static const char	 sql[] = "INSERT OR REPLACE INTO pending_codes"
	    " (method_id, hash, expires, attempts) VALUES (?, ?, ?, ?)";
	sqlite3_stmt		*st;
	uint8_t			 h[VAULT_HASH_LEN];

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	seal_hash(v, "code", method_id, code, h);
	sqlite3_bind_int64(st, 1, method_id);
	sqlite3_bind_blob(st, 2, h, sizeof h, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, expires);
	sqlite3_bind_int(st, 4, attempts);
	return vault_exec_stmt(v, st, "storing a code", err);
}

enum rd_code
vault_code_check(struct vault *v, int64_t method_id, const char *code,
    struct vault_code_check *out, struct rd_err *err)
{
	static const char	 sql[] = "SELECT hash, expires, attempts FROM"
	    " pending_codes WHERE method_id = ?";
	sqlite3_stmt		*st;
	uint8_t			 h[VAULT_HASH_LEN];
	int			 rc;

	memset(out, 0, sizeof *out);
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, method_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		seal_hash(v, "code", method_id, code, h);
		out->present = true;
		out->match = sqlite3_column_bytes(st, 0) == VAULT_HASH_LEN &&
		    sodium_memcmp(sqlite3_column_blob(st, 0), h,
		    VAULT_HASH_LEN) == 0;
		out->expires = sqlite3_column_int64(st, 1);
		out->attempts = sqlite3_column_int(st, 2);
	}
	vault_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return vault_sqlerr(v, rc, "reading a code", err);
	return RD_OK;
}

enum rd_code
vault_code_fail(struct vault *v, int64_t method_id, struct rd_err *err)
{
	static const char	 upd[] = "UPDATE pending_codes SET attempts ="
	    " attempts - 1 WHERE method_id = ?";
	static const char	 del[] = "DELETE FROM pending_codes WHERE"
	    " method_id = ? AND attempts <= 0";
	sqlite3_stmt		*st;
	enum rd_code		 r;

	if ((st = vault_stmt(v, upd, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, method_id);
	if ((r = vault_exec_stmt(v, st, "counting a wrong code", err)) != RD_OK)
		return r;
	if ((st = vault_stmt(v, del, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, method_id);
	return vault_exec_stmt(v, st, "dropping a code", err);
}

enum rd_code
vault_code_drop(struct vault *v, int64_t method_id, struct rd_err *err)
{
	static const char	 sql[] =
	    "DELETE FROM pending_codes WHERE method_id = ?";
	sqlite3_stmt		*st;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, method_id);
	return vault_exec_stmt(v, st, "dropping a code", err);
}

enum rd_code
vault_backup_set(struct vault *v, int64_t user_id, char *const *codes,
    size_t n, struct rd_err *err)
{
	static const char	 del[] =
	    "DELETE FROM backup_codes WHERE user_id = ?";
	static const char	 ins[] = "INSERT OR IGNORE INTO backup_codes"
	    " (user_id, hash) VALUES (?, ?)";
	sqlite3_stmt		*st;
	uint8_t			 h[VAULT_HASH_LEN];
	enum rd_code		 r;
	size_t			 i;

	if ((st = vault_stmt(v, del, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, user_id);
	if ((r = vault_exec_stmt(v, st, "dropping backup codes", err)) != RD_OK)
		return r;
	if ((st = vault_stmt(v, ins, err)) == NULL)
		return err->code;
	for (i = 0; i < n; i++) {
		seal_hash(v, "backup", user_id, codes[i], h);
		sqlite3_bind_int64(st, 1, user_id);
		sqlite3_bind_blob(st, 2, h, sizeof h, SQLITE_TRANSIENT);
		if ((r = vault_exec_stmt(v, st, "storing backup codes",
		    err)) != RD_OK)
			return r;
	}
	return RD_OK;
}

enum rd_code
vault_backup_use(struct vault *v, int64_t user_id, const char *code,
    int64_t now, struct rd_err *err)
{
	static const char	 sql[] = "UPDATE backup_codes SET used_at = ?"
	    " WHERE user_id = ? AND hash = ? AND used_at IS NULL";
	sqlite3_stmt		*st;
	uint8_t			 h[VAULT_HASH_LEN];
	enum rd_code		 r;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	seal_hash(v, "backup", user_id, code, h);
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_blob(st, 3, h, sizeof h, SQLITE_TRANSIENT);
	if ((r = vault_exec_stmt(v, st, "using a backup code", err)) != RD_OK)
		return r;
	if (sqlite3_changes(v->db) != 1)
		return rd_err_set(err, RD_INVALID_CODE, "not a valid backup "
		    "code (or already used)");
	return RD_OK;
}

enum rd_code
vault_backup_left(struct vault *v, int64_t user_id, int *left,
    struct rd_err *err)
{
	static const char	 sql[] = "SELECT count(*) FROM backup_codes"
	    " WHERE user_id = ? AND used_at IS NULL";
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, user_id);
	rc = sqlite3_step(st);
	*left = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	vault_done(st);
	if (rc != SQLITE_ROW)
		return vault_sqlerr(v, rc, "counting backup codes", err);
	return RD_OK;
}

enum rd_code
vault_token_put(struct vault *v, const char *token, int64_t user_id,
    int64_t expires, int64_t now, struct rd_err *err)
{
	static const char	 gc[] = "DELETE FROM tokens WHERE expires < ?";
	static const char	 ins[] = "INSERT INTO tokens (hash, user_id,"
	    " expires) VALUES (?, ?, ?)";
	sqlite3_stmt		*st;
	uint8_t			 h[VAULT_HASH_LEN];
	enum rd_code		 r;

	/* Expired tokens are worthless; drop them as new ones come. */
	if ((st = vault_stmt(v, gc, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, now);
	if ((r = vault_exec_stmt(v, st, "dropping old tokens", err)) != RD_OK)
		return r;
	if ((st = vault_stmt(v, ins, err)) == NULL)
		return err->code;
	seal_hash(v, "token", 0, token, h);
	sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, expires);
	return vault_exec_stmt(v, st, "storing a token", err);
}

enum rd_code
vault_token_get(struct vault *v, const char *token, struct vault_token *out,
    struct rd_err *err)
{
	static const char	 sql[] = "SELECT user_id, expires, used FROM"
	    " tokens WHERE hash = ?";
	sqlite3_stmt		*st;
	uint8_t			 h[VAULT_HASH_LEN];
	int			 rc;

	memset(out, 0, sizeof *out);
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	seal_hash(v, "token", 0, token, h);
	sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->user_id = sqlite3_column_int64(st, 0);
		out->expires = sqlite3_column_int64(st, 1);
		out->used = sqlite3_column_int(st, 2) != 0;
	}
	vault_done(st);
	if (rc == SQLITE_DONE)
		return rd_err_set(err, RD_EXPIRED, "login token is unknown or "
		    "expired; log in again");
	if (rc != SQLITE_ROW)
		return vault_sqlerr(v, rc, "reading a token", err);
	return RD_OK;
}

enum rd_code
vault_token_use(struct vault *v, const char *token, struct rd_err *err)
{
	static const char	 sql[] = "UPDATE tokens SET used = 1 WHERE"
	    " hash = ? AND used = 0";
	sqlite3_stmt		*st;
	uint8_t			 h[VAULT_HASH_LEN];
	enum rd_code		 r;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	seal_hash(v, "token", 0, token, h);
	sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
	if ((r = vault_exec_stmt(v, st, "using a token", err)) != RD_OK)
		return r;
	if (sqlite3_changes(v->db) != 1)
		return rd_err_set(err, RD_BAD_STATE, "login token was already "
		    "used; log in again");
	return RD_OK;
}

enum rd_code
vault_lock_get(struct vault *v, int64_t user_id, struct vault_lock *out,
    struct rd_err *err)
{
	static const char	 sql[] = "SELECT failures, locked_until,"
	    " lock_count FROM lockouts WHERE user_id = ?";
	sqlite3_stmt		*st;
	int			 rc;

	memset(out, 0, sizeof *out);
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, user_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->failures = sqlite3_column_int(st, 0);
		out->locked_until = sqlite3_column_int64(st, 1);
		out->lock_count = sqlite3_column_int(st, 2);
	}
	vault_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return vault_sqlerr(v, rc, "reading a lock", err);
	return RD_OK;
}

enum rd_code
vault_lock_put(struct vault *v, int64_t user_id, const struct vault_lock *lk,
    struct rd_err *err)
{
	static const char	 put[] = "INSERT OR REPLACE INTO lockouts"
	    " (user_id, failures, locked_until, lock_count) VALUES (?,?,?,?)";
	static const char	 del[] = "DELETE FROM lockouts WHERE user_id = ?";
	sqlite3_stmt		*st;
	bool			 empty = lk->failures == 0 &&
				    lk->locked_until == 0 && lk->lock_count == 0;

	if ((st = vault_stmt(v, empty ? del : put, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, user_id);
	if (!empty) {
		sqlite3_bind_int(st, 2, lk->failures);
		sqlite3_bind_int64(st, 3, lk->locked_until);
		sqlite3_bind_int(st, 4, lk->lock_count);
	}
	return vault_exec_stmt(v, st, "writing a lock", err);
}
