/*
 * import.h: `redoubt import users FILE.csv` (README.md, "Importing
 * users"): users from a CSV file with a header row, created (or, with
 * update, changed) in chunks of IMPORT_CHUNK rows.  Each chunk is one
 * transaction and each row a savepoint of it (tx_step), so a row is
 * written whole (the user, its password, the methods it starts, their
 * audit rows) or not at all, and a bad row never takes the others down.
 * Passwords are hashed before a chunk's transaction, so no write lock is
 * held meanwhile; codes are sent after the chunk has committed.
 */
#ifndef RD_IMPORT_H
#define RD_IMPORT_H

#include <stdbool.h>

#include <cJSON.h>

#include "ctx.h"
#include "err.h"

#define IMPORT_CHUNK	5000	/* rows per transaction */
#define IMPORT_LISTED	100	/* refused rows named in the result */

struct import_opts {
	const char	*path;		/* the CSV file; "-": stdin */
	const char	*report;	/* CSV of the refused rows; NULL: none */
	bool		 update;	/* change users who exist (else skip) */
	bool		 send;		/* start code channels (a code goes out) */
	const char	*sheets;	/* folder for app enrolments' sheets */
	int		 chunk;		/* rows per transaction; 0: IMPORT_CHUNK */
};

/*
 * Import o->path into ctx->vault, outside any transaction (it opens one
 * per chunk).  The summary goes into out, also when an error stops the
 * import half way: what committed before stays.  Refused rows are no
 * error; a file that cannot be read as an import (no header, unknown or
 * missing columns) is RD_USAGE before anything is written.
 */
enum rd_code	import_users(struct rd_ctx *ctx, const struct import_opts *o,
		    cJSON *out, struct rd_err *err) RD_CHECK;

#endif
