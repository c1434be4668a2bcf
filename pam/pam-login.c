/*
 * pam-login.c: the login of pam_redoubt.so, through the command table as
 * the command line runs it: `user show` in `password` mode (is the name
 * a user, has it an active method), `login` (the password, or the PAM
 * stack's word for the first factor, ctx.first_factor), then `login-code` with what the
 * person types, or `request-code --token` when they type the name of
 * another method.  Every rule (replay, lockout, cooldown, audit) is the
 * core's; this file only maps its answers onto PAM's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include <sodium.h>

#include "../src/cmd.h"
#include "../src/session.h"
#include "../src/util.h"
#include "pam-int.h"

/* ctx->ask: the secrets this call holds; anything else is not ours. */
static enum rd_code RD_CHECK
pam_ask(void *arg, const char *what, char *buf, size_t size,
    struct rd_err *err)
{
	struct pam_call	*c = arg;
	const char	*v = NULL;

	if (strcmp(what, "password") == 0)
		v = c->pass;
	else if (strcmp(what, "code") == 0)
		v = c->code;
	if (v == NULL || strlen(v) >= size) {
		c->ask_failed = true;
		return rd_err_set(err, RD_USAGE, "pam_redoubt has no %s to "
		    "give", what);
	}
	memcpy(buf, v, strlen(v) + 1);
	return RD_OK;
}

enum rd_code
pam_cmd(struct pam_call *c, const char *const *words, cJSON **out,
    struct rd_err *err)
{
	const struct cmd_entry	*e;
	struct cmd_input	 in;
	int			 n, used = 0;
	enum rd_code		 rc;

	*out = cJSON_CreateObject();
	for (n = 0; words[n] != NULL; n++)
		;
	if ((e = cmd_find(n, (char *const *)words, &used)) == NULL)
		return rd_err_set(err, RD_USAGE, "no command %s", words[0]);
	if ((rc = cmd_parse(e, n - used, (char **)words + used, &in, err)) !=
	    RD_OK)
		return rc;
	c->s->ctx.ask = pam_ask;
	c->s->ctx.ask_arg = c;
	rc = cmd_run(e, &c->s->ctx, &in, *out, err);
	pam_debug(c, "%s: %s", e->name, rc == RD_OK ? "ok" :
	    rd_code_name(rc));
	return rc;
}

/* A string of a result, or NULL. */
static const char *
jstr(const cJSON *obj, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The PAM answer for an error of the core, logged when it is a fault. */
static int
pam_fault(struct pam_call *c, const char *step, enum rd_code rc,
    const struct rd_err *err)
{
	switch (rc) {
	case RD_INVALID_CODE:
	case RD_EXPIRED:
	case RD_BAD_CREDENTIALS:
	case RD_INACTIVE_USER:
	case RD_NOT_ALLOWED:
		pam_log(c, LOG_NOTICE, "user %s: %s refused: %s", c->user,
		    step, rd_code_name(rc));
		return PAM_AUTH_ERR;
	case RD_LOCKED_OUT:
		pam_log(c, LOG_NOTICE, "user %s is locked out", c->user);
		return PAM_MAXTRIES;
	default:
		/* The core's message names the problem, never a secret. */
		pam_log(c, LOG_ERR, "user %s: %s failed (%s): %s", c->user,
		    step, rd_code_name(rc), err->msg);
		return PAM_AUTHINFO_UNAVAIL;
	}
}

/* Not a user of the vault, or none of its methods active. */
static int
pam_not_enrolled(struct pam_call *c, bool known)
{
	pam_log(c, LOG_NOTICE, "user %s %s%s", c->user, known ?
	    "has no active method" : "is not in the vault",
	    c->nullok ? " (nullok: ignored)" : "");
	if (c->nullok)
		return PAM_IGNORE;
	return known ? PAM_AUTH_ERR : PAM_USER_UNKNOWN;
}

/* `user show`: whether the user is there with an active method. */
static int
pam_enrolled(struct pam_call *c)
{
	const char	*words[] = { "user", "show", c->user, NULL };
	const cJSON	*m;
	cJSON		*out = NULL;
	struct rd_err	 err;
	enum rd_code	 rc;
	int		 n = 0;

	rc = pam_cmd(c, words, &out, &err);
	if (rc == RD_OK)
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(out,
		    "methods"))
			if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m,
			    "in_config")) && jstr(m, "state") != NULL &&
			    strcmp(jstr(m, "state"), "active") == 0)
				n++;
	cmd_result_free(out);
	if (rc == RD_NOT_FOUND || rc == RD_USAGE)
		return pam_not_enrolled(c, false);
	if (rc != RD_OK)
		return pam_fault(c, "user show", rc, &err);
	return n > 0 ? PAM_SUCCESS : pam_not_enrolled(c, true);
}

