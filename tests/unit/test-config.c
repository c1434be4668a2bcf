/*
 * test-config.c: redoubt.conf (DESIGN.md §5) through config.h.  The
 * built-in methods and [redoubt] defaults, when a file keeps or replaces
 * the built-in methods, custom method names, every kind of problem named
 * with file, line and section (one at a time and all together in one
 * file, counted), env:NAME values, secrets masked by config_dump, the
 * validity fallback and the lookup order of config_find.  Files are
 * written into a temporary directory and read with config_load; text is
 * also fed to config_load_string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "../../backends/backend.h"
#include "../../src/config.h"
#include "../../src/util.h"

#define UNSET_VAR	"RD_TEST_SURELY_UNSET_42"

static char	*tmp;	/* this run's directory */

static int
group_setup(void **state)
{
	(void)state;
	unsetenv(UNSET_VAR);
	return (tmp = harness_tmpdir()) == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	harness_rmdir(tmp);
	return 0;
}

/* Write text to tmp/name; returns the path (free it). */
static char *
put_file(const char *name, const char *text)
{
	char	*path = xasprintf("%s/%s", tmp, name);
	FILE	*fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static struct config *
load_ok(const char *text)
{
	struct config	*cfg = NULL;
	struct rd_err	 err;

	if (config_load_string(text, "t.conf", &cfg, &err) != RD_OK)
		fail_msg("config: %s", err.msg);
	assert_non_null(cfg);
	assert_int_equal(cfg->problems.n, 0);
	return cfg;
}

static void
dump_problems(const struct config *cfg)
{
	size_t	i;

	for (i = 0; i < cfg->problems.n; i++)
		print_message("  problem: %s\n", cfg->problems.list[i]);
}

/* Some problem holds every one of a, b, c (NULL: any). */
static void
expect_problem(const struct config *cfg, const char *a, const char *b,
    const char *c)
{
	size_t	i;

	for (i = 0; i < cfg->problems.n; i++)
		if (strstr(cfg->problems.list[i], a) != NULL &&
		    (b == NULL || strstr(cfg->problems.list[i], b) != NULL) &&
		    (c == NULL || strstr(cfg->problems.list[i], c) != NULL))
			return;
	dump_problems(cfg);
	fail_msg("no problem with '%s' '%s' '%s'", a, b ? b : "", c ? c : "");
}

static void
check_builtin(const struct config *cfg)
{
	const struct method_cfg	*m;

	assert_int_equal(cfg->nmethods, 3);
	assert_non_null(m = config_method(cfg, "app"));
	assert_string_equal(m->handler->name, "totp");
	assert_null(method_source_field(m));
	assert_string_equal(harness_cfg(&(m)->own, "algorithm"), "sha1");
	assert_int_equal(harness_cfg_int(&(m)->own, "digits"), 6);
	assert_int_equal(harness_cfg_int(&(m)->own, "period"), 30);
	assert_int_equal(harness_cfg_int(&(m)->own, "window"), 1);
	assert_int_equal(method_int(m, MK_TIMEOUT), 15);
	assert_int_equal(method_validity(m), config_int(cfg, CK_DEFAULT_VALIDITY_PERIOD));
	assert_non_null(m = config_method(cfg, "email"));
	assert_string_equal(m->handler->name, "outbox");
	assert_string_equal(method_source_field(m), "email");
	assert_non_null(m = config_method(cfg, "sms"));
	assert_string_equal(m->handler->name, "outbox");
	assert_string_equal(method_source_field(m), "phone");
	assert_null(config_method(cfg, "yubikey"));
}

static void
test_builtin_defaults(void **state)
{
	struct config	*cfg = NULL;
	struct rd_err	 err;
	const char	*chars;

	(void)state;
	assert_int_equal(config_load(NULL, &cfg, &err), RD_OK);
	assert_null(cfg->path);
	assert_int_equal(cfg->problems.n, 0);
	check_builtin(cfg);
	assert_string_equal(config_str(cfg, CK_ISSUER), "redoubt");
	assert_int_equal(config_int(cfg, CK_BACKUP_CODES_QUANTITY), 10);
	assert_int_equal(config_int(cfg, CK_BACKUP_CODES_LENGTH), 10);
	chars = config_str(cfg, CK_BACKUP_CODES_CHARACTERS);
	assert_non_null(chars);
	assert_true(strlen(chars) >= 20);
	/* Lower-case letters and digits, without look-alikes. */
	assert_int_equal(strspn(chars, "abcdefghijklmnopqrstuvwxyz0123456789"),
	    strlen(chars));
	assert_null(strpbrk(chars, "0o1lI"));
	assert_int_equal(config_int(cfg, CK_SECRET_LENGTH), 20);
	assert_int_equal(config_int(cfg, CK_DEFAULT_VALIDITY_PERIOD), 600);
	assert_int_equal(config_int(cfg, CK_CODE_DIGITS), 6);
	assert_int_equal(config_int(cfg, CK_CODE_ATTEMPTS), 5);
	assert_true(config_bool(cfg, CK_CONFIRM_DISABLE_WITH_CODE));
	assert_true(config_bool(cfg, CK_CONFIRM_BACKUP_CODES_REGENERATION_WITH_CODE));
	assert_true(config_bool(cfg, CK_ALLOW_BACKUP_CODES_REGENERATION));
	assert_true(config_bool(cfg, CK_REQUIRE_CODE_TO_ADD));
	assert_int_equal(config_int(cfg, CK_EPHEMERAL_TOKEN_LIFETIME), 300);
	assert_int_equal(config_int(cfg, CK_LOCKOUT_THRESHOLD), 5);
	assert_int_equal(config_int(cfg, CK_LOCKOUT_SECONDS), 60);
	assert_int_equal(config_int(cfg, CK_RESEND_COOLDOWN), 30);
	assert_int_equal(method_validity(config_method(cfg, "sms")), 600);
	config_free(cfg);

	/* Empty text is the same as no file. */
	cfg = load_ok("");
	check_builtin(cfg);
	config_free(cfg);
}

static void
test_redoubt_only_keeps_methods(void **state)
{
	struct config	*cfg = NULL;
	struct rd_err	 err;
	char		*path;

	(void)state;
	path = put_file("main-only.conf", "; site settings\n[redoubt]\n"
	    "issuer = Acme Help Desk\nlockout_threshold = 3\n"
	    "confirm_disable_with_code = false\nresend_cooldown = 0\n");
	assert_int_equal(config_load(path, &cfg, &err), RD_OK);
	assert_string_equal(cfg->path, path);
	check_builtin(cfg);
	assert_string_equal(config_str(cfg, CK_ISSUER), "Acme Help Desk");
	assert_int_equal(config_int(cfg, CK_LOCKOUT_THRESHOLD), 3);
	assert_false(config_bool(cfg, CK_CONFIRM_DISABLE_WITH_CODE));
	assert_int_equal(config_int(cfg, CK_RESEND_COOLDOWN), 0);
	assert_int_equal(config_int(cfg, CK_LOCKOUT_SECONDS), 60);
	config_free(cfg);
	free(path);
}

static void
test_methods_replace(void **state)
{
	struct config		*cfg = NULL;
	struct rd_err		 err;
	const struct method_cfg	*m;
	char			*path;

	(void)state;
	path = put_file("methods.conf", "[redoubt]\n"
	    "default_validity_period = 900\n"
	    "[method.work-email]\nhandler = outbox\n"
	    "verbose_name = Work e-mail\nvalidity_period = 120\n"
	    "[method.my_app.2]\nhandler = totp\nalgorithm = sha256\n"
	    "digits = 8\n"
	    "[method.Desk-Phone]\nhandler = outbox\nsource_field = phone\n");
	assert_int_equal(config_load(path, &cfg, &err), RD_OK);
	assert_int_equal(cfg->nmethods, 3);
	assert_null(config_method(cfg, "app"));
	assert_null(config_method(cfg, "email"));
	assert_null(config_method(cfg, "sms"));

	assert_non_null(m = config_method(cfg, "work-email"));
	assert_string_equal(m->name, "work-email");
	assert_string_equal(method_verbose_name(m), "Work e-mail");
	assert_string_equal(method_source_field(m), "email");
	assert_int_equal(method_validity(m), 120);
	assert_int_equal(cfg_line(&m->common, MK_VALIDITY_PERIOD), 6);
	assert_int_equal(cfg_line(&m->common, MK_TIMEOUT), m->line);

	assert_non_null(m = config_method(cfg, "my_app.2"));
	assert_string_equal(m->handler->name, "totp");
	assert_string_equal(method_verbose_name(m), "my_app.2");
	assert_string_equal(harness_cfg(&(m)->own, "algorithm"), "sha256");
	assert_int_equal(harness_cfg_int(&(m)->own, "digits"), 8);
	assert_int_equal(harness_cfg_int(&(m)->own, "period"), 30);

	assert_non_null(m = config_method(cfg, "Desk-Phone"));
	assert_string_equal(method_source_field(m), "phone");
	/* No validity_period: the [redoubt] default of this file. */
	assert_int_equal(method_validity(m), 900);
	config_free(cfg);
	free(path);
}

/* One problem per text: the line, section and key it must name. */
static void
test_each_problem(void **state)
{
	static const struct {
		const char	*text;
		const char	*where, *what, *detail;
	} bad[] = {
	    { "[redoubt]\nissuer = x\ncolour = blue\n",
	      "t.conf:3: [redoubt]", "colour", "unknown key" },
	    { "[method.app]\nhandler = totp\nflavour = mint\n",
	      "t.conf:3: [method.app]", "flavour", "totp" },
	    { "[redoubt]\n\nlockout_threshold = five\n",
	      "t.conf:3: [redoubt]", "lockout_threshold", "'five'" },
	    { "[redoubt]\nlockout_threshold = 12abc\n",
	      "t.conf:2: [redoubt]", "lockout_threshold", "12abc" },
	    { "[redoubt]\nlockout_threshold = 0\n",
	      "t.conf:2: [redoubt]", "lockout_threshold", "from 1 to 1000" },
	    { "[redoubt]\nresend_cooldown = 3601\n",
	      "t.conf:2: [redoubt]", "resend_cooldown", "3601" },
	    { "[method.a]\nhandler = totp\ndigits = 9\n",
	      "t.conf:3: [method.a]", "digits", "9" },
	    { "[method.a]\nhandler = outbox\nvalidity_period = 29\n",
	      "t.conf:3: [method.a]", "validity_period", "29" },
	    { "[redoubt]\nrequire_code_to_add = maybe\n",
	      "t.conf:2: [redoubt]", "require_code_to_add", "maybe" },
	    { "[method.app]\nhandler = totp\nalgorithm = md5\n",
	      "t.conf:3: [method.app]", "algorithm", "md5" },
	    { "[method.a]\nhandler = outbox\nsource_field = fax\n",
	      "t.conf:3: [method.a]", "source_field", "fax" },
	    { "[method.pigeon]\nverbose_name = P\nhandler = carrier_pigeon\n",
	      "t.conf:3: [method.pigeon]", "handler", "carrier_pigeon" },
	    { "[redoubt]\nissuer = a\nresend_cooldown = 5\nissuer = b\n",
	      "t.conf:4: [redoubt]", "issuer", "line 2" },
	    { "[method.a]\nhandler = totp\nwindow = 2\nwindow = 3\n",
	      "t.conf:4: [method.a]", "window", "line 3" },
	    { "[redoubt]\nissuer = env:" UNSET_VAR "\n",
	      "t.conf:2: [redoubt]", "issuer", UNSET_VAR },
	    { "[method.a]\nhandler = totp\nalgorithm = env:" UNSET_VAR "\n",
	      "t.conf:3: [method.a]", "algorithm", UNSET_VAR },
	};
	struct config	*cfg;
	struct rd_err	 err;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cfg = NULL;
		rd_err_clear(&err);
		assert_int_equal(config_load_string(bad[i].text, "t.conf", &cfg,
		    &err), RD_CONFIG);
		assert_int_equal(err.code, RD_CONFIG);
		assert_non_null(cfg);
		if (cfg->problems.n != 1) {
			dump_problems(cfg);
			fail_msg("case %zu: %zu problems", i, cfg->problems.n);
		}
		expect_problem(cfg, bad[i].where, bad[i].what, bad[i].detail);
		assert_non_null(strstr(err.msg, cfg->problems.list[0]));
		config_free(cfg);
	}
}

