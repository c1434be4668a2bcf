/*
 * mailmsg.c: the message the e-mail handler sends, composed without
 * touching the network.
 *
 * The sender is parsed and checked, the URL gets an EHLO name, the
 * templates (built in, or the files template_text and template_html
 * name) are filled in with backend_expand, HTML values escaped, bodies in
 * CRLF form, and the headers made as libcurl takes them: Date in the C
 * locale, a random Message-ID, From, To and Subject as RFC 2047 words when
 * they are not plain ASCII.  MIME structure and quoted-printable are left
 * to libcurl (be-email.c), base64 to libsodium.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "../src/i18n.h"
#include "mailmsg.h"

#define MAILMSG_TEMPLATE_MAX	(64 * 1024)
/* 39 bytes are 52 base64 chars: "Subject: =?UTF-8?B?...?=" fits 76. */
#define MAILMSG_WORD_BYTES	39

/*
 * The built-in templates and the test notice, in the operator's language
 * (share/templates holds copies to start one's own from).
 */
static const char mailmsg_text_builtin[] =
	/* TRANSLATORS: keep {user}, {issuer}, {code} and {validity} as they
	   are; {validity} becomes a duration such as "10 minutes" (in
	   Polish the nominative: "10 minut", "1 minuta"). */
	N_("Hello {user},\n"
	"\n"
	"your {issuer} verification code is:\n"
	"\n"
	"    {code}\n"
	"\n"
	"It is valid for {validity}.  Enter it where you were asked\n"
	"for it.\n"
	"\n"
	"If you did not ask for a code, someone may know your password: do\n"
	"not share this code with anyone and tell your help desk.\n");

static const char mailmsg_html_builtin[] =
	/* TRANSLATORS: the HTML form of the message above; translate the
	   words only, the markup and the {placeholders} stay. */
	N_("<!DOCTYPE html>\n"
	"<html>\n"
	"<head>\n"
	"<meta charset=\"UTF-8\">\n"
	"<title>{issuer} verification code</title>\n"
	"</head>\n"
	"<body style=\"font-family: sans-serif;\">\n"
	"<p>Hello {user},</p>\n"
	"<p>your {issuer} verification code is:</p>\n"
	"<p style=\"font-size: 1.6em; font-weight: bold; "
	"letter-spacing: 0.2em;\">{code}</p>\n"
	"<p>It is valid for {validity}.  Enter it where you were asked\n"
	"for it.</p>\n"
	"<p>If you did not ask for a code, someone may know your password: do\n"
	"not share this code with anyone and tell your help desk.</p>\n"
	"</body>\n"
	"</html>\n");

static const char mailmsg_test_text[] =
	N_("This is a test of the e-mail channel of {issuer}: no action is "
	"needed.\n\n");
static const char mailmsg_test_html[] =
	N_("<p><strong>This is a test of the e-mail channel of {issuer}: no "
	"action is needed.</strong></p>\n");

