/*
 * audit-verify.c: checking the audit log's MAC chain, in full or from the
 * verified head sealed in the vault, and the head digest to keep outside.
 *
 * A full walk recomputes every row's MAC from the first.  After a good
 * check the vault keeps a verified head in meta ('audit_verified'): the
 * row count, the id of the newest row and its chain MAC, under a tag keyed
 * with the audit subkey, so nobody without the key can move it past a row
 * they edited.  The next check starts there: the tag must hold and the
 * row with that id must still carry the sealed MAC (a cut through the
 * head, or the log rewritten up to it, shows); then only the newer rows
 * are walked, chaining from the sealed MAC, so a daily check costs the
 * day's rows and nothing that grows with the log.  What only a full walk
 * (--full) finds is a row before the head edited, deleted or inserted:
 * seeing those means reading every row (even counting them costs a
 * tenth of a full walk on a million rows, bench.c).  A
 * sealed head that fails its tag, or that the file no longer matches, is
 * a change made outside redoubt: the log is walked in full (naming any
 * broken row) and the check fails all the same.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../src/i18n.h"
#include "vault-int.h"

/* rows and id, little-endian, then the chain MAC and the tag */
#define VHEAD_LEN	(16 + 2 * VAULT_HASH_LEN)

struct vhead {
	int64_t		rows, id;
	uint8_t		mac[VAULT_HASH_LEN];
};

static void
vhead_tag(const struct vault *v, const struct vhead *h,
    uint8_t out[VAULT_HASH_LEN])
{
	crypto_generichash_state	st;
	char				num[64];

	crypto_generichash_init(&st, v->keys->audit, sizeof v->keys->audit,
	    VAULT_HASH_LEN);
	snprintf(num, sizeof num, "verified:%" PRId64 ":%" PRId64, h->rows,
	    h->id);
	audit_mac_field(&st, num);
	crypto_generichash_update(&st, h->mac, VAULT_HASH_LEN);
	crypto_generichash_final(&st, out, VAULT_HASH_LEN);
}

static void
put64(uint8_t *p, int64_t x)
{
	int	i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)((uint64_t)x >> (8 * i));
}

static int64_t
get64(const uint8_t *p)
{
	uint64_t	x = 0;
	int		i;

	for (i = 7; i >= 0; i--)
		x = x << 8 | p[i];
	return (int64_t)x;
}

/* The sealed head: *have false when there is none, *good whether it holds. */
static enum rd_code RD_CHECK
vhead_get(struct vault *v, struct vhead *h, bool *have, bool *good,
    struct rd_err *err)
{
	struct store_val	 val;
	const uint8_t		*p;
	uint8_t			 want[VAULT_HASH_LEN];
	enum rd_code		 rc;

	*have = *good = false;
	memset(h, 0, sizeof *h);
	if ((rc = meta_find(v, "audit_verified", &val, have, err)) != RD_OK)
		return rc;
	p = val.p;
	if (*have && val.type == STORE_BLOB && val.n == VHEAD_LEN &&
	    p != NULL) {
		h->rows = get64(p);
		h->id = get64(p + 8);
		memcpy(h->mac, p + 16, VAULT_HASH_LEN);
		vhead_tag(v, h, want);
		*good = h->rows > 0 && h->id > 0 &&
		    sodium_memcmp(want, p + 16 + VAULT_HASH_LEN,
		    VAULT_HASH_LEN) == 0;
	}
	return RD_OK;
}

static enum rd_code RD_CHECK
vhead_put(struct vault *v, const struct vhead *h, struct rd_err *err)
{
	uint8_t			 buf[VHEAD_LEN];

	put64(buf, h->rows);
	put64(buf + 8, h->id);
	memcpy(buf + 16, h->mac, VAULT_HASH_LEN);
	vhead_tag(v, h, buf + 16 + VAULT_HASH_LEN);
	return meta_put(v, "audit_verified", buf, sizeof buf, 0, err);
}

/* Whether the file still matches the sealed head: its row keeps the MAC. */
static enum rd_code RD_CHECK
vhead_holds(struct vault *v, const struct vhead *h, bool *holds,
    struct rd_err *err)
{
	static const char	 sql[] = "SELECT mac FROM audit WHERE id = ?";
	struct store_stmt	*st;
	int			 rc;

