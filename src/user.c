/*
 * user.c: checks and changes of user records.  Bad input is
 * refused before anything is written, naming what is wrong.  Phone
 * numbers are taken as people write them and kept in E.164.
 */
#include <string.h>

#include <sodium.h>

#include "config.h"
#include "i18n.h"
#include "user.h"
#include "utf8.h"
#include "util.h"

bool
user_name_ok(const char *name)
{
	uint32_t	cp;
	size_t		n = strlen(name), k;

	if (n == 0 || n > VAULT_NAME_MAX)
		return false;
	/*
	 * Valid UTF-8 with no spaces and no controls (C0, DEL, C1): names
	 * travel in key: value lines, JSON and on terminals.
	 */
	for (; *name != '\0'; name += k)
		if ((k = utf8_next(name, &cp)) == 0 || cp == ' ' ||
		    utf8_control(cp))
			return false;
	return true;
}

enum rd_code
user_name_refused(const char *name, struct rd_err *err)
{
	(void)name;
	/* The name itself is not repeated: it may hold anything at all. */
	return rd_err_set(err, RD_USAGE, _("that is not a user name (1 to %d "
	    "bytes of UTF-8, no spaces or control characters)"),
	    VAULT_NAME_MAX);
}

enum rd_code
user_name_check(const char *name, struct rd_err *err)
{
	if (!user_name_ok(name))
		return user_name_refused(name, err);
	/* Valid UTF-8 without controls: safe to repeat. */
	if (strchr(name, ':') != NULL)
		return rd_err_set(err, RD_USAGE, _("'%s' cannot be a user "
		    "name: ':' is not allowed, because authenticator apps "
		    "refuse it in an account name (otpauth Key URI Format)"),
		    name);
	return RD_OK;
}

enum rd_code
user_name_for_app(const char *name, struct rd_err *err)
{
	if (strchr(name, ':') == NULL)
		return RD_OK;
	return rd_err_set(err, RD_NOT_ALLOWED, _("user '%s' has a ':' in the "
	    "name, which authenticator apps refuse in an account name "
	    "(otpauth Key URI Format); rename the user, or add them again "
	    "under a name without ':', before enrolling an app"), name);
}

bool
user_email_ok(const char *email)
{
	const char	*at = strchr(email, '@');
	size_t		 n = strlen(email);

	if (n > 254 || at == NULL || at == email || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL)
		return false;
	for (; *email != '\0'; email++)
		if ((unsigned char)*email <= 0x20 || (unsigned char)*email >= 0x7f)
			return false;
	return true;
}

bool
user_phone_ok(const char *phone)
{
	size_t	n = 0;

	/* No country code starts with 0. */
	if (*phone++ != '+' || *phone == '0')
		return false;
	for (; *phone != '\0'; phone++, n++)
		if (*phone < '0' || *phone > '9')
			return false;
	return n >= 6 && n <= 15;
}

/* How a phone number in a message is written, and an example of it. */
#define PHONE_EXAMPLE	_(phone_example)
static const char phone_example[] =
    N_("e.g. +48 500 000 000 or +1 555 123 4567");

/* "the phone number 'in'", or without in when it cannot be shown as is. */
static void
phone_shown(const char *in, char *out, size_t outsz)
{
	const char	*p;
	uint32_t	 cp;
	size_t		 k;

	for (p = in; *p != '\0' && p - in < 48; p += k)
		if ((k = utf8_next(p, &cp)) == 0 || utf8_control(cp))
			break;
	if (*p != '\0')
		snprintf(out, outsz, "%s", _("the phone number"));
	else
		snprintf(out, outsz, _("the phone number '%s'"), in);
}

/* A "(0)" as in +44 (0)20 ...: a 0 dialled only within the country. */
static bool
phone_trunk_zero(const char *p)
{
	p += strspn(p + 1, " ") + 1;
	if (*p != '0')
		return false;
	p += strspn(p + 1, " ") + 1;
	return *p == ')';
}

