/*
 * vault.c: opening, creating and closing the vault file, transactions, the
 * statement cache and the mapping of SQLite results to rd_code.
 *
 * Opening reads the meta table before anything is written, so a wrong
 * passphrase or a file that is not a vault changes nothing on disk.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "vault-int.h"

struct store_stmt *
vault_stmt(struct vault *v, const char *sql, struct rd_err *err)
{
	struct store_stmt	*st;
	int			 i, rc;

	for (i = 0; i < v->nstmts; i++)
		if (v->stmts[i].sql == sql)
			return v->stmts[i].stmt;
	/* Every statement is a literal of vault/; the cache holds them all. */
	if (v->nstmts == VAULT_STMT_MAX) {
		rd_err_set(err, RD_VAULT_CORRUPT,
		    _("statement cache full (raise "
		    "VAULT_STMT_MAX)"));
		return NULL;
	}
	if ((rc = store_prepare(v->db, sql, &st)) != STORE_OK) {
		/* The caller reads the code from err: NULL says it failed. */
		rd_ignore(vault_sqlerr(v, rc,
		    N_("preparing a statement"), err));
		return NULL;
	}
	v->stmts[v->nstmts].sql = sql;
	v->stmts[v->nstmts].stmt = st;
	v->nstmts++;
	return st;
}

void
vault_done(struct store_stmt *st)
{
	stmt_reset(st);
}

enum rd_code
vault_sqlerr(struct vault *v, int rc, const char *what, struct rd_err *err)
{
	const char	*msg = v && v->db ? store_errmsg(v->db) : "";

	if (v != NULL)
		v->conflict = rc == STORE_CONFLICT;
	switch (rc) {
	case STORE_BUSY:
		return rd_err_set(err, RD_VAULT_BUSY,
		    _("vault is busy (another "
		    "redoubt holds it) while %s"), _(what));
	case STORE_CONFLICT:
		return rd_err_set(err, RD_VAULT_BUSY, _("vault changed under "
		    "this step while %s (another redoubt wrote the same "
		    "rows); nothing was written, try again"), _(what));
	case STORE_CONSTRAINT:
		/*
		 * Callers that expect a duplicate say so themselves; anywhere
		 * else a refused write is the vault's fault, never a "no".
		 */
		return rd_err_set(err, RD_VAULT_CORRUPT,
		    _("vault refused a write "
		    "while %s: %s"), _(what), msg);
	case STORE_MISMATCH:
		return rd_err_set(err, RD_VAULT_CORRUPT, _("vault row is not "
		    "as this transaction read it while %s: it was changed "
		    "outside redoubt"), _(what));
	case STORE_CANTOPEN:
		return rd_err_set(err, RD_VAULT_MISSING, _("vault cannot be "
		    "opened while %s: %s"), _(what), msg);
	case STORE_FULL:
	case STORE_READONLY:
		return rd_err_set(err, RD_VAULT_CORRUPT, _("vault cannot be "
		    "written while %s: %s"), _(what), msg);
	default:
		return rd_err_set(err, RD_VAULT_CORRUPT,
		    _("vault is damaged or "
		    "not a vault (%s: %s)"), _(what), msg);
	}
}

enum rd_code
vault_exec_stmt(struct vault *v, struct store_stmt *st, const char *what,
    struct rd_err *err)
{
	int	rc = stmt_step(st);

	vault_done(st);
	if (rc != STORE_DONE && rc != STORE_ROW)
		return vault_sqlerr(v, rc, what, err);
	return RD_OK;
}

enum rd_code
vault_queue_stmt(struct vault *v, struct store_stmt *st, int64_t expect,
    const char *what, struct rd_err *err)
{
	int	rc = stmt_queue(st, expect);

	if (rc != STORE_OK)
		return vault_sqlerr(v, rc, what, err);
	return RD_OK;
}

enum rd_code
vault_insert_id(struct vault *v, struct store_stmt *st, const char *what,
    int64_t *id, struct rd_err *err)
{
	int	rc = stmt_step(st);

	*id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	vault_done(st);
	if (rc != STORE_DONE && rc != STORE_ROW)
		return vault_sqlerr(v, rc, what, err);
	return RD_OK;
}

/*
 * Connect to the store at where (create: a new one).  A failure closes
 * what was opened; the message names where only when it is a file (a
 * connection string may carry a password).
 */
enum rd_code
vault_connect(const char *where, bool create, struct vault **out,
    struct rd_err *err)
{
	const struct store_ops	*ops = store_for(where);
	struct vault		*v;
	int			 rc;

