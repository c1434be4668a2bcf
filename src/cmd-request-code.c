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

#include "cmd.h"
#include "env.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "kind.h"

enum {
	REQUEST_CODE_TOKEN,
	REQUEST_CODE_NOPTS
};

static const struct cmd_opt request_code_opts[REQUEST_CODE_NOPTS] = {
	[REQUEST_CODE_TOKEN] = { .name = "token", .has_arg = true,
	    .help = N_("the ephemeral token of a login in progress") },
};

/* The user and the method to send through (method: VAULT_METHOD_MAX + 1). */
static enum rd_code RD_CHECK
request_code_user(struct rd_ctx *ctx, const struct cmd_input *in,
    struct vault_user *u, char *method, struct rd_err *err)
{
	const char		*token = cmd_opt(in, REQUEST_CODE_TOKEN);
	struct vault_method	*list = NULL;
	size_t			 n = 0, i;
	enum rd_code		 rc;

	if (token == NULL) {
		if (in->npos != 2)
			return rd_err_set(err, RD_USAGE, _("usage: redoubt "
			    "request-code USER METHOD | request-code --token "
			    "TOKEN [METHOD]"));
		snprintf(method, VAULT_METHOD_MAX + 1, "%s", in->pos[1]);
		return flow_user(ctx, in->pos[0], u, err);
	}
	if (in->npos > 1)
		return rd_err_set(err, RD_USAGE, _("usage: redoubt "
		    "request-code --token TOKEN [METHOD]"));
	if ((rc = flow_token_user(ctx, token, u, err)) != RD_OK)
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
		return rd_err_set(err, RD_BAD_STATE, _("user %s has no primary "
		    "method"), u->name);
	return RD_OK;
}

static enum rd_code RD_CHECK
request_code_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const struct method_cfg	*mc;
	struct vault_user	 u;
	struct vault_method	 vm;
	struct flow_send	*send = NULL;
	char			 method[VAULT_METHOD_MAX + 1] = "";
	enum rd_code		 rc;

	memset(&u, 0, sizeof u);
	memset(&vm, 0, sizeof vm);
	if ((rc = request_code_user(ctx, in, &u, method, err)) != RD_OK)
		goto out;
	if (!u.active) {
		rc = rd_err_set(err, RD_INACTIVE_USER, _("user %s is inactive"),
		    u.name);
		goto out;
	}
	/* A locked user gets no code from any path. */
	if ((rc = flow_check_lock(ctx, &u, err)) != RD_OK)
		goto out;
	if ((rc = flow_method_cfg(ctx, method, &mc, err)) != RD_OK)
		goto out;
	if (!kind_of(mc)->sends_code) {
		rc = rd_err_set(err, RD_NOT_ALLOWED, _("%s makes its own codes "
		    "(%s); there is nothing to send"), mc->name,
		    mc->handler->name);
		goto out;
	}
	if ((rc = vault_method_get(ctx->vault, u.id, method, &vm, err)) !=
	    RD_OK)
		goto out;
	if (cmd_opt(in, REQUEST_CODE_TOKEN) != NULL &&
	    vm.state != VAULT_ACTIVE) {
		rc = rd_err_set(err, RD_BAD_STATE, _("method %s of user %s is "
		    "not active"), vm.name, u.name);
		goto out;
	}
	if ((rc = flow_send_begin(ctx, &u, &vm, mc, &send, err)) != RD_OK)
		goto out;
	ctx_after(ctx, flow_send_after, send, flow_send_free);
	json_str(out, "user", u.name);
	json_str(out, "method", vm.name);
out:
	vault_method_clear(&vm);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_request_code_entry = {
	.name = "request-code",
	.usage = "USER METHOD | --token TOKEN [METHOD]",
	.help = N_("send a fresh code"),
	.maxpos = 2,
	.opts = request_code_opts,
	.nopts = REQUEST_CODE_NOPTS,
	.flags = CMD_WRITES,
	.exec = request_code_exec,
};
