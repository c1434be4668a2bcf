/*
 * copy.c: a vault copied into another store, of either kind: a SQLite
 * vault into an empty PostgreSQL database, a PostgreSQL vault into a new
 * file, or any other pair (backup --to).
 *
 * Rows go across as they are, ids and all, so every seal (bound to table,
 * column, row and owner), every row MAC, the header with its key slots
 * and the audit chain hold in the copy unchanged: the same passphrase and
 * key files open it.  The source is read inside its write transaction (a
 * consistent view; writers wait the few seconds a copy takes) and the copy
 * is written in one transaction, so a failure or a kill leaves the target
 * empty: a database rolls back, and a file is made under a temporary name
 * and linked to its own only when whole.  Before that commit the copy is
 * checked with the vault's key: its header MAC and its whole audit chain
 * must pass.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "vault-int.h"

/* The tables after meta, parents first, each with its columns. */
static const struct {
	const char	*name;
	const char	*cols;
	int		 ncols;
	bool		 ids;	/* ids handed out by the store */
} copy_tables[] = {
	{ "users", USER_COLS, 15, true },
	{ "methods", "id, user_id, name, handler, state, is_primary, secret,"
	    " counter, request_id, last_sent, created, mac, last_used, params",
	    14, true },
	{ "backup_sets", "user_id, hashes, used, mac", 4, false },
	{ "pending_codes", "method_id, hash, expires, attempts, mac", 5,
	    false },
	{ "tokens", "hash, user_id, expires, used, mac", 5, false },
	{ "ghosts", "hash, failures, locked_until, lock_count, seen, mac", 6,
	    false },
	{ "outbox", "id, method, recipient, body, sent_at", 5, true },
	{ "audit", "id, time, actor, \"user\", action, outcome, detail, mac",
	    8, true },
};

static int
copy_meta_row(void *arg, const char *k, const struct store_val *val)
{
	struct store	*dst = arg;

	return dst->ops->meta_put(dst, k, val) != STORE_OK;
}

/* Every row of table i from v into d; *top is its highest id. */
static enum rd_code RD_CHECK
copy_table(struct vault *v, struct vault *d, size_t i, int64_t *top,
    struct rd_err *err)
{
	struct store_stmt	*src = NULL, *dst = NULL;
	char			 sel[512], ins[768], *p;
	size_t			 left;
	int			 rc, c, n;

	*top = 0;
	/* Text of this file's table alone: no name from outside. */
	snprintf(sel, sizeof sel, "SELECT %s FROM %s ORDER BY 1",
	    copy_tables[i].cols, copy_tables[i].name);
	n = snprintf(ins, sizeof ins, "INSERT INTO %s (%s) VALUES (",
	    copy_tables[i].name, copy_tables[i].cols);
	p = ins + n;
	left = sizeof ins - (size_t)n;
	for (c = 0; c < copy_tables[i].ncols; c++) {
		n = snprintf(p, left, c > 0 ? ", ?" : "?");
		p += n;
		left -= (size_t)n;
	}
	snprintf(p, left, ")");
	if ((rc = store_prepare(v->db, sel, &src)) != STORE_OK)
		return vault_sqlerr(v, rc, N_("reading the vault to copy"),
		    err);
	if ((rc = store_prepare(d->db, ins, &dst)) != STORE_OK) {
		stmt_free(src);
		return vault_sqlerr(d, rc, N_("writing the copy"), err);
	}
	while ((rc = stmt_step(src)) == STORE_ROW) {
		for (c = 0; c < copy_tables[i].ncols; c++)
			stmt_bind_col(dst, c + 1, src, c);
		if (copy_tables[i].ids && stmt_int(src, 0) > *top)
			*top = stmt_int(src, 0);
		if ((c = stmt_step(dst)) != STORE_DONE) {
			stmt_free(src);
			stmt_free(dst);
			return vault_sqlerr(d, c, N_("writing the copy"), err);
		}
		stmt_reset(dst);
	}
	stmt_free(src);
	stmt_free(dst);
	if (rc != STORE_DONE)
		return vault_sqlerr(v, rc, N_("reading the vault to copy"),
		    err);
	return RD_OK;
}

