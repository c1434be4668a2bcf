/*
 * flow-enrol.c: starting an enrolment, the part of `activate` that an
 * import of users repeats for each row: the method becomes pending with
 * fresh material from its kind, the step is audited, and a kind that
 * sends a code reserves its send for after the commit.  Who may enrol
 * (admit, require_code_to_add) stays with the caller, which knows whether
 * a person proved anything.
 */
#include <stdio.h>
#include <string.h>

#include "env.h"
#include "flow.h"
#include "kind.h"
#include "util.h"

enum rd_code
flow_enrol(struct rd_ctx *ctx, const struct vault_user *u,
    const struct method_cfg *mc, cJSON *out, struct flow_send **send,
    struct rd_err *err)
{
	const struct kind_ops	*k = kind_of(mc);
	struct vault_method	 vm;
	enum rd_code		 rc;

	*send = NULL;
	/* Enrolling again while pending keeps the row (and its cooldown). */
	rc = vault_method_get(ctx->vault, u->id, mc->name, &vm, err);
	if (rc == RD_NOT_FOUND) {
		memset(&vm, 0, sizeof vm);
		vm.user_id = u->id;
		snprintf(vm.name, sizeof vm.name, "%s", mc->name);
		vm.created = env_now(ctx->env);
	} else if (rc != RD_OK)
		return rc;
	snprintf(vm.handler, sizeof vm.handler, "%s", mc->handler->name);
	vm.state = VAULT_PENDING;
	vm.primary = false;
	secret_release(vm.secret);
	secret_release(vm.request_id);
	vm.secret = NULL;
	vm.secret_len = 0;
	vm.request_id = NULL;
	vm.counter = -1;
	if ((rc = k->issue(ctx, u, mc, &vm, err)) != RD_OK ||
	    (rc = vault_method_put(ctx->vault, &vm, err)) != RD_OK ||
	    (rc = flow_audit(ctx, u->name, "activate", "pending", mc->name,
	    err)) != RD_OK)
		goto out;
	flow_pending_json(ctx, u, mc, &vm, out);
	if (k->sends_code)
		rc = flow_send_begin(ctx, u, &vm, mc, send, err);
out:
	vault_method_clear(&vm);
	return rc;
}
