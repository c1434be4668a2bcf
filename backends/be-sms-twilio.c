/*
 * be-sms-twilio.c: codes by SMS through Twilio Programmable Messaging
 * (docs/protocols.md §1): one form POST to Messages.json with HTTP Basic
 * (account SID and auth token).  A 2xx means Twilio queued the message;
 * anything else carries Twilio's {code, message}, which goes into the
 * reply so `test-backend` can show the operator what Twilio said.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "backend.h"
#include "http.h"

enum twilio_key {
	TW_ACCOUNT_SID,
	TW_AUTH_TOKEN,
	TW_FROM,
	TW_MESSAGING_SERVICE_SID,
	TW_BODY,
	TW_API_BASE,
	TW_CA_FILE,
	TW_COUNT
};

static const struct cfg_key twilio_keys[TW_COUNT] = {
	[TW_ACCOUNT_SID] = { .name = "account_sid", .type = CFG_STR,
	    .def = "env:TWILIO_ACCOUNT_SID", .flags = CFG_REQUIRED,
	    .help = "Account SID (AC...), user of HTTP Basic" },
	[TW_AUTH_TOKEN] = { .name = "auth_token", .type = CFG_STR,
	    .def = "env:TWILIO_AUTH_TOKEN", .flags = CFG_REQUIRED | CFG_SECRET,
	    .help = "Auth Token, password of HTTP Basic" },
	[TW_FROM] = { .name = "from", .type = CFG_STR,
	    .help = "sender: a Twilio number in E.164, a sender ID or a short "
	    "code" },
	[TW_MESSAGING_SERVICE_SID] = { .name = "messaging_service_sid",
	    .type = CFG_STR,
	    .help = "Messaging Service (MG...) that picks the sender" },
	[TW_BODY] = { .name = "body", .type = CFG_STR,
	    .def = N_("Your verification code is: {code}"),
	    .help = "text of the message; {code}, {user}, {issuer}, "
	    "{validity}, {minutes}" },
	[TW_API_BASE] = { .name = "api_base", .type = CFG_STR,
	    .def = "https://api.twilio.com", .flags = CFG_URL,
	    .help = "where the API lives (a test server, a regional host)" },
	[TW_CA_FILE] = { .name = "ca_file", .type = CFG_STR,
	    .help = "CA certificates to trust instead of the system's" },
};

/* Twilio refuses a Body longer than this many characters (error 21617). */
#define TWILIO_BODY_MAX	1600

static void
twilio_check(const struct cfg_section *own, struct cfg_problems *p)
{
	const char		*from = cfg_str(own, TW_FROM);
	const char		*mg = cfg_str(own, TW_MESSAGING_SERVICE_SID);
	const char		*body = cfg_str(own, TW_BODY), *c;
	struct be_call		 call = { 0 };
	struct be_message	 msg = { 0 };
	struct rd_buf		 fixed;
	size_t			 n = 0;

	if ((from == NULL || *from == '\0') && (mg == NULL || *mg == '\0'))
		cfg_section_problem(p, own, _("from or messaging_service_sid "
		    "is missing (Twilio needs a sender)"));
	if (body == NULL)
		return;
	/* Placeholders empty ({minutes} as 0): what every message holds. */
	rd_buf_init(&fixed, 0);
	backend_expand(body, &call, &msg, &fixed);
	for (c = fixed.data; c != NULL && *c != '\0'; c++)
		if (((unsigned char)*c & 0xc0) != 0x80)
			n++;
	rd_buf_free(&fixed);
	if (n > TWILIO_BODY_MAX)
		cfg_key_problem(p, own, TW_BODY, _("%zu characters without its "
		    "placeholders; Twilio refuses a message longer than %d"),
		    n, TWILIO_BODY_MAX);
}

