/*
 * fuzz-code.c: text typed by people before it reaches a check: codes
 * (code_normalise, folded and not), names, e-mail addresses and phone
 * numbers (user_*_ok, user_name_check, user_phone_normalise), and UTF-8
 * checking and cleaning (utf8_valid,
 * utf8_clean), which stand between outside text and every terminal.
 * These run on every login and every `user add`, on text an attacker
 * chooses.  The first input byte picks the output size of
 * code_normalise, whose buffer is allocated exactly, so ASan sees a write
 * one byte past it.
 */
#include <ctype.h>

#include <sodium.h>

#include "../../src/user.h"
#include "../../src/utf8.h"
#include "fuzz.h"

#define FUZZ_CODE_OUTMAX	64

FUZZ_INITIALIZE()

/* code_normalise into a buffer of exactly outsz bytes, then its promises. */
static void
fuzz_normalise(const char *in, bool fold, size_t outsz)
{
	char	*out = xmalloc(outsz);
	size_t	 i, n;

	if (code_normalise(in, fold, out, outsz)) {
		n = strlen(out);
		fuzz_require(n > 0 && n < outsz, "a normalised code fits");
		for (i = 0; i < n; i++) {
			fuzz_require(strchr(" \t-\r\n", out[i]) == NULL,
			    "no spaces or dashes are left");
			fuzz_require(!fold || !isupper((unsigned char)out[i]),
			    "a folded code has no upper case");
		}
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*text, *clean, phone[USER_PHONE_MAX];
	size_t		 outsz;
	struct rd_err	 err;
	enum rd_code	 rc;

	if (size == 0)
		return 0;
	outsz = 1 + data[0] % FUZZ_CODE_OUTMAX;
	text = fuzz_text(data + 1, size - 1);
	fuzz_normalise(text, true, outsz);
	fuzz_normalise(text, false, outsz);

	clean = utf8_clean(text);
	fuzz_require(utf8_valid(clean), "utf8_clean makes valid UTF-8");
	fuzz_require(!utf8_valid(text) || strcmp(clean, text) == 0,
	    "utf8_clean keeps valid UTF-8 as it is");
	free(clean);

	fuzz_require(!user_name_ok(text) || (utf8_valid(text) &&
	    strlen(text) <= VAULT_NAME_MAX && strchr(text, ' ') == NULL),
	    "a user name is short, valid UTF-8 and has no space");
	fuzz_require(!user_email_ok(text) || strchr(text, '@') != NULL,
	    "an e-mail address has an @");
	fuzz_require(!user_phone_ok(text) || text[0] == '+',
	    "a phone number starts with +");
	rc = user_phone_normalise(text, phone, &err);
	fuzz_require((rc == RD_OK && user_phone_ok(phone)) ||
	    (rc == RD_USAGE && phone[0] == '\0' && utf8_valid(err.msg)),
	    "a phone number as written becomes E.164, or a readable refusal");
	fuzz_require(!user_phone_ok(text) || (rc == RD_OK &&
	    strcmp(phone, text) == 0), "E.164 stays as it is");
	rc = user_name_check(text, &err);
	fuzz_require(rc == RD_USAGE || (user_name_ok(text) &&
	    strchr(text, ':') == NULL), "a new user name has no ':'");
	free(text);
	return 0;
}
