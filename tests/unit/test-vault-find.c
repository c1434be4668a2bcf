/*
 * test-vault-find.c: finding users by e-mail or phone through the keyed
 * index (vault_user_find, vault/userix.c): the normalised forms that
 * match and those that do not, shared addresses, the index following
 * every change of a user and surviving a new passphrase, no full scan
 * however many users (and the indexes dropped and made again around a
 * bulk load), an index edited in the file never naming the wrong
 * user, and vaults of schema 1 and 2 (tests/fixtures) getting their index
 * on unlock.
 */
#include "test-vault-fix.h"
#include "../../src/util.h"
#include "../../vault/store-sqlite.h"
#include "../../vault/vault-int.h"

struct found {
	int	n;
	char	names[8][32];
	char	by[8][8];
	bool	active[8];
};

static void
found_one(void *arg, const char *name, bool active, const char *by)
{
	struct found	*f = arg;

	assert_true(f->n < 8);
	snprintf(f->names[f->n], sizeof f->names[0], "%s", name);
	snprintf(f->by[f->n], sizeof f->by[0], "%s", by);
	f->active[f->n++] = active;
}

static enum rd_code
find(struct vault *v, const char *text, struct found *out)
{
	memset(out, 0, sizeof *out);
	return vault_user_find(v, text, 0, found_one, out, &err);
}

/* text finds exactly the one user name, by that field. */
static void
finds(struct vault *v, const char *text, const char *name, const char *by)
{
	struct found	f;

	OK(find(v, text, &f));
	if (f.n != 1 || strcmp(f.names[0], name) != 0 ||
	    strcmp(f.by[0], by) != 0)
		fail_msg("'%s' found %d users (%s), not %s by %s", text, f.n,
		    f.n ? f.names[0] : "", name, by);
}

static void
finds_none(struct vault *v, const char *text)
{
	struct found	f;

	OK(find(v, text, &f));
	if (f.n != 0)
		fail_msg("'%s' found %s", text, f.names[0]);
}

static void
test_forms(void **state)
{
	struct fix	*f = *state;
	struct found	 fd;

	add_user(f->v, "alice", "Alice.Smith@Example.COM", "+48500000000");
	add_user(f->v, "bob", "bob@example.com", "+15551234567");
	add_user(f->v, "carol", "team@example.com", NULL);
	add_user(f->v, "aaron", "team@example.com", NULL);
	/* An e-mail in any case, with white space around it. */
	finds(f->v, "alice.smith@example.com", "alice", "email");
	finds(f->v, "ALICE.SMITH@EXAMPLE.COM", "alice", "email");
	finds(f->v, "  Alice.Smith@Example.COM\t", "alice", "email");
	/* Exact, not a prefix, and nothing inside the address moves. */
	finds_none(f->v, "alice.smith@example.co");
	finds_none(f->v, "alice.smith@example.com.");
	finds_none(f->v, "alicesmith@example.com");
	finds_none(f->v, "alice");
	/* A phone number as stored and in its written forms. */
	finds(f->v, "+48500000000", "alice", "phone");
	finds(f->v, "+48 500 000 000", "alice", "phone");
	finds(f->v, "+48 500-000-000", "alice", "phone");
	finds(f->v, " +1 (555) 123.4567 ", "bob", "phone");
	finds_none(f->v, "+4850000000");
	finds_none(f->v, "48500000000");
	finds_none(f->v, "0048500000000");
	finds_none(f->v, "+48 500 000 000 x");
	finds_none(f->v, "");
	finds_none(f->v, "+");
	/* A shared mailbox: everyone behind it, in name order. */
	OK(find(f->v, "Team@Example.com", &fd));
	assert_int_equal(fd.n, 2);
	assert_string_equal(fd.names[0], "aaron");
	assert_string_equal(fd.names[1], "carol");
	assert_true(fd.active[0]);
	memset(&fd, 0, sizeof fd);
	OK(vault_user_find(f->v, "team@example.com", 1, found_one, &fd, &err));
	assert_int_equal(fd.n, 1);
	/* The index holds no address in clear, and no plain hash of one. */
	shut(f);
	assert_int_equal(db(f->path, "SELECT count(*) FROM users WHERE"
	    " length(email_ix) = 16 AND length(phone_ix) = 16"), 2);
	assert_int_equal(db(f->path, "SELECT count(*) FROM users WHERE"
	    " email_ix = (SELECT email_ix FROM users WHERE name = 'carol')"),
	    2);
	reopen(f, PASS);
}

