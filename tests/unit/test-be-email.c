/*
 * test-be-email.c: the e-mail handler against a real SMTP server on
 * loopback (aiosmtpd, tests/servers/smtp_server.py).  Each stored message
 * is read back by tests/servers/mail_inspect.py with Python's email
 * package, independent of libcurl, which decodes quoted-printable and
 * RFC 2047.  TLS tests use a self-signed certificate made here with
 * openssl.
 */
#include <arpa/inet.h>
#include <locale.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "harness.h"
#include "../../backends/backend.h"
#include "../../src/kind.h"
#include "../../src/config.h"
#include "../../src/i18n.h"
#include "../../src/util.h"

#define CODE	"482913"
#define TO	"alice@example.test"
#define PASS	"s3cret-pass"

static char		*dir, *cert, *key;
static int		 nmail;		/* maildirs made so far */

/* One test's server, stopped by the teardown even when the test fails. */
static struct {
	pid_t		 srv;
	char		 md[256];	/* its maildir */
	char		 url[256];	/* smtp(s)://127.0.0.1:PORT/EHLO-NAME */
	char		*view;		/* last look() */
	char		*env;		/* last envelope() */
} fx;

/* What the last send_with() gave. */
static struct be_reply	 reply;
static struct rd_err	 err;

struct send_opts {
	const char	*to;
	const char	*user;
	const char	*issuer;
	bool		 test;
	struct rd_buf	*transcript;
	volatile int	*cancel;
	int		 timeout;	/* 0: 5 s */
};

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* smtp_server.py, with our certificate when tls, and a and b (or NULL). */
static void
serve(const char *scheme, bool tls, const char *a, const char *b)
{
	int	port;

	snprintf(fx.md, sizeof fx.md, "%s/mail%d", dir, ++nmail);
	assert_int_equal(mkdir(fx.md, 0700), 0);
	if (tls)
		fx.srv = harness_server("smtp_server.py", &port, "--lifetime",
		    "60", "--maildir", fx.md, "--tls-cert", cert, "--tls-key",
		    key, a, b, NULL);
	else
		fx.srv = harness_server("smtp_server.py", &port, "--lifetime",
		    "60", "--maildir", fx.md, a, b, NULL);
	assert_true(fx.srv > 0);
	snprintf(fx.url, sizeof fx.url, "%s://127.0.0.1:%d/client.example.test",
	    scheme, port);
}

static int
stop(void **state)
{
	(void)state;
	harness_server_stop(fx.srv);
	free(fx.view);
	free(fx.env);
	memset(&fx, 0, sizeof fx);
	return 0;
}

/* Message n as tests/servers/mail_inspect.py decodes it. */
static const char *
look(int n)
{
	struct rd_buf	 b;
	char		 cmd[512], chunk[4096];
	size_t		 got;
	FILE		*fp;

	snprintf(cmd, sizeof cmd, "/usr/bin/python3 "
	    "tests/servers/mail_inspect.py %s/%d.eml", fx.md, n);
	assert_non_null(fp = popen(cmd, "r"));
	rd_buf_init(&b, 0);
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
		rd_buf_add(&b, chunk, got);
	assert_int_equal(pclose(fp), 0);
	free(fx.view);
	return fx.view = rd_buf_take(&b);
}

/* The envelope and session (JSON) the server kept for message n. */
static const char *
envelope(int n)
{
	char	path[300];

	snprintf(path, sizeof path, "%s/%d.env", fx.md, n);
	free(fx.env);
	assert_non_null(fx.env = harness_slurp(path));
	return fx.env;
}

static struct config *
load(const char *url, const char *extra, int timeout)
{
	struct config	*cfg = NULL;
	char		*text;

	/* extra may bring its own from; a key set twice is a problem. */
	text = xasprintf("[method.mail]\nhandler = email\nsmtp_url = %s\n"
	    "%stimeout = %d\n%s", url, extra && strstr(extra, "from = ") ? "" :
	    "from = Help Desk <helpdesk@example.test>\n", timeout > 0 ?
	    timeout : 5, extra ? extra : "");
	if (config_load_string(text, "test.conf", &cfg, &err) != RD_OK)
		fail_msg("config: %s", err.msg);
	free(text);
	return cfg;
}

