/*
 * be-email.c: the e-mail code channel: one message over SMTP with libcurl,
 * text and HTML as multipart/alternative, both parts quoted-printable.
 *
 * mailmsg.c composes the message (templates, headers, RFC 2047 words);
 * this file carries it.  libcurl builds the MIME structure and does the
 * quoted-printable, from our buffers through read callbacks, so no copy
 * of the code outlives the call.  Certificates are always verified:
 * smtps:// is TLS from the first byte, smtp:// follows starttls (required
 * fails when the server offers no STARTTLS, optional goes on in clear
 * text, none never asks).  A refusal comes back as RD_BACKEND with the SMTP
 * code and the step that failed ("RCPT failed: 550 ..."); a TLS failure
 * as RD_NETWORK saying it was TLS, with no SMTP status (the 220 or 250
 * before it was no verdict).  The transcript
 * holds the envelope, the headers, the text part and the SMTP dialogue,
 * without AUTH payloads or the message data, the code and the password as
 * ***.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "backend.h"
#include "http.h"
#include "mailmsg.h"

static const struct cfg_key email_keys[EM_COUNT] = {
	[EM_SMTP_URL] = { .name = "smtp_url", .type = CFG_STR,
	    .flags = CFG_REQUIRED | CFG_URL,
	    .help = "smtp://host:587/ehlo-name or smtps://host:465/ehlo-name" },
	[EM_SMTP_USER] = { .name = "smtp_user", .type = CFG_STR,
	    .help = "user name for SMTP AUTH (unset: no AUTH)" },
	[EM_SMTP_PASSWORD] = { .name = "smtp_password", .type = CFG_STR,
	    .flags = CFG_SECRET, .help = "password for SMTP AUTH" },
	[EM_FROM] = { .name = "from", .type = CFG_STR, .flags = CFG_REQUIRED,
	    .help = "sender: name@domain or Name <name@domain>" },
	[EM_SUBJECT] = { .name = "subject", .type = CFG_STR,
	    .def = N_("Your verification code"),
	    .help = "subject line; takes {code} {user} {issuer} {validity} "
	    "{minutes}" },
	[EM_TEMPLATE_TEXT] = { .name = "template_text", .type = CFG_STR,
	    .flags = CFG_ABSPATH,
	    .help = "plain-text template file (default: built in)" },
	[EM_TEMPLATE_HTML] = { .name = "template_html", .type = CFG_STR,
	    .flags = CFG_ABSPATH,
	    .help = "HTML template file (default: built in); values are "
	    "escaped" },
	[EM_STARTTLS] = { .name = "starttls", .type = CFG_ENUM,
	    .def = "required", .choices = "required|optional|none",
	    .help = "STARTTLS on smtp:// (none refuses smtp_user: no clear "
	    "passwords)" },
	[EM_CA_FILE] = { .name = "ca_file", .type = CFG_STR,
	    .flags = CFG_ABSPATH,
	    .help = "CA certificates to verify the server with (default: the "
	    "system's)" },
};

/* One text part, read by libcurl from our buffer so no copy outlives us. */
struct email_part {
	const char	*data;
	size_t		 len;
	size_t		 off;
};

/* One send: the message, where it goes, and the parts libcurl reads. */
struct email_job {
	struct mailmsg		 mm;
	struct email_part	 ptext, phtml;
};

/* What came over the wire, seen through libcurl's debug callback. */
struct email_wire {
	struct rd_buf		 dialogue;
	int			 record;
	char			 last[256];	/* last reply line */
	char			 refusal[256];	/* last 4xx/5xx reply line */
	volatile int		*cancel;
};

