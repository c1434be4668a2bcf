/*
 * vault-log.c: the outbox and the audit log.
 *
 * Outbox messages are sealed (they hold codes).  Each audit row carries a
 * MAC over the previous row's MAC and its own fields, keyed with the audit
 * subkey; the newest MAC and the row count also sit in meta, so removing
 * rows from the end is caught as surely as editing one in the middle.
 * Checking the chain, and the head to keep outside, is audit-verify.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "vault-int.h"

void
vault_message_clear(struct vault_message *m)
{
	secret_release(m->to);
	secret_release(m->body);
	memset(m, 0, sizeof *m);
}

enum rd_code
vault_outbox_add(struct vault *v, const char *method, const char *to,
    const char *body, int64_t now, int64_t *id, struct rd_err *err)
{
	static const char	 ins[] = "INSERT INTO outbox (method, recipient,"
	    " body, sent_at) VALUES (?, ?, ?, ?) RETURNING id";
	static const char	 upd[] = "UPDATE outbox SET recipient = ?,"
	    " body = ? WHERE id = ?";
	struct store_stmt	*st;
	enum rd_code		 r;
	int64_t			 row;

	if ((st = vault_stmt(v, ins, err)) == NULL)
		return err->code;
	stmt_bind_text(st, 1, method, -1);
	/* Empty until sealed: the seal binds the row's id, not known yet. */
	stmt_bind_blob(st, 2, "", 0);
	stmt_bind_blob(st, 3, "", 0);
	stmt_bind_int(st, 4, now);
	if ((r = vault_insert_id(v, st, N_("adding to the outbox"), &row,
	    err)) != RD_OK)
		return r;
	if ((st = vault_stmt(v, upd, err)) == NULL)
		return err->code;
	seal_bind(v, st, 1, "outbox", "recipient", row, 0, to, strlen(to));
	seal_bind(v, st, 2, "outbox", "body", row, 0, body, strlen(body));
	stmt_bind_int(st, 3, row);
	if ((r = vault_queue_stmt(v, st, -1, N_("sealing a message"),
	    err)) != RD_OK)
		return r;
	if (id != NULL)
		*id = row;
	return RD_OK;
}

static enum rd_code RD_CHECK
message_row(struct vault *v, struct store_stmt *st, struct vault_message *m,
    struct rd_err *err)
{
	uint8_t		*p;
	size_t		 n;
	enum rd_code	 r;

	memset(m, 0, sizeof *m);
	m->id = stmt_int(st, 0);
	snprintf(m->method, sizeof m->method, "%s",
	    (const char *)stmt_text(st, 1));
	m->sent_at = stmt_int(st, 4);
	if ((r = seal_open_col(v, st, 2, "outbox", "recipient", m->id, 0, &p, &n,
	    err)) != RD_OK)
		return r;
	m->to = (char *)p;
	if ((r = seal_open_col(v, st, 3, "outbox", "body", m->id, 0, &p, &n,
	    err)) != RD_OK) {
		vault_message_clear(m);
		return r;
	}
	m->body = (char *)p;
	return RD_OK;
}

enum rd_code
vault_outbox_list(struct vault *v,
    void (*fn)(void *, const struct vault_message *), void *arg,
    struct rd_err *err)
{
	static const char	 sql[] = "SELECT id, method, recipient, body,"
	    " sent_at FROM outbox ORDER BY id";
	struct store_stmt	*st;
	struct vault_message	 m;
	enum rd_code		 r = RD_OK;
	int			 rc;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	while ((rc = stmt_step(st)) == STORE_ROW) {
		if ((r = message_row(v, st, &m, err)) != RD_OK)
			break;
		fn(arg, &m);
		vault_message_clear(&m);
	}
	vault_done(st);
	if (r == RD_OK && rc != STORE_DONE)
		r = vault_sqlerr(v, rc, N_("reading the outbox"), err);
	return r;
}

enum rd_code
vault_outbox_get(struct vault *v, int64_t id, struct vault_message *out,
    struct rd_err *err)
{
	static const char	 sql[] = "SELECT id, method, recipient, body,"
	    " sent_at FROM outbox WHERE id = ?";
	struct store_stmt	*st;
	enum rd_code		 r;
	int			 rc;

	memset(out, 0, sizeof *out);
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, id);
	rc = stmt_step(st);
	if (rc == STORE_ROW)
		r = message_row(v, st, out, err);
	else if (rc == STORE_DONE)
		r = rd_err_set(err, RD_NOT_FOUND, _("no outbox message %lld"),
		    (long long)id);
	else
		r = vault_sqlerr(v, rc, N_("reading the outbox"), err);
	vault_done(st);
	return r;
}

