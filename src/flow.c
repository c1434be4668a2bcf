/*
 * flow.c: the rules of DESIGN.md §3 that several flows share: users and
 * their locks, failures and successes, the audit log, codes typed as
 * arguments, backup code sets and where a method's codes go.
 *
 * Each function does its part inside the step's transaction; the runner
 * decides commit or rollback from the code that comes back (tx.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "env.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "kind.h"
#include "lockout.h"
#include "secret.h"
#include "tx.h"
#include "util.h"
#include "words.h"

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
flow_live_user(struct rd_ctx *ctx, const char *name, struct vault_user *u,
    struct rd_err *err)
{
	enum rd_code	rc;

	memset(u, 0, sizeof *u);
	if ((rc = flow_user(ctx, name, u, err)) != RD_OK)
		return rc;
	if (!u->active)
		rc = rd_err_set(err, RD_INACTIVE_USER, _("user %s is inactive"),
		    u->name);
	else
		rc = flow_check_lock(ctx, u, err);
	if (rc != RD_OK)
		vault_user_clear(u);
	return rc;
}

enum rd_code
flow_token_user(struct rd_ctx *ctx, const char *token, struct vault_user *u,
    struct rd_err *err)
{
	struct vault_token	tok;
	enum rd_code		rc;

	memset(u, 0, sizeof *u);
	if ((rc = vault_token_get(ctx->vault, token, &tok, err)) != RD_OK)
		return rc;
	if (env_now(ctx->env) >= tok.expires)
		return rd_err_set(err, RD_EXPIRED, _("login token has expired; "
		    "log in again"));
	if (tok.used)
		return rd_err_set(err, RD_BAD_STATE,
		    _("login token was already "
		    "used; log in again"));
	return vault_user_get_id(ctx->vault, tok.user_id, u, err);
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
	rd_err_set(err, RD_NOT_FOUND, _("no method %s in the config (there "
	    "are: %s)"), name, names.data);
	rd_buf_free(&names);
	return RD_NOT_FOUND;
}

/*
 * Whose failures are counted: a user, or a name that is no user.  Both
 * take the same way through the lock, so the answers and the audit log
 * do not tell them apart.
 */
struct flow_who {
	const struct vault_user	*u;
	const char		*name;
};

static enum rd_code RD_CHECK
who_lock_get(struct rd_ctx *ctx, const struct flow_who *w,
    struct vault_lock *lk, struct rd_err *err)
{
	if (w->u != NULL)
		return vault_lock_get(ctx->vault, w->u->id, lk, err);
	return vault_ghost_get(ctx->vault, w->name, lk, err);
}

static enum rd_code RD_CHECK
who_lock_put(struct rd_ctx *ctx, const struct flow_who *w,
    const struct vault_lock *lk, struct rd_err *err)
{
	if (w->u != NULL)
		return vault_lock_put(ctx->vault, w->u->id, lk, err);
	return vault_ghost_put(ctx->vault, w->name, lk, env_now(ctx->env),
	    err);
}

static enum rd_code RD_CHECK
who_check_lock(struct rd_ctx *ctx, const struct flow_who *w,
    struct rd_err *err)
{
	struct vault_lock	lk;
	enum rd_code		rc;
	int64_t			now = env_now(ctx->env);
	char			dur[48];

	if ((rc = who_lock_get(ctx, w, &lk, err)) != RD_OK)
		return rc;
	if (!lockout_locked(&lk, now))
		return RD_OK;
	/* A refusal is a failure the log must show; it does not extend the lock. */
	if ((rc = flow_audit(ctx, w->name, "locked", "refused", NULL, err)) !=
	    RD_OK)
		return rc;
	words_duration((long)(lk.locked_until - now), dur, sizeof dur);
	return rd_err_set(err, RD_LOCKED_OUT, _("user %s is locked for another "
	    "%s after too many failed attempts"), w->name, dur);
}

