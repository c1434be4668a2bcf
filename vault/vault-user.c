/*
 * vault-user.c: the users table.  E-mail and phone are sealed per field,
 * bound to the user; passwords (user-password.c) are crypto_pwhash_str
 * strings.  A row's id is never reused (AUTOINCREMENT).
 *
 * Every column that decides a login (name, active, the password hash, the
 * lock, the digest of the user's methods, the backup code generation) is
 * under the row's MAC: each read checks it and each write makes it afresh
 * from the values the code means, never from what it found in the file.
 * The keyed index of e-mail and phone (userix.c) is a function of two of
 * those values, so each read recomputes it and each write makes it: an
 * index edited in the file reads as vault_corrupt like any other column.
 */
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/utf8.h"
#include "../src/util.h"
#include "vault-int.h"

void
vault_user_clear(struct vault_user *u)
{
	secret_release(u->email);
	secret_release(u->phone);
	memset(u, 0, sizeof *u);
}

void
urow_clear(struct urow *r)
{
	vault_user_clear(&r->u);
	secret_release(r->pwhash);
	memset(r, 0, sizeof *r);
}

void
urow_mac(const struct vault *v, const struct urow *r,
    uint8_t out[VAULT_HASH_LEN])
{
	struct rowmac	m;

	rowmac_init(v, &m, "users");
	rowmac_int(&m, r->u.id);
	rowmac_text(&m, r->u.name);
	rowmac_text(&m, r->u.email);
	rowmac_text(&m, r->u.phone);
	rowmac_text(&m, r->pwhash);
	rowmac_int(&m, r->u.active);
	rowmac_int(&m, r->u.created);
	rowmac_int(&m, r->lk.failures);
	rowmac_int(&m, r->lk.locked_until);
	rowmac_int(&m, r->lk.lock_count);
	rowmac_blob(&m, r->mset, sizeof r->mset);
	rowmac_int(&m, r->bset);
	rowmac_final(&m, out);
}

enum rd_code
urow_read(struct vault *v, struct store_stmt *st, struct urow *r,
    struct rd_err *err)
{
	uint8_t		*p, mac[VAULT_HASH_LEN];
	size_t		 n;
	const char	*h;
	enum rd_code	 rc;

	memset(r, 0, sizeof *r);
	r->u.id = stmt_int(st, 0);
	snprintf(r->u.name, sizeof r->u.name, "%s",
	    (const char *)stmt_text(st, 1));
	if ((rc = seal_open_col(v, st, 2, "users", "email", r->u.id, r->u.id,
	    &p, &n, err)) != RD_OK)
		goto fail;
	r->u.email = (char *)p;
	if ((rc = seal_open_col(v, st, 3, "users", "phone", r->u.id, r->u.id,
	    &p, &n, err)) != RD_OK)
		goto fail;
	r->u.phone = (char *)p;
	if ((h = (const char *)stmt_text(st, 4)) != NULL)
		r->pwhash = secret_strdup(h);
	r->u.has_password = r->pwhash != NULL;
	r->u.active = stmt_int(st, 5) != 0;
	r->u.created = stmt_int(st, 6);
	r->lk.failures = stmt_int(st, 7);
	r->lk.locked_until = stmt_int(st, 8);
	r->lk.lock_count = stmt_int(st, 9);
	if (stmt_bytes(st, 10) == VAULT_HASH_LEN)
		memcpy(r->mset, stmt_blob(st, 10), VAULT_HASH_LEN);
	r->bset = stmt_int(st, 11);
	urow_mac(v, r, mac);
	if (!rowmac_check(st, 12, mac) ||
	    !userix_check(v, st, 13, USERIX_EMAIL, r->u.email) ||
	    !userix_check(v, st, 14, USERIX_PHONE, r->u.phone)) {
		rc = rowmac_bad("users", r->u.id, err);
		goto fail;
	}
	/* A stamp of this version of the row, for steps read in two parts. */
	memcpy(r->u.stamp, mac, sizeof r->u.stamp);
	return RD_OK;
fail:
	urow_clear(r);
	return rc;
}

/* One user by the statement st (bound already); what names it. */
static enum rd_code RD_CHECK
urow_one(struct vault *v, struct store_stmt *st, const char *what,
    struct urow *r, struct rd_err *err)
{
	enum rd_code	rc;
	int		sr;

	memset(r, 0, sizeof *r);
	sr = stmt_step(st);
	if (sr == STORE_ROW)
		rc = urow_read(v, st, r, err);
	else if (sr == STORE_DONE)
		rc = rd_err_set(err, RD_NOT_FOUND, _("no user %s"), what);
	else
		rc = vault_sqlerr(v, sr, N_("reading a user"), err);
	vault_done(st);
	return rc;
}

