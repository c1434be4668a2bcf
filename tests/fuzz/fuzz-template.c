/*
 * fuzz-template.c: message templates, which the operator writes and
 * which every code channel fills in with backend_expand ({code}, {user},
 * {issuer}, {minutes}), and the e-mail composed from them by
 * mailmsg_compose (templates read from files, HTML values escaped, CRLF
 * bodies, RFC 2047 headers), all without the network.
 *
 * Input: NUL-separated fields TEMPLATE, USER, ISSUER, TO; missing ones
 * keep plain values.  The template goes to backend_expand, and is written
 * as both template files (in a folder under /tmp, removed at exit) of an
 * email method from config_load_string, composed as a real and as a test
 * message.  Promises: a template without { comes out as it is; a header
 * never holds a line break (no header injection from a name); bodies are
 * CRLF throughout.
 */
#include <sodium.h>
#include <unistd.h>

#include <curl/curl.h>

#include "../../backends/mailmsg.h"
#include "../../src/config.h"
#include "../../src/kind.h"
#include "fuzz.h"

#define FUZZ_TEMPLATE_MAX	(64 * 1024)	/* mailmsg.c's cap */

static char		 fuzz_dir[] = "/tmp/rd-fuzz-template-XXXXXX";
static char		*fuzz_text_path, *fuzz_html_path;
static struct config	*fuzz_cfg;
static struct be_call	 fuzz_call;

static void
fuzz_cleanup(void)
{
	config_free(fuzz_cfg);
	unlink(fuzz_text_path);
	unlink(fuzz_html_path);
	rmdir(fuzz_dir);
	free(fuzz_text_path);
	free(fuzz_html_path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct rd_err	 err;
	char		*conf;

	(void)argc;
	(void)argv;
	fuzz_start();
	if (mkdtemp(fuzz_dir) == NULL)
		abort();
	fuzz_text_path = xasprintf("%s/code.txt", fuzz_dir);
	fuzz_html_path = xasprintf("%s/code.html", fuzz_dir);
	atexit(fuzz_cleanup);
	conf = xasprintf("[method.mail]\n"
	    "handler = email\n"
	    "smtp_url = smtp://127.0.0.1:1\n"
	    "from = a@example.com\n"
	    "starttls = none\n"
	    "subject = {issuer}: code {code} for {user}, {minutes} min\n"
	    "template_text = %s\n"
	    "template_html = %s\n", fuzz_text_path, fuzz_html_path);
	if (config_load_string(conf, "fuzz.conf", &fuzz_cfg, &err) != RD_OK) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		abort();
	}
	free(conf);
	kind_call(config_method(fuzz_cfg, "mail"), &fuzz_call);
	return 0;
}

static void
fuzz_write(const char *path, const char *text)
{
	FILE	*fp = fopen(path, "w");

	if (fp == NULL || fputs(text, fp) == EOF || fclose(fp) != 0)
		abort();
}

/* Every LF of a body has its CR. */
static bool
fuzz_crlf(const struct rd_buf *b)
{
	size_t	i;

	for (i = 0; i < b->len; i++)
		if (b->data[i] == '\n' && (i == 0 || b->data[i - 1] != '\r'))
			return false;
	return true;
}

static void
fuzz_compose(const struct be_call *call, const char *to, bool test,
    size_t tpllen)
{
	struct be_message	 msg = { .to = to, .code = "123456",
				    .minutes = 10, .test = test };
	struct mailmsg		 mm;
	struct curl_slist	*h;
	struct rd_err		 err;
	enum rd_code		 rc;

	rc = mailmsg_compose(call, &msg, &mm, &err);
	fuzz_require(rc == RD_OK || rc == RD_USAGE ||
	    (rc == RD_CONFIG && tpllen >= FUZZ_TEMPLATE_MAX),
	    "compose answers OK, or USAGE for a bad address");
	if (rc == RD_OK) {
		for (h = mm.hdrs; h != NULL; h = h->next)
			fuzz_require(strpbrk(h->data, "\r\n") == NULL,
			    "a header holds no line break");
		fuzz_require(fuzz_crlf(&mm.text) && fuzz_crlf(&mm.html),
		    "bodies are CRLF");
	}
	mailmsg_free(&mm);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char			*text = fuzz_text(data, size);
	const char		*field[4] = { text, "alice", "ACME Help Desk",
				    "alice@example.com" };
	const char		*p = text, *end = text + size;
	struct be_call		 call = fuzz_call;
	struct be_message	 msg = { .code = "123456", .minutes = 10 };
	struct rd_buf		 out;
	size_t			 i;

	for (i = 1; i < 4 && (p += strlen(p) + 1) <= end; i++)
		field[i] = p;
	call.user = field[1];
	call.issuer = field[2];

	rd_buf_init(&out, 0);
	backend_expand(field[0], &call, &msg, &out);
	fuzz_require(strchr(field[0], '{') != NULL ||
	    strcmp(out.data, field[0]) == 0,
	    "a template without { comes out as it is");
	rd_buf_free(&out);

	fuzz_write(fuzz_text_path, field[0]);
	fuzz_write(fuzz_html_path, field[0]);
	fuzz_compose(&call, field[3], false, strlen(field[0]));
	fuzz_compose(&call, field[3], true, strlen(field[0]));
	free(text);
	return 0;
}