	*holds = false;
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, h->id);
	if ((rc = stmt_step(st)) == STORE_ROW)
		*holds = stmt_bytes(st, 0) == VAULT_HASH_LEN &&
		    sodium_memcmp(stmt_blob(st, 0), h->mac,
		    VAULT_HASH_LEN) == 0;
	vault_done(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return vault_sqlerr(v, rc, N_("reading the audit log"), err);
	return RD_OK;
}

static enum rd_code RD_CHECK
audit_tag_get(struct vault *v, uint8_t tag[VAULT_HASH_LEN], bool *have,
    struct rd_err *err)
{
	struct store_val	val;
	bool			found;
	enum rd_code		rc;

	*have = false;
	/* The head this transaction changed is in memory until commit. */
	if ((rc = txcache_flush(v, err)) != RD_OK ||
	    (rc = meta_find(v, "audit_head", &val, &found, err)) != RD_OK)
		return rc;
	if (found && val.type == STORE_BLOB && val.n == VAULT_HASH_LEN) {
		memcpy(tag, val.p, VAULT_HASH_LEN);
		*have = true;
	}
	return RD_OK;
}

/* The exported head: ROWS-HEX of a keyed hash over the count and the MAC. */
static void
audit_head_digest(const struct vault *v, int64_t rows,
    const uint8_t mac[VAULT_HASH_LEN], char out[VAULT_HEAD_MAX])
{
	crypto_generichash_state	st;
	uint8_t				h[16];
	char				num[48], hex[sizeof h * 2 + 1];

	crypto_generichash_init(&st, v->keys->audit, sizeof v->keys->audit,
	    sizeof h);
	snprintf(num, sizeof num, "exported-head:%" PRId64, rows);
	audit_mac_field(&st, num);
	crypto_generichash_update(&st, mac, VAULT_HASH_LEN);
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(out, VAULT_HEAD_MAX, "%" PRId64 "-%s", rows, hex);
}

enum rd_code
vault_audit_head(struct vault *v, char out[VAULT_HEAD_MAX], int64_t *rows,
    struct rd_err *err)
{
	uint8_t		mac[VAULT_HASH_LEN];
	enum rd_code	r;

	if ((r = audit_head(v, mac, rows, NULL, err)) != RD_OK)
		return r;
	audit_head_digest(v, *rows, mac, out);
	return RD_OK;
}

/*
 * Whether the log, up to the verified head, passes through an exported
 * head of at rows: the row with id at (ids run 1, 2, ... as rows are
 * added) must carry the MAC the digest was made from.  Only the key makes
 * a MAC that yields the digest, so a match is the very row; a log whose
 * ids were disturbed just fails to match.
 */
static enum rd_code RD_CHECK
extends_before(struct vault *v, int64_t at, const char *head, bool *extends,
    struct rd_err *err)
{
	static const char	 sql[] = "SELECT mac FROM audit WHERE id = ?";
	struct store_stmt	*st;
	char			 digest[VAULT_HEAD_MAX];
	int			 rc;

	*extends = false;
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, at);
	if ((rc = stmt_step(st)) == STORE_ROW &&
	    stmt_bytes(st, 0) == VAULT_HASH_LEN) {
		audit_head_digest(v, at, stmt_blob(st, 0), digest);
		*extends = strcmp(digest, head) == 0;
	}
	vault_done(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return vault_sqlerr(v, rc, N_("reading the audit log"), err);
	return RD_OK;
}

/*
 * Walk the rows after id h->id chaining from h->mac, h->rows counted
 * already; h ends at the last good row.  at and head as for the check.
 * From the start (no rows counted) every id counts, 0 and below too: a
 * row slipped in before the first is a break like any other.
 */
