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

sqlite3_stmt *
vault_stmt(struct vault *v, const char *sql, struct rd_err *err)
{
	sqlite3_stmt	*st;
	int		 i, rc;

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
	rc = sqlite3_prepare_v3(v->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL);
	if (rc != SQLITE_OK) {
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
vault_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

enum rd_code
vault_sqlerr(struct vault *v, int rc, const char *what, struct rd_err *err)
{
	const char	*msg = v && v->db ? sqlite3_errmsg(v->db) :
			    sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return rd_err_set(err, RD_VAULT_BUSY,
		    _("vault is busy (another "
		    "redoubt holds it) while %s"), _(what));
	case SQLITE_CONSTRAINT:
		/*
		 * Callers that expect a duplicate say so themselves; anywhere
		 * else a refused write is the vault's fault, never a "no".
		 */
		return rd_err_set(err, RD_VAULT_CORRUPT,
		    _("vault refused a write "
		    "while %s: %s"), _(what), msg);
	case SQLITE_CANTOPEN:
		return rd_err_set(err, RD_VAULT_MISSING, _("vault cannot be "
		    "opened while %s: %s"), _(what), msg);
	case SQLITE_FULL:
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return rd_err_set(err, RD_VAULT_CORRUPT, _("vault cannot be "
		    "written while %s: %s"), _(what), msg);
	default:
		return rd_err_set(err, RD_VAULT_CORRUPT,
		    _("vault is damaged or "
		    "not a vault (%s: %s)"), _(what), msg);
	}
}

enum rd_code
vault_exec_stmt(struct vault *v, sqlite3_stmt *st, const char *what,
    struct rd_err *err)
{
	int	rc = sqlite3_step(st);

	vault_done(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return vault_sqlerr(v, rc, what, err);
	return RD_OK;
}

static enum rd_code RD_CHECK
exec_sql(struct vault *v, const char *sql, const char *what,
    struct rd_err *err)
{
	int	rc = sqlite3_exec(v->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return vault_sqlerr(v, rc, what, err);
	return RD_OK;
}

static enum rd_code RD_CHECK
vault_connect(const char *path, int flags, struct vault **out,
    struct rd_err *err)
{
	struct vault	*v;
	int		 rc;

	/* Idempotent; callers other than main() may not have done it. */
	if (sodium_init() < 0)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("libsodium cannot "
		    "start"));
	v = xcalloc(1, sizeof *v);
	v->path = xstrdup(path);
	v->keys = sodium_malloc(sizeof *v->keys);
	if (v->keys == NULL) {
		free(v->path);
		free(v);
		return rd_err_set(err, RD_VAULT_CORRUPT, _("cannot lock memory "
		    "for keys"));
	}
	sodium_memzero(v->keys, sizeof *v->keys);
	rc = sqlite3_open_v2(path, &v->db, flags, NULL);
	if (rc != SQLITE_OK) {
		enum rd_code	code;

		code = vault_sqlerr(v, rc, N_("opening"), err);
		vault_close(v);
		return code;
	}
	/*
	 * Steps hold the write lock for milliseconds (no KDF, no network
	 * inside one), so a writer that waits this long is up against
	 * something stuck, not against real contention.
	 */
	sqlite3_busy_timeout(v->db, VAULT_BUSY_MS);
	sqlite3_extended_result_codes(v->db, 0);
	*out = v;
	return RD_OK;
}

static enum rd_code RD_CHECK
vault_pragmas(struct vault *v, struct rd_err *err)
{
	enum rd_code	rc;

	if ((rc = exec_sql(v, "PRAGMA journal_mode=WAL", N_("setting WAL"),
	    err)) != RD_OK)
		return rc;
	/*
	 * Temporary data in memory: the journal of a savepoint (a row of an
	 * import, a line of a batch) would otherwise go to a file in
	 * /var/tmp, page by page.  32 MiB of page cache keeps an import's
	 * chunk from spilling to the WAL early.
	 */
	return exec_sql(v, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
	    " PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY;"
	    " PRAGMA cache_size=-32768", N_("setting pragmas"), err);
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
	uint8_t		 salt[crypto_pwhash_SALTBYTES];
	uint8_t		 wrapped[KEY_WRAPPED_LEN];
	size_t		 saltlen, wrappedlen;
	int64_t		 ops, mem, kdf, version;
	unsigned long long want_ops;
	size_t		 want_mem;
	enum rd_code	 rc;
	int		 from;

	*out = NULL;
	if (stat(path, &sb) != 0)
		return rd_err_set(err, RD_VAULT_MISSING, _("no vault at %s"),
		    path);
	if (!S_ISREG(sb.st_mode))
		return rd_err_set(err, RD_VAULT_CORRUPT, _("%s is not a vault "
		    "file"), path);
	if ((rc = vault_connect(path, SQLITE_OPEN_READWRITE, &v, err)) != RD_OK)
		return rc;
	if ((rc = meta_int(v, "kdf_ops", &ops, err)) != RD_OK ||
	    (rc = meta_int(v, "kdf_mem", &mem, err)) != RD_OK ||
	    (rc = meta_int(v, "kdf", &kdf, err)) != RD_OK ||
	    (rc = meta_int(v, "format", &version, err)) != RD_OK)
		goto fail;
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
	if ((rc = meta_blob(v, "kdf_salt", salt, sizeof salt, &saltlen,
	    err)) != RD_OK ||
	    (rc = meta_blob(v, "wrapped_key", wrapped, sizeof wrapped,
	    &wrappedlen, err)) != RD_OK)
		goto fail;
	if (saltlen != sizeof salt) {
		rc = rd_err_set(err, RD_VAULT_CORRUPT, _("vault header is "
		    "damaged (salt)"));
		goto fail;
	}
	if ((rc = header_sum_check(v, err)) != RD_OK ||
	    (rc = op->fn(v, op->arg, salt, wrapped, wrappedlen, err)) !=
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
	int		 fd, from;

	*out = NULL;
	/* O_EXCL: never overwrite, and 0600 from the first byte. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return rd_err_set(err, RD_EXISTS,
			    _("%s exists already"),
			    path);
		return rd_err_set(err, RD_VAULT_MISSING, _("cannot create %s: "
		    "%s"), path, strerror(errno));
	}
	close(fd);
	if ((rc = vault_connect(path, SQLITE_OPEN_READWRITE, &v, err)) != RD_OK)
		goto gone;
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
	if ((rc = exec_sql(v, "CREATE TABLE meta (k TEXT PRIMARY KEY, v)",
	    N_("creating the header"), err)) != RD_OK ||
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
	if ((rc = vault_audit_start(v, err)) != RD_OK ||
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
gone:
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
	for (i = 0; i < v->nstmts; i++)
		sqlite3_finalize(v->stmts[i].stmt);
	if (v->db != NULL)
		sqlite3_close(v->db);
	if (v->keys != NULL)
		sodium_free(v->keys);	/* wipes before it frees */
	free(v->path);
	free(v);
}

enum rd_code
vault_begin(struct vault *v, struct rd_err *err)
{
	static const char	 sql[] = "BEGIN IMMEDIATE";
	sqlite3_stmt		*st;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	return vault_exec_stmt(v, st, N_("starting a transaction"), err);
}

enum rd_code
vault_commit(struct vault *v, struct rd_err *err)
{
	static const char	 sql[] = "COMMIT";
	sqlite3_stmt		*st;
	enum rd_code		 rc;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	if ((rc = vault_exec_stmt(v, st, N_("committing"), err)) != RD_OK)
		vault_rollback(v);
	return rc;
}

void
vault_rollback(struct vault *v)
{
	if (!sqlite3_get_autocommit(v->db))
		sqlite3_exec(v->db, "ROLLBACK", NULL, NULL, NULL);
}

/*
 * One savepoint at a time, always the same name: a batch group nests one
 * line's step inside the group's transaction, never deeper.
 */
enum rd_code
vault_savepoint(struct vault *v, struct rd_err *err)
{
	static const char	 sql[] = "SAVEPOINT step";
	sqlite3_stmt		*st;

	/* Outside a transaction SAVEPOINT would begin one: not ours to do. */
	if (sqlite3_get_autocommit(v->db))
		return rd_err_set(err, RD_BAD_STATE, _("a savepoint needs a "
		    "transaction"));

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	return vault_exec_stmt(v, st, N_("starting a step"), err);
}

enum rd_code
vault_release(struct vault *v, struct rd_err *err)
{
	static const char	 sql[] = "RELEASE step";
	sqlite3_stmt		*st;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	return vault_exec_stmt(v, st, N_("ending a step"), err);
}

enum rd_code
vault_rollback_to(struct vault *v, struct rd_err *err)
{
	static const char	 sql[] = "ROLLBACK TO step";
	sqlite3_stmt		*st;
	enum rd_code		 rc;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	/* Undone, the savepoint stays open until it is released. */
	if ((rc = vault_exec_stmt(v, st, N_("undoing a step"), err)) != RD_OK)
		return rc;
	return vault_release(v, err);
}

bool
vault_in_transaction(const struct vault *v)
{
	return !sqlite3_get_autocommit(v->db);
}
