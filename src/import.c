/*
 * import.c: a user import from start to end (import.h): the header, then
 * chunk after chunk: rows read and checked, passwords hashed, the chunk
 * written in one transaction (import-apply.c), its codes sent after the
 * commit, its refused rows reported; then the summary.  A vault error
 * stops the import: the chunks committed before it stay, whole.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "enrol-sheet.h"
#include "i18n.h"
#include "import-int.h"
#include "json.h"
#include "tx.h"
#include "util.h"

struct import_run {
	struct rd_ctx			*ctx;
	const struct import_opts	*o;
	struct import_cols		 cols;
	struct import_names		*names;
	FILE				*report;
	long				 rows, created, updated, skipped;
	long				 refused, started, held, sent, unsent;
	long				 total, sheets;
	cJSON				*refused_list, *enrolments, *failures;
	cJSON				*sheet_failures;
	struct timespec			 t0;
};

/* Nothing is asked during an import: a kind that asks cannot start. */
static enum rd_code RD_CHECK
import_no_ask(void *arg, const char *what, char *buf, size_t size,
    struct rd_err *err)
{
	(void)arg;
	(void)buf;
	(void)size;
	return rd_err_set(err, RD_NOT_ALLOWED, _("an import cannot ask for "
	    "the %s: start this method with redoubt activate"), what);
}

static double
import_seconds(const struct import_run *ir)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - ir->t0.tv_sec) +
	    (double)(now.tv_nsec - ir->t0.tv_nsec) / 1e9;
}

static void
import_progress(struct import_run *ir, long done, bool end)
{
	if (ir->ctx->progress != NULL)
		ir->ctx->progress(ir->ctx->progress_arg, done, ir->total, end);
}

/* Records after the header, for the progress bar's total; -1: unknown. */
static long
import_count(const char *path)
{
	struct csv	*c;
	struct rd_err	 err;
	char		*f[CSV_MAX_FIELDS];
	long		 line, n = -1;
	int		 nf;
	enum rd_code	 rc;

	if (strcmp(path, "-") == 0 || csv_open_file(path, path, &c, &err) !=
	    RD_OK)
		return -1;
	while ((rc = csv_next(c, f, &nf, &line, &err)) == RD_OK ||
	    rc == RD_USAGE)
		n++;
	csv_free(c);
	return n;
}

/* After the commit: the chunk's codes, one at a time. */
static enum rd_code RD_CHECK
import_sends(struct import_run *ir, struct import_row *r,
    struct rd_err *err)
{
	struct rd_err	 serr;
	char		*sent_to;
	long		 expires_in;
	cJSON		*f;
	enum rd_code	 rc;
	int		 i;

	for (i = 0; i < r->nsends; i++) {
		rd_err_clear(&serr);
		rc = flow_send_finish(ir->ctx, r->sends[i], &sent_to,
		    &expires_in, &serr);
		flow_send_free(r->sends[i]);
		r->sends[i] = NULL;
		if (rc == RD_OK) {
			json_str(r->send_obj[i], "sent_to", sent_to);
			json_num(r->send_obj[i], "expires_in",
			    (double)expires_in);
			free(sent_to);
			ir->sent++;
			continue;
		}
		if (rd_code_exit(rc) == 3) {
			*err = serr;
			r->nsends = 0;
			return rc;
		}
		ir->unsent++;
		f = cJSON_CreateObject();
		json_num(f, "line", (double)r->line);
		json_str(f, "user", import_field(&ir->cols, r, IC_USER));
		json_str(f, "method", cJSON_GetStringValue(
		    cJSON_GetObjectItem(r->send_obj[i], "method")));
		json_str(f, "reason", serr.msg);
		cJSON_AddItemToArray(ir->failures, f);
	}
	r->nsends = 0;
	return RD_OK;
}

/*
 * With --sheets DIR: the enrolment sheet of an app just started, as
 * `activate --sheet` writes it, named USER-METHOD.pdf in DIR (a name
 * that is taken is not overwritten: the row says so under
 * sheet_failures).  The enrolment has committed: a sheet that cannot be
 * written does not undo it.
 */
