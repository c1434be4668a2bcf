/*
 * flow-check.c: checking a code a person typed, and the rule of which
 * methods a code may belong to.
 *
 * Each kind checks and consumes its own codes (kind.h) with conditional
 * writes, so the same code can never pass twice, even in two processes at
 * once.  What is decided here: backup codes first (a miss changes
 * nothing), then the primary, then the other active methods; only the
 * method a code was asked for spends that method's attempts; one failure
 * is counted for the whole check.  An accepted code stamps its method's
 * last_used in the same step.
 */
#include <stdio.h>
#include <string.h>

#include "env.h"
#include "flow.h"
#include "i18n.h"
#include "kind.h"

enum rd_code
flow_check_method(struct rd_ctx *ctx, const struct vault_user *u,
    struct vault_method *vm, const char *code, bool designated,
    struct rd_err *err)
{
	const struct method_cfg	*mc;
	enum rd_code		 rc;

	if ((mc = config_method(ctx->cfg, vm->name)) == NULL)
		return rd_err_set(err, RD_BAD_STATE, _("method %s is no longer "
		    "in the config"), vm->name);
	if (strcmp(mc->handler->name, vm->handler) != 0)
		return rd_err_set(err, RD_BAD_STATE, _("method %s was enrolled "
		    "with handler %s but the config now says %s; deactivate "
		    "and activate it again"), vm->name, vm->handler,
		    mc->handler->name);
	if ((rc = kind_of(mc)->check(ctx, u, mc, vm, code, designated,
	    err)) != RD_OK)
		return rc;
	/* Every accepted code of a method passes here, whatever the step. */
	vm->last_used = env_now(ctx->env);
	return vault_method_put(ctx->vault, vm, err);
}

/* Whether a code of this shape could belong to vm at all. */
static bool
candidate(struct rd_ctx *ctx, const struct vault_method *vm,
    const char *code, bool designated)
{
	const struct method_cfg	*mc = config_method(ctx->cfg, vm->name);

	if (mc == NULL || vm->state != VAULT_ACTIVE)
		return false;
	return kind_of(mc)->candidate(vm, code, designated);
}

/* Whether backup codes may prove this step. */
static bool
backup_allowed(struct rd_ctx *ctx, const struct flow_proof *p)
{
	/*
	 * Wherever a code is asked for, or, with backup_codes_everywhere
	 * off, only as a login's second step without a method named.
	 */
	return p->backup && (config_bool(ctx->cfg, CK_BACKUP_CODES_EVERYWHERE) ||
	    (p->login && p->only == NULL));
}

enum rd_code
flow_check_any(struct rd_ctx *ctx, const struct vault_user *u,
    const struct flow_proof *p, const char *code, char *used,
    struct rd_err *err)
{
	struct vault_method	*list = NULL;
	size_t			 n = 0, i;
	enum rd_code		 rc, last = RD_INVALID_CODE;
	struct rd_err		 lasterr;
	int			 pass, tried = 0;
	bool			 spent = false;

	rd_err_set(&lasterr, RD_INVALID_CODE, _("wrong code"));
	if ((rc = flow_check_lock(ctx, u, err)) != RD_OK)
		return rc;
	if (backup_allowed(ctx, p)) {
		/* A miss changes nothing, so it goes first. */
		rc = vault_backup_use(ctx->vault, u->id, code,
		    env_now(ctx->env), &spent, err);
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
	if (p->only != NULL) {
		for (i = 0; i < n; i++)
			if (strcmp(list[i].name, p->only) == 0 &&
			    list[i].state == VAULT_ACTIVE)
				break;
		if (i == n) {
			vault_method_list_free(list, n);
			return rd_err_set(err, RD_NOT_FOUND, _("user %s has no "
			    "active method %s"), u->name, p->only);
		}
	}
	/* The primary first, then the rest in order of enrolment. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			bool	designated = p->only != NULL || list[i].primary;

			if ((pass == 0) != list[i].primary)
				continue;
			if (p->only != NULL && strcmp(list[i].name, p->only) != 0)
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
			if (!rd_code_refusal(rc)) {
				*err = lasterr;
				vault_method_list_free(list, n);
				return rc;
			}
			last = rc;
		}
	}
	vault_method_list_free(list, n);
	/*
	 * One clear reason when only one method could have matched.  A code
	 * whose keyed hash is one of the user's spent backup codes was
	 * surely typed as one: that says more than any method's miss, and
	 * it counts as a failure all the same.
	 */
	if (spent) {
		last = RD_INVALID_CODE;
		rd_err_set(&lasterr, RD_INVALID_CODE, _("that backup code was "
		    "already used"));
	} else if (tried != 1) {
		last = RD_INVALID_CODE;
		rd_err_set(&lasterr, RD_INVALID_CODE, _("wrong code"));
	}
	*err = lasterr;
	if ((rc = flow_fail(ctx, u, p->action, spent ? "invalid_code (backup "
	    "code already used)" : rd_code_name(last), err)) != RD_OK)
		return rc;
	return last;
}
