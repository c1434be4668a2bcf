/*
 * tok-pskc.c: RFC 6030 Portable Symmetric Key Containers through libpskc,
 * the only file that includes it (make lint checks).
 *
 * libxml2 is reached only to keep its messages off stderr.
 *
 * Read, per KeyPackage: the algorithm URN (HOTP, TOTP, or Yubico's
 * http://www.yubico.com/#yubikey-aes), the secret (PlainValue only: an
 * encrypted container is refused), the serial (DeviceInfo/SerialNo, else
 * the Key's Id; for a YubiKey a Key Id "SERIAL:SLOT" as Yubico's tool
 * writes it), the user (DeviceInfo/UserId, else Key/UserId for OATH
 * keys), digits (ResponseFormat Length), the algorithm (Suite:
 * HMAC-SHA256 and the like; SHA1 when absent), the HOTP Counter, the
 * TOTP TimeInterval (period) and Time (the last step used).  A YubiKey
 * carries its public and private id as Yubico's personalization tool
 * writes them, in Key/UserId: "CN=<public id>, UID=<private id>".
 *
 * Written: the same fields, so that a file we write reads back into the
 * same tokens, and a YubiKey as Yubico's profile has it (Manufacturer
 * Yubico, ResponseFormat ALPHANUMERIC of 32 + the public id's length).
 * A YubiKey's last counter goes into Data/Counter (an addition: other
 * readers ignore it) so that an OTP used before the export stays used.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlerror.h>
#include <pskc/pskc.h>
#include <sodium.h>
#include <yubikey.h>

#include "i18n.h"
#include "token.h"
#include "util.h"

#define URN_HOTP	"urn:ietf:params:xml:ns:keyprov:pskc:hotp"
#define URN_TOTP	"urn:ietf:params:xml:ns:keyprov:pskc:totp"
#define URN_TOTP_ALT	"urn:ietf:params:xml:ns:keyprov:pskc#totp"
#define URN_YUBIKEY	"http://www.yubico.com/#yubikey-aes"
#define PSKC_HEAD	"<?xml version=\"1.0\"?><KeyContainer xmlns=" \
	"\"urn:ietf:params:xml:ns:keyprov:pskc\" Version=\"1.0\">"

static pthread_once_t	pskc_once = PTHREAD_ONCE_INIT;

/*
 * libxml2, under libpskc, prints what it finds wrong with a file on
 * stderr; library code here never prints, and the refusal says it.
 */
static void
pskc_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}
static int		pskc_init_rc;

static void
pskc_start(void)
{
	pskc_init_rc = pskc_global_init();
}

static enum rd_code RD_CHECK
pskc_ready(struct rd_err *err)
{
	(void)pthread_once(&pskc_once, pskc_start);
	if (pskc_init_rc != PSKC_OK)
		return rd_err_set(err, RD_USAGE, _("PSKC: cannot start "
		    "libpskc: %s"), pskc_strerror(pskc_init_rc));
	return RD_OK;
}

/* "CN=<public id>, UID=<private id>" into t; false when it is not that. */
static bool
pskc_yubikey_ids(const char *userid, struct token *t, char *why,
    size_t whysz)
{
	const char	*cn, *uid, *bad;
	char		 pub[TOKEN_PUBID_MAX + 2], priv[2 * TOKEN_UID_LEN + 2];
	uint8_t		*p;
	size_t		 n, len, i;

	if (userid == NULL || (cn = strstr(userid, "CN=")) == NULL ||
	    (uid = strstr(userid, "UID=")) == NULL) {
		snprintf(why, whysz, "%s", _("the YubiKey has no "
		    "\"CN=<public id>, UID=<private id>\" in its Key UserId"));
		return false;
	}
	n = strcspn(cn + 3, ", ");
	if (n < 2 || n > TOKEN_PUBID_MAX || n % 2 != 0) {
		snprintf(why, whysz, "%s", _("the public id is not 2 to 16 "
		    "modhex characters"));
		return false;
	}
	for (i = 0; i < n; i++)
		pub[i] = (char)tolower((unsigned char)cn[3 + i]);
	pub[n] = '\0';
	if (!yubikey_modhex_p(pub)) {
		snprintf(why, whysz, "%s", _("the public id is not 2 to 16 "
		    "modhex characters"));
		return false;
	}
	memcpy(t->public_id, pub, n + 1);
	n = strcspn(uid + 4, ", ");
	if (n >= sizeof priv) {
		snprintf(why, whysz, "%s", _("the private id is not usable: it "
		    "is too long (12 hex digits)"));
		return false;
	}
	memcpy(priv, uid + 4, n);
	priv[n] = '\0';
	if (!token_hex(priv, TOKEN_UID_LEN, TOKEN_UID_LEN, &p, &len, &bad)) {
		snprintf(why, whysz, _("the private id is not usable: %s "
		    "(12 hex digits)"), bad);
		sodium_memzero(priv, sizeof priv);
		return false;
	}
	memcpy(t->private_id, p, TOKEN_UID_LEN);
	secret_release(p);
	sodium_memzero(priv, sizeof priv);
	return true;
}

