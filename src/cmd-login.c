/*
 * cmd-login.c: `redoubt login USER`, the first step of a login: the
 * password (one line on stdin).  Without an active method that is all;
 * with one, the answer is an ephemeral token (256 random bits, kept only
 * as a keyed hash) and a code goes out through the primary method when it
 * is a channel.  If that send fails the token still stands, so the user
 * can switch method with request-code --token.  Beside the names of
 * DESIGN.md §6 the answer lists the methods with what a face needs to
 * offer each (does it send a code, what to type).
 *
 * When the PAM stack has checked the first factor (ctx->first_factor,
 * set only by the PAM face), no password is asked: the step looks up the
 * user, answers RD_NOT_FOUND for a name that is no user (nothing is
 * counted: the stack before already knows the name) and RD_BAD_STATE for
 * a user without an active method; lock, token, send and audit are the
 * same as after a password.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "env.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "kind.h"
#include "secret.h"
#include "user.h"
#include "util.h"

/*
 * What the password step found before the transaction: whether the name
 * is a user, which version of the row was read, the verdict, and, when
 * the right password's hash was made at other limits than password_kdf,
 * a new hash of it to store.
 */
struct login_prep {
	bool		known;
	int64_t		id;
	uint8_t		stamp[16];
	enum rd_code	verdict;	/* RD_OK or RD_BAD_CREDENTIALS */
	struct rd_err	why;
	char		*rehash;	/* secret_alloc'd; NULL: none */
};

static void
login_prep_free(void *arg)
{
	struct login_prep	*p = arg;

	secret_release(p->rehash);
	free(p);
}

/* The first factor checked by the PAM stack: the user, no password. */
static enum rd_code RD_CHECK
login_vouched(struct rd_ctx *ctx, const char *name, struct login_prep *p,
    struct rd_err *err)
{
	struct vault_user	u;
	enum rd_code		rc;

	rc = user_name_ok(name) ? flow_user(ctx, name, &u, err) : RD_NOT_FOUND;
	if (rc == RD_NOT_FOUND)
		return rd_err_set(err, RD_NOT_FOUND, _("user %s is not in the "
		    "vault"), name);
	if (rc != RD_OK)
		return rc;
	p->known = true;
	p->id = u.id;
	memcpy(p->stamp, u.stamp, sizeof p->stamp);
	p->verdict = RD_OK;
	vault_user_clear(&u);
	return RD_OK;
}

/*
 * Before the transaction: ask for the password and check it (Argon2id),
 * so that no write lock is held meanwhile.  A name that is no user costs
 * the same work and ends the same way.
 */
static enum rd_code RD_CHECK
login_prepare(struct rd_ctx *ctx, const struct cmd_input *in,
    struct rd_err *err)
{
	struct login_prep	*p = xcalloc(1, sizeof *p);
	struct vault_user	 u;
	char			*pw = secret_alloc(SECRET_LINE_MAX);
	enum rd_code		 rc;
	bool			 stale = false;

	ctx_prep(ctx, p, login_prep_free);
	if (ctx->first_factor != NULL) {
		secret_release(pw);
		return login_vouched(ctx, in->pos[0], p, err);
	}
	if ((rc = ctx->ask(ctx->ask_arg, "password", pw, SECRET_LINE_MAX,
	    err)) != RD_OK)
		goto out;
	rc = user_name_ok(in->pos[0]) ? flow_user(ctx, in->pos[0], &u, err) :
	    RD_NOT_FOUND;
	if (rc == RD_OK) {
		p->known = true;
		p->id = u.id;
		memcpy(p->stamp, u.stamp, sizeof p->stamp);
		vault_user_clear(&u);
	} else if (rc != RD_NOT_FOUND)
		goto out;
	p->verdict = vault_user_verify_password(ctx->vault, p->known ? p->id :
	    0, pw, strlen(pw), user_password_kdf(ctx), &stale, &p->why);
	rc = RD_OK;
	/* Only a right password is hashed again: a wrong one learns nothing. */
	if (p->verdict == RD_OK && stale) {
		p->rehash = secret_alloc(VAULT_PWHASH_MAX);
		if ((rc = vault_password_hash(ctx->vault,
		    user_password_kdf(ctx), pw, strlen(pw), p->rehash,
		    err)) != RD_OK)
			goto out;
	}
	if (p->verdict != RD_OK && p->verdict != RD_BAD_CREDENTIALS) {
		*err = p->why;
		rc = p->verdict;
	}
out:
	secret_release(pw);
	return rc;
}