static enum rd_code RD_CHECK
who_fail(struct rd_ctx *ctx, const struct flow_who *w, const char *action,
    const char *why, struct rd_err *err)
{
	struct vault_lock	lk;
	struct rd_err		e2;
	enum rd_code		rc;
	int64_t			now = env_now(ctx->env);
	char			detail[64];

	/* err already holds the refusal; bookkeeping errors go to e2. */
	if ((rc = who_lock_get(ctx, w, &lk, &e2)) != RD_OK ||
	    (rc = flow_audit(ctx, w->name, action, "failure", why, &e2)) !=
	    RD_OK)
		goto fail;
	if (lockout_fail(&lk, now, config_int(ctx->cfg, CK_LOCKOUT_THRESHOLD),
	    config_int(ctx->cfg, CK_LOCKOUT_SECONDS))) {
		snprintf(detail, sizeof detail, "locked for %" PRId64 " s",
		    lk.locked_until - now);
		if ((rc = flow_audit(ctx, w->name, "lock", "locked", detail,
		    &e2)) != RD_OK)
			goto fail;
	}
	if ((rc = who_lock_put(ctx, w, &lk, &e2)) != RD_OK)
		goto fail;
	return RD_OK;
fail:
	*err = e2;
	return rc;
}

enum rd_code
flow_check_lock(struct rd_ctx *ctx, const struct vault_user *u,
    struct rd_err *err)
{
	struct flow_who	w = { u, u->name };

	return who_check_lock(ctx, &w, err);
}

enum rd_code
flow_fail(struct rd_ctx *ctx, const struct vault_user *u, const char *action,
    const char *why, struct rd_err *err)
{
	struct flow_who	w = { u, u->name };

	return who_fail(ctx, &w, action, why, err);
}

enum rd_code
flow_check_name_lock(struct rd_ctx *ctx, const char *name, struct rd_err *err)
{
	struct flow_who	w = { NULL, name };

	return who_check_lock(ctx, &w, err);
}

