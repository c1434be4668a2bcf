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

#include <stdbool.h>
#include <stddef.h>

/*
 * Every function that can fail says so in its prototype: a caller that
 * drops the result does not build (-Werror).  Dropping one on purpose
 * takes an explicit rd_ignore().
 */
#define RD_CHECK	__attribute__((warn_unused_result))

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

/*
 * Drop a result on purpose (a second error while already failing); say
 * why where it is called.
 */
static inline void
rd_ignore(enum rd_code rc)
{
	(void)rc;
}

/* Fill err (when not NULL) and return code; fmt is printf-like. */
enum rd_code	rd_err_set(struct rd_err *err, enum rd_code code,
		    const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
void		rd_err_clear(struct rd_err *err);

/*
 * What a code means to the core, apart from how the command line shows it:
 * a refusal is a step that ran to a "no" and whose writes stand (a counted
 * failure, a spent attempt); it also lets a check go on to the next
 * method.  A code that counts is a failed guess: it counts toward the
 * user's lockout.
 */
bool		rd_code_refusal(enum rd_code code);
bool		rd_code_counts(enum rd_code code);

/* The stable snake_case name of a code, as in the JSON "code" field. */
const char	*rd_code_name(enum rd_code code);
/* The exit status the command line uses for a code (DESIGN.md §6). */
int		 rd_code_exit(enum rd_code code);

#endif
