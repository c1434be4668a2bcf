/*
 * backend.c: the registry of handlers and what they share: template
 * expansion of {code}, {user}, {issuer}, {validity} and {minutes}.
 * {validity} says how long the code lives as every screen says it
 * (words_duration: "1 minute", "90 seconds", "10 minutes"); {minutes} is
 * the bare number, except that "{minutes} minutes", as older templates
 * wrote it, reads as {validity}, so no message says "1 minutes".
 *
 * A handler appears here only when its file really implements it; the
 * config check and `--help` list handlers from this table alone.  The
 * config module reaches the table through cfg_handler_find() (src/cfg.h)
 * and sees only each handler's config face.
 */
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "../src/words.h"
#include "backend.h"

extern const struct backend be_totp, be_hotp, be_outbox;
extern const struct backend be_yubikey, be_yubicloud;
extern const struct backend be_sms_twilio, be_twilio_verify;
extern const struct backend be_sms_smsapi, be_sms_sns, be_vonage_verify;
extern const struct backend be_email;
extern const struct backend be_exec;

static const struct backend *const backend_list[] = {
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
backend_at(size_t i)
{
	return i < sizeof backend_list / sizeof backend_list[0] ?
	    backend_list[i] : NULL;
}

const struct backend *
backend_find(const char *name)
{
	size_t	i;

	for (i = 0; backend_list[i] != NULL; i++)
		if (strcmp(backend_list[i]->cfg.name, name) == 0)
			return backend_list[i];
	return NULL;
}

const struct backend *
backend_of(const struct cfg_handler *h)
{
	/* h is the first member of its struct backend (C11 6.7.2.1p15). */
	return (const struct backend *)(const void *)h;
}

const struct cfg_handler *
cfg_handler_find(const char *name)
{
	const struct backend	*be = backend_find(name);

	return be != NULL ? &be->cfg : NULL;
}

const struct cfg_handler *
cfg_handler_at(size_t i)
{
	const struct backend	*be = backend_at(i);

	return be != NULL ? &be->cfg : NULL;
}

/* How long the code lives, in words. */
static void
expand_validity(const struct be_message *msg, struct rd_buf *out)
{
	char	dur[64];

	/* A test message gives only the minutes. */
	words_duration(msg->seconds > 0 ? msg->seconds :
	    (long)msg->minutes * 60, dur, sizeof dur);
	rd_buf_addstr(out, dur);
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
			if (str_has_prefix(p, "{validity}")) {
				expand_validity(msg, out);
				p += 9;
				continue;
			}
			if (str_has_prefix(p, "{minutes} minutes")) {
				expand_validity(msg, out);
				p += 16;
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

const char *
backend_text(const struct cfg_section *own, int key)
{
	const char	*v = cfg_str(own, key);

	/* Only the built-in default is translated: the operator's own
	   text goes out exactly as written. */
	if (v == NULL || (own->vals != NULL && own->vals[key] != NULL))
		return v;
	return _(v);
}
