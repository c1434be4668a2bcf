/*
 * flow.c: the rules of DESIGN.md §3 that several flows share.
 *
 * A flow step is one transaction.  Checking a code writes (a step, a
 * counter, an attempt, a failure), and a refused code must leave those
 * writes behind, so flow_end() commits refusals and rolls back only real
 * errors.  Sending is split around the network: the code is stored in one
 * transaction, carried with none open, and the outcome recorded in another,
 * so a slow provider never holds the vault's write lock.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "flow.h"
#include "lockout.h"
#include "otp.h"
#include "secret.h"
#include "util.h"

void
json_str(cJSON *obj, const char *key, const char *value)
{
	cJSON_AddItemToObject(obj, key, value ? cJSON_CreateString(value) :
	    cJSON_CreateNull());
}

enum rd_code
flow_end(struct rd_ctx *ctx, enum rd_code rc, struct rd_err *err)
{
	struct rd_err	cerr;

	if (rc == RD_OK)
		return vault_commit(ctx->vault, err);
	if (rd_code_exit(rc) == 1) {
		if (vault_commit(ctx->vault, &cerr) != RD_OK) {
			*err = cerr;
			return cerr.code;
		}
		return rc;
	}
	vault_rollback(ctx->vault);
	return rc;
}

enum rd_code
flow_audit(struct rd_ctx *ctx, const char *user, const char *action,
    const char *outcome, const char *detail, struct rd_err *err)
{
	return audit_add(ctx->vault, env_now(ctx->env), ctx->actor, user,
	    action, outcome, detail, err);
}

enum rd_code
flow_user(struct rd_ctx *ctx, const char *name, struct vault_user *u,
    struct rd_err *err)
{
	return vault_user_get(ctx->vault, name, u, err);
}

enum rd_code
flow_method_cfg(struct rd_ctx *ctx, const char *name,
    const struct method_cfg **out, struct rd_err *err)
{
	struct rd_buf	names;
	size_t		i;

	if ((*out = config_method(ctx->cfg, name)) != NULL)
		return RD_OK;
	rd_buf_init(&names, 0);
	for (i = 0; i < ctx->cfg->nmethods; i++)
		rd_buf_printf(&names, "%s%s", i ? ", " : "",
		    ctx->cfg->methods[i].name);
	rd_err_set(err, RD_NOT_FOUND, "no method %s in the config (there "
	    "are: %s)", name, names.data);
	rd_buf_free(&names);
	return RD_NOT_FOUND;
}

enum rd_code
flow_check_lock(struct rd_ctx *ctx, const struct vault_user *u,
    struct rd_err *err)
{
	struct vault_lock	lk;
	enum rd_code		rc;
	int64_t			now = env_now(ctx->env);

	if ((rc = vault_lock_get(ctx->vault, u->id, &lk, err)) != RD_OK)
		return rc;
	if (lockout_locked(&lk, now))
		return rd_err_set(err, RD_LOCKED_OUT, "user %s is locked for "
		    "%" PRId64 " more seconds after too many failed attempts",
		    u->name, lk.locked_until - now);
	return RD_OK;
}

enum rd_code
flow_fail(struct rd_ctx *ctx, const struct vault_user *u, const char *action,
    const char *why, struct rd_err *err)
{
	struct vault_lock	lk;
	struct rd_err		e2;
	enum rd_code		rc;
	int64_t			now = env_now(ctx->env);
	char			detail[64];

	/* err already holds the refusal; bookkeeping errors go to e2. */
	if ((rc = vault_lock_get(ctx->vault, u->id, &lk, &e2)) != RD_OK ||
	    (rc = flow_audit(ctx, u->name, action, "failure", why, &e2)) !=
	    RD_OK)
		goto fail;
	if (lockout_fail(&lk, now, config_int(ctx->cfg, "lockout_threshold"),
	    config_int(ctx->cfg, "lockout_seconds"))) {
		snprintf(detail, sizeof detail, "locked for %" PRId64 " s",
		    lk.locked_until - now);
		if ((rc = flow_audit(ctx, u->name, "lock", "locked", detail,
		    &e2)) != RD_OK)
			goto fail;
	}
	if ((rc = vault_lock_put(ctx->vault, u->id, &lk, &e2)) != RD_OK)
		goto fail;
	return RD_OK;
fail:
	*err = e2;
	return rc;
}

