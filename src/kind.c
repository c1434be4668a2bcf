/*
 * kind.c: the table of kinds, indexed by the kind a backend declares, and
 * what all kinds share: the facts the faces show about a method, a call
 * to a method's backend, a test that is a real send (to a phone number
 * written as people write it, like user add), and the facts of a channel
 * method (where its codes go).
 */
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "kind.h"
#include "secret.h"
#include "user.h"

static const struct kind_ops *const kinds[BE_KIND_COUNT] = {
	[BE_CODE] = &kind_code,
	[BE_VERIFY] = &kind_verify,
	[BE_APP] = &kind_app,
	[BE_DEVICE] = &kind_device,
};

const struct backend *
kind_backend(const struct method_cfg *mc)
{
	return backend_of(mc->handler);
}

const struct kind_ops *
kind_of(const struct method_cfg *mc)
{
	return kinds[kind_backend(mc)->kind];
}

void
kind_call(const struct method_cfg *mc, struct be_call *call)
{
	memset(call, 0, sizeof *call);
	call->method = mc->name;
	call->own = &mc->own;
	call->timeout = method_int(mc, MK_TIMEOUT);
}

void
kind_info(const struct method_cfg *mc, cJSON *obj)
{
	const struct kind_ops	*k = kind_of(mc);

	json_str(obj, "kind", k->name);
	json_bool(obj, "sends_code", k->sends_code);
	/* Words for the screens; --json keeps them English (LC_MESSAGES=C). */
	json_str(obj, "prompt", _(k->prompt));
	json_str(obj, "code_label", _(k->code_label));
	json_bool(obj, "testable", k->test != NULL);
	json_str(obj, "verbose_name", method_verbose_name(mc));
	/* Codes kept in the vault's outbox: a face may show them inline. */
	json_bool(obj, "to_outbox", mc->handler->keeps_codes);
	if (k->info != NULL)
		k->info(mc, obj);
}

enum rd_code
kind_test_carry(struct rd_ctx *ctx, const struct method_cfg *mc,
    const struct be_call *call, const char *recipient, const char *code,
    struct be_reply *reply, struct rd_err *err)
{
	struct be_message	msg;
	const char		*field = method_source_field(mc);
	char			 phone[USER_PHONE_MAX];
	enum rd_code		 rc;

	(void)ctx;
	/* A phone number as people write it, as user add takes it. */
	if (field != NULL && strcmp(field, "phone") == 0) {
		if ((rc = user_phone_normalise(recipient, phone, err)) != RD_OK)
			return rc;
		recipient = phone;
	}
	memset(&msg, 0, sizeof msg);
	msg.to = recipient;
	msg.code = code;
	msg.minutes = (int)((method_validity(mc) + 59) / 60);
	msg.test = true;
	return kind_of(mc)->carry(kind_backend(mc), call, &msg, reply, err);
}

enum rd_code
kind_issue_channel(struct rd_ctx *ctx, const struct vault_user *u,
    const struct method_cfg *mc, struct vault_method *vm, struct rd_err *err)
{
	(void)ctx;
	(void)vm;
	/* The code is made when it is sent; where it goes must be known. */
	if (flow_destination(u, mc) == NULL)
		return flow_no_destination(u, mc, err);
	return RD_OK;
}

void
kind_facts_channel(const struct vault_user *u, const struct method_cfg *mc,
    const struct vault_method *vm, cJSON *obj)
{
	const char	*to = flow_destination(u, mc);
	char		*masked;

	(void)vm;
	/* Masked as the user being enrolled sees it; the user's row has it
	   whole. */
	if (to == NULL)
		return;
	masked = mask_destination(to);
	json_str(obj, "destination", masked);
	free(masked);
}

bool
kind_all_digits(const char *code)
{
	for (; *code != '\0'; code++)
		if (*code < '0' || *code > '9')
			return false;
	return true;
}