static void
test_follows_changes(void **state)
{
	struct fix		*f = *state;
	struct vault_user	 u;
	struct vault_lock	 lk = { .failures = 3 };

	add_user(f->v, "alice", "alice@example.com", "+15550001111");
	OK(vault_user_get(f->v, "alice", &u, &err));
	secret_release(u.email);
	u.email = secret_strdup("alice@example.org");
	secret_release(u.phone);
	u.phone = NULL;
	OK(vault_user_update(f->v, &u, &err));
	finds_none(f->v, "alice@example.com");
	finds_none(f->v, "+15550001111");
	finds(f->v, "alice@EXAMPLE.org", "alice", "email");
	/* A write of another column keeps it. */
	OK(vault_lock_put(f->v, u.id, &lk, &err));
	OK(vault_user_set_password(f->v, u.id, "pw", 2, &err));
	finds(f->v, "alice@example.org", "alice", "email");
	secret_release(u.phone);
	u.phone = secret_strdup("+15550002222");
	u.active = false;
	OK(vault_user_update(f->v, &u, &err));
	finds(f->v, "+1 555 000 2222", "alice", "phone");
	vault_user_clear(&u);
	/* A new passphrase rewraps the master key: the index stands. */
	OK(vault_begin(f->v, &err));
	OK(vault_rekey(f->v, "new pass", 8, &err));
	OK(vault_commit(f->v, &err));
	reopen(f, "new pass");
	finds(f->v, "alice@example.org", "alice", "email");
	finds(f->v, "+15550002222", "alice", "phone");
	/* A user deleted is found no more. */
	OK(vault_user_get(f->v, "alice", &u, &err));
	OK(vault_user_del(f->v, u.id, &err));
	vault_user_clear(&u);
	finds_none(f->v, "alice@example.org");
}

/* The cached statement whose SQL has `where` in it. */
static sqlite3_stmt *
stmt_with(struct vault *v, const char *where)
{
	int	i;

	for (i = 0; i < v->nstmts; i++)
		if (strstr(v->stmts[i].sql, where) != NULL)
			return store_sqlite_stmt(v->stmts[i].stmt);
	fail_msg("no statement with %s", where);
	return NULL;
}

static void
test_no_scan(void **state)
{
	struct fix	*f = *state;
	struct rd_err	 e;
	sqlite3_stmt	*st;
	char		 name[32], email[64], phone[32];
	int		 i, steps;

	OK(vault_begin(f->v, &e));
	for (i = 0; i < 2000; i++) {
		snprintf(name, sizeof name, "user%04d", i);
		snprintf(email, sizeof email, "user%04d@example.com", i);
		snprintf(phone, sizeof phone, "+1555000%04d", i);
		add_user(f->v, name, email, i % 2 ? phone : NULL);
	}
	OK(vault_commit(f->v, &e));
	finds(f->v, "USER1234@example.com", "user1234", "email");
	finds(f->v, "+1 555 000 1235", "user1235", "phone");
	/* Through the index: no full-scan step, a handful of VM steps. */
	st = stmt_with(f->v, "email_ix = ?1");
	assert_int_equal(sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP,
	    0), 0);
	steps = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0);
	assert_true(steps > 0 && steps < 200);
	st = stmt_with(f->v, "phone_ix = ?1");
	assert_int_equal(sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP,
	    0), 0);
	steps = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0);
	assert_true(steps > 0 && steps < 200);
}

/* Loading in bulk: the indexes go and come back in one transaction. */
static void
test_bulk(void **state)
{
	struct fix	*f = *state;
	struct rd_err	 e;
	sqlite3_stmt	*st;

	IS(vault_user_index(f->v, false, &e), RD_BAD_STATE);
	OK(vault_begin(f->v, &e));
	OK(vault_user_index(f->v, false, &e));
	add_user(f->v, "alice", "alice@example.com", "+15550001111");
	add_user(f->v, "bob", "bob@example.com", NULL);
	/* Without them a search still finds, by a scan. */
	finds(f->v, "bob@example.com", "bob", "email");
	st = stmt_with(f->v, "email_ix = ?1");
	assert_true(sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP,
	    1) > 0);
	OK(vault_user_index(f->v, true, &e));
	OK(vault_commit(f->v, &e));
	finds(f->v, "alice@example.com", "alice", "email");
	finds(f->v, "+15550001111", "alice", "phone");
	assert_int_equal(sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP,
	    0), 0);
	shut(f);
	assert_int_equal(db(f->path, "SELECT count(*) FROM sqlite_master WHERE"
	    " name IN ('users_email_ix', 'users_phone_ix')"), 2);
	reopen(f, PASS);
}

