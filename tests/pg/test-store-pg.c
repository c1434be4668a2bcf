/*
 * test-store-pg.c: the PostgreSQL store (vault/store-pg*.c) driven through
 * store_pg_ops against a real server: make test-pg-unit starts a throwaway
 * cluster (tests/pg/pg-cluster.sh), makes an empty database and passes its
 * conninfo in REDOUBT_TEST_PG.  Each test gets a schema of its own in that
 * database (search_path in the connection's options), dropped afterwards.
 *
 * Not one of tests/unit/: make unit has no server.  Run without
 * REDOUBT_TEST_PG it fails, so a broken make rule cannot pass as skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "../../vault/store-pg.h"

#define P	(&store_pg_ops)

/* rc of e must be want; else fail with the store's message. */
#define RC(s, e, want) do {						\
	int rc_ = (e);							\
	if (rc_ != (want))						\
		fail_msg("%s: %d, not %d (%s)", #e, rc_, (want),	\
		    (s) != NULL ? P->errmsg(s) : "no store");		\
} while (0)

struct fix {
	struct store	*admin;		/* in schema public, which stays empty */
	struct store	*s;		/* in the test's own schema */
	char		 schema[64];
	char		 where[1024];	/* conninfo of the test's schema */
};

static const char	*base;
static int		 nschema;

/* conninfo (or URI) of base with search_path set to schema. */
static void
with_path(char *out, size_t size, const char *schema)
{
	if (strncmp(base, "postgresql://", 13) == 0 ||
	    strncmp(base, "postgres://", 11) == 0)
		snprintf(out, size, "%s%coptions=-csearch_path%%3D%s", base,
		    strchr(base, '?') != NULL ? '&' : '?', schema);
	else
		snprintf(out, size, "%s options='-csearch_path=%s'", base,
		    schema);
}

static void
ok_exec(struct store *s, const char *sql)
{
	RC(s, P->exec(s, sql), STORE_OK);
}

static struct store_stmt *
prep(struct store *s, const char *sql)
{
	struct store_stmt	*st = NULL;

	RC(s, P->prepare(s, sql, &st), STORE_OK);
	assert_non_null(st);
	return st;
}

/* The one integer sql returns. */
static int64_t
one_int(struct store *s, const char *sql)
{
	struct store_stmt	*st = prep(s, sql);
	int64_t			 x;

	RC(s, P->step(st), STORE_ROW);
	x = P->col_int(st, 0);
	RC(s, P->step(st), STORE_DONE);
	P->finalize(st);
	return x;
}

static struct store *
open_at(const char *where, bool create, int want)
{
	struct store	*s = NULL;
	int		 rc = P->open(where, create, &s);

	if (rc != want)
		fail_msg("open: %d, not %d (%s)", rc, want,
		    s != NULL ? P->errmsg(s) : "no store");
	if (want != STORE_OK && s != NULL) {
		P->close(s);
		s = NULL;
	}
	return s;
}