enum rd_code
urow_get(struct vault *v, int64_t id, struct urow *r, struct rd_err *err)
{
	static const char	 sql[] = "SELECT " USER_COLS " FROM users"
	    " WHERE id = ?";
	struct store_stmt	*st;
	enum rd_code		 rc;

	if (txcache_user_get(v, id, NULL, r))
		return RD_OK;
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, id);
	if ((rc = urow_one(v, st, _("with that id"), r, err)) == RD_OK)
		txcache_user_put(v, r, r->u.stamp);
	return rc;
}

static enum rd_code RD_CHECK
urow_get_name(struct vault *v, const char *name, struct urow *r,
    struct rd_err *err)
{
	static const char	 sql[] = "SELECT " USER_COLS " FROM users"
	    " WHERE name = ?";
	struct store_stmt	*st;
	enum rd_code		 rc;

	if (txcache_user_get(v, 0, name, r))
		return RD_OK;
	/*
	 * No user's name is invalid UTF-8 (user add refuses one), and
	 * PostgreSQL refuses such text as a parameter: no user, unasked.
	 */
	if (!utf8_valid(name)) {
		memset(r, 0, sizeof *r);
		return rd_err_set(err, RD_NOT_FOUND, _("no user %s"), name);
	}
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_text(st, 1, name, -1);
	if ((rc = urow_one(v, st, name, r, err)) == RD_OK)
		txcache_user_put(v, r, r->u.stamp);
	return rc;
}

enum rd_code
urow_put(struct vault *v, const struct urow *r, struct rd_err *err)
{
	static const char	 sql[] = "UPDATE users SET email = ?,"
	    " phone = ?, pwhash = ?, active = ?, failures = ?,"
	    " locked_until = ?, lock_count = ?, mset = ?, bset = ?, mac = ?,"
	    " email_ix = ?, phone_ix = ? WHERE id = ? AND name = ?";
	struct store_stmt	*st;
	uint8_t			 mac[VAULT_HASH_LEN];
	enum rd_code		 rc;

	txcache_user_drop(v);
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	urow_mac(v, r, mac);
	seal_bind(v, st, 1, "users", "email", r->u.id, r->u.id, r->u.email,
	    r->u.email ? strlen(r->u.email) : 0);
	seal_bind(v, st, 2, "users", "phone", r->u.id, r->u.id, r->u.phone,
	    r->u.phone ? strlen(r->u.phone) : 0);
	stmt_bind_text(st, 3, r->pwhash, -1);
	stmt_bind_int(st, 4, r->u.active);
	stmt_bind_int(st, 5, r->lk.failures);
	stmt_bind_int(st, 6, r->lk.locked_until);
	stmt_bind_int(st, 7, r->lk.lock_count);
	stmt_bind_blob(st, 8, r->mset, sizeof r->mset);
	stmt_bind_int(st, 9, r->bset);
	stmt_bind_blob(st, 10, mac, sizeof mac);
	userix_bind(v, st, 11, USERIX_EMAIL, r->u.email);
	userix_bind(v, st, 12, USERIX_PHONE, r->u.phone);
	stmt_bind_int(st, 13, r->u.id);
	stmt_bind_text(st, 14, r->u.name, -1);
	/* Exactly this row, as read: else it changed outside redoubt. */
	if ((rc = vault_queue_stmt(v, st, 1, N_("writing a user"), err)) !=
	    RD_OK)
		return rc;
	txcache_user_put(v, r, mac);
	return RD_OK;
}

enum rd_code
vault_user_add(struct vault *v, struct vault_user *u, struct rd_err *err)
{
	static const char	 sql[] =
	    "INSERT INTO users (name, active, created) VALUES (?, ?, ?)"
	    " ON CONFLICT (name) DO NOTHING RETURNING id";
	struct store_stmt	*st;
	struct urow		 r;
	enum rd_code		 rc;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_text(st, 1, u->name, -1);
	stmt_bind_int(st, 2, u->active);
	stmt_bind_int(st, 3, u->created);
	if ((rc = vault_insert_id(v, st, N_("adding a user"), &u->id,
	    err)) != RD_OK)
		return rc;
	if (u->id == 0)
		return rd_err_set(err, RD_EXISTS, _("user %s exists already"),
		    u->name);
	memset(&r, 0, sizeof r);
	r.u = *u;
	/* No methods yet (ids are never reused): the empty set's digest. */
	mset_empty(v, u->id, r.mset);
	return urow_put(v, &r, err);
}

enum rd_code
vault_user_get(struct vault *v, const char *name, struct vault_user *out,
    struct rd_err *err)
{
	struct urow	r;
	enum rd_code	rc;

	memset(out, 0, sizeof *out);
	if ((rc = urow_get_name(v, name, &r, err)) != RD_OK)
		return rc;
	*out = r.u;
	secret_release(r.pwhash);
	return RD_OK;
}

