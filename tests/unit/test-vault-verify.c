/*
 * test-vault-verify.c: the incremental audit check (vault/audit-verify.c).
 * A good check seals a verified head in the vault; the next one walks only
 * the rows after it (counted in `checked`); an edited row after the head
 * is found, one edited or deleted before it by a full walk; a cut through
 * the head, a head row rewritten, and a sealed head that was edited,
 * deleted, put back older or taken from another vault never pass as a
 * clean log.  Uses the
 * fixture of test-vault-fix.h; the file is changed with SQL as an
 * attacker without the key would.
 */
#include "test-vault-fix.h"

static void
add_rows(struct vault *v, int n)
{
	char	detail[32];
	int	i;

	OK(vault_begin(v, &err));
	for (i = 1; i <= n; i++) {
		struct vault_audit	a = { .time = 1700000000 + i,
					    .actor = "test", .outcome = "ok",
					    .action = "confirm", .user = "alice",
					    .detail = detail };

		snprintf(detail, sizeof detail, "step %d", i);
		OK(vault_audit_add(v, &a, &err));
	}
	OK(vault_commit(v, &err));
}

/* One check in its own transaction, as `audit verify` runs it. */
static struct vault_verify
check(struct vault *v, bool full)
{
	struct vault_verify	out;

	OK(vault_begin(v, &err));
	OK(vault_audit_check(v, NULL, full, &out, &err));
	OK(vault_commit(v, &err));
	return out;
}

static bool
clean(const struct vault_verify *r)
{
	return r->bad == 0 && r->extends && !r->head_bad && !r->head_stale;
}

static void
test_incremental(void **state)
{
	struct fix		*f = *state;
	struct vault_verify	 r;

	add_rows(f->v, 10);
	/* No head yet: every row. */
	r = check(f->v, false);
	assert_true(clean(&r));
	assert_int_equal(r.rows, 10);
	assert_int_equal(r.checked, 10);
	assert_int_equal(r.from, 0);
	assert_int_equal(db(f->path, "SELECT length(v) FROM meta"
	    " WHERE k = 'audit_verified'"), 80);
	/* Nothing new: nothing walked. */
	r = check(f->v, false);
	assert_true(clean(&r));
	assert_int_equal(r.checked, 0);
	assert_int_equal(r.from, 10);
	add_rows(f->v, 3);
	r = check(f->v, false);
	assert_true(clean(&r));
	assert_int_equal(r.rows, 13);
	assert_int_equal(r.checked, 3);
	assert_int_equal(r.from, 10);
	/* --full walks all and seals again. */
	r = check(f->v, true);
	assert_true(clean(&r));
	assert_int_equal(r.checked, 13);
	/* Survives a reopen: the head is in the file. */
	reopen(f, PASS);
	r = check(f->v, false);
	assert_int_equal(r.checked, 0);
	assert_true(clean(&r));
}

static void
test_tamper_rows(void **state)
{
	struct fix		*f = *state;
	struct vault_verify	 r;

	add_rows(f->v, 10);
	r = check(f->v, false);
	add_rows(f->v, 4);
	shut(f);
	/* After the head: caught by the daily check. */
	db(f->path, "UPDATE audit SET detail = 'x' WHERE id = 12");
	reopen(f, PASS);
	r = check(f->v, false);
	assert_int_equal(r.bad, 12);
	assert_int_equal(r.from, 10);
	shut(f);
	db(f->path, "UPDATE audit SET detail = 'step 2' WHERE id = 12");
	/* Before the head: a field edit is for --full. */
	db(f->path, "UPDATE audit SET detail = 'x' WHERE id = 4");
	reopen(f, PASS);
	r = check(f->v, false);
	assert_int_equal(r.bad, 0);
	assert_int_equal(r.checked, 4);
	r = check(f->v, true);
	assert_int_equal(r.bad, 4);
	/* A failed check seals nothing: the old head stays. */
	r = check(f->v, false);
	assert_int_equal(r.from, 14);
	shut(f);
	db(f->path, "UPDATE audit SET detail = 'step 4' WHERE id = 4");
	reopen(f, PASS);
	r = check(f->v, true);
	assert_true(clean(&r));
	/* A row deleted before the head: --full finds the gap. */
	shut(f);
	db(f->path, "DELETE FROM audit WHERE id = 3");
	reopen(f, PASS);
	r = check(f->v, true);
	assert_int_equal(r.bad, 4);
}