static int
setup(void **state)
{
	struct fix	*f = calloc(1, sizeof *f);
	char		 sql[128];

	if (f == NULL || P->open(base, true, &f->admin) != STORE_OK) {
		fprintf(stderr, "test-store-pg: cannot open %s: %s\n", base,
		    f != NULL && f->admin != NULL ? P->errmsg(f->admin) : "");
		return -1;
	}
	snprintf(f->schema, sizeof f->schema, "t_%ld_%d", (long)getpid(),
	    ++nschema);
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s", f->schema);
	if (P->exec(f->admin, sql) != STORE_OK)
		return -1;
	with_path(f->where, sizeof f->where, f->schema);
	if (P->open(f->where, true, &f->s) != STORE_OK) {
		fprintf(stderr, "test-store-pg: %s\n", f->s != NULL ?
		    P->errmsg(f->s) : "no store");
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*f = *state;
	char		 sql[128];

	P->close(f->s);
	snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", f->schema);
	P->exec(f->admin, sql);
	P->close(f->admin);
	free(f);
	return 0;
}

/* ? and ?N become $N as SQLite numbers them; quoted ? stay text. */
static void
test_params(void **state)
{
	struct fix		*f = *state;
	struct store_stmt	*st;

	st = prep(f->s, "SELECT ?2 AS b, '?' AS lit, ? AS c, \"?\".x,"
	    " ?1 /* ? */ AS a -- ?\n"
	    " FROM (SELECT 'it''s ?' AS x) AS \"?\"");
	P->bind_int(st, 1, 11);
	P->bind_text(st, 2, "two", -1);
	P->bind_int(st, 3, 33);
	RC(f->s, P->step(st), STORE_ROW);
	assert_string_equal(P->col_text(st, 0), "two");
	assert_string_equal(P->col_text(st, 1), "?");
	assert_int_equal(P->col_int(st, 2), 33);
	assert_string_equal(P->col_text(st, 3), "it's ?");
	assert_int_equal(P->col_int(st, 4), 11);
	RC(f->s, P->step(st), STORE_DONE);
	/* A bind past the highest number fails the step, not silently. */
	P->reset(st);
	P->bind_int(st, 4, 1);
	assert_int_equal(P->step(st), STORE_ERROR);
	assert_non_null(strstr(P->errmsg(f->s), "out of range"));
	P->finalize(st);

	/* A number the text skips is still a parameter (SQLite's rule). */
	st = prep(f->s, "SELECT ?3");
	P->bind_text(st, 3, "three", 5);
	RC(f->s, P->step(st), STORE_ROW);
	assert_string_equal(P->col_text(st, 0), "three");
	P->finalize(st);

	/* Unbound parameters are NULL, as in SQLite. */
	st = prep(f->s, "SELECT ?::bigint IS NULL");
	RC(f->s, P->step(st), STORE_ROW);
	assert_int_equal(P->col_int(st, 0), 1);
	P->finalize(st);

	st = NULL;
	assert_int_equal(P->prepare(f->s, "SELECT ?0", &st), STORE_ERROR);
	assert_null(st);
	assert_int_equal(P->prepare(f->s, "SELECT ?70000", &st), STORE_ERROR);
	assert_null(st);
}

/* Values of every kind there and back; SQLite's conversions. */
static void
test_values(void **state)
{
	struct fix		*f = *state;
	struct store_stmt	*st;
	static const uint8_t	 bin[5] = { 0, 1, 0, 0xff, 0 };
	const uint8_t		*got;

	ok_exec(f->s, "CREATE TABLE v (n BIGINT PRIMARY KEY, i BIGINT,"
	    " t TEXT, b BYTEA)");
	st = prep(f->s, "INSERT INTO v (n, i, t, b) VALUES (?, ?, ?, ?)");
	P->bind_int(st, 1, 1);
	P->bind_int(st, 2, INT64_MIN);
	P->bind_text(st, 3, "zażółć", -1);
	P->bind_blob(st, 4, bin, sizeof bin);
	RC(f->s, P->step(st), STORE_DONE);
	P->reset(st);
	P->bind_int(st, 1, 2);
	P->bind_int(st, 2, -1);
	P->bind_text(st, 3, "", 0);
	P->bind_blob(st, 4, "", 0);		/* zero-length, not NULL */
	RC(f->s, P->step(st), STORE_DONE);
	P->reset(st);
	P->bind_int(st, 1, 3);
	P->bind_null(st, 2);
	P->bind_text(st, 3, NULL, -1);
	P->bind_blob(st, 4, NULL, 7);		/* no pointer: NULL */
	RC(f->s, P->step(st), STORE_DONE);
	P->reset(st);
	P->bind_int(st, 1, 4);
	P->bind_int(st, 2, INT64_MAX);
	P->bind_text(st, 3, "42 and more", 2);	/* length given */
	RC(f->s, P->step(st), STORE_DONE);
	P->finalize(st);

	st = prep(f->s, "SELECT i, t, b, b IS NULL FROM v ORDER BY n");
	RC(f->s, P->step(st), STORE_ROW);
	assert_int_equal(P->col_type(st, 0), STORE_INT);
	assert_true(P->col_int(st, 0) == INT64_MIN);
	assert_string_equal(P->col_text(st, 0), "-9223372036854775808");
	assert_int_equal(P->col_bytes(st, 0), 20);
	assert_int_equal(P->col_type(st, 1), STORE_TEXT);
	assert_string_equal(P->col_text(st, 1), "zażółć");
	assert_int_equal(P->col_bytes(st, 1), strlen("zażółć"));
	assert_int_equal(P->col_type(st, 2), STORE_BLOB);
	assert_int_equal(P->col_bytes(st, 2), sizeof bin);
	got = P->col_blob(st, 2);
	assert_non_null(got);
	assert_memory_equal(got, bin, sizeof bin);
	assert_int_equal(got[sizeof bin], 0);	/* NUL after the value */
	assert_int_equal(P->col_int(st, 3), 0);

	RC(f->s, P->step(st), STORE_ROW);
	assert_int_equal(P->col_int(st, 0), -1);
	assert_int_equal(P->col_type(st, 1), STORE_TEXT);
	assert_string_equal(P->col_text(st, 1), "");	/* not NULL */
	assert_int_equal(P->col_type(st, 2), STORE_BLOB);
	assert_null(P->col_blob(st, 2));	/* SQLite's zero-length rule */
	assert_int_equal(P->col_bytes(st, 2), 0);
	assert_int_equal(P->col_int(st, 3), 0);	/* stored as empty */

	RC(f->s, P->step(st), STORE_ROW);
	assert_int_equal(P->col_type(st, 0), STORE_NULL);
	assert_int_equal(P->col_int(st, 0), 0);
	assert_null(P->col_text(st, 0));
	assert_int_equal(P->col_type(st, 1), STORE_NULL);
	assert_null(P->col_text(st, 1));
	assert_int_equal(P->col_type(st, 2), STORE_NULL);
	assert_null(P->col_blob(st, 2));
	assert_int_equal(P->col_bytes(st, 2), 0);
	assert_int_equal(P->col_int(st, 3), 1);

	RC(f->s, P->step(st), STORE_ROW);
	assert_true(P->col_int(st, 0) == INT64_MAX);
	assert_int_equal(P->col_int(st, 1), 42);	/* text read as int */
	assert_string_equal(P->col_text(st, 1), "42");
	RC(f->s, P->step(st), STORE_DONE);
	/* After the end, columns are NULL and a step runs it again. */
	assert_int_equal(P->col_type(st, 0), STORE_NULL);
	RC(f->s, P->step(st), STORE_ROW);
	assert_true(P->col_int(st, 0) == INT64_MIN);
	P->finalize(st);

	/* Every readable type of the server, and one that is not. */
	st = prep(f->s, "SELECT 7::int2, -8::int4, true, 4000000000::oid,"
	    " 'v'::varchar, 'c'::char(2), 'n'::name, 'x'::bytea");
	RC(f->s, P->step(st), STORE_ROW);
	assert_int_equal(P->col_int(st, 0), 7);
	assert_int_equal(P->col_int(st, 1), -8);
	assert_int_equal(P->col_type(st, 2), STORE_INT);
	assert_int_equal(P->col_int(st, 2), 1);
	assert_int_equal(P->col_int(st, 3), 4000000000LL);
	assert_string_equal(P->col_text(st, 4), "v");
	assert_string_equal(P->col_text(st, 5), "c ");
	assert_string_equal(P->col_text(st, 6), "n");
	assert_int_equal(P->col_type(st, 7), STORE_BLOB);
	assert_memory_equal(P->col_blob(st, 7), "x", 1);
	P->finalize(st);

	st = prep(f->s, "SELECT 1 AS fine, sum(i) AS total FROM v");
	assert_int_equal(P->step(st), STORE_ERROR);
	assert_non_null(strstr(P->errmsg(f->s), "total"));
	assert_non_null(strstr(P->errmsg(f->s), "1700"));	/* numeric */
	P->finalize(st);
}

/* One statement iterated while others run on the same connection. */
static void
test_nested(void **state)
{
	struct fix		*f = *state;
	struct store_stmt	*list, *put, *add;
	int			 n = 0;

	ok_exec(f->s, "CREATE TABLE a (id BIGINT PRIMARY KEY, x BIGINT);"
	    "CREATE TABLE log (id BIGINT)");
	ok_exec(f->s, "INSERT INTO a SELECT g, 0 FROM generate_series(1, 5) g");
	list = prep(f->s, "SELECT id FROM a ORDER BY id");
	put = prep(f->s, "UPDATE a SET x = ?2 WHERE id = ?1");
	add = prep(f->s, "INSERT INTO log VALUES (?)");
	while (P->step(list) == STORE_ROW) {
		P->bind_int(put, 1, P->col_int(list, 0));
		P->bind_int(put, 2, P->col_int(list, 0) * 10);
		RC(f->s, P->step(put), STORE_DONE);
		P->reset(put);
		P->bind_int(add, 1, P->col_int(list, 0));
		RC(f->s, P->step(add), STORE_DONE);
		P->reset(add);
		n++;
	}
	assert_int_equal(n, 5);
	P->finalize(list);
	P->finalize(put);
	P->finalize(add);
	assert_int_equal(one_int(f->s, "SELECT sum(x)::bigint FROM a"), 150);
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM log"), 5);
}

/* A statement bound with another type than before is prepared again. */
static void
test_retype(void **state)
{
	struct fix		*f = *state;
	struct store_stmt	*st;

	st = prep(f->s, "SELECT ?");
	P->bind_int(st, 1, 5);
	RC(f->s, P->step(st), STORE_ROW);
	assert_int_equal(P->col_type(st, 0), STORE_INT);
	assert_int_equal(P->col_int(st, 0), 5);
	P->reset(st);
	P->bind_text(st, 1, "five", -1);
	RC(f->s, P->step(st), STORE_ROW);
	assert_int_equal(P->col_type(st, 0), STORE_TEXT);
	assert_string_equal(P->col_text(st, 0), "five");
	P->reset(st);
	P->bind_blob(st, 1, "5", 1);
	RC(f->s, P->step(st), STORE_ROW);
	assert_int_equal(P->col_type(st, 0), STORE_BLOB);
	P->reset(st);
	P->bind_null(st, 1);
	RC(f->s, P->step(st), STORE_ROW);
	assert_int_equal(P->col_type(st, 0), STORE_NULL);
	P->finalize(st);

	/* NULL first (the server infers bytea), then a blob. */
	ok_exec(f->s, "CREATE TABLE r (b BYTEA)");
	st = prep(f->s, "INSERT INTO r VALUES (?)");
	P->bind_null(st, 1);
	RC(f->s, P->step(st), STORE_DONE);
	P->reset(st);
	P->bind_blob(st, 1, "ab", 2);
	RC(f->s, P->step(st), STORE_DONE);
	P->reset(st);
	P->bind_null(st, 1);
	RC(f->s, P->step(st), STORE_DONE);
	P->finalize(st);
	assert_int_equal(one_int(f->s,
	    "SELECT count(*) FROM r WHERE b = 'ab'::bytea"), 1);
	/* Statements finalized leave the server too, in batches. */
	assert_true(one_int(f->s,
	    "SELECT count(*) FROM pg_prepared_statements") <= PG_DEAD_BATCH);
}

/* changes() follows INSERT, UPDATE and DELETE, and nothing else. */
static void
test_changes(void **state)
{
	struct fix		*f = *state;
	struct store_stmt	*st;

	ok_exec(f->s, "CREATE TABLE c (x BIGINT)");
	ok_exec(f->s, "INSERT INTO c SELECT g FROM generate_series(1, 3) g");
	assert_int_equal(P->changes(f->s), 3);
	st = prep(f->s, "UPDATE c SET x = x + 10 WHERE x >= ?");
	P->bind_int(st, 1, 2);
	RC(f->s, P->step(st), STORE_DONE);
	assert_int_equal(P->changes(f->s), 2);
	P->finalize(st);
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM c"), 3);
	assert_int_equal(P->changes(f->s), 2);	/* a SELECT left it */
	st = prep(f->s, "INSERT INTO c VALUES (?) RETURNING x");
	P->bind_int(st, 1, 9);
	RC(f->s, P->step(st), STORE_ROW);
	assert_int_equal(P->col_int(st, 0), 9);
	assert_int_equal(P->changes(f->s), 1);
	P->finalize(st);
	ok_exec(f->s, "DELETE FROM c");
	assert_int_equal(P->changes(f->s), 4);
	st = prep(f->s, "DELETE FROM c");
	RC(f->s, P->step(st), STORE_DONE);
	assert_int_equal(P->changes(f->s), 0);
	P->finalize(st);
}

/* Refusals map to their codes; messages keep values out. */
static void
test_errors(void **state)
{
	struct fix		*f = *state;
	struct store_stmt	*st;
	const char		*msg;

	ok_exec(f->s, "CREATE TABLE u (name TEXT UNIQUE NOT NULL)");
	st = prep(f->s, "INSERT INTO u VALUES (?)");
	P->bind_text(st, 1, "alice-secret", -1);
	RC(f->s, P->step(st), STORE_DONE);
	P->reset(st);
	P->bind_text(st, 1, "alice-secret", -1);
	assert_int_equal(P->step(st), STORE_CONSTRAINT);
	msg = P->errmsg(f->s);
	assert_non_null(strstr(msg, "duplicate key"));
	assert_null(strstr(msg, "alice"));	/* DETAIL quotes the key */
	assert_null(strstr(msg, "Key ("));
	assert_null(strchr(msg, '\n'));
	P->reset(st);
	P->bind_null(st, 1);
	assert_int_equal(P->step(st), STORE_CONSTRAINT);
	P->finalize(st);

	st = prep(f->s, "SELEKT 1");
	assert_int_equal(P->step(st), STORE_ERROR);
	assert_non_null(strstr(P->errmsg(f->s), "syntax"));
	P->finalize(st);
	assert_int_equal(P->exec(f->s, "SELECT * FROM nowhere"), STORE_ERROR);
	assert_non_null(strstr(P->errmsg(f->s), "nowhere"));
	/* No right: a table of the catalog. */
	assert_int_equal(P->exec(f->s, "DELETE FROM pg_catalog.pg_class"),
	    STORE_READONLY);
}

/* A connection the server dropped is STORE_CANTOPEN. */
static void
test_dead(void **state)
{
	struct fix		*f = *state;
	struct store_stmt	*st;
	char			 sql[128];

	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld, 5000)",
	    (long long)one_int(f->s, "SELECT pg_backend_pid()"));
	ok_exec(f->admin, sql);
	st = prep(f->s, "SELECT 1");
	assert_int_equal(P->step(st), STORE_CANTOPEN);
	assert_true(strlen(P->errmsg(f->s)) > 0);
	P->finalize(st);			/* no server to tell */
	assert_int_equal(P->exec(f->s, "SELECT 1"), STORE_CANTOPEN);
	assert_false(P->in_tx(f->s));
	P->rollback(f->s);
}

