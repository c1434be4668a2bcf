/*
 * migrate.c: the parts of schema versions 2, 3 and 5 that need the keys.
 *
 * Version 1
 * sealed fields with "table.column#row" and kept no row MACs; version 2
 * binds every sealed field to its owner too and gives every row that
 * decides a login its MAC, and the header its own.  Everything is read
 * the old way and written the new way, in the migration's transaction.
 *
 * Version 3 fills the keyed index of e-mail and phone (userix.c) from the
 * sealed values; the row's MAC does not change (it covers the values, and
 * every read checks the index against them).
 *
 * Version 6 folds each user's backup_codes rows into one backup_sets row
 * (backup-set.c): every old row's MAC is checked against the user's
 * generation first, so the new MAC never vouches for a row edited without
 * the key; a failing row stops the migration as vault_corrupt.
 */
#include <stdio.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "vault-int.h"

/* The rows of sql (id first) handed to fn one by one. */
static enum rd_code RD_CHECK
each_row(struct vault *v, const char *sql,
    enum rd_code (*fn)(struct vault *, struct store_stmt *, struct rd_err *),
    struct rd_err *err)
{
	struct store_stmt	*st;
	enum rd_code	 r = RD_OK;
	int		 rc;

	/* Not cached: each runs once, and fn may write the same table. */
	if ((rc = store_prepare(v->db, sql, &st)) != STORE_OK)
		return vault_sqlerr(v, rc, N_("migrating the schema"), err);
	while (r == RD_OK && (rc = stmt_step(st)) == STORE_ROW)
		r = fn(v, st, err);
	stmt_free(st);
	if (r == RD_OK && rc != STORE_DONE)
		r = vault_sqlerr(v, rc, N_("migrating the schema"), err);
	return r;
}

static enum rd_code RD_CHECK
method_v2(struct vault *v, struct store_stmt *st, struct rd_err *err)
{
	struct vault_method	m;
	uint8_t			*p;
	size_t			 n;
	enum rd_code		 rc;

	memset(&m, 0, sizeof m);
	m.id = stmt_int(st, 0);
	m.user_id = stmt_int(st, 1);
	snprintf(m.name, sizeof m.name, "%s",
	    (const char *)stmt_text(st, 2));
	snprintf(m.handler, sizeof m.handler, "%s",
	    (const char *)stmt_text(st, 3));
	m.state = stmt_int(st, 4);
	m.primary = stmt_int(st, 5) != 0;
	m.counter = stmt_int(st, 7);
	m.last_sent = stmt_int(st, 9);
	m.created = stmt_int(st, 10);
	if ((rc = seal_open_col(v, st, 6, "methods", "secret", m.id, SEAL_V1,
	    &p, &n, err)) != RD_OK)
		return rc;
	m.secret = p;
	m.secret_len = n;
	if ((rc = seal_open_col(v, st, 8, "methods", "request_id", m.id,
	    SEAL_V1, &p, &n, err)) == RD_OK) {
		m.request_id = (char *)p;
		rc = method_write(v, &m, err);
	}
	vault_method_clear(&m);
	return rc;
}

static enum rd_code RD_CHECK
user_v2(struct vault *v, struct store_stmt *st, struct rd_err *err)
{
	struct urow	 r;
	uint8_t		*p;
	size_t		 n;
	const char	*h;
	enum rd_code	 rc;

	memset(&r, 0, sizeof r);
	r.u.id = stmt_int(st, 0);
	snprintf(r.u.name, sizeof r.u.name, "%s",
	    (const char *)stmt_text(st, 1));
	if ((h = (const char *)stmt_text(st, 4)) != NULL)
		r.pwhash = secret_strdup(h);
	r.u.active = stmt_int(st, 5) != 0;
	r.u.created = stmt_int(st, 6);
	r.lk.failures = stmt_int(st, 7);
	r.lk.locked_until = stmt_int(st, 8);
	r.lk.lock_count = stmt_int(st, 9);
	if ((rc = seal_open_col(v, st, 2, "users", "email", r.u.id, SEAL_V1,
	    &p, &n, err)) != RD_OK)
		goto out;
	r.u.email = (char *)p;
	if ((rc = seal_open_col(v, st, 3, "users", "phone", r.u.id, SEAL_V1,
	    &p, &n, err)) != RD_OK)
		goto out;
	r.u.phone = (char *)p;
	if ((rc = mset_digest(v, r.u.id, r.mset, err)) == RD_OK)
		rc = urow_put(v, &r, err);
out:
	urow_clear(&r);
	return rc;
}

static enum rd_code RD_CHECK
mac_update(struct vault *v, const char *sql, const uint8_t mac[VAULT_HASH_LEN],
    struct store_stmt *row, int keycols, struct rd_err *err)
{
	struct store_stmt	*st;
	enum rd_code	 r;
	int		 rc, i;