/* Problems of a whole section are named at its [header] line. */
static void
test_section_problems(void **state)
{
	struct config	*cfg = NULL;

	(void)state;
	assert_int_equal(config_load_string("[redoubt]\nissuer = x\n\n"
	    "[extras]\nkey = 1\n[empty]\n", "t.conf", &cfg, NULL), RD_CONFIG);
	assert_int_equal(cfg->problems.n, 2);
	expect_problem(cfg, "t.conf:4: ", "unknown section [extras]", NULL);
	expect_problem(cfg, "t.conf:6: ", "unknown section [empty]", NULL);
	check_builtin(cfg);
	config_free(cfg);

	assert_int_equal(config_load_string("[method.ok]\nhandler = totp\n"
	    "[method.nohandler]\n; none\nverbose_name = N\n", "t.conf", &cfg,
	    NULL), RD_CONFIG);
	assert_int_equal(cfg->problems.n, 1);
	expect_problem(cfg, "t.conf:3: [method.nohandler]", "handler is "
	    "missing", NULL);
	assert_int_equal(cfg->nmethods, 1);
	assert_null(config_method(cfg, "nohandler"));
	config_free(cfg);

	/* An empty [method.*] still replaces the built-in methods. */
	assert_int_equal(config_load_string("[redoubt]\n[method.bare]\n",
	    "t.conf", &cfg, NULL), RD_CONFIG);
	assert_int_equal(cfg->problems.n, 1);
	expect_problem(cfg, "t.conf:2: [method.bare]", "handler", NULL);
	assert_int_equal(cfg->nmethods, 0);
	config_free(cfg);

	assert_int_equal(config_load_string("[method.bad name]\n"
	    "handler = totp\n", "t.conf", &cfg, NULL), RD_CONFIG);
	assert_int_equal(cfg->problems.n, 1);
	expect_problem(cfg, "t.conf:1: [method.bad name]", "method name",
	    NULL);
	config_free(cfg);
}