enum rd_code
flow_success(struct rd_ctx *ctx, const struct vault_user *u,
    struct rd_err *err)
{
	struct vault_lock	lk;
	enum rd_code		rc;

	if ((rc = vault_lock_get(ctx->vault, u->id, &lk, err)) != RD_OK)
		return rc;
	if (lk.failures == 0 && lk.lock_count == 0)
		return RD_OK;
	lockout_success(&lk);
	return vault_lock_put(ctx->vault, u->id, &lk, err);
}

void
flow_call(struct rd_ctx *ctx, const struct method_cfg *mc, const char *user,
    struct be_call *call);

static enum rd_code
host_outbox_put(void *host, const char *method, const char *to,
    const char *body, struct rd_err *err)
{
	struct rd_ctx	*ctx = host;
	enum rd_code	 rc;

	if ((rc = vault_begin(ctx->vault, err)) != RD_OK)
		return rc;
	rc = vault_outbox_add(ctx->vault, method, to, body, env_now(ctx->env),
	    NULL, err);
	return flow_end(ctx, rc, err);
}

void
flow_call(struct rd_ctx *ctx, const struct method_cfg *mc, const char *user,
    struct be_call *call)
{
	memset(call, 0, sizeof *call);
	call->method = mc;
	call->issuer = config_str(ctx->cfg, "issuer");
	call->user = user;
	call->transcript = ctx->transcript;
	call->cancel = ctx->cancel;
	call->outbox_put = host_outbox_put;
	call->host = ctx;
}

void
flow_device_load(const struct vault_method *vm, struct be_device *dev)
{
	size_t	idlen;

	memset(dev, 0, sizeof *dev);
	dev->counter = vm->counter;
	if (vm->secret == NULL || vm->secret_len < 1)
		return;
	/* Layout: id length, public id, handler's key material. */
	idlen = vm->secret[0];
	if (idlen >= sizeof dev->public_id || 1 + idlen > vm->secret_len)
		return;
	memcpy(dev->public_id, vm->secret + 1, idlen);
	dev->len = vm->secret_len - 1 - idlen;
	if (dev->len > sizeof dev->material)
		dev->len = sizeof dev->material;
	memcpy(dev->material, vm->secret + 1 + idlen, dev->len);
}