static enum rd_code RD_CHECK
copy_verify(struct vault *d, struct rd_err *err)
{
	int64_t		bad = 0, rows = 0;
	bool		extends;
	enum rd_code	r;

	if ((r = vault_audit_verify(d, NULL, &bad, &rows, &extends, err)) !=
	    RD_OK)
		return r;
	if (bad != 0)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("the copy's audit "
		    "log fails at row %lld"), (long long)bad);
	return RD_OK;
}

static enum rd_code RD_CHECK
copy_rows(struct vault *v, struct vault *d, struct rd_err *err)
{
	enum rd_code	r;
	int64_t		top;
	size_t		i;
	int		rc;

	if ((r = schema_fresh(d, err)) != RD_OK ||
	    (r = txcache_flush(v, err)) != RD_OK)
		return r;
	if ((rc = v->db->ops->meta_list(v->db, "", copy_meta_row, d->db)) !=
	    STORE_OK)
		return vault_sqlerr(v, rc, N_("reading the vault to copy"),
		    err);
	for (i = 0; i < sizeof copy_tables / sizeof copy_tables[0]; i++) {
		if ((r = copy_table(v, d, i, &top, err)) != RD_OK)
			return r;
		if (copy_tables[i].ids && (rc = d->db->ops->id_floor(d->db,
		    copy_tables[i].name, top)) != STORE_OK)
			return vault_sqlerr(d, rc, N_("writing the copy"), err);
	}
	/* The copy must open with this key: header, and the whole chain. */
	if ((r = header_check(d, err)) != RD_OK)
		return r;
	return copy_verify(d, err);
}

enum rd_code
vault_copy(struct vault *v, const char *where, struct rd_err *err)
{
	struct vault	*d = NULL;
	struct stat	 sb;
	char		*tmp = NULL, *a, *b;
	enum rd_code	 r;
	size_t		 n;
	int		 fd;

	if (!store_is_pg(where)) {
		if (lstat(where, &sb) == 0)
			return rd_err_set(err, RD_EXISTS, _("%s exists "
			    "already; a backup never overwrites a file"),
			    where);
		a = xstrdup(where);
		b = xstrdup(where);
		n = strlen(where) + 32;
		tmp = xcalloc(1, n);
		snprintf(tmp, n, "%s/.%s.copy-XXXXXX", dirname(a),
		    basename(b));
		free(a);
		free(b);
		/* mkstemp: a new file, 0600 from its first byte. */
		if ((fd = mkstemp(tmp)) < 0) {
			r = rd_err_set(err, RD_VAULT_MISSING, _("cannot "
			    "create %s: %s"), where, strerror(errno));
			free(tmp);
			return r;
		}
		close(fd);
	}
	if ((r = vault_connect(tmp != NULL ? tmp : where, tmp == NULL, &d,
	    err)) != RD_OK)
		goto out;
	memcpy(d->keys, v->keys, sizeof *d->keys);
	d->kdf = v->kdf;
	d->opslimit = v->opslimit;
	d->memlimit = v->memlimit;
	if ((r = vault_pragmas(d, err)) != RD_OK ||
	    (r = vault_begin(v, err)) != RD_OK)
		goto out;
	if ((r = vault_begin(d, err)) != RD_OK) {
		vault_rollback(v);
		goto out;
	}
	r = copy_rows(v, d, err);
	vault_rollback(v);
	if (r != RD_OK) {
		vault_rollback(d);
		goto out;
	}
	if ((r = vault_commit(d, err)) != RD_OK)
		goto out;
	if (tmp != NULL && link(tmp, where) != 0)
		r = rd_err_set(err, errno == EEXIST ? RD_EXISTS :
		    RD_VAULT_MISSING, _("cannot create %s: %s"), where,
		    strerror(errno));
out:
	vault_close(d);
	if (tmp != NULL) {
		vault_unlink_file(tmp);
		free(tmp);
	}
	return r;
}