static void
email_check(const struct cfg_section *own, struct cfg_problems *p)
{
	const char	*url = cfg_str(own, EM_SMTP_URL);
	const char	*from = cfg_str(own, EM_FROM);
	const char	*user = cfg_str(own, EM_SMTP_USER);
	const char	*pass = cfg_str(own, EM_SMTP_PASSWORD);
	char		 name[256], addr[256], host[256], *full = NULL;
	bool		 userinfo = false;

	if (url != NULL && !str_has_prefix(url, "smtp://") &&
	    !str_has_prefix(url, "smtps://"))
		cfg_key_problem(p, own, EM_SMTP_URL, _("'%s' is not an smtp:// "
		    "or smtps:// URL"), url);
	else if (url != NULL && (full = mailmsg_url(url, "example.test", host,
	    sizeof host, &userinfo)) == NULL)
		cfg_key_problem(p, own, EM_SMTP_URL,
		    _("'%s' is not a valid URL"),
		    url);
	else if (userinfo)
		cfg_key_problem(p, own, EM_SMTP_URL, _("put the credentials in "
		    "smtp_user and smtp_password, not in the URL"));
	free(full);
	if (from != NULL && !mailmsg_parse_from(from, name, sizeof name, addr,
	    sizeof addr))
		cfg_key_problem(p, own, EM_FROM, _("'%s' is not name@domain or "
		    "Name <name@domain>"), from);
	if ((user == NULL) != (pass == NULL))
		cfg_problem(p, _("%s:%d: [%s] %s is set but %s is not"),
		    own->path, cfg_line(own, user ? EM_SMTP_USER :
		    EM_SMTP_PASSWORD), own->where, user ? "smtp_user" :
		    "smtp_password", user ? "smtp_password" : "smtp_user");
	if (user != NULL && url != NULL && str_has_prefix(url, "smtp://") &&
	    strcmp(cfg_str(own, EM_STARTTLS), "required") != 0)
		cfg_key_problem(p, own, EM_STARTTLS, _("%s would send the "
		    "password in clear text to a server without STARTTLS (use "
		    "required, or smtps://)"), cfg_str(own, EM_STARTTLS));
}

static size_t
email_part_read(char *buf, size_t size, size_t nitems, void *arg)
{
	struct email_part	*p = arg;
	size_t			 n = size * nitems;

	if (n > p->len - p->off)
		n = p->len - p->off;
	memcpy(buf, p->data + p->off, n);
	p->off += n;
	return n;
}

static int
email_part_seek(void *arg, curl_off_t offset, int origin)
{
	struct email_part	*p = arg;

	if (origin != SEEK_SET || offset < 0 || (size_t)offset > p->len)
		return CURL_SEEKFUNC_CANTSEEK;
	p->off = (size_t)offset;
	return CURL_SEEKFUNC_OK;
}

/* Plain first, HTML last: readers prefer the last alternative. */
static curl_mime *
email_mime(CURL *h, struct email_job *job)
{
	struct email_part	*parts[2] = { &job->ptext, &job->phtml };
	const struct rd_buf	*bodies[2] = { &job->mm.text, &job->mm.html };
	static const char	*types[2] = { "text/plain; charset=UTF-8",
				    "text/html; charset=UTF-8" };
	curl_mime		*mime;
	curl_mimepart		*part;
	CURLcode		 c = CURLE_OK;
	int			 i;

	if ((mime = curl_mime_init(h)) == NULL)
		return NULL;
	for (i = 0; i < 2; i++) {
		parts[i]->data = bodies[i]->data;
		parts[i]->len = bodies[i]->len;
		parts[i]->off = 0;
		if ((part = curl_mime_addpart(mime)) == NULL) {
			curl_mime_free(mime);
			return NULL;
		}
		c |= curl_mime_data_cb(part, (curl_off_t)parts[i]->len,
		    email_part_read, email_part_seek, NULL, parts[i]);
		c |= curl_mime_type(part, types[i]);
		c |= curl_mime_encoder(part, "quoted-printable");
	}
	if (c != CURLE_OK) {
		curl_mime_free(mime);
		return NULL;
	}
	return mime;
}

static bool
email_verb(const char *p, size_t n, const char *verb)
{
	size_t	v = strlen(verb);

	return n >= v && strncasecmp(p, verb, v) == 0 &&
	    (n == v || p[v] == ' ' || p[v] == ':');
}

