/*
 * kind-app.c: authenticator apps (TOTP, RFC 6238; HOTP, RFC 4226).  The
 * secret is random, shown once as an otpauth URI and in groups of four;
 * codes are computed with liboath (otp.c) from the parameters the handler
 * reads from its keys, or from the method's own params when it was
 * imported as a token with an algorithm, digits or period of its own
 * (token.h).  The last accepted time step or counter is kept, so a code
 * is accepted once.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "env.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "kind.h"
#include "otp.h"
#include "token.h"
#include "user.h"
#include "util.h"

/* The parameters of vm's codes: the method's keys, then vm's own. */
static void
app_params(const struct method_cfg *mc, const struct vault_method *vm,
    struct be_app_params *p, enum otp_algo *algo)
{
	token_app_params(mc, vm != NULL ? vm->params : NULL, p, algo);
}

/* The user's name becomes the account name of the otpauth URI. */
static enum rd_code RD_CHECK
app_admit(const struct vault_user *u, const struct method_cfg *mc,
    struct rd_err *err)
{
	(void)mc;
	return user_name_for_app(u->name, err);
}

static enum rd_code RD_CHECK
app_issue(struct rd_ctx *ctx, const struct vault_user *u,
    const struct method_cfg *mc, struct vault_method *vm, struct rd_err *err)
{
	(void)u;
	(void)mc;
	(void)err;
	vm->secret_len = (size_t)config_int(ctx->cfg, CK_SECRET_LENGTH);
	vm->secret = secret_alloc(vm->secret_len + 1);
	env_random(ctx->env, vm->secret, vm->secret_len);
	vm->secret[vm->secret_len] = 0;
	return RD_OK;
}

static void
app_describe(struct rd_ctx *ctx, const struct vault_user *u,
    const struct method_cfg *mc, const struct vault_method *vm, cJSON *out)
{
	struct be_app_params	 p;
	struct otp_uri		 ou;
	char			*uri, *b32, grouped[160];
	size_t			 i, j = 0;

	memset(&ou, 0, sizeof ou);
	app_params(mc, vm, &p, &ou.algo);
	ou.type = p.period > 0 ? "totp" : "hotp";
	ou.issuer = config_str(ctx->cfg, CK_ISSUER);
	ou.account = u->name;
	ou.key = vm->secret;
	ou.keylen = vm->secret_len;
	ou.digits = p.digits;
	ou.period = p.period;
	ou.counter = 0;
	uri = otp_uri(&ou);
	json_str(out, "otpauth_uri", uri);
	secret_free(uri);
	/* As apps take it, and in groups of four for typing by hand. */
	b32 = otp_base32(vm->secret, vm->secret_len);
	json_str(out, "secret", b32);
	for (i = 0; b32 != NULL && b32[i] != '\0' && j + 2 < sizeof grouped;
	    i++) {
		if (i > 0 && i % 4 == 0)
			grouped[j++] = ' ';
		grouped[j++] = b32[i];
	}
	grouped[j] = '\0';
	json_str(out, "secret_grouped", grouped);
	sodium_memzero(grouped, sizeof grouped);
	secret_free(b32);
}

static void
app_facts(const struct vault_user *u, const struct method_cfg *mc,
    const struct vault_method *vm, cJSON *obj)
{
	struct be_app_params	p;
	enum otp_algo		algo;
	char			serial[TOKEN_SERIAL_MAX + 1];

	(void)u;
	app_params(mc, vm, &p, &algo);
	/* An imported token is known by its serial. */
	if (vm->params != NULL && token_params_get(vm->params, "serial",
	    serial, sizeof serial))
		json_str(obj, "serial", serial);
	/* As in the otpauth URI: what every app assumes goes unsaid. */
	if (algo != OTP_SHA1)
		json_str(obj, "algorithm", otp_algo_name(algo));
	if (p.digits != 6)
		json_num(obj, "digits", p.digits);
	if (p.period > 0 && p.period != 30)
		json_num(obj, "period", p.period);
	/* HOTP: the counter of the next code, that is, codes used so far. */
	if (p.period == 0)
		json_num(obj, "counter", (double)(vm->counter + 1));
}

/* An app method holds TOTP tokens when it has a period, else HOTP. */
static int
app_token(const struct method_cfg *mc)
{
	struct be_app_params	p;
	enum otp_algo		algo;

	app_params(mc, NULL, &p, &algo);
	return p.period > 0 ? TOKEN_TOTP : TOKEN_HOTP;
}

static bool
app_candidate(const struct vault_method *vm, const char *code,
    bool designated)
{
	(void)vm;
	(void)designated;
	return kind_all_digits(code);
}

static enum rd_code RD_CHECK
app_check(struct rd_ctx *ctx, const struct vault_user *u,
    const struct method_cfg *mc, struct vault_method *vm, const char *code,
    bool designated, struct rd_err *err)
{
	struct be_app_params	p;
	enum otp_algo		algo;
	int64_t			first, found = -1;
	int			count;

	(void)u;
	(void)designated;
	app_params(mc, vm, &p, &algo);
	if (!kind_all_digits(code) || strlen(code) != (size_t)p.digits)
		return rd_err_set(err, RD_INVALID_CODE, _("wrong code for %s "
		    "(it has %d digits)"), vm->name, p.digits);
	if (p.period > 0) {
		first = otp_step(env_now(ctx->env), p.period) - p.window;
		count = 2 * p.window + 1;
	} else {
		first = vm->counter + 1;
		count = p.window;
	}
	if (!otp_match(vm->secret, vm->secret_len, first, count, p.digits,
	    algo, code, &found))
		return rd_err_set(err, RD_INVALID_CODE, _("wrong code for %s"),
		    vm->name);
	/* A step at or before the last accepted one is a replay. */
	if (found <= vm->counter)
		return rd_err_set(err, RD_INVALID_CODE, _("that code of %s was "
		    "already used; wait for the next one"), vm->name);
	return vault_method_advance(ctx->vault, vm, found, err);
}

const struct kind_ops kind_app = {
	.name = "app",
	.sends_code = false,
	.prompt = N_("Type the code the authenticator app shows."),
	.code_label = N_("Code"),
	.facts = app_facts,
	.token = app_token,
	.admit = app_admit,
	.issue = app_issue,
	.describe = app_describe,
	.candidate = app_candidate,
	.check = app_check,
};
