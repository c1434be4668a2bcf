/*
 * test-vault-txcache.c: what a write transaction keeps in memory
 * (vault/txcache.c) never differs from what the store holds once it
 * commits: the audit head, written once at commit, is the chain's true
 * head after rows added, a savepoint undone, a step released, a rollback
 * and a check in the middle of the transaction; a user row read again in
 * the transaction is the row as last written, and not a row that a
 * rollback to the savepoint, a rename or a delete took back; a login token
 * read again is the token as last written, not one a new token's sweep
 * of expired ones took away.  Uses the
 * fixture of test-vault-fix.h and reads the file as another process would.
 */
#include "test-vault-fix.h"
#include "../../src/util.h"
#include "../../vault/vault-int.h"

static void
audit(struct vault *v, int i)
{
	char			detail[32];
	struct vault_audit	a = { .time = 1700000000 + i, .actor = "test",
				    .outcome = "ok", .action = "confirm",
				    .user = "alice", .detail = detail };

	snprintf(detail, sizeof detail, "step %d", i);
	OK(vault_audit_add(v, &a, &err));
}

/* The log checked from its first row, as `audit verify --full` does. */
static int64_t
sound_rows(struct vault *v)
{
	struct vault_verify	out;

	OK(vault_begin(v, &err));
	OK(vault_audit_check(v, NULL, true, &out, &err));
	OK(vault_commit(v, &err));
	assert_int_equal(out.bad, 0);
	assert_true(out.extends);
	assert_false(out.head_bad);
	assert_false(out.head_stale);
	return out.rows;
}

static int64_t
file_rows(struct fix *f)
{
	return db(f->path, "SELECT coalesce((SELECT v FROM meta"
	    " WHERE k = 'audit_rows'), 0)");
}

static void
test_head_at_commit(void **state)
{
	struct fix	*f = *state;
	int64_t		 before = sound_rows(f->v), rows;
	int		 i;

	OK(vault_begin(f->v, &err));
	for (i = 0; i < 5; i++)
		audit(f->v, i);
	/* Not in the file until the commit: another process sees the old. */
	assert_int_equal(file_rows(f), before);
	OK(vault_commit(f->v, &err));
	assert_int_equal(file_rows(f), before + 5);
	assert_int_equal(db(f->path, "SELECT count(*) FROM audit"),
	    before + 5);
	rows = sound_rows(f->v);
	assert_int_equal(rows, before + 5);
	/* Given up, nothing of it stays; the next rows chain to the old. */
	OK(vault_begin(f->v, &err));
	audit(f->v, 10);
	audit(f->v, 11);
	vault_rollback(f->v);
	assert_int_equal(file_rows(f), rows);
	OK(vault_begin(f->v, &err));
	audit(f->v, 12);
	OK(vault_commit(f->v, &err));
	assert_int_equal(sound_rows(f->v), rows + 1);
	reopen(f, PASS);
	assert_int_equal(sound_rows(f->v), rows + 1);
}

static void
test_head_savepoint(void **state)
{
	struct fix	*f = *state;
	int64_t		 before = sound_rows(f->v);

	OK(vault_begin(f->v, &err));
	audit(f->v, 1);
	audit(f->v, 2);
	/* A step undone: its rows and the head it moved go back. */
	OK(vault_savepoint(f->v, &err));
	audit(f->v, 3);
	audit(f->v, 4);
	audit(f->v, 5);
	OK(vault_rollback_to(f->v, &err));
	/* A step kept. */
	OK(vault_savepoint(f->v, &err));
	audit(f->v, 6);
	OK(vault_release(f->v, &err));
	/* An empty step undone right after one that was kept. */
	OK(vault_savepoint(f->v, &err));
	OK(vault_rollback_to(f->v, &err));
	audit(f->v, 7);
	OK(vault_commit(f->v, &err));
	assert_int_equal(db(f->path, "SELECT count(*) FROM audit"),
	    before + 4);
	assert_int_equal(sound_rows(f->v), before + 4);
}