	/* Idempotent; callers other than main() may not have done it. */
	if (sodium_init() < 0)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("libsodium cannot "
		    "start"));
	v = xcalloc(1, sizeof *v);
	v->path = xstrdup(where);
	v->keys = sodium_malloc(sizeof *v->keys);
	if (v->keys == NULL) {
		free(v->path);
		free(v);
		return rd_err_set(err, RD_VAULT_CORRUPT, _("cannot lock memory "
		    "for keys"));
	}
	sodium_memzero(v->keys, sizeof *v->keys);
	if ((rc = ops->open(where, create, &v->db)) != STORE_OK) {
		enum rd_code	code;
		const char	*msg = v->db ? store_errmsg(v->db) : "";
		bool		 pg = store_is_pg(where);

		if (create && rc == STORE_CONSTRAINT)
			code = pg ? rd_err_set(err, RD_EXISTS, _("cannot "
			    "create a vault there: %s"), msg) :
			    rd_err_set(err, RD_EXISTS, _("%s exists already"),
			    where);
		else if (create && rc == STORE_CANTOPEN && !pg)
			code = rd_err_set(err, RD_VAULT_MISSING, _("cannot "
			    "create %s: %s"), where, msg);
		else if (create && pg && (rc == STORE_READONLY ||
		    rc == STORE_CANTOPEN))
			code = rd_err_set(err, RD_VAULT_MISSING, _("cannot "
			    "create a vault there: %s"), msg);
		else if (rc == STORE_CANTOPEN && pg)
			code = rd_err_set(err, RD_VAULT_MISSING, _("cannot "
			    "open the vault's database: %s"), msg);
		else
			code = vault_sqlerr(v, rc, N_("opening"), err);
		vault_close(v);
		return code;
	}
	*out = v;
	return RD_OK;
}

enum rd_code
vault_pragmas(struct vault *v, struct rd_err *err)
{
	int	rc;

	if ((rc = v->db->ops->tune(v->db)) != STORE_OK)
		return vault_sqlerr(v, rc, N_("setting up the store"), err);
	return RD_OK;
}

struct vault_pass {
	const char	*pass;
	size_t		 len;
};

static enum rd_code RD_CHECK
vault_pass_unlock(struct vault *v, void *arg, const uint8_t *salt,
    const uint8_t *wrapped, size_t wrappedlen, struct rd_err *err)
{
	struct vault_pass	*vp = arg;

	return key_unlock(v, vp->pass, vp->len, salt, wrapped, wrappedlen,
	    err);
}

enum rd_code
vault_open(const char *path, const char *pass, size_t passlen,
    struct vault **out, struct rd_err *err)
{
	struct vault_pass	vp = { .pass = pass, .len = passlen };
	struct vault_opener	op = { .fn = vault_pass_unlock, .arg = &vp };
	enum rd_code		rc;

	if ((rc = vault_open_with(path, &op, out, err)) == RD_OK)
		keyslot_touch(*out, 0);
	return rc;
}

enum rd_code
vault_open_with(const char *path, const struct vault_opener *op,
    struct vault **out, struct rd_err *err)
{
	struct vault	*v;
	struct stat	 sb;
	struct header_fields h;
	int64_t		 ops, mem, kdf, version;
	unsigned long long want_ops;
	size_t		 want_mem;
	enum rd_code	 rc;
	int		 from;

	*out = NULL;
	if (!store_is_pg(path) && stat(path, &sb) != 0)
		return rd_err_set(err, RD_VAULT_MISSING, _("no vault at %s"),
		    path);
	if (!store_is_pg(path) && !S_ISREG(sb.st_mode))
		return rd_err_set(err, RD_VAULT_CORRUPT, _("%s is not a vault "
		    "file"), path);
	if ((rc = vault_connect(path, false, &v, err)) != RD_OK)
		return rc;
	if ((rc = header_read(v, &h, err)) != RD_OK)
		goto fail;
	ops = h.ops;
	mem = h.mem;
	kdf = h.kdf;
	version = h.format;
	/*
	 * The header's MAC can be checked only once the key is unwrapped;
	 * until then, every field must be one this redoubt writes, and the
	 * KDF's limits exactly those of its label.
	 */
	if (version < 1 || version > VAULT_FORMAT) {
		rc = rd_err_set(err, RD_VAULT_CORRUPT, _("vault header says "
		    "format %lld, which this redoubt does not read (changed "
		    "outside redoubt, or made by a newer one)"),
		    (long long)version);
		goto fail;
	}
	if (kdf < 0 || kdf > VAULT_KDF_SENSITIVE ||
	    key_kdf_limits((enum vault_kdf)kdf, &want_ops, &want_mem) !=
	    RD_OK || (unsigned long long)ops != want_ops ||
	    (size_t)mem != want_mem) {
		rc = rd_err_set(err, RD_VAULT_CORRUPT, _("vault header was "
		    "changed outside redoubt (its KDF does not match its "
		    "limits)"));
		goto fail;
	}
	v->opslimit = (unsigned long long)ops;
	v->memlimit = (size_t)mem;
	v->kdf = (enum vault_kdf)kdf;
	if (h.saltlen != sizeof h.salt) {
		rc = rd_err_set(err, RD_VAULT_CORRUPT, _("vault header is "
		    "damaged (salt)"));
		goto fail;
	}
	if ((rc = header_sum_check(v, err)) != RD_OK ||
	    (rc = op->fn(v, op->arg, h.salt, h.wrapped, h.wrappedlen, err)) !=
	    RD_OK)
		goto fail;
	if ((rc = vault_pragmas(v, err)) != RD_OK ||
	    (rc = schema_migrate(v, &from, err)) != RD_OK)
		goto fail;
	/* A vault of version 2 on has its header's MAC; a migration made it. */
	if (from >= 2 && (rc = header_check(v, err)) != RD_OK)
		goto fail;
	*out = v;
	return RD_OK;
fail:
	vault_close(v);
	return rc;
}

