/*
 * vault-method.c: the methods table.  The secret (OTP secret or device key
 * material) and the provider's request id are sealed per field, bound to
 * the row and its user.  Every column that decides a login (owner, state,
 * primary flag, counter, cooldown) is under the row's MAC, and the user's
 * row keeps a digest of the user's set of methods, so a method moved to
 * another user, reset, added or deleted without the key reads as
 * vault_corrupt.  The counter still moves in one conditional UPDATE, so
 * two processes cannot both accept the same code.
 *
 * last_used (schema 4) joins the MAC only once it is set: a row written
 * before it existed, or never used since, keeps the MAC it had, so the
 * migration that adds the column needs no keys and rewrites no row.  The
 * field list stays unambiguous (each field is typed and length-prefixed),
 * and a used row cannot pass for an unused one or another time.
 *
 * params (schema 5), the sealed facts of an imported token, joins the MAC
 * the same way: only when set, so older rows keep their MACs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "vault-int.h"

#define METHOD_COLS "id, user_id, name, handler, state, is_primary, secret," \
	" counter, request_id, last_sent, created, mac, last_used, params"

void
vault_method_clear(struct vault_method *m)
{
	secret_release(m->secret);
	secret_release(m->request_id);
	secret_release(m->params);
	memset(m, 0, sizeof *m);
}

void
vault_method_list_free(struct vault_method *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		vault_method_clear(&list[i]);
	free(list);
}

void
method_mac(const struct vault *v, const struct vault_method *m,
    uint8_t out[VAULT_HASH_LEN])
{
	struct rowmac	r;

	rowmac_init(v, &r, "methods");
	rowmac_int(&r, m->id);
	rowmac_int(&r, m->user_id);
	rowmac_text(&r, m->name);
	rowmac_text(&r, m->handler);
	rowmac_int(&r, m->state);
	rowmac_int(&r, m->primary);
	rowmac_blob(&r, m->secret, m->secret_len);
	rowmac_int(&r, m->counter);
	rowmac_text(&r, m->request_id);
	rowmac_int(&r, m->last_sent);
	rowmac_int(&r, m->created);
	if (m->last_used != 0)
		rowmac_int(&r, m->last_used);
	if (m->params != NULL)
		rowmac_text(&r, m->params);
	rowmac_final(&r, out);
}

/* The digest of a set of methods: their ids and names, in id order. */
static void
mset_add(crypto_generichash_state *st, int64_t id, const char *name)
{
	char	buf[VAULT_METHOD_MAX + 32];
	int	n = snprintf(buf, sizeof buf, "%lld:%s;", (long long)id, name);

	crypto_generichash_update(st, (const uint8_t *)buf, (size_t)n);
}

static void
mset_start(const struct vault *v, crypto_generichash_state *st,
    int64_t user_id)
{
	char	buf[32];
	int	n = snprintf(buf, sizeof buf, "mset:%lld;", (long long)user_id);

	crypto_generichash_init(st, v->keys->row, sizeof v->keys->row,
	    VAULT_HASH_LEN);
	crypto_generichash_update(st, (const uint8_t *)buf, (size_t)n);
}

void
mset_empty(const struct vault *v, int64_t user_id,
    uint8_t out[VAULT_HASH_LEN])
{
	crypto_generichash_state hs;

	mset_start(v, &hs, user_id);
	crypto_generichash_final(&hs, out, VAULT_HASH_LEN);
}

/* The set as the table holds it, into hs (not final); *last: its top id. */
static enum rd_code RD_CHECK
mset_scan(struct vault *v, int64_t user_id, crypto_generichash_state *hs,
    int64_t *last, struct rd_err *err)
{
	static const char	 sql[] = "SELECT id, name FROM methods"
	    " WHERE user_id = ? ORDER BY id";
	struct store_stmt	*st;
	int			 rc;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	mset_start(v, hs, user_id);
	*last = 0;
	stmt_bind_int(st, 1, user_id);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		*last = stmt_int(st, 0);
		mset_add(hs, *last, (const char *)stmt_text(st, 1));
	}
	vault_done(st);
	if (rc != STORE_DONE)
		return vault_sqlerr(v, rc, N_("reading methods"), err);
	return RD_OK;
}

enum rd_code
mset_digest(struct vault *v, int64_t user_id, uint8_t out[VAULT_HASH_LEN],
    struct rd_err *err)
{
	crypto_generichash_state hs;
	int64_t			 last;
	enum rd_code		 rc;

