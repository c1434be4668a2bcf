/*
 * test-audit.c: an audit log an operator can use: times as people write
 * them (--since) and read them (one local form), `audit list` filtered by
 * user, action and time in any mix against the injected clock, and every
 * row naming its operator.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/cmd.h"
#include "../../src/session.h"
#include "../../src/when.h"

#define OK(h, ...)	do { struct rd_err e_; enum rd_code r_ = \
	harness_run(h, &e_, __VA_ARGS__, NULL); if (r_ != RD_OK) \
	fail_msg("%s: %s", rd_code_name(r_), e_.msg); } while (0)

static void
tz(const char *zone)
{
	setenv("TZ", zone, 1);
	tzset();
}

static int64_t
parsed(const char *s, int64_t now)
{
	int64_t	t = -1;

	if (!when_parse(s, now, &t))
		fail_msg("'%s' should be a time", s);
	return t;
}

static void
test_when_parse(void **state)
{
	static const char *const bad[] = {
		"", "5", "m", "5x", "5M", "-5m", "+5m", " 5m", "5 m", "1.5h",
		"1234567890123d", "99999999w", "2026-1-01", "2026-01-1",
		" 2026-01-01", "2026-01-01 ", "2026/01/01", "26-01-01",
		"2026-01-01 24:00", "2026-01-01 12:60", "2026-01-01 12:00:60",
		"2026-01-01T12", "2026-01-01 12:0", "2026-01-01 12:00:0",
		"2026-01-01 12:00Z", "2026-01-01x12:00", "2026-02-29",
		"2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10",
		"2026-01-00", "1969-12-31", "yesterday", "2026-01-01\n",
	};
	const int64_t	now = 1795996800;	/* 2026-11-29 22:00:00Z */
	int64_t		t;
	size_t		i;

	(void)state;
	tz("UTC");
	/* Ages count back from the injected clock, not the machine's. */
	assert_int_equal(parsed("45s", now), now - 45);
	assert_int_equal(parsed("30m", now), now - 1800);
	assert_int_equal(parsed("2h", now), now - 7200);
	assert_int_equal(parsed("7d", now), now - 7 * 86400);
	assert_int_equal(parsed("2w", now), now - 14 * 86400);
	assert_int_equal(parsed("0m", now), now);
	assert_int_equal(parsed("90m", 1000000), 1000000 - 5400);
	/* Dates and times are local: midnight, minutes, seconds. */
	assert_int_equal(parsed("2026-11-29", now), 1795910400);
	assert_int_equal(parsed("2026-11-29 14:03", now), 1795910400 +
	    14 * 3600 + 3 * 60);
	assert_int_equal(parsed("2026-11-29T14:03", now), 1795910400 +
	    14 * 3600 + 3 * 60);
	assert_int_equal(parsed("2026-11-29T14:03:05", now), 1795910400 +
	    14 * 3600 + 3 * 60 + 5);
	assert_int_equal(parsed("2028-02-29", now), 1835395200);
	tz("Europe/Warsaw");
	assert_int_equal(parsed("2026-11-29", now), 1795910400 - 3600);
	assert_int_equal(parsed("2026-11-29 14:03", now), 1795910400 +
	    13 * 3600 + 3 * 60);
	assert_int_equal(parsed("2026-07-01 12:00", now), 1782900000);
	/* The hour skipped in spring: from then on, not refused. */
	assert_int_equal(parsed("2026-03-29 02:30", now), 1774747800);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t = -7;
		if (when_parse(bad[i], now, &t))
			fail_msg("'%s' should not be a time", bad[i]);
		assert_int_equal(t, -7);
	}
	assert_false(when_parse(NULL, now, &t));
	tz("UTC");
}

static void
test_when_format(void **state)
{
	char	buf[WHEN_MAX];

	(void)state;
	tz("UTC");
	when_format(1700000000, buf, sizeof buf);
	assert_string_equal(buf, "2023-11-14 22:13");
	tz("Europe/Warsaw");
	when_format(1700000000, buf, sizeof buf);
	assert_string_equal(buf, "2023-11-14 23:13");
	/* What is written can be read back, as --since. */
	assert_int_equal(parsed(buf, 0), 1700000000 - 20);
	tz("UTC");
}

