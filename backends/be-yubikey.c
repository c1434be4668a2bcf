/*
 * be-yubikey.c: the offline YubiKey handler.  At activation the operator
 * gives the key's AES key and private id (as yubikey-personalization
 * prints them); we then check each Yubico OTP ourselves with libyubikey:
 * modhex (an OTP typed on a Dvorak layout is read back, yubiotp.c),
 * AES-128 decryption, CRC, the private id, and a counter that must grow,
 * so an OTP is accepted once.  No network, no provider.
 *
 * The material kept by the core is the 16-byte AES key followed by the
 * 6-byte private id; the counter is (usage counter << 8 | session use) of
 * the last accepted OTP, as validation servers keep it.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <yubikey.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "backend.h"
#include "yubiotp.h"

#define YK_MATERIAL_LEN	(YUBIKEY_KEY_SIZE + YUBIKEY_UID_SIZE)

/*
 * Copy the next whitespace-separated word of *p, lower-cased, into out and
 * return its length (0 at the end).  A word of outsz or more characters
 * leaves only its start in out: the caller refuses it by length.
 */
static size_t
yubikey_word(const char **p, char *out, size_t outsz)
{
	const char	*s = *p;
	size_t		 n = 0;

	while (isspace((unsigned char)*s))
		s++;
	for (; *s != '\0' && !isspace((unsigned char)*s); s++, n++)
		if (n + 1 < outsz)
			out[n] = (char)tolower((unsigned char)*s);
	out[n < outsz ? n : outsz - 1] = '\0';
	*p = s;
	return n;
}

/* Decode one hex word of exactly want bytes; what names it in messages. */
static enum rd_code RD_CHECK
yubikey_hex_field(const char **p, const char *what, uint8_t *dst,
    size_t want, struct rd_err *err)
{
	char		word[2 * YUBIKEY_KEY_SIZE + 2];
	size_t		n;
	enum rd_code	rc = RD_OK;

	n = yubikey_word(p, word, sizeof word);
	if (n == 0)
		rc = rd_err_set(err, RD_USAGE, _("yubikey: %s is missing "
		    "(expected AES_KEY_HEX PRIVATE_ID_HEX)"), what);
	else if (n != 2 * want)
		rc = rd_err_set(err, RD_USAGE, _("yubikey: %s must be %zu hex "
		    "digits, not %zu"), what, 2 * want, n);
	else if (!yubikey_hex_p(word))
		rc = rd_err_set(err, RD_USAGE, _("yubikey: %s is not "
		    "hexadecimal"),
		    what);
	else
		yubikey_hex_decode((char *)dst, word, want);
	sodium_memzero(word, sizeof word);
	return rc;
}

static enum rd_code RD_CHECK
yubikey_enrol(const struct be_call *call, const char *input,
    struct be_device *dev, struct rd_err *err)
{
	const char	*p = input;
	char		 extra[2];
	enum rd_code	 rc;

	(void)call;
	if (input == NULL)
		return rd_err_set(err, RD_USAGE, _("yubikey: expected one line "
		    "AES_KEY_HEX PRIVATE_ID_HEX"));
	sodium_memzero(dev->material, sizeof dev->material);
	dev->len = 0;
	dev->public_id[0] = '\0';
	dev->counter = -1;
	rc = yubikey_hex_field(&p, _("the AES key"), dev->material,
	    YUBIKEY_KEY_SIZE, err);
	if (rc == RD_OK)
		rc = yubikey_hex_field(&p, _("the private id"),
		    dev->material + YUBIKEY_KEY_SIZE, YUBIKEY_UID_SIZE, err);
	if (rc == RD_OK && yubikey_word(&p, extra, sizeof extra) != 0)
		rc = rd_err_set(err, RD_USAGE, _("yubikey: unexpected text "
		    "after the private id (expected AES_KEY_HEX "
		    "PRIVATE_ID_HEX)"));
	sodium_memzero(extra, sizeof extra);
	if (rc != RD_OK) {
		sodium_memzero(dev->material, sizeof dev->material);
		return rc;
	}
	dev->len = YK_MATERIAL_LEN;
	return RD_OK;
}

static void
yubikey_note(const struct be_call *call, const struct yubiotp *y,
    const char *what)
{
	if (call != NULL && call->transcript != NULL)
		rd_buf_printf(call->transcript, _("> yubikey: offline check of "
		    "an OTP of key %s (OTP ***%s)\n< %s\n"),
		    y->pubid[0] != '\0' ? y->pubid : "?", y->dvorak ?
		    _(", typed on a Dvorak keyboard, read as modhex") : "",
		    _(what));
}

static enum rd_code RD_CHECK
yubikey_validate(const struct be_call *call, struct be_device *dev,
    const char *otp, struct be_reply *reply, struct rd_err *err)
{
	yubikey_token_st	 tok;
	const uint8_t		*b = (const uint8_t *)&tok;
	struct yubiotp		 y;
	int64_t			 counter;
	enum rd_code		 rc = RD_OK;

	if (dev->len != YK_MATERIAL_LEN)
		return rd_err_set(err, RD_BAD_STATE, _("yubikey: this method "
		    "holds no AES key and private id (activate it again)"));
	/* Caps lock and a Dvorak layout change the letters, not the OTP. */
	if ((rc = yubiotp_read(otp, &y, err)) != RD_OK) {
		yubikey_note(call, &y, N_("refused: not an OTP"));
		return rc;
	}
	/* The bound id is not named: whoever typed the OTP need not learn it. */
	if (dev->public_id[0] != '\0' && strcmp(dev->public_id, y.pubid) != 0) {
		yubikey_note(call, &y, N_("refused: another key"));
		rc = rd_err_set(err, RD_INVALID_CODE, _("the OTP comes from "
		    "another YubiKey (public id %s)"), y.pubid);
		sodium_memzero(&y, sizeof y);
		return rc;
	}

	yubikey_parse((const uint8_t *)y.token, dev->material, &tok);
	/* Fields are little-endian on the key whatever the host's order. */
	counter = (int64_t)((((unsigned)b[7] << 8 | b[6]) & 0x7fff) << 8 | b[11]);
	if (!yubikey_crc_ok_p(b))
		rc = rd_err_set(err, RD_INVALID_CODE, _("the OTP does not "
		    "decrypt with this key (CRC check failed)"));
	else if (sodium_memcmp(tok.uid, dev->material + YUBIKEY_KEY_SIZE,
	    YUBIKEY_UID_SIZE) != 0)
		rc = rd_err_set(err, RD_INVALID_CODE, _("the OTP does not "
		    "carry this key's private id"));
	else if (counter <= dev->counter)
		rc = rd_err_set(err, RD_INVALID_CODE, _("OTP was already used "
		    "(replay)"));
	sodium_memzero(&tok, sizeof tok);
	if (rc != RD_OK) {
		yubikey_note(call, &y, N_("refused"));
		sodium_memzero(&y, sizeof y);
		return rc;
	}
	dev->counter = counter;
	snprintf(reply->public_id, sizeof reply->public_id, "%s", y.pubid);
	yubikey_note(call, &y, N_("accepted"));
	sodium_memzero(&y, sizeof y);
	return RD_OK;
}

static const struct be_device_ops yubikey_device = {
	.enrol_prompt = N_("yubikey key (AES_KEY_HEX PRIVATE_ID_HEX)"),
	.yubico_aes = true,
	.enrol = yubikey_enrol,
	.validate = yubikey_validate,
};

const struct backend be_yubikey = {
	.cfg = {
		.name = "yubikey",
		.source_field = "yubikey",
	},
	.kind = BE_DEVICE,
	.device = &yubikey_device,
};
