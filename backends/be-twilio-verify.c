/*
 * be-twilio-verify.c: provider-made codes through Twilio Verify v2
 * (docs/protocols.md §2).  start() creates a Verification and keeps its
 * sid (VE...) as the request id; check_code() posts a VerificationCheck.
 *
 * A wrong code is not an HTTP error at Twilio: it is a 200 whose status
 * stays "pending".  Too many checks is 429/60202, and a verification that
 * expired or was already used is 404/20404; both become the core's own
 * codes so the flows treat them as they treat our own codes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../src/util.h"
#include "backend.h"
#include "http.h"

static const struct cfg_key verify_keys[] = {
	{ "account_sid", CFG_STR, "env:TWILIO_ACCOUNT_SID", 0, 0, NULL,
	  CFG_REQUIRED, "Account SID (AC...), user of HTTP Basic" },
	{ "auth_token", CFG_STR, "env:TWILIO_AUTH_TOKEN", 0, 0, NULL,
	  CFG_REQUIRED | CFG_SECRET, "Auth Token, password of HTTP Basic" },
	{ "service_sid", CFG_STR, NULL, 0, 0, NULL, CFG_REQUIRED,
	  "the Verify Service (VA...)" },
	{ "channel", CFG_ENUM, "sms", 0, 0, "sms|call|email|whatsapp", 0,
	  "how Twilio delivers the code" },
	{ "api_base", CFG_STR, "https://verify.twilio.com", 0, 0, NULL, CFG_URL,
	  "where the API lives (a test server)" },
	{ "ca_file", CFG_STR, NULL, 0, 0, NULL, 0,
	  "CA certificates to trust instead of the system's" },
};

struct verify_answer {
	cJSON		*root;		/* NULL: unreadable */
	char		 status[32];
};

static void
verify_read(const struct http_response *resp, struct be_reply *reply,
    struct verify_answer *a)
{
	a->status[0] = '\0';
	a->root = cJSON_ParseWithLength(resp->body, resp->len);
	if (!cJSON_IsObject(a->root)) {
		cJSON_Delete(a->root);
		a->root = NULL;
		return;
	}
	http_json_text(a->root, "status", a->status, sizeof a->status);
	if (resp->status < 200 || resp->status > 299) {
		if (!http_json_text(a->root, "code", reply->code,
		    sizeof reply->code))
			snprintf(reply->code, sizeof reply->code, "%ld",
			    resp->status);
		http_json_text(a->root, "message", reply->message,
		    sizeof reply->message);
	}
}

static enum rd_code
verify_fail(const struct http_response *resp, const struct be_reply *reply,
    struct rd_err *err)
{
	return rd_err_set(err, RD_BACKEND, "Twilio Verify answered %ld: %s %s",
	    resp->status, reply->code, reply->message);
}

static enum rd_code
verify_post(const struct be_call *call, const char *what, struct rd_buf *form,
    const char *code, struct http_response *resp, struct be_reply *reply,
    struct rd_err *err)
{
	const struct method_cfg	*m = call->method;
	const char		*sid = method_str(m, "account_sid");
	const char		*token = method_str(m, "auth_token");
	const char		*redact[3];
	struct http_request	 req = { 0 };
	char			*svc, *path, *url;
	enum rd_code		 rc;

	if (sid == NULL || token == NULL || method_str(m, "service_sid") == NULL)
		return rd_err_set(err, RD_CONFIG, "%s: account_sid, auth_token "
		    "and service_sid are needed", m->name);
	svc = http_escape(method_str(m, "service_sid"));
	path = xasprintf("/v2/Services/%s/%s", svc, what);
	url = http_url(method_str(m, "api_base"), path);
	redact[0] = token;
	redact[1] = code;
	redact[2] = NULL;
	req.method = "POST";
	req.url = url;
	req.form = form->data;
	req.basic_user = sid;
	req.basic_pass = token;
	req.redact = redact;
	rc = http_perform(call, &req, resp, reply, err);
	free(svc);
	free(path);
	free(url);
	return rc;
}

static enum rd_code
verify_start(const struct be_call *call, const struct be_message *msg,
    struct be_reply *reply, struct rd_err *err)
{
	const char		*channel = method_str(call->method, "channel");
	struct http_response	 resp;
	struct verify_answer	 a;
	struct rd_buf		 form;
	enum rd_code		 rc;