static void
test_all_problems_counted(void **state)
{
	struct config	*cfg = NULL;
	struct rd_err	 err;
	char		*path, at[600];
	size_t		 i;

	(void)state;
	path = put_file("broken.conf",
	    "[redoubt]\n"				/*  1 */
	    "issuer = Acme\n"				/*  2 */
	    "colour = blue\n"				/*  3 unknown key */
	    "lockout_threshold = five\n"		/*  4 bad integer */
	    "lockout_seconds = 0\n"			/*  5 out of bounds */
	    "require_code_to_add = maybe\n"		/*  6 bad boolean */
	    "issuer = Other\n"				/*  7 duplicate */
	    "resend_cooldown = env:" UNSET_VAR "\n"	/*  8 unset env */
	    "[method.app]\n"				/*  9 */
	    "handler = totp\n"				/* 10 */
	    "algorithm = md5\n"				/* 11 bad enum */
	    "flavour = mint\n"				/* 12 unknown key */
	    "[method.pigeon]\n"				/* 13 */
	    "handler = carrier_pigeon\n"		/* 14 unknown handler */
	    "[method.work-email]\n"			/* 15 */
	    "handler = outbox\n"			/* 16 */
	    "validity_period = 10\n"			/* 17 out of bounds */
	    "[extras]\n"				/* 18 unknown section */
	    "key = 1\n"					/* 19 */
	    "[method.nohandler]\n"			/* 20 missing handler */
	    "verbose_name = N\n");			/* 21 */
	assert_int_equal(config_load(path, &cfg, &err), RD_CONFIG);
	assert_int_equal(err.code, RD_CONFIG);
	assert_non_null(strstr(err.msg, "more"));
	if (cfg->problems.n != 12)
		dump_problems(cfg);
	assert_int_equal(cfg->problems.n, 12);
	for (i = 0; i < cfg->problems.n; i++)
		assert_true(str_has_prefix(cfg->problems.list[i], path));
#define AT(n)	(snprintf(at, sizeof at, "%s:%d: ", path, (n)), at)
	expect_problem(cfg, AT(3), "[redoubt]", "colour");
	expect_problem(cfg, AT(4), "[redoubt]", "lockout_threshold");
	expect_problem(cfg, AT(5), "[redoubt]", "lockout_seconds");
	expect_problem(cfg, AT(6), "[redoubt]", "require_code_to_add");
	expect_problem(cfg, AT(7), "[redoubt]", "issuer");
	expect_problem(cfg, AT(8), "[redoubt]", UNSET_VAR);
	expect_problem(cfg, AT(11), "[method.app]", "md5");
	expect_problem(cfg, AT(12), "[method.app]", "flavour");
	expect_problem(cfg, AT(14), "[method.pigeon]", "carrier_pigeon");
	expect_problem(cfg, AT(17), "[method.work-email]", "validity_period");
	expect_problem(cfg, AT(18), "unknown section [extras]", NULL);
	expect_problem(cfg, AT(20), "[method.nohandler]", "handler is missing");
#undef AT
	/* Bad values fall back to defaults; good sections still load. */
	assert_int_equal(config_int(cfg, CK_LOCKOUT_THRESHOLD), 5);
	assert_int_equal(config_int(cfg, CK_LOCKOUT_SECONDS), 60);
	assert_int_equal(cfg->nmethods, 2);
	assert_string_equal(harness_cfg(&config_method(cfg, "app")->own,
	    "algorithm"), "sha1");
	assert_null(config_method(cfg, "pigeon"));
	config_free(cfg);
	free(path);

	/* A file that cannot be read is a problem, not a crash. */
	path = xasprintf("%s/absent.conf", tmp);
	cfg = NULL;
	assert_int_equal(config_load(path, &cfg, &err), RD_CONFIG);
	assert_non_null(cfg);
	assert_true(cfg->problems.n >= 1);
	assert_non_null(strstr(cfg->problems.list[0], path));
	config_free(cfg);
	free(path);
}

