/*
 * kind-device.c: keys that make their own one-time passwords (YubiKey
 * OTP, checked offline or by YubiCloud).  Key material given at
 * activation is sealed with the method; the first OTP at confirm binds
 * the key's public id, and the key's counter moves on with every OTP.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "kind.h"
#include "token.h"
#include "util.h"

static void
device_info(const struct method_cfg *mc, cJSON *obj)
{
	const char	*p = kind_backend(mc)->device->enrol_prompt;

	/* What enrolment asks the operator for before anything else. */
	json_str(obj, "enrol_prompt", p != NULL ? _(p) : NULL);
}

static void
device_facts(const struct vault_user *u, const struct method_cfg *mc,
    const struct vault_method *vm, cJSON *obj)
{
	struct be_device	dev;
	char			serial[TOKEN_SERIAL_MAX + 1];

	(void)u;
	(void)mc;
	/* An imported key is known by its serial. */
	if (vm->params != NULL && token_params_get(vm->params, "serial",
	    serial, sizeof serial))
		json_str(obj, "serial", serial);
	/* The public id names the key and is in every OTP it types; the
	   key material next to it stays where it is. */
	flow_device_load(vm, &dev);
	if (dev.public_id[0] != '\0')
		json_str(obj, "public_id", dev.public_id);
	sodium_memzero(&dev, sizeof dev);
}

/* A key whose material is a Yubico OTP AES key holds YubiKey tokens. */
static int
device_token(const struct method_cfg *mc)
{
	return kind_backend(mc)->device->yubico_aes ? TOKEN_YUBIKEY : -1;
}

static enum rd_code RD_CHECK
device_issue(struct rd_ctx *ctx, const struct vault_user *u,
    const struct method_cfg *mc, struct vault_method *vm, struct rd_err *err)
{
	const struct be_device_ops	*ops = kind_backend(mc)->device;
	struct be_device		 dev;
	struct be_call			 call;
	char				*input = secret_alloc(512);
	enum rd_code			 rc;

	if (ops->enrol_prompt != NULL && (rc = ctx->ask(ctx->ask_arg,
	    ops->enrol_prompt, input, 512, err)) != RD_OK) {
		secret_release(input);
		return rc;
	}
	flow_call(ctx, mc, u->name, &call);
	memset(&dev, 0, sizeof dev);
	rc = ops->enrol(&call, input, &dev, err);
	secret_release(input);
	if (rc == RD_OK)
		flow_device_store(&dev, vm);
	sodium_memzero(&dev, sizeof dev);
	return rc;
}

static bool
device_candidate(const struct vault_method *vm, const char *code,
    bool designated)
{
	(void)vm;
	(void)designated;
	return !kind_all_digits(code);
}

static enum rd_code RD_CHECK
device_check(struct rd_ctx *ctx, const struct vault_user *u,
    const struct method_cfg *mc, struct vault_method *vm, const char *code,
    bool designated, struct rd_err *err)
{
	struct be_call		call;
	struct be_reply		reply;
	struct be_device	dev;
	int64_t			before = vm->counter;
	enum rd_code		rc;

	(void)designated;
	flow_call(ctx, mc, u->name, &call);
	flow_device_load(vm, &dev);
	memset(&reply, 0, sizeof reply);
	rc = kind_backend(mc)->device->validate(&call, &dev, code, &reply,
	    err);
	if (rc != RD_OK)
		goto out;
	if (dev.public_id[0] == '\0')
		snprintf(dev.public_id, sizeof dev.public_id, "%s",
		    reply.public_id);
	if (dev.counter > before &&
	    (rc = vault_method_advance(ctx->vault, vm, dev.counter, err)) !=
	    RD_OK)
		goto out;
	flow_device_store(&dev, vm);
	rc = vault_method_put(ctx->vault, vm, err);
out:
	sodium_memzero(&dev, sizeof dev);
	return rc;
}

/* An OTP given as the recipient, checked against a key not yet bound. */
static enum rd_code RD_CHECK
device_test(struct rd_ctx *ctx, const struct method_cfg *mc,
    const struct be_call *call, const char *recipient, const char *code,
    struct be_reply *reply, struct rd_err *err)
{
	const struct be_device_ops	*ops = kind_backend(mc)->device;
	struct be_device		 dev;
	enum rd_code			 rc;

	(void)ctx;
	(void)code;
	memset(&dev, 0, sizeof dev);
	dev.counter = -1;
	rc = ops->enrol(call, "", &dev, err);
	/* A handler that needs key material cannot enrol "": check anyway. */
	if (rc == RD_OK || ops->enrol_prompt != NULL)
		rc = ops->validate(call, &dev, recipient, reply, err);
	sodium_memzero(&dev, sizeof dev);
	return rc;
}

const struct kind_ops kind_device = {
	.name = "device",
	.sends_code = false,
	.prompt = N_("Touch the key: it types its one-time password into "
	    "the field below (ending with Enter)."),
	.code_label = N_("OTP"),
	.test_otp = true,
	.info = device_info,
	.facts = device_facts,
	.token = device_token,
	.issue = device_issue,
	.candidate = device_candidate,
	.check = device_check,
	.test = device_test,
};
