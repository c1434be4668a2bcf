/*
 * flow-check.c: checking a code a person typed, for every kind of method,
 * and the login rule of which methods a code may belong to.
 *
 * Each check consumes what it accepts (a TOTP step, an HOTP counter, a
 * channel code, a device counter) with a conditional write, so the same
 * code can never pass twice, even in two processes at once.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "flow.h"
#include "lockout.h"
#include "otp.h"
#include "util.h"

static bool
all_digits(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static enum rd_code
check_app(struct rd_ctx *ctx, struct vault_method *vm,
    const struct method_cfg *mc, const char *code, struct rd_err *err)
{
	enum otp_algo	algo = OTP_SHA1;
	int		digits = (int)method_int(mc, "digits");
	int64_t		first, found = -1;
	int		count;
	enum rd_code	rc;

	otp_algo_parse(method_str(mc, "algorithm"), &algo);
	if (!all_digits(code) || strlen(code) != (size_t)digits)
		return rd_err_set(err, RD_INVALID_CODE, "wrong code for %s "
		    "(it has %d digits)", vm->name, digits);
	if (strcmp(mc->be->name, "totp") == 0) {
		long	window = method_int(mc, "window");

		first = otp_step(env_now(ctx->env), (int)method_int(mc,
		    "period")) - window;
		count = (int)(2 * window + 1);
	} else {
		first = vm->counter + 1;
		count = (int)method_int(mc, "window");
	}
	if (!otp_match(vm->secret, vm->secret_len, first, count, digits, algo,
	    code, &found))
		return rd_err_set(err, RD_INVALID_CODE, "wrong code for %s",
		    vm->name);
	/* A step at or before the last accepted one is a replay. */
	if (found <= vm->counter)
		return rd_err_set(err, RD_INVALID_CODE, "that code of %s was "
		    "already used; wait for the next one", vm->name);
	if ((rc = vault_method_advance(ctx->vault, vm->id, found, err)) !=
	    RD_OK)
		return rc;
	vm->counter = found;
	return RD_OK;
}

static enum rd_code
check_channel(struct rd_ctx *ctx, struct vault_method *vm, const char *code,
    bool designated, struct rd_err *err)
{
	struct vault_code_check	st;
	enum rd_code		rc;

	if ((rc = vault_code_check(ctx->vault, vm->id, code, &st, err)) !=
	    RD_OK)
		return rc;
	if (!st.present)
		return rd_err_set(err, RD_INVALID_CODE, "no code is waiting "
		    "for %s; request one", vm->name);
	if (env_now(ctx->env) >= st.expires) {
		if ((rc = vault_code_drop(ctx->vault, vm->id, err)) != RD_OK)
			return rc;
		return rd_err_set(err, RD_EXPIRED, "the code for %s has "
		    "expired; request a new one", vm->name);
	}
	if (st.match)
		return vault_code_drop(ctx->vault, vm->id, err);
	if (designated && (rc = vault_code_fail(ctx->vault, vm->id, err)) !=
	    RD_OK)
		return rc;
	if (designated && st.attempts <= 1)
		return rd_err_set(err, RD_INVALID_CODE, "wrong code for %s; "
		    "that was the last try, request a new code", vm->name);
	return rd_err_set(err, RD_INVALID_CODE, "wrong code for %s", vm->name);
}

static enum rd_code
check_verify(struct rd_ctx *ctx, const struct vault_user *u,
    struct vault_method *vm, const struct method_cfg *mc, const char *code,
    struct rd_err *err)
{
	struct be_call	call;
	struct be_reply	reply;
	enum rd_code	rc;

	if (vm->request_id == NULL)
		return rd_err_set(err, RD_INVALID_CODE, "no verification is "
		    "running for %s; request a code", vm->name);
	flow_call(ctx, mc, u->name, &call);
	memset(&reply, 0, sizeof reply);
	rc = mc->be->check_code(&call, vm->request_id, code, &reply, err);
	if (rc == RD_OK || rc == RD_EXPIRED || rc == RD_LOCKED_OUT) {
		enum rd_code	rc2;
		struct rd_err	e2;

		/* The provider's verification is over either way. */
		secret_free(vm->request_id);
		vm->request_id = NULL;
		if ((rc2 = vault_method_put(ctx->vault, vm, &e2)) != RD_OK) {
			*err = e2;
			return rc2;
		}
	}
	return rc;
}

static enum rd_code
check_device(struct rd_ctx *ctx, const struct vault_user *u,
    struct vault_method *vm, const struct method_cfg *mc, const char *code,
    struct rd_err *err)
{
	struct be_call		call;
	struct be_reply		reply;
	struct be_device	dev;
	int64_t			before = vm->counter;
	enum rd_code		rc;

	flow_call(ctx, mc, u->name, &call);
	flow_device_load(vm, &dev);
	memset(&reply, 0, sizeof reply);
	rc = mc->be->validate(&call, &dev, code, &reply, err);
	if (rc != RD_OK)
		goto out;
	if (dev.public_id[0] == '\0')
		snprintf(dev.public_id, sizeof dev.public_id, "%s",
		    reply.public_id);
	if (dev.counter > before &&
	    (rc = vault_method_advance(ctx->vault, vm->id, dev.counter,
	    err)) != RD_OK)
		goto out;
	flow_device_store(&dev, vm);
	rc = vault_method_put(ctx->vault, vm, err);
out:
	sodium_memzero(&dev, sizeof dev);
	return rc;
}