bool
vault_is_db(const char *where)
{
	return store_is_pg(where);
}

char *
vault_where_shown(const char *where)
{
	char	*s = store_where_shown(where);

	return s != NULL ? s : xstrdup("?");
}

enum rd_code
vault_exists(const char *where, struct rd_err *err)
{
	struct vault	*v = NULL;
	struct stat	 sb;
	enum rd_code	 rc;

	if (!store_is_pg(where)) {
		if (stat(where, &sb) != 0)
			return rd_err_set(err, RD_VAULT_MISSING,
			    _("no vault at %s"), where);
		return RD_OK;
	}
	/* The driver refuses a database without the vault's tables. */
	rc = vault_connect(where, false, &v, err);
	vault_close(v);
	return rc;
}

bool
vault_kdf_parse(const char *name, enum vault_kdf *out)
{
	static const char *const names[] = {
	    "test", "interactive", "moderate", "sensitive" };
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum vault_kdf)i;
			return true;
		}
	}
	return false;
}

enum vault_kdf
vault_kdf(const struct vault *v)
{
	return v->kdf;
}

enum rd_code
vault_create(const char *path, const char *pass, size_t passlen,
    enum vault_kdf kdf, const struct vault_audit *first, struct vault **out,
    struct rd_err *err)
{
	struct vault	*v;
	uint8_t		 salt[crypto_pwhash_SALTBYTES];
	uint8_t		 wrapped[KEY_WRAPPED_LEN];
	size_t		 wrappedlen = sizeof wrapped;
	enum rd_code	 rc;
	int		 from;

	*out = NULL;
	if ((rc = vault_connect(path, true, &v, err)) != RD_OK)
		return rc;
	v->kdf = kdf;
	if ((rc = key_kdf_limits(kdf, &v->opslimit, &v->memlimit)) != RD_OK)
		goto fail;
	randombytes_buf(v->keys->master, sizeof v->keys->master);
	key_derive(v->keys);
	if ((rc = key_wrap(v, pass, passlen, salt, wrapped, &wrappedlen,
	    err)) != RD_OK)
		goto fail;
	if ((rc = vault_pragmas(v, err)) != RD_OK ||
	    (rc = vault_begin(v, err)) != RD_OK)
		goto fail;
	if ((rc = schema_header(v, err)) != RD_OK ||
	    (rc = meta_put(v, "kdf_salt", salt, sizeof salt, 0, err)) != RD_OK ||
	    (rc = meta_put(v, "wrapped_key", wrapped, (int)wrappedlen, 0,
	    err)) != RD_OK ||
	    (rc = meta_put(v, "kdf_ops", NULL, 0, (int64_t)v->opslimit,
	    err)) != RD_OK ||
	    (rc = meta_put(v, "kdf_mem", NULL, 0, (int64_t)v->memlimit,
	    err)) != RD_OK ||
	    (rc = meta_put(v, "kdf", NULL, 0, kdf, err)) != RD_OK ||
	    (rc = meta_put(v, "format", NULL, 0, VAULT_FORMAT, err)) != RD_OK ||
	    (rc = meta_put(v, "slot.0.created", NULL, 0, (int64_t)time(NULL),
	    err)) != RD_OK) {
		vault_rollback(v);
		goto fail;
	}
	if ((rc = vault_commit(v, err)) != RD_OK ||
	    (rc = schema_migrate(v, &from, err)) != RD_OK ||
	    (rc = vault_begin(v, err)) != RD_OK)
		goto fail;
	/* Sealed again whole: a store made at its newest ran no migration. */
	if ((rc = header_seal(v, err)) != RD_OK ||
	    (rc = vault_audit_start(v, err)) != RD_OK ||
	    (first != NULL && (rc = vault_audit_add(v, first, err)) != RD_OK)) {
		vault_rollback(v);
		goto fail;
	}
	if ((rc = vault_commit(v, err)) != RD_OK)
		goto fail;
	*out = v;
	return RD_OK;
fail:
	vault_close(v);
	/* A file half made goes; a database keeps nothing (rolled back). */
	if (!store_is_pg(path))
		unlink(path);
	return rc;
}