	if ((rc = store_prepare(v->db, sql, &st)) != STORE_OK)
		return vault_sqlerr(v, rc, N_("migrating the schema"), err);
	stmt_bind_blob(st, 1, mac, VAULT_HASH_LEN);
	for (i = 0; i < keycols; i++)
		stmt_bind_col(st, 2 + i, row, i);
	r = vault_exec_stmt(v, st, N_("migrating the schema"), err);
	stmt_free(st);
	return r;
}

/* A row of the backup_codes table of versions 2 to 4. */
static void
backup_mac_v4(const struct vault *v, int64_t user_id, const uint8_t *h,
    int64_t used_at, int64_t bset, uint8_t out[VAULT_HASH_LEN])
{
	struct rowmac	m;

	rowmac_init(v, &m, "backup_codes");
	rowmac_int(&m, user_id);
	rowmac_blob(&m, h, VAULT_HASH_LEN);
	rowmac_int(&m, used_at);
	rowmac_int(&m, bset);
	rowmac_final(&m, out);
}

static enum rd_code RD_CHECK
backup_v2(struct vault *v, struct store_stmt *st, struct rd_err *err)
{
	uint8_t	mac[VAULT_HASH_LEN];

	if (stmt_bytes(st, 1) != VAULT_HASH_LEN)
		return rowmac_bad("backup_codes", stmt_int(st, 0),
		    err);
	/* Generation 0: what version 1 had is the set now in use. */
	backup_mac_v4(v, stmt_int(st, 0), stmt_blob(st, 1),
	    stmt_int(st, 2), 0, mac);
	return mac_update(v, "UPDATE backup_codes SET mac = ? WHERE user_id = ?"
	    " AND hash = ?", mac, st, 2, err);
}

static enum rd_code RD_CHECK
code_v2(struct vault *v, struct store_stmt *st, struct rd_err *err)
{
	uint8_t	mac[VAULT_HASH_LEN];

	if (stmt_bytes(st, 1) != VAULT_HASH_LEN)
		return rowmac_bad("pending_codes", stmt_int(st, 0),
		    err);
	code_mac(v, stmt_int(st, 0), stmt_blob(st, 1),
	    stmt_int(st, 2), stmt_int(st, 3), mac);
	return mac_update(v, "UPDATE pending_codes SET mac = ? WHERE"
	    " method_id = ?", mac, st, 1, err);
}

static enum rd_code RD_CHECK
token_v2(struct vault *v, struct store_stmt *st, struct rd_err *err)
{
	uint8_t	mac[VAULT_HASH_LEN];

	if (stmt_bytes(st, 0) != VAULT_HASH_LEN)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("a tokens row is "
		    "damaged"));
	token_mac(v, stmt_blob(st, 0), stmt_int(st, 1),
	    stmt_int(st, 2), stmt_int(st, 3), mac);
	return mac_update(v, "UPDATE tokens SET mac = ? WHERE hash = ?", mac,
	    st, 1, err);
}

static enum rd_code RD_CHECK
outbox_v2(struct vault *v, struct store_stmt *st, struct rd_err *err)
{
	struct store_stmt	*up;
	int64_t		 id = stmt_int(st, 0);
	uint8_t		*to = NULL, *body = NULL;
	size_t		 tolen = 0, bodylen = 0;
	enum rd_code	 r;
	int		 rc;

	if ((r = seal_open_col(v, st, 1, "outbox", "recipient", id, SEAL_V1,
	    &to, &tolen, err)) != RD_OK ||
	    (r = seal_open_col(v, st, 2, "outbox", "body", id, SEAL_V1, &body,
	    &bodylen, err)) != RD_OK)
		goto out;
	if ((rc = store_prepare(v->db, "UPDATE outbox SET recipient = ?,"
	    " body = ? WHERE id = ?", &up)) != STORE_OK) {
		r = vault_sqlerr(v, rc, N_("migrating the schema"), err);
		goto out;
	}
	seal_bind(v, up, 1, "outbox", "recipient", id, 0, to, tolen);
	seal_bind(v, up, 2, "outbox", "body", id, 0, body, bodylen);
	stmt_bind_int(up, 3, id);
	r = vault_exec_stmt(v, up, N_("migrating the schema"), err);
	stmt_free(up);
out:
	secret_release(to);
	secret_release(body);
	return r;
}

