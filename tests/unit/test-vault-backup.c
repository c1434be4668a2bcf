/*
 * test-vault-backup.c: vault_backup and vault_restore.  A backup is a new
 * 0600 file that opens with the passphrase and verifies, never over an
 * existing one; a restore checks the file on a working copy, so a
 * refused one changes neither it nor the vault; --force replaces a vault
 * that another connection holds open, which then reads the restored one.
 */
#include <dirent.h>

#include "test-vault-fix.h"

/* How many files of dir are working copies (".NAME.backup-", ".restore-"). */
static int
temps(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*e;
	int		 n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, ".backup-") != NULL ||
		    strstr(e->d_name, ".restore-") != NULL)
			n++;
	closedir(d);
	return n;
}

static void
audit_row(struct vault *v, const char *action, const char *detail)
{
	struct vault_audit	a = { .time = 1700000000, .actor = "test",
				    .action = action, .outcome = "ok",
				    .detail = detail };

	OK(vault_begin(v, &err));
	OK(vault_audit_add(v, &a, &err));
	OK(vault_commit(v, &err));
}

static void
verify(const char *path)
{
	struct vault	*v;
	int64_t		 bad, rows;
	bool		 extends;

	OK(vault_open(path, PASS, PASSLEN, &v, &err));
	OK(vault_audit_verify(v, NULL, &bad, &rows, &extends, &err));
	assert_int_equal(bad, 0);
	assert_true(rows > 0);
	vault_close(v);
}

static void
test_backup(void **state)
{
	struct fix	*f = *state;
	struct vault_user u;
	struct stat	 sb;
	struct vault	*c;
	char		 b[600];
	uint8_t		*before;
	size_t		 nb;

	OK(vault_begin(f->v, &err));
	add_user(f->v, "alice", "alice@example.com", NULL);
	OK(vault_commit(f->v, &err));
	audit_row(f->v, "user add", "alice");
	snprintf(b, sizeof b, "%s/b.db", f->dir);
	OK(vault_backup(f->v, b, &err));
	assert_int_equal(stat(b, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(temps(f->dir), 0);
	/* Another passphrase does not open the copy; the vault's does. */
	IS(try_open(b, "wrong"), RD_BAD_PASSPHRASE);
	verify(b);
	OK(vault_open(b, PASS, PASSLEN, &c, &err));
	OK(vault_user_get(c, "alice", &u, &err));
	assert_string_equal(u.email, "alice@example.com");
	vault_user_clear(&u);
	vault_close(c);
	/* Never over a file. */
	before = read_all(b, &nb);
	IS(vault_backup(f->v, b, &err), RD_EXISTS);
	assert_non_null(strstr(err.msg, "exists"));
	same_file(b, before, nb);
	/* A folder that is not there: an error, and nothing made. */
	snprintf(b, sizeof b, "%s/none/b.db", f->dir);
	IS(vault_backup(f->v, b, &err), RD_VAULT_MISSING);
	assert_int_equal(temps(f->dir), 0);
}

static void
test_restore(void **state)
{
	struct fix		*f = *state;
	struct vault_audit	 row = { .time = 1700000001, .actor = "test",
				    .action = "restore", .outcome = "ok",
				    .detail = "restored from b.db" };
	struct vault_user	 u;
	char			 b[600], junk[600], fresh[600];
	uint8_t			*before, *bbefore;
	size_t			 nb, nbb;
	bool			 replaced = false;

	OK(vault_begin(f->v, &err));
	add_user(f->v, "alice", NULL, NULL);
	OK(vault_commit(f->v, &err));
	audit_row(f->v, "user add", "alice");
	snprintf(b, sizeof b, "%s/b.db", f->dir);
	OK(vault_backup(f->v, b, &err));
	/* After the backup: bob, who the copy does not have. */
	OK(vault_begin(f->v, &err));
	add_user(f->v, "bob", NULL, NULL);
	OK(vault_commit(f->v, &err));
	shut(f);
	before = read_all(f->path, &nb);
	bbefore = read_all(b, &nbb);

	/* Refusals change nothing: not without force, not a wrong one. */
	IS(vault_restore(b, f->path, PASS, PASSLEN, false, &row, &replaced,
	    &err), RD_EXISTS);
	assert_non_null(strstr(err.msg, "--force"));
	IS(vault_restore(b, f->path, "wrong", 5, true, &row, &replaced, &err),
	    RD_BAD_PASSPHRASE);
	snprintf(junk, sizeof junk, "%s/junk.db", f->dir);
	write_all(junk, "not a vault at all", 18);
	IS(vault_restore(junk, f->path, PASS, PASSLEN, true, &row, &replaced,
	    &err), RD_VAULT_CORRUPT);
	same_file(f->path, before, nb);
	same_file(b, bbefore, nbb);
	before = read_all(f->path, &nb);
	/* An edited audit row in the file: refused. */
	db(b, "UPDATE audit SET detail = 'edited' WHERE id = 1");
	IS(vault_restore(b, f->path, PASS, PASSLEN, true, &row, &replaced,
	    &err), RD_VAULT_CORRUPT);
	assert_non_null(strstr(err.msg, "audit"));
	same_file(f->path, before, nb);
	assert_int_equal(temps(f->dir), 0);
	unlink(b);

	/* With another connection open: it reads the restored vault after. */
	reopen(f, PASS);
	OK(vault_backup(f->v, b, &err));
	OK(vault_begin(f->v, &err));
	add_user(f->v, "carol", NULL, NULL);
	OK(vault_commit(f->v, &err));
	OK(vault_user_get(f->v, "carol", &u, &err));
	vault_user_clear(&u);
	OK(vault_restore(b, f->path, PASS, PASSLEN, true, &row, &replaced,
	    &err));
	assert_true(replaced);
	IS(vault_user_get(f->v, "carol", &u, &err), RD_NOT_FOUND);
	OK(vault_user_get(f->v, "bob", &u, &err));
	vault_user_clear(&u);
	verify(f->path);
	assert_int_equal(db(f->path, "SELECT count(*) FROM audit WHERE "
	    "action = 'restore'"), 1);

	/* Where there is no vault: a new file. */
	snprintf(fresh, sizeof fresh, "%s/fresh.db", f->dir);
	OK(vault_restore(b, fresh, PASS, PASSLEN, false, &row, &replaced,
	    &err));
	assert_false(replaced);
	verify(fresh);
	assert_int_equal(temps(f->dir), 0);
	/* A vault file that is no database: replaced by rename. */
	write_all(junk, "not a vault at all", 18);
	OK(vault_restore(b, junk, PASS, PASSLEN, true, &row, &replaced, &err));
	verify(junk);
	/* A vault in use (its -wal holds commits) is no backup: refused. */
	OK(vault_begin(f->v, &err));
	add_user(f->v, "dave", NULL, NULL);
	OK(vault_commit(f->v, &err));
	IS(vault_restore(f->path, fresh, PASS, PASSLEN, true, &row, &replaced,
	    &err), RD_VAULT_BUSY);
	assert_non_null(strstr(err.msg, "-wal"));
	/* The vault itself as the file: refused. */
	IS(vault_restore(f->path, f->path, PASS, PASSLEN, true, &row,
	    &replaced, &err), RD_USAGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_backup),
		T(test_restore),
#undef T
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("vault backup", tests, NULL, NULL);
}