/* Headers of both types; listing by a prefix taken literally. */
static int
collect(void *arg, const char *k, const struct store_val *v)
{
	char	*out = arg;
	char	 one[64];

	if (v->type == STORE_INT)
		snprintf(one, sizeof one, "%s=%lld;", k, (long long)v->i);
	else
		snprintf(one, sizeof one, "%s=%.*s/%zu;", k, (int)v->n,
		    v->p != NULL ? (const char *)v->p : "", v->n);
	strcat(out, one);
	return strlen(out) > 200;
}

static int
stop_first(void *arg, const char *k, const struct store_val *v)
{
	(void)v;
	strcat(arg, k);
	return 1;
}

static void
test_meta(void **state)
{
	struct fix		*f = *state;
	struct store_val	 v = { 0 }, got;
	char			 out[512];

	RC(f->s, P->fresh(f->s, 6), STORE_OK);
	RC(f->s, P->meta_get(f->s, "kdf", &got), STORE_DONE);
	v.type = STORE_INT;
	v.i = -5;
	RC(f->s, P->meta_put(f->s, "kdf", &v), STORE_OK);
	RC(f->s, P->meta_get(f->s, "kdf", &got), STORE_OK);
	assert_int_equal(got.type, STORE_INT);
	assert_int_equal(got.i, -5);
	v.type = STORE_BLOB;	/* the same name, now a blob */
	v.p = "salt\0x";
	v.n = 6;
	RC(f->s, P->meta_put(f->s, "kdf", &v), STORE_OK);
	RC(f->s, P->meta_get(f->s, "kdf", &got), STORE_OK);
	assert_int_equal(got.type, STORE_BLOB);
	assert_int_equal(got.n, 6);
	assert_memory_equal(got.p, "salt\0x", 6);
	v.n = 0;
	RC(f->s, P->meta_put(f->s, "empty", &v), STORE_OK);
	RC(f->s, P->meta_get(f->s, "empty", &got), STORE_OK);
	assert_int_equal(got.type, STORE_BLOB);
	assert_null(got.p);
	assert_int_equal(got.n, 0);
	v.type = STORE_TEXT;
	v.p = "text";
	v.n = 4;
	assert_int_equal(P->meta_put(f->s, "t", &v), STORE_ERROR);
	RC(f->s, P->meta_get(f->s, "t", &got), STORE_DONE);
	RC(f->s, P->meta_del(f->s, "kdf"), STORE_OK);
	RC(f->s, P->meta_get(f->s, "kdf", &got), STORE_DONE);
	RC(f->s, P->meta_del(f->s, "kdf"), STORE_OK);	/* absent: fine */

	v.type = STORE_INT;
	v.i = 1;
	RC(f->s, P->meta_put(f->s, "slot:2", &v), STORE_OK);
	v.i = 2;
	RC(f->s, P->meta_put(f->s, "slot:10", &v), STORE_OK);
	v.i = 3;
	RC(f->s, P->meta_put(f->s, "slot:B", &v), STORE_OK);
	v.i = 4;
	RC(f->s, P->meta_put(f->s, "slot:a", &v), STORE_OK);
	v.i = 5;
	RC(f->s, P->meta_put(f->s, "slots", &v), STORE_OK);
	v.i = 6;
	RC(f->s, P->meta_put(f->s, "a%b", &v), STORE_OK);
	v.i = 7;
	RC(f->s, P->meta_put(f->s, "axb", &v), STORE_OK);
	v.i = 8;
	RC(f->s, P->meta_put(f->s, "a_c", &v), STORE_OK);
	out[0] = '\0';
	RC(f->s, P->meta_list(f->s, "slot:", collect, out), STORE_OK);
	/* Bytewise order (COLLATE "C"): digits, upper, lower. */
	assert_string_equal(out, "slot:10=2;slot:2=1;slot:B=3;slot:a=4;");
	out[0] = '\0';
	RC(f->s, P->meta_list(f->s, "a%", collect, out), STORE_OK);
	assert_string_equal(out, "a%b=6;");
	out[0] = '\0';
	RC(f->s, P->meta_list(f->s, "a_", collect, out), STORE_OK);
	assert_string_equal(out, "a_c=8;");
	out[0] = '\0';
	RC(f->s, P->meta_list(f->s, "", collect, out), STORE_OK);
	assert_string_equal(out, "a%b=6;a_c=8;axb=7;empty=/0;slot:10=2;"
	    "slot:2=1;slot:B=3;slot:a=4;slots=5;");
	out[0] = '\0';
	RC(f->s, P->meta_list(f->s, "slot", stop_first, out), STORE_OK);
	assert_string_equal(out, "slot:10");
	out[0] = '\0';
	RC(f->s, P->meta_list(f->s, "nothing", collect, out), STORE_OK);
	assert_string_equal(out, "");
}

