/*
 * test-keyslot.c: key slots.  A key file opens its vault without the
 * passphrase; a new passphrase keeps the slots; a removed slot opens
 * nothing; a file others may read, one of another owner, or not a key
 * file is bad_passphrase with the reason; a slot row edited, moved to
 * another number or put back after removal from an old copy is refused;
 * the list has the passphrase first, then each slot with its times.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "harness.h"
#include "../../vault/vault.h"

struct fix {
	char		*dir;
	char		 path[256], key[256], key2[256];
	struct vault	*v;
};

static int
setup(void **state)
{
	struct fix	*f = calloc(1, sizeof *f);
	struct rd_err	 err;

	f->dir = harness_tmpdir();
	snprintf(f->path, sizeof f->path, "%s/v.db", f->dir);
	snprintf(f->key, sizeof f->key, "%s/k1", f->dir);
	snprintf(f->key2, sizeof f->key2, "%s/k2", f->dir);
	assert_int_equal(vault_create(f->path, "pw", 2, VAULT_KDF_TEST, NULL,
	    &f->v, &err), RD_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*f = *state;

	vault_close(f->v);
	harness_rmdir(f->dir);
	free(f);
	return 0;
}

static enum rd_code
open_key(struct fix *f, const char *key, struct rd_err *err)
{
	struct vault	*v = NULL;
	enum rd_code	 rc = vault_open_keyfile(f->path, key, &v, err);

	vault_close(v);
	return rc;
}

/* Run sql on the file as someone with the sqlite3 shell and no key. */
static void
edit(struct fix *f, const char *sql)
{
	sqlite3	*db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_open_and_rekey(void **state)
{
	struct fix	*f = *state;
	struct rd_err	 err;
	struct stat	 sb;
	int64_t		 id, id2;
	struct vault	*v;

	assert_int_equal(vault_slot_add(f->v, f->key, 1000, &id, &err), RD_OK);
	assert_int_equal(id, 1);
	assert_int_equal(stat(f->key, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0400);
	assert_int_equal(vault_slot_add(f->v, f->key, 1000, &id2, &err),
	    RD_EXISTS);
	assert_int_equal(vault_slot_add(f->v, f->key2, 1001, &id2, &err),
	    RD_OK);
	assert_int_equal(id2, 2);
	assert_int_equal(open_key(f, f->key, &err), RD_OK);
	/* A new passphrase rewraps slot 0 only. */
	assert_int_equal(vault_rekey(f->v, "new", 3, &err), RD_OK);
	assert_int_equal(open_key(f, f->key, &err), RD_OK);
	assert_int_equal(open_key(f, f->key2, &err), RD_OK);
	assert_int_equal(vault_open(f->path, "pw", 2, &v, &err),
	    RD_BAD_PASSPHRASE);
	assert_int_equal(vault_open(f->path, "new", 3, &v, &err), RD_OK);
	vault_close(v);
	/* Removed: its file opens nothing, the other still does. */
	assert_int_equal(vault_slot_remove(f->v, 1, &err), RD_OK);
	assert_int_equal(open_key(f, f->key, &err), RD_BAD_PASSPHRASE);
	assert_non_null(strstr(err.msg, "slot 1 is not in vault"));
	assert_int_equal(open_key(f, f->key2, &err), RD_OK);
	assert_int_equal(vault_slot_remove(f->v, 1, &err), RD_NOT_FOUND);
	assert_int_equal(vault_slot_remove(f->v, 0, &err), RD_NOT_ALLOWED);
}

static void
test_file_refused(void **state)
{
	struct fix	*f = *state;
	struct rd_err	 err;
	int64_t		 id;
	int		 fd;

	assert_int_equal(vault_slot_add(f->v, f->key, 1000, &id, &err), RD_OK);
	assert_int_equal(chmod(f->key, 0440), 0);
	assert_int_equal(open_key(f, f->key, &err), RD_BAD_PASSPHRASE);
	assert_non_null(strstr(err.msg, "may be read by others"));
	assert_int_equal(chmod(f->key, 0604), 0);
	assert_int_equal(open_key(f, f->key, &err), RD_BAD_PASSPHRASE);
	assert_int_equal(chmod(f->key, 0600), 0);
	assert_int_equal(open_key(f, f->key, &err), RD_OK);
	if (geteuid() == 0) {
		assert_int_equal(chown(f->key, 65534, 65534), 0);
		assert_int_equal(open_key(f, f->key, &err), RD_BAD_PASSPHRASE);
		assert_non_null(strstr(err.msg, "another user"));
	}
	fd = open(f->key2, O_WRONLY | O_CREAT | O_EXCL, 0400);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "redoubt-key 1 1 bm9wZQ==\n", 25), 25);
	close(fd);
	assert_int_equal(open_key(f, f->key2, &err), RD_BAD_PASSPHRASE);
	assert_non_null(strstr(err.msg, "not a redoubt key file"));
	assert_int_equal(open_key(f, "/nonexistent/key", &err),
	    RD_BAD_PASSPHRASE);
}

