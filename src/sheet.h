/*
 * sheet.h: the enrolment sheet, a one-page printable PDF (A4) for the
 * person being enrolled: who it is for, the issuer, the date, the QR code
 * of the otpauth URI with the secret in groups of four beneath it (when
 * there is an app secret), the backup codes (when there are any), and
 * short instructions in the operator's language.  Made with cairo, which
 * no other file includes (tests/lint.sh), so anything that hands out
 * secrets on paper (confirm, backup-codes, activate, the TUI, importing
 * users) fills a struct sheet and calls the same functions.
 *
 * Files: the sheet is created next to its path under a temporary name
 * (mkstemp: O_CREAT|O_EXCL, mode 0600), written and synced, then linked
 * to its path, which fails rather than replace an existing file; the
 * temporary name is removed whatever happens.  So a sheet is never
 * written over anything, and a failed write leaves nothing behind.
 * sheet_write does it in one go; sheet_stage and sheet_publish are the
 * two halves, for a command that must wait for its transaction to commit
 * in between (enrol-sheet.h).
 *
 * Secrets: the strings of struct sheet belong to the caller, who wipes
 * them; what this module copies (the secret in groups, the QR modules) it
 * wipes.  Error text names the path and the reason, never a secret.
 * cairo's own buffers (the PDF stream it builds) are outside our reach.
 */
#ifndef RD_SHEET_H
#define RD_SHEET_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct sheet {
	const char		*user;		/* account name, printed */
	const char		*issuer;	/* printed; NULL or "": left out */
	const char		*uri;		/* otpauth URI: the QR; NULL: none */
	const char		*secret;	/* base32; NULL: none */
	const char *const	*codes;		/* backup codes; NULL: none */
	size_t			 ncodes;
	int64_t			 when;		/* Unix time, printed as a date */
};

/*
 * Write s to path (see above).  RD_EXISTS when path exists already,
 * RD_USAGE when it cannot be created or written (a missing directory, no
 * permission, a full disk: the reason said), RD_USAGE also for a sheet
 * with nothing to print (neither a secret nor codes) or a URI too long
 * for a QR code.
 */
enum rd_code	sheet_write(const struct sheet *s, const char *path,
		    struct rd_err *err) RD_CHECK;

/* A sheet written under its temporary name, waiting to be published. */
struct sheet_file;

/*
 * The first half: refuse an existing path, write s under a temporary
 * name beside it.  *out is NULL on failure.
 */
enum rd_code	sheet_stage(const struct sheet *s, const char *path,
		    struct sheet_file **out, struct rd_err *err) RD_CHECK;
/* The second half: the sheet appears at its path (RD_EXISTS if taken). */
enum rd_code	sheet_publish(struct sheet_file *f, struct rd_err *err)
		    RD_CHECK;
/* Its path, as given to sheet_stage. */
const char	*sheet_path(const struct sheet_file *f);
/* Remove the temporary file (if still there) and free; NULL is fine. */
void		 sheet_file_free(struct sheet_file *f);

/* RD_EXISTS, in the one wording, when something is at path already. */
enum rd_code	sheet_check_path(const char *path, struct rd_err *err)
		    RD_CHECK;

#endif