void
flow_device_store(const struct be_device *dev, struct vault_method *vm)
{
	size_t	idlen = strlen(dev->public_id);

	secret_free_bytes(vm->secret, vm->secret_len + 1);
	vm->secret_len = 1 + idlen + dev->len;
	vm->secret = xmalloc(vm->secret_len + 1);
	vm->secret[0] = (uint8_t)idlen;
	memcpy(vm->secret + 1, dev->public_id, idlen);
	memcpy(vm->secret + 1 + idlen, dev->material, dev->len);
	vm->secret[vm->secret_len] = 0;
	vm->counter = dev->counter;
}

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
	if (backup_ok && config_bool(ctx->cfg, "backup_codes_everywhere")) {
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

const char *
flow_destination(const struct vault_user *u, const struct method_cfg *mc)
{
	const char	*field = method_source_field(mc);

	if (field == NULL)
		return NULL;
	if (strcmp(field, "email") == 0)
		return u->email;
	if (strcmp(field, "phone") == 0)
		return u->phone;
	return NULL;
}

enum rd_code
flow_send(struct rd_ctx *ctx, const struct vault_user *u,
    struct vault_method *vm, const struct method_cfg *mc, char **sent_to,
    long *expires_in, struct rd_err *err)
{
	const char		*dest = flow_destination(u, mc);
	long			 cooldown = config_int(ctx->cfg,
				    "resend_cooldown");
	long			 validity = method_validity(mc);
	int64_t			 now = env_now(ctx->env);
	char			 code[16] = "";
	struct be_call		 call;
	struct be_message	 msg;
	struct be_reply		 reply;
	enum rd_code		 rc, sent;
	struct rd_err		 serr;
	char			 detail[160];

	*sent_to = NULL;
	if (dest == NULL || *dest == '\0')
		return rd_err_set(err, RD_BAD_STATE, "user %s has no %s for "
		    "method %s; set it with: user set %s --%s", u->name,
		    method_source_field(mc) ? method_source_field(mc) :
		    "destination", vm->name, u->name,
		    method_source_field(mc) ? method_source_field(mc) : "email");
	if (vm->last_sent > 0 && now - vm->last_sent < cooldown)
		return rd_err_set(err, RD_NOT_ALLOWED, "a code for %s was sent "
		    "%" PRId64 " s ago; wait %" PRId64 " s before another",
		    vm->name, now - vm->last_sent,
		    cooldown - (now - vm->last_sent));

	if (mc->be->kind == BE_CODE) {
		secret_code(ctx->env, (int)config_int(ctx->cfg, "code_digits"),
		    code);
		if ((rc = vault_begin(ctx->vault, err)) != RD_OK)
			goto out;
		rc = vault_code_put(ctx->vault, vm->id, code, now + validity,
		    (int)config_int(ctx->cfg, "code_attempts"), err);
		if ((rc = flow_end(ctx, rc, err)) != RD_OK)
			goto out;
	}

	flow_call(ctx, mc, u->name, &call);
	memset(&msg, 0, sizeof msg);
	memset(&reply, 0, sizeof reply);
	msg.to = dest;
	msg.code = code;
	msg.minutes = (int)((validity + 59) / 60);
	if (mc->be->kind == BE_CODE)
		sent = mc->be->send(&call, &msg, &reply, &serr);
	else
		sent = mc->be->start(&call, &msg, &reply, &serr);

	if ((rc = vault_begin(ctx->vault, err)) != RD_OK)
		goto out;
	if (sent == RD_OK) {
		vm->last_sent = now;
		if (mc->be->kind == BE_VERIFY) {
			secret_free(vm->request_id);
			vm->request_id = xstrdup(reply.request_id);
		}
		rc = vault_method_put(ctx->vault, vm, err);
		snprintf(detail, sizeof detail, "%s via %s", vm->name,
		    mc->be->name);
		if (rc == RD_OK)
			rc = flow_audit(ctx, u->name, "send", "ok", detail, err);
	} else {
		if (mc->be->kind == BE_CODE)
			rc = vault_code_drop(ctx->vault, vm->id, err);
		else
			rc = RD_OK;
		snprintf(detail, sizeof detail, "%s via %s: %s %s", vm->name,
		    mc->be->name, rd_code_name(sent), reply.code);
		if (rc == RD_OK)
			rc = flow_audit(ctx, u->name, "send", "failure", detail,
			    err);
	}
	if ((rc = flow_end(ctx, rc, err)) != RD_OK)
		goto out;
	if (sent != RD_OK) {
		*err = serr;
		rc = sent;
		goto out;
	}
	*sent_to = mask_destination(dest);
	*expires_in = validity;
	rc = RD_OK;
out:
	sodium_memzero(code, sizeof code);
	return rc;
}

enum rd_code
flow_code_arg(struct rd_ctx *ctx, const char *arg, char *buf, size_t size,
    struct rd_err *err)
{
	char		raw[FLOW_CODE_MAX + 1];
	enum rd_code	rc;
	bool		ok;

	if (arg == NULL)
		return rd_err_set(err, RD_USAGE, "a code is needed");
	if (strcmp(arg, "-") == 0) {
		if (ctx->ask == NULL)
			return rd_err_set(err, RD_USAGE, "no way to ask for "
			    "the code");
		if ((rc = ctx->ask(ctx->ask_arg, "code", raw, sizeof raw,
		    err)) != RD_OK)
			return rc;
		arg = raw;
	}
	ok = code_normalise(arg, true, buf, size);
	sodium_memzero(raw, sizeof raw);
	if (!ok)
		return rd_err_set(err, RD_INVALID_CODE, "the code is empty or "
		    "too long");
	return RD_OK;
}

enum rd_code
flow_new_backup_codes(struct rd_ctx *ctx, const struct vault_user *u,
    cJSON *out, struct rd_err *err)
{
	int		 n = (int)config_int(ctx->cfg, "backup_codes_quantity");
	char		**codes;
	cJSON		*arr;
	enum rd_code	 rc;
	int		 i;

	codes = secret_backup_codes(ctx->env, n,
	    (int)config_int(ctx->cfg, "backup_codes_length"),
	    config_str(ctx->cfg, "backup_codes_characters"));
	rc = vault_backup_set(ctx->vault, u->id, codes, (size_t)n, err);
	if (rc == RD_OK) {
		arr = cJSON_AddArrayToObject(out, "backup_codes");
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, cJSON_CreateString(codes[i]));
		rc = flow_audit(ctx, u->name, "backup-codes", "ok", "new set",
		    err);
	}
	secret_codes_free(codes, n);
	return rc;
}
