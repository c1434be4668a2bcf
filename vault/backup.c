/*
 * backup.c: a consistent copy of a live vault, and putting one back.
 *
 * A backup is SQLite's online backup API reading the open vault in one
 * read transaction (step -1): in WAL mode other processes keep writing
 * meanwhile and the copy is the vault as of one commit.  It is written to
 * a temporary name in the target's folder, synced, and only then linked
 * to its name, which must not exist: a failure or a kill leaves nothing
 * under that name.
 *
 * A restore first makes a working copy of the file beside the vault and
 * opens that copy (never the file itself, so a refused one is untouched):
 * the passphrase must open it and its audit chain must verify; its audit
 * log gets the "restore" row.  The copy then goes into the vault in one
 * SQLite write transaction (the backup API again, into the live file), so
 * other processes wait on the vault's ordinary lock and see the old vault
 * or the new one, and a kill before the commit leaves the old one: its
 * -wal never holds a half-written restore that a later open would apply.
 * A vault file that SQLite cannot read at all is replaced by rename.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "store-sqlite.h"
#include "vault-int.h"

/* A name in path's folder for work in progress: ".BASE.WHAT-XXXXXX". */
static char *
bk_temp_name(const char *path, const char *what)
{
	char	*a = xstrdup(path), *b = xstrdup(path), *t;
	size_t	 n;

	n = strlen(path) + strlen(what) + 16;
	t = xcalloc(1, n);
	snprintf(t, n, "%s/.%s.%s-XXXXXX", dirname(a), basename(b), what);
	free(a);
	free(b);
	return t;
}

/* Make the name of a new file durable: sync its folder. */
static void
bk_sync_dir(const char *path)
{
	char	*a = xstrdup(path);
	int	 fd;

	if ((fd = open(dirname(a), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(a);
}

void
vault_unlink_file(const char *path)
{
	char	*p;
	size_t	 n = strlen(path) + 8;

	unlink(path);
	p = xcalloc(1, n);
	snprintf(p, n, "%s-wal", path);
	unlink(p);
	snprintf(p, n, "%s-shm", path);
	unlink(p);
	snprintf(p, n, "%s-journal", path);
	unlink(p);
	free(p);
}

/*
 * Copy everything of src into dst in one step: one read transaction on
 * src, one write transaction on dst.  BUSY or LOCKED (a checkpoint or a
 * writer in the way) is tried again for VAULT_BUSY_MS.
 */
static enum rd_code RD_CHECK
bk_copy(sqlite3 *dst, sqlite3 *src, const char *what, struct rd_err *err)
{
	struct timespec	 pause = { 0, 20 * 1000 * 1000 };
	sqlite3_backup	*b;
	int		 rc, waited = 0;

	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("cannot start %s: "
		    "%s"), _(what), sqlite3_errmsg(dst));
	for (;;) {
		rc = sqlite3_backup_step(b, -1);
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
		    waited < VAULT_BUSY_MS) {
			nanosleep(&pause, NULL);
			waited += 20;
			continue;
		}
		break;
	}
	if (rc == SQLITE_DONE)
		rc = sqlite3_backup_finish(b);
	else
		(void)sqlite3_backup_finish(b);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return rd_err_set(err, RD_VAULT_BUSY, _("vault is busy "
		    "(another redoubt holds it) while %s"), _(what));
	if (rc != SQLITE_OK && rc != SQLITE_DONE) {
		if ((rc & 0xff) == SQLITE_NOTADB)
			return rd_err_set(err, RD_VAULT_CORRUPT, _("%s: not "
			    "a database"), _(what));
		return rd_err_set(err, RD_VAULT_CORRUPT, _("%s failed: %s"),
		    _(what), sqlite3_errstr(rc));
	}
	return RD_OK;
}

/* Sync a file's data to disk. */
static enum rd_code RD_CHECK
bk_sync(const char *path, struct rd_err *err)
{
	int	fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fsync(fd) != 0) {
		e = errno;
		if (fd >= 0)
			close(fd);
		return rd_err_set(err, RD_VAULT_CORRUPT, _("cannot sync %s: "
		    "%s"), path, strerror(e));
	}
	close(fd);
	return RD_OK;
}

/*
 * Give tmp the name path, never over a file that is there: link(2), or
 * where the file system has no hard links, rename after a last look.
 */
static enum rd_code RD_CHECK
bk_publish(const char *tmp, const char *path, struct rd_err *err)
{
	struct stat	sb;
	int		e;

	if (link(tmp, path) == 0) {
		unlink(tmp);
		bk_sync_dir(path);
		return RD_OK;
	}
	e = errno;
	if (e == EPERM || e == ENOTSUP || e == ENOSYS) {
		if (lstat(path, &sb) == 0)
			e = EEXIST;
		else if (rename(tmp, path) == 0) {
			bk_sync_dir(path);
			return RD_OK;
		} else
			e = errno;
	}
	if (e == EEXIST)
		return rd_err_set(err, RD_EXISTS, _("%s exists already; it "
		    "is not overwritten"), path);
	return rd_err_set(err, RD_VAULT_MISSING, _("cannot create %s: %s"),
	    path, strerror(e));
}