enum rd_code
vault_user_get_id(struct vault *v, int64_t id, struct vault_user *out,
    struct rd_err *err)
{
	struct urow	r;
	enum rd_code	rc;

	memset(out, 0, sizeof *out);
	if ((rc = urow_get(v, id, &r, err)) != RD_OK)
		return rc;
	*out = r.u;
	secret_release(r.pwhash);
	return RD_OK;
}

enum rd_code
vault_user_update(struct vault *v, const struct vault_user *u,
    struct rd_err *err)
{
	struct urow	r;
	enum rd_code	rc;

	if ((rc = urow_get(v, u->id, &r, err)) != RD_OK)
		return rc;
	secret_release(r.u.email);
	secret_release(r.u.phone);
	r.u.email = u->email ? secret_strdup(u->email) : NULL;
	r.u.phone = u->phone ? secret_strdup(u->phone) : NULL;
	r.u.active = u->active;
	rc = urow_put(v, &r, err);
	urow_clear(&r);
	return rc;
}

enum rd_code
vault_user_rename(struct vault *v, int64_t id, const char *name,
    struct rd_err *err)
{
	/*
	 * Sealed fields and the rows of methods, codes and tokens are bound
	 * to the id; of all MACs only the user's own row covers the name,
	 * so the name and that MAC change together, nothing else.
	 */
	static const char	 sql[] = "UPDATE users SET name = ?, mac = ?"
	    " WHERE id = ? AND name = ?";
	static const char	 taken_sql[] = "SELECT 1 FROM users"
	    " WHERE name = ?";
	struct store_stmt	*st;
	struct urow		 r;
	char			 old[VAULT_NAME_MAX + 1];
	uint8_t			 mac[VAULT_HASH_LEN];
	enum rd_code		 rc;
	int			 sr;

	if (strlen(name) > VAULT_NAME_MAX)
		return rd_err_set(err, RD_USAGE, _("a user name is at most %d "
		    "bytes"), VAULT_NAME_MAX);
	/*
	 * A taken name is looked for first: in PostgreSQL the UPDATE's
	 * failure would abort the transaction, and with it the audit row of
	 * the refusal.
	 */
	if ((st = vault_stmt(v, taken_sql, err)) == NULL)
		return err->code;
	stmt_bind_text(st, 1, name, -1);
	sr = stmt_step(st);
	vault_done(st);
	if (sr == STORE_ROW)
		return rd_err_set(err, RD_EXISTS, _("user %s exists already"),
		    name);
	if (sr != STORE_DONE)
		return vault_sqlerr(v, sr, N_("renaming a user"), err);
	if ((rc = urow_get(v, id, &r, err)) != RD_OK)
		return rc;
	txcache_user_drop(v);
	snprintf(old, sizeof old, "%s", r.u.name);
	snprintf(r.u.name, sizeof r.u.name, "%s", name);
	urow_mac(v, &r, mac);
	urow_clear(&r);
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_text(st, 1, name, -1);
	stmt_bind_blob(st, 2, mac, sizeof mac);
	stmt_bind_int(st, 3, id);
	stmt_bind_text(st, 4, old, -1);
	sr = stmt_step(st);
	vault_done(st);
	if (sr == STORE_CONSTRAINT)
		return rd_err_set(err, RD_EXISTS, _("user %s exists already"),
		    name);
	if (sr != STORE_DONE)
		return vault_sqlerr(v, sr, N_("renaming a user"), err);
	if (store_changes(v->db) != 1)
		return rowmac_bad("users", id, err);
	return RD_OK;
}

enum rd_code
vault_user_del(struct vault *v, int64_t id, struct rd_err *err)
{
	static const char	 sql[] = "DELETE FROM users WHERE id = ?";
	struct store_stmt	*st;

	txcache_user_drop(v);
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, id);
	return vault_exec_stmt(v, st, N_("deleting a user"), err);
}

/*
 * The least string above every user name that starts with prefix, and
 * itself valid UTF-8 (PostgreSQL refuses any other): prefix, then U+10FFFF
 * until longer than any name.  Byte by byte it is the largest a name can
 * be at each place, so a name with the prefix is below it.
 */
static void
name_bound(const char *prefix, char *hi, size_t size)
{
	size_t	n = strlen(prefix);

	memcpy(hi, prefix, n);
	while (n <= VAULT_NAME_MAX && n + 5 <= size) {
		memcpy(hi + n, "\xf4\x8f\xbf\xbf", 4);
		n += 4;
	}
	hi[n] = '\0';
}

