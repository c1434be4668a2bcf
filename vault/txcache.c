/*
 * txcache.c: what a write transaction keeps in memory instead of asking
 * the store again: the audit chain's head, the user row read last and the
 * login token read last.
 *
 * Inside a write transaction no other writer can change a row (the store
 * holds the writers' lock, and PostgreSQL's snapshot is fixed), so a row
 * read twice is the same row, with its MAC checked once already.  Asking
 * again cost a round trip to a shared store each time: a command read
 * one user up to five times, and every audit row read and wrote the three
 * header rows of the chain's head.  Now the head is read once and written
 * once, at commit (which also keeps a transaction of many audit rows from
 * rewriting the same header rows once per row).
 *
 * Both are dropped when a transaction ends either way, and at a rollback
 * to the savepoint; the head as it was at the savepoint comes back then.
 * Outside a transaction nothing is kept: every read asks the store.
 */
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "vault-int.h"

void
txcache_user_drop(struct vault *v)
{
	if (v->tx.user_ok)
		urow_clear(&v->tx.user);
	v->tx.user_ok = false;
}

void
txcache_token_drop(struct vault *v)
{
	v->tx.token_ok = false;
}

void
txcache_end(struct vault *v)
{
	txcache_user_drop(v);
	txcache_token_drop(v);
	memset(&v->tx.head, 0, sizeof v->tx.head);
	memset(&v->tx.mark, 0, sizeof v->tx.mark);
}

void
txcache_savepoint(struct vault *v)
{
	v->tx.mark = v->tx.head;
}

void
txcache_rollback_to(struct vault *v)
{
	txcache_user_drop(v);
	txcache_token_drop(v);
	v->tx.head = v->tx.mark;
}

/* A copy of r whose secrets are its own. */
static bool
urow_copy(struct urow *dst, const struct urow *src)
{
	*dst = *src;
	dst->u.email = NULL;
	dst->u.phone = NULL;
	dst->pwhash = NULL;
	if ((src->u.email != NULL &&
	    (dst->u.email = secret_strdup(src->u.email)) == NULL) ||
	    (src->u.phone != NULL &&
	    (dst->u.phone = secret_strdup(src->u.phone)) == NULL) ||
	    (src->pwhash != NULL &&
	    (dst->pwhash = secret_strdup(src->pwhash)) == NULL)) {
		urow_clear(dst);
		return false;
	}
	return true;
}

bool
txcache_user_get(struct vault *v, int64_t id, const char *name,
    struct urow *r)
{
	if (!v->tx.user_ok || !store_in_tx(v->db))
		return false;
	if (name != NULL ? strcmp(v->tx.user.u.name, name) != 0 :
	    v->tx.user.u.id != id)
		return false;
	return urow_copy(r, &v->tx.user);
}

void
txcache_user_put(struct vault *v, const struct urow *r,
    const uint8_t *stamp)
{
	txcache_user_drop(v);
	if (!store_in_tx(v->db) || !urow_copy(&v->tx.user, r))
		return;
	/* As a read of a row just written would stamp it. */
	memcpy(v->tx.user.u.stamp, stamp, sizeof v->tx.user.u.stamp);
	v->tx.user_ok = true;
}

bool
txcache_token_get(struct vault *v, const uint8_t *h, struct vault_token *t)
{
	if (!v->tx.token_ok || !store_in_tx(v->db) ||
	    sodium_memcmp(v->tx.token_h, h, sizeof v->tx.token_h) != 0)
		return false;
	*t = v->tx.token;
	return true;
}

void
txcache_token_put(struct vault *v, const uint8_t *h,
    const struct vault_token *t)
{
	v->tx.token_ok = store_in_tx(v->db);
	memcpy(v->tx.token_h, h, sizeof v->tx.token_h);
	v->tx.token = *t;
}

enum rd_code
txcache_flush(struct vault *v, struct rd_err *err)
{
	static const char *const keys[] = { "audit_mac", "audit_rows",
	    "audit_head" };
	struct audit_tx		*h = &v->tx.head;
	struct store_val	 val[3];
	uint8_t			 tag[VAULT_HASH_LEN];
	int			 rc;

	if (!h->dirty)
		return RD_OK;
	audit_head_tag(v, h->rows, h->mac, tag);
	/* One write of the three (one trip to a shared store). */
	val[0].type = STORE_BLOB;
	val[0].p = h->mac;
	val[0].n = sizeof h->mac;
	val[1].type = STORE_INT;
	val[1].i = h->rows;
	val[2].type = STORE_BLOB;
	val[2].p = tag;
	val[2].n = sizeof tag;
	if ((rc = v->db->ops->meta_put_n(v->db, keys, val, 3)) != STORE_OK)
		return vault_sqlerr(v, rc, N_("writing the audit head"), err);
	h->dirty = false;
	return RD_OK;
}
