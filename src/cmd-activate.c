/*
 * cmd-activate.c: `redoubt activate USER METHOD [CODE]`: start enrolling
 * a user in a method.  The method becomes pending with fresh material:
 * an app gets a secret (shown once, as an otpauth URI), a code channel
 * sends a code, a verify channel starts a verification, a device asks for
 * its key.  A user who already has an active method must prove it with a
 * code first (require_code_to_add), so a stolen password alone cannot add
 * an attacker's phone.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "flow.h"
#include "otp.h"
#include "util.h"

static enum rd_code
activate_material(struct rd_ctx *ctx, const struct vault_user *u,
    const struct method_cfg *mc, struct vault_method *vm, struct rd_err *err)
{
	struct be_device	dev;
	struct be_call		call;
	char			input[512] = "";
	enum rd_code		rc;

	secret_free_bytes(vm->secret, vm->secret_len + 1);
	secret_free(vm->request_id);
	vm->secret = NULL;
	vm->secret_len = 0;
	vm->request_id = NULL;
	vm->counter = -1;
	switch (mc->be->kind) {
	case BE_APP:
		vm->secret_len = (size_t)config_int(ctx->cfg, "secret_length");
		vm->secret = xmalloc(vm->secret_len + 1);
		env_random(ctx->env, vm->secret, vm->secret_len);
		vm->secret[vm->secret_len] = 0;
		return RD_OK;
	case BE_DEVICE:
		if (mc->be->enrol_prompt != NULL && (rc = ctx->ask(ctx->ask_arg,
		    mc->be->enrol_prompt, input, sizeof input, err)) != RD_OK)
			return rc;
		flow_call(ctx, mc, u->name, &call);
		memset(&dev, 0, sizeof dev);
		rc = mc->be->enrol(&call, input, &dev, err);
		sodium_memzero(input, sizeof input);
		if (rc == RD_OK)
			flow_device_store(&dev, vm);
		sodium_memzero(&dev, sizeof dev);
		return rc;
	default:
		if (flow_destination(u, mc) == NULL)
			return rd_err_set(err, RD_BAD_STATE, "user %s has no %s "
			    "for method %s; set it with: user set %s --%s",
			    u->name, method_source_field(mc), vm->name, u->name,
			    method_source_field(mc));
		return RD_OK;
	}
}

static void
activate_app_output(struct rd_ctx *ctx, const struct vault_user *u,
    const struct method_cfg *mc, const struct vault_method *vm, cJSON *out)
{
	struct otp_uri	 ou;
	char		*uri, *b32, grouped[160];
	size_t		 i, j = 0;

	memset(&ou, 0, sizeof ou);
	ou.type = mc->be->name;
	ou.issuer = config_str(ctx->cfg, "issuer");
	ou.account = u->name;
	ou.key = vm->secret;
	ou.keylen = vm->secret_len;
	otp_algo_parse(method_str(mc, "algorithm"), &ou.algo);
	ou.digits = (int)method_int(mc, "digits");
	if (strcmp(ou.type, "totp") == 0)
		ou.period = (int)method_int(mc, "period");
	else
		ou.counter = 0;
	uri = otp_uri(&ou);
	json_str(out, "otpauth_uri", uri);
	secret_free(uri);
	/* In groups of four, for typing into an app by hand. */
	b32 = otp_base32(vm->secret, vm->secret_len);
	for (i = 0; b32 != NULL && b32[i] != '\0' && j + 2 < sizeof grouped;
	    i++) {
		if (i > 0 && i % 4 == 0)
			grouped[j++] = ' ';
		grouped[j++] = b32[i];
	}
	grouped[j] = '\0';
	json_str(out, "secret", grouped);
	sodium_memzero(grouped, sizeof grouped);
	secret_free(b32);
}

static enum rd_code
activate_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const struct method_cfg	*mc;
	struct vault_user	 u;
	struct vault_method	 vm, *list = NULL;
	size_t			 n = 0, i;
	bool			 has_active = false;
	char			 code[FLOW_CODE_MAX + 1], used[VAULT_METHOD_MAX + 1];
	char			*sent_to = NULL;
	long			 expires_in = 0;
	enum rd_code		 rc;

	memset(&vm, 0, sizeof vm);
	if ((rc = flow_method_cfg(ctx, in->pos[1], &mc, err)) != RD_OK)
		return rc;
	if ((rc = flow_begin_user(ctx, in->pos[0], true, &u, err)) != RD_OK)
		return rc;
	if ((rc = vault_method_list(ctx->vault, u.id, &list, &n, err)) != RD_OK)
		goto end;
	for (i = 0; i < n; i++) {
		if (list[i].state == VAULT_ACTIVE)
			has_active = true;
		if (strcmp(list[i].name, mc->name) == 0 &&
		    list[i].state == VAULT_ACTIVE) {
			rc = rd_err_set(err, RD_EXISTS, "method %s of user %s "
			    "is active already", mc->name, u.name);
			goto end;
		}
	}
	if (has_active && config_bool(ctx->cfg, "require_code_to_add")) {
		if (in->npos < 3) {
			rc = rd_err_set(err, RD_NOT_ALLOWED, "user %s has an "
			    "active method: adding %s needs a code from it",
			    u.name, mc->name);
			goto end;
		}
		if ((rc = flow_code_arg(ctx, in->pos[2], code, sizeof code,
		    err)) != RD_OK ||
		    (rc = flow_check_any(ctx, &u, NULL, true, code, "activate",
		    used, err)) != RD_OK)
			goto end;
	}
	/* Enrolling again while pending keeps the row (and its cooldown). */
	rc = vault_method_get(ctx->vault, u.id, mc->name, &vm, err);
	if (rc == RD_NOT_FOUND) {
		memset(&vm, 0, sizeof vm);
		vm.user_id = u.id;
		snprintf(vm.name, sizeof vm.name, "%s", mc->name);
		vm.created = env_now(ctx->env);
	} else if (rc != RD_OK)
		goto end;
	snprintf(vm.handler, sizeof vm.handler, "%s", mc->be->name);
	vm.state = VAULT_PENDING;
	vm.primary = false;
	if ((rc = activate_material(ctx, &u, mc, &vm, err)) != RD_OK ||
	    (rc = vault_method_put(ctx->vault, &vm, err)) != RD_OK ||
	    (rc = flow_audit(ctx, u.name, "activate", "pending", mc->name,
	    err)) != RD_OK)
		goto end;
	if ((rc = flow_end(ctx, rc, err)) != RD_OK)
		goto out;
	json_str(out, "user", u.name);
	json_str(out, "method", mc->name);
	json_str(out, "state", "pending");
	switch (mc->be->kind) {
	case BE_APP:
		activate_app_output(ctx, &u, mc, &vm, out);
		break;
	case BE_DEVICE:
		json_str(out, "prompt", "touch the key, then confirm with its "
		    "OTP");
		break;
	default:
		if ((rc = flow_send(ctx, &u, &vm, mc, &sent_to, &expires_in,
		    err)) != RD_OK)
			goto out;
		json_str(out, "sent_to", sent_to);
		cJSON_AddNumberToObject(out, "expires_in", (double)expires_in);
		break;
	}
	goto out;
end:
	rc = flow_end(ctx, rc, err);
out:
	sodium_memzero(code, sizeof code);
	free(sent_to);
	vault_method_list_free(list, n);
	vault_method_clear(&vm);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_activate_entry = {
	"activate", "USER METHOD [CODE]", "start enrolling a user in a method",
	2, 3, NULL, 0, activate_exec
};
