/*
 * be-totp.c: the authenticator-app handler (RFC 6238).  The core computes
 * and checks codes with liboath (src/otp.c); this file declares the
 * handler and its keys.
 */
#include "backend.h"

static const struct cfg_key totp_keys[] = {
	{ "algorithm", CFG_ENUM, "sha1", 0, 0, "sha1|sha256|sha512", 0,
	  "HMAC of the codes" },
	{ "digits", CFG_INT, "6", 6, 8, NULL, 0, "digits of a code" },
	{ "period", CFG_INT, "30", 10, 300, NULL, 0, "seconds of one time step" },
	{ "window", CFG_INT, "1", 0, 10, NULL, 0,
	  "time steps accepted either side of now" },
};

const struct backend be_totp = {
	.name = "totp",
	.kind = BE_APP,
	.keys = totp_keys,
	.nkeys = sizeof totp_keys / sizeof totp_keys[0],
};
