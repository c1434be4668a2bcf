/*
 * enrol-sheet.h: writing an enrolment sheet (sheet.h) as part of the
 * work, and recording it: the commands that hand out secrets (confirm,
 * backup-codes, activate) with --sheet FILE, the TUI's print key, and
 * anything else that fills a struct sheet (importing users).
 *
 * The order, so that a sheet exists only for work that stands and every
 * sheet has its audit row:
 *   1. before its first write, a command refuses a path that is taken
 *      (sheet_check_path: RD_EXISTS, nothing done);
 *   2. after its work, still in its transaction, enrol_sheet_stage writes
 *      the whole PDF under a temporary name beside the path; a failure
 *      there (no such directory, a full disk) is an error that rolls the
 *      step back, so no codes are made that nobody can read;
 *   3. after the commit (ctx->after) the file is linked to its path and
 *      one audit row, action "sheet", outcome "written", the user and the
 *      path (never a code or the secret), is added in a transaction of
 *      its own, as sending a code records its outcome.  If that row
 *      cannot be written the sheet is removed again and the command
 *      fails, so no sheet exists without its row.
 * A step that rolls back, or ends in a refusal, removes the temporary
 * file unpublished: a wrong code to confirm writes no sheet.
 *
 * enrol_sheet_save does 2 and 3 at once, for work that has committed
 * already (the TUI's backup-code and QR screens print what a command
 * answered a moment ago).
 */
#ifndef RD_ENROL_SHEET_H
#define RD_ENROL_SHEET_H

#include <stddef.h>

#include <cJSON.h>

#include "ctx.h"
#include "err.h"
#include "sheet.h"

/*
 * The sheet for a result as activate, enrolment and confirm give it
 * ("user", "otpauth_uri", "secret", "backup_codes"), the issuer of the
 * config and the session's clock.  The strings point into res (and the
 * config); enrol_sheet_clear frees the list of codes.
 */
void		 enrol_sheet_from(struct rd_ctx *ctx, const cJSON *res,
		    struct sheet *s);
void		 enrol_sheet_clear(struct sheet *s);

/*
 * In a command's step: write s under a temporary name (RD_USAGE or
 * RD_EXISTS on failure, to be returned so the step rolls back) and leave
 * publishing and the audit row for after the commit, which adds "sheet"
 * (the absolute path) to out.  The step must not leave other work in
 * ctx->after.
 */
enum rd_code	 enrol_sheet_stage(struct rd_ctx *ctx, const struct sheet *s,
		    const char *path, struct rd_err *err) RD_CHECK;

/*
 * Outside any step: write s to path and add its audit row.  *written (may
 * be NULL) gets the absolute path (free()) on success.
 */
enum rd_code	 enrol_sheet_save(struct rd_ctx *ctx, const struct sheet *s,
		    const char *path, char **written, struct rd_err *err)
		    RD_CHECK;

/*
 * A file name for user's sheet in the current directory, by the date and
 * time on the session's clock: "redoubt-sheet-alice-20261130-0415.pdf"
 * (characters other than letters, digits, '.', '-' and '_' become '_').
 */
void		 enrol_sheet_name(struct rd_ctx *ctx, const char *user,
		    char *buf, size_t size);

#endif