/* The schema version; fresh makes the tables; a non-empty schema is no
 * place for init. */
static void
test_version_fresh(void **state)
{
	struct fix	*f = *state;
	struct store	*s2;
	char		 want[256];
	int		 v = -1;

	RC(f->s, P->version_get(f->s, &v), STORE_OK);
	assert_int_equal(v, 0);
	assert_int_equal(P->fresh(f->s, 5), STORE_ERROR);
	RC(f->s, P->begin(f->s), STORE_OK);
	RC(f->s, P->fresh(f->s, 6), STORE_OK);
	RC(f->s, P->commit(f->s), STORE_OK);
	RC(f->s, P->version_get(f->s, &v), STORE_OK);
	assert_int_equal(v, 6);
	RC(f->s, P->begin(f->s), STORE_OK);
	RC(f->s, P->version_set(f->s, 7), STORE_OK);
	RC(f->s, P->commit(f->s), STORE_OK);
	RC(f->s, P->version_get(f->s, &v), STORE_OK);
	assert_int_equal(v, 7);
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM redoubt_schema"),
	    1);
	/* Every table and index of version 6. */
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM pg_tables"
	    " WHERE schemaname = current_schema() AND tablename IN ('meta',"
	    " 'redoubt_schema', 'users', 'methods', 'backup_sets',"
	    " 'pending_codes', 'tokens', 'ghosts', 'outbox', 'audit')"), 10);
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM pg_indexes"
	    " WHERE schemaname = current_schema() AND indexname IN"
	    " ('users_email_ix', 'users_phone_ix', 'users_page',"
	    " 'tokens_user', 'tokens_expires', 'ghosts_seen')"), 6);
	/* The CHECK of meta: one value, never both or none. */
	assert_int_equal(P->exec(f->s, "INSERT INTO meta VALUES ('x', 1,"
	    " 'b'::bytea)"), STORE_CONSTRAINT);
	assert_int_equal(P->exec(f->s, "INSERT INTO meta (k) VALUES ('x')"),
	    STORE_CONSTRAINT);

	/* 10 tables and 4 identity sequences. */
	snprintf(want, sizeof want, "the database is not empty: 14 tables in "
	    "schema %s; redoubt init needs an empty one", f->schema);
	s2 = NULL;
	assert_int_equal(P->open(f->where, true, &s2), STORE_CONSTRAINT);
	assert_non_null(s2);
	assert_string_equal(P->errmsg(s2), want);
	P->close(s2);
	s2 = open_at(f->where, false, STORE_OK);
	RC(s2, P->version_get(s2, &v), STORE_OK);
	assert_int_equal(v, 7);
	P->close(s2);
}

