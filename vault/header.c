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
meta_get(struct vault *v, const char *k, const void **p, int *len,
    sqlite3_stmt **hold, struct rd_err *err)
{
	static const char	 sql[] = "SELECT v FROM meta WHERE k = ?";
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err ? err->code : RD_VAULT_CORRUPT;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		vault_done(st);
		if (rc == SQLITE_DONE)
			return rd_err_set(err, RD_VAULT_CORRUPT, _("vault is "
			    "damaged or not a vault (no %s)"), k);
		return vault_sqlerr(v, rc, N_("reading the vault header"), err);
	}
	*p = sqlite3_column_blob(st, 0);
	*len = sqlite3_column_bytes(st, 0);
	*hold = st;
	return RD_OK;
}

enum rd_code
meta_int(struct vault *v, const char *k, int64_t *out, struct rd_err *err)
{
	const void	*p;
	int		 len;
	sqlite3_stmt	*st;
	enum rd_code	 rc;

	if ((rc = meta_get(v, k, &p, &len, &st, err)) != RD_OK)
		return rc;
	*out = sqlite3_column_int64(st, 0);
	vault_done(st);
	return RD_OK;
}

enum rd_code
meta_blob(struct vault *v, const char *k, uint8_t *buf, size_t size,
    size_t *len, struct rd_err *err)
{
	const void	*p;
	int		 n;
	sqlite3_stmt	*st;
	enum rd_code	 rc;

	if ((rc = meta_get(v, k, &p, &n, &st, err)) != RD_OK)
		return rc;
	if (p == NULL || n <= 0 || (size_t)n > size) {
		vault_done(st);
		return rd_err_set(err, RD_VAULT_CORRUPT, _("vault header is "
		    "damaged (%s)"), k);
	}
	memcpy(buf, p, (size_t)n);
	*len = (size_t)n;
	vault_done(st);
	return RD_OK;
}

enum rd_code
meta_put(struct vault *v, const char *k, const void *p, int len,
    int64_t n, struct rd_err *err)
{
	static const char	 sql[] =
	    "INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)";
	sqlite3_stmt		*st;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (p != NULL)
		sqlite3_bind_blob(st, 2, p, len, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 2, n);
	return vault_exec_stmt(v, st, N_("writing the vault header"), err);
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
	static const char	 sql[] = "SELECT k, v FROM meta WHERE k IN"
	    " ('format', 'kdf', 'kdf_ops', 'kdf_mem', 'kdf_salt',"
	    " 'wrapped_key') OR (k GLOB '" KEYSLOT_META_GLOB "' AND"
	    " k NOT GLOB '*.used') ORDER BY k";
	sqlite3_stmt		*st;
	struct rowmac		 m;
	int			 rc, n = 0;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	rowmac_init_header(v, &m, keyed);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char	*k = (const char *)sqlite3_column_text(st, 0);

		rowmac_col(&m, st, 0);
		rowmac_col(&m, st, 1);
		/* Key slots come and go; the six fields are always there. */
		if (k != NULL && strncmp(k, "slot.", 5) != 0)
			n++;
	}
	vault_done(st);
	rowmac_final(&m, mac);
	if (rc != SQLITE_DONE)
		return vault_sqlerr(v, rc, N_("reading the vault header"), err);
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
	sqlite3_stmt	*st;
	int		version = 0;
	enum rd_code	rc;

	if (sqlite3_prepare_v2(v->db, "PRAGMA user_version", -1, &st,
	    NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			version = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
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
