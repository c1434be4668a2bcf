/*
 * test-vault.c: opening and sealing in vault/ (DESIGN.md §4), driven
 * through vault.h with the test KDF: passphrases; missing, foreign, empty,
 * truncated and newer files; mode 0600 and never overwriting; rekeying;
 * sealed fields bound to their row and absent from the raw bytes;
 * transactions and the schema version.  Files are tampered with through
 * SQLite directly, with the vault closed (test-vault-fix.h).
 */
#include "test-vault-fix.h"
#include "../../vault/store-sqlite.h"
#include "../../vault/vault-int.h"

/* A PRAGMA of the vault's own connection, as text. */
static void
pragma_is(struct vault *v, const char *pragma, const char *want)
{
	sqlite3_stmt	*st;

	assert_int_equal(sqlite3_prepare_v2(store_sqlite_handle(v->db), pragma, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), want);
	sqlite3_finalize(st);
}

static void
test_create_open(void **state)
{
	struct fix		*f = *state;
	struct vault_user	 u;
	int64_t			 id;

	id = add_user(f->v, "alice", "alice@example.com", "+15550001111");
	reopen(f, PASS);
	assert_int_equal(vault_kdf(f->v), VAULT_KDF_TEST);
	OK(vault_user_get(f->v, "alice", &u, &err));
	assert_int_equal(u.id, id);
	assert_string_equal(u.email, "alice@example.com");
	assert_string_equal(u.phone, "+15550001111");
	assert_true(u.active);
	vault_user_clear(&u);
	IS(vault_user_get(f->v, "bob", &u, &err), RD_NOT_FOUND);
	/* A consumed code stays consumed after a power cut (DESIGN.md §4). */
	pragma_is(f->v, "PRAGMA journal_mode", "wal");
	pragma_is(f->v, "PRAGMA synchronous", "2");	/* FULL */
	pragma_is(f->v, "PRAGMA foreign_keys", "1");
}

static void
test_wrong_passphrase(void **state)
{
	struct fix	*f = *state;
	uint8_t		*before;
	size_t		 nb;

	add_user(f->v, "alice", "alice@example.com", NULL);
	shut(f);
	assert_non_null(before = read_all(f->path, &nb));
	IS(try_open(f->path, "correct horsE"), RD_BAD_PASSPHRASE);
	IS(try_open(f->path, ""), RD_BAD_PASSPHRASE);
	same_file(f->path, before, nb);
	OK(try_open(f->path, PASS));
}

static void
test_not_a_vault(void **state)
{
	struct fix	*f = *state;
	struct stat	 sb;
	uint8_t		 junk[16384];
	char		 p[600], text[4096];
	size_t		 n = 0;

	snprintf(p, sizeof p, "%s/nope.db", f->dir);
	IS(try_open(p, PASS), RD_VAULT_MISSING);
	assert_int_not_equal(stat(p, &sb), 0);	/* open made nothing */

	snprintf(p, sizeof p, "%s/random.db", f->dir);
	randombytes_buf(junk, sizeof junk);
	write_all(p, junk, sizeof junk);
	IS(try_open(p, PASS), RD_VAULT_CORRUPT);

	snprintf(p, sizeof p, "%s/empty.db", f->dir);
	write_all(p, "", 0);
	IS(try_open(p, PASS), RD_VAULT_CORRUPT);
	same_file(p, calloc(1, 1), 0);	/* not made into a database */

	snprintf(p, sizeof p, "%s/text.db", f->dir);
	while (n + 64 < sizeof text)
		n += (size_t)snprintf(text + n, sizeof text - n,
		    "[redoubt]\nissuer = this is not a vault %zu\n", n);
	write_all(p, text, n);
	IS(try_open(p, PASS), RD_VAULT_CORRUPT);

	/* SQLite, but not a vault; and a directory. */
	snprintf(p, sizeof p, "%s/other.db", f->dir);
	write_all(p, "", 0);
	db(p, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
	IS(try_open(p, PASS), RD_VAULT_CORRUPT);
	IS(try_open(f->dir, PASS), RD_VAULT_CORRUPT);
}

static void
test_truncated(void **state)
{
	struct fix		*f = *state;
	struct stat		 sb;
	struct vault		*v = NULL;
	char			 name[32], mail[64];
	enum rd_code		 rc;
	int64_t			 n;
	int			 i;

	OK(vault_begin(f->v, &err));
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "user%03d", i);
		snprintf(mail, sizeof mail, "user%03d@example.com", i);
		add_user(f->v, name, mail, "+15550001111");
	}
	OK(vault_commit(f->v, &err));
	shut(f);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_true(sb.st_size >= 8 * 4096);
	assert_int_equal(truncate(f->path, sb.st_size / 2), 0);

	rd_err_clear(&err);
	/* Refused at open, or, when the header survived, at the first read. */
	if ((rc = vault_open(f->path, PASS, PASSLEN, &v, &err)) == RD_OK)
		rc = vault_user_count(v, &n, &err);
	vault_close(v);
	IS(rc, RD_VAULT_CORRUPT);
	IS(err.code, RD_VAULT_CORRUPT);
}

static void
test_mode_and_exists(void **state)
{
	struct fix	*f = *state;
	struct stat	 sb;
	struct vault	*v;
	char		 p[600];
	mode_t		 old;
	uint8_t		*before;
	size_t		 nb;

	/* 0600 even under a permissive umask, the WAL too. */
	snprintf(p, sizeof p, "%s/open.db", f->dir);
	old = umask(0);
	OK(vault_create(p, PASS, PASSLEN, VAULT_KDF_TEST, NULL, &v, &err));
	umask(old);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	snprintf(p, sizeof p, "%s/open.db-wal", f->dir);
	if (stat(p, &sb) == 0)
		assert_int_equal(sb.st_mode & 07777, 0600);
	vault_close(v);

	/* An existing vault is left as it is. */
	shut(f);
	before = read_all(f->path, &nb);
	IS(vault_create(f->path, "other", 5, VAULT_KDF_TEST, NULL, &v, &err),
	    RD_EXISTS);
	assert_null(v);
	same_file(f->path, before, nb);
	OK(try_open(f->path, PASS));
}