/* The rows of `audit list ARGS...` as "user/action" words, oldest first. */
static enum rd_code
rows_of(struct harness_core *h, char *buf, size_t size, ...)
{
	const char	*w[12] = { "audit", "list" };
	const cJSON	*e;
	cJSON		*out;
	va_list		 ap;
	int		 n = 2;
	size_t		 len = 0;
	enum rd_code	 rc;

	va_start(ap, size);
	while (n < 11 && (w[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	w[n] = NULL;
	rc = harness_cmd(h, &out, w[0], w[1], w[2], w[3], w[4], w[5], w[6],
	    w[7], w[8], w[9], w[10], NULL);
	buf[0] = '\0';
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(out, "entries")) {
		const cJSON	*u = cJSON_GetObjectItem(e, "user");

		len += (size_t)snprintf(buf + len, size - len, "%s%s/%s",
		    len ? " " : "", cJSON_IsString(u) ? u->valuestring : "-",
		    harness_str(e, "action"));
	}
	cmd_result_free(out);
	return rc;
}

static void
test_list_filters(void **state)
{
	struct harness_core	 h;
	struct rd_err		 err;
	char			 got[512];
	int64_t			 t0;

	(void)state;
	tz("UTC");
	harness_core_open(&h, NULL);
	t0 = h.henv.now;			/* 2023-11-14 22:13:20Z */
	OK(&h, "user add", "alice");
	OK(&h, "user add", "bob");
	h.henv.now = t0 + 3600;
	OK(&h, "user set", "alice", "--inactive");
	OK(&h, "user unlock", "bob");
	h.henv.now = t0 + 7200;
	OK(&h, "user set", "bob", "--inactive");
	OK(&h, "user unlock", "alice");

	assert_int_equal(rows_of(&h, got, sizeof got, NULL), RD_OK);
	assert_string_equal(got, "alice/user add bob/user add alice/user set "
	    "bob/user unlock bob/user set alice/user unlock");
	assert_int_equal(rows_of(&h, got, sizeof got, "--user", "alice",
	    NULL), RD_OK);
	assert_string_equal(got, "alice/user add alice/user set "
	    "alice/user unlock");
	assert_int_equal(rows_of(&h, got, sizeof got, "--action", "user set",
	    NULL), RD_OK);
	assert_string_equal(got, "alice/user set bob/user set");
	assert_int_equal(rows_of(&h, got, sizeof got, "--action", "user set",
	    "--user", "bob", NULL), RD_OK);
	assert_string_equal(got, "bob/user set");
	/* An age is read against the injected clock: now is t0 + 2 h. */
	assert_int_equal(rows_of(&h, got, sizeof got, "--since", "61m", NULL),
	    RD_OK);
	assert_string_equal(got, "alice/user set bob/user unlock bob/user set "
	    "alice/user unlock");
	assert_int_equal(rows_of(&h, got, sizeof got, "--since", "1h",
	    "--user", "alice", NULL), RD_OK);
	assert_string_equal(got, "alice/user set alice/user unlock");
	/* A local time: 23:13 is t0 + 1 h minus 20 s. */
	assert_int_equal(rows_of(&h, got, sizeof got, "--since",
	    "2023-11-14 23:13", "--action", "user unlock", NULL), RD_OK);
	assert_string_equal(got, "bob/user unlock alice/user unlock");
	assert_int_equal(rows_of(&h, got, sizeof got, "--since",
	    "2023-11-15T00:13:20", NULL), RD_OK);
	assert_string_equal(got, "bob/user set alice/user unlock");
	assert_int_equal(rows_of(&h, got, sizeof got, "--since", "2023-11-15",
	    NULL), RD_OK);
	assert_string_equal(got, "bob/user set alice/user unlock");
	/* The limit keeps the newest rows that match, oldest first. */
	assert_int_equal(rows_of(&h, got, sizeof got, "--user", "alice",
	    "--limit", "2", NULL), RD_OK);
	assert_string_equal(got, "alice/user set alice/user unlock");
	assert_int_equal(rows_of(&h, got, sizeof got, "--limit", "0", NULL),
	    RD_OK);
	assert_int_equal(strlen(got), strlen("alice/user add bob/user add "
	    "alice/user set bob/user unlock bob/user set alice/user unlock"));
	/* Nothing matches: an empty list, not an error; values are data. */
	assert_int_equal(rows_of(&h, got, sizeof got, "--user", "carol", NULL),
	    RD_OK);
	assert_string_equal(got, "");
	assert_int_equal(rows_of(&h, got, sizeof got, "--user",
	    "alice' OR '1'='1", NULL), RD_OK);
	assert_string_equal(got, "");
	assert_int_equal(rows_of(&h, got, sizeof got, "--since", "1s", NULL),
	    RD_OK);
	assert_string_equal(got, "bob/user set alice/user unlock");
	assert_int_equal(rows_of(&h, got, sizeof got, "--since", "2030-01-01",
	    NULL), RD_OK);
	assert_string_equal(got, "");
	/* A bad T is a usage error naming the value and the forms. */
	assert_int_equal(harness_run(&h, &err, "audit", "list", "--since",
	    "last tuesday", NULL), RD_USAGE);
	assert_non_null(strstr(err.msg, "'last tuesday'"));
	assert_non_null(strstr(err.msg, "2026-11-29 14:03"));
	assert_non_null(strstr(err.msg, "30m"));
	assert_int_equal(harness_run(&h, &err, "audit", "list", "--since",
	    "2023-02-29", NULL), RD_USAGE);
	assert_int_equal(harness_run(&h, &err, "audit", "list", "--limit",
	    "-1", NULL), RD_USAGE);
	harness_core_close(&h);
}

/* Global options words... (NULL-terminated) into o; the rd_code. */
static enum rd_code
opts(struct session_opts *o, struct rd_err *err, ...)
{
	char	*argv[8] = { "redoubt" };
	va_list	 ap;
	int	 argc = 1, i = 1;

	va_start(ap, err);
	while (argc < 7 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	memset(o, 0, sizeof *o);
	rd_err_clear(err);
	return session_opts_parse(argc, argv, &i, o, err);
}

/* The actor a face's session writes, for global options words... */
static void
actor_is(const char *face, const char *want, ...)
{
	struct session_opts	 o;
	struct session		*s = NULL;
	struct rd_err		 err;
	char			*argv[8] = { "redoubt" };
	va_list			 ap;
	int			 argc = 1, i = 1;

	va_start(ap, want);
	while (argc < 7 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	memset(&o, 0, sizeof o);
	if (session_opts_parse(argc, argv, &i, &o, &err) != RD_OK)
		fail_msg("options: %s", err.msg);
	if (session_new(&o, face, &s, &err) != RD_OK)
		fail_msg("session: %s", err.msg);
	assert_string_equal(s->ctx.actor, want);
	session_free(s);
}

static void
test_operator(void **state)
{
	struct session_opts	 o;
	struct rd_err		 err;
	struct passwd		*pw = getpwuid(geteuid());
	char			 login[80], long64[65], long65[66];

	(void)state;
	snprintf(login, sizeof login, "cli:%s", pw ? pw->pw_name : "");
	memset(long64, 'o', 64);
	long64[64] = '\0';
	memset(long65, 'o', 65);
	long65[65] = '\0';
	unsetenv("REDOUBT_OPERATOR");
	/* --operator, else $REDOUBT_OPERATOR, else the login name. */
	actor_is("cli", "cli:bob", "--operator", "bob", NULL);
	actor_is("tui", "tui:bob", "--operator=bob", NULL);
	actor_is("cli", login, NULL);
	actor_is("cli", login, "--json", "--", "audit", NULL);
	setenv("REDOUBT_OPERATOR", "ewa", 1);
	actor_is("tui", "tui:ewa", NULL);
	actor_is("cli", "cli:kim", "--operator", "kim", "--json", NULL);
	/* Parsed again (options after the command): the later one wins. */
	assert_int_equal(opts(&o, &err, "--operator", "kim", NULL), RD_OK);
	{
		char	*more[] = { "--operator", "lee", NULL };
		int	 i = 0;

		assert_int_equal(session_opts_parse(2, more, &i, &o, &err),
		    RD_OK);
		assert_string_equal(o.operator_name, "lee");
	}
	actor_is("cli", "cli:\xc5\xbc\xc3\xb3\xc5\x82w", "--operator",
	    "\xc5\xbc\xc3\xb3\xc5\x82w", NULL);
	actor_is("cli", "cli:jan.kowalski@example.com", "--operator",
	    "jan.kowalski@example.com", NULL);
	assert_int_equal(opts(&o, &err, "--operator", long64, NULL), RD_OK);

	/* Names that cannot go into the log: usage errors that say why. */
	assert_int_equal(opts(&o, &err, "--operator", "", NULL), RD_USAGE);
	assert_non_null(strstr(err.msg, "--operator: the operator's name is "
	    "empty"));
	assert_int_equal(opts(&o, &err, "--operator", long65, NULL), RD_USAGE);
	assert_non_null(strstr(err.msg, "longer than 64 bytes"));
	assert_int_equal(opts(&o, &err, "--operator", "a\x1b[2Jb", NULL),
	    RD_USAGE);
	assert_non_null(strstr(err.msg, "without spaces, control "
	    "characters"));
	/* The name is not echoed: it may hold anything. */
	assert_null(strchr(err.msg, '\x1b'));
	assert_int_equal(opts(&o, &err, "--operator", "a\nb", NULL), RD_USAGE);
	assert_int_equal(opts(&o, &err, "--operator", "a b", NULL), RD_USAGE);
	assert_int_equal(opts(&o, &err, "--operator", "m\xc2\x9b" "2J", NULL),
	    RD_USAGE);
	assert_int_equal(opts(&o, &err, "--operator", "x\xe2\x80\xaey", NULL),
	    RD_USAGE);
	assert_int_equal(opts(&o, &err, "--operator", "bad\xff", NULL),
	    RD_USAGE);
	assert_int_equal(opts(&o, &err, "--operator", NULL), RD_USAGE);
	assert_non_null(strstr(err.msg, "--operator needs a value"));
	setenv("REDOUBT_OPERATOR", "", 1);
	assert_int_equal(opts(&o, &err, NULL), RD_USAGE);
	assert_non_null(strstr(err.msg, "$REDOUBT_OPERATOR: the operator's "
	    "name is empty"));
	setenv("REDOUBT_OPERATOR", "eve\x07", 1);
	assert_int_equal(opts(&o, &err, "--json", NULL), RD_USAGE);
	assert_non_null(strstr(err.msg, "$REDOUBT_OPERATOR"));
	/* --operator wins over a bad variable, which then is not read. */
	assert_int_equal(opts(&o, &err, "--operator", "bob", NULL), RD_OK);
	/* Help needs nobody's name: a bad one does not hide it. */
	assert_int_equal(opts(&o, &err, "--help", NULL), RD_OK);
	unsetenv("REDOUBT_OPERATOR");
}

/* Rows written as a session's operator carry it, and the chain holds. */
static void
test_operator_rows(void **state)
{
	struct harness_core	 h;
	struct session_opts	 o;
	struct session		*s = NULL;
	struct rd_err		 err;
	cJSON			*out;
	const cJSON		*e;

	(void)state;
	harness_core_open(&h, NULL);
	assert_int_equal(opts(&o, &err, "--operator", "jan", NULL), RD_OK);
	assert_int_equal(session_new(&o, "tui", &s, &err), RD_OK);
	h.ctx.actor = s->ctx.actor;
	OK(&h, "user add", "alice");
	OK(&h, "user set", "alice", "--inactive");
	assert_int_equal(harness_cmd(&h, &out, "audit", "list", "--user",
	    "alice", NULL), RD_OK);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out,
	    "entries")), 2);
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(out, "entries"))
		assert_string_equal(harness_str(e, "actor"), "tui:jan");
	cmd_result_free(out);
	assert_int_equal(harness_cmd(&h, &out, "audit", "verify", NULL),
	    RD_OK);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(out, "ok")));
	cmd_result_free(out);
	h.ctx.actor = "test";
	session_free(s);
	harness_core_close(&h);
}

