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
flow_begin_user(struct rd_ctx *ctx, const char *name, bool live,
    struct vault_user *u, struct rd_err *err)
{
	enum rd_code	rc;

	memset(u, 0, sizeof *u);
	if ((rc = vault_begin(ctx->vault, err)) != RD_OK)
		return rc;
	if ((rc = flow_user(ctx, name, u, err)) != RD_OK)
		return flow_end(ctx, rc, err);
	if (live && !u->active)
		rc = rd_err_set(err, RD_INACTIVE_USER, "user %s is inactive",
		    u->name);
	else if (live)
		rc = flow_check_lock(ctx, u, err);
	if (rc != RD_OK) {
		vault_user_clear(u);
		return flow_end(ctx, rc, err);
	}
	return RD_OK;
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
	if (!lockout_locked(&lk, now))
		return RD_OK;
	/* A refusal is a failure the log must show; it does not extend the lock. */
	if ((rc = flow_audit(ctx, u->name, "locked", "refused", NULL, err)) !=
	    RD_OK)
		return rc;
	return rd_err_set(err, RD_LOCKED_OUT, "user %s is locked for %" PRId64
	    " more seconds after too many failed attempts", u->name,
	    lk.locked_until - now);
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