static void
test_tamper(void **state)
{
	struct fix	*f = *state;
	struct rd_err	 err;
	struct vault	*v;
	int64_t		 id;

	assert_int_equal(vault_slot_add(f->v, f->key, 1000, &id, &err), RD_OK);
	assert_int_equal(vault_slot_add(f->v, f->key2, 1000, &id, &err),
	    RD_OK);
	vault_close(f->v);
	f->v = NULL;
	/* Slot 2's row under number 1: its key file names 1, no open. */
	edit(f, "CREATE TABLE keep AS SELECT * FROM meta;"
	    "UPDATE meta SET v = (SELECT v FROM meta WHERE k = 'slot.2')"
	    " WHERE k = 'slot.1'");
	assert_int_not_equal(open_key(f, f->key2, &err), RD_OK);
	assert_int_not_equal(vault_open(f->path, "pw", 2, &v, &err), RD_OK);
	/* Back as it was: everything opens again. */
	edit(f, "DELETE FROM meta; INSERT INTO meta SELECT * FROM keep;"
	    "DROP TABLE keep");
	assert_int_equal(open_key(f, f->key, &err), RD_OK);
	assert_int_equal(vault_open(f->path, "pw", 2, &f->v, &err), RD_OK);
	/* A removed slot put back from an old copy of its row. */
	edit(f, "CREATE TABLE keep AS SELECT * FROM meta WHERE k = 'slot.1'");
	assert_int_equal(vault_slot_remove(f->v, 1, &err), RD_OK);
	vault_close(f->v);
	f->v = NULL;
	edit(f, "INSERT INTO meta SELECT * FROM keep; DROP TABLE keep");
	assert_int_equal(open_key(f, f->key, &err), RD_VAULT_CORRUPT);
	assert_int_equal(vault_open(f->path, "pw", 2, &v, &err),
	    RD_VAULT_CORRUPT);
}

static void
test_list(void **state)
{
	struct fix		*f = *state;
	struct rd_err		 err;
	struct vault_slot	*s;
	size_t			 n;
	int64_t			 id;

	assert_int_equal(vault_slot_list(f->v, &s, &n, &err), RD_OK);
	assert_int_equal(n, 1);
	assert_true(s[0].passphrase);
	assert_true(s[0].created > 0);
	free(s);
	assert_int_equal(vault_slot_add(f->v, f->key, 1234, &id, &err), RD_OK);
	assert_int_equal(open_key(f, f->key, &err), RD_OK);
	assert_int_equal(vault_slot_list(f->v, &s, &n, &err), RD_OK);
	assert_int_equal(n, 2);
	assert_int_equal(s[1].id, 1);
	assert_false(s[1].passphrase);
	assert_int_equal(s[1].created, 1234);
	assert_true(s[1].used > 0);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_and_rekey, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tamper, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
