/*
 * test-vault.c: the encrypted store of vault/ (DESIGN.md §4), driven
 * through vault.h with the test KDF.  Opening and creating (passphrases,
 * missing, foreign, empty, truncated and newer files, mode 0600, never
 * overwriting), rekeying, sealed fields bound to their row and absent from
 * the raw bytes, backup codes, counters, tokens, channel codes, the audit
 * chain, paging of users, transactions and the schema version.  Files are
 * tampered with through SQLite directly, with the vault closed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "harness.h"
#include "../../vault/vault.h"

#define PASS	"correct horse"
#define PASSLEN	(sizeof PASS - 1)
#define OK(e)	assert_int_equal((e), RD_OK)
#define IS(e, c) assert_int_equal((e), (c))

struct fix {
	char		*dir;
	char		 path[512];
	struct vault	*v;
};

static struct rd_err	err;

static int
setup(void **state)
{
	struct fix	*f = calloc(1, sizeof *f);

	if (f == NULL || (f->dir = harness_tmpdir()) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/vault.db", f->dir);
	*state = f;
	return vault_create(f->path, PASS, PASSLEN, VAULT_KDF_TEST, &f->v,
	    &err) == RD_OK ? 0 : -1;
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

static void
reopen(struct fix *f, const char *pass)
{
	vault_close(f->v);
	f->v = NULL;
	if (vault_open(f->path, pass, strlen(pass), &f->v, &err) != RD_OK)
		fail_msg("reopen: %s", err.msg);
}

/* Close the vault so its data is in the main file, with no -wal/-shm. */
static void
shut(struct fix *f)
{
	char	p[600];

	vault_close(f->v);
	f->v = NULL;
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
}

static int64_t
add_user(struct vault *v, const char *name, const char *email,
    const char *phone)
{
	struct vault_user	u = { .email = (char *)email,
				    .phone = (char *)phone, .active = true };

	snprintf(u.name, sizeof u.name, "%s", name);
	if (vault_user_add(v, &u, &err) != RD_OK)
		fail_msg("add %s: %s", name, err.msg);
	return u.id;
}

static int64_t
add_method(struct vault *v, int64_t uid, const char *name, int64_t counter)
{
	struct vault_method	m = { .user_id = uid, .handler = "totp",
				    .state = VAULT_ACTIVE, .counter = counter,
				    .secret = (uint8_t *)"12345678901234567890",
				    .secret_len = 20 };

	snprintf(m.name, sizeof m.name, "%s", name);
	if (vault_method_put(v, &m, &err) != RD_OK)
		fail_msg("method %s: %s", name, err.msg);
	return m.id;
}

/* Whole file into memory, *len its size; NULL when missing. */
static uint8_t *
read_all(const char *path, size_t *len)
{
	struct stat	sb;

	*len = stat(path, &sb) == 0 ? (size_t)sb.st_size : 0;
	return (uint8_t *)harness_slurp(path);
}