static void
test_tampered(void **state)
{
	struct fix		*f = *state;
	struct found		 fd;
	struct vault_user	 u;

	add_user(f->v, "alice", "alice@example.com", "+15550001111");
	add_user(f->v, "mallory", "mallory@example.com", "+15550009999");
	shut(f);
	/* Mallory's row made to answer for alice's address. */
	db(f->path, "UPDATE users SET email_ix = (SELECT email_ix FROM users"
	    " WHERE name = 'alice') WHERE name = 'mallory'");
	reopen(f, PASS);
	IS(find(f->v, "alice@example.com", &fd), RD_VAULT_CORRUPT);
	assert_non_null(strstr(err.msg, "changed outside redoubt"));
	IS(vault_user_get(f->v, "mallory", &u, &err), RD_VAULT_CORRUPT);
	shut(f);
	/* The same with the phone, and alice's own index moved away. */
	db(f->path, "UPDATE users SET phone_ix = (SELECT phone_ix FROM users"
	    " WHERE name = 'alice') WHERE name = 'mallory'");
	db(f->path, "UPDATE users SET phone_ix = randomblob(16) WHERE"
	    " name = 'alice'");
	reopen(f, PASS);
	IS(find(f->v, "+15550001111", &fd), RD_VAULT_CORRUPT);
	assert_int_equal(fd.n, 0);
	IS(vault_user_get(f->v, "alice", &u, &err), RD_VAULT_CORRUPT);
	shut(f);
	/* An index emptied hides the user from searches, not from reads. */
	db(f->path, "UPDATE users SET phone_ix = NULL WHERE name = 'alice'");
	db(f->path, "UPDATE users SET phone_ix = NULL WHERE name = 'mallory'");
	reopen(f, PASS);
	finds_none(f->v, "+15550001111");
	IS(vault_user_get(f->v, "alice", &u, &err), RD_VAULT_CORRUPT);
}

/* A fixture vault copied into the test's folder, opened. */
static void
open_fixture(struct fix *f, const char *name)
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
	reopen(f, "fixture-pass");
}

static void
test_migrate_v2(void **state)
{
	struct fix		*f = *state;
	struct found		 fd;
	struct vault_user	 u;
	int64_t			 rows, bad;
	bool			 extends;

	open_fixture(f, "vault-v2.db");
	finds(f->v, "alice.smith@example.com", "alice", "email");
	finds(f->v, "+48 500 000 000", "alice", "phone");
	finds(f->v, "+15551234567", "carol", "phone");
	OK(find(f->v, "team@example.com", &fd));
	assert_int_equal(fd.n, 2);
	assert_string_equal(fd.names[1], "dave");
	assert_false(fd.active[1]);
	/* Everything else reads as before, the log included. */
	OK(vault_user_get(f->v, "bob", &u, &err));
	assert_string_equal(u.email, "bob@example.com");
	vault_user_clear(&u);
	OK(vault_audit_verify(f->v, NULL, &bad, &rows, &extends, &err));
	assert_int_equal(bad, 0);
	shut(f);
	assert_int_equal(db(f->path, "PRAGMA user_version"), 6);
	assert_int_equal(db(f->path, "SELECT count(*) FROM users WHERE"
	    " (email IS NULL) != (email_ix IS NULL) OR"
	    " (phone IS NULL) != (phone_ix IS NULL)"), 0);
	reopen(f, "fixture-pass");
}

static void
test_migrate_v1(void **state)
{
	struct fix	*f = *state;

	/* Two steps in one go: 1 -> 2 writes rows through today's writer. */
	open_fixture(f, "vault-v1.db");
	finds(f->v, "bob@example.com", "bob", "email");
	shut(f);
	assert_int_equal(db(f->path, "PRAGMA user_version"), 6);
	reopen(f, "fixture-pass");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_forms),
		T(test_follows_changes),
		T(test_no_scan),
		T(test_bulk),
		T(test_tampered),
		T(test_migrate_v2),
		T(test_migrate_v1),
#undef T
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("vault find", tests, NULL, NULL);
}