static void
email_wire_line(struct email_wire *w, curl_infotype type, const char *p,
    size_t n)
{
	static const char *const verbs[] = { "EHLO", "HELO", "STARTTLS",
	    "MAIL", "RCPT", "DATA", "QUIT", "RSET", "NOOP", NULL };
	size_t			 i, mech;

	if (n == 0)
		return;
	if (type == CURLINFO_HEADER_IN) {
		snprintf(w->last, sizeof w->last, "%.*s", (int)n, p);
		if (p[0] == '4' || p[0] == '5')
			snprintf(w->refusal, sizeof w->refusal, "%s", w->last);
	}
	if (!w->record)
		return;
	if (type == CURLINFO_TEXT || type == CURLINFO_HEADER_IN) {
		rd_buf_printf(&w->dialogue, "%s %.*s\n",
		    type == CURLINFO_TEXT ? "*" : "<", (int)n, p);
		return;
	}
	for (i = 0; verbs[i] != NULL; i++) {
		if (email_verb(p, n, verbs[i])) {
			rd_buf_printf(&w->dialogue, "> %.*s\n", (int)n, p);
			return;
		}
	}
	if (email_verb(p, n, "AUTH")) {
		/* The mechanism helps; an initial response is a credential. */
		for (mech = n < 5 ? n : 5; mech < n && p[mech] != ' '; mech++)
			;
		rd_buf_printf(&w->dialogue, "> %.*s%s\n", (int)mech, p,
		    mech < n ? " ***" : "");
		return;
	}
	/* SASL continuation lines are the credentials themselves. */
	rd_buf_addstr(&w->dialogue, "> ***\n");
}

static int
email_debug(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	const char	*p = data, *end = data + size, *nl;
	size_t		 n;

	(void)h;
	/* DATA_OUT is the message (code inside); SSL_DATA is ciphertext. */
	if (type != CURLINFO_TEXT && type != CURLINFO_HEADER_IN &&
	    type != CURLINFO_HEADER_OUT)
		return 0;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl ? nl : end) - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		email_wire_line(arg, type, p, n);
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static int
email_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct email_wire	*w = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return (w->cancel != NULL && *w->cancel) ? 1 : 0;
}

static bool
email_setup(CURL *h, const struct be_call *call, struct email_job *job,
    struct email_wire *w, curl_mime *mime, struct curl_slist *rcpt,
    char *errbuf, long timeout)
{
	const char		*user = cfg_str(call->own, EM_SMTP_USER);
	const char		*ca = cfg_str(call->own, EM_CA_FILE);
	const char		*tls = cfg_str(call->own, EM_STARTTLS);
	long			 use_ssl = (long)CURLUSESSL_ALL;
	char			 from[300];
	CURLcode		 c = CURLE_OK;

	if (str_has_prefix(job->mm.url, "smtp://") && strcmp(tls, "none") == 0)
		use_ssl = (long)CURLUSESSL_NONE;
	else if (str_has_prefix(job->mm.url, "smtp://") &&
	    strcmp(tls, "optional") == 0)
		use_ssl = (long)CURLUSESSL_TRY;
	snprintf(from, sizeof from, "<%s>", job->mm.from_addr);
	c |= curl_easy_setopt(h, CURLOPT_URL, job->mm.url);
	c |= curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	c |= curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	c |= curl_easy_setopt(h, CURLOPT_USE_SSL, use_ssl);
	c |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	c |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca != NULL && *ca != '\0')
		c |= curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	c |= curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout);
	c |= curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
	c |= curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	c |= curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	c |= curl_easy_setopt(h, CURLOPT_HTTPHEADER, job->mm.hdrs);
	c |= curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
	c |= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	/* Always verbose: the refusal line comes through the debug hook. */
	c |= curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, email_debug);
	c |= curl_easy_setopt(h, CURLOPT_DEBUGDATA, w);
	c |= curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	if (user != NULL) {
		c |= curl_easy_setopt(h, CURLOPT_USERNAME, user);
		c |= curl_easy_setopt(h, CURLOPT_PASSWORD,
		    cfg_str(call->own, EM_SMTP_PASSWORD));
	}
	if (call->cancel != NULL) {
		c |= curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION,
		    email_progress);
		c |= curl_easy_setopt(h, CURLOPT_XFERINFODATA, w);
		c |= curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	}
	return c == CURLE_OK;
}

