/*
 * http.c: the libcurl wrapper of http.h.  One easy handle per call, so a
 * call shares nothing with another thread; curl_global_init runs once.
 *
 * Certificates are always verified.  The method's timeout bounds both the
 * connection and the whole exchange, the body is capped, and every libcurl
 * failure becomes RD_TIMEOUT or RD_NETWORK with a message that names the
 * host and the cause but never a credential; a TLS failure says so first
 * (http_tls_failure), whatever libcurl's own words for it.  The transcript shows what
 * libcurl really sent (its own header block, captured through the debug
 * callback) with the Authorization value and every credential as ***.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cJSON.h>
#include <curl/curl.h>

#include "../src/util.h"
#include "http.h"

static pthread_once_t	http_once = PTHREAD_ONCE_INIT;
static CURLcode		http_init_rc = CURLE_OK;

struct http_sink {
	struct rd_buf		 body;
	int			 too_large;
	struct rd_buf		 sent;		/* header block libcurl sent */
	volatile int		*cancel;
};

static void
http_global_init_once(void)
{
	http_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int
http_global_init(void)
{
	pthread_once(&http_once, http_global_init_once);
	return http_init_rc == CURLE_OK ? 0 : -1;
}

static size_t
http_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct http_sink	*s = arg;
	size_t			 n = size * nmemb;

	/* Returning less than n makes libcurl stop with CURLE_WRITE_ERROR. */
	if (rd_buf_add(&s->body, ptr, n) != 0) {
		s->too_large = 1;
		return 0;
	}
	return n;
}

static int
http_debug(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	struct http_sink	*s = arg;

	(void)h;
	if (type == CURLINFO_HEADER_OUT)
		rd_buf_add(&s->sent, data, size);
	return 0;
}

static int
http_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct http_sink	*s = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return (s->cancel != NULL && *s->cancel) ? 1 : 0;
}

char *
http_escape(const char *s)
{
	char	*e, *copy;

	/* Since 7.82 curl_easy_escape ignores its handle. */
	if ((e = curl_easy_escape(NULL, s, 0)) == NULL)
		return xstrdup("");
	copy = xstrdup(e);
	memset(e, 0, strlen(e));
	curl_free(e);
	return copy;
}

void
http_form_add(struct rd_buf *form, const char *key, const char *value)
{
	char	*e = http_escape(value);

	if (form->len > 0)
		rd_buf_addstr(form, "&");
	rd_buf_printf(form, "%s=%s", key, e);
	secret_free(e);
}

static void
http_redact_one(struct rd_buf *buf, const char *secret)
{
	size_t	 n = strlen(secret);
	char	*p, *from = buf->data;

	if (n == 0)
		return;
	/* On after each ***: a secret that is itself *** must end too. */
	while ((p = strstr(from, secret)) != NULL) {
		memcpy(p, "***", 3);
		memmove(p + 3, p + n, buf->len - (size_t)(p - buf->data) - n + 1);
		buf->len -= n - 3;
		from = p + 3;
	}
}

/* Secrets are shorter than three characters only in a broken config. */
static void
http_redact_str(struct rd_buf *buf, const char *secret)
{
	char	*e;

	if (secret == NULL || strlen(secret) < 3)
		return;
	http_redact_one(buf, secret);
	/* A form body carries the percent-encoded form of the value. */
	e = http_escape(secret);
	if (strcmp(e, secret) != 0)
		http_redact_one(buf, e);
	secret_free(e);
}

void
http_redact(struct rd_buf *buf, const char *const *redact)
{
	size_t	i;

	if (redact == NULL || buf->data == NULL)
		return;
	for (i = 0; redact[i] != NULL; i++)
		http_redact_str(buf, redact[i]);
}

char *
http_url(const char *base, const char *path)
{
	size_t	n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return xasprintf("%.*s%s", (int)n, base, path);
}

bool
http_json_text(const struct cJSON *obj, const char *key, char *out,
    size_t outsz)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(obj, key);

	out[0] = '\0';
	if (cJSON_IsString(v) && v->valuestring != NULL)
		snprintf(out, outsz, "%s", v->valuestring);
	else if (cJSON_IsNumber(v))
		snprintf(out, outsz, "%.0f", v->valuedouble);
	else
		return false;
	return true;
}

void
http_response_free(struct http_response *resp)
{
	if (resp->body != NULL) {
		memset(resp->body, 0, resp->len);
		free(resp->body);
	}
	resp->body = NULL;
	resp->len = 0;
}

/* The URL's host, for messages (the URL itself may carry an account id). */
static void
http_host(const char *url, char *out, size_t outsz)
{
	CURLU	*u = curl_url();
	char	*host = NULL;

	snprintf(out, outsz, "the server");
	if (u == NULL)
		return;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		snprintf(out, outsz, "%s", host);
	curl_free(host);
	curl_url_cleanup(u);
}