static void
write_all(const char *path, const void *p, size_t len)
{
	FILE	*fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(p, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* Assert that the file is byte for byte what was read before. */
static void
same_file(const char *path, uint8_t *before, size_t nb)
{
	size_t	 na;
	uint8_t	*after = read_all(path, &na);

	assert_non_null(after);
	assert_int_equal(na, nb);
	assert_memory_equal(before, after, nb);
	free(before);
	free(after);
}

static bool
contains(const uint8_t *hay, size_t n, const char *needle)
{
	size_t	m = strlen(needle), i;

	for (i = 0; i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return true;
	return false;
}

static int
first_col(void *arg, int n, char **vals, char **names)
{
	(void)names;
	if (n > 0 && vals[0] != NULL)
		*(int64_t *)arg = strtoll(vals[0], NULL, 10);
	return 0;
}

/*
 * Run SQL on the file with SQLite itself (the vault must be closed);
 * returns the first column of the last row, -1 when there is none.
 */
static int64_t
db(const char *path, const char *sql)
{
	sqlite3	*h;
	char	*msg = NULL;
	int64_t	 n = -1;

	OK(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL));
	if (sqlite3_exec(h, sql, first_col, &n, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(h);
	return n;
}

/* Open and close again; on failure *out is NULL and err says why. */
static enum rd_code
try_open(const char *path, const char *pass)
{
	struct vault	*v;
	enum rd_code	 rc;

	rd_err_clear(&err);
	if ((rc = vault_open(path, pass, strlen(pass), &v, &err)) != RD_OK) {
		assert_null(v);
		assert_int_equal(err.code, rc);
	}
	vault_close(v);
	return rc;
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
	OK(vault_create(p, PASS, PASSLEN, VAULT_KDF_TEST, &v, &err));
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
	IS(vault_create(f->path, "other", 5, VAULT_KDF_TEST, &v, &err),
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
left_is(struct vault *v, int64_t uid, int want)
{
	int	left = -1;

	OK(vault_backup_left(v, uid, &left, &err));
	assert_int_equal(left, want);
}

static void
test_backup_codes(void **state)
{
	struct fix	*f = *state;
	struct vault	*v = f->v;
	char		*ca[] = { "abcd2345ef", "ghjk6789mn", "pqrs2345tu" };
	char		*cb[] = { "vwxy6789za", "bcde2345fg" };
	int64_t		 a, b;

	a = add_user(v, "alice", NULL, NULL);
	b = add_user(v, "bob", NULL, NULL);
	left_is(v, a, 0);
	OK(vault_backup_set(v, a, ca, 3, &err));
	OK(vault_backup_set(v, b, cb, 2, &err));
	left_is(v, a, 3);
	OK(vault_backup_use(v, a, "ghjk6789mn", 1, &err));
	IS(vault_backup_use(v, a, "ghjk6789mn", 2, &err), RD_INVALID_CODE);
	left_is(v, a, 2);

	/* One user's code is nothing to another. */
	IS(vault_backup_use(v, b, "abcd2345ef", 3, &err), RD_INVALID_CODE);
	IS(vault_backup_use(v, a, "vwxy6789za", 3, &err), RD_INVALID_CODE);
	IS(vault_backup_use(v, a, "nonsense", 3, &err), RD_INVALID_CODE);
	left_is(v, b, 2);
	OK(vault_backup_use(v, a, "abcd2345ef", 4, &err));
	left_is(v, a, 1);

	/* A new set kills the old one. */
	OK(vault_backup_set(v, a, cb, 1, &err));
	IS(vault_backup_use(v, a, "pqrs2345tu", 5, &err), RD_INVALID_CODE);
	OK(vault_backup_use(v, a, "vwxy6789za", 5, &err));
	left_is(v, a, 0);
}

static void
test_method_advance(void **state)
{
	struct fix		*f = *state;
	struct vault		*v = f->v;
	struct vault_method	 m;
	int64_t			 uid, id;

	uid = add_user(v, "alice", NULL, NULL);
	id = add_method(v, uid, "app", 100);
	IS(vault_method_advance(v, id, 100, &err), RD_INVALID_CODE);
	IS(vault_method_advance(v, id, 99, &err), RD_INVALID_CODE);
	OK(vault_method_advance(v, id, 101, &err));
	IS(vault_method_advance(v, id, 101, &err), RD_INVALID_CODE);
	OK(vault_method_advance(v, id, 500, &err));
	IS(vault_method_advance(v, id, 200, &err), RD_INVALID_CODE);
	OK(vault_method_get(v, uid, "app", &m, &err));
	assert_int_equal(m.counter, 500);
	vault_method_clear(&m);
	assert_true(vault_method_advance(v, id + 9, 1000, &err) != RD_OK);
}

static void
test_tokens(void **state)
{
	struct fix		*f = *state;
	struct vault		*v = f->v;
	struct vault_token	 t;
	int64_t			 uid;

	uid = add_user(v, "alice", NULL, NULL);
	OK(vault_token_put(v, "tok-AAAA", uid, 1000, 700, &err));
	OK(vault_token_get(v, "tok-AAAA", &t, &err));
	assert_int_equal(t.user_id, uid);
	assert_int_equal(t.expires, 1000);
	assert_false(t.used);
	OK(vault_token_use(v, "tok-AAAA", &err));
	IS(vault_token_use(v, "tok-AAAA", &err), RD_BAD_STATE);
	OK(vault_token_get(v, "tok-AAAA", &t, &err));
	assert_true(t.used);
	assert_true(vault_token_use(v, "tok-BBBB", &err) != RD_OK);
	assert_true(vault_token_get(v, "tok-BBBB", &t, &err) != RD_OK);
}

/* Check code against method id: present, match, attempts left. */
static void
code_is(struct vault *v, int64_t id, const char *code, bool present,
    bool match, int attempts)
{
	struct vault_code_check	c;

	OK(vault_code_check(v, id, code, &c, &err));
	assert_int_equal(c.present, present);
	assert_int_equal(c.match, match);
	if (present)
		assert_int_equal(c.attempts, attempts);
}

static void
test_codes(void **state)
{
	struct fix	*f = *state;
	struct vault	*v = f->v;
	int64_t		 uid, m1, m2;

	uid = add_user(v, "alice", NULL, NULL);
	m1 = add_method(v, uid, "email", 0);
	m2 = add_method(v, uid, "sms", 0);
	code_is(v, m1, "123456", false, false, 0);
	OK(vault_code_put(v, m1, "123456", 5000, 3, &err));
	code_is(v, m1, "123456", true, true, 3);
	code_is(v, m1, "123457", true, false, 3);
	code_is(v, m2, "123456", false, false, 0);	/* bound to m1 */
	OK(vault_code_fail(v, m1, &err));
	code_is(v, m1, "123456", true, true, 2);
	OK(vault_code_fail(v, m1, &err));
	code_is(v, m1, "123456", true, true, 1);
	OK(vault_code_fail(v, m1, &err));
	code_is(v, m1, "123456", false, false, 0);	/* gone at 0 */

	/* A new code replaces the old; drop removes it. */
	OK(vault_code_put(v, m2, "111111", 5000, 5, &err));
	OK(vault_code_put(v, m2, "222222", 6000, 4, &err));
	code_is(v, m2, "111111", true, false, 4);
	code_is(v, m2, "222222", true, true, 4);
	OK(vault_code_drop(v, m2, &err));
	code_is(v, m2, "222222", false, false, 0);
}

static void
add_audit(struct vault *v, int n)
{
	char	detail[32];
	int	i;

	for (i = 1; i <= n; i++) {
		struct vault_audit	a = { .time = 1700000000 + i,
					    .actor = "test", .outcome = "ok",
					    .action = "confirm",
					    .user = i % 2 ? "alice" : NULL,
					    .detail = i == 2 ? NULL : detail };

		snprintf(detail, sizeof detail, "step %d", i);
		OK(vault_audit_add(v, &a, &err));
	}
}

static void
verify_is(struct vault *v, int64_t bad, int64_t rows)
{
	int64_t	b = -1, r = -1;

	OK(vault_audit_verify(v, &b, &r, &err));
	if (bad >= 0)
		assert_int_equal(b, bad);
	else
		assert_true(b > 0);	/* some row, whichever */
	assert_int_equal(r, rows);
}

static void
test_audit_chain(void **state)
{
	struct fix	*f = *state;
	struct fix	 g;

	verify_is(f->v, 0, 0);
	add_audit(f->v, 5);
	verify_is(f->v, 0, 5);
	reopen(f, PASS);
	verify_is(f->v, 0, 5);
	shut(f);
	db(f->path, "UPDATE audit SET detail = 'step 33' WHERE id = 3");
	reopen(f, PASS);
	verify_is(f->v, 3, 3);

	/* A second vault whose newest row is deleted. */
	memset(&g, 0, sizeof g);
	snprintf(g.path, sizeof g.path, "%s/second.db", f->dir);
	OK(vault_create(g.path, PASS, PASSLEN, VAULT_KDF_TEST, &g.v, &err));
	add_audit(g.v, 5);
	shut(&g);
	db(g.path, "DELETE FROM audit WHERE id = 5");
	assert_int_equal(db(g.path, "SELECT count(*) FROM audit"), 4);
	reopen(&g, PASS);
	verify_is(g.v, -1, 4);
	vault_close(g.v);

	/* Cut from the end with the plain head patched to match: the keyed
	 * head tag still tells. */
	snprintf(g.path, sizeof g.path, "%s/third.db", f->dir);
	OK(vault_create(g.path, PASS, PASSLEN, VAULT_KDF_TEST, &g.v, &err));
	add_audit(g.v, 5);
	shut(&g);
	db(g.path, "DELETE FROM audit WHERE id > 3");
	db(g.path, "UPDATE meta SET v = (SELECT mac FROM audit WHERE id = 3)"
	    " WHERE k = 'audit_mac'");
	db(g.path, "UPDATE meta SET v = 3 WHERE k = 'audit_rows'");
	reopen(&g, PASS);
	verify_is(g.v, -1, 3);
	vault_close(g.v);

	/* Every row and the whole head gone: not an empty, fresh chain. */
	snprintf(g.path, sizeof g.path, "%s/fourth.db", f->dir);
	OK(vault_create(g.path, PASS, PASSLEN, VAULT_KDF_TEST, &g.v, &err));
	add_audit(g.v, 2);
	shut(&g);
	db(g.path, "DELETE FROM audit");
	db(g.path, "DELETE FROM meta WHERE k LIKE 'audit_%'");
	reopen(&g, PASS);
	verify_is(g.v, -1, 0);
	vault_close(g.v);
}

static void
collect(void *arg, const char *name, bool active)
{
	char	*out = arg;
	size_t	 n = strlen(out);

	(void)active;
	assert_true(n + strlen(name) + 2 < 4096);
	snprintf(out + n, 4096 - n, "%s%s", n ? "," : "", name);
}

/* The names of one page, comma-separated (a static buffer). */
static const char *
page(struct vault *v, const char *prefix, const char *after, int limit)
{
	static char	out[4096];

	out[0] = '\0';
	OK(vault_user_list(v, prefix, after, limit, collect, out, &err));
	return out;
}

static const char *
page_before(struct vault *v, const char *prefix, const char *before,
    int limit)
{
	static char	out[4096];

	out[0] = '\0';
	OK(vault_user_list_before(v, prefix, before, limit, collect, out,
	    &err));
	return out;
}

/* "userFIRST,...": n names in a row. */
static const char *
run_of(int first, int n)
{
	static char	out[4096];
	size_t		len = 0;
	int		i;

	out[0] = '\0';
	for (i = first; i < first + n; i++)
		len += (size_t)snprintf(out + len, sizeof out - len,
		    "%suser%03d", i > first ? "," : "", i);
	return out;
}

static void
test_user_list(void **state)
{
	struct fix	*f = *state;
	struct vault	*v = f->v;
	char		 name[16], want[4096];
	int64_t		 count;
	int		 i;

	OK(vault_begin(v, &err));
	for (i = 0; i < 120; i++) {	/* added scrambled, listed sorted */
		snprintf(name, sizeof name, "user%03d", (i * 37) % 120);
		add_user(v, name, NULL, NULL);
	}
	add_user(v, "admin", NULL, NULL);
	add_user(v, "usea", NULL, NULL);
	add_user(v, "zed", NULL, NULL);
	OK(vault_commit(v, &err));
	OK(vault_user_count(v, &count, &err));
	assert_int_equal(count, 123);

	/* Pages of 50 over "user", each after the last of the one before. */
	assert_string_equal(page(v, "user", NULL, 50), run_of(0, 50));
	assert_string_equal(page(v, "user", "user049", 50), run_of(50, 50));
	assert_string_equal(page(v, "user", "user099", 50), run_of(100, 20));
	assert_string_equal(page(v, "user", "user119", 50), "");
	assert_string_equal(page(v, "user11", NULL, 0), run_of(110, 10));
	assert_string_equal(page(v, "user11", "user114", 3), run_of(115, 3));
	assert_string_equal(page(v, "use", NULL, 1), "usea");
	assert_string_equal(page(v, "nobody", NULL, 0), "");

	/* No prefix: everything, in byte order. */
	snprintf(want, sizeof want, "admin,usea,%s,zed", run_of(0, 120));
	assert_string_equal(page(v, NULL, NULL, 0), want);
	assert_string_equal(page(v, "", "admin", 2), "usea,user000");
	assert_string_equal(page(v, NULL, "user119", 10), "zed");

	/* Backwards: the page that ends just before a name, in order. */
	assert_string_equal(page_before(v, NULL, NULL, 2), "user119,zed");
	assert_string_equal(page_before(v, "", "", 1), "zed");
	assert_string_equal(page_before(v, "user", NULL, 20), run_of(100, 20));
	assert_string_equal(page_before(v, "user", "user050", 50),
	    run_of(0, 50));
	assert_string_equal(page_before(v, "user", "user003", 50),
	    run_of(0, 3));
	assert_string_equal(page_before(v, NULL, "user000", 5), "admin,usea");
	assert_string_equal(page_before(v, "user", "zzz", 2), run_of(118, 2));
	assert_string_equal(page_before(v, "nobody", NULL, 5), "");
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
	assert_int_equal(db(f->path, "PRAGMA user_version"), 1);
	OK(try_open(f->path, PASS));
	assert_int_equal(db(f->path, "PRAGMA user_version"), 1);
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
		T(test_backup_codes),
		T(test_method_advance),
		T(test_tokens),
		T(test_codes),
		T(test_audit_chain),
		T(test_user_list),
		T(test_transactions),
		T(test_schema_version),
#undef T
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("vault", tests, NULL, NULL);
}
