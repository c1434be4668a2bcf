/*
 * http.h: the one libcurl wrapper every HTTP handler uses.
 *
 * TLS verification is always on (ca_file of the method when set); the
 * method's timeout bounds both the connection and the whole exchange; a
 * response body is capped (HTTP_BODY_MAX) and a larger one is an error.
 * An HTTP error status is not an error here: the handler reads the
 * provider's own code and message from the body.  With call->transcript
 * the request (URL, headers, body) and the response are written there,
 * every string of req->redact and every credential replaced by ***.
 */
#ifndef RD_HTTP_H
#define RD_HTTP_H

#include "backend.h"

#define HTTP_BODY_MAX	(64 * 1024)

struct http_request {
	const char		 *method;	/* "GET" or "POST" */
	const char		 *url;
	const char		 *form;		/* POST body (x-www-form-urlencoded) */
	const char		 *basic_user;	/* HTTP Basic when not NULL */
	const char		 *basic_pass;
	const char		 *bearer;	/* Authorization: Bearer */
	const char		 *aws_sigv4;	/* CURLOPT_AWS_SIGV4, e.g. "aws:amz:REGION:sns";
						   key and secret in basic_user/basic_pass */
	const char *const	 *redact;	/* NULL-terminated: shown as *** */
	const char		 *accept;	/* Accept header; NULL: application/json */
	const char		 *ca_file;	/* CAs to trust; NULL: the system's */
};

struct http_response {
	long	status;
	char	*body;		/* NUL-terminated, owned */
	size_t	 len;
	char	 content_type[128];
};

/*
 * curl_global_init, once per process (pthread_once); http_perform calls it,
 * and a program may call it early, before it starts threads.  0 or -1.
 */
int		http_global_init(void);

/*
 * Perform req for call (its timeout, cancel flag and transcript).  Fills
 * reply->status and reply->seconds, and reply->tls when TLS failed.
 * RD_TIMEOUT when the timeout passed, RD_NETWORK when no HTTP answer came
 * (refused, name not found, TLS or certificate failure, body too large),
 * RD_OK otherwise, whatever the status.  Free resp with http_response_free.
 */
enum rd_code	http_perform(const struct be_call *call,
		    const struct http_request *req, struct http_response *resp,
		    struct be_reply *reply, struct rd_err *err) RD_CHECK;
void		http_response_free(struct http_response *resp);

/*
 * When libcurl's result cc failed to make a TLS channel (the handshake,
 * the server's certificate, our CA file, a server without STARTTLS),
 * say so in out, with libcurl's own reason (detail, else its text for
 * cc), and answer true: "TLS handshake failed: SSL certificate problem:
 * self-signed certificate".  False, and out untouched, otherwise.
 */
bool		http_tls_failure(int cc, const char *detail, char *out,
		    size_t outsz);

/* Append "&key=value" (no & first) with value percent-encoded. */
void		http_form_add(struct rd_buf *form, const char *key,
		    const char *value);
/* A percent-encoded copy (curl_easy_escape); free with free(). */
char		*http_escape(const char *s);
/*
 * Replace every occurrence of each redact string in buf by ***, and of its
 * percent-encoded form (a form body carries that).  Strings shorter than
 * three characters are left alone.
 */
void		http_redact(struct rd_buf *buf, const char *const *redact);

/* base (trailing slashes dropped) + path; free with free(). */
char		*http_url(const char *base, const char *path);

struct cJSON;
/*
 * Member key of a JSON object as text: a string as is, a number in decimal.
 * False (and out "") when it is missing, null or of another type.
 */
bool		http_json_text(const struct cJSON *obj, const char *key,
		    char *out, size_t outsz);

#endif
