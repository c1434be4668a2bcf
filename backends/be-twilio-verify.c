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

#include "../src/i18n.h"
#include "../src/util.h"
#include "backend.h"
#include "http.h"

enum verify_key {
	TV_ACCOUNT_SID,
	TV_AUTH_TOKEN,
	TV_SERVICE_SID,
	TV_CHANNEL,
	TV_API_BASE,
	TV_CA_FILE,
	TV_COUNT
};

static const struct cfg_key verify_keys[TV_COUNT] = {
	[TV_ACCOUNT_SID] = { .name = "account_sid", .type = CFG_STR,
	    .def = "env:TWILIO_ACCOUNT_SID", .flags = CFG_REQUIRED,
	    .help = "Account SID (AC...), user of HTTP Basic" },
	[TV_AUTH_TOKEN] = { .name = "auth_token", .type = CFG_STR,
	    .def = "env:TWILIO_AUTH_TOKEN", .flags = CFG_REQUIRED | CFG_SECRET,
	    .help = "Auth Token, password of HTTP Basic" },
	[TV_SERVICE_SID] = { .name = "service_sid", .type = CFG_STR,
	    .flags = CFG_REQUIRED, .help = "the Verify Service (VA...)" },
	[TV_CHANNEL] = { .name = "channel", .type = CFG_ENUM, .def = "sms",
	    .choices = "sms|call|email|whatsapp",
	    .help = "how Twilio delivers the code" },
	[TV_API_BASE] = { .name = "api_base", .type = CFG_STR,
	    .def = "https://verify.twilio.com", .flags = CFG_URL,
	    .help = "where the API lives (a test server)" },
	[TV_CA_FILE] = { .name = "ca_file", .type = CFG_STR,
	    .help = "CA certificates to trust instead of the system's" },
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

static enum rd_code RD_CHECK
verify_fail(const struct http_response *resp, const struct be_reply *reply,
    struct rd_err *err)
{
	return rd_err_set(err, RD_BACKEND,
	    _("Twilio Verify answered %ld: %s %s"),
	    resp->status, reply->code, reply->message);
}

static enum rd_code RD_CHECK
verify_post(const struct be_call *call, const char *what, struct rd_buf *form,
    const char *code, struct http_response *resp, struct be_reply *reply,
    struct rd_err *err)
{
	const char		*sid = cfg_str(call->own, TV_ACCOUNT_SID);
	const char		*token = cfg_str(call->own, TV_AUTH_TOKEN);
	const char		*redact[3];
	struct http_request	 req = { 0 };
	char			*svc, *path, *url;
	enum rd_code		 rc;

	if (sid == NULL || token == NULL || cfg_str(call->own, TV_SERVICE_SID) == NULL)
		return rd_err_set(err, RD_CONFIG, _("%s: account_sid, "
		    "auth_token and service_sid are needed"), call->method);
	svc = http_escape(cfg_str(call->own, TV_SERVICE_SID));
	path = xasprintf("/v2/Services/%s/%s", svc, what);
	url = http_url(cfg_str(call->own, TV_API_BASE), path);
	redact[0] = token;
	redact[1] = code;
	redact[2] = NULL;
	req.method = "POST";
	req.url = url;
	req.ca_file = cfg_str(call->own, TV_CA_FILE);
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

static enum rd_code RD_CHECK
verify_start(const struct be_call *call, const struct be_message *msg,
    struct be_reply *reply, struct rd_err *err)
{
	const char		*channel = cfg_str(call->own, TV_CHANNEL);
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
		rc = rd_err_set(err, RD_BACKEND, _("Twilio Verify answered %ld "
		    "with an unreadable body"), resp.status);
	else if (resp.status < 200 || resp.status > 299)
		rc = verify_fail(&resp, reply, err);
	else if (!http_json_text(a.root, "sid", reply->request_id,
	    sizeof reply->request_id) || reply->request_id[0] == '\0')
		rc = rd_err_set(err, RD_BACKEND, _("Twilio Verify answered %ld "
		    "without a verification sid"), resp.status);
	else
		snprintf(reply->message, sizeof reply->message, "%s",
		    a.status[0] ? a.status : "pending");
	cJSON_Delete(a.root);
	http_response_free(&resp);
	return rc;
}

/* A 2xx check: the verification's status says what happened. */
static enum rd_code RD_CHECK
verify_status(const struct http_response *resp, const struct verify_answer *a,
    struct be_reply *reply, struct rd_err *err)
{
	snprintf(reply->message, sizeof reply->message, "%s", a->status);
	if (strcmp(a->status, "approved") == 0)
		return RD_OK;
	if (strcmp(a->status, "pending") == 0)
		return rd_err_set(err, RD_INVALID_CODE, _("Twilio Verify: the "
		    "code does not match"));
	if (strcmp(a->status, "max_attempts_reached") == 0)
		return rd_err_set(err, RD_LOCKED_OUT, _("Twilio Verify: too "
		    "many wrong codes for this verification"));
	if (strcmp(a->status, "expired") == 0 ||
	    strcmp(a->status, "canceled") == 0 ||
	    strcmp(a->status, "deleted") == 0)
		return rd_err_set(err, RD_EXPIRED, _("Twilio Verify: the "
		    "verification is %s"), a->status);
	return rd_err_set(err, RD_BACKEND, _("Twilio Verify answered %ld with "
	    "status '%s'"), resp->status, a->status);
}

static enum rd_code RD_CHECK
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
		rc = rd_err_set(err, RD_BACKEND, _("Twilio Verify answered %ld "
		    "with an unreadable body"), resp.status);
	else if (resp.status >= 200 && resp.status <= 299)
		rc = verify_status(&resp, &a, reply, err);
	else if (resp.status == 429 && strcmp(reply->code, "60202") == 0)
		rc = rd_err_set(err, RD_LOCKED_OUT, _("Twilio Verify answered "
		    "429: %s %s"), reply->code, reply->message);
	else if (resp.status == 404)
		rc = rd_err_set(err, RD_EXPIRED, _("Twilio Verify answered "
		    "404: %s %s (expired, used or unknown)"), reply->code,
		    reply->message);
	else
		rc = verify_fail(&resp, reply, err);
	cJSON_Delete(a.root);
	http_response_free(&resp);
	return rc;
}

static const struct be_verify_ops twilio_verify_ops = {
	.start = verify_start,
	.check = verify_check,
};

const struct backend be_twilio_verify = {
	.cfg = {
		.name = "twilio_verify",
		.keys = verify_keys,
		.nkeys = TV_COUNT,
		.source_field = "phone",
	},
	.kind = BE_VERIFY,
	.verify = &twilio_verify_ops,
};