/* Places open refuses, and what it says. */
static void
test_open_refused(void **state)
{
	struct fix	*f = *state;
	struct store	*s2 = NULL;
	char		 where[1200], sql[128];

	assert_int_equal(P->open(f->where, false, &s2), STORE_CANTOPEN);
	assert_non_null(s2);
	assert_string_equal(P->errmsg(s2),
	    "the database holds no vault (run redoubt init)");
	P->close(s2);

	with_path(where, sizeof where, "no_such_schema");
	s2 = NULL;
	assert_int_equal(P->open(where, true, &s2), STORE_CANTOPEN);
	assert_non_null(strstr(P->errmsg(s2), "no schema"));
	P->close(s2);

	/* Even an owner may give up its right to create tables. */
	snprintf(sql, sizeof sql, "REVOKE CREATE ON SCHEMA %s FROM CURRENT_USER",
	    f->schema);
	ok_exec(f->admin, sql);
	s2 = NULL;
	assert_int_equal(P->open(f->where, true, &s2), STORE_READONLY);
	P->close(s2);

	/* No server there; the password stays out of the message. */
	s2 = NULL;
	assert_int_equal(P->open("host=/nonexistent/dir port=5 user=x"
	    " password=hunter2secret dbname=x", false, &s2), STORE_CANTOPEN);
	assert_non_null(s2);
	assert_true(strlen(P->errmsg(s2)) > 0);
	assert_null(strstr(P->errmsg(s2), "hunter2secret"));
	assert_int_equal(P->errmsg(s2)[strlen(P->errmsg(s2)) - 1] != '\n', 1);
	P->close(s2);
	s2 = NULL;
	assert_int_equal(P->open("postgresql://x:hunter2secret@/x?host="
	    "/nonexistent/dir", false, &s2), STORE_CANTOPEN);
	assert_null(strstr(P->errmsg(s2), "hunter2secret"));
	P->close(s2);
	s2 = NULL;
	assert_int_equal(P->open("not a conninfo", false, &s2),
	    STORE_CANTOPEN);
	P->close(s2);
}