/* The secret of kp into t; false with *why otherwise. */
static bool
pskc_secret(pskc_key_t *kp, struct token *t, size_t min, size_t max,
    char *why, size_t whysz)
{
	const char	*b64 = pskc_get_key_data_b64secret(kp), *raw;
	size_t		 len = 0;

	if (b64 == NULL) {
		snprintf(why, whysz, "%s", _("no secret (only a PlainValue is "
		    "read; an encrypted container cannot be)"));
		return false;
	}
	raw = pskc_get_key_data_secret(kp, &len);
	if (raw == NULL) {
		snprintf(why, whysz, "%s", _("the secret is not valid "
		    "base64"));
		return false;
	}
	if (len < min || len > max) {
		snprintf(why, whysz, _("the secret has %zu bytes (%zu to %zu "
		    "are read)"), len, min, max);
		return false;
	}
	t->secret = secret_alloc(len + 1);
	memcpy(t->secret, raw, len);
	t->secret[len] = 0;
	t->secret_len = len;
	return true;
}

/*
 * Yubico's tool names a key's slot in the Key Id, "SERIAL:SLOT": that is
 * the serial of a YubiKey token, so that both slots of one key can be
 * imported.
 */
static bool
pskc_slot_id(const char *id)
{
	size_t	n;

	if (id == NULL || (n = strspn(id, "0123456789")) == 0 || id[n] != ':')
		return false;
	id += n + 1;
	n = strspn(id, "0123456789");
	return n > 0 && id[n] == '\0';
}

/* One KeyPackage into t; false with *why (translated) otherwise. */
static bool
pskc_package(pskc_key_t *kp, struct token *t, char *why, size_t whysz)
{
	const char	*alg = pskc_get_key_algorithm(kp);
	const char	*serial = pskc_get_device_serialno(kp);
	const char	*user = pskc_get_device_userid(kp), *v;
	uint64_t	 u64;
	uint32_t	 u32;
	int		 present = 0;

	if (serial == NULL || *serial == '\0' || (alg != NULL &&
	    strcmp(alg, URN_YUBIKEY) == 0 && pskc_slot_id(pskc_get_key_id(kp))))
		serial = pskc_get_key_id(kp);
	snprintf(t->serial, sizeof t->serial, "%s", serial != NULL ? serial :
	    "");
	if (serial == NULL || !token_serial_ok(serial)) {
		snprintf(why, whysz, "%s", _("the serial (SerialNo or Key Id) "
		    "is missing or not 1 to 64 printable characters"));
		return false;
	}
	if (alg == NULL) {
		snprintf(why, whysz, "%s", _("the Key has no Algorithm"));
		return false;
	}
	if (strcmp(alg, URN_HOTP) == 0)
		t->type = TOKEN_HOTP;
	else if (strcmp(alg, URN_TOTP) == 0 || strcmp(alg, URN_TOTP_ALT) == 0)
		t->type = TOKEN_TOTP;
	else if (strcmp(alg, URN_YUBIKEY) == 0)
		t->type = TOKEN_YUBIKEY;
	else {
		snprintf(why, whysz, "%s", _("unknown Algorithm (HOTP, TOTP "
		    "and Yubico's yubikey-aes are read)"));
		return false;
	}
	if (t->type == TOKEN_YUBIKEY) {
		if (!pskc_yubikey_ids(pskc_get_key_userid(kp), t, why, whysz) ||
		    !pskc_secret(kp, t, TOKEN_AES_LEN, TOKEN_AES_LEN, why,
		    whysz))
			return false;
		u64 = pskc_get_key_data_counter(kp, &present);
		t->counter = present && u64 <= INT32_MAX ? (int64_t)u64 : -1;
	} else {
		if (user == NULL || *user == '\0')
			user = pskc_get_key_userid(kp);
		if (!pskc_secret(kp, t, TOKEN_SEED_MIN, TOKEN_SEED_MAX, why,
		    whysz))
			return false;
		u32 = pskc_get_key_algparm_resp_length(kp, &present);
		if (present && (u32 < TOKEN_DIGITS_MIN ||
		    u32 > TOKEN_DIGITS_MAX)) {
			snprintf(why, whysz, _("digits must be %d to %d"),
			    TOKEN_DIGITS_MIN, TOKEN_DIGITS_MAX);
			return false;
		}
		if (present)
			t->digits = (int)u32;
		v = pskc_get_key_algparm_suite(kp);
		if (v != NULL && !token_algo_parse(v, &t->algo)) {
			snprintf(why, whysz, "%s", _("unknown algorithm (sha1, "
			    "sha256 or sha512)"));
			return false;
		}
	}
	if (t->type == TOKEN_HOTP) {
		u64 = pskc_get_key_data_counter(kp, &present);
		if (present && u64 > INT32_MAX) {
			snprintf(why, whysz, _("the counter must be a whole "
			    "number from 0 to %ld"), (long)INT32_MAX);
			return false;
		}
		t->counter = present ? (int64_t)u64 : 0;
	}
	if (t->type == TOKEN_TOTP) {
		u32 = pskc_get_key_data_timeinterval(kp, &present);
		t->period = present ? (int)u32 : 30;
		if (present && (u32 < TOKEN_PERIOD_MIN ||
		    u32 > TOKEN_PERIOD_MAX)) {
			snprintf(why, whysz, _("the period must be %d to %d "
			    "seconds"), TOKEN_PERIOD_MIN, TOKEN_PERIOD_MAX);
			return false;
		}
		u32 = pskc_get_key_data_time(kp, &present);
		t->counter = present ? (int64_t)u32 : -1;
	}
	if (user != NULL && strlen(user) > TOKEN_USER_MAX) {
		snprintf(why, whysz, "%s", _("the user name is too long"));
		return false;
	}
	if (user != NULL && *user != '\0')
		t->user = xstrdup(user);
	return true;
}

