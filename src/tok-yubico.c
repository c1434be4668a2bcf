/*
 * tok-yubico.c: YubiKeys in Yubico OTP mode from the CSV log of the
 * YubiKey personalization tools (ykpersonalize, yubikey-personalization-
 * gui).  Two layouts are written, both read here, one key a line:
 *
 *   "Yubico" layout:
 *     serial, public id, private id, AES key, access code, timestamp,
 *   "Traditional" layout:
 *     event type, timestamp, slot, public id, private id, AES key,
 *     access codes and flags ...
 *
 * Read: the public id (modhex, 2 to 16 characters), the private id (12
 * hex digits) and the AES key (32 hex digits); the serial of a token is
 * the key's serial number in the Yubico layout and its public id in the
 * Traditional one (which has no serial).  Every other column (timestamps,
 * access codes, flags) is ignored.  Rows of another mode (OATH-HOTP,
 * static password, challenge-response: an empty or "0" private id in the
 * Yubico layout, another event type in the Traditional one) are refused,
 * "LOGGING START" lines and # comments are skipped.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <yubikey.h>

#include "i18n.h"
#include "token.h"
#include "util.h"

/* The three fields of Yubico OTP into t; false with *why otherwise. */
static bool
yk_material(const char *pubid, const char *privid, const char *aes,
    struct token *t, char *why, size_t whysz)
{
	const char	*bad;
	uint8_t		*uid;
	size_t		 n = strlen(pubid), len, i;

	if (n < 2 || n > TOKEN_PUBID_MAX || n % 2 != 0) {
		snprintf(why, whysz, "%s", _("the public id is not 2 to 16 "
		    "modhex characters"));
		return false;
	}
	/* Modhex in either case, kept as keys type it. */
	for (i = 0; i < n; i++)
		t->public_id[i] = (char)tolower((unsigned char)pubid[i]);
	t->public_id[n] = '\0';
	if (!yubikey_modhex_p(t->public_id)) {
		snprintf(why, whysz, "%s", _("the public id is not 2 to 16 "
		    "modhex characters"));
		return false;
	}
	if (!token_hex(privid, TOKEN_UID_LEN, TOKEN_UID_LEN, &uid, &len,
	    &bad)) {
		snprintf(why, whysz, _("the private id is not usable: %s "
		    "(12 hex digits)"), bad);
		return false;
	}
	memcpy(t->private_id, uid, TOKEN_UID_LEN);
	secret_release(uid);
	if (!token_hex(aes, TOKEN_AES_LEN, TOKEN_AES_LEN, &t->secret,
	    &t->secret_len, &bad)) {
		snprintf(why, whysz, _("the AES key is not usable: %s (32 hex "
		    "digits)"), bad);
		return false;
	}
	t->type = TOKEN_YUBIKEY;
	t->counter = -1;
	return true;
}

static bool
yk_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* One row into t; false with *why (translated) otherwise. */
static bool
yk_row(char **f, int nf, struct token *t, char *why, size_t whysz)
{
	const char	*first = token_trim(f[0]);
	int		 i;

	for (i = 1; i < nf; i++)
		(void)token_trim(f[i]);
	if (yk_digits(first)) {
		/* Yubico layout. */
		if (nf < 4) {
			snprintf(why, whysz, "%s", _("too few columns (serial, "
			    "public id, private id, AES key, ...)"));
			return false;
		}
		snprintf(t->serial, sizeof t->serial, "%s", first);
		if (!token_serial_ok(t->serial)) {
			snprintf(why, whysz, "%s", _("the serial is too long"));
			return false;
		}
		if (f[2][0] == '\0' || strcmp(f[2], "0") == 0) {
			snprintf(why, whysz, "%s", _("not a Yubico OTP row (no "
			    "private id: static password, OATH-HOTP or "
			    "challenge-response)"));
			return false;
		}
		return yk_material(f[1], f[2], f[3], t, why, whysz);
	}
	if (strcasecmp(first, "Yubico OTP") == 0) {
		/* Traditional layout. */
		if (nf < 6) {
			snprintf(why, whysz, "%s", _("too few columns (event "
			    "type, timestamp, slot, public id, private id, AES "
			    "key, ...)"));
			return false;
		}
		snprintf(t->serial, sizeof t->serial, "%s", f[3]);
		return yk_material(f[3], f[4], f[5], t, why, whysz);
	}
	if (token_serial_ok(first) && strlen(first) <= 40)
		snprintf(why, whysz, _("not a Yubico OTP row (event type "
		    "%s)"), first);
	else
		snprintf(why, whysz, "%s", _("not a Yubico OTP row (the first "
		    "column is neither a serial number nor \"Yubico OTP\")"));
	return false;
}

/* "#" lines and the tool's "LOGGING START" line are comments. */
static enum rd_code RD_CHECK
yk_comment(const char *first, long line, bool *skip, struct rd_err *err)
{
	(void)line;
	(void)err;
	*skip = first[0] == '#' || strcasecmp(first, "LOGGING START") == 0;
	return RD_OK;
}

enum rd_code
tok_yubico_read(struct csv *c, struct token_set *s, struct rd_err *err)
{
	static const struct token_csv	fmt = { yk_comment, yk_row };

	return token_csv_read(c, s, &fmt, err);
}