	rd_buf_init(&form, 0);
	http_form_add(&form, "To", msg->to);
	http_form_add(&form, "Channel", channel ? channel : "sms");
	rc = verify_post(call, "Verifications", &form, NULL, &resp, reply,
	    err);
	rd_buf_free(&form);
	if (rc != RD_OK)
		return rc;
	verify_read(&resp, reply, &a);
	if (a.root == NULL)
		rc = rd_err_set(err, RD_BACKEND, "Twilio Verify answered %ld "
		    "with an unreadable body", resp.status);
	else if (resp.status < 200 || resp.status > 299)
		rc = verify_fail(&resp, reply, err);
	else if (!http_json_text(a.root, "sid", reply->request_id,
	    sizeof reply->request_id) || reply->request_id[0] == '\0')
		rc = rd_err_set(err, RD_BACKEND, "Twilio Verify answered %ld "
		    "without a verification sid", resp.status);
	else
		snprintf(reply->message, sizeof reply->message, "%s",
		    a.status[0] ? a.status : "pending");
	cJSON_Delete(a.root);
	http_response_free(&resp);
	return rc;
}

/* A 2xx check: the verification's status says what happened. */
static enum rd_code
verify_status(const struct http_response *resp, const struct verify_answer *a,
    struct be_reply *reply, struct rd_err *err)
{
	snprintf(reply->message, sizeof reply->message, "%s", a->status);
	if (strcmp(a->status, "approved") == 0)
		return RD_OK;
	if (strcmp(a->status, "pending") == 0)
		return rd_err_set(err, RD_INVALID_CODE, "Twilio Verify: the "
		    "code does not match");
	if (strcmp(a->status, "max_attempts_reached") == 0)
		return rd_err_set(err, RD_LOCKED_OUT, "Twilio Verify: too many "
		    "wrong codes for this verification");
	if (strcmp(a->status, "expired") == 0 ||
	    strcmp(a->status, "canceled") == 0 ||
	    strcmp(a->status, "deleted") == 0)
		return rd_err_set(err, RD_EXPIRED, "Twilio Verify: the "
		    "verification is %s", a->status);
	return rd_err_set(err, RD_BACKEND, "Twilio Verify answered %ld with "
	    "status '%s'", resp->status, a->status);
}

static enum rd_code
verify_check(const struct be_call *call, const char *request_id,
    const char *code, struct be_reply *reply, struct rd_err *err)
{
	struct http_response	 resp;
	struct verify_answer	 a;
	struct rd_buf		 form;
	enum rd_code		 rc;

	rd_buf_init(&form, 0);
	http_form_add(&form, "VerificationSid", request_id);
	http_form_add(&form, "Code", code);
	rc = verify_post(call, "VerificationCheck", &form, code, &resp, reply,
	    err);
	rd_buf_free(&form);
	if (rc != RD_OK)
		return rc;
	verify_read(&resp, reply, &a);
	if (a.root == NULL)
		rc = rd_err_set(err, RD_BACKEND, "Twilio Verify answered %ld "
		    "with an unreadable body", resp.status);
	else if (resp.status >= 200 && resp.status <= 299)
		rc = verify_status(&resp, &a, reply, err);
	else if (resp.status == 429 && strcmp(reply->code, "60202") == 0)
		rc = rd_err_set(err, RD_LOCKED_OUT, "Twilio Verify answered "
		    "429: %s %s", reply->code, reply->message);
	else if (resp.status == 404)
		rc = rd_err_set(err, RD_EXPIRED, "Twilio Verify answered 404: "
		    "%s %s (expired, used or unknown)", reply->code,
		    reply->message);
	else
		rc = verify_fail(&resp, reply, err);
	cJSON_Delete(a.root);
	http_response_free(&resp);
	return rc;
}

const struct backend be_twilio_verify = {
	.name = "twilio_verify",
	.kind = BE_VERIFY,
	.source_field = "phone",
	.keys = verify_keys,
	.nkeys = sizeof verify_keys / sizeof verify_keys[0],
	.start = verify_start,
	.check_code = verify_check,
};