	if ((rc = mset_scan(v, user_id, &hs, &last, err)) != RD_OK)
		return rc;
	crypto_generichash_final(&hs, out, VAULT_HASH_LEN);
	return RD_OK;
}

static enum rd_code RD_CHECK
mset_bad(int64_t user_id, struct rd_err *err)
{
	return rd_err_set(err, RD_VAULT_CORRUPT, _("users row %lld fails its "
	    "check: a method of the user was added or removed outside "
	    "redoubt"), (long long)user_id);
}

enum rd_code
mset_verify(struct vault *v, int64_t user_id, struct rd_err *err)
{
	struct urow	r;
	uint8_t		d[VAULT_HASH_LEN];
	enum rd_code	rc;

	if ((rc = urow_get(v, user_id, &r, err)) != RD_OK)
		return rc;
	if ((rc = mset_digest(v, user_id, d, err)) == RD_OK &&
	    sodium_memcmp(d, r.mset, sizeof d) != 0)
		rc = mset_bad(user_id, err);
	urow_clear(&r);
	return rc;
}

enum rd_code
mset_record(struct vault *v, int64_t user_id, struct rd_err *err)
{
	struct urow	r;
	enum rd_code	rc;

	if ((rc = urow_get(v, user_id, &r, err)) != RD_OK)
		return rc;
	if ((rc = mset_digest(v, user_id, r.mset, err)) == RD_OK)
		rc = urow_put(v, &r, err);
	urow_clear(&r);
	return rc;
}

/* Write every column of m (which has its id) and its MAC. */
enum rd_code
method_write(struct vault *v, const struct vault_method *m,
    struct rd_err *err)
{
	static const char	 upd[] = "UPDATE methods SET state = ?,"
	    " is_primary = ?, secret = ?, counter = ?, request_id = ?,"
	    " last_sent = ?, handler = ?, mac = ?, last_used = ?, params = ?"
	    " WHERE id = ? AND user_id = ? AND name = ?";
	struct store_stmt	*st;
	uint8_t			 mac[VAULT_HASH_LEN];

	if ((st = vault_stmt(v, upd, err)) == NULL)
		return err->code;
	method_mac(v, m, mac);
	stmt_bind_int(st, 1, m->state);
	stmt_bind_int(st, 2, m->primary);
	seal_bind(v, st, 3, "methods", "secret", m->id, m->user_id, m->secret,
	    m->secret_len);
	stmt_bind_int(st, 4, m->counter);
	seal_bind(v, st, 5, "methods", "request_id", m->id, m->user_id,
	    m->request_id, m->request_id ? strlen(m->request_id) : 0);
	stmt_bind_int(st, 6, m->last_sent);
	stmt_bind_text(st, 7, m->handler, -1);
	stmt_bind_blob(st, 8, mac, sizeof mac);
	stmt_bind_int(st, 9, m->last_used);
	seal_bind(v, st, 10, "methods", "params", m->id, m->user_id,
	    m->params, m->params ? strlen(m->params) : 0);
	stmt_bind_int(st, 11, m->id);
	stmt_bind_int(st, 12, m->user_id);
	stmt_bind_text(st, 13, m->name, -1);
	/* Exactly this row, as read: else it changed outside redoubt. */
	return vault_queue_stmt(v, st, 1, N_("writing a method"), err);
}

