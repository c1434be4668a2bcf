/*
 * user.h: what a user record may hold, shared by `user add` and
 * `user set`: the checks on names, e-mail addresses and phone numbers, and
 * applying a set of changes to a record.
 */
#ifndef RD_USER_H
#define RD_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "../vault/vault.h"
#include "ctx.h"

/*
 * A name a user may have: 1 to VAULT_NAME_MAX bytes of UTF-8 without
 * spaces or controls.  Vaults made before ':' was refused may hold names
 * with one, so this is the test for looking a user up.
 */
bool		user_name_ok(const char *name);
/* RD_USAGE saying what a user name may be. */
enum rd_code	user_name_refused(const char *name, struct rd_err *err)
		    RD_CHECK;
/*
 * A name for a new user: user_name_ok and no ':', which the Key URI
 * Format of authenticator apps forbids in an account name.  RD_USAGE
 * saying why otherwise.
 */
enum rd_code	user_name_check(const char *name, struct rd_err *err)
		    RD_CHECK;
/*
 * Whether name can be the account name of an otpauth URI (no ':'); else
 * RD_NOT_ALLOWED telling the operator to rename the user.
 */
enum rd_code	user_name_for_app(const char *name, struct rd_err *err)
		    RD_CHECK;
/* local@domain, ASCII printable, at most 254 bytes. */
bool		user_email_ok(const char *email);
/* E.164: + and 6 to 15 digits, the first not 0. */
bool		user_phone_ok(const char *phone);

/* + and at most 15 digits, and the NUL. */
#define USER_PHONE_MAX	17
/*
 * A phone number as people write it ("+1 (555) 123-4567", "+48
 * 500-000-000", "0048 500 000 000") into E.164 in out: spaces, dashes,
 * dots and parentheses dropped, a leading 00 read as +.  RD_USAGE saying
 * what is wrong, with an example, otherwise; a number without its
 * country code is never guessed at.
 */
enum rd_code	user_phone_normalise(const char *in,
		    char out[USER_PHONE_MAX], struct rd_err *err) RD_CHECK;

/* Changes to a user; NULL fields stay, "" clears; phone as people write it. */
struct user_change {
	const char	*email;
	const char	*phone;
	bool		 activate;
	bool		 deactivate;
};

/* Apply c to u, checked first: nothing changes on bad input. */
enum rd_code	user_apply(const struct user_change *c, struct vault_user *u,
		    struct rd_err *err) RD_CHECK;
/*
 * Ask for a new password and hash it (Argon2id at password_kdf), before
 * the step's transaction; *hash is secret_alloc'd (secret_release it).
 */
enum rd_code	user_password_hash(struct rd_ctx *ctx, char **hash,
		    struct rd_err *err) RD_CHECK;
/* The cost of user passwords: [redoubt] password_kdf. */
enum vault_kdf	user_password_kdf(const struct rd_ctx *ctx);
/* A command's prepare for --password-stdin: the hash into ctx->prep. */
enum rd_code	user_password_prepare(struct rd_ctx *ctx, bool wanted,
		    struct rd_err *err) RD_CHECK;

#endif
