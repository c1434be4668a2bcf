/*
 * header.c: the vault's header, the meta table of key-value rows read
 * before the key is known (KDF parameters, salt, the wrapped master key,
 * the format), and what keeps it honest: a plain checksum checked before
 * the KDF, so an edited salt reads as a damaged file rather than a wrong
 * passphrase, and a MAC under the master key once unlocked.
 */
#include <string.h>

#include <sodium.h>

#include "../src/i18n.h"
#include "vault-int.h"

static enum rd_code RD_CHECK
meta_get(struct vault *v, const char *k, struct store_val *val,
    struct rd_err *err)
{
	int	rc;

	if ((rc = v->db->ops->meta_get(v->db, k, val)) == STORE_OK)
		return RD_OK;
	if (rc == STORE_DONE)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("vault is "
		    "damaged or not a vault (no %s)"), k);
	return vault_sqlerr(v, rc, N_("reading the vault header"), err);
}

enum rd_code
header_read(struct vault *v, struct header_fields *h, struct rd_err *err)
{
	static const char *const keys[] = { "kdf_ops", "kdf_mem", "kdf",
	    "format", "kdf_salt", "wrapped_key" };
	struct store_val	val[6];
	int			rc, i;

	/* One question to the store: an open is the price of every command. */
	if ((rc = v->db->ops->meta_get_n(v->db, keys, 6, val)) != STORE_OK)
		return vault_sqlerr(v, rc, N_("reading the vault header"), err);
	for (i = 0; i < 6; i++) {
		if (val[i].type == STORE_NULL)
			return rd_err_set(err, RD_VAULT_CORRUPT, _("vault is "
			    "damaged or not a vault (no %s)"), keys[i]);
		if (val[i].type != (i < 4 ? STORE_INT : STORE_BLOB) ||
		    (i >= 4 && (val[i].p == NULL || val[i].n >
		    (i == 4 ? sizeof h->salt : sizeof h->wrapped))))
			return rd_err_set(err, RD_VAULT_CORRUPT, _("vault header "
			    "is damaged (%s)"), keys[i]);
	}
	h->ops = val[0].i;
	h->mem = val[1].i;
	h->kdf = val[2].i;
	h->format = val[3].i;
	memcpy(h->salt, val[4].p, val[4].n);
	h->saltlen = val[4].n;
	memcpy(h->wrapped, val[5].p, val[5].n);
	h->wrappedlen = val[5].n;
	return RD_OK;
}

enum rd_code
meta_find(struct vault *v, const char *k, struct store_val *val, bool *found,
    struct rd_err *err)
{
	int	rc;

	*found = false;
	if ((rc = v->db->ops->meta_get(v->db, k, val)) == STORE_DONE)
		return RD_OK;
	if (rc != STORE_OK)
		return vault_sqlerr(v, rc, N_("reading the vault header"), err);
	*found = true;
	return RD_OK;
}

enum rd_code
meta_int(struct vault *v, const char *k, int64_t *out, struct rd_err *err)
{
	struct store_val	val;
	enum rd_code		rc;

	if ((rc = meta_get(v, k, &val, err)) != RD_OK)
		return rc;
	if (val.type != STORE_INT)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("vault header is "
		    "damaged (%s)"), k);
	*out = val.i;
	return RD_OK;
}

enum rd_code
meta_blob(struct vault *v, const char *k, uint8_t *buf, size_t size,
    size_t *len, struct rd_err *err)
{
	struct store_val	val;
	enum rd_code		rc;

	if ((rc = meta_get(v, k, &val, err)) != RD_OK)
		return rc;
	if (val.type != STORE_BLOB || val.p == NULL || val.n > size)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("vault header is "
		    "damaged (%s)"), k);
	memcpy(buf, val.p, val.n);
	*len = val.n;
	return RD_OK;
}

enum rd_code
meta_put(struct vault *v, const char *k, const void *p, int len,
    int64_t n, struct rd_err *err)
{
	struct store_val	val = { .type = STORE_INT, .i = n };
	int			rc;

	if (p != NULL) {
		val.type = STORE_BLOB;
		val.p = p;
		val.n = (size_t)len;
	}
	if ((rc = v->db->ops->meta_put(v->db, k, &val)) != STORE_OK)
		return vault_sqlerr(v, rc, N_("writing the vault header"),
		    err);
	return RD_OK;
}

enum rd_code
meta_del(struct vault *v, const char *k, struct rd_err *err)
{
	int	rc;

	if ((rc = v->db->ops->meta_del(v->db, k)) != STORE_OK)
		return vault_sqlerr(v, rc, N_("writing the vault header"),
		    err);
	return RD_OK;
}

