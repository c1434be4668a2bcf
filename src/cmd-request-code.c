/*
 * cmd-request-code.c: `redoubt request-code USER METHOD` and, during a
 * login, `request-code --token TOKEN [METHOD]`: send a fresh code (resend,
 * or switch to another method).  App and device methods make their codes
 * themselves; asking to "send" one is refused, so the secret can never
 * leak through this door.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"

static const struct cmd_opt request_code_opts[] = {
	{ "token", true, "the ephemeral token of a login in progress" },
	{ NULL, false, NULL }
};

/* The user and the method to send through (method: VAULT_METHOD_MAX + 1). */
static enum rd_code
request_code_user(struct rd_ctx *ctx, const struct cmd_input *in,
    struct vault_user *u, char *method, struct rd_err *err)
{
	struct vault_token	 tok;
	struct vault_method	*list = NULL;
	size_t			 n = 0, i;
	enum rd_code		 rc;

	if (in->opt[0] == NULL) {
		if (in->npos != 2)
			return rd_err_set(err, RD_USAGE, "usage: redoubt "
			    "request-code USER METHOD | request-code --token "
			    "TOKEN [METHOD]");
		snprintf(method, VAULT_METHOD_MAX + 1, "%s", in->pos[1]);
		return flow_user(ctx, in->pos[0], u, err);
	}
	if (in->npos > 1)
		return rd_err_set(err, RD_USAGE, "usage: redoubt request-code "
		    "--token TOKEN [METHOD]");
	if ((rc = vault_token_get(ctx->vault, in->opt[0], &tok, err)) != RD_OK)
		return rc;
	if (env_now(ctx->env) >= tok.expires)
		return rd_err_set(err, RD_EXPIRED, "login token has expired; "
		    "log in again");
	if (tok.used)
		return rd_err_set(err, RD_BAD_STATE, "login token was already "
		    "used; log in again");
	if ((rc = vault_user_get_id(ctx->vault, tok.user_id, u, err)) != RD_OK)
		return rc;
	if (in->npos == 1) {
		snprintf(method, VAULT_METHOD_MAX + 1, "%s", in->pos[0]);
		return RD_OK;
	}
	/* No method named: the primary, as at login. */
	if ((rc = vault_method_list(ctx->vault, u->id, &list, &n, err)) != RD_OK)
		return rc;
	method[0] = '\0';
	for (i = 0; i < n; i++)
		if (list[i].primary && list[i].state == VAULT_ACTIVE)
			snprintf(method, VAULT_METHOD_MAX + 1, "%s",
			    list[i].name);
	vault_method_list_free(list, n);
	if (method[0] == '\0')
		return rd_err_set(err, RD_BAD_STATE, "user %s has no primary "
		    "method", u->name);
	return RD_OK;
}

static enum rd_code
request_code_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const struct method_cfg	*mc;
	struct vault_user	 u;
	struct vault_method	 vm;
	char			 method[VAULT_METHOD_MAX + 1] = "";
	char			*sent_to = NULL;
	long			 expires_in = 0;
	enum rd_code		 rc;

	memset(&u, 0, sizeof u);
	memset(&vm, 0, sizeof vm);
	if ((rc = request_code_user(ctx, in, &u, method, err)) != RD_OK)
		goto out;
	if (!u.active) {
		rc = rd_err_set(err, RD_INACTIVE_USER, "user %s is inactive",
		    u.name);
		goto out;
	}
	if ((rc = flow_method_cfg(ctx, method, &mc, err)) != RD_OK)
		goto out;
	if (mc->be->kind == BE_APP || mc->be->kind == BE_DEVICE) {
		rc = rd_err_set(err, RD_NOT_ALLOWED, "%s makes its own codes "
		    "(%s); there is nothing to send", mc->name, mc->be->name);
		goto out;
	}
	if ((rc = vault_method_get(ctx->vault, u.id, method, &vm, err)) !=
	    RD_OK)
		goto out;
	if (in->opt[0] != NULL && vm.state != VAULT_ACTIVE) {
		rc = rd_err_set(err, RD_BAD_STATE, "method %s of user %s is "
		    "not active", vm.name, u.name);
		goto out;
	}
	if ((rc = flow_send(ctx, &u, &vm, mc, &sent_to, &expires_in, err)) !=
	    RD_OK)
		goto out;
	json_str(out, "user", u.name);
	json_str(out, "method", vm.name);
	json_str(out, "sent_to", sent_to);
	cJSON_AddNumberToObject(out, "expires_in", (double)expires_in);
out:
	free(sent_to);
	vault_method_clear(&vm);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_request_code_entry = {
	"request-code", "USER METHOD | --token TOKEN [METHOD]",
	"send a fresh code", 0, 2, request_code_opts, 0, request_code_exec
};