enum rd_code
migrate_v2(struct vault *v, struct rd_err *err)
{
	enum rd_code	r;

	/* Methods first: a user's row records the digest of its methods. */
	if ((r = each_row(v, "SELECT id, user_id, name, handler, state,"
	    " is_primary, secret, counter, request_id, last_sent, created"
	    " FROM methods", method_v2, err)) != RD_OK ||
	    (r = each_row(v, "SELECT id, name, email, phone, pwhash, active,"
	    " created, failures, locked_until, lock_count FROM users", user_v2,
	    err)) != RD_OK ||
	    (r = each_row(v, "SELECT user_id, hash, used_at FROM backup_codes",
	    backup_v2, err)) != RD_OK ||
	    (r = each_row(v, "SELECT method_id, hash, expires, attempts FROM"
	    " pending_codes", code_v2, err)) != RD_OK ||
	    (r = each_row(v, "SELECT hash, user_id, expires, used FROM tokens",
	    token_v2, err)) != RD_OK ||
	    (r = each_row(v, "SELECT id, recipient, body FROM outbox",
	    outbox_v2, err)) != RD_OK)
		return r;
	return header_seal(v, err);
}

static enum rd_code RD_CHECK
user_v3(struct vault *v, struct store_stmt *st, struct rd_err *err)
{
	struct store_stmt	*up;
	int64_t		 id = stmt_int(st, 0);
	uint8_t		*email = NULL, *phone = NULL;
	size_t		 n;
	enum rd_code	 r;
	int		 rc;

	if ((r = seal_open_col(v, st, 1, "users", "email", id, id, &email, &n,
	    err)) != RD_OK ||
	    (r = seal_open_col(v, st, 2, "users", "phone", id, id, &phone, &n,
	    err)) != RD_OK)
		goto out;
	txcache_user_drop(v);
	if ((rc = store_prepare(v->db, "UPDATE users SET email_ix = ?,"
	    " phone_ix = ? WHERE id = ?", &up)) != STORE_OK) {
		r = vault_sqlerr(v, rc, N_("migrating the schema"), err);
		goto out;
	}
	userix_bind(v, up, 1, USERIX_EMAIL, (const char *)email);
	userix_bind(v, up, 2, USERIX_PHONE, (const char *)phone);
	stmt_bind_int(up, 3, id);
	r = vault_exec_stmt(v, up, N_("migrating the schema"), err);
	stmt_free(up);
out:
	secret_release(email);
	secret_release(phone);
	return r;
}

enum rd_code
migrate_v3(struct vault *v, struct rd_err *err)
{
	return each_row(v, "SELECT id, email, phone FROM users", user_v3, err);
}

/* One user's old rows, in one set; hashes were 32 bytes, now cut. */
static enum rd_code RD_CHECK
user_v5(struct vault *v, struct store_stmt *row, struct rd_err *err)
{
	static const char	 sql[] = "SELECT hash, used_at, mac"
	    " FROM backup_codes WHERE user_id = ? ORDER BY hash";
	struct store_stmt	*st;
	struct urow		 r;
	uint8_t			 hashes[BACKUP_MAX * BACKUP_HASH_LEN];
	uint8_t			 used[(BACKUP_MAX + 7) / 8];
	uint8_t			 mac[VAULT_HASH_LEN];
	int64_t			 id = stmt_int(row, 0), at;
	size_t			 n = 0;
	enum rd_code		 rc;
	bool			 bad = false;
	int			 sr;

	if ((rc = urow_get(v, id, &r, err)) != RD_OK)
		return rc;
	memset(used, 0, sizeof used);
	if ((sr = store_prepare(v->db, sql, &st)) != STORE_OK) {
		urow_clear(&r);
		return vault_sqlerr(v, sr, N_("migrating the schema"), err);
	}
	stmt_bind_int(st, 1, id);
	while (!bad && (sr = stmt_step(st)) == STORE_ROW) {
		at = stmt_int(st, 1);
		bad = n == BACKUP_MAX ||
		    stmt_bytes(st, 0) != VAULT_HASH_LEN;
		if (bad)
			break;
		backup_mac_v4(v, id, stmt_blob(st, 0), at, r.bset,
		    mac);
		if (!(bad = !rowmac_check(st, 2, mac))) {
			memcpy(hashes + n * BACKUP_HASH_LEN,
			    stmt_blob(st, 0), BACKUP_HASH_LEN);
			if (at != 0)
				used[n / 8] |= (uint8_t)(1u << (n % 8));
			n++;
		}
	}
	stmt_free(st);
	if (bad)
		rc = rowmac_bad("backup_codes", id, err);
	else if (sr != STORE_DONE)
		rc = vault_sqlerr(v, sr, N_("migrating the schema"), err);
	else
		rc = backup_set_put(v, id, r.bset, hashes, n, used, err);
	urow_clear(&r);
	return rc;
}

enum rd_code
migrate_v6(struct vault *v, struct rd_err *err)
{
	enum rd_code	r;
	int		rc;

	if ((r = each_row(v, "SELECT DISTINCT user_id FROM backup_codes",
	    user_v5, err)) != RD_OK)
		return r;
	if ((rc = store_exec(v->db, "DROP TABLE backup_codes")) != STORE_OK)
		return vault_sqlerr(v, rc, N_("migrating the schema"), err);
	return RD_OK;
}