/* Send CODE to TO (or o->to) through a method of smtp_url url + extra. */
static enum rd_code
send_to(const char *url, const char *extra, const struct send_opts *o)
{
	struct config		*cfg = load(url, extra, o ? o->timeout : 0);
	const struct method_cfg	*m = config_method(cfg, "mail");
	struct be_call		 call = { 0 };
	struct be_message	 msg = { 0 };
	enum rd_code		 rc;

	assert_non_null(m);
	harness_be_call(m, &call);
	call.issuer = o && o->issuer ? o->issuer : "Example Corp";
	call.user = o && o->user ? o->user : "alice";
	call.transcript = o ? o->transcript : NULL;
	call.cancel = o ? o->cancel : NULL;
	msg.to = o && o->to ? o->to : TO;
	msg.code = CODE;
	msg.minutes = 10;
	msg.test = o ? o->test : false;
	memset(&reply, 0, sizeof reply);
	rd_err_clear(&err);
	rc = kind_backend(m)->code->send(&call, &msg, &reply, &err);
	config_free(cfg);
	return rc;
}

static enum rd_code
send_with(const char *extra, const struct send_opts *o)
{
	return send_to(fx.url, extra, o);
}

static void
test_plain_delivery(void **state)
{
	const char	*v, *env;

	(void)state;
	serve("smtp", false, NULL, NULL);
	assert_int_equal(send_with("starttls = none\n", NULL), RD_OK);
	assert_int_equal(reply.status, 250);
	assert_non_null(strstr(reply.message, "250"));
	env = envelope(1);
	assert_non_null(strstr(env,
	    "\"mail_from\": \"helpdesk@example.test\""));
	assert_non_null(strstr(env, "\"rcpt_tos\": [\"" TO "\"]"));
	assert_non_null(strstr(env, "\"tls\": false"));
	v = look(1);
	assert_non_null(strstr(v, "type=multipart/alternative\n"));
	assert_non_null(strstr(v, "parts=text/plain,text/html\n"));
	assert_non_null(strstr(v, "cte=quoted-printable,quoted-printable\n"));
	assert_non_null(strstr(v,
	    "from=\"Help Desk\" <helpdesk@example.test>\n"));
	assert_non_null(strstr(v, "to=" TO "\n"));
	assert_non_null(strstr(v, "subject=Your verification code\n"));
	assert_non_null(strstr(v, "date_ok=1\n"));
	assert_non_null(strstr(v, "message-id=<"));
	assert_non_null(strstr(v, "@example.test>\n"));
	assert_non_null(strstr(v, "mime-version=1.0\n"));
	assert_non_null(strstr(v, "crlf=1\n"));
	assert_non_null(strstr(v, "ascii=1\n"));
	assert_non_null(strstr(v, "--text/plain--\nHello alice,\n"));
	assert_non_null(strstr(v, "verification code is:\n\n    " CODE "\n"));
	assert_non_null(strstr(v, "valid for 10 minutes"));
	assert_non_null(strstr(v, ">" CODE "</p>"));
	assert_null(strstr(v, "test of the e-mail channel"));
}

static void
test_html_escaping_and_test_mode(void **state)
{
	struct send_opts	 o = { 0 };
	const char		*v, *html;

	(void)state;
	serve("smtp", false, NULL, NULL);
	o.user = "<b>o'neil & \"co\"</b>";
	o.issuer = "A&B";
	o.test = true;
	assert_int_equal(send_with("starttls = none\n", &o), RD_OK);
	v = look(1);
	assert_non_null(strstr(v, "subject=[TEST] Your verification code\n"));
	/* Text as typed; HTML with the values escaped, its markup kept. */
	assert_non_null(strstr(v, "--text/plain--\nThis is a test of the "
	    "e-mail channel of A&B"));
	assert_non_null(strstr(v, "Hello <b>o'neil & \"co\"</b>,"));
	assert_non_null(html = strstr(v, "--text/html--"));
	assert_non_null(strstr(html, "<p>Hello &lt;b&gt;o&#39;neil &amp; "
	    "&quot;co&quot;&lt;/b&gt;,</p>"));
	assert_non_null(strstr(html, "<body style=\"font-family: sans-serif;\">"
	    "\n<p><strong>This is a test of the e-mail channel of A&amp;B"));
	assert_null(strstr(html, "<b>o'neil"));
	assert_non_null(strstr(html, "<title>A&amp;B verification code"));
}