/* A copy of in with every secret as ***. */
static void
email_clean(const char *in, const char *const *secrets, char *out,
    size_t outsz)
{
	struct rd_buf	b;

	rd_buf_init(&b, 0);
	rd_buf_addstr(&b, in);
	http_redact(&b, secrets);
	snprintf(out, outsz, "%s", b.data);
	rd_buf_free(&b);
}

static enum rd_code RD_CHECK
email_fail(CURLcode cc, long status, const struct email_wire *w,
    const char *errbuf, const char *host, long timeout,
    const char *const *secrets, struct be_reply *reply, struct rd_err *err)
{
	char		 detail[CURL_ERROR_SIZE], said[180], step[64];
	const char	*colon;

	email_clean(errbuf, secrets, detail, sizeof detail);
	/*
	 * The server's greeting or its EHLO reply came before TLS failed:
	 * no status of the server's, but the failure, is the outcome.
	 */
	if (http_tls_failure((int)cc, detail, reply->tls, sizeof reply->tls)) {
		reply->status = 0;
		return rd_err_set(err, RD_NETWORK, _("email: %s: %s%s"), host,
		    reply->tls, cc == CURLE_USE_SSL_FAILED ?
		    _(" (starttls = required)") : "");
	}
	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
		return rd_err_set(err, RD_TIMEOUT, _("email: %s did not answer "
		    "within %ld s"), host, timeout);
	case CURLE_ABORTED_BY_CALLBACK:
		return rd_err_set(err, RD_NETWORK, _("email: %s: cancelled"),
		    host);
	case CURLE_LOGIN_DENIED:
		snprintf(step, sizeof step, "AUTH failed");
		break;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_WEIRD_SERVER_REPLY:	/* refused after the message */
		if (status >= 400) {
			/* libcurl names the step: "RCPT failed: 550". */
			colon = strchr(detail, ':');
			snprintf(step, sizeof step, "%.*s", colon ?
			    (int)(colon - detail) : 0, detail);
			if (step[0] == '\0')
				snprintf(step, sizeof step, "%s",
				    _("message refused"));
			break;
		}
		/* FALLTHROUGH */
	default:
		return rd_err_set(err, RD_NETWORK, _("email: %s: %s%s%s%s"),
		    host,
		    curl_easy_strerror(cc), detail[0] ? " (" : "", detail,
		    detail[0] ? ")" : "");
	}
	email_clean(w->refusal, secrets, said, sizeof said);
	snprintf(reply->code, sizeof reply->code, "%ld", status);
	snprintf(reply->message, sizeof reply->message, "%s: %s", step,
	    said[0] ? said : reply->code);
	return rd_err_set(err, RD_BACKEND, _("email: %s: %s"), host,
	    reply->message);
}

static void
email_transcript(const struct be_call *call, const struct be_message *msg,
    const struct email_job *job, const struct email_wire *w,
    const char *const *secrets, const char *outcome)
{
	struct rd_buf	 t;
	const char	*p;

	rd_buf_init(&t, 0);
	rd_buf_printf(&t, "* %s (starttls %s)\n", job->mm.url,
	    cfg_str(call->own, EM_STARTTLS));
	rd_buf_printf(&t, "* envelope: MAIL FROM:<%s> RCPT TO:<%s>\n",
	    job->mm.from_addr, msg->to);
	rd_buf_printf(&t, "* headers:\n%s", job->mm.shown.data);
	rd_buf_addstr(&t, _("* text part (text/plain; charset=UTF-8, "
	    "quoted-printable):\n"));
	for (p = job->mm.text.data; *p != '\0'; p++)
		if (*p != '\r')
			rd_buf_add(&t, p, 1);
	rd_buf_printf(&t, _("* HTML part (text/html; charset=UTF-8, "
	    "quoted-printable): %zu bytes, not shown\n"), job->mm.html.len);
	rd_buf_addstr(&t, _("* SMTP dialogue (AUTH data and the message left "
	    "out):\n"));
	rd_buf_addstr(&t, w->dialogue.data);
	rd_buf_printf(&t, "* %s\n", outcome);
	http_redact(&t, secrets);
	rd_buf_addstr(call->transcript, t.data);
	rd_buf_free(&t);
}