static void
test_env_values(void **state)
{
	struct config	*cfg;

	(void)state;
	setenv("RD_TEST_ISSUER", "Acme = Corp; [x]", 1);
	setenv("RD_TEST_WINDOW", "3", 1);
	cfg = load_ok("[redoubt]\nissuer = env:RD_TEST_ISSUER\n"
	    "[method.app]\nhandler = totp\nwindow = env:RD_TEST_WINDOW\n");
	assert_string_equal(config_str(cfg, CK_ISSUER), "Acme = Corp; [x]");
	assert_int_equal(harness_cfg_int(&config_method(cfg, "app")->own,
	    "window"), 3);
	config_free(cfg);

	/* A resolved value is checked like a written one. */
	setenv("RD_TEST_WINDOW", "eleven", 1);
	cfg = NULL;
	assert_int_equal(config_load_string("[method.app]\nhandler = totp\n"
	    "window = env:RD_TEST_WINDOW\n", "t.conf", &cfg, NULL), RD_CONFIG);
	/* The value of a variable may be a secret: it is named, not shown. */
	expect_problem(cfg, "t.conf:3: [method.app]", "window",
	    "$RD_TEST_WINDOW");
	for (size_t k = 0; k < cfg->problems.n; k++)
		assert_null(strstr(cfg->problems.list[k], "eleven"));
	config_free(cfg);
	unsetenv("RD_TEST_ISSUER");
	unsetenv("RD_TEST_WINDOW");
}