enum rd_code
vault_outbox_clear(struct vault *v, struct rd_err *err)
{
	static const char	 sql[] = "DELETE FROM outbox";
	struct store_stmt	*st;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	return vault_queue_stmt(v, st, -1, N_("clearing the outbox"),
	    err);
}

void
audit_mac_field(crypto_generichash_state *st, const char *s)
{
	uint32_t	len = s ? (uint32_t)strlen(s) : UINT32_MAX;

	/* Length-prefixed, and NULL distinct from "", so fields cannot shift. */
	crypto_generichash_update(st, (const uint8_t *)&len, sizeof len);
	if (s != NULL)
		crypto_generichash_update(st, (const uint8_t *)s, strlen(s));
}

void
audit_mac(const struct vault *v, const uint8_t prev[VAULT_HASH_LEN],
    const struct vault_audit *a, uint8_t out[VAULT_HASH_LEN])
{
	crypto_generichash_state	st;
	char				num[48];

	crypto_generichash_init(&st, v->keys->audit, sizeof v->keys->audit,
	    VAULT_HASH_LEN);
	crypto_generichash_update(&st, prev, VAULT_HASH_LEN);
	snprintf(num, sizeof num, "%" PRId64 ":%" PRId64, a->id, a->time);
	audit_mac_field(&st, num);
	audit_mac_field(&st, a->actor);
	audit_mac_field(&st, a->user);
	audit_mac_field(&st, a->action);
	audit_mac_field(&st, a->outcome);
	audit_mac_field(&st, a->detail);
	crypto_generichash_final(&st, out, VAULT_HASH_LEN);
}

/*
 * The head tag: a keyed MAC over the row count and the newest row's MAC.
 * Both are readable in the file, so only the tag makes them trustworthy:
 * without the key nobody can cut rows from the end and patch the head.
 */
void
audit_head_tag(const struct vault *v, int64_t rows,
    const uint8_t mac[VAULT_HASH_LEN], uint8_t out[VAULT_HASH_LEN])
{
	crypto_generichash_state	st;
	char				num[48];

	crypto_generichash_init(&st, v->keys->audit, sizeof v->keys->audit,
	    VAULT_HASH_LEN);
	snprintf(num, sizeof num, "head:%" PRId64, rows);
	audit_mac_field(&st, num);
	crypto_generichash_update(&st, mac, VAULT_HASH_LEN);
	crypto_generichash_final(&st, out, VAULT_HASH_LEN);
}

enum rd_code
vault_audit_start(struct vault *v, struct rd_err *err)
{
	uint8_t			 zero[VAULT_HASH_LEN], tag[VAULT_HASH_LEN];

	memset(zero, 0, sizeof zero);
	audit_head_tag(v, 0, zero, tag);
	return meta_put(v, "audit_head", tag, sizeof tag, 0, err);
}

static const char *const head_keys[] = { "audit_mac", "audit_rows" };

/*
 * Nearly every write transaction adds an audit row: a shared store may
 * fetch the head with the transaction's first statement.
 */
int
audit_prefetch(struct vault *v)
{
	return v->db->ops->meta_prefetch(v->db, head_keys, 2);
}

/*
 * The chain head kept in meta (newest MAC and row count) and the id the
 * next row will get (next may be NULL).  The head, not the last row, is
 * what a new row chains to: were rows cut from the end, chaining to the
 * new last row would hide the cut.  In a write transaction the head is
 * read once and kept (txcache.c); outside one it is read each time.
 */
enum rd_code
audit_head(struct vault *v, uint8_t mac[VAULT_HASH_LEN], int64_t *rows,
    int64_t *next, struct rd_err *err)
{
	static const char	 sql[] = "SELECT coalesce(max(id), 0) + 1"
	    " FROM audit";
	struct audit_tx		*h = &v->tx.head;
	struct store_stmt	*st;
	struct store_val	 val[2];
	int			 rc;

	if (h->valid && store_in_tx(v->db)) {
		memcpy(mac, h->mac, VAULT_HASH_LEN);
		*rows = h->rows;
		if (next != NULL)
			*next = h->next;
		return RD_OK;
	}
	memset(mac, 0, VAULT_HASH_LEN);
	*rows = 0;
	if ((rc = v->db->ops->meta_get_n(v->db, head_keys, 2, val)) !=
	    STORE_OK)
		return vault_sqlerr(v, rc, N_("reading the audit head"), err);
	if (val[0].type == STORE_BLOB && val[0].n == VAULT_HASH_LEN)
		memcpy(mac, val[0].p, VAULT_HASH_LEN);
	if (val[1].type == STORE_INT) {
		/*
		 * Ids run 1, 2, ... as rows are added (audit-verify.c relies
		 * on it too), so the next is one past the count.  A row
		 * slipped in at that id without the key makes the insert
		 * fail as vault_corrupt; verify finds any other edit.
		 */
		*rows = val[1].i;
		h->next = *rows + 1;
	} else if (next != NULL || store_in_tx(v->db)) {
		/* No row counted yet (or a vault from before the count). */
		if ((st = vault_stmt(v, sql, err)) == NULL)
			return err->code;
		if ((rc = stmt_step(st)) == STORE_ROW)
			h->next = stmt_int(st, 0);
		vault_done(st);
		if (rc != STORE_ROW)
			return vault_sqlerr(v, rc,
			    N_("reading the audit head"), err);
	}
	if (next != NULL)
		*next = h->next;
	if (store_in_tx(v->db)) {
		memcpy(h->mac, mac, VAULT_HASH_LEN);
		h->rows = *rows;
		h->valid = true;
		h->dirty = false;
	}
	return RD_OK;
}

