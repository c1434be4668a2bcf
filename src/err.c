/*
 * err.c: filling and naming struct rd_err.
 *
 * The names and exit statuses here are a contract with scripts outside the
 * project (DESIGN.md §6); they change only with the design.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

#define REFUSAL	0x1	/* the step's writes stand */
#define COUNTS	0x2	/* a failed guess, toward the lockout */

static const struct {
	const char	*name;
	int		 exit;
	unsigned	 flags;
} rd_codes[RD_CODE_COUNT] = {
	[RD_OK] =		{ "ok", 0, 0 },
	[RD_INVALID_CODE] =	{ "invalid_code", 1, REFUSAL | COUNTS },
	[RD_EXPIRED] =		{ "expired", 1, REFUSAL | COUNTS },
	[RD_LOCKED_OUT] =	{ "locked_out", 1, REFUSAL | COUNTS },
	[RD_INACTIVE_USER] =	{ "inactive_user", 1, REFUSAL },
	[RD_BAD_CREDENTIALS] =	{ "bad_credentials", 1, REFUSAL | COUNTS },
	[RD_NOT_FOUND] =	{ "not_found", 1, REFUSAL },
	[RD_EXISTS] =		{ "exists", 1, REFUSAL },
	[RD_BAD_STATE] =	{ "bad_state", 1, REFUSAL },
	[RD_NOT_ALLOWED] =	{ "not_allowed", 1, REFUSAL },
	[RD_USAGE] =		{ "usage", 2, 0 },
	[RD_BAD_PASSPHRASE] =	{ "bad_passphrase", 3, 0 },
	[RD_VAULT_CORRUPT] =	{ "vault_corrupt", 3, 0 },
	[RD_VAULT_BUSY] =	{ "vault_busy", 3, 0 },
	[RD_VAULT_MISSING] =	{ "vault_missing", 3, 0 },
	[RD_BACKEND] =		{ "backend", 4, 0 },
	[RD_TIMEOUT] =		{ "timeout", 4, 0 },
	[RD_NETWORK] =		{ "network", 4, 0 },
	[RD_CONFIG] =		{ "config", 5, 0 },
};

enum rd_code
rd_err_set(struct rd_err *err, enum rd_code code, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return code;
}

void
rd_err_clear(struct rd_err *err)
{
	if (err == NULL)
		return;
	err->code = RD_OK;
	err->msg[0] = '\0';
}

const char *
rd_code_name(enum rd_code code)
{
	if ((unsigned)code >= RD_CODE_COUNT)
		return "unknown";
	return rd_codes[code].name;
}

int
rd_code_exit(enum rd_code code)
{
	if ((unsigned)code >= RD_CODE_COUNT)
		return 1;
	return rd_codes[code].exit;
}

bool
rd_code_refusal(enum rd_code code)
{
	return (unsigned)code < RD_CODE_COUNT &&
	    (rd_codes[code].flags & REFUSAL) != 0;
}

bool
rd_code_counts(enum rd_code code)
{
	return (unsigned)code < RD_CODE_COUNT &&
	    (rd_codes[code].flags & COUNTS) != 0;
}
