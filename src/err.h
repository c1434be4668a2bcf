/*
 * err.h: the one error type of redoubt.
 *
 * Every fallible function returns an enum rd_code and takes a struct rd_err *
 * as its last argument; on failure the code is repeated in err->code and
 * err->msg says, for a person, what is wrong.  Library code never prints or
 * exits: cli.c maps codes to exit statuses and the TUI shows the message.
 * Messages never carry a secret.
 */
#ifndef RD_ERR_H
#define RD_ERR_H

#include <stddef.h>

enum rd_code {
	RD_OK = 0,
	RD_INVALID_CODE,
	RD_EXPIRED,
	RD_LOCKED_OUT,
	RD_INACTIVE_USER,
	RD_BAD_CREDENTIALS,
	RD_NOT_FOUND,
	RD_EXISTS,
	RD_BAD_STATE,
	RD_NOT_ALLOWED,
	RD_USAGE,
	RD_BAD_PASSPHRASE,
	RD_VAULT_CORRUPT,
	RD_VAULT_BUSY,
	RD_VAULT_MISSING,
	RD_BACKEND,
	RD_TIMEOUT,
	RD_NETWORK,
	RD_CONFIG,
	RD_CODE_COUNT
};

struct rd_err {
	enum rd_code	code;
	char		msg[512];
};

/* Fill err (when not NULL) and return code; fmt is printf-like. */
enum rd_code	rd_err_set(struct rd_err *err, enum rd_code code,
		    const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
void		rd_err_clear(struct rd_err *err);

/* The stable snake_case name of a code, as in the JSON "code" field. */
const char	*rd_code_name(enum rd_code code);
/* The exit status the command line uses for a code (DESIGN.md §6). */
int		 rd_code_exit(enum rd_code code);

#endif
