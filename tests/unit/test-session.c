/*
 * test-session.c: the session's own work that no command covers: reading
 * the configuration again while it runs (session_reload_config).  A good
 * file replaces the settings; a file with problems, or one gone, leaves
 * the settings in effect as they were and says why; a session on the
 * built-in defaults finds a file made since it started.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/config.h"
#include "../../src/session.h"

static void
write_file(const char *path, const char *text)
{
	FILE	*fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
test_reload_file(void **state)
{
	struct session_opts	 o = { 0 };
	struct session		*s;
	struct config		*kept;
	struct rd_err		 err;
	char			*dir = harness_tmpdir(), conf[256];

	(void)state;
	assert_non_null(dir);
	snprintf(conf, sizeof conf, "%s/redoubt.conf", dir);
	write_file(conf, "[redoubt]\nissuer = First Desk\n");
	o.config = conf;
	assert_int_equal(session_new(&o, "test", &s, &err), RD_OK);
	assert_string_equal(config_str(s->cfg, CK_ISSUER), "First Desk");

	write_file(conf, "[redoubt]\nissuer = Second Desk\nlockout_threshold "
	    "= 3\n");
	assert_int_equal(session_reload_config(s, &err), RD_OK);
	assert_string_equal(config_str(s->cfg, CK_ISSUER), "Second Desk");
	assert_int_equal(config_int(s->cfg, CK_LOCKOUT_THRESHOLD), 3);
	assert_ptr_equal(s->ctx.cfg, s->cfg);
	assert_string_equal(s->cfg_path, conf);

	/* Problems: the settings read before stay, and the first is named. */
	kept = s->cfg;
	write_file(conf, "[redoubt]\nissuer = Third Desk\nlockout_threshold "
	    "= lots\n");
	assert_int_equal(session_reload_config(s, &err), RD_CONFIG);
	assert_non_null(strstr(err.msg, "now has 1 problem, so the settings "
	    "read before stay in effect: "));
	assert_non_null(strstr(err.msg, "lockout_threshold"));
	assert_null(strstr(err.msg, "--check"));
	assert_ptr_equal(s->cfg, kept);
	assert_ptr_equal(s->ctx.cfg, kept);
	assert_string_equal(config_str(s->cfg, CK_ISSUER), "Second Desk");

	/* Two problems, counted. */
	write_file(conf, "[redoubt]\nlockout_threshold = lots\nnope = 1\n");
	assert_int_equal(session_reload_config(s, &err), RD_CONFIG);
	assert_non_null(strstr(err.msg, "now has 2 problems"));

	/* Gone: the same. */
	assert_int_equal(unlink(conf), 0);
	assert_int_equal(session_reload_config(s, &err), RD_CONFIG);
	assert_non_null(strstr(err.msg, "cannot be read"));
	assert_string_equal(config_str(s->cfg, CK_ISSUER), "Second Desk");

	/* Back, good again. */
	write_file(conf, "[redoubt]\nissuer = Fourth Desk\n");
	assert_int_equal(session_reload_config(s, &err), RD_OK);
	assert_string_equal(config_str(s->cfg, CK_ISSUER), "Fourth Desk");
	session_free(s);
	harness_rmdir(dir);
}

/* A session that started on a file with problems says they remain. */
static void
test_reload_still(void **state)
{
	struct session_opts	 o = { 0 };
	struct session		*s;
	struct rd_err		 err;
	char			*dir = harness_tmpdir(), conf[256];

	(void)state;
	snprintf(conf, sizeof conf, "%s/redoubt.conf", dir);
	write_file(conf, "[redoubt]\ncode_digits = many\n");
	o.config = conf;
	assert_int_equal(session_new(&o, "test", &s, &err), RD_CONFIG);
	assert_int_equal(session_reload_config(s, &err), RD_CONFIG);
	assert_non_null(strstr(err.msg, "still has 1 problem: "));
	write_file(conf, "[redoubt]\ncode_digits = 8\n");
	assert_int_equal(session_reload_config(s, &err), RD_OK);
	assert_int_equal(s->cfg->problems.n, 0);
	assert_int_equal(config_int(s->cfg, CK_CODE_DIGITS), 8);
	session_free(s);
	harness_rmdir(dir);
}

/* On the built-in defaults, a file made since is found by the search. */
static void
test_reload_found(void **state)
{
	struct session_opts	 o = { 0 };
	struct session		*s;
	struct rd_err		 err;
	char			*dir = harness_tmpdir(), path[256];
	struct stat		 sb;

	(void)state;
	if (stat("/etc/redoubt/redoubt.conf", &sb) == 0)
		skip();
	unsetenv("REDOUBT_CONFIG");
	setenv("XDG_CONFIG_HOME", dir, 1);
	assert_int_equal(session_new(&o, "test", &s, &err), RD_OK);
	assert_null(s->cfg_path);
	assert_string_equal(config_str(s->cfg, CK_ISSUER), "redoubt");
	assert_int_equal(session_reload_config(s, &err), RD_OK);
	assert_null(s->cfg_path);
	snprintf(path, sizeof path, "%s/redoubt", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/redoubt/redoubt.conf", dir);
	write_file(path, "[redoubt]\nissuer = Found Desk\n");
	assert_int_equal(session_reload_config(s, &err), RD_OK);
	assert_string_equal(s->cfg_path, path);
	assert_string_equal(config_str(s->cfg, CK_ISSUER), "Found Desk");
	session_free(s);
	harness_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reload_file),
		cmocka_unit_test(test_reload_still),
		cmocka_unit_test(test_reload_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
