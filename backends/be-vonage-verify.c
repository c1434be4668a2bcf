/*
 * be-vonage-verify.c: provider-made codes through Vonage (Nexmo) Verify v1
 * (docs/protocols.md §4).  start() posts /verify/json and keeps the
 * request_id; check_code() posts /verify/check/json.
 *
 * Vonage answers HTTP 200 to API errors as well: the outcome is the string
 * "status" ("0" is success) and "error_text".  The credentials travel in
 * the form body, so the transcript redacts the secret there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../src/util.h"
#include "backend.h"
#include "http.h"

/* Vonage takes at most this many characters of brand and cuts the rest. */
#define VONAGE_BRAND_MAX	18

enum vonage_key {
	VN_API_KEY,
	VN_API_SECRET,
	VN_BRAND,
	VN_CODE_LENGTH,
	VN_API_BASE,
	VN_CA_FILE,
	VN_COUNT
};

static const struct cfg_key vonage_keys[VN_COUNT] = {
	[VN_API_KEY] = { .name = "api_key", .type = CFG_STR,
	    .flags = CFG_REQUIRED, .help = "API key of the Vonage account" },
	[VN_API_SECRET] = { .name = "api_secret", .type = CFG_STR,
	    .flags = CFG_REQUIRED | CFG_SECRET,
	    .help = "API secret of the Vonage account" },
	[VN_BRAND] = { .name = "brand", .type = CFG_STR,
	    .flags = CFG_ISSUER_DEF, .maxchars = VONAGE_BRAND_MAX,
	    .help = "name in the message, up to 18 characters (default: the "
	    "issuer)" },
	[VN_CODE_LENGTH] = { .name = "code_length", .type = CFG_ENUM,
	    .def = "6", .choices = "4|6",
	    .help = "digits of the code Vonage makes" },
	[VN_API_BASE] = { .name = "api_base", .type = CFG_STR,
	    .def = "https://api.nexmo.com", .flags = CFG_URL,
	    .help = "where the API lives (a test server)" },
	[VN_CA_FILE] = { .name = "ca_file", .type = CFG_STR,
	    .help = "CA certificates to trust instead of the system's" },
};

/*
 * The brand, else the issuer.  Vonage cuts a longer one without a word,
 * so the config refuses it (maxchars): what goes out is what was written.
 */
static const char *
vonage_brand(const struct be_call *call)
{
	const char	*b = cfg_str(call->own, VN_BRAND);

	if (b == NULL || *b == '\0')
		b = call->issuer != NULL && *call->issuer ? call->issuer :
		    "redoubt";
	return b;
}

/*
 * POST form to path and read "status" into reply->code and "error_text"
 * into reply->message; *root holds the parsed body on RD_OK.
 */
static enum rd_code RD_CHECK
vonage_post(const struct be_call *call, const char *path, struct rd_buf *form,
    const char *code, cJSON **root, struct be_reply *reply,
    struct rd_err *err)
{
	const char		*secret = cfg_str(call->own, VN_API_SECRET);
	const char		*redact[3];
	struct http_request	 req = { 0 };
	struct http_response	 resp;
	char			*url;
	enum rd_code		 rc;

	*root = NULL;
	url = http_url(cfg_str(call->own, VN_API_BASE), path);
	redact[0] = secret;
	redact[1] = code;
	redact[2] = NULL;
	req.method = "POST";
	req.url = url;
	req.ca_file = cfg_str(call->own, VN_CA_FILE);
	req.form = form->data;
	req.redact = redact;
	rc = http_perform(call, &req, &resp, reply, err);
	free(url);
	if (rc != RD_OK)
		return rc;
	*root = cJSON_ParseWithLength(resp.body, resp.len);
	if (!cJSON_IsObject(*root) ||
	    !http_json_text(*root, "status", reply->code, sizeof reply->code)) {
		rc = rd_err_set(err, RD_BACKEND, "Vonage answered %ld with an "
		    "unreadable body", resp.status);
		cJSON_Delete(*root);
		*root = NULL;
	} else {
		http_json_text(*root, "error_text", reply->message,
		    sizeof reply->message);
		if (resp.status != 200) {
			rc = rd_err_set(err, RD_BACKEND, "Vonage answered %ld: "
			    "status %s %s", resp.status, reply->code,
			    reply->message);
			cJSON_Delete(*root);
			*root = NULL;
		}
	}
	http_response_free(&resp);
	return rc;
}