enum rd_code
tok_pskc_read(const char *xml, size_t len, struct token_set *s,
    struct rd_err *err)
{
	pskc_t		*c = NULL;
	pskc_key_t	*kp;
	struct token	*t;
	char		 why[256];
	size_t		 i;
	enum rd_code	 rc;
	int		 r;

	if ((rc = pskc_ready(err)) != RD_OK)
		return rc;
	if ((r = pskc_init(&c)) != PSKC_OK)
		return rd_err_set(err, RD_USAGE, "PSKC: %s", pskc_strerror(r));
	/*
	 * PSKC_PARSE_ERROR: an element libpskc does not know (such as an
	 * EncryptedValue); what it knows is read, as pskctool does without
	 * --strict, and each KeyPackage is checked for what we need.  Any
	 * other error (XML that is not well-formed; libpskc reports a value
	 * that is not base64 as PSKC_MALLOC_ERROR) refuses the file.
	 */
	xmlSetGenericErrorFunc(NULL, pskc_quiet);
	r = pskc_parse_from_memory(c, len, xml);
	if (r != PSKC_OK && r != PSKC_PARSE_ERROR) {
		pskc_done(c);
		return rd_err_set(err, RD_USAGE, _("the file is not a PSKC "
		    "container libpskc can read (malformed XML or a value "
		    "that is not base64): %s"), pskc_strerror(r));
	}
	for (i = 0; (kp = pskc_get_keypackage(c, i)) != NULL; i++) {
		t = token_set_add(s, 0, (int)i + 1);
		if (!pskc_package(kp, t, why, sizeof why)) {
			token_set_refuse(s, 0, (int)i + 1, t->serial, "%s",
			    why);
			token_set_drop_last(s);
		}
	}
	pskc_done(c);
	if (i == 0)
		return rd_err_set(err, RD_USAGE, "%s", _("the PSKC container "
		    "holds no KeyPackage"));
	token_set_dedupe(s);
	return RD_OK;
}

/* What one Key points at while the container lives. */
struct pskc_hold {
	char	userid[64];
	char	keyid[TOKEN_SERIAL_MAX + 1];
};

static enum rd_code RD_CHECK
pskc_put(pskc_key_t *kp, const struct token *t, const char *issuer,
    struct pskc_hold *h, struct rd_err *err)
{
	char		 hex[2 * TOKEN_UID_LEN + 1];
	int		 r;

