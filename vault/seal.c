/*
 * seal.c: per-field encryption and keyed hashes.
 *
 * A sealed field is nonce || XChaCha20-Poly1305-IETF(value) with the
 * associated data "table.column#row@owner", so a sealed value copied into
 * another row or column, or a row given to another user, fails to open
 * instead of passing as someone else's secret.
 * Codes, backup codes and tokens are kept only as keyed BLAKE2b hashes of
 * "domain|id|text": one hash per check, found through an index.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "vault-int.h"

#define NB	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define AB	crypto_aead_xchacha20poly1305_ietf_ABYTES

static int
seal_ad(char *buf, size_t size, const char *table, const char *column,
    int64_t row, int64_t owner)
{
	if (owner == SEAL_V1)
		return snprintf(buf, size, "%s.%s#%" PRId64, table, column,
		    row);
	return snprintf(buf, size, "%s.%s#%" PRId64 "@%" PRId64, table,
	    column, row, owner);
}

void
seal_bind(struct vault *v, struct store_stmt *st, int idx, const char *table,
    const char *column, int64_t row, int64_t owner, const void *plain,
    size_t len)
{
	char			 ad[160];
	int			 adlen;
	uint8_t			*blob;
	unsigned long long	 clen;

	if (plain == NULL) {
		stmt_bind_null(st, idx);
		return;
	}
	adlen = seal_ad(ad, sizeof ad, table, column, row, owner);
	blob = xmalloc(NB + len + AB);
	randombytes_buf(blob, NB);
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob + NB, &clen, plain,
	    len, (const uint8_t *)ad, (unsigned long long)adlen, NULL, blob,
	    v->keys->seal);
	stmt_bind_blob(st, idx, blob, NB + clen);
	free(blob);	/* ciphertext: the store keeps its own copy */
}

enum rd_code
seal_open_col(struct vault *v, struct store_stmt *st, int col, const char *table,
    const char *column, int64_t row, int64_t owner, uint8_t **out,
    size_t *len, struct rd_err *err)
{
	char			 ad[160];
	int			 adlen, n;
	const uint8_t		*blob;
	uint8_t			*plain;
	unsigned long long	 mlen;

	*out = NULL;
	*len = 0;
	if (stmt_type(st, col) == STORE_NULL)
		return RD_OK;
	blob = stmt_blob(st, col);
	n = stmt_bytes(st, col);
	if (blob == NULL || n < (int)(NB + AB))
		return rd_err_set(err, RD_VAULT_CORRUPT,
		    _("sealed %s.%s of row "
		    "%lld is damaged"), table, column, (long long)row);
	adlen = seal_ad(ad, sizeof ad, table, column, row, owner);
	plain = secret_alloc((size_t)n - NB - AB + 1);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &mlen, NULL,
	    blob + NB, (unsigned long long)n - NB, (const uint8_t *)ad,
	    (unsigned long long)adlen, blob, v->keys->seal) != 0) {
		secret_release(plain);
		return rd_err_set(err, RD_VAULT_CORRUPT,
		    _("sealed %s.%s of row "
		    "%lld does not open (damaged, or moved from another row or "
		    "user)"),
		    table, column, (long long)row);
	}
	plain[mlen] = '\0';
	*out = plain;
	*len = (size_t)mlen;
	return RD_OK;
}

void
seal_hash(const struct vault *v, const char *domain, int64_t id,
    const char *text, uint8_t out[VAULT_HASH_LEN])
{
	crypto_generichash_state	st;
	char				idbuf[32];
	int				n;

	n = snprintf(idbuf, sizeof idbuf, "|%" PRId64 "|", id);
	crypto_generichash_init(&st, v->keys->hash, sizeof v->keys->hash,
	    VAULT_HASH_LEN);
	crypto_generichash_update(&st, (const uint8_t *)domain, strlen(domain));
	crypto_generichash_update(&st, (const uint8_t *)idbuf, (size_t)n);
	crypto_generichash_update(&st, (const uint8_t *)text, strlen(text));
	crypto_generichash_final(&st, out, VAULT_HASH_LEN);
	sodium_memzero(&st, sizeof st);
}