/*
 * A right password whose hash was made at other limits than password_kdf
 * (the setting changed, or an older redoubt hashed it at the vault's
 * cost) gets the new hash, in the login's own transaction, and a row
 * "password rehash" naming the new cost, so the change can be followed.
 */
static enum rd_code RD_CHECK
login_rehash(struct rd_ctx *ctx, struct vault_user *u, const char *hash,
    struct rd_err *err)
{
	enum rd_code	rc;

	if ((rc = vault_user_set_pwhash(ctx->vault, u->id, hash, err)) !=
	    RD_OK)
		return rc;
	return flow_audit(ctx, u->name, "password rehash", "ok",
	    vault_kdf(ctx->vault) == VAULT_KDF_TEST ? "test" :
	    config_str(ctx->cfg, CK_PASSWORD_KDF), err);
}

/*
 * The password step, in the transaction: the lock, then the verdict
 * counted.  A name that is no user is counted under its keyed hash, so
 * it answers, locks and is audited as a known one does.
 */
static enum rd_code RD_CHECK
login_password(struct rd_ctx *ctx, const char *name, struct vault_user *u,
    struct rd_err *err)
{
	const struct login_prep	*p = ctx->prep;
	enum rd_code		 rc;

	if (!p->known && !user_name_ok(name)) {
		/* No user can have such a name; it is not written anywhere. */
		if ((rc = flow_audit(ctx, NULL, "login", "failure",
		    "bad_credentials (not a user name)", err)) != RD_OK)
			return rc;
		*err = p->why;
		return RD_BAD_CREDENTIALS;
	}
	if (!p->known) {
		if ((rc = flow_check_name_lock(ctx, name, err)) != RD_OK)
			return rc;
		*err = p->why;
		if ((rc = flow_fail_name(ctx, name, "login", "bad_credentials",
		    err)) != RD_OK)
			return rc;
		return RD_BAD_CREDENTIALS;
	}
	if ((rc = vault_user_get_id(ctx->vault, p->id, u, err)) != RD_OK)
		return rc == RD_NOT_FOUND ? rd_err_set(err, RD_VAULT_BUSY,
		    _("user %s went away while the password was checked; try "
		    "again"), name) : rc;
	if (sodium_memcmp(u->stamp, p->stamp, sizeof p->stamp) != 0)
		return rd_err_set(err, RD_VAULT_BUSY, _("user %s changed while "
		    "the password was checked; try again"), name);
	if ((rc = flow_check_lock(ctx, u, err)) != RD_OK)
		return rc;
	if (p->verdict == RD_OK && p->rehash != NULL)
		return login_rehash(ctx, u, p->rehash, err);
	if (p->verdict == RD_OK)
		return RD_OK;
	*err = p->why;
	if ((rc = flow_fail(ctx, u, "login", "bad_credentials", err)) != RD_OK)
		return rc;
	return RD_BAD_CREDENTIALS;
}

/* After the commit: carry the code; a failure leaves the token standing. */
static enum rd_code RD_CHECK
login_send(struct rd_ctx *ctx, void *arg, cJSON *out, struct rd_err *err)
{
	struct rd_err	 serr;
	char		*sent_to = NULL;
	long		 expires_in = 0;

	(void)err;
	if (flow_send_finish(ctx, arg, &sent_to, &expires_in, &serr) == RD_OK)
		json_str(out, "sent_to", sent_to);
	else
		json_str(out, "send_error", serr.msg);
	free(sent_to);
	return RD_OK;
}