/* config_dump of text; the caller frees. */
static char *
dump(const char *text, struct config **cfgp)
{
	struct rd_buf	 b;
	struct config	*cfg = NULL;

	/* A config with problems is dumped too. */
	rd_ignore(config_load_string(text, "t.conf", &cfg, NULL));
	assert_non_null(cfg);
	rd_buf_init(&b, 0);
	config_dump(cfg, &b);
	if (cfgp != NULL)
		*cfgp = cfg;
	else
		config_free(cfg);
	return rd_buf_take(&b);
}

static void
test_dump_masks_secrets(void **state)
{
	struct config	*cfg;
	char		*out, *text, line[128];
	size_t		 i, k, nsecret = 0;

	(void)state;
	out = dump("", NULL);
	assert_non_null(strstr(out, "[redoubt]\n"));
	assert_non_null(strstr(out, "issuer = redoubt\n"));
	assert_non_null(strstr(out, "[method.app]\nhandler = totp\n"));
	assert_non_null(strstr(out, "source_field = phone\n"));
	free(out);

	/* Every secret key of every registered handler. */
	for (i = 0; cfg_handler_at(i) != NULL; i++) {
		const struct cfg_handler	*be = cfg_handler_at(i);

		for (k = 0; k < be->nkeys; k++) {
			if (!(be->keys[k].flags & CFG_SECRET))
				continue;
			nsecret++;
			text = xasprintf("[method.m]\nhandler = %s\n"
			    "%s = hush-%zu-%zu-value\n", be->name,
			    be->keys[k].name, i, k);
			out = dump(text, NULL);
			snprintf(line, sizeof line, "%s = ***\n",
			    be->keys[k].name);
			assert_non_null(strstr(out, line));
			assert_null(strstr(out, "hush-"));
			free(out);
			free(text);
		}
	}
	print_message("dump: %zu secret keys checked\n", nsecret);

	/*
	 * Twilio's defaults come from TWILIO_ACCOUNT_SID / _AUTH_TOKEN.  The
	 * handler is a colleague's; while it is not registered, skip.
	 */
	if (backend_find("sms_twilio") == NULL) {
		print_message("sms_twilio not registered: skipped\n");
		return;
	}
	setenv("TWILIO_ACCOUNT_SID", "AC0123456789abcdef", 1);
	setenv("TWILIO_AUTH_TOKEN", "tw-token-from-env", 1);
	out = dump("[method.sms]\nhandler = sms_twilio\nfrom = +15550001111\n",
	    &cfg);
	assert_int_equal(cfg->problems.n, 0);
	assert_string_equal(harness_cfg(&config_method(cfg, "sms")->own,
	    "auth_token"), "tw-token-from-env");
	assert_non_null(strstr(out, "auth_token = ***\n"));
	assert_non_null(strstr(out, "account_sid = AC0123456789abcdef\n"));
	assert_null(strstr(out, "tw-token-from-env"));
	free(out);
	config_free(cfg);
	unsetenv("TWILIO_ACCOUNT_SID");
	unsetenv("TWILIO_AUTH_TOKEN");
	out = dump("[method.sms]\nhandler = sms_twilio\nfrom = +15550001111\n",
	    &cfg);
	assert_int_equal(cfg->problems.n, 2);
	expect_problem(cfg, "t.conf:", "auth_token", "TWILIO_AUTH_TOKEN");
	expect_problem(cfg, "t.conf:", "account_sid", "TWILIO_ACCOUNT_SID");
	free(out);
	config_free(cfg);
}

