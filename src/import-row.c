/*
 * import-row.c: reading the rows of a user import (import-int.h): the
 * header, each record copied and checked before any transaction, the
 * names seen so far, and the slow part of a row (hashing its password)
 * done before the chunk's transaction takes the write lock.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "flow.h"
#include "i18n.h"
#include "import-int.h"
#include "kind.h"
#include "user.h"
#include "util.h"

static const char *const import_col_names[IC_NCOLS] = {
	[IC_USER] = "user",
	[IC_EMAIL] = "email",
	[IC_PHONE] = "phone",
	[IC_ACTIVE] = "active",
	[IC_PASSWORD] = "password",
	[IC_METHODS] = "methods",
};

/*
 * Columns of a report (import-report.c), so a corrected report can be
 * imported again as it is.
 */
static const char *const import_ignored[] = { "line", "reason" };

/* An open-addressing set of names, each with the line it came on. */
struct import_names {
	char	**name;
	long	 *line;
	size_t	  size, used;
};

struct import_names *
import_names_new(void)
{
	struct import_names	*s = xcalloc(1, sizeof *s);

	s->size = 1024;
	s->name = xcalloc(s->size, sizeof *s->name);
	s->line = xcalloc(s->size, sizeof *s->line);
	return s;
}

void
import_names_free(struct import_names *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->size; i++)
		free(s->name[i]);
	free(s->name);
	free(s->line);
	free(s);
}

static uint64_t
names_hash(const char *k)
{
	uint64_t	h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *k != '\0'; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return h;
}

static size_t
names_slot(const struct import_names *s, const char *k)
{
	size_t	i = (size_t)names_hash(k) & (s->size - 1);

	while (s->name[i] != NULL && strcmp(s->name[i], k) != 0)
		i = (i + 1) & (s->size - 1);
	return i;
}

/* The line name came on before, or 0 after adding it with line. */
static long
names_add(struct import_names *s, const char *k, long line)
{
	struct import_names	 big;
	size_t			 i, j;

	if ((s->used + 1) * 2 > s->size) {
		big.size = s->size * 2;
		big.name = xcalloc(big.size, sizeof *big.name);
		big.line = xcalloc(big.size, sizeof *big.line);
		for (i = 0; i < s->size; i++) {
			if (s->name[i] == NULL)
				continue;
			j = names_slot(&big, s->name[i]);
			big.name[j] = s->name[i];
			big.line[j] = s->line[i];
		}
		free(s->name);
		free(s->line);
		s->name = big.name;
		s->line = big.line;
		s->size = big.size;
	}
	i = names_slot(s, k);
	if (s->name[i] != NULL)
		return s->line[i];
	s->name[i] = xstrdup(k);
	s->line[i] = line;
	s->used++;
	return 0;
}

void
import_cols_clear(struct import_cols *cols)
{
	int	i;

	for (i = 0; i < cols->n; i++)
		free(cols->names[i]);
	free(cols->names);
	memset(cols, 0, sizeof *cols);
}

/* Which column name is: an index of import_col_names, IC_NCOLS: ignored. */
static int
header_col(const char *name)
{
	char	 *one[1];
	size_t	  i;
	int	  c;

	one[0] = (char *)name;
	for (c = 0; c < IC_NCOLS; c++)
		if (csv_column(one, 1, import_col_names[c]) == 0)
			return c;
	for (i = 0; i < sizeof import_ignored / sizeof import_ignored[0]; i++)
		if (csv_column(one, 1, import_ignored[i]) == 0)
			return IC_NCOLS;
	return -1;
}

enum rd_code
import_header(char *const *fields, int n, const char *what,
    struct import_cols *cols, struct rd_err *err)
{
	struct rd_buf	unknown;
	int		i, c;
	enum rd_code	rc = RD_OK;

	memset(cols, 0, sizeof *cols);
	for (c = 0; c < IC_NCOLS; c++)
		cols->at[c] = -1;
	rd_buf_init(&unknown, 0);
	for (i = 0; i < n && rc == RD_OK; i++) {
		if ((c = header_col(fields[i])) < 0) {
			rd_buf_printf(&unknown, "%s'%s'", unknown.len ? ", " :
			    "", fields[i]);
		} else if (c < IC_NCOLS && cols->at[c] >= 0) {
			rc = rd_err_set(err, RD_USAGE, _("%s: the column %s "
			    "is there twice"), what, import_col_names[c]);
		} else if (c < IC_NCOLS)
			cols->at[c] = i;
	}
	if (rc == RD_OK && unknown.len > 0 && n == 1 &&
	    strchr(fields[0], ';') != NULL)
		rc = rd_err_set(err, RD_USAGE, _("%s: the header has no commas "
		    "but semicolons: save the file as CSV with commas between "
		    "the fields"), what);
	else if (rc == RD_OK && unknown.len > 0)
		rc = rd_err_set(err, RD_USAGE, _("%s: unknown columns %s; the "
		    "columns are user, email, phone, active, password and "
		    "methods"), what, unknown.data);
	else if (rc == RD_OK && cols->at[IC_USER] < 0)
		rc = rd_err_set(err, RD_USAGE, _("%s has no user column (the "
		    "header row names the columns: user, email, phone, "
		    "active, password, methods)"), what);
	rd_buf_free(&unknown);
	if (rc != RD_OK)
		return rc;
	cols->n = n;
	cols->names = xcalloc((size_t)n, sizeof *cols->names);
	/* An ignored column (a report's line, reason) is no column of its. */
	for (i = 0; i < n; i++)
		if (header_col(fields[i]) != IC_NCOLS)
			cols->names[i] = xstrdup(fields[i]);
	return RD_OK;
}