/* A header value into a MAC, as typed (rowmac_col's encoding). */
void
rowmac_val(struct rowmac *m, const struct store_val *val)
{
	switch (val->type) {
	case STORE_INT:
		rowmac_int(m, val->i);
		break;
	case STORE_TEXT:
		rowmac_text(m, val->p);
		break;
	case STORE_BLOB:
		rowmac_blob(m, val->p, val->n);
		break;
	default:
		rowmac_blob(m, NULL, 0);
		break;
	}
}

struct header_walk {
	struct rowmac	*m;
	int		 n;
};

static const char *const header_fields[] = {
	"format", "kdf", "kdf_mem", "kdf_ops", "kdf_salt", "wrapped_key",
};

static int
header_row(void *arg, const char *k, const struct store_val *val)
{
	struct header_walk	*w = arg;
	size_t			 i;
	bool			 in = false;

	for (i = 0; i < sizeof header_fields / sizeof header_fields[0]; i++)
		if (strcmp(k, header_fields[i]) == 0)
			in = true;
	/* Key slots come and go, each with a note of its last use. */
	if (strncmp(k, "slot.", 5) == 0) {
		const char	*dot = strrchr(k, '.');

		in = strcmp(dot, ".used") != 0;
	} else if (in)
		w->n++;
	if (in) {
		rowmac_text(w->m, k);
		rowmac_val(w->m, val);
	}
	return 0;
}

/*
 * The header's MAC under the master key: every field the KDF and the
 * unwrapping read, by name, as typed in the file, and the key slots (so a
 * slot removed cannot be put back from an older copy of its row alone);
 * when each slot was last used is a note, outside it.
 */
static enum rd_code RD_CHECK
header_mac(struct vault *v, bool keyed, uint8_t mac[VAULT_HASH_LEN],
    struct rd_err *err)
{
	struct rowmac		 m;
	struct header_walk	 w = { .m = &m, .n = 0 };
	int			 rc, n;

	rowmac_init_header(v, &m, keyed);
	/* Every row in order of name; the walk takes the header's own. */
	rc = v->db->ops->meta_list(v->db, "", header_row, &w);
	rowmac_final(&m, mac);
	if (rc != STORE_OK)
		return vault_sqlerr(v, rc, N_("reading the vault header"), err);
	n = w.n;
	if (n != 6)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("vault header is "
		    "damaged (%d of its 6 fields)"), n);
	return RD_OK;
}

enum rd_code
header_seal(struct vault *v, struct rd_err *err)
{
	uint8_t		mac[VAULT_HASH_LEN], sum[VAULT_HASH_LEN];
	enum rd_code	rc;

	if ((rc = header_mac(v, true, mac, err)) != RD_OK ||
	    (rc = header_mac(v, false, sum, err)) != RD_OK ||
	    (rc = meta_put(v, "header_mac", mac, sizeof mac, 0, err)) != RD_OK)
		return rc;
	return meta_put(v, "header_sum", sum, sizeof sum, 0, err);
}

/*
 * Before the KDF: the header's plain checksum.  Anyone can forge it, so it
 * proves nothing (the MAC does, once unlocked); it only lets an edited
 * salt or limit read as vault_corrupt rather than as a wrong passphrase.
 * A vault of schema 2 on has one.
 */
enum rd_code
header_sum_check(struct vault *v, struct rd_err *err)
{
	uint8_t		want[VAULT_HASH_LEN], have[VAULT_HASH_LEN];
	size_t		len;
	int		version = 0;
	enum rd_code	rc;

	if (v->db->ops->version_get(v->db, &version) != STORE_OK)
		version = 0;
	if ((rc = header_mac(v, false, want, err)) != RD_OK)
		return rc;
	if (meta_blob(v, "header_sum", have, sizeof have, &len, NULL) !=
	    RD_OK) {
		if (version < 2)
			return RD_OK;
		len = 0;
	}
	if (len != sizeof have || sodium_memcmp(want, have, sizeof have) != 0)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("vault header was "
		    "changed outside redoubt (its checksum does not match)"));
	return RD_OK;
}

enum rd_code
header_check(struct vault *v, struct rd_err *err)
{
	uint8_t		want[VAULT_HASH_LEN], have[VAULT_HASH_LEN];
	size_t		len;
	enum rd_code	rc;

	if ((rc = header_mac(v, true, want, err)) != RD_OK)
		return rc;
	if (meta_blob(v, "header_mac", have, sizeof have, &len, err) !=
	    RD_OK || len != sizeof have ||
	    sodium_memcmp(want, have, sizeof have) != 0)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("vault header was "
		    "changed outside redoubt"));
	return RD_OK;
}
