/*
 * test-sesstok.c: sessions of `redoubt unlock` on an injected clock: a
 * token opens its vault without the passphrase and refreshes its idle
 * time; idle and absolute expiry end it (and delete its file); a wrong
 * key, a damaged file, a token of another vault and a passphrase changed
 * since are refused as bad_passphrase; files are 0600 in a 0700 folder,
 * and a folder others may enter is not used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/ctx.h"
#include "../../src/sesstok.h"
#include "../../vault/vault.h"

struct fix {
	char			*dir;
	char			 run[256], path[256], other[256];
	struct harness_env	 henv;
	struct rd_ctx		 ctx;
};

static int
setup(void **state)
{
	struct fix	*f = calloc(1, sizeof *f);
	struct rd_err	 err;
	struct vault	*v;

	f->dir = harness_tmpdir();
	snprintf(f->run, sizeof f->run, "%s/run", f->dir);
	assert_int_equal(mkdir(f->run, 0700), 0);
	setenv("XDG_RUNTIME_DIR", f->run, 1);
	snprintf(f->path, sizeof f->path, "%s/v.db", f->dir);
	snprintf(f->other, sizeof f->other, "%s/o.db", f->dir);
	harness_env_init(&f->henv, 1800000000);
	assert_int_equal(vault_create(f->other, "pw", 2, VAULT_KDF_TEST, NULL,
	    &v, &err), RD_OK);
	vault_close(v);
	assert_int_equal(vault_create(f->path, "pw", 2, VAULT_KDF_TEST, NULL,
	    &f->ctx.vault, &err), RD_OK);
	f->ctx.env = &f->henv.env;
	f->ctx.vault_path = f->path;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*f = *state;

	vault_close(f->ctx.vault);
	harness_rmdir(f->dir);
	free(f);
	return 0;
}

static enum rd_code
open_at(struct fix *f, const char *path, const char *tok, int64_t now,
    struct rd_err *err)
{
	struct vault	*v = NULL;
	enum rd_code	 rc;

	f->henv.now = now;
	rc = sesstok_open(path, &f->henv.env, tok, &v, err);
	assert_true(rc == RD_OK ? v != NULL : v == NULL);
	vault_close(v);
	return rc;
}

static char *
file_of(struct fix *f, const char *tok)
{
	static char	name[512];

	snprintf(name, sizeof name, "%s/redoubt/%.32s", f->run, tok);
	return name;
}

static void
test_idle_and_refresh(void **state)
{
	struct fix	*f = *state;
	struct rd_err	 err;
	struct stat	 sb;
	char		 tok[SESSTOK_MAX];
	int64_t		 t0 = f->henv.now, exp;

	assert_int_equal(sesstok_start(&f->ctx, 900, 28800, tok, &exp, &err),
	    RD_OK);
	assert_int_equal(exp, t0 + 900);
	assert_int_equal(stat(file_of(f, tok), &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(stat(f->run, &sb), 0);
	snprintf(f->run + strlen(f->run), 16, "/redoubt");
	assert_int_equal(stat(f->run, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	f->run[strlen(f->run) - 8] = '\0';

	/* Used every 800 s: the idle time starts again each time. */
	assert_int_equal(open_at(f, f->path, tok, t0 + 800, &err), RD_OK);
	assert_int_equal(open_at(f, f->path, tok, t0 + 1600, &err), RD_OK);
	assert_int_equal(open_at(f, f->path, tok, t0 + 2400, &err), RD_OK);
	/* Then idle for 15 minutes: over, and its file gone. */
	assert_int_equal(open_at(f, f->path, tok, t0 + 3300, &err),
	    RD_BAD_PASSPHRASE);
	assert_non_null(strstr(err.msg, "idle for 15 minutes"));
	assert_int_not_equal(stat(file_of(f, tok), &sb), 0);
	assert_int_equal(open_at(f, f->path, tok, t0 + 3301, &err),
	    RD_BAD_PASSPHRASE);
	assert_non_null(strstr(err.msg, "has ended"));
}

static void
test_max(void **state)
{
	struct fix	*f = *state;
	struct rd_err	 err;
	char		 tok[SESSTOK_MAX];
	int64_t		 t0 = f->henv.now, exp, t;

	assert_int_equal(sesstok_start(&f->ctx, 600, 3600, tok, &exp, &err),
	    RD_OK);
	for (t = t0 + 500; t < t0 + 3600; t += 500)
		assert_int_equal(open_at(f, f->path, tok, t, &err), RD_OK);
	assert_int_equal(open_at(f, f->path, tok, t0 + 3600, &err),
	    RD_BAD_PASSPHRASE);
	assert_non_null(strstr(err.msg, "at most 60 minutes"));
}

