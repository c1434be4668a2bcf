/*
 * mailmsg.h: the message of the e-mail handler (be-email.c), composed
 * apart from the SMTP exchange: server URL, sender, bodies from the
 * templates, and the headers libcurl is to send.
 */
#ifndef RD_MAILMSG_H
#define RD_MAILMSG_H

#include <stdbool.h>
#include <stddef.h>

#include "../src/util.h"
#include "backend.h"

/* The keys of the email handler (be-email.c holds the table). */
enum email_key {
	EM_SMTP_URL,
	EM_SMTP_USER,
	EM_SMTP_PASSWORD,
	EM_FROM,
	EM_SUBJECT,
	EM_TEMPLATE_TEXT,
	EM_TEMPLATE_HTML,
	EM_STARTTLS,
	EM_CA_FILE,
	EM_COUNT
};

struct curl_slist;

struct mailmsg {
	char		*url;		/* smtp_url with an EHLO name */
	char		 host[256];	/* its host, for messages */
	char		 from_name[256]; /* display name, "" when none */
	char		 from_addr[256]; /* name@domain */
	struct rd_buf	 text;		/* text/plain body, CRLF line ends */
	struct rd_buf	 html;		/* text/html body, CRLF line ends */
	struct rd_buf	 shown;		/* the headers as text, one a line */
	struct curl_slist *hdrs;	/* for CURLOPT_HTTPHEADER */
	int		 oom;		/* libcurl could not take a header */
};

/* An ASCII name@domain without spaces, brackets or quotes. */
bool		mailmsg_addr_ok(const char *addr);
/* "name@domain" or "Display Name <name@domain>"; false when neither. */
bool		mailmsg_parse_from(const char *from, char *name, size_t namesz,
		    char *addr, size_t addrsz);
/*
 * url with a path (libcurl's EHLO name; "/domain" when it has none), as a
 * new string; NULL when libcurl cannot parse it.  host gets the host,
 * *userinfo whether the URL carries a user name.
 */
char		*mailmsg_url(const char *url, const char *domain, char *host,
		    size_t hostsz, bool *userinfo);
/*
 * Compose the message of call->method for msg.  RD_CONFIG when smtp_url,
 * from or a template file is unusable, RD_USAGE when msg->to is not an address.
 * mm is always set: free it with mailmsg_free.
 */
enum rd_code	mailmsg_compose(const struct be_call *call,
		    const struct be_message *msg, struct mailmsg *mm,
		    struct rd_err *err) RD_CHECK;
void		mailmsg_free(struct mailmsg *mm);

#endif