	/* libpskc keeps these pointers, not copies: they live in t and h. */
	snprintf(h->keyid, sizeof h->keyid, "%s", t->serial);
	pskc_set_device_serialno(kp, t->serial);
	if (t->user != NULL)
		pskc_set_device_userid(kp, t->user);
	pskc_set_key_id(kp, h->keyid);
	if (issuer != NULL)
		pskc_set_key_issuer(kp, issuer);
	if (t->type == TOKEN_YUBIKEY) {
		pskc_set_device_manufacturer(kp, "Yubico");
		pskc_set_key_algorithm(kp, URN_YUBIKEY);
		pskc_set_key_algparm_resp_encoding(kp,
		    PSKC_VALUEFORMAT_ALPHANUMERIC);
		pskc_set_key_algparm_resp_length(kp,
		    (uint32_t)(32 + strlen(t->public_id)));
		sodium_bin2hex(hex, sizeof hex, t->private_id, TOKEN_UID_LEN);
		snprintf(h->userid, sizeof h->userid, "CN=%s, UID=%s",
		    t->public_id, hex);
		sodium_memzero(hex, sizeof hex);
		pskc_set_key_userid(kp, h->userid);
		if (t->counter >= 0)
			pskc_set_key_data_counter(kp, (uint64_t)t->counter);
	} else {
		pskc_set_device_manufacturer(kp, "redoubt");
		pskc_set_key_algorithm(kp, t->type == TOKEN_HOTP ? URN_HOTP :
		    URN_TOTP);
		pskc_set_key_algparm_suite(kp, t->algo == OTP_SHA256 ?
		    "HMAC-SHA256" : t->algo == OTP_SHA512 ? "HMAC-SHA512" :
		    "HMAC-SHA1");
		pskc_set_key_algparm_resp_encoding(kp,
		    PSKC_VALUEFORMAT_DECIMAL);
		pskc_set_key_algparm_resp_length(kp, (uint32_t)t->digits);
		if (t->user != NULL)
			pskc_set_key_userid(kp, t->user);
		if (t->type == TOKEN_HOTP)
			pskc_set_key_data_counter(kp, (uint64_t)t->counter);
		else {
			pskc_set_key_data_timeinterval(kp,
			    (uint32_t)t->period);
			if (t->counter >= 0 && t->counter <= UINT32_MAX)
				pskc_set_key_data_time(kp,
				    (uint32_t)t->counter);
		}
	}
	if ((r = pskc_set_key_data_secret(kp, (const char *)t->secret,
	    t->secret_len)) != PSKC_OK)
		return rd_err_set(err, RD_USAGE, "PSKC: %s", pskc_strerror(r));
	return RD_OK;
}

enum rd_code
tok_pskc_write(const struct token *tok, size_t n, const char *issuer,
    char **out, size_t *len, struct rd_err *err)
{
	pskc_t			*c = NULL;
	pskc_key_t		*kp;
	struct pskc_hold	*hold;
	struct rd_buf		 sk;
	char			*xml = NULL;
	size_t			 xlen = 0, i;
	enum rd_code		 rc = RD_OK;
	int			 r;

	*out = NULL;
	*len = 0;
	if ((rc = pskc_ready(err)) != RD_OK)
		return rc;
	if ((r = pskc_init(&c)) != PSKC_OK)
		return rd_err_set(err, RD_USAGE, "PSKC: %s", pskc_strerror(r));
	/*
	 * libpskc 2.6's pskc_add_keypackage leaves a new KeyPackage's
	 * fields uninitialised (valgrind shows it; pskc_build_xml then may
	 * crash), while parsed ones start zeroed: so the container is parsed
	 * from n empty KeyPackages and each is filled in.
	 */
	rd_buf_init(&sk, 0);
	if (rd_buf_addstr(&sk, PSKC_HEAD) != 0)
		oom();
	for (i = 0; i < n; i++)
		if (rd_buf_addstr(&sk, "<KeyPackage/>") != 0)
			oom();
	if (rd_buf_addstr(&sk, "</KeyContainer>") != 0)
		oom();
	xmlSetGenericErrorFunc(NULL, pskc_quiet);
	r = pskc_parse_from_memory(c, sk.len, sk.data);
	rd_buf_free(&sk);
	if (r != PSKC_OK) {
		pskc_done(c);
		return rd_err_set(err, RD_USAGE, "PSKC: %s", pskc_strerror(r));
	}
	hold = xcalloc(n + 1, sizeof *hold);
	for (i = 0; i < n && rc == RD_OK; i++) {
		if ((kp = pskc_get_keypackage(c, i)) == NULL)
			rc = rd_err_set(err, RD_USAGE, "%s", _("PSKC: a "
			    "KeyPackage is missing"));
		else
			rc = pskc_put(kp, &tok[i], issuer, &hold[i], err);
	}
	if (rc == RD_OK && (r = pskc_build_xml(c, &xml, &xlen)) != PSKC_OK)
		rc = rd_err_set(err, RD_USAGE, "PSKC: %s", pskc_strerror(r));
	if (rc == RD_OK) {
		*out = secret_alloc(xlen + 1);
		memcpy(*out, xml, xlen);
		(*out)[xlen] = '\0';
		*len = xlen;
	}
	if (xml != NULL) {
		sodium_memzero(xml, xlen);
		pskc_free(xml);
	}
	pskc_done(c);
	sodium_memzero(hold, (n + 1) * sizeof *hold);
	free(hold);
	return rc;
}
