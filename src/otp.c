/*
 * otp.c: HOTP/TOTP through liboath.
 *
 * liboath's TOTP generator with a one-second step and no offset is HOTP of
 * the counter, and it knows SHA-256 and SHA-512 where its HOTP call knows
 * only SHA-1; so every code here comes from oath_totp_generate2().
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <sodium.h>

#include "../backends/http.h"
#include "i18n.h"
#include "otp.h"
#include "util.h"

static pthread_once_t	otp_once = PTHREAD_ONCE_INIT;

static void
otp_init(void)
{
	oath_init();
}

bool
otp_algo_parse(const char *name, enum otp_algo *out)
{
	if (strcmp(name, "sha1") == 0)
		*out = OTP_SHA1;
	else if (strcmp(name, "sha256") == 0)
		*out = OTP_SHA256;
	else if (strcmp(name, "sha512") == 0)
		*out = OTP_SHA512;
	else
		return false;
	return true;
}

const char *
otp_algo_name(enum otp_algo algo)
{
	switch (algo) {
	case OTP_SHA256:
		return "SHA256";
	case OTP_SHA512:
		return "SHA512";
	default:
		return "SHA1";
	}
}

static int
otp_flags(enum otp_algo algo)
{
	switch (algo) {
	case OTP_SHA256:
		return OATH_TOTP_HMAC_SHA256;
	case OTP_SHA512:
		return OATH_TOTP_HMAC_SHA512;
	default:
		return 0;
	}
}

enum rd_code
otp_hotp(const uint8_t *key, size_t keylen, uint64_t counter, int digits,
    enum otp_algo algo, char *out, size_t outsz, struct rd_err *err)
{
	char	buf[16];
	int	rc;

	pthread_once(&otp_once, otp_init);
	if (digits < 6 || digits > 8 || outsz < (size_t)digits + 1)
		return rd_err_set(err, RD_CONFIG,
		    _("codes have 6 to 8 digits"));
	rc = oath_totp_generate2((const char *)key, keylen, (time_t)counter,
	    1, 0, (unsigned)digits, otp_flags(algo), buf);
	if (rc != OATH_OK)
		return rd_err_set(err, RD_CONFIG,
		    _("cannot compute a code: %s"),
		    oath_strerror(rc));
	memcpy(out, buf, (size_t)digits + 1);
	sodium_memzero(buf, sizeof buf);
	return RD_OK;
}

int64_t
otp_step(int64_t now, int period)
{
	if (now < 0)
		return -1;
	return now / period;
}

bool
otp_match(const uint8_t *key, size_t keylen, int64_t first, int count,
    int digits, enum otp_algo algo, const char *code, int64_t *found)
{
	char	want[16];
	bool	hit = false;
	int	i;

	if (strlen(code) != (size_t)digits)
		return false;
	for (i = 0; i < count; i++) {
		int64_t	c = first + i;
		bool	same;

		if (c < 0)
			continue;
		if (otp_hotp(key, keylen, (uint64_t)c, digits, algo, want,
		    sizeof want, NULL) != RD_OK)
			continue;
		same = sodium_memcmp(want, code, (size_t)digits) == 0;
		if (same && !hit) {
			hit = true;
			*found = c;
		}
	}
	sodium_memzero(want, sizeof want);
	return hit;
}

char *
otp_base32(const uint8_t *key, size_t keylen)
{
	char	*out = NULL, *eq, *copy;
	size_t	 outlen;

	if (oath_base32_encode((const char *)key, keylen, &out, &outlen) !=
	    OATH_OK)
		return NULL;
	if ((eq = strchr(out, '=')) != NULL)
		*eq = '\0';
	copy = xstrdup(out);
	sodium_memzero(out, outlen);
	free(out);
	return copy;
}

enum rd_code
otp_base32_decode(const char *text, uint8_t **out, size_t *outlen,
    struct rd_err *err)
{
	char	*raw = NULL;
	size_t	 len;

	if (oath_base32_decode(text, strlen(text), &raw, &len) != OATH_OK ||
	    len == 0) {
		free(raw);
		return rd_err_set(err, RD_USAGE, _("not a base32 secret"));
	}
	*out = xmalloc(len + 1);
	memcpy(*out, raw, len);
	(*out)[len] = 0;
	*outlen = len;
	sodium_memzero(raw, len);
	free(raw);
	return RD_OK;
}

char *
otp_uri(const struct otp_uri *u)
{
	char		*secret, *issuer, *account, *uri;
	struct rd_buf	 extra;

	if ((secret = otp_base32(u->key, u->keylen)) == NULL)
		return NULL;
	/* Issuer and account are escaped apart, then joined by a bare colon. */
	issuer = http_escape(u->issuer);
	account = http_escape(u->account);
	/*
	 * Parameters at the Key URI Format's defaults are left out: every
	 * app assumes them, and a shorter URI is a smaller QR code.
	 */
	rd_buf_init(&extra, 0);
	if (u->algo != OTP_SHA1)
		rd_buf_printf(&extra, "&algorithm=%s", otp_algo_name(u->algo));
	if (u->digits != 6)
		rd_buf_printf(&extra, "&digits=%d", u->digits);
	if (strcmp(u->type, "hotp") == 0)
		rd_buf_printf(&extra, "&counter=%lld", (long long)u->counter);
	else if (u->period != 30)
		rd_buf_printf(&extra, "&period=%d", u->period);
	uri = xasprintf("otpauth://%s/%s:%s?secret=%s&issuer=%s%s", u->type,
	    issuer, account, secret, issuer, extra.data ? extra.data : "");
	rd_buf_free(&extra);
	secret_free(secret);
	free(issuer);
	free(account);
	return uri;
}
