/*
 * kind-verify.c: methods whose provider makes and checks the code (Twilio
 * Verify, Vonage Verify).  We keep only the provider's request id, sealed,
 * and ask the provider only about a verification it started, since every
 * question costs one of the provider's attempts.
 */
#include <string.h>

#include "flow.h"
#include "i18n.h"
#include "kind.h"
#include "util.h"

static enum rd_code RD_CHECK
verify_carry(const struct backend *be, const struct be_call *call,
    const struct be_message *msg, struct be_reply *reply, struct rd_err *err)
{
	return be->verify->start(call, msg, reply, err);
}

static enum rd_code RD_CHECK
verify_settle(struct rd_ctx *ctx, struct vault_method *vm, bool sent,
    const struct be_reply *reply, struct rd_err *err)
{
	(void)ctx;
	(void)err;
	if (!sent)
		return RD_OK;
	secret_release(vm->request_id);
	vm->request_id = secret_strdup(reply->request_id);
	return RD_OK;
}

static bool
verify_candidate(const struct vault_method *vm, const char *code,
    bool designated)
{
	/* Asking a provider costs one of its attempts: only when sent to. */
	return kind_all_digits(code) && (designated || vm->request_id != NULL);
}

static enum rd_code RD_CHECK
verify_check(struct rd_ctx *ctx, const struct vault_user *u,
    const struct method_cfg *mc, struct vault_method *vm, const char *code,
    bool designated, struct rd_err *err)
{
	struct be_call	call;
	struct be_reply	reply;
	struct rd_err	e2;
	enum rd_code	rc, rc2;

	(void)designated;
	if (vm->request_id == NULL)
		return rd_err_set(err, RD_INVALID_CODE, _("no verification is "
		    "running for %s; request a code"), vm->name);
	flow_call(ctx, mc, u->name, &call);
	memset(&reply, 0, sizeof reply);
	rc = kind_backend(mc)->verify->check(&call, vm->request_id, code,
	    &reply, err);
	if (rc == RD_OK || rc == RD_EXPIRED || rc == RD_LOCKED_OUT) {
		/* The provider's verification is over either way. */
		secret_release(vm->request_id);
		vm->request_id = NULL;
		if ((rc2 = vault_method_put(ctx->vault, vm, &e2)) != RD_OK) {
			*err = e2;
			return rc2;
		}
	}
	return rc;
}

const struct kind_ops kind_verify = {
	.name = "verify",
	.sends_code = true,
	.prompt = N_("Type the code that was sent."),
	.code_label = N_("Code"),
	.facts = kind_facts_channel,
	.issue = kind_issue_channel,
	.carry = verify_carry,
	.settle = verify_settle,
	.candidate = verify_candidate,
	.check = verify_check,
	.test = kind_test_carry,
};