static void
test_templates(void **state)
{
	char		 extra[1400], cwd[512], path[300];
	char		*text;
	FILE		*fp;

	(void)state;
	serve("smtp", false, NULL, NULL);
	/* The built-in text and share/templates are the same. */
	assert_int_equal(send_with("starttls = none\n", NULL), RD_OK);
	assert_non_null(getcwd(cwd, sizeof cwd));
	snprintf(extra, sizeof extra, "starttls = none\n"
	    "template_text = %s/share/templates/code.txt\n"
	    "template_html = %s/share/templates/code.html\n", cwd, cwd);
	assert_int_equal(send_with(extra, NULL), RD_OK);
	text = xstrdup(look(1));
	assert_string_equal(strstr(text, "--text/plain--"),
	    strstr(look(2), "--text/plain--"));
	free(text);

	/* An operator's own file, not ASCII, with every placeholder. */
	snprintf(path, sizeof path, "%s/own.txt", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("Zażółć {code} dla {user} od {issuer}, {minutes} min. "
	    "{unknown}\n", fp);
	fclose(fp);
	snprintf(extra, sizeof extra, "starttls = none\ntemplate_text = %s\n",
	    path);
	assert_int_equal(send_with(extra, NULL), RD_OK);
	assert_non_null(strstr(look(3), "--text/plain--\nZażółć " CODE " dla "
	    "alice od Example Corp, 10 min. {unknown}\n--text/html--"));
	assert_non_null(strstr(fx.view, "ascii=1\n"));

	/* A configured file that is not there names itself. */
	snprintf(path, sizeof path, "%s/missing.html", dir);
	snprintf(extra, sizeof extra, "starttls = none\ntemplate_html = %s\n",
	    path);
	assert_int_equal(send_with(extra, NULL), RD_CONFIG);
	assert_non_null(strstr(err.msg, "template_html"));
	assert_non_null(strstr(err.msg, path));
}

/*
 * In Polish the built-in subject and bodies are Polish (share/templates/pl
 * holds the same text), the validity with its plural form; an operator's
 * own subject goes out as written, whatever the language.
 */
static void
test_polish_defaults(void **state)
{
	char		 extra[1400], cwd[512];
	char		*text, *html;
	const char	*v;

	(void)state;
	assert_non_null(setlocale(LC_ALL, "pl_PL.UTF-8"));
	i18n_init(LOCALEDIR, false);
	serve("smtp", false, NULL, NULL);
	assert_int_equal(send_with("starttls = none\n", NULL), RD_OK);
	v = look(1);
	assert_non_null(strstr(v, "subject=Twój kod weryfikacyjny\n"));
	assert_non_null(strstr(v, "--text/plain--\nDzień dobry, alice,\n"));
	assert_non_null(strstr(v, "Twój kod weryfikacyjny Example Corp to:\n\n"
	    "    " CODE "\n"));
	assert_non_null(strstr(v, "Czas ważności kodu: 10 minut.  Wpisz"));
	assert_null(strstr(v, "valid for"));
	assert_non_null(html = strstr(v, "--text/html--"));
	assert_non_null(strstr(html, "<title>Kod weryfikacyjny Example Corp"));
	text = xstrdup(v);

	/* share/templates/pl is the built-in Polish text. */
	assert_non_null(getcwd(cwd, sizeof cwd));
	snprintf(extra, sizeof extra, "starttls = none\n"
	    "template_text = %s/share/templates/pl/code.txt\n"
	    "template_html = %s/share/templates/pl/code.html\n", cwd, cwd);
	assert_int_equal(send_with(extra, NULL), RD_OK);
	assert_string_equal(strstr(text, "--text/plain--"),
	    strstr(look(2), "--text/plain--"));
	free(text);

	/* The operator's words stay theirs. */
	assert_int_equal(send_with("starttls = none\nsubject = Your "
	    "verification code\n", NULL), RD_OK);
	assert_non_null(strstr(look(3), "subject=Your verification code\n"));
}

/* The server stopped and English again, also after a failed check. */
static int
stop_english(void **state)
{
	setlocale(LC_ALL, "C");
	i18n_init(LOCALEDIR, false);
	return stop(state);
}

static void
test_utf8_subject_and_from(void **state)
{
	const char	*v;

	(void)state;
	serve("smtp", false, NULL, NULL);
	assert_int_equal(send_with("starttls = none\nsubject = Zażółć gęślą "
	    "jaźń — kod dla {user} od {issuer}, ważny {minutes} minut; "
	    "ĄĆĘŁŃÓŚŹŻ €€€\nfrom = Dział Pomocy Technicznej — Zespół "
	    "Bezpieczeństwa <helpdesk@example.test>\n", NULL), RD_OK);
	v = look(1);
	assert_non_null(strstr(v, "subject=Zażółć gęślą jaźń — kod dla alice "
	    "od Example Corp, ważny 10 minut; ĄĆĘŁŃÓŚŹŻ €€€\n"));
	assert_non_null(strstr(v, "from=Dział Pomocy Technicznej — Zespół "
	    "Bezpieczeństwa <helpdesk@example.test>\n"));
	/* Several words, each short and whole UTF-8 (the script checks). */
	assert_null(strstr(v, "words=0\n"));
	assert_null(strstr(v, "words=1\n"));
	assert_non_null(strstr(v, "words_short=1\n"));
	assert_non_null(strstr(v, "lines_short=1\n"));
	assert_non_null(strstr(v, "ascii=1\n"));
}

static void
test_starttls(void **state)
{
	char	extra[512];

	(void)state;
	serve("smtp", true, NULL, NULL);
	snprintf(extra, sizeof extra, "ca_file = %s\n", cert);
	assert_int_equal(send_with(extra, NULL), RD_OK);
	assert_non_null(strstr(envelope(1), "\"tls\": true"));

	/* optional takes STARTTLS when it is offered. */
	snprintf(extra, sizeof extra, "ca_file = %s\nstarttls = optional\n",
	    cert);
	assert_int_equal(send_with(extra, NULL), RD_OK);
	assert_non_null(strstr(envelope(2), "\"tls\": true"));

	/*
	 * A certificate no CA we trust signed: a TLS failure, said so, and
	 * not the server's 220 to STARTTLS as if it were its verdict.
	 */
	assert_int_equal(send_with(NULL, NULL), RD_NETWORK);
	assert_non_null(strstr(err.msg, "127.0.0.1: TLS handshake failed: "
	    "SSL certificate problem: self-signed certificate"));
	assert_int_equal(reply.status, 0);
	assert_true(str_has_prefix(reply.tls, "TLS handshake failed: SSL "
	    "certificate problem"));
	assert_string_equal(reply.code, "");
	/* The CA file given cannot be read: TLS could not start. */
	assert_int_equal(send_with("ca_file = /nonexistent/ca.pem\n", NULL),
	    RD_NETWORK);
	assert_true(str_has_prefix(reply.tls, "TLS "));
	assert_int_equal(reply.status, 0);

	/* none: the server wants TLS first and says so at MAIL. */
	assert_int_equal(send_with("starttls = none\n", NULL), RD_BACKEND);
	assert_string_equal(reply.code, "530");
	assert_int_equal(reply.status, 530);
	assert_true(str_has_prefix(reply.message, "MAIL failed: 530"));
}

static void	auth_needs_tls(void);

static void
test_starttls_not_offered(void **state)
{
	(void)state;
	serve("smtp", false, NULL, NULL);
	assert_int_equal(send_with(NULL, NULL), RD_NETWORK);
	assert_non_null(strstr(err.msg, "TLS not offered: the server does not "
	    "offer STARTTLS (starttls = required)"));
	/* Its 250 to EHLO was no verdict on the message. */
	assert_int_equal(reply.status, 0);
	assert_string_equal(reply.tls, "TLS not offered: the server does not "
	    "offer STARTTLS");
	/* optional goes on in clear text. */
	assert_int_equal(send_with("starttls = optional\n", NULL), RD_OK);
	assert_non_null(strstr(envelope(1), "\"tls\": false"));
	auth_needs_tls();
}

/*
 * H10: with smtp_user, anything but starttls = required is refused before
 * a byte goes out, even if the config's problems were passed over.
 */
static void
auth_needs_tls(void)
{
	struct config		*cfg = NULL;
	struct be_call		 call = { 0 };
	struct be_message	 msg = { 0 };
	char			*text, path[300];

	text = xasprintf("[method.mail]\nhandler = email\nsmtp_url = %s\n"
	    "from = helpdesk@example.test\nsmtp_user = bob\n"
	    "smtp_password = " PASS "\nstarttls = optional\n", fx.url);
	assert_int_equal(config_load_string(text, "test.conf", &cfg, &err),
	    RD_CONFIG);
	assert_non_null(strstr(err.msg, "starttls"));
	free(text);
	harness_be_call(config_method(cfg, "mail"), &call);
	msg.to = TO;
	msg.code = CODE;
	assert_int_equal(kind_backend(config_method(cfg, "mail"))->code->send(
	    &call, &msg, &reply, &err), RD_CONFIG);
	assert_non_null(strstr(err.msg, "starttls"));
	assert_null(strstr(err.msg, PASS));
	snprintf(path, sizeof path, "%s/2.env", fx.md);
	assert_int_equal(access(path, F_OK), -1);
	config_free(cfg);
}

static void
test_smtps(void **state)
{
	char	extra[512], url[128];

	(void)state;
	serve("smtps", true, "--smtps", NULL);
	/* No EHLO name in the URL: the sender's domain goes there. */
	snprintf(url, sizeof url, "%.*s", (int)(strrchr(fx.url, '/') -
	    fx.url), fx.url);
	snprintf(extra, sizeof extra, "ca_file = %s\n", cert);
	assert_int_equal(send_to(url, extra, NULL), RD_OK);
	assert_int_equal(reply.status, 250);
	assert_string_equal(reply.tls, "");
	assert_non_null(strstr(envelope(1), "\"tls\": true"));
	/* Implicit TLS to a server we do not trust: no status at all. */
	assert_int_equal(send_to(url, NULL, NULL), RD_NETWORK);
	assert_int_equal(reply.status, 0);
	assert_true(str_has_prefix(reply.tls, "TLS handshake failed: "));
	assert_non_null(strstr(err.msg, "TLS handshake failed: "));
}

static void
test_auth_and_transcript(void **state)
{
	struct rd_buf		 t;
	struct send_opts	 o = { 0 };
	char			 extra[512], b64[128];

	(void)state;
	serve("smtp", true, "--auth", "bob:" PASS);
	snprintf(extra, sizeof extra, "ca_file = %s\nsmtp_user = bob\n"
	    "smtp_password = " PASS "\n", cert);
	rd_buf_init(&t, 0);
	o.transcript = &t;
	assert_int_equal(send_with(extra, &o), RD_OK);
	assert_non_null(strstr(envelope(1), "\"auth\": true"));
	assert_non_null(strstr(t.data, "RCPT TO:<" TO ">"));
	assert_non_null(strstr(t.data, "> EHLO client.example.test"));
	assert_non_null(strstr(t.data, "> STARTTLS"));
	assert_non_null(strstr(t.data, "> AUTH "));
	assert_non_null(strstr(t.data, "< 235"));
	assert_non_null(strstr(t.data, "Subject: Your verification code"));
	assert_non_null(strstr(t.data, "Message-ID: <"));
	assert_non_null(strstr(t.data, "    ***\n"));
	assert_non_null(strstr(t.data, "delivered: 250"));
	assert_null(strstr(t.data, CODE));
	assert_null(strstr(t.data, PASS));
	/* Nor the AUTH payloads: the password, or PLAIN's \0bob\0password. */
	sodium_bin2base64(b64, sizeof b64, (const unsigned char *)PASS,
	    strlen(PASS), sodium_base64_VARIANT_ORIGINAL);
	assert_null(strstr(t.data, b64));
	sodium_bin2base64(b64, sizeof b64,
	    (const unsigned char *)"\0bob\0" PASS, 5 + strlen(PASS),
	    sodium_base64_VARIANT_ORIGINAL);
	assert_null(strstr(t.data, b64));
	/* The message itself (QP, boundaries) stays out. */
	assert_null(strstr(t.data, "Content-Transfer-Encoding"));
	rd_buf_free(&t);

	snprintf(extra, sizeof extra, "ca_file = %s\nsmtp_user = bob\n"
	    "smtp_password = wrong-" PASS "\n", cert);
	rd_buf_init(&t, 0);
	assert_int_equal(send_with(extra, &o), RD_BACKEND);
	assert_string_equal(reply.code, "535");
	assert_true(str_has_prefix(reply.message, "AUTH failed: 535"));
	assert_null(strstr(err.msg, PASS));
	assert_null(strstr(reply.message, PASS));
	assert_null(strstr(t.data, PASS));
	assert_null(strstr(t.data, CODE));
	rd_buf_free(&t);
}

static void
test_refused_rcpt(void **state)
{
	(void)state;
	serve("smtp", false, "--mode", "reject_rcpt");
	assert_int_equal(send_with("starttls = none\n", NULL), RD_BACKEND);
	assert_string_equal(reply.code, "550");
	assert_int_equal(reply.status, 550);
	assert_true(str_has_prefix(reply.message, "RCPT failed: 550 5.1.1"));
	assert_non_null(strstr(err.msg, "RCPT failed"));
}

static void
test_refused_data(void **state)
{
	(void)state;
	serve("smtp", false, "--mode", "reject_data");
	assert_int_equal(send_with("starttls = none\n", NULL), RD_BACKEND);
	assert_string_equal(reply.code, "450");
	assert_true(str_has_prefix(reply.message, "DATA failed: 450 4.3.0"));
}

static void
test_refused_message(void **state)
{
	(void)state;
	/* A content filter refuses once it has seen the message. */
	serve("smtp", false, "--mode", "reject_message");
	assert_int_equal(send_with("starttls = none\n", NULL), RD_BACKEND);
	assert_string_equal(reply.code, "554");
	assert_true(str_has_prefix(reply.message,
	    "message refused: 554 5.7.1"));
}

static void
test_hang_and_cancel(void **state)
{
	struct send_opts	 o = { .timeout = 1 };
	volatile int		 cancel = 1;
	double			 t0;

	(void)state;
	serve("smtp", false, "--mode", "hang");
	t0 = now();
	assert_int_equal(send_with("starttls = none\n", &o), RD_TIMEOUT);
	assert_true(now() - t0 < 2.5);
	assert_non_null(strstr(err.msg, "did not answer within 1 s"));

	o.cancel = &cancel;
	o.timeout = 5;
	t0 = now();
	assert_int_equal(send_with("starttls = none\n", &o), RD_NETWORK);
	assert_true(now() - t0 < 2.5);
	assert_non_null(strstr(err.msg, "cancelled"));
}

static void
test_connection_refused(void **state)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	char			 url[128];
	int			 fd;

	(void)state;
	/* A port that was free a moment ago and has no listener. */
	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d/x", ntohs(sin.sin_port));
	assert_int_equal(send_to(url, "starttls = none\n", NULL), RD_NETWORK);
	assert_int_equal(reply.status, 0);
}

