/*
 * user.c: checks and changes of user records.  Bad input is
 * refused before anything is written, naming the option that is wrong.
 */
#include <string.h>

#include <sodium.h>

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
	return rd_err_set(err, RD_USAGE, "that is not a user name (1 to %d "
	    "bytes of UTF-8, no spaces or control characters)",
	    VAULT_NAME_MAX);
}

enum rd_code
user_name_check(const char *name, struct rd_err *err)
{
	if (!user_name_ok(name))
		return user_name_refused(name, err);
	/* Valid UTF-8 without controls: safe to repeat. */
	if (strchr(name, ':') != NULL)
		return rd_err_set(err, RD_USAGE, "'%s' cannot be a user name: "
		    "':' is not allowed, because authenticator apps refuse it "
		    "in an account name (otpauth Key URI Format)",
		    name);
	return RD_OK;
}

enum rd_code
user_name_for_app(const char *name, struct rd_err *err)
{
	if (strchr(name, ':') == NULL)
		return RD_OK;
	return rd_err_set(err, RD_NOT_ALLOWED, "user '%s' has a ':' in the "
	    "name, which authenticator apps refuse in an account name "
	    "(otpauth Key URI Format); rename the user, or add them again "
	    "under a name without ':', before enrolling an app", name);
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

	if (*phone++ != '+')
		return false;
	for (; *phone != '\0'; phone++, n++)
		if (*phone < '0' || *phone > '9')
			return false;
	return n >= 6 && n <= 15;
}

enum rd_code
user_apply(const struct user_change *c, struct vault_user *u,
    struct rd_err *err)
{
	if (c->email != NULL && *c->email != '\0' && !user_email_ok(c->email))
		return rd_err_set(err, RD_USAGE, "--email: '%s' is not an "
		    "e-mail address", c->email);
	if (c->phone != NULL && *c->phone != '\0' && !user_phone_ok(c->phone))
		return rd_err_set(err, RD_USAGE, "--phone: '%s' is not a phone "
		    "number in E.164 form (+ and 6 to 15 digits)", c->phone);
	if (c->activate && c->deactivate)
		return rd_err_set(err, RD_USAGE, "--active and --inactive "
		    "together");
	/* An empty value clears the field. */
	if (c->email != NULL) {
		secret_release(u->email);
		u->email = *c->email ? secret_strdup(c->email) : NULL;
	}
	if (c->phone != NULL) {
		secret_release(u->phone);
		u->phone = *c->phone ? secret_strdup(c->phone) : NULL;
	}
	if (c->activate)
		u->active = true;
	if (c->deactivate)
		u->active = false;
	return RD_OK;
}

enum rd_code
user_password_hash(struct rd_ctx *ctx, char **hash, struct rd_err *err)
{
	char		*pw = secret_alloc(SECRET_LINE_MAX);
	enum rd_code	 rc;

	*hash = NULL;
	if ((rc = ctx->ask(ctx->ask_arg, "password", pw, SECRET_LINE_MAX,
	    err)) == RD_OK && pw[0] == '\0')
		rc = rd_err_set(err, RD_USAGE, "the password is empty");
	if (rc == RD_OK) {
		*hash = secret_alloc(VAULT_PWHASH_MAX);
		if ((rc = vault_password_hash(ctx->vault, pw, strlen(pw), *hash,
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