/* Set or unset (v == NULL) an environment variable. */
static void
env_set(const char *k, const char *v)
{
	if (v != NULL)
		setenv(k, v, 1);
	else
		unsetenv(k);
}

static char *
env_save(const char *k)
{
	const char	*v = getenv(k);

	return v ? xstrdup(v) : NULL;
}

static void
test_config_find(void **state)
{
	static const char *const vars[] = { "REDOUBT_CONFIG",
	    "XDG_CONFIG_HOME", "HOME" };
	char		*saved[3], *xdg, *home, *file, *got, *sub;
	struct config	*cfg = NULL;
	struct rd_err	 err;
	size_t		 i;

	(void)state;
	for (i = 0; i < 3; i++)
		saved[i] = env_save(vars[i]);
	xdg = xasprintf("%s/xdg", tmp);
	home = xasprintf("%s/home", tmp);
	sub = xasprintf("%s/redoubt", xdg);
	assert_int_equal(mkdir(xdg, 0700), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	free(sub);
	file = put_file("xdg/redoubt/redoubt.conf", "[redoubt]\n"
	    "issuer = From XDG\n");
	env_set("HOME", home);

	/* An explicit path wins over everything. */
	env_set("REDOUBT_CONFIG", "/nonexistent/env.conf");
	env_set("XDG_CONFIG_HOME", xdg);
	got = config_find("/some/where.conf");
	assert_string_equal(got, "/some/where.conf");
	free(got);
	/* Then $REDOUBT_CONFIG, even when XDG has a file. */
	got = config_find(NULL);
	assert_string_equal(got, "/nonexistent/env.conf");
	free(got);
	/* Empty or unset: $XDG_CONFIG_HOME/redoubt/redoubt.conf. */
	env_set("REDOUBT_CONFIG", "");
	got = config_find(NULL);
	assert_string_equal(got, file);
	free(got);
	env_set("REDOUBT_CONFIG", NULL);
	got = config_find(NULL);
	assert_string_equal(got, file);
	assert_int_equal(config_load(got, &cfg, &err), RD_OK);
	assert_string_equal(config_str(cfg, CK_ISSUER), "From XDG");
	check_builtin(cfg);
	config_free(cfg);
	free(got);
	/* XDG without the file: /etc's, or nothing (built-in defaults). */
	env_set("XDG_CONFIG_HOME", home);
	got = config_find(NULL);
	if (got != NULL)
		assert_string_equal(got, "/etc/redoubt/redoubt.conf");
	free(got);

	for (i = 0; i < 3; i++) {
		env_set(vars[i], saved[i]);
		free(saved[i]);
	}
	free(file);
	free(xdg);
	free(home);
}

/* What inih alone would get silently wrong is named, line by line. */
static void
test_malformed_lines(void **state)
{
	struct config	*cfg = NULL;
	struct rd_err	 err;
	char		 text[1024];

	(void)state;
	snprintf(text, sizeof text, "junk\nother junk\n[redoubt]\n"
	    "  issuer = indented is fine\nmore junk\nissuer2 = %0240d "
	    "resend_cooldown = 7\n", 0);
	assert_int_equal(config_load_string(text, "t.conf", &cfg, &err),
	    RD_CONFIG);
	expect_problem(cfg, "t.conf:1:", "not an INI line", NULL);
	expect_problem(cfg, "t.conf:2:", "not an INI line", NULL);
	expect_problem(cfg, "t.conf:5:", "not an INI line", NULL);
	expect_problem(cfg, "t.conf:6:", "longer than", NULL);
	assert_int_equal(cfg->problems.n, 4);
	/* The indented line is a key of its own, not a continuation. */
	assert_string_equal(config_str(cfg, CK_ISSUER), "indented is fine");
	/* The tail of the long line did not become a setting. */
	assert_int_equal(config_int(cfg, CK_RESEND_COOLDOWN), 30);
	config_free(cfg);

	setenv("RD_TEST_HANDLER", "hotp", 1);
	cfg = load_ok("[method.x]\nhandler = env:RD_TEST_HANDLER\n");
	assert_string_equal(config_method(cfg, "x")->handler->name, "hotp");
	config_free(cfg);
	unsetenv("RD_TEST_HANDLER");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_defaults),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_redoubt_only_keeps_methods),
		cmocka_unit_test(test_methods_replace),
		cmocka_unit_test(test_each_problem),
		cmocka_unit_test(test_section_problems),
		cmocka_unit_test(test_all_problems_counted),
		cmocka_unit_test(test_env_values),
		cmocka_unit_test(test_dump_masks_secrets),
		cmocka_unit_test(test_config_find),
	};

	return cmocka_run_group_tests_name("config", tests, group_setup,
	    group_teardown);
}