static void
vonage_form(const struct be_call *call, struct rd_buf *form)
{
	rd_buf_init(form, 0);
	http_form_add(form, "api_key", cfg_str(call->own, VN_API_KEY));
	http_form_add(form, "api_secret",
	    cfg_str(call->own, VN_API_SECRET));
}

static enum rd_code RD_CHECK
vonage_start(const struct be_call *call, const struct be_message *msg,
    struct be_reply *reply, struct rd_err *err)
{
	const char	*len = cfg_str(call->own, VN_CODE_LENGTH);
	struct rd_buf	 form;
	cJSON		*root;
	enum rd_code	 rc;

	if (cfg_str(call->own, VN_API_KEY) == NULL ||
	    cfg_str(call->own, VN_API_SECRET) == NULL)
		return rd_err_set(err, RD_CONFIG, "%s: api_key and api_secret "
		    "are needed", call->method);
	vonage_form(call, &form);
	http_form_add(&form, "number", msg->to + (msg->to[0] == '+'));
	http_form_add(&form, "brand", vonage_brand(call));
	http_form_add(&form, "code_length", len ? len : "6");
	rc = vonage_post(call, "/verify/json", &form, NULL, &root, reply, err);
	rd_buf_free(&form);
	if (rc != RD_OK)
		return rc;
	if (strcmp(reply->code, "0") != 0)
		rc = rd_err_set(err, RD_BACKEND, "Vonage Verify: status %s %s",
		    reply->code, reply->message);
	else if (!http_json_text(root, "request_id", reply->request_id,
	    sizeof reply->request_id) || reply->request_id[0] == '\0')
		rc = rd_err_set(err, RD_BACKEND, "Vonage Verify answered "
		    "without a request_id");
	cJSON_Delete(root);
	return rc;
}

static enum rd_code RD_CHECK
vonage_check(const struct be_call *call, const char *request_id,
    const char *code, struct be_reply *reply, struct rd_err *err)
{
	struct rd_buf	 form;
	cJSON		*root;
	enum rd_code	 rc;

	if (cfg_str(call->own, VN_API_KEY) == NULL ||
	    cfg_str(call->own, VN_API_SECRET) == NULL)
		return rd_err_set(err, RD_CONFIG, "%s: api_key and api_secret "
		    "are needed", call->method);
	vonage_form(call, &form);
	http_form_add(&form, "request_id", request_id);
	http_form_add(&form, "code", code);
	rc = vonage_post(call, "/verify/check/json", &form, code, &root,
	    reply, err);
	rd_buf_free(&form);
	if (rc != RD_OK)
		return rc;
	cJSON_Delete(root);
	if (strcmp(reply->code, "0") == 0)
		return RD_OK;
	if (strcmp(reply->code, "16") == 0)
		return rd_err_set(err, RD_INVALID_CODE, "Vonage Verify: the "
		    "code does not match");
	if (strcmp(reply->code, "17") == 0)
		return rd_err_set(err, RD_LOCKED_OUT, "Vonage Verify: wrong "
		    "code given too many times; the request is failed");
	if (strcmp(reply->code, "6") == 0)
		return rd_err_set(err, RD_EXPIRED, "Vonage Verify: the request "
		    "is unknown or no longer active");
	return rd_err_set(err, RD_BACKEND, "Vonage Verify: status %s %s",
	    reply->code, reply->message);
}

static const struct be_verify_ops vonage_verify_ops = {
	.start = vonage_start,
	.check = vonage_check,
};

const struct backend be_vonage_verify = {
	.cfg = {
		.name = "vonage_verify",
		.keys = vonage_keys,
		.nkeys = VN_COUNT,
		.source_field = "phone",
	},
	.kind = BE_VERIFY,
	.verify = &vonage_verify_ops,
};