/* begin, commit, rollback; a failure inside a transaction. */
static void
test_tx(void **state)
{
	struct fix		*f = *state;
	struct store		*s2;
	struct store_stmt	*st;

	RC(f->s, P->begin(f->s), STORE_OK);	/* before meta exists */
	RC(f->s, P->fresh(f->s, 6), STORE_OK);
	RC(f->s, P->commit(f->s), STORE_OK);
	assert_false(P->in_tx(f->s));
	RC(f->s, P->begin(f->s), STORE_OK);
	assert_true(P->in_tx(f->s));
	assert_int_equal(P->begin(f->s), STORE_ERROR);	/* one at a time */
	ok_exec(f->s, "INSERT INTO outbox (method, recipient, body, sent_at)"
	    " VALUES ('m', 'r', 'b', 1)");
	P->rollback(f->s);
	assert_false(P->in_tx(f->s));
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM outbox"), 0);
	assert_int_equal(P->commit(f->s), STORE_ERROR);	/* none open */
	P->rollback(f->s);				/* harmless */

	RC(f->s, P->begin(f->s), STORE_OK);
	ok_exec(f->s, "INSERT INTO outbox (method, recipient, body, sent_at)"
	    " VALUES ('m', 'r', 'b', 1)");
	RC(f->s, P->commit(f->s), STORE_OK);
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM outbox"), 1);

	/*
	 * A failed statement aborts the transaction: commit says so and
	 * writes nothing; a statement finalized meanwhile is dropped from
	 * the server after the transaction.
	 */
	RC(f->s, P->begin(f->s), STORE_OK);
	ok_exec(f->s, "INSERT INTO outbox (method, recipient, body, sent_at)"
	    " VALUES ('m', 'r', 'b', 2)");
	st = prep(f->s, "SELECT count(*) FROM outbox");
	RC(f->s, P->step(st), STORE_ROW);
	assert_int_equal(P->exec(f->s, "INSERT INTO outbox (method) VALUES"
	    " ('m')"), STORE_CONSTRAINT);
	assert_true(P->in_tx(f->s));
	P->finalize(st);
	assert_int_equal(P->commit(f->s), STORE_ERROR);
	assert_false(P->in_tx(f->s));
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM outbox"), 1);
	assert_true(one_int(f->s,
	    "SELECT count(*) FROM pg_prepared_statements") <= PG_DEAD_BATCH);

	/*
	 * A second writer waits for the first, then gives up: busy.  Its
	 * BEGIN and LOCK go with its first statement (store-pg-pipe.c), so
	 * that statement says so; begin_nowait says so at once.
	 */
	s2 = open_at(f->where, false, STORE_OK);
	ok_exec(s2, "SET lock_timeout = '200ms'");
	RC(f->s, P->begin(f->s), STORE_OK);
	ok_exec(f->s, "SELECT 1");	/* the lock taken, not only asked */
	RC(s2, P->begin(s2), STORE_OK);
	assert_true(P->in_tx(s2));
	assert_int_equal(P->exec(s2, "SELECT 1"), STORE_BUSY);
	assert_non_null(strstr(P->errmsg(s2), "lock"));
	P->rollback(s2);
	assert_false(P->in_tx(s2));
	RC(s2, P->begin(s2), STORE_OK);
	st = prep(s2, "SELECT count(*) FROM outbox");
	assert_int_equal(P->step(st), STORE_BUSY);
	P->finalize(st);
	P->rollback(s2);
	RC(s2, P->begin(s2), STORE_OK);
	assert_int_equal(P->commit(s2), STORE_BUSY);
	assert_false(P->in_tx(s2));
	assert_int_equal(P->begin_nowait(s2), STORE_BUSY);
	assert_false(P->in_tx(s2));
	/* Readers do not wait. */
	assert_int_equal(one_int(s2, "SELECT count(*) FROM outbox"), 1);
	RC(f->s, P->commit(f->s), STORE_OK);
	RC(s2, P->begin(s2), STORE_OK);
	RC(s2, P->commit(s2), STORE_OK);
	P->close(s2);
}

/*
 * A serialization failure at COMMIT is STORE_CONFLICT.  begin's lock
 * keeps two writers apart, so the write skew is set up by hand.
 */
static void
test_conflict(void **state)
{
	struct fix	*f = *state;
	struct store	*s2;

	RC(f->s, P->fresh(f->s, 6), STORE_OK);
	ok_exec(f->s, "CREATE TABLE w (x BIGINT)");
	s2 = open_at(f->where, false, STORE_OK);
	ok_exec(f->s, "BEGIN ISOLATION LEVEL SERIALIZABLE");
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM w WHERE x = 1"),
	    0);
	ok_exec(s2, "BEGIN ISOLATION LEVEL SERIALIZABLE");
	assert_int_equal(one_int(s2, "SELECT count(*) FROM w WHERE x = 2"), 0);
	ok_exec(f->s, "INSERT INTO w VALUES (2)");
	ok_exec(s2, "INSERT INTO w VALUES (1)");
	RC(f->s, P->commit(f->s), STORE_OK);
	assert_int_equal(P->commit(s2), STORE_CONFLICT);
	assert_false(P->in_tx(s2));
	assert_int_equal(one_int(s2, "SELECT count(*) FROM w"), 1);
	P->close(s2);
}

/* Wait until fd is readable (5 s at most). */
static void
wait_readable(int fd)
{
	struct pollfd	 p = { .fd = fd, .events = POLLIN };

	assert_int_equal(poll(&p, 1, 5000), 1);
}

/* Others' commits are counted, own ones not. */
static void
test_changed(void **state)
{
	struct fix	*f = *state;
	struct store	*s2;
	int64_t		 c1, c2, n;

	RC(f->s, P->fresh(f->s, 6), STORE_OK);
	s2 = open_at(f->where, false, STORE_OK);
	RC(f->s, P->tune(f->s), STORE_OK);
	RC(s2, P->tune(s2), STORE_OK);
	assert_true(P->watch_fd(f->s) >= 0);
	assert_true(P->watch_fd(s2) >= 0);
	RC(f->s, P->changed(f->s, &c1), STORE_OK);
	RC(s2, P->changed(s2, &c2), STORE_OK);

	RC(s2, P->begin(s2), STORE_OK);
	ok_exec(s2, "INSERT INTO outbox (method, recipient, body, sent_at)"
	    " VALUES ('m', 'r', 'b', 1)");
	RC(s2, P->commit(s2), STORE_OK);
	wait_readable(P->watch_fd(f->s));
	RC(f->s, P->changed(f->s, &n), STORE_OK);
	assert_int_equal(n, c1 + 1);
	RC(s2, P->changed(s2, &n), STORE_OK);
	assert_int_equal(n, c2);		/* its own */

	RC(f->s, P->begin(f->s), STORE_OK);
	RC(f->s, P->commit(f->s), STORE_OK);
	RC(f->s, P->begin(f->s), STORE_OK);
	RC(f->s, P->commit(f->s), STORE_OK);
	RC(f->s, P->changed(f->s, &n), STORE_OK);
	assert_int_equal(n, c1 + 1);
	wait_readable(P->watch_fd(s2));
	/* Both may not have arrived in one read: wait for the second. */
	RC(s2, P->changed(s2, &n), STORE_OK);
	if (n < c2 + 2) {
		wait_readable(P->watch_fd(s2));
		RC(s2, P->changed(s2, &n), STORE_OK);
	}
	assert_int_equal(n, c2 + 2);
	/* A rollback tells nobody. */
	RC(s2, P->begin(s2), STORE_OK);
	P->rollback(s2);
	usleep(100 * 1000);
	RC(f->s, P->changed(f->s, &n), STORE_OK);
	assert_int_equal(n, c1 + 1);
	P->close(s2);
}