enum rd_code
vault_audit_add(struct vault *v, const struct vault_audit *a,
    struct rd_err *err)
{
	static const char	 ins[] = "INSERT INTO audit (id, time, actor,"
	    " \"user\", action, outcome, detail, mac) VALUES (?,?,?,?,?,?,?,?)";
	struct audit_tx		*h = &v->tx.head;
	struct store_stmt	*st;
	struct vault_audit	 row = *a;
	uint8_t			 prev[VAULT_HASH_LEN], mac[VAULT_HASH_LEN];
	int64_t			 rows;
	enum rd_code		 r;

	/* The caller holds the write lock, so the next id is ours. */
	if ((r = audit_head(v, prev, &rows, &row.id, err)) != RD_OK)
		return r;
	audit_mac(v, prev, &row, mac);
	if ((st = vault_stmt(v, ins, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, row.id);
	stmt_bind_int(st, 2, a->time);
	stmt_bind_text(st, 3, a->actor, -1);
	stmt_bind_text(st, 4, a->user, -1);
	stmt_bind_text(st, 5, a->action, -1);
	stmt_bind_text(st, 6, a->outcome, -1);
	stmt_bind_text(st, 7, a->detail, -1);
	stmt_bind_blob(st, 8, mac, sizeof mac);
	if ((r = vault_queue_stmt(v, st, -1,
	    N_("writing the audit log"), err)) != RD_OK)
		return r;
	/* The new head, written once when the transaction commits. */
	memcpy(h->mac, mac, sizeof mac);
	h->rows = rows + 1;
	h->next = row.id + 1;
	h->valid = true;
	h->dirty = true;
	if (!store_in_tx(v->db))
		return txcache_flush(v, err);
	return RD_OK;
}

void
audit_row(struct store_stmt *st, struct vault_audit *a)
{
	a->id = stmt_int(st, 0);
	a->time = stmt_int(st, 1);
	a->actor = (const char *)stmt_text(st, 2);
	a->user = (const char *)stmt_text(st, 3);
	a->action = (const char *)stmt_text(st, 4);
	a->outcome = (const char *)stmt_text(st, 5);
	a->detail = (const char *)stmt_text(st, 6);
}

enum rd_code
vault_audit_list(struct vault *v, const struct vault_audit_filter *f,
    void (*fn)(void *, const struct vault_audit *), void *arg,
    struct rd_err *err)
{
	/*
	 * One statement for every mix of filters: an absent one is bound as
	 * NULL and passes every row.  Walking the ids down stops at the
	 * limit, so the newest rows of a long log cost what a short one does.
	 */
	static const char	 sql[] = "SELECT * FROM (SELECT id, time, actor,"
	    " \"user\", action, outcome, detail FROM audit"
	    " WHERE (CAST(?1 AS TEXT) IS NULL OR \"user\" = ?1) AND"
	    " (CAST(?2 AS TEXT) IS NULL OR action = ?2) AND time >= ?3 ORDER BY id DESC LIMIT ?4) AS a"
	    " ORDER BY id";
	static const struct vault_audit_filter all = { NULL, NULL, 0, 0 };
	struct store_stmt	*st;
	struct vault_audit	 a;
	int			 rc;

	if (f == NULL)
		f = &all;
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	if (f->user != NULL)
		stmt_bind_text(st, 1, f->user, -1);
	else
		stmt_bind_null(st, 1);
	if (f->action != NULL)
		stmt_bind_text(st, 2, f->action, -1);
	else
		stmt_bind_null(st, 2);
	stmt_bind_int(st, 3, f->since);
	stmt_bind_int(st, 4, f->limit > 0 ? f->limit : INT64_MAX);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		audit_row(st, &a);
		fn(arg, &a);
	}
	vault_done(st);
	if (rc != STORE_DONE)
		return vault_sqlerr(v, rc, N_("reading the audit log"), err);
	return RD_OK;
}