enum rd_code
flow_fail_name(struct rd_ctx *ctx, const char *name, const char *action,
    const char *why, struct rd_err *err)
{
	struct flow_who	w = { NULL, name };

	return who_fail(ctx, &w, action, why, err);
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

struct outbox_put {
	const char	*method;
	const char	*to;
	const char	*body;
};

static enum rd_code RD_CHECK
outbox_put_tx(struct rd_ctx *ctx, void *arg, struct rd_err *err)
{
	struct outbox_put	*o = arg;

	return vault_outbox_add(ctx->vault, o->method, o->to, o->body,
	    env_now(ctx->env), NULL, err);
}

/* The outbox handler's way into the vault, while no step is open. */
static enum rd_code RD_CHECK
host_outbox_put(void *host, const char *method, const char *to,
    const char *body, struct rd_err *err)
{
	struct outbox_put	o = { method, to, body };

	return tx_run(host, outbox_put_tx, &o, err);
}

void
flow_call(struct rd_ctx *ctx, const struct method_cfg *mc, const char *user,
    struct be_call *call)
{
	kind_call(mc, call);
	call->issuer = config_str(ctx->cfg, CK_ISSUER);
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

	secret_release(vm->secret);
	vm->secret_len = 1 + idlen + dev->len;
	vm->secret = secret_alloc(vm->secret_len + 1);
	vm->secret[0] = (uint8_t)idlen;
	memcpy(vm->secret + 1, dev->public_id, idlen);
	memcpy(vm->secret + 1 + idlen, dev->material, dev->len);
	vm->secret[vm->secret_len] = 0;
	vm->counter = dev->counter;
}

void
flow_pending_json(struct rd_ctx *ctx, const struct vault_user *u,
    const struct method_cfg *mc, const struct vault_method *vm, cJSON *out)
{
	const struct kind_ops	*k = kind_of(mc);

	json_str(out, "user", u->name);
	json_str(out, "method", mc->name);
	json_str(out, "state", "pending");
	kind_info(mc, out);
	if (k->describe != NULL)
		k->describe(ctx, u, mc, vm, out);
}

cJSON *
flow_method_json(struct rd_ctx *ctx, const struct vault_method *vm,
    bool facts)
{
	const struct method_cfg	*mc = config_method(ctx->cfg, vm->name);
	cJSON			*m = cJSON_CreateObject();

	json_str(m, "name", vm->name);
	json_str(m, "handler", vm->handler);
	json_str(m, "state", vm->state == VAULT_ACTIVE ? "active" : "pending");
	json_bool(m, "primary", vm->primary);
	if (!facts)
		return m;
	json_bool(m, "in_config", mc != NULL);
	if (mc != NULL)
		kind_info(mc, m);
	return m;
}

cJSON *
flow_method_detail(struct rd_ctx *ctx, const struct vault_user *u,
    const struct vault_method *vm)
{
	const struct method_cfg	*mc = config_method(ctx->cfg, vm->name);
	cJSON			*m = flow_method_json(ctx, vm, true);

	json_num(m, "enrolled", (double)vm->created);
	json_num(m, "last_used", (double)vm->last_used);
	/*
	 * A kind reads the method as it stores it: under another handler
	 * the stored bytes mean something else (an app's secret is no
	 * device's public id), so nothing is read from them.
	 */
	if (mc != NULL && strcmp(mc->handler->name, vm->handler) == 0 &&
	    kind_of(mc)->facts != NULL)
		kind_of(mc)->facts(u, mc, vm, m);
	return m;
}

void
flow_message_json(cJSON *obj, const struct vault_message *m)
{
	json_num(obj, "id", (double)m->id);
	json_str(obj, "method", m->method);
	json_str(obj, "to", m->to);
	json_str(obj, "body", m->body);
	json_num(obj, "sent_at", (double)m->sent_at);
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
flow_no_destination(const struct vault_user *u, const struct method_cfg *mc,
    struct rd_err *err)
{
	const char	*field = method_source_field(mc);

	/* In words both faces share: no option names.  One message for
	   each field, as languages decline the field's name. */
	if (field == NULL)
		return rd_err_set(err, RD_BAD_STATE, _("user %s has no "
		    "destination for method %s: give the user one first"),
		    u->name, mc->name);
	if (strcmp(field, "phone") == 0)
		return rd_err_set(err, RD_BAD_STATE, _("user %s has no phone "
		    "number for method %s: give the user one first"), u->name,
		    mc->name);
	if (strcmp(field, "email") == 0)
		return rd_err_set(err, RD_BAD_STATE, _("user %s has no e-mail "
		    "address for method %s: give the user one first"),
		    u->name, mc->name);
	return rd_err_set(err, RD_BAD_STATE, _("user %s has no %s for method "
	    "%s: give the user one first"), u->name, field, mc->name);
}

enum rd_code
flow_code_arg(struct rd_ctx *ctx, const char *arg, char **code,
    struct rd_err *err)
{
	char		*raw = NULL;
	enum rd_code	 rc = RD_OK;

	*code = NULL;
	if (arg == NULL)
		return rd_err_set(err, RD_USAGE, _("a code is needed"));
	if (strcmp(arg, "-") == 0) {
		if (ctx->ask == NULL)
			return rd_err_set(err, RD_USAGE, _("no way to ask for "
			    "the code"));
		raw = secret_alloc(FLOW_CODE_MAX + 1);
		if ((rc = ctx->ask(ctx->ask_arg, "code", raw, FLOW_CODE_MAX + 1,
		    err)) != RD_OK)
			goto out;
		arg = raw;
	}
	*code = secret_alloc(FLOW_CODE_MAX + 1);
	if (!code_normalise(arg, true, *code, FLOW_CODE_MAX + 1)) {
		secret_release(*code);
		*code = NULL;
		rc = rd_err_set(err, RD_INVALID_CODE, _("the code is empty or "
		    "too long"));
	}
out:
	secret_release(raw);
	return rc;
}

enum rd_code
flow_new_backup_codes(struct rd_ctx *ctx, const struct vault_user *u,
    cJSON *out, struct rd_err *err)
{
	int		 n = (int)config_int(ctx->cfg, CK_BACKUP_CODES_QUANTITY);
	char		**codes;
	cJSON		*arr;
	enum rd_code	 rc;
	int		 i;

	codes = secret_backup_codes(ctx->env, n,
	    (int)config_int(ctx->cfg, CK_BACKUP_CODES_LENGTH),
	    config_str(ctx->cfg, CK_BACKUP_CODES_CHARACTERS));
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