/* The password for `password`: PAM_AUTHTOK as asked, else a prompt. */
static int
pam_password(struct pam_call *c)
{
	const void	*tok = NULL;
	int		 r;

	c->pass = c->sec->pass;
	if (c->use_first_pass || c->try_first_pass) {
		if (pam_get_item(c->pamh, PAM_AUTHTOK, &tok) == PAM_SUCCESS &&
		    tok != NULL && strlen(tok) < SECRET_LINE_MAX) {
			memcpy(c->pass, tok, strlen(tok) + 1);
			return PAM_SUCCESS;
		}
		if (c->use_first_pass) {
			pam_log(c, LOG_NOTICE, "use_first_pass: no password "
			    "from the modules before");
			return PAM_AUTH_ERR;
		}
	}
	if ((r = pam_ask_line(c, "Password: ", false, c->pass,
	    SECRET_LINE_MAX)) != PAM_SUCCESS)
		return r;
	/* For the modules after, as pam_unix does. */
	if (pam_set_item(c->pamh, PAM_AUTHTOK, c->pass) != PAM_SUCCESS)
		pam_debug(c, "PAM_AUTHTOK not kept");
	return PAM_SUCCESS;
}

/* Where a code went, or why it did not; PAM_SUCCESS when it went. */
static int
pam_sent(struct pam_call *c, const char *method, const cJSON *out)
{
	const char	*to = jstr(out, "sent_to"), *why = jstr(out,
			    "send_error");

	if (to != NULL) {
		pam_say(c, PAM_TEXT_INFO, "A code was sent to %s.", to);
		return PAM_SUCCESS;
	}
	if (why != NULL) {
		pam_log(c, LOG_ERR, "user %s: the code of %s was not sent: %s",
		    c->user, method, why);
		pam_say(c, PAM_ERROR_MSG, "No code could be sent by %s now.",
		    method);
		return PAM_AUTHINFO_UNAVAIL;
	}
	return PAM_SUCCESS;
}

/* The active method named name in the login's list, or NULL. */
static const cJSON *
pam_method(const cJSON *methods, const char *name)
{
	const cJSON	*m;

	cJSON_ArrayForEach(m, methods)
		if (jstr(m, "name") != NULL && strcmp(jstr(m, "name"), name) ==
		    0)
			return m;
	return NULL;
}

/* "Or type the name of another method: sms, email." */
static void
pam_others(struct pam_call *c, const cJSON *methods, const char *current)
{
	const cJSON	*m;
	char		 list[256] = "";
	size_t		 len = 0;
	int		 k;

	cJSON_ArrayForEach(m, methods) {
		if (jstr(m, "name") == NULL || strcmp(jstr(m, "name"),
		    current) == 0)
			continue;
		k = snprintf(list + len, sizeof list - len, "%s%s",
		    len > 0 ? ", " : "", jstr(m, "name"));
		if (k < 0 || (size_t)k >= sizeof list - len)
			break;
		len += (size_t)k;
	}
	if (len > 0)
		pam_say(c, PAM_TEXT_INFO, "Or type the name of another method: "
		    "%s.", list);
}

/* The person typed the name of method m: send its code if it has one. */
static int
pam_switch(struct pam_call *c, const cJSON *m)
{
	const char	*name = jstr(m, "name");
	const char	*words[] = { "request-code", "--token", c->token, name,
			    NULL };
	cJSON		*out = NULL;
	struct rd_err	 err;
	enum rd_code	 rc;
	int		 r;

	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "sends_code"))) {
		pam_say(c, PAM_TEXT_INFO, "Type the code of %s.", name);
		return PAM_SUCCESS;
	}
	rc = pam_cmd(c, words, &out, &err);
	if (rc == RD_OK)
		r = pam_sent(c, name, out);
	else if (rc == RD_LOCKED_OUT)
		r = pam_fault(c, "request-code", rc, &err);
	else {
		/* A cooldown, a provider down: the person may pick again. */
		pam_log(c, rd_code_refusal(rc) ? LOG_NOTICE : LOG_ERR,
		    "user %s: no code sent by %s (%s): %s", c->user, name,
		    rd_code_name(rc), err.msg);
		pam_say(c, PAM_ERROR_MSG, "No code could be sent by %s now.",
		    name);
		r = PAM_SUCCESS;
	}
	cmd_result_free(out);
	return r;
}

