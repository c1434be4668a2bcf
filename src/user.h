/*
 * user.h: what a user record may hold, shared by `user add` and
 * `user set`: the checks on names, e-mail addresses and phone numbers, and
 * applying the options of those commands to a record.
 */
#ifndef RD_USER_H
#define RD_USER_H

#include <stdbool.h>

#include "../vault/vault.h"
#include "cmd.h"

bool		user_name_ok(const char *name);
/* local@domain, ASCII printable, at most 254 bytes. */
bool		user_email_ok(const char *email);
/* E.164: + and 6 to 15 digits. */
bool		user_phone_ok(const char *phone);

/*
 * Apply --email, --phone, --active, --inactive of entry e to u (checked
 * first: nothing changes on bad input).  *want_password is set for
 * --password-stdin.
 */
enum rd_code	user_apply(const struct cmd_entry *e,
		    const struct cmd_input *in, struct vault_user *u,
		    bool *want_password, struct rd_err *err);
/* Ask for the password and store it (inside the caller's transaction). */
enum rd_code	user_password(struct rd_ctx *ctx, int64_t id,
		    struct rd_err *err);

#endif