/* Append text with prefix in front of every line. */
static void
http_lines(struct rd_buf *out, const char *prefix, const char *text)
{
	const char	*p = text, *nl;
	size_t		 n;

	do {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 0 || nl == NULL) {
			rd_buf_addstr(out, prefix);
			rd_buf_add(out, p, n);
			rd_buf_addstr(out, "\n");
		}
		p = nl ? nl + 1 : NULL;
	} while (p != NULL && *p != '\0');
}

static void
http_transcript(const struct be_call *call, const struct http_request *req,
    const struct http_sink *s, const char *body, long status, CURLcode cc,
    const char *tls)
{
	struct rd_buf	 t;
	const char	*p, *nl;
	size_t		 n;
	int		 first = 1;

	rd_buf_init(&t, 0);
	rd_buf_printf(&t, "> %s %s\n", req->method, req->url);
	/* The header block libcurl sent, its request line already shown. */
	for (p = s->sent.data; p != NULL && *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (!first && n > 0) {
			if (n >= 14 && strncasecmp(p, "Authorization:", 14) == 0)
				rd_buf_addstr(&t, "> Authorization: ***\n");
			else {
				rd_buf_addstr(&t, "> ");
				rd_buf_add(&t, p, n);
				rd_buf_addstr(&t, "\n");
			}
		}
		first = 0;
	}
	/* Nothing went out (no connection): show the headers we asked for. */
	if (first) {
		rd_buf_printf(&t, "> User-Agent: redoubt/0.1\n"
		    "> Accept: %s\n",
		    req->accept ? req->accept : "application/json");
		if (req->basic_user != NULL || req->bearer != NULL)
			rd_buf_addstr(&t, "> Authorization: ***\n");
		if (req->form != NULL)
			rd_buf_addstr(&t, "> Content-Type: "
			    "application/x-www-form-urlencoded\n");
	}
	if (req->form != NULL)
		http_lines(&t, "> ", req->form);
	if (cc == CURLE_OK) {
		rd_buf_printf(&t, "< HTTP %ld\n", status);
		if (body != NULL && *body != '\0')
			http_lines(&t, "< ", body);
	} else
		rd_buf_printf(&t, "< (no answer: %s)\n", *tls != '\0' ? tls :
		    curl_easy_strerror(cc));
	http_redact(&t, req->redact);
	http_redact_str(&t, req->basic_pass);
	http_redact_str(&t, req->bearer);
	/* A SigV4 access key id is a credential as well. */
	if (req->aws_sigv4 != NULL)
		http_redact_str(&t, req->basic_user);
	rd_buf_addstr(call->transcript, t.data);
	rd_buf_free(&t);
}

bool
http_tls_failure(int cc, const char *detail, char *out, size_t outsz)
{
	const char	*what, *hint = "";

	switch ((CURLcode)cc) {
	case CURLE_USE_SSL_FAILED:
		snprintf(out, outsz, "TLS not offered: the server does not "
		    "offer STARTTLS");
		return true;
	case CURLE_PEER_FAILED_VERIFICATION:
		hint = " (the server's certificate is not trusted: a private "
		    "CA needs ca_file)";
		/* FALLTHROUGH */
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_SHUTDOWN_FAILED:
		what = "TLS handshake failed";
		break;
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
		what = "TLS could not start";
		break;
	default:
		return false;
	}
	snprintf(out, outsz, "%s: %s%s", what, detail != NULL && *detail !=
	    '\0' ? detail : curl_easy_strerror((CURLcode)cc), hint);
	return true;
}

static enum rd_code RD_CHECK
http_fail(const struct http_request *req, const struct http_sink *s,
    CURLcode cc, const char *detail, long timeout, struct be_reply *reply,
    struct rd_err *err)
{
	char		 host[256];
	struct rd_buf	 d;
	enum rd_code	 rc;

	http_host(req->url, host, sizeof host);
	if (cc == CURLE_OPERATION_TIMEDOUT)
		return rd_err_set(err, RD_TIMEOUT, "%s did not answer within "
		    "%ld s", host, timeout);
	if (s->too_large)
		return rd_err_set(err, RD_NETWORK, "%s: response too large "
		    "(more than %d bytes)", host, HTTP_BODY_MAX);
	if (cc == CURLE_ABORTED_BY_CALLBACK)
		return rd_err_set(err, RD_NETWORK, "%s: cancelled", host);
	/* libcurl's detail names hosts and certificates; redact to be sure. */
	rd_buf_init(&d, 0);
	rd_buf_addstr(&d, detail);
	http_redact(&d, req->redact);
	http_redact_str(&d, req->basic_pass);
	http_redact_str(&d, req->bearer);
	/* Whatever came before the handshake is no answer of the provider. */
	if (http_tls_failure((int)cc, d.data, reply->tls, sizeof reply->tls)) {
		reply->status = 0;
		rc = rd_err_set(err, RD_NETWORK, "%s: %s", host, reply->tls);
	} else if (d.len > 0 && strcmp(d.data, curl_easy_strerror(cc)) != 0)
		rc = rd_err_set(err, RD_NETWORK, "%s: %s (%s)", host,
		    curl_easy_strerror(cc), d.data);
	else
		rc = rd_err_set(err, RD_NETWORK, "%s: %s", host,
		    curl_easy_strerror(cc));
	rd_buf_free(&d);
	return rc;
}

