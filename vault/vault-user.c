/*
 * vault-user.c: the users table.  E-mail and phone are sealed per field;
 * passwords are crypto_pwhash_str strings at the vault's own Argon2id cost
 * (the test KDF makes them cheap in test suites).  A row's id is never
 * reused (AUTOINCREMENT), so sealed values stay bound to one user.
 */
#include <stdlib.h>
#include <string.h>

#include "../src/util.h"
#include "vault-int.h"

void
vault_user_clear(struct vault_user *u)
{
	secret_free(u->email);
	secret_free(u->phone);
	memset(u, 0, sizeof *u);
}

static enum rd_code RD_CHECK
user_seal(struct vault *v, const struct vault_user *u, struct rd_err *err)
{
	static const char	 sql[] =
	    "UPDATE users SET email = ?, phone = ?, active = ? WHERE id = ?";
	sqlite3_stmt		*st;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	seal_bind(v, st, 1, "users", "email", u->id, u->email,
	    u->email ? strlen(u->email) : 0);
	seal_bind(v, st, 2, "users", "phone", u->id, u->phone,
	    u->phone ? strlen(u->phone) : 0);
	sqlite3_bind_int(st, 3, u->active);
	sqlite3_bind_int64(st, 4, u->id);
	return vault_exec_stmt(v, st, "writing a user", err);
}

enum rd_code
vault_user_add(struct vault *v, struct vault_user *u, struct rd_err *err)
{
	static const char	 sql[] =
	    "INSERT INTO users (name, active, created) VALUES (?, ?, ?)";
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, u->active);
	sqlite3_bind_int64(st, 3, u->created);
	rc = sqlite3_step(st);
	vault_done(st);
	if (rc == SQLITE_CONSTRAINT)
		return rd_err_set(err, RD_EXISTS, "user %s exists already",
		    u->name);
	if (rc != SQLITE_DONE)
		return vault_sqlerr(v, rc, "adding a user", err);
	u->id = sqlite3_last_insert_rowid(v->db);
	if (u->email == NULL && u->phone == NULL)
		return RD_OK;
	return user_seal(v, u, err);
}

static enum rd_code RD_CHECK
user_read(struct vault *v, sqlite3_stmt *st, const char *what,
    struct vault_user *out, struct rd_err *err)
{
	int		 rc;
	uint8_t		*p;
	size_t		 n;
	enum rd_code	 r;

	memset(out, 0, sizeof *out);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		vault_done(st);
		return rd_err_set(err, RD_NOT_FOUND, "no user %s", what);
	}
	if (rc != SQLITE_ROW) {
		vault_done(st);
		return vault_sqlerr(v, rc, "reading a user", err);
	}
	out->id = sqlite3_column_int64(st, 0);
	snprintf(out->name, sizeof out->name, "%s",
	    (const char *)sqlite3_column_text(st, 1));
	out->active = sqlite3_column_int(st, 4) != 0;
	out->has_password = sqlite3_column_int(st, 5) != 0;
	out->created = sqlite3_column_int64(st, 6);
	if ((r = seal_open_col(v, st, 2, "users", "email", out->id, &p, &n,
	    err)) != RD_OK)
		goto fail;
	out->email = (char *)p;
	if ((r = seal_open_col(v, st, 3, "users", "phone", out->id, &p, &n,
	    err)) != RD_OK)
		goto fail;
	out->phone = (char *)p;
	vault_done(st);
	return RD_OK;
fail:
	vault_done(st);
	vault_user_clear(out);
	return r;
}

enum rd_code
vault_user_get(struct vault *v, const char *name, struct vault_user *out,
    struct rd_err *err)
{
	static const char	 sql[] = "SELECT id, name, email, phone, active,"
	    " pwhash IS NOT NULL, created FROM users WHERE name = ?";
	sqlite3_stmt		*st;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	return user_read(v, st, name, out, err);
}

enum rd_code
vault_user_get_id(struct vault *v, int64_t id, struct vault_user *out,
    struct rd_err *err)
{
	static const char	 sql[] = "SELECT id, name, email, phone, active,"
	    " pwhash IS NOT NULL, created FROM users WHERE id = ?";
	sqlite3_stmt		*st;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	return user_read(v, st, "with that id", out, err);
}

enum rd_code
vault_user_update(struct vault *v, const struct vault_user *u,
    struct rd_err *err)
{
	return user_seal(v, u, err);
}

enum rd_code
vault_user_set_password(struct vault *v, int64_t id, const char *pw,
    size_t len, struct rd_err *err)
{
	static const char	 sql[] =
	    "UPDATE users SET pwhash = ? WHERE id = ?";
	char			 hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt		*st;

	if (crypto_pwhash_str(hash, pw, len, v->opslimit, v->memlimit) != 0)
		return rd_err_set(err, RD_VAULT_CORRUPT, "not enough memory "
		    "to hash a password");
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	return vault_exec_stmt(v, st, "setting a password", err);
}