/* A check inside the transaction sees the rows it added (the head too). */
static void
test_check_mid_transaction(void **state)
{
	struct fix		*f = *state;
	struct vault_verify	 out;
	int64_t			 before = sound_rows(f->v);
	char			 head[VAULT_HEAD_MAX], later[VAULT_HEAD_MAX];
	int64_t			 rows;

	OK(vault_begin(f->v, &err));
	audit(f->v, 1);
	audit(f->v, 2);
	OK(vault_audit_check(f->v, NULL, false, &out, &err));
	assert_int_equal(out.bad, 0);
	assert_false(out.head_bad);
	assert_false(out.head_stale);
	assert_int_equal(out.rows, before + 2);
	OK(vault_audit_head(f->v, head, &rows, &err));
	assert_int_equal(rows, before + 2);
	audit(f->v, 3);
	OK(vault_commit(f->v, &err));
	assert_int_equal(sound_rows(f->v), before + 3);
	OK(vault_audit_head(f->v, later, &rows, &err));
	assert_int_equal(rows, before + 3);
	assert_string_not_equal(head, later);
}

/* Many rows in one transaction: the head is written once, and is right. */
static void
test_many_rows(void **state)
{
	struct fix	*f = *state;
	int64_t		 before = sound_rows(f->v);
	int		 i;

	OK(vault_begin(f->v, &err));
	for (i = 0; i < 5000; i++)
		audit(f->v, i);
	OK(vault_commit(f->v, &err));
	assert_int_equal(file_rows(f), before + 5000);
	assert_int_equal(sound_rows(f->v), before + 5000);
}

static void
test_user_row(void **state)
{
	struct fix		*f = *state;
	struct vault_user	 u, got;
	int64_t			 id = add_user(f->v, "alice", "a@example.org",
				    "+15550100");

	OK(vault_begin(f->v, &err));
	OK(vault_user_get(f->v, "alice", &u, &err));
	/* Written, then read again: the row as written, newly stamped. */
	secret_release(u.email);
	u.email = secret_strdup("new@example.org");
	OK(vault_user_update(f->v, &u, &err));
	OK(vault_user_get_id(f->v, id, &got, &err));
	assert_string_equal(got.email, "new@example.org");
	assert_string_equal(got.phone, "+15550100");
	assert_memory_not_equal(got.stamp, u.stamp, sizeof u.stamp);
	vault_user_clear(&got);
	/* A step undone takes its write back from the cache too. */
	OK(vault_savepoint(f->v, &err));
	secret_release(u.phone);
	u.phone = NULL;
	OK(vault_user_update(f->v, &u, &err));
	OK(vault_user_get(f->v, "alice", &got, &err));
	assert_null(got.phone);
	vault_user_clear(&got);
	OK(vault_rollback_to(f->v, &err));
	OK(vault_user_get(f->v, "alice", &got, &err));
	assert_string_equal(got.phone, "+15550100");
	assert_string_equal(got.email, "new@example.org");
	vault_user_clear(&got);
	/* Renamed: the old name finds nobody, the new one the same row. */
	OK(vault_user_rename(f->v, id, "carol", &err));
	IS(vault_user_get(f->v, "alice", &got, &err), RD_NOT_FOUND);
	OK(vault_user_get(f->v, "carol", &got, &err));
	assert_int_equal(got.id, id);
	vault_user_clear(&got);
	OK(vault_commit(f->v, &err));
	vault_user_clear(&u);
	/* What another process reads is what the transaction last saw. */
	reopen(f, PASS);
	OK(vault_user_get(f->v, "carol", &got, &err));
	assert_string_equal(got.email, "new@example.org");
	assert_string_equal(got.phone, "+15550100");
	vault_user_clear(&got);
	/* Deleted: gone from the cache as from the store. */
	OK(vault_begin(f->v, &err));
	OK(vault_user_get_id(f->v, id, &got, &err));
	vault_user_clear(&got);
	OK(vault_user_del(f->v, id, &err));
	IS(vault_user_get_id(f->v, id, &got, &err), RD_NOT_FOUND);
	IS(vault_user_get(f->v, "carol", &got, &err), RD_NOT_FOUND);
	vault_rollback(f->v);
	/* Given up: the rollback's row is read from the store again. */
	OK(vault_user_get_id(f->v, id, &got, &err));
	assert_string_equal(got.name, "carol");
	vault_user_clear(&got);
}

