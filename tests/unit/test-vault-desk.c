/*
 * test-vault-desk.c: what the operator's desk asks of vault/: renaming a
 * user keeps every sealed field, method, code, backup code and token
 * (they are bound to the id), re-MACs the row, refuses a taken name and
 * never launders a row changed outside redoubt; a method's last_used is
 * kept under its row's MAC, and so are an imported token's sealed params;
 * rows written before the columns existed
 * (a schema 2 vault made by an older build) still pass their MACs.
 */
#include "test-vault-fix.h"
#include "../../src/util.h"

static void
test_rename_keeps_everything(void **state)
{
	struct fix		*f = *state;
	struct vault_user	 u;
	struct vault_method	*list;
	struct vault_token	 t;
	struct vault_code_check	 cc;
	char			*codes[] = { "abcd2345ef", "ghjk6789mn" };
	size_t			 n;
	bool			 spent;
	int64_t			 uid, mid;

	uid = add_user(f->v, "alice", "alice@example.com", "+15551234567");
	mid = add_method(f->v, uid, "app", 5);
	OK(vault_backup_set(f->v, uid, codes, 2, &err));
	OK(vault_token_put(f->v, "tok-1", uid, 500, 100, &err));
	OK(vault_code_put(f->v, mid, "123456", 900, 3, &err));

	OK(vault_user_rename(f->v, uid, "bob", &err));
	IS(vault_user_get(f->v, "alice", &u, &err), RD_NOT_FOUND);
	reopen(f, PASS);
	OK(vault_user_get(f->v, "bob", &u, &err));
	assert_int_equal(u.id, uid);
	assert_string_equal(u.email, "alice@example.com");
	assert_string_equal(u.phone, "+15551234567");
	assert_true(u.active);
	vault_user_clear(&u);
	/* The method set, the method's MAC and its secret, by id. */
	OK(vault_method_list(f->v, uid, &list, &n, &err));
	assert_int_equal(n, 1);
	assert_int_equal(list[0].counter, 5);
	assert_memory_equal(list[0].secret, "12345678901234567890", 20);
	vault_method_list_free(list, n);
	OK(vault_backup_use(f->v, uid, "ghjk6789mn", 200, &spent, &err));
	assert_false(spent);
	OK(vault_token_get(f->v, "tok-1", &t, &err));
	assert_int_equal(t.user_id, uid);
	OK(vault_code_check(f->v, mid, "123456", &cc, &err));
	assert_true(cc.match);
	/* Back again: a name can be given up and taken. */
	OK(vault_user_rename(f->v, uid, "alice", &err));
	OK(vault_user_get(f->v, "alice", &u, &err));
	vault_user_clear(&u);

	/* The name is under the row's MAC: a rename by SQL alone fails. */
	shut(f);
	db(f->path, "UPDATE users SET name = 'carol' WHERE name = 'alice'");
	reopen(f, PASS);
	IS(vault_user_get(f->v, "carol", &u, &err), RD_VAULT_CORRUPT);
}

