/*
 * tok-oathcsv.c: OATH tokens in CSV as privacyIDEA imports them, one a
 * line, no header:
 *
 *   serial, seed, type, digits, period or counter[, algorithm][, user]
 *
 * As privacyIDEA reads it: the seed is hex; the type is totp or hotp
 * (hotp when the column is missing); digits default to 6; the fifth
 * column is the TOTP period in seconds (default 30) or the HOTP counter
 * of the next code (default 0); blanks around fields are dropped; a line
 * starting with # is a comment.  The algorithm (sha1, sha256, sha512;
 * default sha1) and the user are this program's additions in the same
 * spirit.  privacyIDEA also knows ocra and tan rows and a "# version: 2"
 * layout with user, resolver and realm in front: those are refused here,
 * naming why.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "token.h"
#include "util.h"

enum { OC_SERIAL, OC_SEED, OC_TYPE, OC_DIGITS, OC_MOVING, OC_ALGO, OC_USER,
    OC_COUNT };

/* Field i of f, trimmed, or "" past the end. */
static const char *
oc_field(char **f, int nf, int i)
{
	return i < nf ? token_trim(f[i]) : "";
}

/* One row into t; false with *why (translated) when it cannot be. */
static bool
oc_row(char **f, int nf, struct token *t, char *why, size_t whysz)
{
	const char	*v, *bad;
	long		 n;

	snprintf(t->serial, sizeof t->serial, "%s", oc_field(f, nf,
	    OC_SERIAL));
	if (nf > OC_COUNT) {
		snprintf(why, whysz, _("%d columns; at most %d are read "
		    "(serial, seed, type, digits, period or counter, "
		    "algorithm, user)"), nf, OC_COUNT);
		return false;
	}
	if (!token_serial_ok(oc_field(f, nf, OC_SERIAL))) {
		snprintf(why, whysz, "%s", _("the serial is missing or not "
		    "1 to 64 printable characters"));
		return false;
	}
	v = oc_field(f, nf, OC_TYPE);
	if (*v == '\0' || strcasecmp(v, "hotp") == 0)
		t->type = TOKEN_HOTP;
	else if (strcasecmp(v, "totp") == 0)
		t->type = TOKEN_TOTP;
	else {
		snprintf(why, whysz, _("unknown type (only totp and hotp "
		    "are read)"));
		return false;
	}
	if (nf <= OC_SEED || *oc_field(f, nf, OC_SEED) == '\0') {
		snprintf(why, whysz, "%s", _("the seed is missing"));
		return false;
	}
	if (!token_hex(oc_field(f, nf, OC_SEED), TOKEN_SEED_MIN,
	    TOKEN_SEED_MAX, &t->secret, &t->secret_len, &bad)) {
		snprintf(why, whysz, _("the seed is not usable: %s (hex, "
		    "%d to %d bytes)"), bad, TOKEN_SEED_MIN, TOKEN_SEED_MAX);
		return false;
	}
	v = oc_field(f, nf, OC_DIGITS);
	if (*v != '\0') {
		if (!str_to_long(v, TOKEN_DIGITS_MIN, TOKEN_DIGITS_MAX, &n)) {
			snprintf(why, whysz, _("digits must be %d to %d"),
			    TOKEN_DIGITS_MIN, TOKEN_DIGITS_MAX);
			return false;
		}
		t->digits = (int)n;
	}
	v = oc_field(f, nf, OC_MOVING);
	if (t->type == TOKEN_TOTP) {
		t->period = 30;
		if (*v != '\0' && !str_to_long(v, TOKEN_PERIOD_MIN,
		    TOKEN_PERIOD_MAX, &n)) {
			snprintf(why, whysz, _("the period must be %d to %d "
			    "seconds"), TOKEN_PERIOD_MIN, TOKEN_PERIOD_MAX);
			return false;
		}
		if (*v != '\0')
			t->period = (int)n;
		t->counter = -1;
	} else {
		t->counter = 0;
		if (*v != '\0' && !str_to_long(v, 0, INT32_MAX, &n)) {
			snprintf(why, whysz, _("the counter must be a whole "
			    "number from 0 to %ld"), (long)INT32_MAX);
			return false;
		}
		if (*v != '\0')
			t->counter = n;
	}
	v = oc_field(f, nf, OC_ALGO);
	if (*v != '\0' && !token_algo_parse(v, &t->algo)) {
		snprintf(why, whysz, "%s", _("unknown algorithm (sha1, sha256 "
		    "or sha512)"));
		return false;
	}
	v = oc_field(f, nf, OC_USER);
	if (strlen(v) > TOKEN_USER_MAX) {
		snprintf(why, whysz, "%s", _("the user name is too long"));
		return false;
	}
	if (*v != '\0')
		t->user = xstrdup(v);
	return true;
}

/* "#" lines are comments; privacyIDEA's version 2 header stops the file. */
static enum rd_code RD_CHECK
oc_comment(const char *first, long line, bool *skip, struct rd_err *err)
{
	*skip = first[0] == '#';
	if (*skip && (strncasecmp(first, "# version: 2", 12) == 0 ||
	    strncasecmp(first, "#version:2", 10) == 0))
		return rd_err_set(err, RD_USAGE, _("line %ld: privacyIDEA's "
		    "version 2 layout (user, resolver and realm first) is not "
		    "read; give the user as the seventh column"), line);
	return RD_OK;
}

enum rd_code
tok_oathcsv_read(struct csv *c, struct token_set *s, struct rd_err *err)
{
	static const struct token_csv	fmt = { oc_comment, oc_row };

	return token_csv_read(c, s, &fmt, err);
}
