/*
 * key.c: the passphrase, the key-encryption key and the master key.
 *
 * passphrase --Argon2id(salt, limits)--> KEK --XChaCha20-Poly1305--> master
 * The master key is random and never changes, so a new passphrase rewraps
 * 32 bytes and nothing else.  Subkeys are derived with crypto_kdf, one per
 * purpose, so a flaw in one use cannot be turned against another.
 */
#include <string.h>

#include "../src/i18n.h"
#include "vault-int.h"

static const char wrap_ad[] = "redoubt master key v1";

enum rd_code
key_kdf_limits(enum vault_kdf kdf, unsigned long long *ops, size_t *mem)
{
	switch (kdf) {
	case VAULT_KDF_TEST:
		*ops = crypto_pwhash_OPSLIMIT_MIN;
		*mem = crypto_pwhash_MEMLIMIT_MIN;
		break;
	case VAULT_KDF_INTERACTIVE:
		*ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		*mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
		break;
	case VAULT_KDF_MODERATE:
		*ops = crypto_pwhash_OPSLIMIT_MODERATE;
		*mem = crypto_pwhash_MEMLIMIT_MODERATE;
		break;
	case VAULT_KDF_SENSITIVE:
		*ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
		*mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
		break;
	}
	return RD_OK;
}

static enum rd_code RD_CHECK
key_kek(const struct vault *v, const char *pass, size_t passlen,
    const uint8_t *salt, uint8_t *kek, struct rd_err *err)
{
	if (crypto_pwhash(kek, 32, pass, passlen, salt, v->opslimit,
	    v->memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("not enough memory "
		    "for the vault's Argon2id cost"));
	return RD_OK;
}

void
key_derive(struct vault_keys *k)
{
	static const char	ctx[crypto_kdf_CONTEXTBYTES] = "redoubt1";

	crypto_kdf_derive_from_key(k->seal, sizeof k->seal, 1, ctx, k->master);
	crypto_kdf_derive_from_key(k->hash, sizeof k->hash, 2, ctx, k->master);
	crypto_kdf_derive_from_key(k->audit, sizeof k->audit, 3, ctx,
	    k->master);
	crypto_kdf_derive_from_key(k->row, sizeof k->row, 4, ctx, k->master);
	crypto_kdf_derive_from_key(k->header, sizeof k->header, 5, ctx,
	    k->master);
	crypto_kdf_derive_from_key(k->index, sizeof k->index, 6, ctx,
	    k->master);
}

enum rd_code
key_unlock(struct vault *v, const char *pass, size_t passlen,
    const uint8_t *salt, const uint8_t *wrapped, size_t wrappedlen,
    struct rd_err *err)
{
	uint8_t			*kek;
	unsigned long long	 mlen;
	enum rd_code		 rc;
	const size_t		 nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

	if (wrappedlen != KEY_WRAPPED_LEN)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("vault header is "
		    "damaged (wrapped key)"));
	if ((kek = sodium_malloc(32)) == NULL)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("cannot lock memory "
		    "for keys"));
	if ((rc = key_kek(v, pass, passlen, salt, kek, err)) != RD_OK)
		goto out;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(v->keys->master, &mlen,
	    NULL, wrapped + nb, wrappedlen - nb,
	    (const uint8_t *)wrap_ad, sizeof wrap_ad - 1, wrapped, kek) != 0 ||
	    mlen != sizeof v->keys->master) {
		rc = rd_err_set(err, RD_BAD_PASSPHRASE,
		    _("wrong passphrase for "
		    "vault %s"), v->path);
		goto out;
	}
	key_derive(v->keys);
	rc = RD_OK;
out:
	sodium_free(kek);
	return rc;
}

enum rd_code
key_wrap(struct vault *v, const char *pass, size_t passlen,
    uint8_t salt[crypto_pwhash_SALTBYTES], uint8_t *wrapped,
    size_t *wrappedlen, struct rd_err *err)
{
	uint8_t			*kek;
	unsigned long long	 clen;
	enum rd_code		 rc;
	const size_t		 nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

	if ((kek = sodium_malloc(32)) == NULL)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("cannot lock memory "
		    "for keys"));
	randombytes_buf(salt, crypto_pwhash_SALTBYTES);
	if ((rc = key_kek(v, pass, passlen, salt, kek, err)) == RD_OK) {
		randombytes_buf(wrapped, nb);
		crypto_aead_xchacha20poly1305_ietf_encrypt(wrapped + nb, &clen,
		    v->keys->master, sizeof v->keys->master,
		    (const uint8_t *)wrap_ad, sizeof wrap_ad - 1, NULL, wrapped,
		    kek);
		*wrappedlen = nb + (size_t)clen;
	}
	sodium_free(kek);
	return rc;
}
