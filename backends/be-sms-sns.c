/*
 * be-sms-sns.c: codes by SMS through Amazon SNS Publish (Query API): a
 * form POST of Action=Publish to the regional endpoint, signed by libcurl
 * (CURLOPT_AWS_SIGV4) with the access key and secret key.
 *
 * SNS answers XML: a PublishResponse with a MessageId, or an ErrorResponse
 * with Type, Code and Message.  Only those few elements are read, by plain
 * string search: no XML library for two tags.  Accept asks for XML, since
 * the Query API may answer JSON to the application/json of http.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "backend.h"
#include "http.h"

enum sns_key {
	SNS_ACCESS_KEY,
	SNS_SECRET_KEY,
	SNS_REGION,
	SNS_BODY,
	SNS_API_BASE,
	SNS_CA_FILE,
	SNS_COUNT
};

static const struct cfg_key sns_keys[SNS_COUNT] = {
	[SNS_ACCESS_KEY] = { .name = "access_key", .type = CFG_STR,
	    .flags = CFG_REQUIRED | CFG_SECRET, .help = "AWS access key id" },
	[SNS_SECRET_KEY] = { .name = "secret_key", .type = CFG_STR,
	    .flags = CFG_REQUIRED | CFG_SECRET,
	    .help = "AWS secret access key" },
	[SNS_REGION] = { .name = "region", .type = CFG_STR,
	    .flags = CFG_REQUIRED, .help = "AWS region, e.g. eu-west-1" },
	[SNS_BODY] = { .name = "body", .type = CFG_STR,
	    .def = N_("Your verification code is: {code}"),
	    .help = "text of the message; {code}, {user}, {issuer}, "
	    "{validity}, {minutes}" },
	[SNS_API_BASE] = { .name = "api_base", .type = CFG_STR,
	    .flags = CFG_URL,
	    .help = "where the API lives (default: "
	    "https://sns.REGION.amazonaws.com)" },
	[SNS_CA_FILE] = { .name = "ca_file", .type = CFG_STR,
	    .help = "CA certificates to trust instead of the system's" },
};

/* The region becomes part of a host name and of the signing scope. */
static void
sns_check(const struct cfg_section *own, struct cfg_problems *p)
{
	const char	*region = cfg_str(own, SNS_REGION);

	if (region != NULL && (*region == '\0' ||
	    strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
	    strlen(region)))
		cfg_key_problem(p, own, SNS_REGION, _("'%s' is not an AWS "
		    "region (such as eu-west-1)"), region);
}

/*
 * The text of the first <tag>...</tag> into out, with the five predefined
 * entities decoded.  False when the element is not there.
 */
static bool
sns_tag(const char *xml, const char *tag, char *out, size_t outsz)
{
	static const struct {
		const char	*ent;
		char		 c;
	} ents[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
		{ "&quot;", '"' }, { "&apos;", '\'' },
	};
	char		 open[64], close[64];
	const char	*p, *end;
	size_t		 n = 0, i;

	out[0] = '\0';
	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	if ((p = strstr(xml, open)) == NULL)
		return false;
	p += strlen(open);
	if ((end = strstr(p, close)) == NULL)
		return false;
	while (p < end && n + 1 < outsz) {
		for (i = 0; i < sizeof ents / sizeof ents[0]; i++)
			if (strncmp(p, ents[i].ent, strlen(ents[i].ent)) == 0)
				break;
		if (i < sizeof ents / sizeof ents[0]) {
			out[n++] = ents[i].c;
			p += strlen(ents[i].ent);
		} else
			out[n++] = *p++;
	}
	out[n] = '\0';
	return true;
}

static enum rd_code RD_CHECK
sns_answer(const struct http_response *resp, struct be_reply *reply,
    struct rd_err *err)
{
	char	id[128];

	if (resp->status >= 200 && resp->status <= 299) {
		if (strstr(resp->body, "<PublishResponse") == NULL ||
		    !sns_tag(resp->body, "MessageId", id, sizeof id) ||
		    id[0] == '\0')
			return rd_err_set(err, RD_BACKEND, _("SNS answered %ld "
			    "with an unreadable body"), resp->status);
		snprintf(reply->message, sizeof reply->message,
		    "MessageId %s", id);
		return RD_OK;
	}
	if (strstr(resp->body, "<ErrorResponse") == NULL ||
	    !sns_tag(resp->body, "Code", reply->code, sizeof reply->code))
		return rd_err_set(err, RD_BACKEND, _("SNS answered %ld with an "
		    "unreadable body"), resp->status);
	sns_tag(resp->body, "Message", reply->message, sizeof reply->message);
	return rd_err_set(err, RD_BACKEND, _("SNS answered %ld: %s %s"),
	    resp->status, reply->code, reply->message);
}

static enum rd_code RD_CHECK
sns_send(const struct be_call *call, const struct be_message *msg,
    struct be_reply *reply, struct rd_err *err)
{
	const char		*key = cfg_str(call->own, SNS_ACCESS_KEY);
	const char		*secret = cfg_str(call->own, SNS_SECRET_KEY);
	const char		*region = cfg_str(call->own, SNS_REGION);
	const char		*base = cfg_str(call->own, SNS_API_BASE);
	const char		*redact[4];
	struct http_request	 req = { 0 };
	struct http_response	 resp;
	struct rd_buf		 text, form;
	char			*url, *sigv4;
	enum rd_code		 rc;

	if (key == NULL || secret == NULL || region == NULL || *region == '\0')
		return rd_err_set(err, RD_CONFIG, _("%s: access_key, "
		    "secret_key and region are needed"), call->method);
	rd_buf_init(&text, 0);
	if (msg->test)
		rd_buf_addstr(&text, "[TEST] ");
	backend_expand(backend_text(call->own, SNS_BODY), call, msg, &text);
	rd_buf_init(&form, 0);
	http_form_add(&form, "Action", "Publish");
	http_form_add(&form, "PhoneNumber", msg->to);
	http_form_add(&form, "Message", text.data);
	http_form_add(&form, "Version", "2010-03-31");

	if (base != NULL && *base != '\0')
		url = http_url(base, "/");
	else
		url = xasprintf("https://sns.%s.amazonaws.com/", region);
	sigv4 = xasprintf("aws:amz:%s:sns", region);
	redact[0] = key;
	redact[1] = secret;
	redact[2] = msg->code;
	redact[3] = NULL;
	req.method = "POST";
	req.url = url;
	req.ca_file = cfg_str(call->own, SNS_CA_FILE);
	req.form = form.data;
	req.basic_user = key;
	req.basic_pass = secret;
	req.aws_sigv4 = sigv4;
	req.accept = "text/xml";
	req.redact = redact;

	rc = http_perform(call, &req, &resp, reply, err);
	if (rc == RD_OK)
		rc = sns_answer(&resp, reply, err);
	http_response_free(&resp);
	free(url);
	free(sigv4);
	rd_buf_free(&form);
	rd_buf_free(&text);
	return rc;
}

static const struct be_code_ops sms_sns_code = {
	.send = sns_send,
};

const struct backend be_sms_sns = {
	.cfg = {
		.name = "sms_sns",
		.keys = sns_keys,
		.nkeys = SNS_COUNT,
		.source_field = "phone",
		.check = sns_check,
	},
	.kind = BE_CODE,
	.code = &sms_sns_code,
};
