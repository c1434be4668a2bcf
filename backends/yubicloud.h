/*
 * yubicloud.h: the message signature of YubiCloud validation protocol
 * 2.0 (docs/protocols.md §5), shared by be-yubicloud.c and its unit test
 * so that the worked example can be checked byte for byte.
 */
#ifndef RD_YUBICLOUD_H
#define RD_YUBICLOUD_H

#include <stdbool.h>
#include <stddef.h>

#include "../src/err.h"

/* base64 of a 20-byte HMAC-SHA1 with padding, and its NUL. */
#define YUBICLOUD_SIG_SIZE	29
/* Yubico issues 20-byte keys; anything up to this decodes. */
#define YUBICLOUD_KEY_MAX	64

struct yubicloud_pair {
	const char	*key;
	const char	*value;
};

/*
 * Decode an API key as Yubico issues it (standard base64 with padding)
 * into key; false when it is not base64, empty or longer than
 * YUBICLOUD_KEY_MAX bytes.  On false key holds nothing.
 */
bool		yubicloud_key_decode(const char *b64,
		    unsigned char key[YUBICLOUD_KEY_MAX], size_t *keylen);

/*
 * h of a message: HMAC-SHA1 keyed with key over its pairs but h, sorted
 * by key and joined as k1=v1&k2=v2 with raw values, in base64.
 */
enum rd_code	yubicloud_sign(const struct yubicloud_pair *pairs, size_t n,
		    const unsigned char *key, size_t keylen,
		    char h[YUBICLOUD_SIG_SIZE], struct rd_err *err) RD_CHECK;

#endif