static enum rd_code RD_CHECK
walk(struct vault *v, struct vhead *h, int64_t at, const char *head,
    struct vault_verify *out, struct rd_err *err)
{
	static const char	 sql[] = "SELECT id, time, actor, \"user\", action,"
	    " outcome, detail, mac FROM audit WHERE id > ? ORDER BY id";
	struct store_stmt	*st;
	struct vault_audit	 a;
	uint8_t			 mac[VAULT_HASH_LEN];
	char			 digest[VAULT_HEAD_MAX];
	int			 rc;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, h->rows > 0 ? h->id : INT64_MIN);
	while ((rc = stmt_step(st)) == STORE_ROW) {
		audit_row(st, &a);
		audit_mac(v, h->mac, &a, mac);
		out->checked++;
		if (stmt_bytes(st, 7) != VAULT_HASH_LEN ||
		    sodium_memcmp(stmt_blob(st, 7), mac,
		    sizeof mac) != 0) {
			/* Counted, as the rows read so far. */
			out->bad = a.id;
			h->rows++;
			break;
		}
		memcpy(h->mac, mac, sizeof mac);
		h->id = a.id;
		if (++h->rows == at) {
			audit_head_digest(v, h->rows, mac, digest);
			out->extends = strcmp(digest, head) == 0;
		}
	}
	vault_done(st);
	if (rc != STORE_DONE && rc != STORE_ROW)
		return vault_sqlerr(v, rc, N_("reading the audit log"), err);
	return RD_OK;
}

static enum rd_code RD_CHECK
audit_check(struct vault *v, const char *head, bool full, bool seal,
    struct vault_verify *out, struct rd_err *err)
{
	struct vhead	 h, sealed;
	uint8_t		 head_mac[VAULT_HASH_LEN];
	uint8_t		 want[VAULT_HASH_LEN], tag[VAULT_HASH_LEN];
	char		 digest[VAULT_HEAD_MAX];
	int64_t		 head_rows, at = -1;
	bool		 have_tag = false, have = false, good = false;
	bool		 holds = false;
	enum rd_code	 r;

	memset(out, 0, sizeof *out);
	out->extends = head == NULL;
	/* A head names the row count it was taken at; 0 rows is a start. */
	if (head != NULL && (sscanf(head, "%" SCNd64, &at) != 1 || at < 0))
		return rd_err_set(err, RD_USAGE,
		    _("--head: '%.64s' is not a head "
		    "from redoubt audit head"), head);
	if ((r = audit_head(v, head_mac, &head_rows, NULL, err)) != RD_OK ||
	    (r = audit_tag_get(v, tag, &have_tag, err)) != RD_OK)
		return r;
	memset(&h, 0, sizeof h);
	if (!full) {
		if ((r = vhead_get(v, &sealed, &have, &good, err)) != RD_OK)
			return r;
		if (good && (r = vhead_holds(v, &sealed, &holds, err)) !=
		    RD_OK)
			return r;
		out->head_bad = have && !good;
		out->head_stale = good && !holds;
		if (good && holds) {
			h = sealed;
			out->from = h.rows;
		}
	}
	if (at == 0) {
		memset(want, 0, sizeof want);
		audit_head_digest(v, 0, want, digest);
		out->extends = strcmp(digest, head) == 0;
	} else if (at > 0 && at <= h.rows &&
	    (r = extends_before(v, at, head, &out->extends, err)) != RD_OK)
		return r;
	if ((r = walk(v, &h, at, head, out, err)) != RD_OK)
		return r;
	out->rows = h.rows;
	/*
	 * Rows cut from the end leave an intact chain; the keyed head tag over
	 * the count and the newest MAC is what catches them.
	 */
	audit_head_tag(v, h.rows, h.mac, want);
	if (out->bad == 0 && (!have_tag || h.rows != head_rows ||
	    sodium_memcmp(h.mac, head_mac, sizeof h.mac) != 0 ||
	    sodium_memcmp(tag, want, sizeof tag) != 0))
		out->bad = h.id + 1;
	if (seal && out->bad == 0 && out->extends && !out->head_bad &&
	    !out->head_stale && h.rows > 0 && h.rows != out->from)
		return vhead_put(v, &h, err);
	return RD_OK;
}

enum rd_code
vault_audit_check(struct vault *v, const char *head, bool full,
    struct vault_verify *out, struct rd_err *err)
{
	return audit_check(v, head, full, true, out, err);
}

enum rd_code
vault_audit_verify(struct vault *v, const char *head, int64_t *bad,
    int64_t *rows, bool *extends, struct rd_err *err)
{
	struct vault_verify	out;
	enum rd_code		r;

	if ((r = audit_check(v, head, true, false, &out, err)) != RD_OK)
		return r;
	*bad = out.bad;
	*rows = out.rows;
	*extends = out.extends;
	return RD_OK;
}