/* The list may hold a Bearer token: wipe it before libcurl frees it. */
static void
http_headers_free(struct curl_slist *hdrs)
{
	struct curl_slist	*l;

	for (l = hdrs; l != NULL; l = l->next)
		memset(l->data, 0, strlen(l->data));
	curl_slist_free_all(hdrs);
}

/* Everything but the transfer itself; false when libcurl refused an option. */
static int
http_setup(CURL *h, const struct be_call *call, const struct http_request *req,
    struct http_sink *s, struct curl_slist **hdrs, char *errbuf, long timeout)
{
	const char	*ca = req->ca_file;
	CURLcode	 c = CURLE_OK;
	char		*auth, *accept;

	accept = xasprintf("Accept: %s",
	    req->accept ? req->accept : "application/json");
	*hdrs = curl_slist_append(*hdrs, accept);
	free(accept);
	if (req->bearer != NULL) {
		auth = xasprintf("Authorization: Bearer %s", req->bearer);
		*hdrs = curl_slist_append(*hdrs, auth);
		secret_free(auth);
	}
	c |= curl_easy_setopt(h, CURLOPT_URL, req->url);
	c |= curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	c |= curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	c |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	c |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca != NULL && *ca != '\0')
		c |= curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	c |= curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout);
	c |= curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
	c |= curl_easy_setopt(h, CURLOPT_USERAGENT, "redoubt/0.1");
	c |= curl_easy_setopt(h, CURLOPT_HTTPHEADER, *hdrs);
	c |= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	c |= curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, http_write);
	c |= curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
	if (call->transcript != NULL) {
		c |= curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, http_debug);
		c |= curl_easy_setopt(h, CURLOPT_DEBUGDATA, s);
		c |= curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	}
	if (call->cancel != NULL) {
		c |= curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, http_progress);
		c |= curl_easy_setopt(h, CURLOPT_XFERINFODATA, s);
		c |= curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	}
	if (req->basic_user != NULL) {
		c |= curl_easy_setopt(h, CURLOPT_USERNAME, req->basic_user);
		c |= curl_easy_setopt(h, CURLOPT_PASSWORD,
		    req->basic_pass ? req->basic_pass : "");
	}
	if (req->aws_sigv4 != NULL)
		c |= curl_easy_setopt(h, CURLOPT_AWS_SIGV4, req->aws_sigv4);
	else if (req->basic_user != NULL)
		c |= curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	if (strcmp(req->method, "POST") == 0) {
		c |= curl_easy_setopt(h, CURLOPT_POSTFIELDS,
		    req->form ? req->form : "");
		c |= curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE,
		    (long)(req->form ? strlen(req->form) : 0));
	} else
		c |= curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	return c == CURLE_OK && *hdrs != NULL;
}

enum rd_code
http_perform(const struct be_call *call, const struct http_request *req,
    struct http_response *resp, struct be_reply *reply, struct rd_err *err)
{
	struct http_sink	 s;
	struct curl_slist	*hdrs = NULL;
	struct timespec		 t0, t1;
	char			 errbuf[CURL_ERROR_SIZE] = "";
	char			*ctype = NULL;
	long			 timeout = call->timeout;
	long			 status = 0;
	CURL			*h;
	CURLcode		 cc;
	enum rd_code		 rc = RD_OK;

	memset(resp, 0, sizeof *resp);
	reply->status = 0;
	reply->seconds = 0;
	reply->tls[0] = '\0';
	if (timeout <= 0)
		timeout = 15;
	if (http_global_init() != 0)
		return rd_err_set(err, RD_NETWORK, "libcurl could not start");
	if ((h = curl_easy_init()) == NULL)
		return rd_err_set(err, RD_NETWORK, "libcurl could not start");
	memset(&s, 0, sizeof s);
	rd_buf_init(&s.body, HTTP_BODY_MAX);
	rd_buf_init(&s.sent, 0);
	s.cancel = call->cancel;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!http_setup(h, call, req, &s, &hdrs, errbuf, timeout)) {
		rc = rd_err_set(err, RD_NETWORK, "libcurl refused an option "
		    "(too old a libcurl?)");
		goto out;
	}
	cc = curl_easy_perform(h);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	reply->seconds = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (cc == CURLE_OK) {
		reply->status = status;
		resp->status = status;
		if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ctype) ==
		    CURLE_OK && ctype != NULL)
			snprintf(resp->content_type, sizeof resp->content_type,
			    "%s", ctype);
		resp->len = s.body.len;
		resp->body = rd_buf_take(&s.body);
	} else {
		/* A status seen before the failure still helps the operator. */
		reply->status = status;
		rc = http_fail(req, &s, cc, errbuf, timeout, reply, err);
	}
	if (call->transcript != NULL)
		http_transcript(call, req, &s, resp->body, status, cc,
		    reply->tls);
out:
	rd_buf_free(&s.body);
	rd_buf_free(&s.sent);
	http_headers_free(hdrs);
	curl_easy_cleanup(h);
	return rc;
}
