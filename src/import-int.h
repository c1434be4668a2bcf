/*
 * import-int.h: what the files of the user import share (import.h):
 * the columns, a row as read and as it fared, and the report of refused
 * rows.  import-row.c reads and checks a row before any transaction,
 * import-apply.c writes it inside one, import-report.c writes the
 * report, import.c drives them chunk by chunk.
 */
#ifndef RD_IMPORT_INT_H
#define RD_IMPORT_INT_H

#include <stdbool.h>
#include <stdio.h>

#include <cJSON.h>

#include "config.h"
#include "csv.h"
#include "ctx.h"
#include "flow.h"
#include "import.h"

enum import_col {
	IC_USER,
	IC_EMAIL,
	IC_PHONE,
	IC_ACTIVE,
	IC_PASSWORD,
	IC_METHODS,
	IC_NCOLS
};

#define IMPORT_METHODS_MAX	8	/* methods one row may start */

/* The header: where each column is, and the names as the file has them. */
struct import_cols {
	int	 at[IC_NCOLS];		/* field index; -1: no such column */
	char	**names;		/* header fields, for the report;
					   NULL: an ignored column */
	int	 n;
};

enum import_fate {
	IF_PENDING,		/* read and checked, not written yet */
	IF_REFUSED,
	IF_CREATED,
	IF_UPDATED,
	IF_SKIPPED,		/* the user exists and update is off */
};

struct import_row {
	long			 line;
	char			**fields;	/* copies; NULL: not CSV */
	int			 nfields;
	int			 active;	/* 1, 0; -1: not given */
	char			*pwhash;	/* secret_alloc'd; NULL: none */
	const struct method_cfg	*methods[IMPORT_METHODS_MAX];
	int			 nmethods;
	enum import_fate	 fate;
	char			*reason;	/* why refused */
	int			 started;	/* methods started */
	int			 held;		/* code channels left for --send */
	cJSON			*enrol;		/* what each started method needs */
	struct flow_send	*sends[IMPORT_METHODS_MAX];
	cJSON			*send_obj[IMPORT_METHODS_MAX];	/* in enrol */
	int			 nsends;
};

/* User names seen in the file, with the line of each (import-row.c). */
struct import_names;
struct import_names	*import_names_new(void);
void			 import_names_free(struct import_names *s);

/*
 * The header record: each column placed by its name, an unknown one or a
 * missing user column refused (RD_USAGE naming them); what names the
 * file in messages.
 */
enum rd_code	import_header(char *const *fields, int n, const char *what,
		    struct import_cols *cols, struct rd_err *err) RD_CHECK;
void		import_cols_clear(struct import_cols *cols);

/*
 * One record into r (fields copied), checked as far as it can be
 * without the vault: the field count, the name (user_name_check), a name
 * seen earlier in the file, active, the methods.  A bad record leaves r
 * refused with its reason.  fields NULL: a record that is not CSV, err
 * saying why.
 */
void		import_row_read(struct rd_ctx *ctx,
		    const struct import_cols *cols, struct import_names *names,
		    char *const *fields, int n, long line,
		    const struct rd_err *err, struct import_row *r);
/*
 * Before the chunk's transaction: the row's password hashed (Argon2id),
 * unless the row will be skipped anyway.  A vault error is returned; a
 * refusal lands in r.
 */
enum rd_code	import_row_prepare(struct rd_ctx *ctx,
		    const struct import_cols *cols, bool update,
		    struct import_row *r, struct rd_err *err) RD_CHECK;
/* The row's field for col, NULL when the column is absent or empty. */
const char	*import_field(const struct import_cols *cols,
		    const struct import_row *r, enum import_col col);
/* Refuse r with msg (copied); what was begun for it is dropped. */
void		import_row_refuse(struct import_row *r, const char *msg);
/* Wipe and free what r holds, sends not made included. */
void		import_row_clear(struct import_row *r);

/*
 * In the chunk's transaction: every pending row of rows written under
 * its own savepoint; refusals land in the rows.  Returns a vault error
 * only (then the transaction must go).
 */
struct import_chunk {
	const struct import_opts	*o;
	const struct import_cols	*cols;
	struct import_row		*rows;
	int				 n;
};
enum rd_code	import_chunk_tx(struct rd_ctx *ctx, void *chunk,
		    struct rd_err *err) RD_CHECK;

/*
 * The report (import-report.c): created mode 0600 (also when it was
 * there), the header's columns then line and reason; a refused row with
 * its password column blank.
 */
enum rd_code	import_report_open(const char *path, FILE **fp,
		    struct rd_err *err) RD_CHECK;
int		import_report_header(FILE *fp, const struct import_cols *cols);
int		import_report_row(FILE *fp, const struct import_cols *cols,
		    const struct import_row *r);
enum rd_code	import_report_close(FILE *fp, const char *path,
		    struct rd_err *err) RD_CHECK;

#endif
