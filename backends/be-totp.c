/*
 * be-totp.c: the authenticator-app handler (RFC 6238).  The core computes
 * and checks codes with liboath (src/otp.c); this file declares the
 * handler and its keys and reads them into the parameters of the codes.
 */
#include "backend.h"

enum totp_key {
	TOTP_ALGORITHM,
	TOTP_DIGITS,
	TOTP_PERIOD,
	TOTP_WINDOW,
	TOTP_COUNT
};

static const struct cfg_key totp_keys[TOTP_COUNT] = {
	[TOTP_ALGORITHM] = { .name = "algorithm", .type = CFG_ENUM,
	    .def = "sha1", .choices = "sha1|sha256|sha512",
	    .help = "HMAC of the codes" },
	[TOTP_DIGITS] = { .name = "digits", .type = CFG_INT, .def = "6",
	    .min = 6, .max = 8, .help = "digits of a code" },
	[TOTP_PERIOD] = { .name = "period", .type = CFG_INT, .def = "30",
	    .min = 10, .max = 300, .help = "seconds of one time step" },
	[TOTP_WINDOW] = { .name = "window", .type = CFG_INT, .def = "1",
	    .max = 10, .help = "time steps accepted either side of now" },
};

static void
totp_params(const struct cfg_section *own, struct be_app_params *out)
{
	out->algorithm = cfg_str(own, TOTP_ALGORITHM);
	out->digits = (int)cfg_int(own, TOTP_DIGITS);
	out->period = (int)cfg_int(own, TOTP_PERIOD);
	out->window = (int)cfg_int(own, TOTP_WINDOW);
}

static const struct be_app_ops totp_app = {
	.params = totp_params,
};

const struct backend be_totp = {
	.cfg = {
		.name = "totp",
		.keys = totp_keys,
		.nkeys = TOTP_COUNT,
	},
	.kind = BE_APP,
	.app = &totp_app,
};
