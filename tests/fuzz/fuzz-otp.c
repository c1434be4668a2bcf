/*
 * fuzz-otp.c: secrets for authenticator apps.  otp_base32_decode() reads
 * a secret an operator pastes (activate of an app method with existing
 * material), otp_uri() writes the otpauth:// URI the QR code carries,
 * with an issuer from the config and an account that is a user name.
 *
 * The input as text is decoded as base32 (and what decodes must come back
 * the same through otp_base32).  From 16 bytes on, the first 16 to 32
 * bytes are a key and their first bytes pick type, algorithm, digits,
 * period and counter; the rest is "ISSUER\nACCOUNT".  The URI must not
 * let either name add a parameter, and the key's own code must match.
 */
#include <sodium.h>

#include "../../src/otp.h"
#include "fuzz.h"

#define FUZZ_KEY_MIN	16
#define FUZZ_KEY_MAX	32

FUZZ_INITIALIZE()

/* What decodes must encode and decode again to the same bytes. */
static void
fuzz_base32(const char *text)
{
	struct rd_err	 err;
	uint8_t		*raw = NULL, *again = NULL;
	size_t		 len = 0, len2 = 0;
	char		*b32;

	if (otp_base32_decode(text, &raw, &len, &err) != RD_OK)
		return;
	fuzz_require(raw != NULL && len > 0, "a decoded secret has bytes");
	b32 = otp_base32(raw, len);
	fuzz_require(b32 != NULL, "otp_base32 encodes any bytes");
	fuzz_require(otp_base32_decode(b32, &again, &len2, &err) == RD_OK &&
	    len2 == len && memcmp(again, raw, len) == 0,
	    "base32 round trip");
	secret_free_bytes(again, len2);
	secret_free(b32);
	secret_free_bytes(raw, len);
}

/* The URI has exactly its own ? and & and only printable ASCII. */
static void
fuzz_uri_check(const char *uri, const char *type)
{
	size_t		 q = 0, amp = 0;
	const char	*p;

	fuzz_require(str_has_prefix(uri, "otpauth://") &&
	    str_has_prefix(uri + strlen("otpauth://"), type),
	    "otpauth://TYPE/ starts the URI");
	for (p = uri; *p != '\0'; p++) {
		fuzz_require(*p > ' ' && *p < 0x7f, "URI is printable ASCII");
		q += *p == '?';
		amp += *p == '&';
	}
	fuzz_require(q == 1 && amp == 4, "names cannot add URI parameters");
	fuzz_require(strchr(uri, '?') == strstr(uri, "?secret="),
	    "the query starts with the secret");
}

static void
fuzz_uri(const uint8_t *data, size_t size)
{
	struct otp_uri	 u;
	struct rd_err	 err;
	size_t		 keylen = FUZZ_KEY_MIN + data[0] %
			     (FUZZ_KEY_MAX - FUZZ_KEY_MIN + 1);
	char		*rest, *nl, *uri, code[16];
	int64_t		 found = -1;

	if (keylen > size)
		keylen = size;
	memset(&u, 0, sizeof u);
	u.type = data[1] & 1 ? "hotp" : "totp";
	u.algo = (enum otp_algo)(data[2] % 3);
	u.digits = 6 + data[3] % 3;
	u.period = 1 + data[4];
	u.counter = (int64_t)data[5] << 24 | data[6] << 16 | data[7];
	u.key = data;
	u.keylen = keylen;
	rest = fuzz_text(data + keylen, size - keylen);
	u.issuer = rest;
	u.account = "";
	if ((nl = strchr(rest, '\n')) != NULL) {
		*nl = '\0';
		u.account = nl + 1;
	}
	uri = otp_uri(&u);
	fuzz_require(uri != NULL, "otp_uri makes a URI of any key");
	fuzz_uri_check(uri, u.type);
	secret_free(uri);

	fuzz_require(otp_hotp(u.key, u.keylen, (uint64_t)u.counter, u.digits,
	    u.algo, code, sizeof code, &err) == RD_OK, "otp_hotp computes");
	/* One counter: a window may hold the same code twice, by chance. */
	fuzz_require(otp_match(u.key, u.keylen, u.counter, 1, u.digits,
	    u.algo, code, &found) && found == u.counter,
	    "a key's own code matches at its counter");
	sodium_memzero(code, sizeof code);
	free(rest);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text = fuzz_text(data, size);

	fuzz_base32(text);
	free(text);
	if (size >= FUZZ_KEY_MIN)
		fuzz_uri(data, size);
	return 0;
}