enum rd_code
vault_backup(struct vault *v, const char *path, struct rd_err *err)
{
	struct stat	 sb;
	sqlite3		*dst = NULL;
	char		*tmp;
	enum rd_code	 rc;
	int		 fd;

	if (lstat(path, &sb) == 0)
		return rd_err_set(err, RD_EXISTS, _("%s exists already; a "
		    "backup never overwrites a file"), path);
	tmp = bk_temp_name(path, "backup");
	/* mkstemp: a new file, 0600 from its first byte. */
	if ((fd = mkstemp(tmp)) < 0) {
		rc = rd_err_set(err, RD_VAULT_MISSING, _("cannot create %s: "
		    "%s"), path, strerror(errno));
		free(tmp);
		return rc;
	}
	close(fd);
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		rc = rd_err_set(err, RD_VAULT_MISSING, _("cannot create %s: "
		    "%s"), path, sqlite3_errmsg(dst));
		goto fail;
	}
	sqlite3_busy_timeout(dst, VAULT_BUSY_MS);
	if ((rc = bk_copy(dst, store_sqlite_handle(v->db), N_("copying the vault"), err)) != RD_OK)
		goto fail;
	if (sqlite3_close(dst) != SQLITE_OK) {
		dst = NULL;
		rc = rd_err_set(err, RD_VAULT_CORRUPT, _("cannot finish %s"),
		    path);
		goto fail;
	}
	dst = NULL;
	if ((rc = bk_sync(tmp, err)) != RD_OK ||
	    (rc = bk_publish(tmp, path, err)) != RD_OK)
		goto fail;
	free(tmp);
	return RD_OK;
fail:
	sqlite3_close(dst);
	vault_unlink_file(tmp);
	free(tmp);
	return rc;
}

/* Copy the bytes of from into the new file tmp (made 0600). */
static enum rd_code RD_CHECK
bk_copy_file(const char *from, char *tmp, struct rd_err *err)
{
	char		buf[65536];
	struct stat	sb;
	ssize_t		n;
	int		in, out, e = 0;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		return rd_err_set(err, errno == ENOENT ? RD_NOT_FOUND :
		    RD_VAULT_MISSING, _("cannot read %s: %s"), from,
		    strerror(errno));
	if (fstat(in, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(in);
		return rd_err_set(err, RD_VAULT_CORRUPT, _("%s is not a vault "
		    "file"), from);
	}
	if ((out = mkstemp(tmp)) < 0) {
		e = errno;
		close(in);
		return rd_err_set(err, RD_VAULT_MISSING, _("cannot create a "
		    "file beside the vault (%s): %s"), tmp, strerror(e));
	}
	while ((n = read(in, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write(out, buf, (size_t)n) != n) {
			e = errno != 0 ? errno : EIO;
			break;
		}
	}
	close(in);
	if (e == 0 && fsync(out) != 0)
		e = errno;
	close(out);
	if (e != 0) {
		vault_unlink_file(tmp);
		return rd_err_set(err, RD_VAULT_CORRUPT, _("cannot copy %s: "
		    "%s"), from, strerror(e));
	}
	return RD_OK;
}

/* SQLite's own check of every page (the MACs check what it cannot). */
static enum rd_code RD_CHECK
bk_quick_check(struct vault *t, const char *from, struct rd_err *err)
{
	sqlite3_stmt	*st;
	const char	*res;
	int		 rc;
	bool		 ok;

	if (sqlite3_prepare_v2(store_sqlite_handle(t->db), "PRAGMA quick_check(1)", -1, &st,
	    NULL) != SQLITE_OK)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("%s is not a "
		    "redoubt vault, or is damaged"), from);
	rc = sqlite3_step(st);
	res = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) :
	    NULL;
	ok = res != NULL && strcmp(res, "ok") == 0;
	sqlite3_finalize(st);
	if (!ok)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("%s is damaged (the "
		    "database's own check fails); nothing was restored"),
		    from);
	return RD_OK;
}

/*
 * The working copy tmp of from: opened with pass, its chain verified,
 * the restore row added, closed (its WAL folded in) and synced.
 */
static enum rd_code RD_CHECK
bk_prepare(const char *from, const char *tmp, const char *pass,
    size_t passlen, const struct vault_audit *row, struct rd_err *err)
{
	struct vault	*t;
	int64_t		 bad, rows;
	bool		 extends;
	enum rd_code	 rc;

	if ((rc = vault_open(tmp, pass, passlen, &t, err)) != RD_OK) {
		/* The message names the copy; the operator gave from. */
		if (rc == RD_BAD_PASSPHRASE)
			return rd_err_set(err, rc, _("the passphrase does not "
			    "open %s"), from);
		return rd_err_set(err, rc == RD_VAULT_MISSING ?
		    RD_VAULT_CORRUPT : rc, _("%s is not a redoubt vault, or "
		    "is damaged"), from);
	}
	if ((rc = bk_quick_check(t, from, err)) == RD_OK &&
	    (rc = vault_audit_verify(t, NULL, &bad, &rows, &extends, err)) ==
	    RD_OK && bad != 0)
		rc = rd_err_set(err, RD_VAULT_CORRUPT, _("the audit log of %s "
		    "is broken at row %lld; nothing was restored"), from,
		    (long long)bad);
	if (rc == RD_OK && (rc = vault_begin(t, err)) == RD_OK) {
		if ((rc = vault_audit_add(t, row, err)) == RD_OK)
			rc = vault_commit(t, err);
		else
			vault_rollback(t);
	}
	vault_close(t);
	if (rc != RD_OK)
		return rc;
	return bk_sync(tmp, err);
}