/* id_floor moves a sequence past n and the table's ids, never back. */
static void
test_id_floor(void **state)
{
	struct fix	*f = *state;

	RC(f->s, P->fresh(f->s, 6), STORE_OK);
	ok_exec(f->s, "INSERT INTO users (name, created) VALUES ('a', 1)");
	assert_int_equal(one_int(f->s, "SELECT max(id) FROM users"), 1);
	RC(f->s, P->id_floor(f->s, "users", 100), STORE_OK);
	assert_int_equal(one_int(f->s, "INSERT INTO users (name, created)"
	    " VALUES ('b', 1) RETURNING id"), 101);
	RC(f->s, P->id_floor(f->s, "users", 5), STORE_OK);
	assert_int_equal(one_int(f->s, "INSERT INTO users (name, created)"
	    " VALUES ('c', 1) RETURNING id"), 102);
	/* Deleted rows' ids are not handed out again. */
	ok_exec(f->s, "DELETE FROM users WHERE id >= 101");
	RC(f->s, P->id_floor(f->s, "users", 0), STORE_OK);
	assert_int_equal(one_int(f->s, "INSERT INTO users (name, created)"
	    " VALUES ('d', 1) RETURNING id"), 103);

	/* Rows copied in with their ids (the sequence knows nothing). */
	ok_exec(f->s, "INSERT INTO audit (id, time, actor, action, outcome,"
	    " mac) VALUES (50, 1, 'x', 'y', 'z', 'm')");
	RC(f->s, P->id_floor(f->s, "audit", 0), STORE_OK);
	assert_int_equal(one_int(f->s, "INSERT INTO audit (time, actor,"
	    " action, outcome, mac) VALUES (1, 'x', 'y', 'z', 'm')"
	    " RETURNING id"), 51);
	/* An empty table with nothing handed out starts at 1. */
	RC(f->s, P->id_floor(f->s, "outbox", -3), STORE_OK);
	assert_int_equal(one_int(f->s, "INSERT INTO outbox (method,"
	    " recipient, body, sent_at) VALUES ('m', 'r', 'b', 1)"
	    " RETURNING id"), 1);
	RC(f->s, P->id_floor(f->s, "methods", 7), STORE_OK);
	assert_int_equal(one_int(f->s, "INSERT INTO methods (user_id, name,"
	    " handler, state, created) VALUES (1, 'm', 'h', 0, 1)"
	    " RETURNING id"), 8);

	assert_int_equal(P->id_floor(f->s, "tokens", 1), STORE_ERROR);
	assert_int_equal(P->id_floor(f->s, "users; DROP TABLE users", 1),
	    STORE_ERROR);
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM users"), 2);
}

/* Several header rows in one question and one write, absent ones NULL. */
static void
test_meta_n(void **state)
{
	static const char *const k[] = { "audit_mac", "audit_rows",
	    "audit_head", "absent" };
	struct fix		*f = *state;
	struct store_val	 v[3], got[4];

	RC(f->s, P->fresh(f->s, 6), STORE_OK);
	memset(v, 0, sizeof v);
	v[0].type = STORE_BLOB;
	v[0].p = "mac\0mac";
	v[0].n = 7;
	v[1].type = STORE_INT;
	v[1].i = 42;
	v[2].type = STORE_BLOB;
	v[2].p = "tag";
	v[2].n = 3;
	RC(f->s, P->meta_put_n(f->s, k, v, 3), STORE_OK);
	v[1].i = 43;	/* the same rows again: an update, not a refusal */
	RC(f->s, P->meta_put_n(f->s, k, v, 3), STORE_OK);
	RC(f->s, P->meta_get_n(f->s, k, 4, got), STORE_OK);
	assert_int_equal(got[0].type, STORE_BLOB);
	assert_int_equal(got[0].n, 7);
	assert_memory_equal(got[0].p, "mac\0mac", 7);
	assert_int_equal(got[1].type, STORE_INT);
	assert_int_equal(got[1].i, 43);
	assert_int_equal(got[2].type, STORE_BLOB);
	assert_memory_equal(got[2].p, "tag", 3);
	assert_int_equal(got[3].type, STORE_NULL);
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM meta"), 3);
	v[0].type = STORE_TEXT;
	assert_int_equal(P->meta_put_n(f->s, k, v, 1), STORE_ERROR);
	assert_int_equal(P->meta_get_n(f->s, k, STORE_META_N + 1, got),
	    STORE_ERROR);
}

/*
 * Writes sent ahead (queue, store-pg-pipe.c): in order with what follows,
 * seen by the transaction's next read, committed with it in one trip or
 * gone with its rollback; a queued failure comes back from the next call
 * that waits and ends the transaction; more than fit in one pipeline all
 * land; outside a transaction a queued write runs at once.  A count of
 * rows it must change is checked, before COMMIT is sent.
 */