enum rd_code
vault_method_put(struct vault *v, struct vault_method *m, struct rd_err *err)
{
	static const char	 ins[] = "INSERT INTO methods (user_id, name,"
	    " handler, state, created) VALUES (?, ?, ?, ?, ?)"
	    " ON CONFLICT (user_id, name) DO NOTHING RETURNING id";
	crypto_generichash_state hs, done;
	struct store_stmt	*st;
	struct urow		 u;
	uint8_t			 d[VAULT_HASH_LEN];
	int64_t			 last;
	enum rd_code		 r;

	if (m->id != 0)
		return method_write(v, m, err);
	/*
	 * A new method changes the user's set: check it first, then record.
	 * Ids only grow, so the new set is the old one and the new method
	 * after it: the digest goes on from where the check left it.
	 */
	if ((r = urow_get(v, m->user_id, &u, err)) != RD_OK)
		return r;
	r = mset_scan(v, m->user_id, &hs, &last, err);
	done = hs;
	crypto_generichash_final(&done, d, sizeof d);
	if (r == RD_OK && sodium_memcmp(d, u.mset, sizeof d) != 0)
		r = mset_bad(m->user_id, err);
	if (r != RD_OK)
		goto out;
	if ((st = vault_stmt(v, ins, err)) == NULL) {
		r = err->code;
		goto out;
	}
	stmt_bind_int(st, 1, m->user_id);
	stmt_bind_text(st, 2, m->name, -1);
	stmt_bind_text(st, 3, m->handler, -1);
	stmt_bind_int(st, 4, m->state);
	stmt_bind_int(st, 5, m->created);
	if ((r = vault_insert_id(v, st, N_("adding a method"), &m->id,
	    err)) != RD_OK)
		goto out;
	if (m->id == 0) {
		r = rd_err_set(err, RD_EXISTS,
		    _("method %s exists already for "
		    "this user"), m->name);
		goto out;
	}
	if ((r = method_write(v, m, err)) != RD_OK)
		goto out;
	if (m->id <= last) {
		/* A sequence set back by hand: ask the table instead. */
		r = mset_record(v, m->user_id, err);
		goto out;
	}
	mset_add(&hs, m->id, m->name);
	crypto_generichash_final(&hs, u.mset, sizeof u.mset);
	r = urow_put(v, &u, err);
out:
	urow_clear(&u);
	return r;
}

static enum rd_code RD_CHECK
method_row(struct vault *v, struct store_stmt *st, struct vault_method *m,
    struct rd_err *err)
{
	uint8_t		*p, mac[VAULT_HASH_LEN];
	size_t		 n;
	enum rd_code	 rc;

	memset(m, 0, sizeof *m);
	m->id = stmt_int(st, 0);
	m->user_id = stmt_int(st, 1);
	snprintf(m->name, sizeof m->name, "%s",
	    (const char *)stmt_text(st, 2));
	snprintf(m->handler, sizeof m->handler, "%s",
	    (const char *)stmt_text(st, 3));
	m->state = stmt_int(st, 4);
	m->primary = stmt_int(st, 5) != 0;
	m->counter = stmt_int(st, 7);
	m->last_sent = stmt_int(st, 9);
	m->created = stmt_int(st, 10);
	m->last_used = stmt_int(st, 12);
	if ((rc = seal_open_col(v, st, 6, "methods", "secret", m->id,
	    m->user_id, &p, &n, err)) != RD_OK)
		return rc;
	m->secret = p;
	m->secret_len = n;
	if ((rc = seal_open_col(v, st, 8, "methods", "request_id", m->id,
	    m->user_id, &p, &n, err)) != RD_OK)
		goto fail;
	m->request_id = (char *)p;
	if ((rc = seal_open_col(v, st, 13, "methods", "params", m->id,
	    m->user_id, &p, &n, err)) != RD_OK)
		goto fail;
	m->params = (char *)p;
	method_mac(v, m, mac);
	if (!rowmac_check(st, 11, mac)) {
		rc = rowmac_bad("methods", m->id, err);
		goto fail;
	}
	return RD_OK;
fail:
	vault_method_clear(m);
	return rc;
}

enum rd_code
vault_method_get(struct vault *v, int64_t user_id, const char *name,
    struct vault_method *out, struct rd_err *err)
{
	static const char	 sql[] = "SELECT " METHOD_COLS " FROM methods"
	    " WHERE user_id = ? AND name = ?";
	struct store_stmt	*st;
	enum rd_code		 r;
	int			 rc;

	memset(out, 0, sizeof *out);
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, user_id);
	stmt_bind_text(st, 2, name, -1);
	rc = stmt_step(st);
	if (rc == STORE_ROW)
		r = method_row(v, st, out, err);
	else if (rc == STORE_DONE)
		r = rd_err_set(err, RD_NOT_FOUND,
		    _("the user has no method %s"),
		    name);
	else
		r = vault_sqlerr(v, rc, N_("reading a method"), err);
	vault_done(st);
	return r;
}

