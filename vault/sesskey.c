/*
 * sesskey.c: the vault's master key sealed for a session, so that a
 * command run under `redoubt unlock` opens the vault without Argon2id.
 *
 * blob = nonce | XChaCha20-Poly1305(master | created | used | idle | max)
 * under the session's random key.  The associated data is the caller's
 * (session id and vault identity) followed by BLAKE2b(salt | wrapped key):
 * `redoubt passphrase` draws a new salt and rewraps, so every session of
 * the vault, whoever holds its file, stops opening it (the epoch).
 */
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "vault-int.h"

#define SK_NB	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define SK_PLAIN (32 + 4 * 8)

/* ad | BLAKE2b(salt | wrapped) into full (adlen + 32 bytes). */
static void
sesskey_ad(const uint8_t *ad, size_t adlen, const uint8_t *salt,
    const uint8_t *wrapped, size_t wrappedlen, uint8_t *full)
{
	crypto_generichash_state	st;

	memcpy(full, ad, adlen);
	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, salt, crypto_pwhash_SALTBYTES);
	crypto_generichash_update(&st, wrapped, wrappedlen);
	crypto_generichash_final(&st, full + adlen, 32);
}

static void
sesskey_put(uint8_t *p, int64_t n)
{
	int	i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)((uint64_t)n >> (8 * i));
}

static int64_t
sesskey_get(const uint8_t *p)
{
	uint64_t	n = 0;
	int		i;

	for (i = 7; i >= 0; i--)
		n = n << 8 | p[i];
	return (int64_t)n;
}

enum rd_code
vault_session_seal(struct vault *v, const uint8_t key[32],
    const uint8_t *ad, size_t adlen, const struct vault_session *t,
    uint8_t *blob, struct rd_err *err)
{
	uint8_t		 salt[crypto_pwhash_SALTBYTES];
	uint8_t		 wrapped[KEY_WRAPPED_LEN];
	uint8_t		*plain, *full;
	size_t		 saltlen, wrappedlen;
	enum rd_code	 rc;

	if ((rc = meta_blob(v, "kdf_salt", salt, sizeof salt, &saltlen,
	    err)) != RD_OK ||
	    (rc = meta_blob(v, "wrapped_key", wrapped, sizeof wrapped,
	    &wrappedlen, err)) != RD_OK)
		return rc;
	if ((plain = sodium_malloc(SK_PLAIN)) == NULL)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("cannot lock memory "
		    "for keys"));
	full = xmalloc(adlen + 32);
	sesskey_ad(ad, adlen, salt, wrapped, wrappedlen, full);
	memcpy(plain, v->keys->master, 32);
	sesskey_put(plain + 32, t->created);
	sesskey_put(plain + 40, t->used);
	sesskey_put(plain + 48, t->idle);
	sesskey_put(plain + 56, t->max);
	randombytes_buf(blob, SK_NB);
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob + SK_NB, NULL, plain,
	    SK_PLAIN, full, adlen + 32, NULL, blob, key);
	sodium_free(plain);
	free(full);
	return RD_OK;
}

enum rd_code
sesskey_unlock(struct vault *v, struct sesskey_in *sk, const uint8_t *salt,
    const uint8_t *wrapped, size_t wrappedlen, struct rd_err *err)
{
	uint8_t		*plain, *full;
	enum rd_code	 rc = RD_OK;

	if (sk->bloblen != VAULT_SESSION_BLOB_LEN)
		return rd_err_set(err, RD_BAD_PASSPHRASE, _("the session's "
		    "file is damaged: run redoubt unlock again"));
	if ((plain = sodium_malloc(SK_PLAIN)) == NULL)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("cannot lock memory "
		    "for keys"));
	full = xmalloc(sk->adlen + 32);
	sesskey_ad(sk->ad, sk->adlen, salt, wrapped, wrappedlen, full);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL,
	    sk->blob + SK_NB, sk->bloblen - SK_NB, full, sk->adlen + 32,
	    sk->blob, sk->key) != 0) {
		rc = rd_err_set(err, RD_BAD_PASSPHRASE, _("the session does "
		    "not open this vault (a wrong or damaged session, one of "
		    "another vault, or the passphrase changed since): run "
		    "redoubt unlock again"));
	} else {
		memcpy(v->keys->master, plain, 32);
		sk->times->created = sesskey_get(plain + 32);
		sk->times->used = sesskey_get(plain + 40);
		sk->times->idle = sesskey_get(plain + 48);
		sk->times->max = sesskey_get(plain + 56);
		key_derive(v->keys);
	}
	sodium_free(plain);
	free(full);
	return rc;
}

static enum rd_code RD_CHECK
sesskey_open_fn(struct vault *v, void *arg, const uint8_t *salt,
    const uint8_t *wrapped, size_t wrappedlen, struct rd_err *err)
{
	return sesskey_unlock(v, arg, salt, wrapped, wrappedlen, err);
}

enum rd_code
vault_open_session(const char *path, const uint8_t key[32],
    const uint8_t *ad, size_t adlen, const uint8_t *blob, size_t bloblen,
    struct vault_session *t, struct vault **out, struct rd_err *err)
{
	struct sesskey_in	sk = { .key = key, .ad = ad, .adlen = adlen,
				    .blob = blob, .bloblen = bloblen,
				    .times = t };
	struct vault_opener	op = { .fn = sesskey_open_fn, .arg = &sk };

	return vault_open_with(path, &op, out, err);
}