/* `login-code TOKEN -` with the code typed. */
static int
pam_code(struct pam_call *c)
{
	const char	*words[] = { "login-code", c->token, "-", NULL };
	cJSON		*out = NULL;
	struct rd_err	 err;
	enum rd_code	 rc;

	rc = pam_cmd(c, words, &out, &err);
	if (rc == RD_OK)
		pam_log(c, LOG_INFO, "user %s: logged in with %s", c->user,
		    jstr(out, "method_used") != NULL ? jstr(out,
		    "method_used") : "?");
	cmd_result_free(out);
	return rc == RD_OK ? PAM_SUCCESS : pam_fault(c, "login-code", rc,
	    &err);
}

/* Prompts until a code is typed (a method's name switches to it). */
static int
pam_prompts(struct pam_call *c, const cJSON *methods, const char *primary)
{
	char		 current[PAM_RD_CODE_MAX + 1];
	const cJSON	*m;
	int		 i, r;

	snprintf(current, sizeof current, "%s", primary);
	c->code = c->sec->code;
	for (i = 0; i < PAM_RD_PROMPTS; i++) {
		pam_others(c, methods, current);
		if ((r = pam_ask_line(c, "Verification code: ", false, c->code,
		    PAM_RD_CODE_MAX + 1)) != PAM_SUCCESS)
			return r;
		if (c->code[0] == '\0') {
			pam_log(c, LOG_NOTICE, "user %s: no code typed",
			    c->user);
			return PAM_AUTH_ERR;
		}
		if ((m = pam_method(methods, c->code)) == NULL)
			return pam_code(c);
		snprintf(current, sizeof current, "%s", c->code);
		pam_debug(c, "user %s switches to %s", c->user, current);
		if ((r = pam_switch(c, m)) != PAM_SUCCESS)
			return r;
	}
	pam_log(c, LOG_NOTICE, "user %s: %d prompts without a code", c->user,
	    PAM_RD_PROMPTS);
	return PAM_AUTH_ERR;
}

int
pam_login(struct pam_call *c)
{
	const char	*words[] = { "login", c->user, NULL };
	const cJSON	*methods;
	const char	*tok, *primary;
	cJSON		*out = NULL;
	struct rd_err	 err;
	enum rd_code	 rc;
	int		 r;

	/*
	 * With a password, `login` counts a name that is no user as a wrong
	 * password (it answers as for a user); PAM wants to know, so ask
	 * first.  Without one, `login` itself says RD_NOT_FOUND or
	 * RD_BAD_STATE (ctx.first_factor), and one command is saved.
	 */
	if (c->password && ((r = pam_enrolled(c)) != PAM_SUCCESS ||
	    (r = pam_password(c)) != PAM_SUCCESS))
		return r;
	rc = pam_cmd(c, words, &out, &err);
	if (rc == RD_NOT_FOUND || rc == RD_BAD_STATE)
		/* Removed or emptied since `user show`. */
		r = pam_not_enrolled(c, rc == RD_BAD_STATE);
	else if (rc != RD_OK)
		r = pam_fault(c, "login", rc, &err);
	else if ((tok = jstr(out, "ephemeral_token")) == NULL ||
	    (primary = jstr(out, "method")) == NULL ||
	    strlen(tok) >= PAM_RD_TOKEN_MAX)
		/* A password-only login: no second factor to ask for. */
		r = pam_not_enrolled(c, true);
	else {
		c->token = c->sec->token;
		memcpy(c->token, tok, strlen(tok) + 1);
		methods = cJSON_GetObjectItemCaseSensitive(out, "methods");
		r = pam_sent(c, primary, out);
		/* A code that did not go: another method may still serve. */
		if (r == PAM_SUCCESS || cJSON_GetArraySize(methods) > 1)
			r = pam_prompts(c, methods, primary);
	}
	cmd_result_free(out);
	return r;
}