enum rd_code
vault_user_list(struct vault *v, const char *prefix, const char *after,
    int limit, void (*fn)(void *, const char *, bool), void *arg,
    struct rd_err *err)
{
	/*
	 * One lower bound and at most one upper bound, so the index on
	 * (name, active) answers the range and holds all a page reads (no
	 * visit to rows scattered in the order users were added): a prefix P
	 * is [P, name_bound(P)), and a page starts after the larger of P and
	 * the last name seen.
	 */
	static const char	 from_sql[] = "SELECT name, active FROM users"
	    " WHERE name >= ?1 AND name < ?2 ORDER BY name LIMIT ?3";
	static const char	 after_sql[] = "SELECT name, active FROM users"
	    " WHERE name > ?1 AND name < ?2 ORDER BY name LIMIT ?3";
	static const char	 all_sql[] = "SELECT name, active FROM users"
	    " WHERE name > ?1 ORDER BY name LIMIT ?3";
	struct store_stmt	*st;
	char			 hi[VAULT_NAME_MAX + 8];
	const char		*lo, *sql;
	int			 rc;

	prefix = prefix ? prefix : "";
	/* No name is longer; name_bound needs the room. */
	if (strlen(prefix) > VAULT_NAME_MAX)
		return RD_OK;
	if (after != NULL && strcmp(after, prefix) >= 0) {
		lo = after;
		sql = *prefix ? after_sql : all_sql;
	} else {
		lo = prefix;
		sql = *prefix ? from_sql : all_sql;
	}
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	name_bound(prefix, hi, sizeof hi);
	stmt_bind_text(st, 1, lo, -1);
	if (*prefix)
		stmt_bind_text(st, 2, hi, -1);
	stmt_bind_int(st, 3, limit > 0 ? limit : INT64_MAX);
	while ((rc = stmt_step(st)) == STORE_ROW)
		fn(arg, (const char *)stmt_text(st, 0),
		    stmt_int(st, 1) != 0);
	vault_done(st);
	if (rc != STORE_DONE)
		return vault_sqlerr(v, rc, N_("listing users"), err);
	return RD_OK;
}

enum rd_code
vault_user_list_before(struct vault *v, const char *prefix,
    const char *before, int limit, void (*fn)(void *, const char *, bool),
    void *arg, struct rd_err *err)
{
	/*
	 * The page that ends just before `before` (the last page when it is
	 * NULL or ""): the index read backwards, then handed out in order.
	 */
	static const char	 both_sql[] = "SELECT name, active FROM users"
	    " WHERE name >= ?1 AND name < ?2 ORDER BY name DESC LIMIT ?3";
	static const char	 hi_sql[] = "SELECT name, active FROM users"
	    " WHERE name < ?2 ORDER BY name DESC LIMIT ?3";
	static const char	 end_sql[] = "SELECT name, active FROM users"
	    " ORDER BY name DESC LIMIT ?3";
	struct store_stmt	*st;
	char			 hi[VAULT_NAME_MAX + 8];
	const char		*upper = NULL, *sql;
	char			**names = NULL;
	bool			*active = NULL;
	int			 rc, n = 0, i;

	prefix = prefix ? prefix : "";
	/* No name is longer; name_bound needs the room. */
	if (strlen(prefix) > VAULT_NAME_MAX)
		return RD_OK;
	name_bound(prefix, hi, sizeof hi);
	if (before != NULL && *before != '\0' &&
	    (*prefix == '\0' || strcmp(before, hi) < 0))
		upper = before;
	else if (*prefix != '\0')
		upper = hi;
	sql = *prefix ? both_sql : upper ? hi_sql : end_sql;
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	if (*prefix)
		stmt_bind_text(st, 1, prefix, -1);
	if (upper != NULL)
		stmt_bind_text(st, 2, upper, -1);
	stmt_bind_int(st, 3, limit > 0 ? limit : INT64_MAX);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		names = xrealloc(names, (size_t)(n + 1) * sizeof *names);
		active = xrealloc(active, (size_t)(n + 1) * sizeof *active);
		names[n] = xstrdup((const char *)stmt_text(st, 0));
		active[n++] = stmt_int(st, 1) != 0;
	}
	vault_done(st);
	for (i = n - 1; i >= 0; i--) {
		if (rc == STORE_DONE)
			fn(arg, names[i], active[i]);
		free(names[i]);
	}
	free(names);
	free(active);
	if (rc != STORE_DONE)
		return vault_sqlerr(v, rc, N_("listing users"), err);
	return RD_OK;
}

enum rd_code
vault_user_count(struct vault *v, int64_t *n, struct rd_err *err)
{
	static const char	 sql[] = "SELECT count(*) FROM users";
	struct store_stmt	*st;
	int			 rc;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	rc = stmt_step(st);
	*n = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	vault_done(st);
	if (rc != STORE_ROW)
		return vault_sqlerr(v, rc, N_("counting users"), err);
	return RD_OK;
}