bool
mailmsg_addr_ok(const char *a)
{
	const char	*at = strchr(a, '@'), *p;

	if (at == NULL || at == a || at[1] == '\0' || strchr(at + 1, '@') ||
	    strlen(a) > 254)
		return false;
	for (p = a; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
			return false;
	return true;
}

/* "name@domain" or "Display Name <name@domain>"; false when neither. */
bool
mailmsg_parse_from(const char *from, char *name, size_t namesz, char *addr,
    size_t addrsz)
{
	const char	*lt = strrchr(from, '<'), *gt;
	size_t		 n;
	const char	*p;

	name[0] = '\0';
	for (p = from; *p != '\0'; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			return false;
	if (lt == NULL) {
		if (strlen(from) >= addrsz)
			return false;
		snprintf(addr, addrsz, "%s", from);
		return mailmsg_addr_ok(addr);
	}
	if ((gt = strchr(lt, '>')) == NULL || gt[1] != '\0' ||
	    (size_t)(gt - lt - 1) >= addrsz)
		return false;
	snprintf(addr, addrsz, "%.*s", (int)(gt - lt - 1), lt + 1);
	for (p = from; p < lt && *p == ' '; p++)
		;
	n = (size_t)(lt - p);
	while (n > 0 && p[n - 1] == ' ')
		n--;
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		p++;
		n -= 2;
	}
	if (n >= namesz || memchr(p, '"', n) != NULL ||
	    memchr(p, '\\', n) != NULL)
		return false;
	snprintf(name, namesz, "%.*s", (int)n, p);
	return mailmsg_addr_ok(addr);
}

char *
mailmsg_url(const char *url, const char *domain, char *host, size_t hostsz,
    bool *userinfo)
{
	CURLU	*u = curl_url();
	char	*path = NULL, *out = NULL, *h = NULL, *user = NULL, *ret = NULL;
	char	*ehlo;

	if (u == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK) {
		snprintf(host, hostsz, "%s", h);
		*userinfo = curl_url_get(u, CURLUPART_USER, &user, 0) ==
		    CURLUE_OK;
		/* libcurl sends the path as the EHLO name: never leave it
		 * out (it would send the machine's name). */
		if (path[0] == '\0' || strcmp(path, "/") == 0) {
			ehlo = xasprintf("/%s", domain);
			curl_url_set(u, CURLUPART_PATH, ehlo, 0);
			free(ehlo);
		}
		if (curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
			ret = xstrdup(out);
	}
	curl_free(out);
	curl_free(path);
	curl_free(h);
	if (user != NULL) {
		memset(user, 0, strlen(user));
		curl_free(user);
	}
	curl_url_cleanup(u);
	return ret;
}

static void
mailmsg_hdr(struct mailmsg *mm, const char *line, bool show)
{
	struct curl_slist	*n = curl_slist_append(mm->hdrs, line);

	if (n == NULL)
		mm->oom = 1;
	else
		mm->hdrs = n;
	if (show)
		rd_buf_printf(&mm->shown, "%s\n", line);
}

static bool
mailmsg_plain(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < ' ' || *s >= 0x7f)
			return false;
	return true;
}

/*
 * "name: text suffix", text as RFC 2047 encoded words when it is not
 * plain ASCII: one word per folded line, never splitting a UTF-8
 * sequence, so each word decodes on its own.  The transcript shows the
 * text itself, where a code in it can be redacted.
 */
static void
mailmsg_hdr_words(struct mailmsg *mm, const char *name, const char *text,
    const char *suffix)
{
	struct rd_buf	 line;
	const char	*p;
	char		 b64[sodium_base64_ENCODED_LEN(MAILMSG_WORD_BYTES,
			    sodium_base64_VARIANT_ORIGINAL)];
	size_t		 left, take;
	bool		 plain = mailmsg_plain(text);

	rd_buf_init(&line, 0);
	rd_buf_printf(&line, "%s: ", name);
	if (plain)
		rd_buf_addstr(&line, text);
	else
		rd_buf_printf(&mm->shown, "%s: %s%s (as RFC 2047 words)\n",
		    name, text, suffix);
	for (p = text, left = plain ? 0 : strlen(text); left > 0;
	    p += take, left -= take) {
		take = left < MAILMSG_WORD_BYTES ? left : MAILMSG_WORD_BYTES;
		while (take < left && take > 1 &&
		    ((unsigned char)p[take] & 0xc0) == 0x80)
			take--;
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)p,
		    take, sodium_base64_VARIANT_ORIGINAL);
		if (line.len > 0 && line.data[line.len - 1] != ' ') {
			mailmsg_hdr(mm, line.data, false);
			line.len = 0;
			rd_buf_addstr(&line, " ");
		}
		rd_buf_printf(&line, "=?UTF-8?B?%s?=", b64);
	}
	/* A suffix (" <addr>") that would make the line too long folds. */
	if (!plain && suffix[0] == ' ' && line.len + strlen(suffix) > 76) {
		mailmsg_hdr(mm, line.data, false);
		line.len = 0;
	}
	rd_buf_addstr(&line, suffix);
	mailmsg_hdr(mm, line.data, plain);
	rd_buf_free(&line);
}

