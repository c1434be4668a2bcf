/*
 * fuzz-yubicloud.c: the YubiCloud answer, which arrives from the network
 * and decides whether a YubiKey OTP passes.  The body is cut into pairs
 * (yubicloud_parse) and judged (yubicloud_judge) twice: without an API
 * key, so that the fuzzer reaches the status and counter checks, and with
 * the key of docs/protocols.md §5, as redoubt always runs.  The input as
 * text is also an API key for yubicloud_key_decode.
 *
 * The parser and the judge are static: the backend is included whole
 * (its object in the archive then stays unused).  The judge's promises:
 * only OK, INVALID_CODE or BACKEND; OK only for status=OK with our OTP and
 * nonce echoed; a counter of at most 15 + 8 bits.
 */
#include "../../backends/be-yubicloud.c"
#include "fuzz.h"

/* The worked example of docs/protocols.md §5. */
#define FUZZ_OTP	"vvvvvvcucrlcietctckflvnncdgckubflugerlnr"
#define FUZZ_NONCE	"askjdnkajsndjkasndkjsnad"
#define FUZZ_API_KEY	"ZmFrZS1hcGkta2V5LWZvci10c3Q="

static unsigned char	fuzz_key[YUBICLOUD_KEY_MAX];
static size_t		fuzz_keylen;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char		 body[] = "h=ryNiaPioaujHj3+0ah15JAadvWs=\r\n"
			    "t=2024-01-02T03:04:05Z0678\r\n"
			    "otp=" FUZZ_OTP "\r\nnonce=" FUZZ_NONCE "\r\n"
			    "sl=100\r\ntimestamp=8917344\r\n"
			    "sessioncounter=19\r\nsessionuse=17\r\n"
			    "status=OK\r\n\r\n";
	struct be_reply	 reply;
	struct rd_err	 err;
	int64_t		 counter;

	(void)argc;
	(void)argv;
	if (sodium_init() < 0 ||
	    !yubicloud_key_decode(FUZZ_API_KEY, fuzz_key, &fuzz_keylen))
		abort();
	/* The signed answer of the worked example passes: the key is right. */
	memset(&reply, 0, sizeof reply);
	fuzz_require(yubicloud_judge(body, FUZZ_OTP, FUZZ_NONCE, fuzz_key,
	    fuzz_keylen, &counter, &reply, &err) == RD_OK &&
	    counter == (19 << 8 | 17), "the worked example verifies");
	return 0;
}

static void
fuzz_judge(const uint8_t *data, size_t size, const unsigned char *key)
{
	char		*body = fuzz_text(data, size);
	char		*orig = fuzz_text(data, size);
	struct be_reply	 reply;
	struct rd_err	 err;
	int64_t		 counter = -2;
	enum rd_code	 rc;

	memset(&reply, 0, sizeof reply);
	rc = yubicloud_judge(body, FUZZ_OTP, FUZZ_NONCE, key, fuzz_keylen,
	    &counter, &reply, &err);
	fuzz_require(rc == RD_OK || rc == RD_INVALID_CODE || rc == RD_BACKEND,
	    "the judge answers OK, INVALID_CODE or BACKEND");
	fuzz_require(counter >= -1 && counter <= 0x7fffff,
	    "a counter is -1 or 15 + 8 bits");
	fuzz_require(rc != RD_OK || (strcmp(reply.code, "OK") == 0 &&
	    strstr(orig, "otp=" FUZZ_OTP) != NULL),
	    "OK only for status=OK with our OTP echoed");
	fuzz_require(memchr(reply.code, '\0', sizeof reply.code) != NULL &&
	    memchr(reply.message, '\0', sizeof reply.message) != NULL,
	    "reply strings are terminated");
	free(orig);
	free(body);
}

/* The pairs cover the body: keys are not empty and hold no line end. */
static void
fuzz_parse(const uint8_t *data, size_t size)
{
	struct yubicloud_pair	 pairs[YC_PAIRS_MAX];
	char			*body = fuzz_text(data, size);
	size_t			 n = 0, i;

	if (yubicloud_parse(body, pairs, &n)) {
		fuzz_require(n > 0 && n <= YC_PAIRS_MAX, "1 to 32 pairs");
		for (i = 0; i < n; i++)
			fuzz_require(pairs[i].key[0] != '\0' &&
			    strpbrk(pairs[i].key, "=\n") == NULL &&
			    strchr(pairs[i].value, '\n') == NULL,
			    "a pair is one line, cut at its first =");
	}
	free(body);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char	 key[YUBICLOUD_KEY_MAX];
	size_t		 keylen = 0;
	char		*text;

	fuzz_parse(data, size);
	fuzz_judge(data, size, NULL);
	fuzz_judge(data, size, fuzz_key);

	text = fuzz_text(data, size);
	if (yubicloud_key_decode(text, key, &keylen))
		fuzz_require(keylen > 0 && keylen <= YUBICLOUD_KEY_MAX,
		    "a decoded key fits");
	else
		fuzz_require(keylen == 0, "a refused key has no length");
	(void)yubicloud_word_ok(text);
	(void)yubicloud_id_ok(text);
	sodium_memzero(key, sizeof key);
	free(text);
	return 0;
}
