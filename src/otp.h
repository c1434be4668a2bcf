/*
 * otp.h: HOTP (RFC 4226) and TOTP (RFC 6238) codes, base32 secrets and
 * otpauth:// URIs for authenticator apps.  The arithmetic is liboath's;
 * matching a typed code is ours, because liboath compares with strcmp and
 * every secret comparison here must take constant time.
 */
#ifndef RD_OTP_H
#define RD_OTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum otp_algo {
	OTP_SHA1,
	OTP_SHA256,
	OTP_SHA512,
};

bool		 otp_algo_parse(const char *name, enum otp_algo *out);
const char	*otp_algo_name(enum otp_algo algo);	/* SHA1, SHA256, SHA512 */

/* The code for counter; out holds digits + 1 bytes at least. */
enum rd_code	 otp_hotp(const uint8_t *key, size_t keylen, uint64_t counter,
		    int digits, enum otp_algo algo, char *out, size_t outsz,
		    struct rd_err *err) RD_CHECK;
/* The TOTP time step of now. */
int64_t		 otp_step(int64_t now, int period);

/*
 * Look for code among the counters first .. first + count - 1; *found is
 * the counter that matched.  Every candidate is computed and compared, so
 * the time does not depend on where (or whether) the code matched.
 */
bool		 otp_match(const uint8_t *key, size_t keylen, int64_t first,
		    int count, int digits, enum otp_algo algo, const char *code,
		    int64_t *found);

/* Base32 without padding; free with secret_free(). */
char		*otp_base32(const uint8_t *key, size_t keylen);
/* Decode base32 (padding optional); free with secret_free_bytes(p, len). */
enum rd_code	 otp_base32_decode(const char *text, uint8_t **out,
		    size_t *outlen, struct rd_err *err) RD_CHECK;

/* otpauth://TYPE/ISSUER:ACCOUNT?secret=...; free with secret_free(). */
struct otp_uri {
	const char	*type;		/* "totp" or "hotp" */
	const char	*issuer;
	const char	*account;
	const uint8_t	*key;
	size_t		 keylen;
	enum otp_algo	 algo;
	int		 digits;
	int		 period;	/* totp */
	int64_t		 counter;	/* hotp */
};
char		*otp_uri(const struct otp_uri *u);

#endif
