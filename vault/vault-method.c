/*
 * vault-method.c: the methods table.  The secret (OTP secret or device key
 * material) and the provider's request id are sealed per field; the
 * counter is in clear so that vault_method_advance() can refuse a replay
 * in a single conditional UPDATE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/util.h"
#include "vault-int.h"

void
vault_method_clear(struct vault_method *m)
{
	secret_free_bytes(m->secret, m->secret_len + 1);
	secret_free(m->request_id);
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

enum rd_code
vault_method_put(struct vault *v, struct vault_method *m, struct rd_err *err)
{
	static const char	 ins[] = "INSERT INTO methods (user_id, name,"
	    " handler, state, created) VALUES (?, ?, ?, ?, ?)";
	static const char	 upd[] = "UPDATE methods SET state = ?,"
	    " is_primary = ?, secret = ?, counter = ?, request_id = ?,"
	    " last_sent = ?, handler = ? WHERE id = ?";
	sqlite3_stmt		*st;
	int			 rc;

	if (m->id == 0) {
		if ((st = vault_stmt(v, ins, err)) == NULL)
			return err->code;
		sqlite3_bind_int64(st, 1, m->user_id);
		sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, m->handler, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, m->state);
		sqlite3_bind_int64(st, 5, m->created);
		rc = sqlite3_step(st);
		vault_done(st);
		if (rc == SQLITE_CONSTRAINT)
			return rd_err_set(err, RD_EXISTS, "method %s exists "
			    "already for this user", m->name);
		if (rc != SQLITE_DONE)
			return vault_sqlerr(v, rc, "adding a method", err);
		m->id = sqlite3_last_insert_rowid(v->db);
	}
	if ((st = vault_stmt(v, upd, err)) == NULL)
		return err->code;
	sqlite3_bind_int(st, 1, m->state);
	sqlite3_bind_int(st, 2, m->primary);
	seal_bind(v, st, 3, "methods", "secret", m->id, m->secret,
	    m->secret_len);
	sqlite3_bind_int64(st, 4, m->counter);
	seal_bind(v, st, 5, "methods", "request_id", m->id, m->request_id,
	    m->request_id ? strlen(m->request_id) : 0);
	sqlite3_bind_int64(st, 6, m->last_sent);
	sqlite3_bind_text(st, 7, m->handler, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, m->id);
	return vault_exec_stmt(v, st, "writing a method", err);
}

#define METHOD_COLS "id, user_id, name, handler, state, is_primary, secret," \
	" counter, request_id, last_sent, created"

static enum rd_code RD_CHECK
method_row(struct vault *v, sqlite3_stmt *st, struct vault_method *m,
    struct rd_err *err)
{
	uint8_t		*p;
	size_t		 n;
	enum rd_code	 rc;

	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	m->user_id = sqlite3_column_int64(st, 1);
	snprintf(m->name, sizeof m->name, "%s",
	    (const char *)sqlite3_column_text(st, 2));
	snprintf(m->handler, sizeof m->handler, "%s",
	    (const char *)sqlite3_column_text(st, 3));
	m->state = sqlite3_column_int(st, 4);
	m->primary = sqlite3_column_int(st, 5) != 0;
	m->counter = sqlite3_column_int64(st, 7);
	m->last_sent = sqlite3_column_int64(st, 9);
	m->created = sqlite3_column_int64(st, 10);
	if ((rc = seal_open_col(v, st, 6, "methods", "secret", m->id, &p, &n,
	    err)) != RD_OK)
		return rc;
	m->secret = p;
	m->secret_len = n;
	if ((rc = seal_open_col(v, st, 8, "methods", "request_id", m->id, &p,
	    &n, err)) != RD_OK) {
		vault_method_clear(m);
		return rc;
	}
	m->request_id = (char *)p;
	return RD_OK;
}

enum rd_code
vault_method_get(struct vault *v, int64_t user_id, const char *name,
    struct vault_method *out, struct rd_err *err)
{
	static const char	 sql[] = "SELECT " METHOD_COLS " FROM methods"
	    " WHERE user_id = ? AND name = ?";
	sqlite3_stmt		*st;
	enum rd_code		 r;
	int			 rc;

	memset(out, 0, sizeof *out);
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = method_row(v, st, out, err);
	else if (rc == SQLITE_DONE)
		r = rd_err_set(err, RD_NOT_FOUND, "the user has no method %s",
		    name);
	else
		r = vault_sqlerr(v, rc, "reading a method", err);
	vault_done(st);
	return r;
}

enum rd_code
vault_method_list(struct vault *v, int64_t user_id, struct vault_method **out,
    size_t *n, struct rd_err *err)
{
	static const char	 sql[] = "SELECT " METHOD_COLS " FROM methods"
	    " WHERE user_id = ? ORDER BY id";
	sqlite3_stmt		*st;
	struct vault_method	*list = NULL;
	size_t			 len = 0;
	enum rd_code		 r = RD_OK;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, user_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		list = xrealloc(list, (len + 1) * sizeof *list);
		if ((r = method_row(v, st, &list[len], err)) != RD_OK)
			break;
		len++;
	}
	vault_done(st);
	if (r == RD_OK && rc != SQLITE_DONE)
		r = vault_sqlerr(v, rc, "listing methods", err);
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
	static const char	 sql[] = "DELETE FROM methods WHERE id = ?";
	sqlite3_stmt		*st;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	return vault_exec_stmt(v, st, "deleting a method", err);
}

enum rd_code
vault_method_set_primary(struct vault *v, int64_t user_id, int64_t method_id,
    struct rd_err *err)
{
	static const char	 sql[] = "UPDATE methods SET is_primary ="
	    " (id = ?2) WHERE user_id = ?1";
	sqlite3_stmt		*st;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, method_id);
	return vault_exec_stmt(v, st, "setting the primary method", err);
}

enum rd_code
vault_method_advance(struct vault *v, int64_t id, int64_t counter,
    struct rd_err *err)
{
	static const char	 sql[] = "UPDATE methods SET counter = ?"
	    " WHERE id = ? AND counter < ?";
	sqlite3_stmt		*st;
	enum rd_code		 r;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, counter);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, counter);
	if ((r = vault_exec_stmt(v, st, "storing a counter", err)) != RD_OK)
		return r;
	if (sqlite3_changes(v->db) != 1)
		return rd_err_set(err, RD_INVALID_CODE, "code was already used");
	return RD_OK;
}