/* Twilio's error object into reply and err; the status when it has none. */
static enum rd_code RD_CHECK
twilio_error(const struct http_response *resp, struct be_reply *reply,
    struct rd_err *err)
{
	cJSON	*root = cJSON_ParseWithLength(resp->body, resp->len);

	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return rd_err_set(err, RD_BACKEND, _("Twilio answered %ld with "
		    "an unreadable body"), resp->status);
	}
	if (!http_json_text(root, "code", reply->code, sizeof reply->code))
		snprintf(reply->code, sizeof reply->code, "%ld", resp->status);
	http_json_text(root, "message", reply->message, sizeof reply->message);
	cJSON_Delete(root);
	return rd_err_set(err, RD_BACKEND, _("Twilio answered %ld: %s %s"),
	    resp->status, reply->code, reply->message);
}

static enum rd_code RD_CHECK
twilio_answer(const struct http_response *resp, struct be_reply *reply,
    struct rd_err *err)
{
	cJSON	*root;
	char	 sid[64], status[32];

	if (resp->status < 200 || resp->status > 299)
		return twilio_error(resp, reply, err);
	/* A 2xx we cannot read is not a proof that the message left. */
	root = cJSON_ParseWithLength(resp->body, resp->len);
	if (!cJSON_IsObject(root) ||
	    !http_json_text(root, "sid", sid, sizeof sid)) {
		cJSON_Delete(root);
		return rd_err_set(err, RD_BACKEND, _("Twilio answered %ld with "
		    "an unreadable body"), resp->status);
	}
	http_json_text(root, "status", status, sizeof status);
	snprintf(reply->message, sizeof reply->message, "%s %s",
	    *status ? status : "accepted", sid);
	cJSON_Delete(root);
	return RD_OK;
}

static enum rd_code RD_CHECK
twilio_send(const struct be_call *call, const struct be_message *msg,
    struct be_reply *reply, struct rd_err *err)
{
	const char		*sid = cfg_str(call->own, TW_ACCOUNT_SID);
	const char		*token = cfg_str(call->own, TW_AUTH_TOKEN);
	const char		*from = cfg_str(call->own, TW_FROM);
	const char		*mg = cfg_str(call->own, TW_MESSAGING_SERVICE_SID);
	const char		*redact[3];
	struct http_request	 req = { 0 };
	struct http_response	 resp;
	struct rd_buf		 text, form;
	char			*esid, *path, *url;
	enum rd_code		 rc;

	if (sid == NULL || token == NULL)
		return rd_err_set(err, RD_CONFIG, _("%s: account_sid and "
		    "auth_token are needed"), call->method);
	rd_buf_init(&text, 0);
	if (msg->test)
		rd_buf_addstr(&text, "[TEST] ");
	backend_expand(backend_text(call->own, TW_BODY), call, msg, &text);
	rd_buf_init(&form, 0);
	http_form_add(&form, "To", msg->to);
	if (from != NULL && *from != '\0')
		http_form_add(&form, "From", from);
	if (mg != NULL && *mg != '\0')
		http_form_add(&form, "MessagingServiceSid", mg);
	http_form_add(&form, "Body", text.data);

	esid = http_escape(sid);
	path = xasprintf("/2010-04-01/Accounts/%s/Messages.json", esid);
	url = http_url(cfg_str(call->own, TW_API_BASE), path);
	redact[0] = token;
	redact[1] = msg->code;
	redact[2] = NULL;
	req.method = "POST";
	req.url = url;
	req.ca_file = cfg_str(call->own, TW_CA_FILE);
	req.form = form.data;
	req.basic_user = sid;
	req.basic_pass = token;
	req.redact = redact;

	rc = http_perform(call, &req, &resp, reply, err);
	if (rc == RD_OK)
		rc = twilio_answer(&resp, reply, err);
	http_response_free(&resp);
	free(esid);
	free(path);
	free(url);
	rd_buf_free(&form);
	rd_buf_free(&text);
	return rc;
}

static const struct be_code_ops sms_twilio_code = {
	.send = twilio_send,
};

const struct backend be_sms_twilio = {
	.cfg = {
		.name = "sms_twilio",
		.keys = twilio_keys,
		.nkeys = TW_COUNT,
		.source_field = "phone",
		.check = twilio_check,
	},
	.kind = BE_CODE,
	.code = &sms_twilio_code,
};