static void
test_rename_refused(void **state)
{
	struct fix		*f = *state;
	struct vault_user	 u;
	char			 longname[VAULT_NAME_MAX + 2];
	int64_t			 a, b;

	a = add_user(f->v, "alice", "alice@example.com", NULL);
	b = add_user(f->v, "bob", NULL, NULL);
	IS(vault_user_rename(f->v, a, "bob", &err), RD_EXISTS);
	assert_non_null(strstr(err.msg, "bob"));
	memset(longname, 'x', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	IS(vault_user_rename(f->v, a, longname, &err), RD_USAGE);
	IS(vault_user_rename(f->v, 999, "zed", &err), RD_NOT_FOUND);
	OK(vault_user_get(f->v, "alice", &u, &err));
	assert_int_equal(u.id, a);
	vault_user_clear(&u);
	OK(vault_user_get(f->v, "bob", &u, &err));
	assert_int_equal(u.id, b);
	vault_user_clear(&u);

	/* A row changed outside redoubt is refused, not given a fresh MAC. */
	shut(f);
	db(f->path, "UPDATE users SET active = 0 WHERE name = 'alice'");
	reopen(f, PASS);
	IS(vault_user_rename(f->v, a, "zed", &err), RD_VAULT_CORRUPT);
	shut(f);
	assert_int_equal(db(f->path, "SELECT count(*) FROM users"
	    " WHERE name = 'zed'"), 0);
	reopen(f, PASS);
}

static void
test_last_used(void **state)
{
	struct fix		*f = *state;
	struct vault_method	 m;
	int64_t			 uid;

	uid = add_user(f->v, "alice", NULL, NULL);
	add_method(f->v, uid, "app", 5);
	add_method(f->v, uid, "spare", 0);
	OK(vault_method_get(f->v, uid, "app", &m, &err));
	assert_int_equal(m.last_used, 0);
	m.last_used = 1700000000;
	OK(vault_method_put(f->v, &m, &err));
	vault_method_clear(&m);
	reopen(f, PASS);
	OK(vault_method_get(f->v, uid, "app", &m, &err));
	assert_int_equal(m.last_used, 1700000000);
	/* The counter's own conditional write keeps it under the MAC. */
	OK(vault_method_advance(f->v, &m, 9, &err));
	vault_method_clear(&m);
	OK(vault_method_get(f->v, uid, "app", &m, &err));
	assert_int_equal(m.last_used, 1700000000);
	assert_int_equal(m.counter, 9);
	vault_method_clear(&m);

	/* Under the MAC: set back to never, moved, or set where unset. */
	shut(f);
	db(f->path, "UPDATE methods SET last_used = 0 WHERE name = 'app'");
	reopen(f, PASS);
	IS(vault_method_get(f->v, uid, "app", &m, &err), RD_VAULT_CORRUPT);
	shut(f);
	db(f->path, "UPDATE methods SET last_used = 1700000001"
	    " WHERE name = 'app'");
	reopen(f, PASS);
	IS(vault_method_get(f->v, uid, "app", &m, &err), RD_VAULT_CORRUPT);
	shut(f);
	db(f->path, "UPDATE methods SET last_used = 1700000000"
	    " WHERE name = 'app'");
	db(f->path, "UPDATE methods SET last_used = 5 WHERE name = 'spare'");
	reopen(f, PASS);
	OK(vault_method_get(f->v, uid, "app", &m, &err));
	vault_method_clear(&m);
	IS(vault_method_get(f->v, uid, "spare", &m, &err), RD_VAULT_CORRUPT);
}

/* An imported token's params: sealed, bound to the row, under the MAC. */
static void
test_method_params(void **state)
{
	struct fix		*f = *state;
	struct vault_method	 m;
	int64_t			 uid;

	uid = add_user(f->v, "alice", NULL, NULL);
	add_method(f->v, uid, "app", 5);
	add_method(f->v, uid, "spare", 0);
	OK(vault_method_get(f->v, uid, "app", &m, &err));
	assert_null(m.params);
	m.params = secret_strdup("serial=SECRET-SERIAL-1\ndigits=8\n");
	OK(vault_method_put(f->v, &m, &err));
	vault_method_clear(&m);
	reopen(f, PASS);
	OK(vault_method_get(f->v, uid, "app", &m, &err));
	assert_string_equal(m.params, "serial=SECRET-SERIAL-1\ndigits=8\n");
	/* The counter's conditional write keeps params under the MAC. */
	OK(vault_method_advance(f->v, &m, 9, &err));
	vault_method_clear(&m);
	OK(vault_method_get(f->v, uid, "app", &m, &err));
	assert_non_null(m.params);
	vault_method_clear(&m);
	shut(f);
	/* Sealed: not in the file in clear. */
	assert_int_equal(db(f->path, "SELECT count(*) FROM methods WHERE"
	    " instr(params, 'SECRET-SERIAL') > 0"), 0);
	/* Moved to another row, or dropped: both read as corrupt. */
	db(f->path, "UPDATE methods SET params = (SELECT params FROM methods"
	    " WHERE name = 'app') WHERE name = 'spare'");
	reopen(f, PASS);
	IS(vault_method_get(f->v, uid, "spare", &m, &err), RD_VAULT_CORRUPT);
	shut(f);
	db(f->path, "UPDATE methods SET params = NULL");
	reopen(f, PASS);
	IS(vault_method_get(f->v, uid, "app", &m, &err), RD_VAULT_CORRUPT);
	OK(vault_method_get(f->v, uid, "spare", &m, &err));
	vault_method_clear(&m);
}

static void
test_last_used_older_vault(void **state)
{
	struct fix		*f = *state;
	struct vault_user	 u;
	struct vault_method	*list;
	size_t			 n, len;
	uint8_t			*fixture;

	/* A schema 2 vault of the build before (tests/fixtures/README.md). */
	shut(f);
	unlink(f->path);
	fixture = read_all("tests/fixtures/vault-v2.db", &len);
	assert_non_null(fixture);
	write_all(f->path, fixture, len);
	free(fixture);
	reopen(f, "fixture-pass");
	vault_close(f->v);
	f->v = NULL;
	/* 2 -> 3 -> 4 -> 5 -> 6 in one go: the index is there too. */
	assert_int_equal(db(f->path, "PRAGMA user_version"), 6);
	assert_int_equal(db(f->path, "SELECT count(*) FROM users WHERE"
	    " (email IS NULL) != (email_ix IS NULL) OR"
	    " (phone IS NULL) != (phone_ix IS NULL)"), 0);
	reopen(f, "fixture-pass");
	OK(vault_user_get(f->v, "alice", &u, &err));
	/* Its rows were MACed without last_used and still pass. */
	OK(vault_method_list(f->v, u.id, &list, &n, &err));
	assert_int_equal(n, 1);
	assert_int_equal(list[0].state, VAULT_ACTIVE);
	assert_int_equal(list[0].last_used, 0);
	list[0].last_used = 1800000000;
	OK(vault_method_put(f->v, &list[0], &err));
	vault_method_list_free(list, n);
	reopen(f, "fixture-pass");
	OK(vault_method_list(f->v, u.id, &list, &n, &err));
	assert_int_equal(list[0].last_used, 1800000000);
	vault_method_list_free(list, n);
	vault_user_clear(&u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_rename_keeps_everything),
		T(test_rename_refused),
		T(test_last_used),
		T(test_method_params),
		T(test_last_used_older_vault),
#undef T
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("vault-desk", tests, NULL, NULL);
}
