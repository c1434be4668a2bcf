/*
 * test-vault-fix.h: the fixture the vault tests share: a fresh test-KDF
 * vault per test, reopening and closing it, adding users and methods, and
 * reading or tampering with the file through SQLite directly.  Helpers are
 * static inline so each test file takes what it uses.
 */
#ifndef RD_TEST_VAULT_FIX_H
#define RD_TEST_VAULT_FIX_H

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

static inline int
setup(void **state)
{
	struct fix	*f = calloc(1, sizeof *f);

	if (f == NULL || (f->dir = harness_tmpdir()) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/vault.db", f->dir);
	*state = f;
	return vault_create(f->path, PASS, PASSLEN, VAULT_KDF_TEST, NULL, &f->v,
	    &err) == RD_OK ? 0 : -1;
}

static inline int
teardown(void **state)
{
	struct fix	*f = *state;

	vault_close(f->v);
	harness_rmdir(f->dir);
	free(f);
	return 0;
}

static inline void
reopen(struct fix *f, const char *pass)
{
	vault_close(f->v);
	f->v = NULL;
	if (vault_open(f->path, pass, strlen(pass), &f->v, &err) != RD_OK)
		fail_msg("reopen: %s", err.msg);
}

/* Close the vault so its data is in the main file, with no -wal/-shm. */
static inline void
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

static inline int64_t
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

static inline int64_t
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
static inline uint8_t *
read_all(const char *path, size_t *len)
{
	struct stat	sb;

	*len = stat(path, &sb) == 0 ? (size_t)sb.st_size : 0;
	return (uint8_t *)harness_slurp(path);
}

static inline void
write_all(const char *path, const void *p, size_t len)
{
	FILE	*fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(p, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* Assert that the file is byte for byte what was read before. */
static inline void
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

static inline bool
contains(const uint8_t *hay, size_t n, const char *needle)
{
	size_t	m = strlen(needle), i;

	for (i = 0; i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return true;
	return false;
}

static inline int
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
static inline int64_t
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
static inline enum rd_code
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

#endif