/* An edit made outside redoubt between transactions is seen, not masked. */
static void
test_user_edit_between(void **state)
{
	struct fix		*f = *state;
	struct vault_user	 got;
	int64_t			 id = add_user(f->v, "dave", NULL, NULL);

	OK(vault_begin(f->v, &err));
	OK(vault_user_get_id(f->v, id, &got, &err));
	vault_user_clear(&got);
	OK(vault_commit(f->v, &err));
	(void)db(f->path, "UPDATE users SET active = 0 WHERE name = 'dave'");
	OK(vault_begin(f->v, &err));
	IS(vault_user_get_id(f->v, id, &got, &err), RD_VAULT_CORRUPT);
	vault_rollback(f->v);
}

static void
test_token(void **state)
{
	struct fix		*f = *state;
	struct vault_token	 t;
	int64_t			 id = add_user(f->v, "erin", NULL, NULL);

	OK(vault_begin(f->v, &err));
	OK(vault_token_put(f->v, "tok-one", id, 100, 10, &err));
	OK(vault_token_put(f->v, "tok-two", id, 1000, 10, &err));
	OK(vault_commit(f->v, &err));

	OK(vault_begin(f->v, &err));
	OK(vault_token_get(f->v, "tok-one", &t, &err));
	assert_false(t.used);
	OK(vault_token_use(f->v, "tok-one", &err));
	/* Read again in the transaction: used, as written. */
	OK(vault_token_get(f->v, "tok-one", &t, &err));
	assert_true(t.used);
	IS(vault_token_use(f->v, "tok-one", &err), RD_BAD_STATE);
	OK(vault_commit(f->v, &err));

	/* A new token sweeps expired ones: the one read before is gone. */
	OK(vault_begin(f->v, &err));
	OK(vault_token_get(f->v, "tok-one", &t, &err));
	OK(vault_token_put(f->v, "tok-three", id, 2000, 500, &err));
	IS(vault_token_get(f->v, "tok-one", &t, &err), RD_EXPIRED);
	OK(vault_token_get(f->v, "tok-two", &t, &err));
	assert_false(t.used);
	/* A step undone takes its use back. */
	OK(vault_savepoint(f->v, &err));
	OK(vault_token_use(f->v, "tok-two", &err));
	OK(vault_rollback_to(f->v, &err));
	OK(vault_token_get(f->v, "tok-two", &t, &err));
	assert_false(t.used);
	OK(vault_commit(f->v, &err));
	/* An edit made outside between transactions is seen. */
	(void)db(f->path, "UPDATE tokens SET used = 1 WHERE expires = 1000");
	OK(vault_begin(f->v, &err));
	IS(vault_token_get(f->v, "tok-two", &t, &err), RD_VAULT_CORRUPT);
	vault_rollback(f->v);
}

/* A queued write with a row count to change is checked (stmt_queue). */
static void
test_queue_count(void **state)
{
	struct fix		*f = *state;
	struct store_stmt	*st = NULL;
	int64_t			 id = add_user(f->v, "fay", NULL, NULL);

	assert_int_equal(store_prepare(f->v->db, "UPDATE users SET active ="
	    " active WHERE id = ?", &st), STORE_OK);
	OK(vault_begin(f->v, &err));
	stmt_bind_int(st, 1, id);
	assert_int_equal(stmt_queue(st, 1), STORE_OK);
	stmt_bind_int(st, 1, id + 1);
	assert_int_equal(stmt_queue(st, 1), STORE_MISMATCH);
	stmt_bind_int(st, 1, id + 1);
	assert_int_equal(stmt_queue(st, -1), STORE_OK);
	assert_int_equal(stmt_queue(st, 0), STORE_OK);
	vault_rollback(f->v);
	stmt_free(st);
	IS(vault_sqlerr(f->v, STORE_MISMATCH, "writing a user", &err),
	    RD_VAULT_CORRUPT);
	assert_non_null(strstr(err.msg, "changed outside redoubt"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_head_at_commit),
		T(test_head_savepoint),
		T(test_check_mid_transaction),
		T(test_many_rows),
		T(test_user_row),
		T(test_user_edit_between),
		T(test_token),
		T(test_queue_count),
#undef T
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
