/*
 * user-password.c: users' passwords, crypto_pwhash_str strings at the
 * cost password_kdf names (the test KDF's on a vault made with it, so
 * test suites stay fast), checked in the hash's own limits and redone at
 * a good login when the setting has changed since.  The hash is a column
 * of the user's MACed row (vault-user.c).
 */
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "vault-int.h"

/*
 * The limits of a password hash at kdf: those of the test KDF on a vault
 * made with it (test suites hash many passwords), else kdf's own.
 */
static void
pw_limits(const struct vault *v, enum vault_kdf kdf, unsigned long long *ops,
    size_t *mem)
{
	if (v->kdf == VAULT_KDF_TEST)
		kdf = VAULT_KDF_TEST;
	/* Every enum vault_kdf has limits. */
	rd_ignore(key_kdf_limits(kdf, ops, mem));
}

enum rd_code
vault_password_hash(struct vault *v, enum vault_kdf kdf, const char *pw,
    size_t len, char hash[VAULT_PWHASH_MAX], struct rd_err *err)
{
	unsigned long long	ops;
	size_t			mem;

	pw_limits(v, kdf, &ops, &mem);
	if (crypto_pwhash_str(hash, pw, len, ops, mem) != 0)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("not enough memory "
		    "to hash a password"));
	return RD_OK;
}

enum rd_code
vault_user_set_pwhash(struct vault *v, int64_t id, const char *hash,
    struct rd_err *err)
{
	struct urow	r;
	enum rd_code	rc;

	if ((rc = urow_get(v, id, &r, err)) != RD_OK)
		return rc;
	secret_release(r.pwhash);
	r.pwhash = secret_strdup(hash);
	rc = urow_put(v, &r, err);
	urow_clear(&r);
	return rc;
}

enum rd_code
vault_user_set_password(struct vault *v, int64_t id, const char *pw,
    size_t len, struct rd_err *err)
{
	char		hash[VAULT_PWHASH_MAX];
	enum rd_code	rc;

	if ((rc = vault_password_hash(v, VAULT_KDF_INTERACTIVE, pw, len, hash,
	    err)) == RD_OK)
		rc = vault_user_set_pwhash(v, id, hash, err);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

enum rd_code
vault_user_check_password(struct vault *v, int64_t id, const char *pw,
    size_t len, struct rd_err *err)
{
	return vault_user_verify_password(v, id, pw, len,
	    VAULT_KDF_INTERACTIVE, NULL, err);
}

enum rd_code
vault_user_verify_password(struct vault *v, int64_t id, const char *pw,
    size_t len, enum vault_kdf kdf, bool *rehash, struct rd_err *err)
{
	struct urow		r;
	unsigned long long	ops;
	size_t			mem;
	enum rd_code		rc;
	bool			ok = false;

	if (rehash != NULL)
		*rehash = false;
	pw_limits(v, kdf, &ops, &mem);
	memset(&r, 0, sizeof r);
	if (id != 0 && (rc = urow_get(v, id, &r, err)) != RD_OK &&
	    rc != RD_NOT_FOUND)
		return rc;
	if (r.pwhash != NULL) {
		/* The hash string carries the limits it was made with. */
		ok = crypto_pwhash_str_verify(r.pwhash, pw, len) == 0;
		if (ok && rehash != NULL)
			*rehash = crypto_pwhash_str_needs_rehash(r.pwhash, ops,
			    mem) != 0;
	} else {
		char	dummy[crypto_pwhash_STRBYTES];

		/* No user or no password: spend the same time anyway. */
		if (crypto_pwhash_str(dummy, pw, len, ops, mem) == 0)
			sodium_memzero(dummy, sizeof dummy);
	}
	urow_clear(&r);
	if (!ok)
		return rd_err_set(err, RD_BAD_CREDENTIALS,
		    _("wrong user name or "
		    "password"));
	return RD_OK;
}
