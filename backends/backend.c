/*
 * backend.c: the registry of handlers and what they share: template
 * expansion of {code}, {user}, {issuer} and {minutes}.
 *
 * A handler appears here only when its file really implements it; the
 * config check and `--help` list handlers from this table alone.
 */
#include <string.h>

#include "../src/util.h"
#include "backend.h"

extern const struct backend be_totp, be_hotp, be_outbox;
extern const struct backend be_yubikey, be_yubicloud;
extern const struct backend be_sms_twilio, be_twilio_verify;
extern const struct backend be_sms_smsapi, be_sms_sns, be_vonage_verify;
extern const struct backend be_email;
extern const struct backend be_exec;

const struct backend *const backend_list[] = {
	&be_totp,
	&be_hotp,
	&be_outbox,
	&be_yubikey,
	&be_yubicloud,
	&be_sms_twilio,
	&be_twilio_verify,
	&be_sms_smsapi,
	&be_sms_sns,
	&be_vonage_verify,
	&be_email,
	&be_exec,
	NULL
};

const struct backend *
backend_find(const char *name)
{
	size_t	i;

	for (i = 0; backend_list[i] != NULL; i++)
		if (strcmp(backend_list[i]->name, name) == 0)
			return backend_list[i];
	return NULL;
}

const char *
backend_kind_name(enum be_kind kind)
{
	switch (kind) {
	case BE_CODE:
		return "code";
	case BE_VERIFY:
		return "verify";
	case BE_APP:
		return "app";
	case BE_DEVICE:
		return "device";
	}
	return "?";
}

void
backend_expand(const char *tpl, const struct be_call *call,
    const struct be_message *msg, struct rd_buf *out)
{
	const char	*p;

	for (p = tpl; *p != '\0'; p++) {
		if (*p == '{') {
			if (str_has_prefix(p, "{code}")) {
				rd_buf_addstr(out, msg->code ? msg->code : "");
				p += 5;
				continue;
			}
			if (str_has_prefix(p, "{user}")) {
				rd_buf_addstr(out, call->user ? call->user : "");
				p += 5;
				continue;
			}
			if (str_has_prefix(p, "{issuer}")) {
				rd_buf_addstr(out, call->issuer ? call->issuer : "");
				p += 7;
				continue;
			}
			if (str_has_prefix(p, "{minutes}")) {
				rd_buf_printf(out, "%d", msg->minutes);
				p += 8;
				continue;
			}
		}
		rd_buf_add(out, p, 1);
	}
}