static void
test_refused(void **state)
{
	struct fix	*f = *state;
	struct rd_err	 err;
	char		 tok[SESSTOK_MAX], bad[SESSTOK_MAX];
	int64_t		 t0 = f->henv.now, exp;
	FILE		*fp;
	int		 c;

	assert_int_equal(sesstok_start(&f->ctx, 900, 28800, tok, &exp, &err),
	    RD_OK);
	/* Another key for the same file. */
	memcpy(bad, tok, sizeof bad);
	bad[40] = bad[40] == 'A' ? 'B' : 'A';
	assert_int_equal(open_at(f, f->path, bad, t0 + 1, &err),
	    RD_BAD_PASSPHRASE);
	assert_non_null(strstr(err.msg, "does not open this vault"));
	/* Not a token at all. */
	assert_int_equal(open_at(f, f->path, "nonsense", t0 + 1, &err),
	    RD_BAD_PASSPHRASE);
	assert_non_null(strstr(err.msg, "not a session"));
	/* Another vault. */
	assert_int_equal(open_at(f, f->other, tok, t0 + 1, &err),
	    RD_BAD_PASSPHRASE);
	assert_non_null(strstr(err.msg, "another vault"));
	/* Still good for its own. */
	assert_int_equal(open_at(f, f->path, tok, t0 + 2, &err), RD_OK);
	/* One byte of the sealed part changed. */
	fp = fopen(file_of(f, tok), "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 100, SEEK_SET), 0);
	c = fgetc(fp);
	assert_int_equal(fseek(fp, 100, SEEK_SET), 0);
	fputc(c ^ 1, fp);
	fclose(fp);
	assert_int_equal(open_at(f, f->path, tok, t0 + 3, &err),
	    RD_BAD_PASSPHRASE);
	assert_non_null(strstr(err.msg, "does not open this vault"));
}

static void
test_epoch(void **state)
{
	struct fix	*f = *state;
	struct rd_err	 err;
	char		 tok[SESSTOK_MAX];
	int64_t		 t0 = f->henv.now, exp;

	assert_int_equal(sesstok_start(&f->ctx, 900, 28800, tok, &exp, &err),
	    RD_OK);
	assert_int_equal(open_at(f, f->path, tok, t0 + 1, &err), RD_OK);
	assert_int_equal(vault_rekey(f->ctx.vault, "new pw", 6, &err), RD_OK);
	assert_int_equal(open_at(f, f->path, tok, t0 + 2, &err),
	    RD_BAD_PASSPHRASE);
	assert_non_null(strstr(err.msg, "passphrase changed"));
}

static void
test_end(void **state)
{
	struct fix	*f = *state;
	struct rd_err	 err;
	char		 a[SESSTOK_MAX], b[SESSTOK_MAX];
	int64_t		 exp;
	int		 n;

	assert_int_equal(sesstok_start(&f->ctx, 900, 28800, a, &exp, &err),
	    RD_OK);
	assert_int_equal(sesstok_start(&f->ctx, 900, 28800, b, &exp, &err),
	    RD_OK);
	assert_int_equal(sesstok_end(a, &err), RD_OK);
	assert_int_equal(sesstok_end(a, &err), RD_NOT_FOUND);
	assert_int_equal(open_at(f, f->path, b, f->henv.now, &err), RD_OK);
	assert_int_equal(sesstok_end_all(f->other, &n, &err), RD_OK);
	assert_int_equal(n, 0);
	assert_int_equal(sesstok_end_all(f->path, &n, &err), RD_OK);
	assert_int_equal(n, 1);
	assert_int_equal(open_at(f, f->path, b, f->henv.now, &err),
	    RD_BAD_PASSPHRASE);
}

static void
test_open_folder(void **state)
{
	struct fix	*f = *state;
	struct rd_err	 err;
	char		*dir;

	/* A runtime folder others may enter is passed over for /tmp's. */
	assert_int_equal(chmod(f->run, 0755), 0);
	assert_int_equal(sesstok_dir(&dir, &err), RD_OK);
	assert_null(strstr(dir, f->run));
	assert_non_null(strstr(dir, "/tmp/redoubt-"));
	free(dir);
	assert_int_equal(chmod(f->run, 0700), 0);
	assert_int_equal(sesstok_dir(&dir, &err), RD_OK);
	assert_non_null(strstr(dir, f->run));
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_idle_and_refresh, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_epoch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_folder, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
