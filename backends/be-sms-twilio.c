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

#include "../src/util.h"
#include "backend.h"
#include "http.h"

static const struct cfg_key twilio_keys[] = {
	{ "account_sid", CFG_STR, "env:TWILIO_ACCOUNT_SID", 0, 0, NULL,
	  CFG_REQUIRED, "Account SID (AC...), user of HTTP Basic" },
	{ "auth_token", CFG_STR, "env:TWILIO_AUTH_TOKEN", 0, 0, NULL,
	  CFG_REQUIRED | CFG_SECRET, "Auth Token, password of HTTP Basic" },
	{ "from", CFG_STR, NULL, 0, 0, NULL, 0,
	  "sender: a Twilio number in E.164, a sender ID or a short code" },
	{ "messaging_service_sid", CFG_STR, NULL, 0, 0, NULL, 0,
	  "Messaging Service (MG...) that picks the sender" },
	{ "body", CFG_STR, "Your verification code is: {code}", 0, 0, NULL, 0,
	  "text of the message; {code}, {user}, {issuer}, {minutes}" },
	{ "api_base", CFG_STR, "https://api.twilio.com", 0, 0, NULL, CFG_URL,
	  "where the API lives (a test server, a regional host)" },
	{ "ca_file", CFG_STR, NULL, 0, 0, NULL, 0,
	  "CA certificates to trust instead of the system's" },
};

static void
twilio_check(const struct method_cfg *m, struct config *cfg)
{
	const char	*from = method_str(m, "from");
	const char	*mg = method_str(m, "messaging_service_sid");

	if ((from == NULL || *from == '\0') && (mg == NULL || *mg == '\0'))
		config_problem(cfg, "%s:%d: [method.%s] from or "
		    "messaging_service_sid is missing (Twilio needs a sender)",
		    cfg->path ? cfg->path : "built-in", m->line, m->name);
}

/* Twilio's error object into reply and err; the status when it has none. */
static enum rd_code
twilio_error(const struct http_response *resp, struct be_reply *reply,
    struct rd_err *err)
{
	cJSON	*root = cJSON_ParseWithLength(resp->body, resp->len);

	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return rd_err_set(err, RD_BACKEND, "Twilio answered %ld with "
		    "an unreadable body", resp->status);
	}
	if (!http_json_text(root, "code", reply->code, sizeof reply->code))
		snprintf(reply->code, sizeof reply->code, "%ld", resp->status);
	http_json_text(root, "message", reply->message, sizeof reply->message);
	cJSON_Delete(root);
	return rd_err_set(err, RD_BACKEND, "Twilio answered %ld: %s %s",
	    resp->status, reply->code, reply->message);
}

static enum rd_code
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
		return rd_err_set(err, RD_BACKEND, "Twilio answered %ld with "
		    "an unreadable body", resp->status);
	}
	http_json_text(root, "status", status, sizeof status);
	snprintf(reply->message, sizeof reply->message, "%s %s",
	    *status ? status : "accepted", sid);
	cJSON_Delete(root);
	return RD_OK;
}

static enum rd_code
twilio_send(const struct be_call *call, const struct be_message *msg,
    struct be_reply *reply, struct rd_err *err)
{
	const struct method_cfg	*m = call->method;
	const char		*sid = method_str(m, "account_sid");
	const char		*token = method_str(m, "auth_token");
	const char		*from = method_str(m, "from");
	const char		*mg = method_str(m, "messaging_service_sid");
	const char		*redact[3];
	struct http_request	 req = { 0 };
	struct http_response	 resp;
	struct rd_buf		 text, form;
	char			*esid, *path, *url;
	enum rd_code		 rc;

	if (sid == NULL || token == NULL)
		return rd_err_set(err, RD_CONFIG, "%s: account_sid and "
		    "auth_token are needed", m->name);
	rd_buf_init(&text, 0);
	if (msg->test)
		rd_buf_addstr(&text, "[TEST] ");
	backend_expand(method_str(m, "body"), call, msg, &text);
	rd_buf_init(&form, 0);
	http_form_add(&form, "To", msg->to);
	if (from != NULL && *from != '\0')
		http_form_add(&form, "From", from);
	if (mg != NULL && *mg != '\0')
		http_form_add(&form, "MessagingServiceSid", mg);
	http_form_add(&form, "Body", text.data);

	esid = http_escape(sid);
	path = xasprintf("/2010-04-01/Accounts/%s/Messages.json", esid);
	url = http_url(method_str(m, "api_base"), path);
	redact[0] = token;
	redact[1] = msg->code;
	redact[2] = NULL;
	req.method = "POST";
	req.url = url;
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

const struct backend be_sms_twilio = {
	.name = "sms_twilio",
	.kind = BE_CODE,
	.source_field = "phone",
	.keys = twilio_keys,
	.nkeys = sizeof twilio_keys / sizeof twilio_keys[0],
	.check = twilio_check,
	.send = twilio_send,
};
