/*
 * vault-code.c: what is kept only as keyed hashes: channel codes, backup
 * codes (backup-set.c) and ephemeral tokens.
 *
 * Each row carries a MAC over what decides a login (expiry, attempts
 * left, used flags), checked on every read, so a reset made without the
 * key reads as vault_corrupt.  A token is marked used by one conditional
 * UPDATE, so two processes can never both use it.
 */
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "vault-int.h"

void
code_mac(const struct vault *v, int64_t method_id, const uint8_t *h,
    int64_t expires, int attempts, uint8_t out[VAULT_HASH_LEN])
{
	struct rowmac	m;

	rowmac_init(v, &m, "pending_codes");
	rowmac_int(&m, method_id);
	rowmac_blob(&m, h, VAULT_HASH_LEN);
	rowmac_int(&m, expires);
	rowmac_int(&m, attempts);
	rowmac_final(&m, out);
}

enum rd_code
vault_code_put(struct vault *v, int64_t method_id, const char *code,
    int64_t expires, int attempts, struct rd_err *err)
{
	static const char	 sql[] = "INSERT INTO pending_codes"
	    " (method_id, hash, expires, attempts, mac) VALUES (?, ?, ?, ?, ?)"
	    " ON CONFLICT (method_id) DO UPDATE SET hash = excluded.hash,"
	    " expires = excluded.expires, attempts = excluded.attempts,"
	    " mac = excluded.mac";
	struct store_stmt	*st;
	uint8_t			 h[VAULT_HASH_LEN], mac[VAULT_HASH_LEN];

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	seal_hash(v, "code", method_id, code, h);
	code_mac(v, method_id, h, expires, attempts, mac);
	stmt_bind_int(st, 1, method_id);
	stmt_bind_blob(st, 2, h, sizeof h);
	stmt_bind_int(st, 3, expires);
	stmt_bind_int(st, 4, attempts);
	stmt_bind_blob(st, 5, mac, sizeof mac);
	return vault_exec_stmt(v, st, N_("storing a code"), err);
}

/* The pending code of a method, its MAC checked; *present false: none. */
static enum rd_code RD_CHECK
code_get(struct vault *v, int64_t method_id, uint8_t h[VAULT_HASH_LEN],
    int64_t *expires, int *attempts, bool *present, struct rd_err *err)
{
	static const char	 sql[] = "SELECT hash, expires, attempts, mac"
	    " FROM pending_codes WHERE method_id = ?";
	struct store_stmt	*st;
	uint8_t			 mac[VAULT_HASH_LEN];
	bool			 bad = false;
	int			 rc;

	*present = false;
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, method_id);
	if ((rc = stmt_step(st)) == STORE_ROW) {
		*present = true;
		memset(h, 0, VAULT_HASH_LEN);
		if (stmt_bytes(st, 0) == VAULT_HASH_LEN)
			memcpy(h, stmt_blob(st, 0), VAULT_HASH_LEN);
		*expires = stmt_int(st, 1);
		*attempts = stmt_int(st, 2);
		code_mac(v, method_id, h, *expires, *attempts, mac);
		bad = !rowmac_check(st, 3, mac);
	}
	vault_done(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return vault_sqlerr(v, rc, N_("reading a code"), err);
	if (bad)
		return rowmac_bad("pending_codes", method_id, err);
	return RD_OK;
}

enum rd_code
vault_code_check(struct vault *v, int64_t method_id, const char *code,
    struct vault_code_check *out, struct rd_err *err)
{
	uint8_t		stored[VAULT_HASH_LEN], h[VAULT_HASH_LEN];
	enum rd_code	rc;

	memset(out, 0, sizeof *out);
	if ((rc = code_get(v, method_id, stored, &out->expires,
	    &out->attempts, &out->present, err)) != RD_OK || !out->present)
		return rc;
	seal_hash(v, "code", method_id, code, h);
	out->match = sodium_memcmp(stored, h, sizeof h) == 0;
	return RD_OK;
}

enum rd_code
vault_code_fail(struct vault *v, int64_t method_id, struct rd_err *err)
{
	static const char	 upd[] = "UPDATE pending_codes SET attempts = ?,"
	    " mac = ? WHERE method_id = ? AND attempts = ?";
	struct store_stmt	*st;
	uint8_t			 h[VAULT_HASH_LEN], mac[VAULT_HASH_LEN];
	int64_t			 expires;
	int			 attempts;
	bool			 present;
	enum rd_code		 rc;

	if ((rc = code_get(v, method_id, h, &expires, &attempts, &present,
	    err)) != RD_OK || !present)
		return rc;
	/* The last try spent: the code dies. */
	if (attempts <= 1)
		return vault_code_drop(v, method_id, err);
	if ((st = vault_stmt(v, upd, err)) == NULL)
		return err->code;
	code_mac(v, method_id, h, expires, attempts - 1, mac);
	stmt_bind_int(st, 1, attempts - 1);
	stmt_bind_blob(st, 2, mac, sizeof mac);
	stmt_bind_int(st, 3, method_id);
	stmt_bind_int(st, 4, attempts);
	return vault_exec_stmt(v, st, N_("counting a wrong code"), err);
}

