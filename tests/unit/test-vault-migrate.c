/*
 * test-vault-migrate.c: schema version 6.  The fixture vaults of versions
 * 1 and 2 (tests/fixtures/README.md) migrate: each user's backup codes
 * become one backup_sets row that still takes the fixture's codes, once
 * each; the old table and its rows are gone; list pages have their index.
 * An old row edited without the key stops the migration and leaves the
 * file as it was.  The new row is under its MAC: a spent code made unused
 * again, or an older set put back, reads as vault_corrupt.
 */
#include "test-vault-fix.h"

static void
copy_fixture(struct fix *f, const char *name)
{
	char	 src[256];
	uint8_t	*p;
	size_t	 n;

	shut(f);
	unlink(f->path);
	snprintf(src, sizeof src, "tests/fixtures/%s", name);
	p = read_all(src, &n);
	assert_non_null(p);
	write_all(f->path, p, n);
	free(p);
}

/* The n-th line of a fixture's .backup file into out. */
static void
fixture_code(const char *name, int nth, char out[32])
{
	char	 path[256];
	FILE	*fp;
	int	 i;

	snprintf(path, sizeof path, "tests/fixtures/%s", name);
	assert_non_null(fp = fopen(path, "r"));
	for (i = 0; i <= nth; i++)
		assert_non_null(fgets(out, 32, fp));
	out[strcspn(out, "\r\n")] = '\0';
	fclose(fp);
}

static void
migrates(struct fix *f, const char *db_name, const char *codes_name)
{
	struct vault_user	u;
	char			c0[32], c1[32];
	bool			spent;
	int			left;

	copy_fixture(f, db_name);
	reopen(f, "fixture-pass");
	OK(vault_user_get(f->v, "alice", &u, &err));
	OK(vault_backup_left(f->v, u.id, &left, &err));
	assert_int_equal(left, 10);
	fixture_code(codes_name, 0, c0);
	fixture_code(codes_name, 9, c1);
	OK(vault_begin(f->v, &err));
	OK(vault_backup_use(f->v, u.id, c0, 100, &spent, &err));
	IS(vault_backup_use(f->v, u.id, c0, 101, &spent, &err),
	    RD_INVALID_CODE);
	assert_true(spent);
	OK(vault_backup_use(f->v, u.id, c1, 102, &spent, &err));
	IS(vault_backup_use(f->v, u.id, "notacode00", 103, &spent, &err),
	    RD_INVALID_CODE);
	assert_false(spent);
	OK(vault_commit(f->v, &err));
	OK(vault_backup_left(f->v, u.id, &left, &err));
	assert_int_equal(left, 8);
	vault_user_clear(&u);
	shut(f);
	assert_int_equal(db(f->path, "PRAGMA user_version"), 6);
	assert_int_equal(db(f->path, "SELECT count(*) FROM sqlite_schema"
	    " WHERE name = 'backup_codes'"), 0);
	assert_int_equal(db(f->path, "SELECT count(*) FROM sqlite_schema"
	    " WHERE name = 'users_page'"), 1);
	assert_int_equal(db(f->path, "SELECT length(hashes) + length(used)"
	    " FROM backup_sets"), 160 + 2);
	reopen(f, "fixture-pass");
}

static void
test_fixture_v1(void **state)
{
	migrates(*state, "vault-v1.db", "vault-v1.backup");
}

static void
test_fixture_v2(void **state)
{
	migrates(*state, "vault-v2.db", "vault-v2.backup");
}

/* An old row made unused again without the key: not carried over. */
static void
test_tampered_old_row(void **state)
{
	struct fix	*f = *state;

	copy_fixture(f, "vault-v2.db");
	db(f->path, "UPDATE backup_codes SET used_at = 7 WHERE hash ="
	    " (SELECT min(hash) FROM backup_codes)");
	IS(try_open(f->path, "fixture-pass"), RD_VAULT_CORRUPT);
	assert_non_null(strstr(err.msg, "backup_codes"));
	/* Rolled back: the file reads as it was. */
	assert_int_equal(db(f->path, "PRAGMA user_version"), 2);
	assert_int_equal(db(f->path, "SELECT count(*) FROM backup_codes"), 10);
	/* The vault has to open for the teardown. */
	copy_fixture(f, "vault-v2.db");
	reopen(f, "fixture-pass");
}

static void
test_set_under_mac(void **state)
{
	struct fix	*f = *state;
	char		*one[] = { "abcd2345ef", "ghjk6789mn", "abcd2345ef" };
	char		*two[] = { "pqrs2345tu" };
	int64_t		 uid;
	bool		 spent;
	int		 left;

	uid = add_user(f->v, "alice", NULL, NULL);
	OK(vault_backup_set(f->v, uid, one, 3, &err));
	/* The same code twice is one entry. */
	OK(vault_backup_left(f->v, uid, &left, &err));
	assert_int_equal(left, 2);
	OK(vault_backup_use(f->v, uid, "abcd2345ef", 1, &spent, &err));
	shut(f);
	db(f->path, "CREATE TABLE keep AS SELECT * FROM backup_sets");
	/* The spent bit cleared. */
	db(f->path, "UPDATE backup_sets SET used = x'00'");
	reopen(f, PASS);
	IS(vault_backup_use(f->v, uid, "abcd2345ef", 2, &spent, &err),
	    RD_VAULT_CORRUPT);
	IS(vault_backup_left(f->v, uid, &left, &err), RD_VAULT_CORRUPT);
	shut(f);
	db(f->path, "UPDATE backup_sets SET used = (SELECT used FROM keep)");
	reopen(f, PASS);
	OK(vault_backup_set(f->v, uid, two, 1, &err));
	shut(f);
	/* The older set, whole and with its own MAC, put back. */
	db(f->path, "DELETE FROM backup_sets");
	db(f->path, "INSERT INTO backup_sets SELECT * FROM keep");
	reopen(f, PASS);
	IS(vault_backup_use(f->v, uid, "ghjk6789mn", 3, &spent, &err),
	    RD_VAULT_CORRUPT);
	/* Another user's set moved over. */
	shut(f);
	db(f->path, "DELETE FROM backup_sets");
	reopen(f, PASS);
	OK(vault_backup_set(f->v, add_user(f->v, "bob", NULL, NULL), two, 1,
	    &err));
	shut(f);
	db(f->path, "UPDATE backup_sets SET user_id = 1");
	reopen(f, PASS);
	IS(vault_backup_use(f->v, uid, "pqrs2345tu", 4, &spent, &err),
	    RD_VAULT_CORRUPT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_fixture_v1),
		T(test_fixture_v2),
		T(test_tampered_old_row),
		T(test_set_under_mac),
#undef T
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("vault-migrate", tests, NULL, NULL);
}
