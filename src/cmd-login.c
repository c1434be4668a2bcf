/*
 * cmd-login.c: `redoubt login USER`, the first step of a login: the
 * password (one line on stdin).  Without an active method that is all;
 * with one, the answer is an ephemeral token (256 random bits, kept only
 * as a keyed hash) and a code goes out through the primary method when it
 * is a channel.  If that send fails the token still stands, so the user
 * can switch method with request-code --token.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "flow.h"
#include "secret.h"

static enum rd_code
login_password(struct rd_ctx *ctx, const char *name, struct vault_user *u,
    struct rd_err *err)
{
	char		pw[1024];
	enum rd_code	rc;

	if ((rc = ctx->ask(ctx->ask_arg, "password", pw, sizeof pw, err)) !=
	    RD_OK)
		return rc;
	rc = flow_user(ctx, name, u, err);
	if (rc == RD_NOT_FOUND) {
		/* Same cost as a real check, so timing tells nothing. */
		rc = vault_user_check_password(ctx->vault, 0, pw, strlen(pw),
		    err);
	} else if (rc == RD_OK && (rc = flow_check_lock(ctx, u, err)) ==
	    RD_OK) {
		rc = vault_user_check_password(ctx->vault, u->id, pw,
		    strlen(pw), err);
		if (rc == RD_BAD_CREDENTIALS)
			flow_fail(ctx, u, "login", "bad_credentials", err);
	}
	sodium_memzero(pw, sizeof pw);
	return rc;
}

static enum rd_code
login_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const struct method_cfg	*mc = NULL;
	struct vault_user	 u;
	struct vault_method	*list = NULL, *primary = NULL;
	size_t			 n = 0, i;
	char			 token[TOKEN_LEN + 1];
	char			*sent_to = NULL;
	long			 lifetime, expires_in;
	int64_t			 now = env_now(ctx->env);
	cJSON			*others;
	struct rd_err		 serr;
	enum rd_code		 rc;

	memset(&u, 0, sizeof u);
	memset(token, 0, sizeof token);
	if ((rc = vault_begin(ctx->vault, err)) != RD_OK)
		return rc;
	if ((rc = login_password(ctx, in->pos[0], &u, err)) != RD_OK)
		goto end;
	if (!u.active) {
		rc = rd_err_set(err, RD_INACTIVE_USER, "user %s is inactive",
		    u.name);
		flow_audit(ctx, u.name, "login", "failure", "inactive_user",
		    err);
		goto end;
	}
	if ((rc = vault_method_list(ctx->vault, u.id, &list, &n, err)) != RD_OK)
		goto end;
	for (i = 0; i < n; i++)
		if (list[i].state == VAULT_ACTIVE && list[i].primary)
			primary = &list[i];
	if (primary == NULL) {
		if ((rc = flow_success(ctx, &u, err)) == RD_OK &&
		    (rc = flow_audit(ctx, u.name, "login", "ok", "password only",
		    err)) == RD_OK) {
			json_str(out, "status", "ok");
			json_str(out, "user", u.name);
		}
		goto end;
	}
	lifetime = config_int(ctx->cfg, "ephemeral_token_lifetime");
	secret_token(ctx->env, token);
	if ((rc = vault_token_put(ctx->vault, token, u.id, now + lifetime, now,
	    err)) != RD_OK ||
	    (rc = flow_audit(ctx, u.name, "login", "mfa_required",
	    primary->name, err)) != RD_OK)
		goto end;
	if ((rc = flow_end(ctx, rc, err)) != RD_OK)
		goto out;
	json_str(out, "status", "mfa_required");
	json_str(out, "ephemeral_token", token);
	json_str(out, "method", primary->name);
	others = cJSON_AddArrayToObject(out, "other_methods");
	for (i = 0; i < n; i++)
		if (list[i].state == VAULT_ACTIVE && !list[i].primary)
			cJSON_AddItemToArray(others,
			    cJSON_CreateString(list[i].name));
	cJSON_AddNumberToObject(out, "expires_in", (double)lifetime);
	mc = config_method(ctx->cfg, primary->name);
	if (mc != NULL && (mc->be->kind == BE_CODE ||
	    mc->be->kind == BE_VERIFY)) {
		if (flow_send(ctx, &u, primary, mc, &sent_to, &expires_in,
		    &serr) == RD_OK)
			json_str(out, "sent_to", sent_to);
		else
			json_str(out, "send_error", serr.msg);
	}
	goto out;
end:
	rc = flow_end(ctx, rc, err);
out:
	sodium_memzero(token, sizeof token);
	free(sent_to);
	vault_method_list_free(list, n);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_login_entry = {
	"login", "USER", "first login step (password: one line on stdin)", 1, 1,
	NULL, 0, login_exec
};