static enum rd_code RD_CHECK
email_send(const struct be_call *call, const struct be_message *msg,
    struct be_reply *reply, struct rd_err *err)
{
	const char		*secrets[3];
	struct email_job	 job;
	struct email_wire	 w;
	struct curl_slist	*rcpt = NULL;
	curl_mime		*mime = NULL;
	CURL			*h = NULL;
	struct timespec		 t0, t1;
	char			 errbuf[CURL_ERROR_SIZE] = "", to[300];
	char			 outcome[600];
	long			 timeout = call->timeout, status = 0;
	CURLcode		 cc;
	enum rd_code		 rc;

	reply->status = 0;
	reply->seconds = 0;
	reply->tls[0] = '\0';
	if (timeout <= 0)
		timeout = 15;
	memset(&job, 0, sizeof job);
	memset(&w, 0, sizeof w);
	rd_buf_init(&w.dialogue, 0);
	w.record = call->transcript != NULL;
	w.cancel = call->cancel;
	secrets[0] = msg->code;
	secrets[1] = cfg_str(call->own, EM_SMTP_PASSWORD);
	secrets[2] = NULL;

	if ((rc = mailmsg_compose(call, msg, &job.mm, err)) != RD_OK)
		goto out;
	/* AUTH only after TLS: a password never goes out in clear text. */
	if (cfg_str(call->own, EM_SMTP_USER) != NULL &&
	    str_has_prefix(job.mm.url, "smtp://") &&
	    strcmp(cfg_str(call->own, EM_STARTTLS), "required") != 0) {
		rc = rd_err_set(err, RD_CONFIG, _("[method.%s] starttls: %s "
		    "would send smtp_password in clear text; set starttls = "
		    "required or use smtps://"), call->method,
		    cfg_str(call->own, EM_STARTTLS));
		goto out;
	}
	if (http_global_init() != 0 || (h = curl_easy_init()) == NULL) {
		rc = rd_err_set(err, RD_NETWORK, _("libcurl could not start"));
		goto out;
	}
	snprintf(to, sizeof to, "<%s>", msg->to);
	rcpt = curl_slist_append(NULL, to);
	mime = email_mime(h, &job);
	if (rcpt == NULL || mime == NULL ||
	    !email_setup(h, call, &job, &w, mime, rcpt, errbuf, timeout)) {
		rc = rd_err_set(err, RD_NETWORK, _("libcurl refused an option "
		    "(too old a libcurl?)"));
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cc = curl_easy_perform(h);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	reply->seconds = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	reply->status = status;
	if (cc == CURLE_OK) {
		rc = RD_OK;
		email_clean(w.last, secrets, reply->message,
		    sizeof reply->message);
		snprintf(outcome, sizeof outcome, _("delivered: %s (%.2f s)"),
		    reply->message, reply->seconds);
	} else {
		rc = email_fail(cc, status, &w, errbuf, job.mm.host, timeout,
		    secrets, reply, err);
		snprintf(outcome, sizeof outcome, _("failed: %s"), err != NULL ?
		    err->msg : curl_easy_strerror(cc));
	}
	if (call->transcript != NULL)
		email_transcript(call, msg, &job, &w, secrets, outcome);
out:
	/* The handle holds the mime and the lists until it is cleaned up. */
	curl_easy_cleanup(h);
	curl_mime_free(mime);
	curl_slist_free_all(rcpt);
	mailmsg_free(&job.mm);
	rd_buf_free(&w.dialogue);
	return rc;
}

static const struct be_code_ops email_code = {
	.send = email_send,
};

const struct backend be_email = {
	.cfg = {
		.name = "email",
		.keys = email_keys,
		.nkeys = EM_COUNT,
		.source_field = "email",
		.check = email_check,
	},
	.kind = BE_CODE,
	.code = &email_code,
};
