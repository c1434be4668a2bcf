/*
 * print.h: the print key (p) of the screens that show secrets once: the
 * backup codes and the QR view of the enrolment wizard.  It writes an
 * enrolment sheet (src/sheet.h) through the core (src/enrol-sheet.h),
 * which also adds the audit row, to a new file in the directory the TUI
 * was started in, named by user, date and time
 * ("redoubt-sheet-alice-20261130-041512.pdf"): no question to answer at
 * the desk, never over an existing file, and the status line says the
 * whole path.
 */
#ifndef RD_UI_PRINT_H
#define RD_UI_PRINT_H

#include <cJSON.h>

#include "screen.h"

/* What goes on the sheet; the screen owns it, and outlives the job. */
struct print_src {
	const char	*user;
	const cJSON	*codes;		/* array of strings, or NULL */
	const cJSON	*app;		/* with otpauth_uri and secret, or NULL */
};

/* The job (tag for the screen's done) that writes the sheet of src. */
struct ui_job	*print_job(int tag, const struct print_src *src);
/* Its outcome on sc's status line. */
void		 print_done(struct screen *sc, const struct ui_job *j);

#endif