static enum rd_code RD_CHECK
import_sheet(struct import_run *ir, cJSON *enr, struct rd_err *err)
{
	const char	*user = cJSON_GetStringValue(cJSON_GetObjectItem(enr,
			    "user"));
	const char	*method = cJSON_GetStringValue(cJSON_GetObjectItem(enr,
			    "method"));
	struct sheet	 sh;
	struct rd_err	 serr;
	char		*name, *path, *written = NULL;
	cJSON		*f;
	enum rd_code	 rc;
	size_t		 i;

	if (ir->o->sheets == NULL || user == NULL || method == NULL ||
	    cJSON_GetObjectItem(enr, "otpauth_uri") == NULL)
		return RD_OK;
	name = xasprintf("%s-%s.pdf", user, method);
	/* A name, not a path: no '/' or control character from a cell. */
	for (i = 0; i + 4 < strlen(name); i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '.' &&
		    name[i] != '-' && name[i] != '_')
			name[i] = '_';
	path = xasprintf("%s/%s", ir->o->sheets, name);
	free(name);
	enrol_sheet_from(ir->ctx, enr, &sh);
	rd_err_clear(&serr);
	rc = enrol_sheet_save(ir->ctx, &sh, path, &written, &serr);
	enrol_sheet_clear(&sh);
	free(path);
	if (rc == RD_OK) {
		json_str(enr, "sheet", written);
		free(written);
		ir->sheets++;
		return RD_OK;
	}
	if (rd_code_exit(rc) == 3) {
		*err = serr;
		return rc;
	}
	f = cJSON_CreateObject();
	cJSON_AddItemToObject(f, "line", cJSON_Duplicate(cJSON_GetObjectItem(
	    enr, "line"), 1));
	json_str(f, "user", user);
	json_str(f, "method", method);
	json_str(f, "reason", serr.msg);
	cJSON_AddItemToArray(ir->sheet_failures, f);
	return RD_OK;
}

/* A chunk's rows as they fared: counted, reported, listed. */
static enum rd_code RD_CHECK
import_account(struct import_run *ir, struct import_row *r,
    struct rd_err *err)
{
	cJSON	*obj, *it;

	ir->rows++;
	switch (r->fate) {
	case IF_CREATED:
	case IF_UPDATED:
		if (r->fate == IF_CREATED)
			ir->created++;
		else
			ir->updated++;
		ir->started += r->started;
		ir->held += r->held;
		while (r->enrol != NULL && (it = r->enrol->child) != NULL) {
			cJSON_AddItemToArray(ir->enrolments,
			    cJSON_DetachItemViaPointer(r->enrol, it));
			if (import_sheet(ir, it, err) != RD_OK)
				return err->code;
		}
		return RD_OK;
	case IF_SKIPPED:
		ir->skipped++;
		return RD_OK;
	default:
		break;
	}
	ir->refused++;
	if (ir->refused <= IMPORT_LISTED) {
		obj = cJSON_CreateObject();
		json_num(obj, "line", (double)r->line);
		json_str(obj, "user", import_field(&ir->cols, r, IC_USER));
		json_str(obj, "reason", r->reason);
		cJSON_AddItemToArray(ir->refused_list, obj);
	}
	if (ir->report != NULL && import_report_row(ir->report, &ir->cols,
	    r) != 0)
		return rd_err_set(err, RD_USAGE, _("cannot write the report "
		    "%s"), ir->o->report);
	return RD_OK;
}

/* One chunk: read, prepare, write, send, account.  *end at the file's. */
static enum rd_code RD_CHECK
import_chunk(struct import_run *ir, struct csv *c, struct import_row *rows,
    int size, bool *end, struct rd_err *err)
{
	struct import_chunk	 ch = { ir->o, &ir->cols, rows, 0 };
	struct rd_err		 cerr;
	char			*f[CSV_MAX_FIELDS];
	long			 line;
	int			 nf, i;
	enum rd_code		 rc = RD_OK, crc;

	while (ch.n < size) {
		rd_err_clear(&cerr);
		crc = csv_next(c, f, &nf, &line, &cerr);
		if (crc == RD_NOT_FOUND) {
			*end = true;
			break;
		}
		if (crc != RD_OK && crc != RD_USAGE) {
			*err = cerr;
			rc = crc;
			break;
		}
		import_row_read(ir->ctx, &ir->cols, ir->names,
		    crc == RD_OK ? f : NULL, nf, line, &cerr, &rows[ch.n++]);
	}
	for (i = 0; rc == RD_OK && i < ch.n; i++) {
		rc = import_row_prepare(ir->ctx, &ir->cols, ir->o->update,
		    &rows[i], err);
		if (rows[i].pwhash != NULL)
			import_progress(ir, ir->rows + i + 1, false);
	}
	if (rc == RD_OK && ch.n > 0)
		rc = tx_run(ir->ctx, import_chunk_tx, &ch, err);
	for (i = 0; rc == RD_OK && i < ch.n; i++)
		rc = import_sends(ir, &rows[i], err);
	for (i = 0; rc == RD_OK && i < ch.n; i++)
		rc = import_account(ir, &rows[i], err);
	for (i = 0; i < ch.n; i++)
		import_row_clear(&rows[i]);
	if (rc == RD_OK)
		import_progress(ir, ir->rows, false);
	return rc;
}

