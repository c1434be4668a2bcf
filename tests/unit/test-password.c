/*
 * test-password.c: the cost of user passwords (password_kdf).  A hash
 * made under moderate still verifies under interactive and is marked for
 * a rehash; a good login stores a new one at the interactive limits (read
 * back from the $argon2id$ string) with a "password rehash" row, a bad
 * login changes nothing; a vault made with the test KDF hashes at the
 * test limits whatever the setting; the config refuses other names.
 *
 * The core runs on the harness (injected clock and randomness) over a
 * vault made with the interactive KDF, since a test vault would hash
 * every password at the test limits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "harness.h"
#include "../../src/config.h"
#include "../../src/user.h"
#include "../../vault/vault.h"

#define OK(e)	assert_int_equal((e), RD_OK)

/* The memory (KiB) and passes of the user's stored hash. */
static void
stored_limits(struct harness_core *h, const char *name, long *m, long *t,
    char *hash, size_t size)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	const char	*s;

	OK(sqlite3_open_v2(h->path, &db, SQLITE_OPEN_READONLY, NULL));
	OK(sqlite3_prepare_v2(db, "SELECT pwhash FROM users WHERE name = ?",
	    -1, &st, NULL));
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	s = (const char *)sqlite3_column_text(st, 0);
	assert_non_null(s);
	snprintf(hash, size, "%s", s);
	assert_int_equal(sscanf(s, "$argon2id$v=19$m=%ld,t=%ld,p=1$", m, t),
	    2);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void
use_config(struct harness_core *h, const char *text)
{
	struct rd_err	err;

	config_free(h->cfg);
	OK(config_load_string(text, "test.conf", &h->cfg, &err));
	h->ctx.cfg = h->cfg;
}

static void
count_row(void *arg, const struct vault_audit *a)
{
	(void)a;
	(*(int *)arg)++;
}

static int
rehash_rows(struct harness_core *h)
{
	struct vault_audit_filter	f = { .action = "password rehash" };
	struct rd_err			err;
	int				n = 0;

	OK(vault_audit_list(h->ctx.vault, &f, count_row, &n, &err));
	return n;
}

static void
test_rehash_at_login(void **state)
{
	struct harness_core	h;
	struct vault_user	u;
	struct rd_err		err;
	char			before[VAULT_PWHASH_MAX], after[VAULT_PWHASH_MAX];
	long			m, t;
	bool			rehash;
	cJSON			*out;

	(void)state;
	harness_core_open(&h, "[redoubt]\npassword_kdf = moderate\n");
	/* The same place, a vault of a real cost. */
	vault_close(h.ctx.vault);
	unlink(h.path);
	OK(vault_create(h.path, "pw", 2, VAULT_KDF_INTERACTIVE, NULL,
	    &h.ctx.vault, &err));
	assert_int_equal(user_password_kdf(&h.ctx), VAULT_KDF_MODERATE);
	harness_answer(&h, "s3cret pw");
	OK(harness_run(&h, &err, "user", "add", "bob", "--password-stdin",
	    NULL));
	stored_limits(&h, "bob", &m, &t, before, sizeof before);
	assert_int_equal(m, crypto_pwhash_MEMLIMIT_MODERATE / 1024);
	assert_int_equal(t, crypto_pwhash_OPSLIMIT_MODERATE);

	/* It verifies under either setting; only interactive wants a new one. */
	OK(vault_user_get(h.ctx.vault, "bob", &u, &err));
	OK(vault_user_verify_password(h.ctx.vault, u.id, "s3cret pw", 9,
	    VAULT_KDF_MODERATE, &rehash, &err));
	assert_false(rehash);
	OK(vault_user_verify_password(h.ctx.vault, u.id, "s3cret pw", 9,
	    VAULT_KDF_INTERACTIVE, &rehash, &err));
	assert_true(rehash);
	vault_user_clear(&u);

	use_config(&h, "[redoubt]\npassword_kdf = interactive\n");
	/* A bad login: refused, and the hash is as it was. */
	harness_answer(&h, "not it");
	assert_int_equal(harness_cmd(&h, &out, "login", "bob", NULL),
	    RD_BAD_CREDENTIALS);
	cmd_result_free(out);
	stored_limits(&h, "bob", &m, &t, after, sizeof after);
	assert_string_equal(after, before);
	assert_int_equal(rehash_rows(&h), 0);

	/* A good one: the new hash at the interactive limits, one row. */
	harness_answer(&h, "s3cret pw");
	OK(harness_cmd(&h, &out, "login", "bob", NULL));
	assert_string_equal(harness_str(out, "status"), "ok");
	cmd_result_free(out);
	stored_limits(&h, "bob", &m, &t, after, sizeof after);
	assert_int_equal(m, crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024);
	assert_int_equal(t, crypto_pwhash_OPSLIMIT_INTERACTIVE);
	assert_string_not_equal(after, before);
	assert_int_equal(rehash_rows(&h), 1);

	/* The next good login leaves it; the row's MAC holds on reopening. */
	snprintf(before, sizeof before, "%s", after);
	harness_answer(&h, "s3cret pw");
	OK(harness_cmd(&h, &out, "login", "bob", NULL));
	cmd_result_free(out);
	stored_limits(&h, "bob", &m, &t, after, sizeof after);
	assert_string_equal(after, before);
	assert_int_equal(rehash_rows(&h), 1);
	harness_core_reopen(&h);
	harness_answer(&h, "s3cret pw");
	OK(harness_cmd(&h, &out, "login", "bob", NULL));
	cmd_result_free(out);
	harness_core_close(&h);
}

static void
test_test_vault(void **state)
{
	struct harness_core	h;
	struct rd_err		err;
	char			hash[VAULT_PWHASH_MAX];
	long			m, t;

	(void)state;
	harness_core_open(&h, "[redoubt]\npassword_kdf = sensitive\n");
	OK(vault_password_hash(h.ctx.vault, VAULT_KDF_SENSITIVE, "pw", 2, hash,
	    &err));
	assert_int_equal(sscanf(hash, "$argon2id$v=19$m=%ld,t=%ld,p=1$", &m,
	    &t), 2);
	assert_int_equal(m, crypto_pwhash_MEMLIMIT_MIN / 1024);
	assert_int_equal(t, crypto_pwhash_OPSLIMIT_MIN);
	harness_core_close(&h);
}

static void
test_config(void **state)
{
	struct config	*cfg = NULL;
	struct rd_err	 err;

	(void)state;
	OK(config_load_string("", "test.conf", &cfg, &err));
	assert_string_equal(config_str(cfg, CK_PASSWORD_KDF), "interactive");
	config_free(cfg);
	OK(config_load_string("[redoubt]\npassword_kdf = sensitive\n",
	    "test.conf", &cfg, &err));
	config_free(cfg);
	cfg = NULL;
	assert_int_equal(config_load_string("[redoubt]\npassword_kdf = fast\n",
	    "test.conf", &cfg, &err), RD_CONFIG);
	assert_non_null(strstr(err.msg, "password_kdf"));
	assert_non_null(strstr(err.msg, "fast"));
	config_free(cfg);
	cfg = NULL;
	/* test is for vaults made by test suites, not a setting. */
	assert_int_equal(config_load_string("[redoubt]\npassword_kdf = test\n",
	    "test.conf", &cfg, &err), RD_CONFIG);
	config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rehash_at_login),
		cmocka_unit_test(test_test_vault),
		cmocka_unit_test(test_config),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("password", tests, NULL, NULL);
}