static void
test_queue(void **state)
{
	static const char *const k[] = { "audit_rows", "audit_mac" };
	struct fix		*f = *state;
	struct store		*s2;
	struct store_stmt	*ins, *st;
	struct store_val	 v[2], got[2];
	int			 i;

	RC(f->s, P->fresh(f->s, 6), STORE_OK);
	ok_exec(f->s, "CREATE TABLE q (x BIGINT PRIMARY KEY)");
	s2 = open_at(f->where, false, STORE_OK);
	ins = prep(f->s, "INSERT INTO q VALUES (?)");

	/* Outside a transaction: at once, as its own. */
	P->bind_int(ins, 1, 1);
	RC(f->s, P->queue(ins, -1), STORE_OK);
	assert_int_equal(one_int(s2, "SELECT count(*) FROM q"), 1);

	/* Seen by the next read; not by others until the commit. */
	RC(f->s, P->begin(f->s), STORE_OK);
	for (i = 2; i <= 4; i++) {
		P->bind_int(ins, 1, i);
		RC(f->s, P->queue(ins, -1), STORE_OK);
	}
	memset(v, 0, sizeof v);
	v[0].type = STORE_INT;
	v[0].i = 7;
	v[1].type = STORE_BLOB;
	v[1].p = "head";
	v[1].n = 4;
	RC(f->s, P->meta_put_n(f->s, k, v, 2), STORE_OK);
	assert_int_equal(one_int(f->s, "SELECT CAST(sum(x) AS BIGINT) FROM q"), 10);
	RC(f->s, P->meta_get_n(f->s, k, 2, got), STORE_OK);
	assert_int_equal(got[0].i, 7);
	assert_int_equal(one_int(s2, "SELECT count(*) FROM q"), 1);
	P->bind_int(ins, 1, 5);
	RC(f->s, P->queue(ins, -1), STORE_OK);
	RC(f->s, P->commit(f->s), STORE_OK);
	assert_false(P->in_tx(f->s));
	assert_int_equal(one_int(s2, "SELECT CAST(sum(x) AS BIGINT) FROM q"), 15);
	assert_int_equal(one_int(s2, "SELECT i FROM meta"
	    " WHERE k = 'audit_rows'"), 7);

	/* Rolled back: nothing of it. */
	RC(f->s, P->begin(f->s), STORE_OK);
	P->bind_int(ins, 1, 6);
	RC(f->s, P->queue(ins, -1), STORE_OK);
	P->rollback(f->s);
	assert_false(P->in_tx(f->s));
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM q"), 5);

	/*
	 * A queued failure (a duplicate key) comes back from the next step,
	 * with its own code and message; the rest of the pipeline is
	 * skipped and the commit writes nothing.
	 */
	RC(f->s, P->begin(f->s), STORE_OK);
	P->bind_int(ins, 1, 7);
	RC(f->s, P->queue(ins, -1), STORE_OK);
	P->bind_int(ins, 1, 3);
	RC(f->s, P->queue(ins, -1), STORE_OK);
	P->bind_int(ins, 1, 8);
	RC(f->s, P->queue(ins, -1), STORE_OK);
	st = prep(f->s, "SELECT count(*) FROM q");
	assert_int_equal(P->step(st), STORE_CONSTRAINT);
	assert_non_null(strstr(P->errmsg(f->s), "duplicate key"));
	P->finalize(st);
	assert_true(P->in_tx(f->s));
	assert_int_equal(P->commit(f->s), STORE_ERROR);
	assert_false(P->in_tx(f->s));
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM q"), 5);

	/* A queued failure at commit: the commit fails, nothing written. */
	RC(f->s, P->begin(f->s), STORE_OK);
	P->bind_int(ins, 1, 9);
	RC(f->s, P->queue(ins, -1), STORE_OK);
	P->bind_int(ins, 1, 1);
	RC(f->s, P->queue(ins, -1), STORE_OK);
	assert_int_equal(P->commit(f->s), STORE_CONSTRAINT);
	assert_false(P->in_tx(f->s));
	assert_int_equal(one_int(f->s, "SELECT count(*) FROM q"), 5);
	/* ... and the connection goes on. */
	RC(f->s, P->begin(f->s), STORE_OK);
	P->bind_int(ins, 1, 9);
	RC(f->s, P->queue(ins, -1), STORE_OK);
	RC(f->s, P->commit(f->s), STORE_OK);
	assert_int_equal(one_int(s2, "SELECT count(*) FROM q"), 6);

	/* More than one pipeline holds, and a savepoint among them. */
	RC(f->s, P->begin(f->s), STORE_OK);
	for (i = 100; i < 100 + 3 * PG_PIPE_MAX; i++) {
		P->bind_int(ins, 1, i);
		RC(f->s, P->queue(ins, -1), STORE_OK);
	}
	ok_exec(f->s, "SAVEPOINT step");
	P->bind_int(ins, 1, 99);
	RC(f->s, P->queue(ins, -1), STORE_OK);
	ok_exec(f->s, "ROLLBACK TO step");
	RC(f->s, P->commit(f->s), STORE_OK);
	assert_int_equal(one_int(s2, "SELECT count(*) FROM q"),
	    6 + 3 * PG_PIPE_MAX);
	assert_int_equal(one_int(s2, "SELECT count(*) FROM q WHERE x = 99"),
	    0);

	/*
	 * A write that must change one row and changes none: the next call
	 * says so, and so does a commit, which then writes nothing.
	 */
	st = prep(f->s, "UPDATE q SET x = x WHERE x = ?");
	RC(f->s, P->begin(f->s), STORE_OK);
	P->bind_int(st, 1, 1);
	RC(f->s, P->queue(st, 1), STORE_OK);
	P->bind_int(st, 1, -1);
	RC(f->s, P->queue(st, 1), STORE_OK);
	assert_int_equal(P->exec(f->s, "SELECT 1"), STORE_MISMATCH);
	assert_non_null(strstr(P->errmsg(f->s), "changed 0 rows, not 1"));
	P->rollback(f->s);
	RC(f->s, P->begin(f->s), STORE_OK);
	P->bind_int(ins, 1, 10);
	RC(f->s, P->queue(ins, -1), STORE_OK);
	P->bind_int(st, 1, -1);
	RC(f->s, P->queue(st, 1), STORE_OK);
	assert_int_equal(P->commit(f->s), STORE_MISMATCH);
	assert_false(P->in_tx(f->s));
	assert_int_equal(one_int(s2, "SELECT count(*) FROM q WHERE x = 10"),
	    0);
	/* Outside a transaction the count is checked at once. */
	P->bind_int(st, 1, -1);
	assert_int_equal(P->queue(st, 1), STORE_MISMATCH);
	P->bind_int(st, 1, 2);
	RC(f->s, P->queue(st, 1), STORE_OK);
	P->finalize(st);
	P->finalize(ins);
	P->close(s2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_params),
		T(test_values),
		T(test_nested),
		T(test_retype),
		T(test_changes),
		T(test_errors),
		T(test_dead),
		T(test_meta),
		T(test_meta_n),
		T(test_version_fresh),
		T(test_open_refused),
		T(test_tx),
		T(test_conflict),
		T(test_changed),
		T(test_id_floor),
		T(test_queue),
#undef T
	};

	base = getenv("REDOUBT_TEST_PG");
	if (base == NULL || *base == '\0') {
		fprintf(stderr, "test-store-pg: REDOUBT_TEST_PG is not set: "
		    "run make test-pg-unit, which starts a server for it\n");
		return 1;
	}
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("store-pg", tests, NULL, NULL);
}
