/*
 * user.c: checks and changes of user records.  Bad input is
 * refused before anything is written, naming the option that is wrong.
 */
#include <string.h>

#include <sodium.h>

#include "user.h"
#include "util.h"

bool
user_name_ok(const char *name)
{
	size_t	n = strlen(name);

	if (n == 0 || n > VAULT_NAME_MAX)
		return false;
	/* No spaces or control bytes: names travel in key: value lines. */
	for (; *name != '\0'; name++)
		if ((unsigned char)*name <= 0x20 || (unsigned char)*name == 0x7f)
			return false;
	return true;
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
		secret_free(u->email);
		u->email = *c->email ? xstrdup(c->email) : NULL;
	}
	if (c->phone != NULL) {
		secret_free(u->phone);
		u->phone = *c->phone ? xstrdup(c->phone) : NULL;
	}
	if (c->activate)
		u->active = true;
	if (c->deactivate)
		u->active = false;
	return RD_OK;
}

enum rd_code
user_password(struct rd_ctx *ctx, int64_t id, struct rd_err *err)
{
	char		pw[1024];
	enum rd_code	rc;

	if ((rc = ctx->ask(ctx->ask_arg, "password", pw, sizeof pw,
	    err)) != RD_OK)
		return rc;
	if (pw[0] == '\0')
		rc = rd_err_set(err, RD_USAGE, "the password is empty");
	else
		rc = vault_user_set_password(ctx->vault, id, pw, strlen(pw),
		    err);
	sodium_memzero(pw, sizeof pw);
	return rc;
}