/*
 * Put tmp into the vault at to: one write transaction, or, when to is no
 * database at all, a rename over it (with its -wal and -shm gone first,
 * so no log of the old file is ever read against the new one).
 */
static enum rd_code RD_CHECK
bk_replace(const char *tmp, const char *to, struct rd_err *err)
{
	sqlite3		*src = NULL, *dst = NULL;
	char		*p;
	size_t		 n;
	enum rd_code	 rc;

	if (sqlite3_open_v2(tmp, &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE,
	    NULL) != SQLITE_OK) {
		rc = rd_err_set(err, RD_VAULT_MISSING, _("cannot open %s: %s"),
		    to, sqlite3_errmsg(dst != NULL ? dst : src));
		goto out;
	}
	sqlite3_busy_timeout(dst, VAULT_BUSY_MS);
	/* As the vault's own connections write: the commit is durable. */
	(void)sqlite3_exec(dst, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	rc = bk_copy(dst, src, N_("restoring the vault"), err);
	if (rc == RD_VAULT_CORRUPT &&
	    sqlite3_exec(dst, "SELECT count(*) FROM sqlite_master", NULL,
	    NULL, NULL) == SQLITE_NOTADB) {
		sqlite3_close(dst);
		dst = NULL;
		n = strlen(to) + 8;
		p = xcalloc(1, n);
		snprintf(p, n, "%s-wal", to);
		unlink(p);
		snprintf(p, n, "%s-shm", to);
		unlink(p);
		free(p);
		if (rename(tmp, to) != 0)
			rc = rd_err_set(err, RD_VAULT_MISSING, _("cannot "
			    "replace %s: %s"), to, strerror(errno));
		else {
			bk_sync_dir(to);
			rc = RD_OK;
		}
	}
out:
	sqlite3_close(src);
	sqlite3_close(dst);
	return rc;
}

/*
 * A file with a write-ahead log beside it is a vault in use (or one that
 * was not closed): its file alone may be half of it.  An empty log, as a
 * reader leaves, is nothing.
 */
static enum rd_code RD_CHECK
bk_no_log(const char *from, struct rd_err *err)
{
	struct stat	 sb;
	char		*wal = xasprintf("%s-wal", from);
	bool		 busy = stat(wal, &sb) == 0 && sb.st_size > 0;

	free(wal);
	if (busy)
		return rd_err_set(err, RD_VAULT_BUSY, _("%s has a write-ahead "
		    "log beside it (%s-wal): it is a vault in use, not a "
		    "backup; copy it with redoubt backup"), from, from);
	return RD_OK;
}

enum rd_code
vault_restore(const char *from, const char *to, const char *pass,
    size_t passlen, bool force, const struct vault_audit *row,
    bool *replaced, struct rd_err *err)
{
	struct stat	 sb, fsb;
	char		*tmp;
	enum rd_code	 rc;
	bool		 there;

	*replaced = false;
	if (sodium_init() < 0)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("libsodium cannot "
		    "start"));
	there = lstat(to, &sb) == 0;
	if (there && !S_ISREG(sb.st_mode))
		return rd_err_set(err, RD_VAULT_CORRUPT, _("%s is not a vault "
		    "file"), to);
	if (there && !force)
		return rd_err_set(err, RD_EXISTS, _("a vault exists at %s; "
		    "restore --force replaces it"), to);
	if (there && stat(from, &fsb) == 0 && fsb.st_dev == sb.st_dev &&
	    fsb.st_ino == sb.st_ino)
		return rd_err_set(err, RD_USAGE, _("%s is the vault itself"),
		    from);
	if ((rc = bk_no_log(from, err)) != RD_OK)
		return rc;
	tmp = bk_temp_name(to, "restore");
	if ((rc = bk_copy_file(from, tmp, err)) != RD_OK) {
		free(tmp);
		return rc;
	}
	if ((rc = bk_prepare(from, tmp, pass, passlen, row, err)) == RD_OK) {
		/* Gone since the look above: it is a new vault after all. */
		if (there && lstat(to, &sb) != 0)
			there = false;
		rc = there ? bk_replace(tmp, to, err) :
		    bk_publish(tmp, to, err);
		*replaced = there;
	}
	vault_unlink_file(tmp);
	free(tmp);
	return rc;
}
