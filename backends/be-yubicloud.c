/*
 * be-yubicloud.c: YubiKey OTPs checked by YubiCloud, validation protocol
 * 2.0 (docs/protocols.md §5).  One signed GET to {api_base}/wsapi/2.0/verify
 * with a fresh nonce and the OTP as modhex (one typed on a Dvorak layout
 * is read back first, yubiotp.c); the answer is accepted as Yubico's own
 * clients accept it: exactly one status line, a signature that verifies
 * when an API key is configured, our OTP and nonce echoed, status OK.
 * Anything else is a refusal or a provider failure, never a pass.
 *
 * Nothing is kept per user but the key's public id, which the core binds
 * at confirm, and the key's counter from the answer, so that a code is
 * accepted once here as well as at Yubico.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include "../src/util.h"
#include "backend.h"
#include "http.h"
#include "yubicloud.h"
#include "yubiotp.h"

#define YC_NONCE_LEN	32
#define YC_PAIRS_MAX	32

enum yubicloud_key {
	YC_CLIENT_ID,
	YC_API_KEY,
	YC_API_BASE,
	YC_CA_FILE,
	YC_COUNT
};

static const struct cfg_key yubicloud_keys[YC_COUNT] = {
	[YC_CLIENT_ID] = { .name = "client_id", .type = CFG_STR,
	    .flags = CFG_REQUIRED,
	    .help = "YubiCloud client id (digits), from "
	    "upgrade.yubico.com/getapikey" },
	[YC_API_KEY] = { .name = "api_key", .type = CFG_STR,
	    .flags = CFG_SECRET | CFG_REQUIRED,
	    .help = "YubiCloud API key (base64): requests are signed and "
	    "answers must carry a valid signature" },
	[YC_API_BASE] = { .name = "api_base", .type = CFG_STR,
	    .def = "https://api.yubico.com", .flags = CFG_URL,
	    .help = "validation service" },
	[YC_CA_FILE] = { .name = "ca_file", .type = CFG_STR,
	    .flags = CFG_ABSPATH,
	    .help = "CA bundle to verify the service's certificate (default: "
	    "system)" },
};

/* What each status means to the person at the desk. */
static const struct {
	const char	*status;
	enum rd_code	 rc;
	const char	*why;
} yubicloud_statuses[] = {
	{ "OK", RD_OK, "the OTP is valid" },
	{ "BAD_OTP", RD_INVALID_CODE, "the OTP is malformed or does not "
	  "belong to a key YubiCloud knows" },
	{ "REPLAYED_OTP", RD_INVALID_CODE, "OTP was already used (replay)" },
	{ "REPLAYED_REQUEST", RD_INVALID_CODE, "OTP was already used (replay)" },
	{ "BAD_SIGNATURE", RD_BACKEND, "our request signature was refused "
	  "(check api_key)" },
	{ "MISSING_PARAMETER", RD_BACKEND, "a request parameter is missing "
	  "or malformed" },
	{ "NO_SUCH_CLIENT", RD_BACKEND, "the client_id is not known "
	  "(check client_id)" },
	{ "OPERATION_NOT_ALLOWED", RD_BACKEND, "this client_id may not "
	  "verify OTPs" },
	{ "BACKEND_ERROR", RD_BACKEND, "the service failed internally; "
	  "try again" },
	{ "NOT_ENOUGH_ANSWERS", RD_BACKEND, "too few sync servers answered; "
	  "try again" },
};

/* As the reference server: decimal digits, at most 10, not 0. */
static bool
yubicloud_id_ok(const char *id)
{
	size_t	n;

	for (n = 0; id[n] != '\0'; n++)
		if (!isdigit((unsigned char)id[n]))
			return false;
	return n > 0 && n <= 10 && strspn(id, "0") != n;
}