enum rd_code
vault_user_check_password(struct vault *v, int64_t id, const char *pw,
    size_t len, struct rd_err *err)
{
	static const char	 sql[] = "SELECT pwhash FROM users WHERE id = ?";
	sqlite3_stmt		*st;
	const char		*hash;
	int			 rc, ok = 0;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		vault_done(st);
		return vault_sqlerr(v, rc, "reading a password", err);
	}
	if (rc == SQLITE_ROW &&
	    (hash = (const char *)sqlite3_column_text(st, 0)) != NULL)
		ok = crypto_pwhash_str_verify(hash, pw, len) == 0;
	else {
		char	dummy[crypto_pwhash_STRBYTES];

		/* No user or no password: spend the same time anyway. */
		if (crypto_pwhash_str(dummy, pw, len, v->opslimit,
		    v->memlimit) == 0)
			sodium_memzero(dummy, sizeof dummy);
	}
	vault_done(st);
	if (!ok)
		return rd_err_set(err, RD_BAD_CREDENTIALS, "wrong user name or "
		    "password");
	return RD_OK;
}

enum rd_code
vault_user_del(struct vault *v, int64_t id, struct rd_err *err)
{
	static const char	 sql[] = "DELETE FROM users WHERE id = ?";
	sqlite3_stmt		*st;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	return vault_exec_stmt(v, st, "deleting a user", err);
}

enum rd_code
vault_user_list(struct vault *v, const char *prefix, const char *after,
    int limit, void (*fn)(void *, const char *, bool), void *arg,
    struct rd_err *err)
{
	/*
	 * One lower bound and at most one upper bound, so the name index
	 * answers the range: a prefix P is [P, P + 0xff), and a page starts
	 * after the larger of P and the last name seen.
	 */
	static const char	 from_sql[] = "SELECT name, active FROM users"
	    " WHERE name >= ?1 AND name < ?2 ORDER BY name LIMIT ?3";
	static const char	 after_sql[] = "SELECT name, active FROM users"
	    " WHERE name > ?1 AND name < ?2 ORDER BY name LIMIT ?3";
	static const char	 all_sql[] = "SELECT name, active FROM users"
	    " WHERE name > ?1 ORDER BY name LIMIT ?3";
	sqlite3_stmt		*st;
	char			 hi[VAULT_NAME_MAX + 2];
	const char		*lo, *sql;
	int			 rc;

	prefix = prefix ? prefix : "";
	if (after != NULL && strcmp(after, prefix) >= 0) {
		lo = after;
		sql = *prefix ? after_sql : all_sql;
	} else {
		lo = prefix;
		sql = *prefix ? from_sql : all_sql;
	}
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	snprintf(hi, sizeof hi, "%s\xff", prefix);
	sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
	if (*prefix)
		sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(arg, (const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int(st, 1) != 0);
	vault_done(st);
	if (rc != SQLITE_DONE)
		return vault_sqlerr(v, rc, "listing users", err);
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
	sqlite3_stmt		*st;
	char			 hi[VAULT_NAME_MAX + 2];
	const char		*upper = NULL, *sql;
	char			**names = NULL;
	bool			*active = NULL;
	int			 rc, n = 0, i;

	prefix = prefix ? prefix : "";
	snprintf(hi, sizeof hi, "%s\xff", prefix);
	if (before != NULL && *before != '\0' &&
	    (*prefix == '\0' || strcmp(before, hi) < 0))
		upper = before;
	else if (*prefix != '\0')
		upper = hi;
	sql = *prefix ? both_sql : upper ? hi_sql : end_sql;
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	if (*prefix)
		sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	if (upper != NULL)
		sqlite3_bind_text(st, 2, upper, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		names = xrealloc(names, (size_t)(n + 1) * sizeof *names);
		active = xrealloc(active, (size_t)(n + 1) * sizeof *active);
		names[n] = xstrdup((const char *)sqlite3_column_text(st, 0));
		active[n++] = sqlite3_column_int(st, 1) != 0;
	}
	vault_done(st);
	for (i = n - 1; i >= 0; i--) {
		if (rc == SQLITE_DONE)
			fn(arg, names[i], active[i]);
		free(names[i]);
	}
	free(names);
	free(active);
	if (rc != SQLITE_DONE)
		return vault_sqlerr(v, rc, "listing users", err);
	return RD_OK;
}

enum rd_code
vault_user_count(struct vault *v, int64_t *n, struct rd_err *err)
{
	static const char	 sql[] = "SELECT count(*) FROM users";
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	vault_done(st);
	if (rc != SQLITE_ROW)
		return vault_sqlerr(v, rc, "counting users", err);
	return RD_OK;
}
