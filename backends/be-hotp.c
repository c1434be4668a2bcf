/*
 * be-hotp.c: the counter-based authenticator handler (RFC 4226).  The core
 * computes and checks codes with liboath (src/otp.c) and stores the
 * counter; this file declares the handler and its keys.
 */
#include "backend.h"

static const struct cfg_key hotp_keys[] = {
	{ "algorithm", CFG_ENUM, "sha1", 0, 0, "sha1|sha256|sha512", 0,
	  "HMAC of the codes" },
	{ "digits", CFG_INT, "6", 6, 8, NULL, 0, "digits of a code" },
	{ "window", CFG_INT, "10", 1, 100, NULL, 0,
	  "counter values looked ahead" },
};

const struct backend be_hotp = {
	.name = "hotp",
	.kind = BE_APP,
	.keys = hotp_keys,
	.nkeys = sizeof hotp_keys / sizeof hotp_keys[0],
};
