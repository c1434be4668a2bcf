/*
 * be-sms-smsapi.c: codes by SMS through SMSAPI (docs/protocols.md §3): a
 * form POST to /sms.do with a Bearer token and format=json.
 *
 * SMSAPI reports many errors inside an HTTP 200, so the rule is the one of
 * its Go client: a status outside 2xx or a non-null "error" is a failure,
 * and only a body with "count" and "list" counts as sent.  Numbers travel
 * without their '+': SMSAPI rejects it (error 13).  test-backend really
 * sends, so test=1 (validate only) is never used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../src/util.h"
#include "backend.h"
#include "http.h"

static const struct cfg_key smsapi_keys[] = {
	{ "access_token", CFG_STR, NULL, 0, 0, NULL, CFG_REQUIRED | CFG_SECRET,
	  "OAuth token from the customer panel (Bearer)" },
	{ "from", CFG_STR, NULL, 0, 0, NULL, 0,
	  "registered sender name (default: the account's)" },
	{ "body", CFG_STR, "Your verification code is: {code}", 0, 0, NULL, 0,
	  "text of the message; {code}, {user}, {issuer}, {minutes}" },
	{ "api_base", CFG_STR, "https://api.smsapi.pl", 0, 0, NULL, CFG_URL,
	  "where the API lives (api.smsapi.com abroad, a test server)" },
	{ "ca_file", CFG_STR, NULL, 0, 0, NULL, 0,
	  "CA certificates to trust instead of the system's" },
};

static enum rd_code
smsapi_answer(const struct http_response *resp, struct be_reply *reply,
    struct rd_err *err)
{
	cJSON		*root = cJSON_ParseWithLength(resp->body, resp->len);
	const cJSON	*e, *list, *first;
	char		 id[64], status[32];
	enum rd_code	 rc = RD_OK;

	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return rd_err_set(err, RD_BACKEND, "SMSAPI answered %ld with an "
		    "unreadable body", resp->status);
	}
	e = cJSON_GetObjectItemCaseSensitive(root, "error");
	list = cJSON_GetObjectItemCaseSensitive(root, "list");
	if ((e != NULL && !cJSON_IsNull(e)) ||
	    resp->status < 200 || resp->status > 299) {
		if (!http_json_text(root, "error", reply->code,
		    sizeof reply->code))
			snprintf(reply->code, sizeof reply->code, "%ld",
			    resp->status);
		http_json_text(root, "message", reply->message,
		    sizeof reply->message);
		rc = rd_err_set(err, RD_BACKEND, "SMSAPI answered %ld: error "
		    "%s %s", resp->status, reply->code, reply->message);
	} else if (cJSON_GetObjectItemCaseSensitive(root, "count") == NULL ||
	    !cJSON_IsArray(list) || (first = cJSON_GetArrayItem(list, 0)) ==
	    NULL) {
		rc = rd_err_set(err, RD_BACKEND, "SMSAPI answered %ld without "
		    "the list of sent messages", resp->status);
	} else {
		http_json_text(first, "id", id, sizeof id);
		http_json_text(first, "status", status, sizeof status);
		snprintf(reply->message, sizeof reply->message, "%s %s",
		    *status ? status : "sent", id);
	}
	cJSON_Delete(root);
	return rc;
}

static enum rd_code
smsapi_send(const struct be_call *call, const struct be_message *msg,
    struct be_reply *reply, struct rd_err *err)
{
	const struct method_cfg	*m = call->method;
	const char		*token = method_str(m, "access_token");
	const char		*from = method_str(m, "from");
	const char		*to = msg->to;
	const char		*redact[3];
	struct http_request	 req = { 0 };
	struct http_response	 resp;
	struct rd_buf		 text, form;
	char			*url;
	enum rd_code		 rc;

	if (token == NULL)
		return rd_err_set(err, RD_CONFIG, "%s: access_token is needed",
		    m->name);
	rd_buf_init(&text, 0);
	if (msg->test)
		rd_buf_addstr(&text, "[TEST] ");
	backend_expand(method_str(m, "body"), call, msg, &text);
	if (to[0] == '+')
		to++;
	rd_buf_init(&form, 0);
	http_form_add(&form, "to", to);
	http_form_add(&form, "message", text.data);
	if (from != NULL && *from != '\0')
		http_form_add(&form, "from", from);
	http_form_add(&form, "format", "json");
	http_form_add(&form, "encoding", "utf-8");

	url = http_url(method_str(m, "api_base"), "/sms.do");
	redact[0] = token;
	redact[1] = msg->code;
	redact[2] = NULL;
	req.method = "POST";
	req.url = url;
	req.form = form.data;
	req.bearer = token;
	req.redact = redact;

	rc = http_perform(call, &req, &resp, reply, err);
	if (rc == RD_OK)
		rc = smsapi_answer(&resp, reply, err);
	http_response_free(&resp);
	free(url);
	rd_buf_free(&form);
	rd_buf_free(&text);
	return rc;
}

const struct backend be_sms_smsapi = {
	.name = "sms_smsapi",
	.kind = BE_CODE,
	.source_field = "phone",
	.keys = smsapi_keys,
	.nkeys = sizeof smsapi_keys / sizeof smsapi_keys[0],
	.send = smsapi_send,
};