static void
test_bad_recipient(void **state)
{
	struct send_opts	 o = { 0 };

	(void)state;
	/* Refused before any connection: nothing listens on port 9. */
	o.to = TO "\r\nBcc: mallory@example.test";
	assert_int_equal(send_to("smtp://127.0.0.1:9/x", "starttls = none\n",
	    &o), RD_USAGE);
	o.to = "not an address";
	assert_int_equal(send_to("smtp://127.0.0.1:9/x", "starttls = none\n",
	    &o), RD_USAGE);
}

static bool
problem(const struct config *cfg, const char *a, const char *b)
{
	size_t	i;

	for (i = 0; i < cfg->problems.n; i++)
		if (strstr(cfg->problems.list[i], a) && strstr(cfg->problems.list[i], b))
			return true;
	return false;
}

static void
test_config_check(void **state)
{
	struct config	*cfg = NULL;

	(void)state;
	assert_int_equal(config_load_string("[method.m]\nhandler = email\n"
	    "smtp_url = https://mail.example.test\nfrom = no address\n"
	    "smtp_user = bob\ntemplate_text = code.txt\nstarttls = maybe\n",
	    "test.conf", &cfg, &err), RD_CONFIG);
	assert_true(problem(cfg, "smtp_url", "not an smtp:// or smtps://"));
	assert_true(problem(cfg, "from", "'no address'"));
	assert_true(problem(cfg, "smtp_user is set", "smtp_password is not"));
	assert_true(problem(cfg, "template_text", "absolute path"));
	assert_true(problem(cfg, "starttls", "maybe"));
	config_free(cfg);

	cfg = NULL;
	assert_int_equal(config_load_string("[method.m]\nhandler = email\n"
	    "smtp_url = smtp://bob:pw@mail.example.test\n"
	    "from = a@example.test\nsmtp_user = bob\nsmtp_password = x\n"
	    "starttls = none\n", "test.conf", &cfg, &err), RD_CONFIG);
	assert_true(problem(cfg, "smtp_url", "not in the URL"));
	assert_true(problem(cfg, "starttls", "clear text"));
	config_free(cfg);

	cfg = NULL;
	assert_int_equal(config_load_string("[method.m]\nhandler = email\n",
	    "test.conf", &cfg, &err), RD_CONFIG);
	assert_true(problem(cfg, "smtp_url", "missing"));
	assert_true(problem(cfg, "from", "missing"));
	config_free(cfg);
}

