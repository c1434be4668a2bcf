/*
 * test-vault-data.c: what vault/ keeps for the flows: backup codes,
 * counters, tokens and channel codes (each consumed once), the audit MAC
 * chain with its keyed head (edits and cuts from the end are found), and
 * paging users both ways.  Uses the fixture of test-vault-fix.h.
 */
#include "test-vault-fix.h"

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
	bool		 spent;

	a = add_user(v, "alice", NULL, NULL);
	b = add_user(v, "bob", NULL, NULL);
	left_is(v, a, 0);
	OK(vault_backup_set(v, a, ca, 3, &err));
	OK(vault_backup_set(v, b, cb, 2, &err));
	left_is(v, a, 3);
	OK(vault_backup_use(v, a, "ghjk6789mn", 1, &spent, &err));
	assert_false(spent);
	IS(vault_backup_use(v, a, "ghjk6789mn", 2, &spent, &err),
	    RD_INVALID_CODE);
	/* A spent code is told apart, and still refused. */
	assert_true(spent);
	left_is(v, a, 2);

	/* One user's code is nothing to another. */
	IS(vault_backup_use(v, b, "abcd2345ef", 3, &spent, &err),
	    RD_INVALID_CODE);
	IS(vault_backup_use(v, a, "vwxy6789za", 3, &spent, &err),
	    RD_INVALID_CODE);
	IS(vault_backup_use(v, a, "nonsense", 3, &spent, &err),
	    RD_INVALID_CODE);
	assert_false(spent);
	left_is(v, b, 2);
	OK(vault_backup_use(v, a, "abcd2345ef", 4, &spent, &err));
	left_is(v, a, 1);

	/* A new set kills the old one. */
	OK(vault_backup_set(v, a, cb, 1, &err));
	IS(vault_backup_use(v, a, "pqrs2345tu", 5, &spent, &err),
	    RD_INVALID_CODE);
	/* A code of the set before is gone, not spent. */
	assert_false(spent);
	OK(vault_backup_use(v, a, "vwxy6789za", 5, &spent, &err));
	left_is(v, a, 0);
}

static void
test_method_advance(void **state)
{
	struct fix		*f = *state;
	struct vault		*v = f->v;
	struct vault_method	 m, stale;
	int64_t			 uid;

	uid = add_user(v, "alice", NULL, NULL);
	(void)add_method(v, uid, "app", 100);
	OK(vault_method_get(v, uid, "app", &m, &err));
	OK(vault_method_get(v, uid, "app", &stale, &err));
	IS(vault_method_advance(v, &m, 100, &err), RD_INVALID_CODE);
	IS(vault_method_advance(v, &m, 99, &err), RD_INVALID_CODE);
	OK(vault_method_advance(v, &m, 101, &err));
	IS(vault_method_advance(v, &m, 101, &err), RD_INVALID_CODE);
	OK(vault_method_advance(v, &m, 500, &err));
	IS(vault_method_advance(v, &m, 200, &err), RD_INVALID_CODE);
	vault_method_clear(&m);
	OK(vault_method_get(v, uid, "app", &m, &err));
	assert_int_equal(m.counter, 500);
	vault_method_clear(&m);
	/* A copy read before another process moved on is refused. */
	IS(vault_method_advance(v, &stale, 1000, &err), RD_INVALID_CODE);
	vault_method_clear(&stale);
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
	bool	extends;

	OK(vault_audit_verify(v, NULL, &b, &r, &extends, &err));
	assert_true(extends);
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
	OK(vault_create(g.path, PASS, PASSLEN, VAULT_KDF_TEST, NULL, &g.v, &err));
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
	OK(vault_create(g.path, PASS, PASSLEN, VAULT_KDF_TEST, NULL, &g.v, &err));
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
	OK(vault_create(g.path, PASS, PASSLEN, VAULT_KDF_TEST, NULL, &g.v, &err));
	add_audit(g.v, 2);
	shut(&g);
	db(g.path, "DELETE FROM audit");
	db(g.path, "DELETE FROM meta WHERE k LIKE 'audit_%'");
	reopen(&g, PASS);
	verify_is(g.v, -1, 0);
	vault_close(g.v);
}

/* H6: a head recorded elsewhere catches a rollback of the whole file. */
static bool
extends(struct vault *v, const char *head)
{
	int64_t	b, r;
	bool	ok;

	OK(vault_audit_verify(v, head, &b, &r, &ok, &err));
	assert_int_equal(b, 0);
	return ok;
}

static void
test_audit_head(void **state)
{
	struct fix	*f = *state;
	char		 h0[VAULT_HEAD_MAX], h3[VAULT_HEAD_MAX];
	char		 h5[VAULT_HEAD_MAX], old[600], cmd[1300];
	int64_t		 rows;

	OK(vault_audit_head(f->v, h0, &rows, &err));
	assert_int_equal(rows, 0);
	assert_true(strncmp(h0, "0-", 2) == 0 && strlen(h0) == 34);
	add_audit(f->v, 3);
	OK(vault_audit_head(f->v, h3, &rows, &err));
	assert_int_equal(rows, 3);
	assert_true(extends(f->v, h0));
	assert_true(extends(f->v, h3));
	/* A copy of the file as it is now, put back later. */
	shut(f);
	snprintf(old, sizeof old, "%s/old.db", f->dir);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", f->path, old);
	assert_int_equal(system(cmd), 0);
	reopen(f, PASS);
	add_audit(f->v, 2);
	OK(vault_audit_head(f->v, h5, &rows, &err));
	assert_int_equal(rows, 5);
	assert_true(extends(f->v, h3));
	assert_true(extends(f->v, h5));
	/* Another vault's head, or a digest that was edited, does not pass. */
	h3[strlen(h3) - 1] = h3[strlen(h3) - 1] == '0' ? '1' : '0';
	assert_false(extends(f->v, h3));
	/* The rollback: the old copy verifies alone, not against h5. */
	shut(f);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", old, f->path);
	assert_int_equal(system(cmd), 0);
	reopen(f, PASS);
	assert_true(extends(f->v, NULL));
	assert_false(extends(f->v, h5));
	assert_int_equal(vault_audit_verify(f->v, "not-a-head", &rows, &rows,
	    &(bool){ false }, &err), RD_USAGE);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_backup_codes),
		T(test_method_advance),
		T(test_tokens),
		T(test_codes),
		T(test_audit_chain),
		T(test_audit_head),
		T(test_user_list),
#undef T
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("vault-data", tests, NULL, NULL);
}