/* An ephemeral token and the methods that may finish the login. */
static enum rd_code RD_CHECK
login_token(struct rd_ctx *ctx, const struct vault_user *u,
    const struct vault_method *list, size_t n,
    const struct vault_method *primary, cJSON *out, struct rd_err *err)
{
	long		 lifetime = config_int(ctx->cfg,
			    CK_EPHEMERAL_TOKEN_LIFETIME);
	int64_t		 now = env_now(ctx->env);
	char		*token = secret_alloc(TOKEN_LEN + 1);
	cJSON		*others, *all;
	size_t		 i;
	enum rd_code	 rc;

	secret_token(ctx->env, token);
	if ((rc = vault_token_put(ctx->vault, token, u->id, now + lifetime, now,
	    err)) == RD_OK &&
	    (rc = flow_audit(ctx, u->name, "login", "mfa_required",
	    primary->name, err)) == RD_OK) {
		json_str(out, "status", "mfa_required");
		json_str(out, "ephemeral_token", token);
		json_str(out, "method", primary->name);
		others = cJSON_AddArrayToObject(out, "other_methods");
		for (i = 0; i < n; i++)
			if (list[i].state == VAULT_ACTIVE && !list[i].primary)
				cJSON_AddItemToArray(others,
				    cJSON_CreateString(list[i].name));
		json_num(out, "expires_in", (double)lifetime);
		/* The same with what a face needs to offer each. */
		all = cJSON_AddArrayToObject(out, "methods");
		cJSON_AddItemToArray(all, flow_method_json(ctx, primary,
		    true));
		for (i = 0; i < n; i++)
			if (list[i].state == VAULT_ACTIVE && !list[i].primary)
				cJSON_AddItemToArray(all,
				    flow_method_json(ctx, &list[i], true));
	}
	secret_release(token);
	return rc;
}

/* The primary's code goes out after the commit; a refusal is reported. */
static enum rd_code RD_CHECK
login_primary_send(struct rd_ctx *ctx, const struct vault_user *u,
    const struct vault_method *primary, cJSON *out, struct rd_err *err)
{
	const struct method_cfg	*mc = config_method(ctx->cfg, primary->name);
	struct flow_send	*send = NULL;
	struct rd_err		 serr;
	enum rd_code		 rc;

	if (mc == NULL || !kind_of(mc)->sends_code)
		return RD_OK;
	rc = flow_send_begin(ctx, u, primary, mc, &send, &serr);
	if (rc == RD_OK) {
		ctx_after(ctx, login_send, send, flow_send_free);
		return RD_OK;
	}
	/* A cooldown or a missing destination does not fail the login. */
	if (rd_code_refusal(rc)) {
		json_str(out, "send_error", serr.msg);
		return RD_OK;
	}
	*err = serr;
	return rc;
}

static enum rd_code RD_CHECK
login_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	 u;
	struct vault_method	*list = NULL, *primary = NULL;
	size_t			 n = 0, i;
	enum rd_code		 rc;

	memset(&u, 0, sizeof u);
	if ((rc = login_password(ctx, in->pos[0], &u, err)) != RD_OK)
		goto out;
	if (!u.active) {
		if ((rc = flow_audit(ctx, u.name, "login", "failure",
		    "inactive_user", err)) == RD_OK)
			rc = rd_err_set(err, RD_INACTIVE_USER, _("user %s is "
			    "inactive"), u.name);
		goto out;
	}
	if ((rc = vault_method_list(ctx->vault, u.id, &list, &n, err)) != RD_OK)
		goto out;
	for (i = 0; i < n; i++)
		if (list[i].state == VAULT_ACTIVE && list[i].primary)
			primary = &list[i];
	if (primary == NULL && ctx->first_factor != NULL) {
		/* No second factor: the first alone must not pass here. */
		if ((rc = flow_audit(ctx, u.name, "login", "failure",
		    "no_active_method", err)) == RD_OK)
			rc = rd_err_set(err, RD_BAD_STATE, _("user %s has no "
			    "active method"), u.name);
		goto out;
	}
	if (primary == NULL) {
		if ((rc = flow_success(ctx, &u, err)) == RD_OK &&
		    (rc = flow_audit(ctx, u.name, "login", "ok",
		    "password only", err)) == RD_OK) {
			json_str(out, "status", "ok");
			json_str(out, "user", u.name);
		}
		goto out;
	}
	if ((rc = login_token(ctx, &u, list, n, primary, out, err)) == RD_OK)
		rc = login_primary_send(ctx, &u, primary, out, err);
out:
	vault_method_list_free(list, n);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_login_entry = {
	.name = "login",
	.usage = "USER",
	.help = N_("first login step (password: one line on stdin)"),
	.minpos = 1,
	.maxpos = 1,
	.flags = CMD_WRITES | CMD_PASSWORD,
	.prepare = login_prepare,
	.exec = login_exec,
};