static enum rd_code RD_CHECK
mailmsg_template(const struct be_call *call, int key,
    const char *builtin, struct rd_buf *out, struct rd_err *err)
{
	const char	*path = cfg_str(call->own, key);
	const char	*name = call->own->keys[key].name;
	char		 chunk[4096];
	size_t		 n;
	FILE		*fp;
	int		 bad = 0;

	if (path == NULL || *path == '\0') {
		rd_buf_addstr(out, builtin);
		return RD_OK;
	}
	if ((fp = fopen(path, "r")) == NULL)
		return rd_err_set(err, RD_CONFIG,
		    _("[method.%s] %s: cannot read "
		    "%s: %s"), call->method, name, path, strerror(errno));
	while (!bad && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		bad = rd_buf_add(out, chunk, n) != 0;
	if (ferror(fp))
		bad = 1;
	fclose(fp);
	if (bad)
		return rd_err_set(err, RD_CONFIG, _("[method.%s] %s: %s cannot "
		    "be read whole (at most %d bytes)"), call->method, name,
		    path, MAILMSG_TEMPLATE_MAX);
	return RD_OK;
}

static char *
mailmsg_html_escape(const char *s)
{
	struct rd_buf	b;

	rd_buf_init(&b, 0);
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '&': rd_buf_addstr(&b, "&amp;"); break;
		case '<': rd_buf_addstr(&b, "&lt;"); break;
		case '>': rd_buf_addstr(&b, "&gt;"); break;
		case '"': rd_buf_addstr(&b, "&quot;"); break;
		case '\'': rd_buf_addstr(&b, "&#39;"); break;
		default: rd_buf_add(&b, s, 1); break;
		}
	}
	return rd_buf_take(&b);
}

/* Expand tpl into out with CRLF line ends, the canonical form of text/x. */
static void
mailmsg_expand(const char *tpl, const struct be_call *call,
    const struct be_message *msg, struct rd_buf *out)
{
	struct rd_buf	 raw;
	size_t		 i;

	rd_buf_init(&raw, 0);
	backend_expand(tpl, call, msg, &raw);
	for (i = 0; i < raw.len; i++) {
		if (raw.data[i] == '\n' && (i == 0 || raw.data[i - 1] != '\r'))
			rd_buf_add(out, "\r", 1);
		rd_buf_add(out, raw.data + i, 1);
	}
	rd_buf_free(&raw);
}

static enum rd_code RD_CHECK
mailmsg_bodies(const struct be_call *call, const struct be_message *msg,
    struct mailmsg *mm, struct rd_err *err)
{
	struct rd_buf		 ttpl, htpl;
	struct be_call		 hcall = *call;
	struct be_message	 hmsg = *msg;
	char			*user, *issuer, *code;
	const char		*body;
	enum rd_code		 rc;

	rd_buf_init(&ttpl, MAILMSG_TEMPLATE_MAX);
	rd_buf_init(&htpl, MAILMSG_TEMPLATE_MAX);
	if ((rc = mailmsg_template(call, EM_TEMPLATE_TEXT,
	    _(mailmsg_text_builtin), &ttpl, err)) != RD_OK ||
	    (rc = mailmsg_template(call, EM_TEMPLATE_HTML,
	    _(mailmsg_html_builtin), &htpl, err)) != RD_OK)
		goto out;
	if (msg->test)
		mailmsg_expand(_(mailmsg_test_text), call, msg, &mm->text);
	mailmsg_expand(ttpl.data, call, msg, &mm->text);

	/* Escape the values, not the template: its markup is the operator's. */
	hcall.user = user = mailmsg_html_escape(call->user);
	hcall.issuer = issuer = mailmsg_html_escape(call->issuer);
	hmsg.code = code = mailmsg_html_escape(msg->code);
	body = htpl.data;
	if (msg->test) {
		const char	*b = strstr(body, "<body"), *gt;

		/* The notice opens the body, after the template's <body>. */
		if (b != NULL && (gt = strchr(b, '>')) != NULL) {
			char	*head = xstrndup(body, (size_t)(gt + 1 - body));

			mailmsg_expand(head, &hcall, &hmsg, &mm->html);
			rd_buf_addstr(&mm->html, "\r\n");
			free(head);
			body = gt + 1;
			if (*body == '\n')
				body++;
		}
		mailmsg_expand(_(mailmsg_test_html), &hcall, &hmsg, &mm->html);
	}
	mailmsg_expand(body, &hcall, &hmsg, &mm->html);
	free(user);
	free(issuer);
	secret_free(code);
out:
	rd_buf_free(&ttpl);
	rd_buf_free(&htpl);
	return rc;
}