bool
yubicloud_key_decode(const char *b64, unsigned char key[YUBICLOUD_KEY_MAX],
    size_t *keylen)
{
	if (b64 == NULL || sodium_base642bin(key, YUBICLOUD_KEY_MAX, b64,
	    strlen(b64), NULL, keylen, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || *keylen == 0) {
		sodium_memzero(key, YUBICLOUD_KEY_MAX);
		*keylen = 0;
		return false;
	}
	return true;
}

static int
yubicloud_pair_cmp(const void *a, const void *b)
{
	const struct yubicloud_pair *const	*pa = a;
	const struct yubicloud_pair *const	*pb = b;

	return strcmp((*pa)->key, (*pb)->key);
}

enum rd_code
yubicloud_sign(const struct yubicloud_pair *pairs, size_t n,
    const unsigned char *key, size_t keylen, char h[YUBICLOUD_SIG_SIZE],
    struct rd_err *err)
{
	const struct yubicloud_pair	*sorted[YC_PAIRS_MAX];
	unsigned char			 md[EVP_MAX_MD_SIZE];
	unsigned int			 mdlen = 0;
	struct rd_buf			 msg;
	size_t				 i, m = 0;
	enum rd_code			 rc = RD_OK;

	h[0] = '\0';
	for (i = 0; i < n; i++) {
		if (strcmp(pairs[i].key, "h") == 0)
			continue;
		if (m == YC_PAIRS_MAX)
			return rd_err_set(err, RD_BACKEND, "yubicloud: too "
			    "many fields to sign");
		sorted[m++] = &pairs[i];
	}
	qsort(sorted, m, sizeof sorted[0], yubicloud_pair_cmp);
	rd_buf_init(&msg, 0);
	for (i = 0; i < m; i++)
		rd_buf_printf(&msg, "%s%s=%s", i ? "&" : "", sorted[i]->key,
		    sorted[i]->value);
	if (HMAC(EVP_sha1(), key, (int)keylen, (const unsigned char *)msg.data,
	    msg.len, md, &mdlen) == NULL || mdlen != 20)
		rc = rd_err_set(err, RD_BACKEND, "yubicloud: HMAC-SHA1 failed "
		    "in libcrypto");
	else
		sodium_bin2base64(h, YUBICLOUD_SIG_SIZE, md, mdlen,
		    sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(md, sizeof md);
	rd_buf_free(&msg);
	return rc;
}

static void
yubicloud_check(const struct cfg_section *own, struct cfg_problems *p)
{
	const char	*id = cfg_str(own, YC_CLIENT_ID);
	const char	*key = cfg_str(own, YC_API_KEY);
	unsigned char	 raw[YUBICLOUD_KEY_MAX];
	size_t		 rawlen;

	if (id != NULL && !yubicloud_id_ok(id))
		cfg_key_problem(p, own, YC_CLIENT_ID, "'%.32s' is not a "
		    "YubiCloud client id (1 to 10 digits, not 0)", id);
	/* The value is a credential: say what is wrong, never what it is. */
	if (key != NULL && *key != '\0' &&
	    !yubicloud_key_decode(key, raw, &rawlen))
		cfg_key_problem(p, own, YC_API_KEY, "not a base64 YubiCloud API "
		    "key");
	sodium_memzero(raw, sizeof raw);
}

/* Nothing to keep: the first OTP at confirm binds the key. */
static enum rd_code RD_CHECK
yubicloud_enrol(const struct be_call *call, const char *input,
    struct be_device *dev, struct rd_err *err)
{
	(void)call;
	sodium_memzero(dev->material, sizeof dev->material);
	dev->len = 0;
	dev->public_id[0] = '\0';
	dev->counter = -1;
	if (input != NULL && input[strspn(input, " \t\r\n")] != '\0')
		return rd_err_set(err, RD_USAGE, "yubicloud: no key material "
		    "is needed (YubiCloud holds the key's secrets); leave the "
		    "input empty and confirm with an OTP");
	return RD_OK;
}

/* A status we may show: an upper-case word, else attacker's text. */
static bool
yubicloud_word_ok(const char *s)
{
	size_t	n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");

	return n > 0 && n < 48 && s[n] == '\0';
}

/* Cut body into key=value pairs at the first '='; false when it is not so. */
static bool
yubicloud_parse(char *body, struct yubicloud_pair *pairs, size_t *n)
{
	char	*line, *next, *eq;
	size_t	 len;

	*n = 0;
	for (line = body; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (len == 0)
			continue;
		if ((eq = strchr(line, '=')) == NULL || eq == line ||
		    *n == YC_PAIRS_MAX)
			return false;
		*eq = '\0';
		pairs[*n].key = line;
		pairs[*n].value = eq + 1;
		(*n)++;
	}
	return *n > 0;
}

static const char *
yubicloud_get(const struct yubicloud_pair *pairs, size_t n, const char *key,
    int *count)
{
	const char	*v = NULL;
	size_t		 i;

	*count = 0;
	for (i = 0; i < n; i++)
		if (strcmp(pairs[i].key, key) == 0) {
			v = pairs[i].value;
			(*count)++;
		}
	return v;
}

/*
 * Judge an HTTP 200 answer as Yubico's clients do.  On OK fills
 * *counter from sessioncounter and sessionuse, or -1 without them.
 */
static enum rd_code RD_CHECK
yubicloud_judge(char *body, const char *otp, const char *nonce,
    const unsigned char *key, size_t keylen, int64_t *counter,
    struct be_reply *reply, struct rd_err *err)
{
	struct yubicloud_pair	 pairs[YC_PAIRS_MAX];
	const char		*status, *h, *eotp, *enonce, *sc, *su;
	char			 mine[YUBICLOUD_SIG_SIZE];
	size_t			 n, i;
	int			 nstatus, nh, notp, nnonce, nsc, nsu;
	long			 c, u;
	enum rd_code		 rc;

	*counter = -1;
	if (!yubicloud_parse(body, pairs, &n))
		return rd_err_set(err, RD_BACKEND, "yubicloud: the answer is "
		    "not key=value lines (is api_base a YubiCloud server?)");
	status = yubicloud_get(pairs, n, "status", &nstatus);
	h = yubicloud_get(pairs, n, "h", &nh);
	eotp = yubicloud_get(pairs, n, "otp", &notp);
	enonce = yubicloud_get(pairs, n, "nonce", &nnonce);
	sc = yubicloud_get(pairs, n, "sessioncounter", &nsc);
	su = yubicloud_get(pairs, n, "sessionuse", &nsu);
	if (nstatus != 1)
		return rd_err_set(err, RD_BACKEND, "yubicloud: the answer has "
		    "%d status lines, not one: refused", nstatus);
	if (nh > 1 || notp > 1 || nnonce > 1 || nsc > 1 || nsu > 1)
		return rd_err_set(err, RD_BACKEND, "yubicloud: the answer "
		    "repeats a field: refused");
	if (key != NULL) {
		if ((rc = yubicloud_sign(pairs, n, key, keylen, mine, err)) !=
		    RD_OK)
			return rc;
		/* Early errors are signed with an empty key: name them. */
		if (h == NULL || !str_ct_equal(h, mine))
			return rd_err_set(err, RD_BACKEND, "yubicloud: response "
			    "signature does not verify (a forged answer, or "
			    "the wrong api_key)%s%s",
			    yubicloud_word_ok(status) ? "; unverified status " :
			    "", yubicloud_word_ok(status) ? status : "");
	}
	/* Echoes protect against a genuine answer replayed to us. */
	if ((eotp != NULL && strcmp(eotp, otp) != 0) ||
	    (enonce != NULL && strcmp(enonce, nonce) != 0) ||
	    (strcmp(status, "OK") == 0 && (eotp == NULL || enonce == NULL)))
		return rd_err_set(err, RD_BACKEND, "yubicloud: the answer does "
		    "not echo our otp/nonce: refused");
	for (i = 0; i < sizeof yubicloud_statuses /
	    sizeof yubicloud_statuses[0]; i++)
		if (strcmp(status, yubicloud_statuses[i].status) == 0)
			break;
	if (i == sizeof yubicloud_statuses / sizeof yubicloud_statuses[0]) {
		if (yubicloud_word_ok(status))
			snprintf(reply->code, sizeof reply->code, "%s", status);
		snprintf(reply->message, sizeof reply->message, "unknown "
		    "status");
		return rd_err_set(err, RD_BACKEND, "yubicloud: unknown status "
		    "%s", reply->code[0] != '\0' ? reply->code : "(unreadable)");
	}
	snprintf(reply->code, sizeof reply->code, "%s", status);
	snprintf(reply->message, sizeof reply->message, "%s",
	    yubicloud_statuses[i].why);
	rc = yubicloud_statuses[i].rc;
	if (rc == RD_INVALID_CODE)
		return rd_err_set(err, rc, "%s", yubicloud_statuses[i].why);
	if (rc != RD_OK)
		return rd_err_set(err, rc, "yubicloud: %s: %s", status,
		    yubicloud_statuses[i].why);
	if (sc != NULL && su != NULL) {
		if (!str_to_long(sc, 0, 0x7fff, &c) ||
		    !str_to_long(su, 0, 0xff, &u))
			return rd_err_set(err, RD_BACKEND, "yubicloud: the "
			    "answer's key counters are not numbers: refused");
		*counter = (int64_t)(c << 8 | u);
	}
	return RD_OK;
}

static void
yubicloud_nonce(char out[YC_NONCE_LEN + 1])
{
	static const char	 alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789";
	size_t			 i;

	for (i = 0; i < YC_NONCE_LEN; i++)
		out[i] = alnum[randombytes_uniform(sizeof alnum - 1)];
	out[YC_NONCE_LEN] = '\0';
}

static char *
yubicloud_url(const char *base, const struct yubicloud_pair *pairs, size_t n)
{
	struct rd_buf	 url;
	size_t		 blen = strlen(base), i;
	char		*v;

	/* api_base may end in '/': the path must not get two. */
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	rd_buf_init(&url, 0);
	rd_buf_add(&url, base, blen);
	rd_buf_addstr(&url, "/wsapi/2.0/verify");
	for (i = 0; i < n; i++) {
		v = http_escape(pairs[i].value);
		rd_buf_printf(&url, "%c%s=%s", i ? '&' : '?', pairs[i].key, v);
		free(v);
	}
	return rd_buf_take(&url);
}

static enum rd_code RD_CHECK
yubicloud_validate(const struct be_call *call, struct be_device *dev,
    const char *otp, struct be_reply *reply, struct rd_err *err)
{
	const char		*id = cfg_str(call->own, YC_CLIENT_ID);
	const char		*api_key = cfg_str(call->own, YC_API_KEY);
	const char		*redact[3] = { NULL, NULL, NULL };
	struct yubicloud_pair	 pairs[5];
	struct http_request	 req;
	struct http_response	 resp;
	unsigned char		 key[YUBICLOUD_KEY_MAX];
	size_t			 keylen = 0;
	struct yubiotp		 y;
	char			 nonce[YC_NONCE_LEN + 1], h[YUBICLOUD_SIG_SIZE];
	char			*url = NULL;
	bool			 signing = api_key != NULL && *api_key != '\0';
	int64_t			 counter = -1;
	enum rd_code		 rc;

	if (sodium_init() < 0)
		return rd_err_set(err, RD_BACKEND, "yubicloud: libsodium "
		    "could not start");
	if (id == NULL || !yubicloud_id_ok(id))
		return rd_err_set(err, RD_CONFIG, "yubicloud: client_id is "
		    "missing or not digits");
	/* Unsigned answers could be forged by anyone on the path. */
	if (!signing)
		return rd_err_set(err, RD_CONFIG, "yubicloud: api_key is "
		    "missing; without it answers cannot be trusted");
	if (!yubicloud_key_decode(api_key, key, &keylen))
		return rd_err_set(err, RD_CONFIG, "yubicloud: api_key is not "
		    "base64");

	/*
	 * Refuse what is no OTP before it leaves the machine; send one typed
	 * in upper case or on a Dvorak layout as the modhex it stands for,
	 * which is also what the service echoes.
	 */
	if ((rc = yubiotp_read(otp, &y, err)) != RD_OK)
		goto out;
	/* Checked before sending, so another key's OTP is not spent. */
	if (dev->public_id[0] != '\0' && strcmp(dev->public_id, y.pubid) != 0) {
		rc = rd_err_set(err, RD_INVALID_CODE, "the OTP comes from "
		    "another YubiKey (public id %s)", y.pubid);
		goto out;
	}

	yubicloud_nonce(nonce);
	pairs[0] = (struct yubicloud_pair){ "id", id };
	pairs[1] = (struct yubicloud_pair){ "nonce", nonce };
	pairs[2] = (struct yubicloud_pair){ "otp", y.otp };
	pairs[3] = (struct yubicloud_pair){ "timestamp", "1" };
	if (signing) {
		if ((rc = yubicloud_sign(pairs, 4, key, keylen, h, err)) !=
		    RD_OK)
			goto out;
		pairs[4] = (struct yubicloud_pair){ "h", h };
	}
	url = yubicloud_url(cfg_str(call->own, YC_API_BASE), pairs, signing ? 5 : 4);
	redact[0] = y.otp;
	redact[1] = signing ? api_key : NULL;
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = url;
	req.ca_file = cfg_str(call->own, YC_CA_FILE);
	req.redact = redact;
	if ((rc = http_perform(call, &req, &resp, reply, err)) != RD_OK)
		goto out;
	if (resp.status != 200)
		rc = rd_err_set(err, RD_BACKEND, "yubicloud: the service "
		    "answered HTTP %ld, not a verdict", resp.status);
	else
		rc = yubicloud_judge(resp.body, y.otp, nonce,
		    signing ? key : NULL, keylen, &counter, reply, err);
	http_response_free(&resp);
	if (rc != RD_OK)
		goto out;
	if (counter >= 0 && counter <= dev->counter) {
		rc = rd_err_set(err, RD_INVALID_CODE, "OTP was already used "
		    "(replay)");
		goto out;
	}
	if (counter >= 0)
		dev->counter = counter;
	snprintf(reply->public_id, sizeof reply->public_id, "%s", y.pubid);
out:
	secret_free(url);
	sodium_memzero(&y, sizeof y);
	sodium_memzero(key, sizeof key);
	return rc;
}

static const struct be_device_ops yubicloud_device = {
	.enrol = yubicloud_enrol,
	.validate = yubicloud_validate,
};

const struct backend be_yubicloud = {
	.cfg = {
		.name = "yubicloud",
		.keys = yubicloud_keys,
		.nkeys = YC_COUNT,
		.source_field = "yubikey",
		.check = yubicloud_check,
	},
	.kind = BE_DEVICE,
	.device = &yubicloud_device,
};