static void
test_tamper_cut(void **state)
{
	struct fix		*f = *state;
	struct vault_verify	 r;

	add_rows(f->v, 10);
	r = check(f->v, false);
	shut(f);
	/* Cut through the head, the plain head patched to match. */
	db(f->path, "DELETE FROM audit WHERE id > 7");
	db(f->path, "UPDATE meta SET v = (SELECT mac FROM audit WHERE id = 7)"
	    " WHERE k = 'audit_mac'");
	db(f->path, "UPDATE meta SET v = 7 WHERE k = 'audit_rows'");
	reopen(f, PASS);
	r = check(f->v, false);
	assert_false(clean(&r));
	assert_true(r.head_stale);
	/* The head row's MAC replaced by another's. */
	shut(f);
	unlink(f->path);
	OK(vault_create(f->path, PASS, PASSLEN, VAULT_KDF_TEST, NULL, &f->v,
	    &err));
	add_rows(f->v, 6);
	r = check(f->v, false);
	shut(f);
	db(f->path, "UPDATE audit SET mac = (SELECT mac FROM audit"
	    " WHERE id = 2) WHERE id = 6");
	reopen(f, PASS);
	r = check(f->v, false);
	assert_false(clean(&r));
}

static void
test_tamper_head(void **state)
{
	struct fix		*f = *state;
	struct vault_verify	 r;
	char			 other[512], sql[1200];

	add_rows(f->v, 5);
	r = check(f->v, false);
	shut(f);
	/* Keep this head, move on, edit a row after it, put it back. */
	db(f->path, "CREATE TABLE keep AS SELECT v FROM meta"
	    " WHERE k = 'audit_verified'");
	reopen(f, PASS);
	add_rows(f->v, 5);
	r = check(f->v, false);
	assert_int_equal(r.from, 5);
	shut(f);
	db(f->path, "UPDATE audit SET detail = 'x' WHERE id = 7");
	db(f->path, "UPDATE meta SET v = (SELECT v FROM keep)"
	    " WHERE k = 'audit_verified'");
	reopen(f, PASS);
	r = check(f->v, false);
	/* The older head holds, and the walk from it reaches row 7. */
	assert_int_equal(r.from, 5);
	assert_int_equal(r.bad, 7);
	shut(f);
	db(f->path, "UPDATE audit SET detail = 'step 2' WHERE id = 7");
	/* Its bytes edited: the row count moved back by one. */
	db(f->path, "UPDATE meta SET v = x'09' || substr(v, 2)"
	    " WHERE k = 'audit_verified'");
	reopen(f, PASS);
	r = check(f->v, false);
	assert_true(r.head_bad);
	assert_int_equal(r.from, 0);
	assert_int_equal(r.checked, 10);
	assert_int_equal(r.bad, 0);
	assert_false(clean(&r));
	/* Still so until a full walk seals a good one. */
	r = check(f->v, false);
	assert_true(r.head_bad);
	r = check(f->v, true);
	assert_true(clean(&r));
	r = check(f->v, false);
	assert_true(clean(&r));
	assert_int_equal(r.checked, 0);
	/* Deleted: a full walk, clean, that seals again. */
	shut(f);
	db(f->path, "DELETE FROM meta WHERE k = 'audit_verified'");
	reopen(f, PASS);
	r = check(f->v, false);
	assert_true(clean(&r));
	assert_int_equal(r.checked, 10);
	r = check(f->v, false);
	assert_int_equal(r.checked, 0);
	/* A head sealed in another vault, at a row count this one has. */
	snprintf(other, sizeof other, "%s/other.db", f->dir);
	{
		struct fix	g;

		memset(&g, 0, sizeof g);
		snprintf(g.path, sizeof g.path, "%s", other);
		OK(vault_create(g.path, PASS, PASSLEN, VAULT_KDF_TEST, NULL,
		    &g.v, &err));
		add_rows(g.v, 10);
		r = check(g.v, false);
		vault_close(g.v);
	}
	shut(f);
	snprintf(sql, sizeof sql, "ATTACH '%s' AS o; UPDATE meta SET v ="
	    " (SELECT v FROM o.meta WHERE k = 'audit_verified')"
	    " WHERE k = 'audit_verified'", other);
	db(f->path, sql);
	reopen(f, PASS);
	r = check(f->v, false);
	assert_true(r.head_bad);
	assert_false(clean(&r));
}

/* --head older than the sealed head is answered without a full walk. */
static void
test_head_digest(void **state)
{
	struct fix		*f = *state;
	struct vault_verify	 r;
	char			 h3[VAULT_HEAD_MAX];
	int64_t			 rows;

	add_rows(f->v, 3);
	OK(vault_audit_head(f->v, h3, &rows, &err));
	add_rows(f->v, 4);
	r = check(f->v, false);
	add_rows(f->v, 1);
	OK(vault_begin(f->v, &err));
	OK(vault_audit_check(f->v, h3, false, &r, &err));
	OK(vault_commit(f->v, &err));
	assert_true(clean(&r));
	assert_int_equal(r.checked, 1);
	h3[strlen(h3) - 1] = h3[strlen(h3) - 1] == '0' ? '1' : '0';
	OK(vault_begin(f->v, &err));
	OK(vault_audit_check(f->v, h3, false, &r, &err));
	OK(vault_commit(f->v, &err));
	assert_false(r.extends);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_incremental),
		T(test_tamper_rows),
		T(test_tamper_cut),
		T(test_tamper_head),
		T(test_head_digest),
#undef T
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("vault-verify", tests, NULL, NULL);
}