enum rd_code
vault_code_drop(struct vault *v, int64_t method_id, struct rd_err *err)
{
	static const char	 sql[] =
	    "DELETE FROM pending_codes WHERE method_id = ?";
	struct store_stmt	*st;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, method_id);
	return vault_exec_stmt(v, st, N_("dropping a code"), err);
}

void
token_mac(const struct vault *v, const uint8_t *h, int64_t user_id,
    int64_t expires, int used, uint8_t out[VAULT_HASH_LEN])
{
	struct rowmac	m;

	rowmac_init(v, &m, "tokens");
	rowmac_blob(&m, h, VAULT_HASH_LEN);
	rowmac_int(&m, user_id);
	rowmac_int(&m, expires);
	rowmac_int(&m, used);
	rowmac_final(&m, out);
}

enum rd_code
vault_token_put(struct vault *v, const char *token, int64_t user_id,
    int64_t expires, int64_t now, struct rd_err *err)
{
	static const char	 gc[] = "DELETE FROM tokens WHERE expires < ?";
	static const char	 ins[] = "INSERT INTO tokens (hash, user_id,"
	    " expires, used, mac) VALUES (?, ?, ?, 0, ?)";
	struct store_stmt	*st;
	uint8_t			 h[VAULT_HASH_LEN], mac[VAULT_HASH_LEN];
	enum rd_code		 r;

	/* Expired tokens are worthless; drop them as new ones come. */
	txcache_token_drop(v);		/* the one kept may be among them */
	if ((st = vault_stmt(v, gc, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, now);
	if ((r = vault_queue_stmt(v, st, -1,
	    N_("dropping old tokens"), err)) != RD_OK)
		return r;
	if ((st = vault_stmt(v, ins, err)) == NULL)
		return err->code;
	seal_hash(v, "token", 0, token, h);
	token_mac(v, h, user_id, expires, 0, mac);
	stmt_bind_blob(st, 1, h, sizeof h);
	stmt_bind_int(st, 2, user_id);
	stmt_bind_int(st, 3, expires);
	stmt_bind_blob(st, 4, mac, sizeof mac);
	return vault_queue_stmt(v, st, -1, N_("storing a token"), err);
}

enum rd_code
vault_token_get(struct vault *v, const char *token, struct vault_token *out,
    struct rd_err *err)
{
	static const char	 sql[] = "SELECT user_id, expires, used, mac"
	    " FROM tokens WHERE hash = ?";
	struct store_stmt	*st;
	uint8_t			 h[VAULT_HASH_LEN], mac[VAULT_HASH_LEN];
	bool			 bad = false;
	int			 rc;

	memset(out, 0, sizeof *out);
	seal_hash(v, "token", 0, token, h);
	if (txcache_token_get(v, h, out))
		return RD_OK;
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_blob(st, 1, h, sizeof h);
	rc = stmt_step(st);
	if (rc == STORE_ROW) {
		out->user_id = stmt_int(st, 0);
		out->expires = stmt_int(st, 1);
		out->used = stmt_int(st, 2) != 0;
		token_mac(v, h, out->user_id, out->expires, out->used, mac);
		bad = !rowmac_check(st, 3, mac);
	}
	vault_done(st);
	if (rc == STORE_DONE)
		return rd_err_set(err, RD_EXPIRED,
		    _("login token is unknown or "
		    "expired; log in again"));
	if (rc != STORE_ROW)
		return vault_sqlerr(v, rc, N_("reading a token"), err);
	if (bad) {
		memset(out, 0, sizeof *out);
		return rd_err_set(err, RD_VAULT_CORRUPT,
		    _("tokens row fails its "
		    "check: it was changed outside redoubt"));
	}
	txcache_token_put(v, h, out);
	return RD_OK;
}

enum rd_code
vault_token_use(struct vault *v, const char *token, struct rd_err *err)
{
	static const char	 sql[] = "UPDATE tokens SET used = 1, mac = ?"
	    " WHERE hash = ? AND used = 0";
	struct vault_token	 tok;
	struct store_stmt	*st;
	uint8_t			 h[VAULT_HASH_LEN], mac[VAULT_HASH_LEN];
	enum rd_code		 r;
	int			 sr;

	if ((r = vault_token_get(v, token, &tok, err)) != RD_OK)
		return r;
	if (tok.used)
		return rd_err_set(err, RD_BAD_STATE,
		    _("login token was already "
		    "used; log in again"));
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	seal_hash(v, "token", 0, token, h);
	token_mac(v, h, tok.user_id, tok.expires, 1, mac);
	stmt_bind_blob(st, 1, mac, sizeof mac);
	stmt_bind_blob(st, 2, h, sizeof h);
	/* As for a backup code (backup-set.c): the count is the guard. */
	if ((sr = stmt_queue(st, 1)) == STORE_MISMATCH)
		return rd_err_set(err, RD_BAD_STATE,
		    _("login token was already "
		    "used; log in again"));
	if (sr != STORE_OK)
		return vault_sqlerr(v, sr, N_("using a token"), err);
	tok.used = true;
	txcache_token_put(v, h, &tok);
	return RD_OK;
}