enum rd_code
flow_check_method(struct rd_ctx *ctx, const struct vault_user *u,
    struct vault_method *vm, const char *code, bool designated,
    struct rd_err *err)
{
	const struct method_cfg	*mc;

	if ((mc = config_method(ctx->cfg, vm->name)) == NULL)
		return rd_err_set(err, RD_BAD_STATE, "method %s is no longer "
		    "in the config", vm->name);
	if (strcmp(mc->be->name, vm->handler) != 0)
		return rd_err_set(err, RD_BAD_STATE, "method %s was enrolled "
		    "with handler %s but the config now says %s; deactivate "
		    "and activate it again", vm->name, vm->handler,
		    mc->be->name);
	switch (mc->be->kind) {
	case BE_APP:
		return check_app(ctx, vm, mc, code, err);
	case BE_CODE:
		return check_channel(ctx, vm, code, designated, err);
	case BE_VERIFY:
		return check_verify(ctx, u, vm, mc, code, err);
	case BE_DEVICE:
		return check_device(ctx, u, vm, mc, code, err);
	}
	return rd_err_set(err, RD_BAD_STATE, "unknown handler kind");
}

/* Whether a code of this shape could belong to vm at all. */
static bool
candidate(struct rd_ctx *ctx, const struct vault_method *vm,
    const char *code, bool designated)
{
	const struct method_cfg	*mc = config_method(ctx->cfg, vm->name);

	if (mc == NULL || vm->state != VAULT_ACTIVE)
		return false;
	if (mc->be->kind == BE_DEVICE)
		return !all_digits(code);
	if (!all_digits(code))
		return false;
	/* Asking a provider costs one of its attempts: only when sent to. */
	if (mc->be->kind == BE_VERIFY)
		return designated || vm->request_id != NULL;
	return true;
}

enum rd_code
flow_check_any(struct rd_ctx *ctx, const struct vault_user *u,
    const char *only, bool backup_ok, const char *code, const char *action,
    char *used, struct rd_err *err)
{
	struct vault_method	*list = NULL;
	size_t			 n = 0, i;
	enum rd_code		 rc, last = RD_INVALID_CODE;
	struct rd_err		 lasterr;
	int			 pass, tried = 0;

	rd_err_set(&lasterr, RD_INVALID_CODE, "wrong code");
	if ((rc = flow_check_lock(ctx, u, err)) != RD_OK)
		return rc;
	/*
	 * Backup codes serve wherever a code is asked for, or, with
	 * backup_codes_everywhere off, only as a login's second step.
	 */
	if (backup_ok && (config_bool(ctx->cfg, "backup_codes_everywhere") ||
	    (only == NULL && strcmp(action, "login-code") == 0))) {
		/* A miss changes nothing, so it goes first. */
		rc = vault_backup_use(ctx->vault, u->id, code,
		    env_now(ctx->env), err);
		if (rc == RD_OK) {
			snprintf(used, VAULT_METHOD_MAX + 1, "backup_codes");
			return flow_success(ctx, u, err);
		}
		if (rc != RD_INVALID_CODE)
			return rc;
	}
	if ((rc = vault_method_list(ctx->vault, u->id, &list, &n, err)) !=
	    RD_OK)
		return rc;
	if (only != NULL) {
		for (i = 0; i < n; i++)
			if (strcmp(list[i].name, only) == 0 &&
			    list[i].state == VAULT_ACTIVE)
				break;
		if (i == n) {
			vault_method_list_free(list, n);
			return rd_err_set(err, RD_NOT_FOUND, "user %s has no "
			    "active method %s", u->name, only);
		}
	}
	/* The primary first, then the rest in order of enrolment. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			bool	designated = only != NULL || list[i].primary;

			if ((pass == 0) != list[i].primary)
				continue;
			if (only != NULL && strcmp(list[i].name, only) != 0)
				continue;
			if (!candidate(ctx, &list[i], code, designated))
				continue;
			tried++;
			rc = flow_check_method(ctx, u, &list[i], code,
			    designated, &lasterr);
			if (rc == RD_OK) {
				snprintf(used, VAULT_METHOD_MAX + 1, "%s",
				    list[i].name);
				vault_method_list_free(list, n);
				return flow_success(ctx, u, err);
			}
			if (rd_code_exit(rc) != 1) {
				*err = lasterr;
				vault_method_list_free(list, n);
				return rc;
			}
			last = rc;
		}
	}
	vault_method_list_free(list, n);
	/* One clear reason when only one method could have matched. */
	if (tried != 1) {
		last = RD_INVALID_CODE;
		rd_err_set(&lasterr, RD_INVALID_CODE, "wrong code");
	}
	*err = lasterr;
	if ((rc = flow_fail(ctx, u, action, rd_code_name(last), err)) != RD_OK)
		return rc;
	return last;
}

