/*
 * be-hotp.c: the counter-based authenticator handler (RFC 4226).  The core
 * computes and checks codes with liboath (src/otp.c) and stores the
 * counter; this file declares the handler and its keys and reads them
 * into the parameters of the codes.
 */
#include "backend.h"

enum hotp_key {
	HOTP_ALGORITHM,
	HOTP_DIGITS,
	HOTP_WINDOW,
	HOTP_COUNT
};

static const struct cfg_key hotp_keys[HOTP_COUNT] = {
	[HOTP_ALGORITHM] = { .name = "algorithm", .type = CFG_ENUM,
	    .def = "sha1", .choices = "sha1|sha256|sha512",
	    .help = "HMAC of the codes" },
	[HOTP_DIGITS] = { .name = "digits", .type = CFG_INT, .def = "6",
	    .min = 6, .max = 8, .help = "digits of a code" },
	[HOTP_WINDOW] = { .name = "window", .type = CFG_INT, .def = "10",
	    .min = 1, .max = 100, .help = "counter values looked ahead" },
};

static void
hotp_params(const struct cfg_section *own, struct be_app_params *out)
{
	out->algorithm = cfg_str(own, HOTP_ALGORITHM);
	out->digits = (int)cfg_int(own, HOTP_DIGITS);
	out->period = 0;
	out->window = (int)cfg_int(own, HOTP_WINDOW);
}

static const struct be_app_ops hotp_app = {
	.params = hotp_params,
};

const struct backend be_hotp = {
	.cfg = {
		.name = "hotp",
		.keys = hotp_keys,
		.nkeys = HOTP_COUNT,
	},
	.kind = BE_APP,
	.app = &hotp_app,
};
