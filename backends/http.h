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
};

struct http_response {
	long	status;
	char	*body;		/* NUL-terminated, owned */
	size_t	 len;
	char	 content_type[128];
};

/*
 * Perform req for call->method.  Fills reply->status and reply->seconds.
 * RD_TIMEOUT when the timeout passed, RD_NETWORK when no HTTP answer came
 * (refused, name not found, TLS or certificate failure, body too large),
 * RD_OK otherwise, whatever the status.  Free resp with http_response_free.
 */
enum rd_code	http_perform(const struct be_call *call,
		    const struct http_request *req, struct http_response *resp,
		    struct be_reply *reply, struct rd_err *err);
void		http_response_free(struct http_response *resp);

/* Append "&key=value" (no & first) with value percent-encoded. */
void		http_form_add(struct rd_buf *form, const char *key,
		    const char *value);
/* A percent-encoded copy (curl_easy_escape); free with free(). */
char		*http_escape(const char *s);
/* Replace every occurrence of each redact string in buf by ***. */
void		http_redact(struct rd_buf *buf, const char *const *redact);

#endif