/* The digits of in after its international prefix into out, or why not. */
static enum rd_code RD_CHECK
phone_parse(const char *in, char out[USER_PHONE_MAX - 1], struct rd_err *err)
{
	char		 shown[96];
	const char	*p;
	size_t		 n = 0, digits = 0, k;
	bool		 plus = false, zeros = false;
	uint32_t	 cp;

	phone_shown(in, shown, sizeof shown);
	for (p = in; *p != '\0'; p++) {
		if (*p == ' ' || *p == '-' || *p == '.' || *p == ')')
			continue;
		if (*p == '(') {
			if (phone_trunk_zero(p))
				return rd_err_set(err, RD_USAGE, _("%s has a "
				    "(0), which is dialled only within the "
				    "country: leave it out, e.g. +44 20 7946 "
				    "0000"), shown);
			continue;
		}
		if (*p == '+' && digits == 0 && !plus) {
			plus = true;
			continue;
		}
		if (*p == '+')
			return rd_err_set(err, RD_USAGE, _("%s has a + after "
			    "the start: + goes once, before the country code, "
			    "%s"),
			    shown, PHONE_EXAMPLE);
		if (*p < '0' || *p > '9') {
			k = utf8_next(p, &cp);
			if (k == 0 || utf8_control(cp))
				return rd_err_set(err, RD_USAGE, _("%s may "
				    "hold only digits, +, spaces, dashes, dots "
				    "and parentheses, %s"), shown,
				    PHONE_EXAMPLE);
			return rd_err_set(err, RD_USAGE, _("%s cannot hold "
			    "'%.*s': write digits after + and the country code "
			    "(spaces, dashes, dots and parentheses may "
			    "separate them), %s"),
			    shown, (int)k, p, PHONE_EXAMPLE);
		}
		/* 00 is the international prefix that + stands for. */
		if (!plus && !zeros && digits == 1 && out[0] == '0' &&
		    *p == '0') {
			zeros = true;
			digits = n = 0;
			continue;
		}
		if (n < USER_PHONE_MAX - 2)
			out[n++] = *p;
		digits++;
	}
	out[n] = '\0';
	if (!plus && !zeros)
		return rd_err_set(err, RD_USAGE, _("%s has no country code: "
		    "write + and the country code first, %s"), shown,
		    PHONE_EXAMPLE);
	if (digits > 0 && out[0] == '0')
		return rd_err_set(err, RD_USAGE, _("%s has a 0 where the "
		    "country code begins, and no country code begins with 0: "
		    "write + and the country code first, %s"), shown,
		    PHONE_EXAMPLE);
	if (digits < 6 || digits > 15)
		return rd_err_set(err, RD_USAGE, ngettext("%s has %zu digit, "
		    "but with its country code a phone number has 6 to 15, %s",
		    "%s has %zu digits, but with its country code a phone "
		    "number has 6 to 15, %s", (unsigned long)digits), shown,
		    digits, PHONE_EXAMPLE);
	return RD_OK;
}

enum rd_code
user_phone_normalise(const char *in, char out[USER_PHONE_MAX],
    struct rd_err *err)
{
	char		digits[USER_PHONE_MAX - 1];
	enum rd_code	rc;

	out[0] = '\0';
	if ((rc = phone_parse(in, digits, err)) == RD_OK)
		snprintf(out, USER_PHONE_MAX, "+%s", digits);
	sodium_memzero(digits, sizeof digits);
	return rc;
}

enum rd_code
user_apply(const struct user_change *c, struct vault_user *u,
    struct rd_err *err)
{
	char		phone[USER_PHONE_MAX];
	enum rd_code	rc;

	if (c->email != NULL && *c->email != '\0' && !user_email_ok(c->email))
		return rd_err_set(err, RD_USAGE, _("'%s' is not an e-mail "
		    "address"), c->email);
	if (c->phone != NULL && *c->phone != '\0' &&
	    (rc = user_phone_normalise(c->phone, phone, err)) != RD_OK)
		return rc;
	if (c->activate && c->deactivate)
		return rd_err_set(err, RD_USAGE, _("--active and --inactive "
		    "together"));
	/* An empty value clears the field. */
	if (c->email != NULL) {
		secret_release(u->email);
		u->email = *c->email ? secret_strdup(c->email) : NULL;
	}
	if (c->phone != NULL) {
		secret_release(u->phone);
		u->phone = *c->phone ? secret_strdup(phone) : NULL;
	}
	if (c->activate)
		u->active = true;
	if (c->deactivate)
		u->active = false;
	return RD_OK;
}

enum vault_kdf
user_password_kdf(const struct rd_ctx *ctx)
{
	enum vault_kdf	kdf;

	/* config --check refuses anything else; the default is the floor. */
	if (!vault_kdf_parse(config_str(ctx->cfg, CK_PASSWORD_KDF), &kdf) ||
	    kdf == VAULT_KDF_TEST)
		kdf = VAULT_KDF_INTERACTIVE;
	return kdf;
}

enum rd_code
user_password_hash(struct rd_ctx *ctx, char **hash, struct rd_err *err)
{
	char		*pw = secret_alloc(SECRET_LINE_MAX);
	enum rd_code	 rc;

	*hash = NULL;
	if ((rc = ctx->ask(ctx->ask_arg, "password", pw, SECRET_LINE_MAX,
	    err)) == RD_OK && pw[0] == '\0')
		rc = rd_err_set(err, RD_USAGE, _("the password is empty"));
	if (rc == RD_OK) {
		*hash = secret_alloc(VAULT_PWHASH_MAX);
		if ((rc = vault_password_hash(ctx->vault,
		    user_password_kdf(ctx), pw, strlen(pw), *hash,
		    err)) != RD_OK) {
			secret_release(*hash);
			*hash = NULL;
		}
	}
	secret_release(pw);
	return rc;
}

enum rd_code
user_password_prepare(struct rd_ctx *ctx, bool wanted, struct rd_err *err)
{
	char		*hash;
	enum rd_code	 rc;

	if (!wanted)
		return RD_OK;
	if ((rc = user_password_hash(ctx, &hash, err)) == RD_OK)
		ctx_prep(ctx, hash, secret_release);
	return rc;
}
