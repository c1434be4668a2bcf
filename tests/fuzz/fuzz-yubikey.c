/*
 * fuzz-yubikey.c: the offline YubiKey handler, which reads what an
 * operator types at activation (yubikey_enrol: "AES_KEY_HEX
 * PRIVATE_ID_HEX") and every OTP typed at login (yubikey_validate:
 * modhex, AES, CRC, private id, counter).  Both are static: the backend
 * is included whole (its object in the archive then stays unused).
 *
 * The input as text is given to enrol, then as an OTP to a device
 * enrolled with the key of the seeds (ykgenerate's): once unbound, once
 * bound to the seeds' public id and writing a transcript.  An accepted
 * OTP must move the counter on, and a transcript never shows the token.
 */
#include "../../backends/be-yubikey.c"
#include "fuzz.h"

#define FUZZ_DEVICE	"00112233445566778899aabbccddeeff 0123456789ab"
#define FUZZ_PUBID	"ccccccbcgujh"

static struct be_device	fuzz_dev;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct be_call	call;
	struct rd_err	err;

	(void)argc;
	(void)argv;
	memset(&call, 0, sizeof call);
	if (sodium_init() < 0 ||
	    yubikey_enrol(&call, FUZZ_DEVICE, &fuzz_dev, &err) != RD_OK)
		abort();
	return 0;
}

static void
fuzz_enrol(const char *text)
{
	struct be_call		call;
	struct be_device	dev;
	struct rd_err		err;
	enum rd_code		rc;

	memset(&call, 0, sizeof call);
	memset(&dev, 0xa5, sizeof dev);
	rc = yubikey_enrol(&call, text, &dev, &err);
	fuzz_require(rc == RD_OK || rc == RD_USAGE,
	    "enrol answers OK or USAGE");
	fuzz_require(rc == RD_OK ? dev.len == YK_MATERIAL_LEN : dev.len == 0,
	    "enrol keeps key and id, or nothing");
	fuzz_require(dev.counter == -1 && dev.public_id[0] == '\0',
	    "a new device has no counter and no id");
}

/* Validate text on a copy of the seeds' device; bound: to FUZZ_PUBID. */
static void
fuzz_validate(const char *text, bool bound)
{
	struct be_call		call;
	struct be_device	dev = fuzz_dev;
	struct be_reply		reply;
	struct rd_buf		t;
	struct rd_err		err;
	size_t			n = strlen(text), i;
	char			token[YUBIKEY_OTP_SIZE + 1];
	enum rd_code		rc;

	memset(&call, 0, sizeof call);
	memset(&reply, 0, sizeof reply);
	rd_buf_init(&t, 0);
	if (bound) {
		snprintf(dev.public_id, sizeof dev.public_id, "%s",
		    FUZZ_PUBID);
		call.transcript = &t;
	}
	rc = yubikey_validate(&call, &dev, text, &reply, &err);
	fuzz_require(rc == RD_OK || rc == RD_INVALID_CODE,
	    "validate answers OK or INVALID_CODE");
	if (rc == RD_OK) {
		fuzz_require(n > YUBIKEY_OTP_SIZE && n <= YUBIOTP_MAX,
		    "an accepted OTP has 33 to 48 characters");
		fuzz_require(dev.counter > fuzz_dev.counter &&
		    reply.public_id[0] != '\0',
		    "an accepted OTP moves the counter and names its key");
		fuzz_require(!bound ||
		    strcmp(reply.public_id, FUZZ_PUBID) == 0,
		    "a bound device accepts only its own key");
	}
	if (bound && n >= YUBIKEY_OTP_SIZE) {
		for (i = 0; i < YUBIKEY_OTP_SIZE; i++)
			token[i] = (char)tolower((unsigned char)
			    text[n - YUBIKEY_OTP_SIZE + i]);
		token[YUBIKEY_OTP_SIZE] = '\0';
		fuzz_require(!yubikey_modhex_p(token) ||
		    strstr(t.data, token) == NULL,
		    "a transcript never shows the token");
	}
	rd_buf_free(&t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text = fuzz_text(data, size);

	fuzz_enrol(text);
	fuzz_validate(text, false);
	fuzz_validate(text, true);
	free(text);
	return 0;
}
