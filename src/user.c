/*
 * user.c: checks and option handling for user records.  Bad input is
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
user_apply(const struct cmd_entry *e, const struct cmd_input *in,
    struct vault_user *u, bool *want_password, struct rd_err *err)
{
	const char	*email = cmd_opt(e, in, "email");
	const char	*phone = cmd_opt(e, in, "phone");

	if (email != NULL && *email != '\0' && !user_email_ok(email))
		return rd_err_set(err, RD_USAGE, "--email: '%s' is not an "
		    "e-mail address", email);
	if (phone != NULL && *phone != '\0' && !user_phone_ok(phone))
		return rd_err_set(err, RD_USAGE, "--phone: '%s' is not a phone "
		    "number in E.164 form (+ and 6 to 15 digits)", phone);
	if (cmd_opt(e, in, "active") != NULL &&
	    cmd_opt(e, in, "inactive") != NULL)
		return rd_err_set(err, RD_USAGE, "--active and --inactive "
		    "together");
	/* An empty value clears the field. */
	if (email != NULL) {
		secret_free(u->email);
		u->email = *email ? xstrdup(email) : NULL;
	}
	if (phone != NULL) {
		secret_free(u->phone);
		u->phone = *phone ? xstrdup(phone) : NULL;
	}
	if (cmd_opt(e, in, "active") != NULL)
		u->active = true;
	if (cmd_opt(e, in, "inactive") != NULL)
		u->active = false;
	*want_password = cmd_opt(e, in, "password-stdin") != NULL;
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
