/*
 * kind-code.c: methods whose codes we make and a channel carries (e-mail,
 * SMS, outbox, exec).  The code is random digits from libsodium, kept
 * only as a keyed hash with its expiry and attempts left; it dies when
 * used, replaced, expired or out of attempts.
 */
#include <string.h>

#include "env.h"
#include "flow.h"
#include "i18n.h"
#include "kind.h"
#include "secret.h"

static enum rd_code RD_CHECK
code_prepare(struct rd_ctx *ctx, const struct vault_method *vm,
    char code[KIND_CODE_MAX], int64_t expires, struct rd_err *err)
{
	secret_code(ctx->env, (int)config_int(ctx->cfg, CK_CODE_DIGITS), code);
	return vault_code_put(ctx->vault, vm->id, code, expires,
	    (int)config_int(ctx->cfg, CK_CODE_ATTEMPTS), err);
}

static enum rd_code RD_CHECK
code_carry(const struct backend *be, const struct be_call *call,
    const struct be_message *msg, struct be_reply *reply, struct rd_err *err)
{
	return be->code->send(call, msg, reply, err);
}

static enum rd_code RD_CHECK
code_settle(struct rd_ctx *ctx, struct vault_method *vm, bool sent,
    const struct be_reply *reply, struct rd_err *err)
{
	(void)reply;
	/* A code that never left must not be guessable. */
	if (sent)
		return RD_OK;
	return vault_code_drop(ctx->vault, vm->id, err);
}

static bool
code_candidate(const struct vault_method *vm, const char *code,
    bool designated)
{
	(void)vm;
	(void)designated;
	return kind_all_digits(code);
}

static enum rd_code RD_CHECK
code_check(struct rd_ctx *ctx, const struct vault_user *u,
    const struct method_cfg *mc, struct vault_method *vm, const char *code,
    bool designated, struct rd_err *err)
{
	struct vault_code_check	st;
	enum rd_code		rc;

	(void)u;
	(void)mc;
	if ((rc = vault_code_check(ctx->vault, vm->id, code, &st, err)) !=
	    RD_OK)
		return rc;
	if (!st.present)
		return rd_err_set(err, RD_INVALID_CODE, _("no code is waiting "
		    "for %s; request one"), vm->name);
	if (env_now(ctx->env) >= st.expires) {
		if ((rc = vault_code_drop(ctx->vault, vm->id, err)) != RD_OK)
			return rc;
		return rd_err_set(err, RD_EXPIRED, _("the code for %s has "
		    "expired; request a new one"), vm->name);
	}
	if (st.match)
		return vault_code_drop(ctx->vault, vm->id, err);
	/* Every wrong try spends one, whichever method it was meant for. */
	if ((rc = vault_code_fail(ctx->vault, vm->id, err)) != RD_OK)
		return rc;
	if (designated && st.attempts <= 1)
		return rd_err_set(err, RD_INVALID_CODE, _("wrong code for %s; "
		    "that was the last try, request a new code"), vm->name);
	return rd_err_set(err, RD_INVALID_CODE,
	    _("wrong code for %s"), vm->name);
}

const struct kind_ops kind_code = {
	.name = "code",
	.sends_code = true,
	.prompt = N_("Type the code that was sent."),
	.code_label = N_("Code"),
	.facts = kind_facts_channel,
	.issue = kind_issue_channel,
	.prepare = code_prepare,
	.carry = code_carry,
	.settle = code_settle,
	.candidate = code_candidate,
	.check = code_check,
	.test = kind_test_carry,
};
