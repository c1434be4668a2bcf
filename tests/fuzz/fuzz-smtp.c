/*
 * fuzz-smtp.c: what an SMTP server says, and what we make of it.  The
 * e-mail handler reads every reply line through libcurl's debug hook
 * (email_debug, which cuts the data into lines for email_wire_line),
 * keeps the last line and the last refusal, and puts them in messages
 * and transcripts through email_clean and email_fail, which must replace
 * every secret by ***.  The sender and the URL of the config are parsed by
 * mailmsg_parse_from and mailmsg_url (backends/mailmsg.h).
 *
 * Input: a first line that is the SMTP password (a config value), then
 * the server's data, fed as replies (HEADER_IN), as our own commands
 * (HEADER_OUT: libcurl's, but the masking of AUTH runs on them) and as
 * libcurl's notes (TEXT).  The same data is also a From value and a URL;
 * a From that parses must hold a good address.  The backend is included
 * whole for its static functions (its object in the archive then stays
 * unused).
 */
#include <sodium.h>

#include "../../backends/be-email.c"
#include "fuzz.h"

#define FUZZ_CODE	"123456"

FUZZ_INITIALIZE()

/*
 * No secret of secrets (NULL-terminated) is in s.  A secret holding '*'
 * is left out: *** is what redaction writes, so it may make one.
 */
static void
fuzz_no_secret(const char *s, const char *const *secrets, const char *what)
{
	size_t	i;

	for (i = 0; secrets[i] != NULL; i++)
		if (strlen(secrets[i]) >= 3 && strchr(secrets[i], '*') == NULL)
			fuzz_require(strstr(s, secrets[i]) == NULL, what);
}

/* The wire as libcurl hands it: not NUL-terminated, of exactly n bytes. */
static void
fuzz_wire(const uint8_t *data, size_t n, const char *const *secrets)
{
	static const curl_infotype	 types[] = { CURLINFO_HEADER_IN,
		CURLINFO_HEADER_OUT, CURLINFO_TEXT };
	static const CURLcode		 codes[] = { CURLE_RECV_ERROR,
		CURLE_SEND_ERROR, CURLE_LOGIN_DENIED,
		CURLE_WEIRD_SERVER_REPLY, CURLE_USE_SSL_FAILED,
		CURLE_COULDNT_CONNECT };
	struct email_wire		 w;
	struct be_reply			 reply;
	struct rd_err			 err;
	char				*buf = xmalloc(n);
	char				 out[CURL_ERROR_SIZE];
	size_t				 i;

	memset(&w, 0, sizeof w);
	rd_buf_init(&w.dialogue, 0);
	w.record = 1;
	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		if (n > 0)
			memcpy(buf, data, n);
		(void)email_debug(NULL, types[i], buf, n, &w);
	}
	fuzz_require(w.refusal[0] == '\0' || w.refusal[0] == '4' ||
	    w.refusal[0] == '5', "a refusal is a 4xx or 5xx line");
	email_clean(w.last, secrets, out, sizeof out);
	fuzz_no_secret(out, secrets, "email_clean hides every secret");
	http_redact(&w.dialogue, secrets);
	fuzz_no_secret(w.dialogue.data, secrets, "the dialogue hides secrets");

	/*
	 * libcurl's error text is often the server's last words.  Messages
	 * are not searched for secrets: their own words ("AUTH failed") may
	 * be a password too.
	 */
	for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		memset(&reply, 0, sizeof reply);
		rd_err_clear(&err);
		fuzz_require(email_fail(codes[i], 550, &w, w.last,
		    "mail.example.com", 15, secrets, &reply, &err) != RD_OK,
		    "email_fail fails");
	}
	rd_buf_free(&w.dialogue);
	free(buf);
}

static void
fuzz_mailmsg(const char *text)
{
	char	name[256], addr[256], host[256], *url;
	bool	userinfo = false;

	if (mailmsg_parse_from(text, name, sizeof name, addr, sizeof addr))
		fuzz_require(mailmsg_addr_ok(addr),
		    "a parsed From has a good address");
	(void)mailmsg_addr_ok(text);
	url = mailmsg_url(text, "example.test", host, sizeof host, &userinfo);
	free(url);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*nl = memchr(data, '\n', size);
	size_t		 plen = nl ? (size_t)(nl - data) : 0;
	const uint8_t	*rest = nl ? nl + 1 : data;
	size_t		 rlen = nl ? size - plen - 1 : size;
	char		*pass = fuzz_text(data, plen);
	char		*text = fuzz_text(rest, rlen);
	const char	*secrets[3] = { FUZZ_CODE, NULL, NULL };

	/* The password is a config value: a C string, on one line. */
	if (nl != NULL && strlen(pass) == plen && plen > 0)
		secrets[1] = pass;
	fuzz_wire(rest, rlen, secrets);
	fuzz_mailmsg(text);
	free(text);
	free(pass);
	return 0;
}
