/*
 * vault-lock.c: failed attempts and locks.  A user's lock lives in the
 * user's row, under its MAC, so it cannot be reset or removed without the
 * key.  A name that is no user is counted in the ghosts table under its
 * keyed hash (the name itself is not kept), so that guessing names learns
 * nothing from how the lock behaves; the table is bounded and forgets the
 * quietest names first.
 */
#include <string.h>

#include "../src/i18n.h"
#include "vault-int.h"

enum rd_code
vault_lock_get(struct vault *v, int64_t user_id, struct vault_lock *out,
    struct rd_err *err)
{
	struct urow	r;
	enum rd_code	rc;

	memset(out, 0, sizeof *out);
	if ((rc = urow_get(v, user_id, &r, err)) != RD_OK)
		return rc;
	*out = r.lk;
	urow_clear(&r);
	return RD_OK;
}

enum rd_code
vault_lock_put(struct vault *v, int64_t user_id, const struct vault_lock *lk,
    struct rd_err *err)
{
	struct urow	r;
	enum rd_code	rc;

	if ((rc = urow_get(v, user_id, &r, err)) != RD_OK)
		return rc;
	r.lk = *lk;
	rc = urow_put(v, &r, err);
	urow_clear(&r);
	return rc;
}

static void
ghost_mac(const struct vault *v, const uint8_t h[VAULT_HASH_LEN],
    const struct vault_lock *lk, uint8_t out[VAULT_HASH_LEN])
{
	struct rowmac	m;

	rowmac_init(v, &m, "ghosts");
	rowmac_blob(&m, h, VAULT_HASH_LEN);
	rowmac_int(&m, lk->failures);
	rowmac_int(&m, lk->locked_until);
	rowmac_int(&m, lk->lock_count);
	rowmac_final(&m, out);
}

enum rd_code
vault_ghost_get(struct vault *v, const char *name, struct vault_lock *out,
    struct rd_err *err)
{
	static const char	 sql[] = "SELECT failures, locked_until,"
	    " lock_count, mac FROM ghosts WHERE hash = ?";
	struct store_stmt	*st;
	uint8_t			 h[VAULT_HASH_LEN], mac[VAULT_HASH_LEN];
	int			 rc;
	bool			 bad = false;

	memset(out, 0, sizeof *out);
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	seal_hash(v, "ghost", 0, name, h);
	stmt_bind_blob(st, 1, h, sizeof h);
	if ((rc = stmt_step(st)) == STORE_ROW) {
		out->failures = stmt_int(st, 0);
		out->locked_until = stmt_int(st, 1);
		out->lock_count = stmt_int(st, 2);
		ghost_mac(v, h, out, mac);
		bad = !rowmac_check(st, 3, mac);
	}
	vault_done(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return vault_sqlerr(v, rc, N_("reading a lock"), err);
	if (bad) {
		memset(out, 0, sizeof *out);
		return rd_err_set(err, RD_VAULT_CORRUPT,
		    _("ghosts row fails its "
		    "check: it was changed outside redoubt"));
	}
	return RD_OK;
}

enum rd_code
vault_ghost_put(struct vault *v, const char *name, const struct vault_lock *lk,
    int64_t now, struct rd_err *err)
{
	static const char	 put[] = "INSERT INTO ghosts (hash,"
	    " failures, locked_until, lock_count, seen, mac)"
	    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO UPDATE SET"
	    " failures = excluded.failures, locked_until ="
	    " excluded.locked_until, lock_count = excluded.lock_count,"
	    " seen = excluded.seen, mac = excluded.mac";
	static const char	 trim[] = "DELETE FROM ghosts WHERE hash IN"
	    " (SELECT hash FROM ghosts ORDER BY locked_until > ?2, seen"
	    " LIMIT (SELECT CASE WHEN count(*) > ?1 THEN count(*) - ?1"
	    " ELSE 0 END FROM ghosts))";
	struct store_stmt	*st;
	uint8_t			 h[VAULT_HASH_LEN], mac[VAULT_HASH_LEN];
	enum rd_code		 rc;

	if ((st = vault_stmt(v, put, err)) == NULL)
		return err->code;
	seal_hash(v, "ghost", 0, name, h);
	ghost_mac(v, h, lk, mac);
	stmt_bind_blob(st, 1, h, sizeof h);
	stmt_bind_int(st, 2, lk->failures);
	stmt_bind_int(st, 3, lk->locked_until);
	stmt_bind_int(st, 4, lk->lock_count);
	stmt_bind_int(st, 5, now);
	stmt_bind_blob(st, 6, mac, sizeof mac);
	if ((rc = vault_queue_stmt(v, st, -1, N_("writing a lock"),
	    err)) != RD_OK)
		return rc;
	/* Bounded: past the cap the quietest names go, unlocked ones first. */
	if ((st = vault_stmt(v, trim, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, VAULT_GHOSTS);
	stmt_bind_int(st, 2, now);
	return vault_queue_stmt(v, st, -1, N_("forgetting old names"),
	    err);
}
