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

#include "../src/i18n.h"
#include "../src/util.h"
#include "backend.h"
#include "http.h"

enum smsapi_key {
	SA_ACCESS_TOKEN,
	SA_FROM,
	SA_BODY,
	SA_API_BASE,
	SA_CA_FILE,
	SA_COUNT
};

static const struct cfg_key smsapi_keys[SA_COUNT] = {
	[SA_ACCESS_TOKEN] = { .name = "access_token", .type = CFG_STR,
	    .flags = CFG_REQUIRED | CFG_SECRET,
	    .help = "OAuth token from the customer panel (Bearer)" },
	[SA_FROM] = { .name = "from", .type = CFG_STR,
	    .help = "registered sender name (default: the account's)" },
	[SA_BODY] = { .name = "body", .type = CFG_STR,
	    .def = N_("Your verification code is: {code}"),
	    .help = "text of the message; {code}, {user}, {issuer}, "
	    "{validity}, {minutes}" },
	[SA_API_BASE] = { .name = "api_base", .type = CFG_STR,
	    .def = "https://api.smsapi.pl", .flags = CFG_URL,
	    .help = "where the API lives (api.smsapi.com abroad, a test "
	    "server)" },
	[SA_CA_FILE] = { .name = "ca_file", .type = CFG_STR,
	    .help = "CA certificates to trust instead of the system's" },
};

static enum rd_code RD_CHECK
smsapi_answer(const struct http_response *resp, struct be_reply *reply,
    struct rd_err *err)
{
	cJSON		*root = cJSON_ParseWithLength(resp->body, resp->len);
	const cJSON	*e, *list, *first;
	char		 id[64], status[32];
	enum rd_code	 rc = RD_OK;

	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return rd_err_set(err, RD_BACKEND, _("SMSAPI answered %ld with "
		    "an unreadable body"), resp->status);
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
		rc = rd_err_set(err, RD_BACKEND, _("SMSAPI answered %ld: error "
		    "%s %s"), resp->status, reply->code, reply->message);
	} else if (cJSON_GetObjectItemCaseSensitive(root, "count") == NULL ||
	    !cJSON_IsArray(list) || (first = cJSON_GetArrayItem(list, 0)) ==
	    NULL) {
		rc = rd_err_set(err, RD_BACKEND, _("SMSAPI answered %ld "
		    "without the list of sent messages"), resp->status);
	} else {
		http_json_text(first, "id", id, sizeof id);
		http_json_text(first, "status", status, sizeof status);
		snprintf(reply->message, sizeof reply->message, "%s %s",
		    *status ? status : "sent", id);
	}
	cJSON_Delete(root);
	return rc;
}

static enum rd_code RD_CHECK
smsapi_send(const struct be_call *call, const struct be_message *msg,
    struct be_reply *reply, struct rd_err *err)
{
	const char		*token = cfg_str(call->own, SA_ACCESS_TOKEN);
	const char		*from = cfg_str(call->own, SA_FROM);
	const char		*to = msg->to;
	const char		*redact[3];
	struct http_request	 req = { 0 };
	struct http_response	 resp;
	struct rd_buf		 text, form;
	char			*url;
	enum rd_code		 rc;

	if (token == NULL)
		return rd_err_set(err, RD_CONFIG,
		    _("%s: access_token is needed"),
		    call->method);
	rd_buf_init(&text, 0);
	if (msg->test)
		rd_buf_addstr(&text, "[TEST] ");
	backend_expand(backend_text(call->own, SA_BODY), call, msg, &text);
	if (to[0] == '+')
		to++;
	rd_buf_init(&form, 0);
	http_form_add(&form, "to", to);
	http_form_add(&form, "message", text.data);
	if (from != NULL && *from != '\0')
		http_form_add(&form, "from", from);
	http_form_add(&form, "format", "json");
	http_form_add(&form, "encoding", "utf-8");

	url = http_url(cfg_str(call->own, SA_API_BASE), "/sms.do");
	redact[0] = token;
	redact[1] = msg->code;
	redact[2] = NULL;
	req.method = "POST";
	req.url = url;
	req.ca_file = cfg_str(call->own, SA_CA_FILE);
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

static const struct be_code_ops sms_smsapi_code = {
	.send = smsapi_send,
};

const struct backend be_sms_smsapi = {
	.cfg = {
		.name = "sms_smsapi",
		.keys = smsapi_keys,
		.nkeys = SA_COUNT,
		.source_field = "phone",
	},
	.kind = BE_CODE,
	.code = &sms_smsapi_code,
};