static void
mailmsg_headers(const struct be_call *call, const struct be_message *msg,
    struct mailmsg *mm)
{
	static const char	 days[7][4] = { "Sun", "Mon", "Tue", "Wed",
				    "Thu", "Fri", "Sat" };
	static const char	 months[12][4] = { "Jan", "Feb", "Mar", "Apr",
				    "May", "Jun", "Jul", "Aug", "Sep", "Oct",
				    "Nov", "Dec" };
	struct rd_buf		 subject;
	unsigned char		 rnd[16];
	char			 hex[sizeof rnd * 2 + 1], line[600];
	time_t			 now = time(NULL);
	struct tm		 tm;

	/* Names from tables, not strftime: C locale whatever LC_TIME says. */
	gmtime_r(&now, &tm);
	snprintf(line, sizeof line, "Date: %s, %02d %s %04d %02d:%02d:%02d "
	    "+0000", days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	mailmsg_hdr(mm, line, true);
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	snprintf(line, sizeof line, "Message-ID: <%s@%s>", hex,
	    strchr(mm->from_addr, '@') + 1);
	mailmsg_hdr(mm, line, true);
	if (mm->from_name[0] == '\0') {
		snprintf(line, sizeof line, "From: %s", mm->from_addr);
		mailmsg_hdr(mm, line, true);
	} else if (mailmsg_plain(mm->from_name)) {
		snprintf(line, sizeof line, "From: \"%s\" <%s>", mm->from_name,
		    mm->from_addr);
		mailmsg_hdr(mm, line, true);
	} else {
		snprintf(line, sizeof line, " <%s>", mm->from_addr);
		mailmsg_hdr_words(mm, "From", mm->from_name, line);
	}
	snprintf(line, sizeof line, "To: %s", msg->to);
	mailmsg_hdr(mm, line, true);
	rd_buf_init(&subject, 0);
	if (msg->test)
		rd_buf_addstr(&subject, "[TEST] ");
	backend_expand(backend_text(call->own, EM_SUBJECT), call, msg,
	    &subject);
	mailmsg_hdr_words(mm, "Subject", subject.data, "");
	rd_buf_free(&subject);
	/* libcurl keeps this type for the top level and adds the boundary. */
	mailmsg_hdr(mm, "Content-Type: multipart/alternative", true);
}

enum rd_code
mailmsg_compose(const struct be_call *call, const struct be_message *msg,
    struct mailmsg *mm, struct rd_err *err)
{
	enum rd_code	rc;
	bool		userinfo;

	memset(mm, 0, sizeof *mm);
	rd_buf_init(&mm->text, 0);
	rd_buf_init(&mm->html, 0);
	rd_buf_init(&mm->shown, 0);
	if (!mailmsg_parse_from(cfg_str(call->own, EM_FROM),
	    mm->from_name, sizeof mm->from_name, mm->from_addr,
	    sizeof mm->from_addr))
		return rd_err_set(err, RD_CONFIG, _("[method.%s] from: not "
		    "name@domain or Name <name@domain>"), call->method);
	if (msg->to == NULL || !mailmsg_addr_ok(msg->to))
		return rd_err_set(err, RD_USAGE, _("email: '%s' is not an "
		    "e-mail address"), msg->to ? msg->to : "");
	if ((mm->url = mailmsg_url(cfg_str(call->own, EM_SMTP_URL),
	    strchr(mm->from_addr, '@') + 1, mm->host, sizeof mm->host,
	    &userinfo)) == NULL)
		return rd_err_set(err, RD_CONFIG,
		    _("[method.%s] smtp_url: not a "
		    "valid URL"), call->method);
	if ((rc = mailmsg_bodies(call, msg, mm, err)) != RD_OK)
		return rc;
	mailmsg_headers(call, msg, mm);
	if (mm->oom)
		return rd_err_set(err, RD_NETWORK, _("email: libcurl could not "
		    "hold the headers"));
	return RD_OK;
}

void
mailmsg_free(struct mailmsg *mm)
{
	curl_slist_free_all(mm->hdrs);
	mm->hdrs = NULL;
	free(mm->url);
	mm->url = NULL;
	rd_buf_free(&mm->text);
	rd_buf_free(&mm->html);
	rd_buf_free(&mm->shown);
}