enum rd_code
vault_rekey(struct vault *v, const char *pass, size_t passlen,
    struct rd_err *err)
{
	uint8_t		salt[crypto_pwhash_SALTBYTES];
	uint8_t		wrapped[KEY_WRAPPED_LEN];
	size_t		wrappedlen = sizeof wrapped;
	enum rd_code	rc;

	if ((rc = key_wrap(v, pass, passlen, salt, wrapped, &wrappedlen,
	    err)) != RD_OK)
		return rc;
	if ((rc = meta_put(v, "kdf_salt", salt, sizeof salt, 0, err)) != RD_OK ||
	    (rc = meta_put(v, "wrapped_key", wrapped, (int)wrappedlen, 0,
	    err)) != RD_OK ||
	    (rc = meta_put(v, "slot.0.created", NULL, 0, (int64_t)time(NULL),
	    err)) != RD_OK)
		return rc;
	return header_seal(v, err);
}

void
vault_close(struct vault *v)
{
	int	i;

	if (v == NULL)
		return;
	txcache_end(v);
	for (i = 0; i < v->nstmts; i++)
		stmt_free(v->stmts[i].stmt);
	if (v->db != NULL)
		v->db->ops->close(v->db);
	if (v->keys != NULL)
		sodium_free(v->keys);	/* wipes before it frees */
	free(v->path);
	free(v);
}

enum rd_code
vault_begin(struct vault *v, struct rd_err *err)
{
	int	rc;

	v->conflict = false;
	txcache_end(v);
	if ((rc = v->db->ops->begin(v->db)) != STORE_OK ||
	    (rc = audit_prefetch(v)) != STORE_OK) {
		/* Its failure ended the transaction: say why, not later. */
		v->db->ops->rollback(v->db);
		return vault_sqlerr(v, rc, N_("starting a transaction"), err);
	}
	return RD_OK;
}

enum rd_code
vault_commit(struct vault *v, struct rd_err *err)
{
	enum rd_code	r;
	int		rc;

	if ((r = txcache_flush(v, err)) != RD_OK) {
		vault_rollback(v);
		return r;
	}
	txcache_end(v);
	if ((rc = v->db->ops->commit(v->db)) != STORE_OK) {
		vault_rollback(v);
		return vault_sqlerr(v, rc, N_("committing"), err);
	}
	return RD_OK;
}

void
vault_rollback(struct vault *v)
{
	txcache_end(v);
	v->db->ops->rollback(v->db);
}

bool
vault_conflicted(const struct vault *v)
{
	return v->conflict;
}

/*
 * One savepoint at a time, always the same name: a batch group nests one
 * line's step inside the group's transaction, never deeper.
 */
enum rd_code
vault_savepoint(struct vault *v, struct rd_err *err)
{
	int	rc;

	/* Outside a transaction SAVEPOINT would begin one: not ours to do. */
	if (!store_in_tx(v->db))
		return rd_err_set(err, RD_BAD_STATE, _("a savepoint needs a "
		    "transaction"));
	if ((rc = store_exec(v->db, "SAVEPOINT step")) != STORE_OK)
		return vault_sqlerr(v, rc, N_("starting a step"), err);
	txcache_savepoint(v);
	return RD_OK;
}

enum rd_code
vault_release(struct vault *v, struct rd_err *err)
{
	int	rc;

	if ((rc = store_exec(v->db, "RELEASE step")) != STORE_OK)
		return vault_sqlerr(v, rc, N_("ending a step"), err);
	return RD_OK;
}

enum rd_code
vault_rollback_to(struct vault *v, struct rd_err *err)
{
	int	rc;

	/* Undone, the savepoint stays open until it is released. */
	txcache_rollback_to(v);
	if ((rc = store_exec(v->db, "ROLLBACK TO step")) != STORE_OK)
		return vault_sqlerr(v, rc, N_("undoing a step"), err);
	return vault_release(v, err);
}

bool
vault_in_transaction(const struct vault *v)
{
	return store_in_tx(v->db);
}