/* The newest audit row's field key (a copy, free it), or NULL. */
static char *
newest(struct harness_core *h, const char *key)
{
	cJSON		*out;
	const cJSON	*e, *v;
	char		*r = NULL;

	assert_int_equal(harness_cmd(h, &out, "audit", "list", "--limit", "1",
	    NULL), RD_OK);
	e = cJSON_GetArrayItem(cJSON_GetObjectItem(out, "entries"), 0);
	v = cJSON_GetObjectItem(e, key);
	if (cJSON_IsString(v))
		r = strdup(v->valuestring);
	cmd_result_free(out);
	return r;
}

static int
rows(struct harness_core *h)
{
	cJSON	*out;
	int	 n;

	assert_int_equal(harness_cmd(h, &out, "audit", "list", "--limit", "0",
	    NULL), RD_OK);
	n = cJSON_GetArraySize(cJSON_GetObjectItem(out, "entries"));
	cmd_result_free(out);
	return n;
}

/* A test send is audited: method, handler, masked recipient, outcome. */
static void
test_backend_audited(void **state)
{
	struct harness_core	 h;
	struct rd_err		 err;
	char			 code[16], *s;
	int			 n;

	(void)state;
	harness_core_open(&h, "[method.email]\nhandler = outbox\n"
	    "source_field = email\n\n[method.app]\nhandler = totp\n\n"
	    "[method.gw]\nhandler = exec\ncommand = /bin/false\n"
	    "source_field = phone\n");
	h.ctx.actor = "cli:desk7";
	n = rows(&h);
	OK(&h, "test-backend", "email", "ops@example.com");
	assert_int_equal(rows(&h), n + 1);
	harness_outbox_code(&h, code);
	s = newest(&h, "action");
	assert_string_equal(s, "test-backend");
	free(s);
	s = newest(&h, "outcome");
	assert_string_equal(s, "ok");
	free(s);
	s = newest(&h, "actor");
	assert_string_equal(s, "cli:desk7");
	free(s);
	assert_null(newest(&h, "user"));
	s = newest(&h, "detail");
	assert_string_equal(s, "email via outbox to o***@example.com: sent");
	/* Never the code it carried, nor the address whole. */
	assert_null(strstr(s, code));
	assert_null(strstr(s, "ops@"));
	free(s);
	/* A failed send is a failure row with the reason's code. */
	assert_int_equal(harness_run(&h, &err, "test-backend", "gw",
	    "+15551234567", NULL), RD_BACKEND);
	assert_int_equal(rows(&h), n + 2);
	s = newest(&h, "outcome");
	assert_string_equal(s, "failure");
	free(s);
	s = newest(&h, "detail");
	assert_string_equal(s, "gw via exec to +*********67: backend, status 1, "
	    "provider code exit 1");
	free(s);
	/* Nothing sent, nothing written. */
	assert_int_equal(harness_run(&h, &err, "test-backend", "app",
	    "ops@example.com", NULL), RD_NOT_ALLOWED);
	assert_int_equal(harness_run(&h, &err, "test-backend", "nosuch",
	    "ops@example.com", NULL), RD_NOT_FOUND);
	assert_int_equal(rows(&h), n + 2);
	h.ctx.actor = "test";
	harness_core_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_when_parse),
		cmocka_unit_test(test_when_format),
		cmocka_unit_test(test_list_filters),
		cmocka_unit_test(test_operator),
		cmocka_unit_test(test_operator_rows),
		cmocka_unit_test(test_backend_audited),
	};

	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