static int
setup(void **state)
{
	char	*cmd;
	int	 rc;

	(void)state;
	if ((dir = harness_tmpdir()) == NULL)
		return -1;
	cert = xasprintf("%s/cert.pem", dir);
	key = xasprintf("%s/key.pem", dir);
	cmd = xasprintf("openssl req -x509 -newkey ec -pkeyopt "
	    "ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 "
	    "-addext subjectAltName=IP:127.0.0.1 -keyout %s -out %s "
	    ">/dev/null 2>&1", key, cert);
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	free(cert);
	free(key);
	harness_rmdir(dir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_plain_delivery, stop),
		cmocka_unit_test_teardown(test_html_escaping_and_test_mode, stop),
		cmocka_unit_test_teardown(test_templates, stop),
		cmocka_unit_test_teardown(test_polish_defaults, stop_english),
		cmocka_unit_test_teardown(test_utf8_subject_and_from, stop),
		cmocka_unit_test_teardown(test_starttls, stop),
		cmocka_unit_test_teardown(test_starttls_not_offered, stop),
		cmocka_unit_test_teardown(test_smtps, stop),
		cmocka_unit_test_teardown(test_auth_and_transcript, stop),
		cmocka_unit_test_teardown(test_refused_rcpt, stop),
		cmocka_unit_test_teardown(test_refused_data, stop),
		cmocka_unit_test_teardown(test_refused_message, stop),
		cmocka_unit_test_teardown(test_hang_and_cancel, stop),
		cmocka_unit_test(test_connection_refused),
		cmocka_unit_test(test_bad_recipient),
		cmocka_unit_test(test_config_check),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