const char *
import_field(const struct import_cols *cols, const struct import_row *r,
    enum import_col col)
{
	int	at = cols->at[col];

	if (at < 0 || r->fields == NULL || at >= r->nfields ||
	    r->fields[at][0] == '\0')
		return NULL;
	return r->fields[at];
}

void
import_row_refuse(struct import_row *r, const char *msg)
{
	int	i;

	r->fate = IF_REFUSED;
	free(r->reason);
	r->reason = xstrdup(msg);
	for (i = 0; i < r->nsends; i++)
		flow_send_free(r->sends[i]);
	r->nsends = 0;
	cJSON_Delete(r->enrol);
	r->enrol = NULL;
	r->started = r->held = 0;
}

void
import_row_clear(struct import_row *r)
{
	int	i;

	for (i = 0; i < r->nsends; i++)
		flow_send_free(r->sends[i]);
	for (i = 0; r->fields != NULL && i < r->nfields; i++)
		secret_free(r->fields[i]);
	free(r->fields);
	secret_release(r->pwhash);
	free(r->reason);
	cJSON_Delete(r->enrol);
	memset(r, 0, sizeof *r);
}

/* active: the words a spreadsheet or a person would write. */
static int
row_active(const char *v)
{
	static const char *const yes[] = { "true", "yes", "1", "active" };
	static const char *const no[] = { "false", "no", "0", "inactive" };
	size_t	i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* The methods field: names separated by blanks, each in the config. */
static enum rd_code RD_CHECK
row_methods(struct rd_ctx *ctx, const char *field, struct import_row *r,
    struct rd_err *err)
{
	const struct method_cfg	*mc;
	const char		*p = field;
	char			 name[VAULT_METHOD_MAX + 1];
	size_t			 n;
	int			 i;
	enum rd_code		 rc;

	if (strpbrk(field, ",;|") != NULL)
		return rd_err_set(err, RD_USAGE, _("methods '%s': separate "
		    "method names with spaces"), field);
	for (;;) {
		p += strspn(p, " \t");
		if ((n = strcspn(p, " \t")) == 0)
			return RD_OK;
		if (n >= sizeof name)
			return rd_err_set(err, RD_NOT_FOUND, _("no method "
			    "'%.*s'"), (int)n, p);
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		if ((rc = flow_method_cfg(ctx, name, &mc, err)) != RD_OK)
			return rc;
		for (i = 0; i < r->nmethods; i++)
			if (r->methods[i] == mc)
				return rd_err_set(err, RD_USAGE, _("method %s "
				    "is named twice"), name);
		if (r->nmethods == IMPORT_METHODS_MAX)
			return rd_err_set(err, RD_USAGE, _("at most %d "
			    "methods a row"), IMPORT_METHODS_MAX);
		r->methods[r->nmethods++] = mc;
	}
}

void
import_row_read(struct rd_ctx *ctx, const struct import_cols *cols,
    struct import_names *names, char *const *fields, int n, long line,
    const struct rd_err *cerr, struct import_row *r)
{
	struct rd_err	 err;
	const char	*name, *v;
	long		 first;
	int		 i;

	memset(r, 0, sizeof *r);
	r->line = line;
	r->active = -1;
	if (fields == NULL) {
		import_row_refuse(r, cerr->msg);
		return;
	}
	r->nfields = n;
	r->fields = xcalloc((size_t)n, sizeof *r->fields);
	/* Every field wiped when the row goes: one holds a password. */
	for (i = 0; i < n; i++)
		r->fields[i] = xstrdup(fields[i]);
	rd_err_clear(&err);
	if (n != cols->n) {
		rd_err_set(&err, RD_USAGE, ngettext("the row has %d field, the "
		    "header %d", "the row has %d fields, the header %d", n), n,
		    cols->n);
		goto refused;
	}
	if ((name = import_field(cols, r, IC_USER)) == NULL) {
		rd_err_set(&err, RD_USAGE, _("no user name"));
		goto refused;
	}
	if (user_name_check(name, &err) != RD_OK)
		goto refused;
	if ((first = names_add(names, name, line)) != 0) {
		rd_err_set(&err, RD_USAGE, _("user %s is on line %ld already"),
		    name, first);
		goto refused;
	}
	if ((v = import_field(cols, r, IC_ACTIVE)) != NULL &&
	    (r->active = row_active(v)) < 0) {
		rd_err_set(&err, RD_USAGE, _("active is '%s': write true or "
		    "false (yes or no, 1 or 0)"), v);
		goto refused;
	}
	if ((v = import_field(cols, r, IC_METHODS)) != NULL &&
	    row_methods(ctx, v, r, &err) != RD_OK)
		goto refused;
	return;
refused:
	import_row_refuse(r, err.msg);
}

enum rd_code
import_row_prepare(struct rd_ctx *ctx, const struct import_cols *cols,
    bool update, struct import_row *r, struct rd_err *err)
{
	struct vault_user	 u;
	const char		*pw = import_field(cols, r, IC_PASSWORD);
	enum rd_code		 rc;

	if (r->fate != IF_PENDING || pw == NULL)
		return RD_OK;
	/* Argon2id costs more than a look: none for a row to be skipped. */
	if (!update) {
		rc = flow_user(ctx, import_field(cols, r, IC_USER), &u, err);
		vault_user_clear(&u);
		if (rc == RD_OK) {
			r->fate = IF_SKIPPED;
			return RD_OK;
		}
		if (rc != RD_NOT_FOUND)
			return rc;
	}
	r->pwhash = secret_alloc(VAULT_PWHASH_MAX);
	return vault_password_hash(ctx->vault, user_password_kdf(ctx), pw,
	    strlen(pw), r->pwhash, err);
}