static void
test_rekey(void **state)
{
	struct fix		*f = *state;
	struct vault_user	 u;

	add_user(f->v, "alice", "alice@example.com", NULL);
	OK(vault_rekey(f->v, "new pass", 8, &err));
	OK(vault_user_get(f->v, "alice", &u, &err));	/* still open */
	vault_user_clear(&u);
	shut(f);
	IS(try_open(f->path, PASS), RD_BAD_PASSPHRASE);
	reopen(f, "new pass");
	OK(vault_user_get(f->v, "alice", &u, &err));
	assert_string_equal(u.email, "alice@example.com");
	vault_user_clear(&u);
}

static void
test_sealed_moved(void **state)
{
	struct fix		*f = *state;
	struct vault_user	 u;
	struct vault_method	 m;
	int64_t			 a, b;

	a = add_user(f->v, "alice", "alice@example.com", "+15550001111");
	b = add_user(f->v, "bob", "bob@example.com", NULL);
	add_method(f->v, a, "app", 0);
	add_method(f->v, b, "app", 0);
	shut(f);
	db(f->path, "UPDATE users SET email = (SELECT email FROM users"
	    " WHERE name = 'alice') WHERE name = 'bob';"
	    "UPDATE methods SET secret = (SELECT secret FROM methods"
	    " WHERE user_id = 1) WHERE user_id = 2;");
	reopen(f, PASS);
	IS(vault_user_get(f->v, "bob", &u, &err), RD_VAULT_CORRUPT);
	assert_null(u.email);
	IS(vault_user_get_id(f->v, b, &u, &err), RD_VAULT_CORRUPT);
	OK(vault_user_get(f->v, "alice", &u, &err));
	assert_string_equal(u.email, "alice@example.com");
	vault_user_clear(&u);
	IS(vault_method_get(f->v, b, "app", &m, &err), RD_VAULT_CORRUPT);
	OK(vault_method_get(f->v, a, "app", &m, &err));
	assert_int_equal(m.secret_len, 20);
	assert_memory_equal(m.secret, "12345678901234567890", 20);
	vault_method_clear(&m);

	/* Moved to another column of the same row. */
	shut(f);
	db(f->path, "UPDATE users SET phone = email WHERE name = 'alice'");
	reopen(f, PASS);
	IS(vault_user_get(f->v, "alice", &u, &err), RD_VAULT_CORRUPT);
}

static void
test_no_plaintext(void **state)
{
	static const char *const clear[] = { "alice@example.com",
	    "+15557654321", "12345678901234567890", "918273" };
	struct fix	*f = *state;
	char		 wal[600];
	uint8_t		*buf;
	size_t		 n, i;

	add_method(f->v, add_user(f->v, "alice", clear[0], clear[1]), "app", 0);
	OK(vault_outbox_add(f->v, "email", clear[0], "your code is 918273",
	    1700000000, NULL, &err));
	/* While open, in the WAL; after close, in the file and any WAL. */
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	assert_non_null(buf = read_all(wal, &n));
	for (i = 0; i < 4; i++)
		assert_false(contains(buf, n, clear[i]));
	free(buf);
	vault_close(f->v);
	f->v = NULL;
	assert_non_null(buf = read_all(f->path, &n));
	assert_true(contains(buf, n, "alice"));	/* the search works */
	for (i = 0; i < 4; i++)
		assert_false(contains(buf, n, clear[i]));
	free(buf);
	buf = read_all(wal, &n);
	assert_false(contains(buf, n, clear[0]));
	free(buf);
}

static void
test_transactions(void **state)
{
	struct fix		*f = *state;
	struct vault_user	 u;

	OK(vault_begin(f->v, &err));
	add_user(f->v, "ghost", "ghost@example.com", NULL);
	OK(vault_user_get(f->v, "ghost", &u, &err));
	vault_user_clear(&u);
	vault_rollback(f->v);
	IS(vault_user_get(f->v, "ghost", &u, &err), RD_NOT_FOUND);

	OK(vault_begin(f->v, &err));
	add_user(f->v, "kept", NULL, NULL);
	OK(vault_commit(f->v, &err));
	vault_rollback(f->v);	/* nothing open: a no-op */
	reopen(f, PASS);
	OK(vault_user_get(f->v, "kept", &u, &err));
	vault_user_clear(&u);
	IS(vault_user_get(f->v, "ghost", &u, &err), RD_NOT_FOUND);
}

static void
test_schema_version(void **state)
{
	struct fix	*f = *state;

	shut(f);
	assert_int_equal(db(f->path, "PRAGMA user_version"), 6);
	OK(try_open(f->path, PASS));
	assert_int_equal(db(f->path, "PRAGMA user_version"), 6);
	db(f->path, "PRAGMA user_version = 99");
	IS(try_open(f->path, PASS), RD_VAULT_CORRUPT);
	assert_int_equal(db(f->path, "PRAGMA user_version"), 99);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_create_open),
		T(test_wrong_passphrase),
		T(test_not_a_vault),
		T(test_truncated),
		T(test_mode_and_exists),
		T(test_rekey),
		T(test_sealed_moved),
		T(test_no_plaintext),
		T(test_transactions),
		T(test_schema_version),
#undef T
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("vault", tests, NULL, NULL);
}