enum rd_code
vault_method_list(struct vault *v, int64_t user_id, struct vault_method **out,
    size_t *n, struct rd_err *err)
{
	static const char	 sql[] = "SELECT " METHOD_COLS " FROM methods"
	    " WHERE user_id = ? ORDER BY id";
	crypto_generichash_state hs;
	struct store_stmt	*st;
	struct vault_method	*list = NULL;
	struct urow		 u;
	uint8_t			 d[VAULT_HASH_LEN];
	size_t			 len = 0;
	enum rd_code		 r = RD_OK;
	int			 rc;

	*out = NULL;
	*n = 0;
	/* What the user's row says the set is: a deletion shows here. */
	if ((r = urow_get(v, user_id, &u, err)) != RD_OK)
		return r;
	if ((st = vault_stmt(v, sql, err)) == NULL) {
		urow_clear(&u);
		return err->code;
	}
	mset_start(v, &hs, user_id);
	stmt_bind_int(st, 1, user_id);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		list = xrealloc(list, (len + 1) * sizeof *list);
		if ((r = method_row(v, st, &list[len], err)) != RD_OK)
			break;
		mset_add(&hs, list[len].id, list[len].name);
		len++;
	}
	vault_done(st);
	crypto_generichash_final(&hs, d, sizeof d);
	if (r == RD_OK && rc != STORE_DONE)
		r = vault_sqlerr(v, rc, N_("listing methods"), err);
	if (r == RD_OK && sodium_memcmp(d, u.mset, sizeof d) != 0)
		r = mset_bad(user_id, err);
	urow_clear(&u);
	if (r != RD_OK) {
		vault_method_list_free(list, len);
		return r;
	}
	*out = list;
	*n = len;
	return RD_OK;
}

enum rd_code
vault_method_del(struct vault *v, int64_t id, struct rd_err *err)
{
	static const char	 own[] = "SELECT user_id FROM methods"
	    " WHERE id = ?";
	static const char	 sql[] = "DELETE FROM methods WHERE id = ?";
	struct store_stmt	*st;
	int64_t			 user_id = 0;
	enum rd_code		 r;
	int			 rc;

	if ((st = vault_stmt(v, own, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, id);
	if ((rc = stmt_step(st)) == STORE_ROW)
		user_id = stmt_int(st, 0);
	vault_done(st);
	if (rc == STORE_DONE)
		return rd_err_set(err, RD_NOT_FOUND,
		    _("no method with that id"));
	if (rc != STORE_ROW)
		return vault_sqlerr(v, rc, N_("reading a method"), err);
	if ((r = mset_verify(v, user_id, err)) != RD_OK)
		return r;
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, id);
	if ((r = vault_exec_stmt(v, st, N_("deleting a method"), err)) != RD_OK)
		return r;
	return mset_record(v, user_id, err);
}

enum rd_code
vault_method_set_primary(struct vault *v, int64_t user_id, int64_t method_id,
    struct rd_err *err)
{
	struct vault_method	*list;
	size_t			 n, i;
	enum rd_code		 r;

	if ((r = vault_method_list(v, user_id, &list, &n, err)) != RD_OK)
		return r;
	for (i = 0; i < n && r == RD_OK; i++) {
		if (list[i].primary == (list[i].id == method_id))
			continue;
		list[i].primary = list[i].id == method_id;
		r = method_write(v, &list[i], err);
	}
	vault_method_list_free(list, n);
	return r;
}

enum rd_code
vault_method_advance(struct vault *v, struct vault_method *m, int64_t counter,
    struct rd_err *err)
{
	static const char	 sql[] = "UPDATE methods SET counter = ?,"
	    " mac = ? WHERE id = ? AND counter = ? AND counter < ?";
	struct store_stmt	*st;
	struct vault_method	 next = *m;
	uint8_t			 mac[VAULT_HASH_LEN];
	int			 sr;

	if (counter <= m->counter)
		return rd_err_set(err, RD_INVALID_CODE,
		    _("code was already used"));
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	next.counter = counter;
	method_mac(v, &next, mac);
	stmt_bind_int(st, 1, counter);
	stmt_bind_blob(st, 2, mac, sizeof mac);
	stmt_bind_int(st, 3, m->id);
	stmt_bind_int(st, 4, m->counter);
	stmt_bind_int(st, 5, counter);
	/* As for a backup code (backup-set.c): the count is the guard. */
	if ((sr = stmt_queue(st, 1)) == STORE_MISMATCH)
		return rd_err_set(err, RD_INVALID_CODE,
		    _("code was already used"));
	if (sr != STORE_OK)
		return vault_sqlerr(v, sr, N_("storing a counter"), err);
	m->counter = counter;
	return RD_OK;
}