static void
import_summary(struct import_run *ir, cJSON *out)
{
	double	secs = import_seconds(ir);

	cJSON_AddItemToObject(out, "enrolments", ir->enrolments);
	if (ir->o->send)
		cJSON_AddItemToObject(out, "send_failures", ir->failures);
	else
		cJSON_Delete(ir->failures);
	if (ir->o->sheets != NULL) {
		cJSON_AddItemToObject(out, "sheet_failures",
		    ir->sheet_failures);
		json_num(out, "sheets_written", (double)ir->sheets);
	} else
		cJSON_Delete(ir->sheet_failures);
	cJSON_AddItemToObject(out, "refusals", ir->refused_list);
	ir->enrolments = ir->failures = ir->refused_list = NULL;
	ir->sheet_failures = NULL;
	json_num(out, "rows", (double)ir->rows);
	json_num(out, "users_created", (double)ir->created);
	json_num(out, "users_updated", (double)ir->updated);
	json_num(out, "users_skipped", (double)ir->skipped);
	json_num(out, "rows_refused", (double)ir->refused);
	json_num(out, "methods_started", (double)ir->started);
	json_num(out, "methods_waiting_for_send", (double)ir->held);
	if (ir->o->send) {
		json_num(out, "codes_sent", (double)ir->sent);
		json_num(out, "codes_not_sent", (double)ir->unsent);
	}
	if (ir->o->report != NULL)
		json_str(out, "report", ir->o->report);
	json_num(out, "seconds", (double)(long)(secs * 1000) / 1000);
	json_num(out, "rows_per_second", secs > 0 ?
	    (double)(long)((double)ir->rows / secs) : 0);
}

enum rd_code
import_users(struct rd_ctx *ctx, const struct import_opts *o, cJSON *out,
    struct rd_err *err)
{
	struct import_run	 ir;
	struct import_row	*rows = NULL;
	struct csv		*c = NULL;
	char			*f[CSV_MAX_FIELDS];
	long			 line;
	int			 nf, size = o->chunk > 0 ? o->chunk : IMPORT_CHUNK;
	bool			 end = false;
	struct stat		 sb;
	enum rd_code		 rc, (*ask)(void *, const char *, char *,
				    size_t, struct rd_err *) = ctx->ask;

	memset(&ir, 0, sizeof ir);
	ir.ctx = ctx;
	ir.o = o;
	clock_gettime(CLOCK_MONOTONIC, &ir.t0);
	if (o->sheets != NULL && (stat(o->sheets, &sb) != 0 ||
	    !S_ISDIR(sb.st_mode)))
		return rd_err_set(err, RD_USAGE, _("--sheets %s: not a folder "
		    "(the sheets go there, one PDF for each app started)"),
		    o->sheets);
	if ((rc = csv_open_file(o->path, o->path, &c, err)) != RD_OK)
		return rc;
	rc = csv_next(c, f, &nf, &line, err);
	if (rc == RD_NOT_FOUND)
		rc = rd_err_set(err, RD_USAGE, _("%s is empty: its first row "
		    "names the columns (user, email, phone, active, password, "
		    "methods)"), o->path);
	if (rc != RD_OK || (rc = import_header(f, nf, o->path, &ir.cols,
	    err)) != RD_OK) {
		csv_free(c);
		return rc;
	}
	if (o->report != NULL) {
		if ((rc = import_report_open(o->report, &ir.report, err)) !=
		    RD_OK)
			goto out;
		if (import_report_header(ir.report, &ir.cols) != 0) {
			rc = rd_err_set(err, RD_USAGE, _("cannot write the "
			    "report %s"), o->report);
			goto out;
		}
	}
	ir.total = ctx->progress != NULL ? import_count(o->path) : -1;
	ir.names = import_names_new();
	ir.refused_list = cJSON_CreateArray();
	ir.enrolments = cJSON_CreateArray();
	ir.failures = cJSON_CreateArray();
	ir.sheet_failures = cJSON_CreateArray();
	rows = xcalloc((size_t)size, sizeof *rows);
	ctx->ask = import_no_ask;
	import_progress(&ir, 0, false);
	while (rc == RD_OK && !end)
		rc = import_chunk(&ir, c, rows, size, &end, err);
	ctx->ask = ask;
	import_progress(&ir, ir.rows, true);
	import_summary(&ir, out);
out:
	if (ir.report != NULL) {
		struct rd_err	rerr;

		if (import_report_close(ir.report, o->report, &rerr) != RD_OK &&
		    rc == RD_OK) {
			*err = rerr;
			rc = rerr.code;
		}
	}
	free(rows);
	import_names_free(ir.names);
	import_cols_clear(&ir.cols);
	cJSON_Delete(ir.refused_list);
	cJSON_Delete(ir.enrolments);
	cJSON_Delete(ir.failures);
	cJSON_Delete(ir.sheet_failures);
	csv_free(c);
	return rc;
}
