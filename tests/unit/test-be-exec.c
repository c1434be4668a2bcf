/*
 * test-be-exec.c: the exec handler against small /bin/sh programs written
 * into a temporary directory at run time: what the program gets (no
 * arguments, a minimal environment with the code), how its failures come
 * back (exit status, signal, stderr trimmed and redacted), the timeout
 * that kills its whole process group, and commands that cannot run.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "../../backends/backend.h"
#include "../../src/kind.h"
#include "../../src/config.h"
#include "../../src/util.h"

#define CODE	"482913"

static char	*dir;

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* dir/name holding body (with @D standing for dir), chmod mode. */
static char *
script(const char *name, mode_t mode, const char *body)
{
	char		*path = xasprintf("%s/%s", dir, name);
	FILE		*fp = fopen(path, "w");
	const char	*p;

	assert_non_null(fp);
	fputs("#!/bin/sh\n", fp);
	for (p = body; *p != '\0'; p++) {
		if (p[0] == '@' && p[1] == 'D') {
			fputs(dir, fp);
			p++;
		} else
			fputc(*p, fp);
	}
	fclose(fp);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static struct config *
load(const char *command, int timeout)
{
	struct config	*cfg = NULL;
	struct rd_err	 err;
	char		*text;

	text = xasprintf("[method.hook]\nhandler = exec\ncommand = %s\n"
	    "timeout = %d\n", command, timeout);
	assert_int_equal(config_load_string(text, "test.conf", &cfg, &err),
	    RD_OK);
	free(text);
	return cfg;
}

static enum rd_code
run(const char *command, int timeout, bool test, struct rd_buf *transcript,
    struct be_reply *reply, struct rd_err *err)
{
	struct config		*cfg = load(command, timeout);
	const struct method_cfg	*m = config_method(cfg, "hook");
	struct be_call		 call = { 0 };
	struct be_message	 msg = { 0 };
	enum rd_code		 rc;

	assert_non_null(m);
	assert_string_equal(m->handler->name, "exec");
	harness_be_call(m, &call);
	call.issuer = "Example";
	call.user = "alice";
	call.transcript = transcript;
	msg.to = "+15550100";
	msg.code = CODE;
	msg.minutes = 10;
	msg.test = test;
	memset(reply, 0, sizeof *reply);
	rd_err_clear(err);
	rc = kind_backend(m)->code->send(&call, &msg, reply, err);
	config_free(cfg);
	return rc;
}

static void
test_env_and_no_argv(void **state)
{
	struct be_reply	 reply;
	struct rd_err	 err;
	char		*cmd, *out, *path;

	(void)state;
	cmd = script("env.sh", 0755,
	    "{ echo \"argc=$#\"; env; } > @D/env.out\n");
	assert_int_equal(run(cmd, 5, false, NULL, &reply, &err), RD_OK);
	path = xasprintf("%s/env.out", dir);
	out = harness_slurp(path);
	assert_non_null(out);
	assert_non_null(strstr(out, "argc=0\n"));
	assert_non_null(strstr(out, "REDOUBT_CODE=" CODE "\n"));
	assert_non_null(strstr(out, "REDOUBT_TO=+15550100\n"));
	assert_non_null(strstr(out, "REDOUBT_USER=alice\n"));
	assert_non_null(strstr(out, "REDOUBT_METHOD=hook\n"));
	assert_non_null(strstr(out, "PATH=/usr/bin:/bin\n"));
	/* Nothing of ours leaks: no HOME, no test flag on a real send. */
	assert_null(strstr(out, "HOME="));
	assert_null(strstr(out, "REDOUBT_TEST"));
	assert_string_equal(reply.code, "");
	assert_true(reply.seconds >= 0 && reply.seconds < 5);
	free(out);
	free(path);
	free(cmd);
}

static void
test_test_flag(void **state)
{
	struct be_reply	 reply;
	struct rd_err	 err;
	char		*cmd, *out, *path;

	(void)state;
	cmd = script("env2.sh", 0755, "env > @D/env2.out\n");
	assert_int_equal(run(cmd, 5, true, NULL, &reply, &err), RD_OK);
	path = xasprintf("%s/env2.out", dir);
	out = harness_slurp(path);
	assert_non_null(out);
	assert_non_null(strstr(out, "REDOUBT_TEST=1\n"));
	free(out);
	free(path);
	free(cmd);
}

static void
test_exit_status_and_stderr(void **state)
{
	struct be_reply	 reply;
	struct rd_err	 err;
	char		*cmd;

	(void)state;
	cmd = script("fail.sh", 0755,
	    "printf '\\n   gateway refused code %s for +15550100  \\n' "
	    "\"$REDOUBT_CODE\" >&2\n"
	    "echo 'second line' >&2\nexit 3\n");
	assert_int_equal(run(cmd, 5, false, NULL, &reply, &err), RD_BACKEND);
	assert_string_equal(reply.code, "exit 3");
	assert_int_equal(reply.status, 3);
	assert_string_equal(reply.message,
	    "gateway refused code *** for +15550100");
	assert_int_equal(err.code, RD_BACKEND);
	assert_non_null(strstr(err.msg, "exit 3"));
	assert_non_null(strstr(err.msg, "gateway refused"));
	assert_null(strstr(err.msg, CODE));
	free(cmd);
}

static void
test_signal(void **state)
{
	struct be_reply	 reply;
	struct rd_err	 err;
	char		*cmd;

	(void)state;
	cmd = script("sig.sh", 0755, "kill -KILL $$\n");
	assert_int_equal(run(cmd, 5, false, NULL, &reply, &err), RD_BACKEND);
	assert_string_equal(reply.code, "signal 9");
	free(cmd);
}

/* A process that is gone or a zombie waiting for init. */
static bool
gone(pid_t pid)
{
	char	 path[64], stat[512];
	FILE	*fp;
	size_t	 n;

	if (kill(pid, 0) != 0 && errno == ESRCH)
		return true;
	/* /proc files have no size: harness_slurp cannot read them. */
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return true;
	n = fread(stat, 1, sizeof stat - 1, fp);
	fclose(fp);
	stat[n] = '\0';
	return strstr(stat, ") Z ") != NULL;
}

static void
test_timeout_kills_group(void **state)
{
	struct be_reply	 reply;
	struct rd_err	 err;
	double		 t0, i;
	char		*cmd, *path, *text;
	pid_t		 child;

	(void)state;
	cmd = script("slow.sh", 0755,
	    "sleep 30 &\necho $! > @D/slow.pid\nwait\n");
	t0 = now();
	assert_int_equal(run(cmd, 1, false, NULL, &reply, &err), RD_TIMEOUT);
	assert_true(now() - t0 < 2.0);
	assert_non_null(strstr(err.msg, "did not finish within 1 s"));
	/* The sleep, a grandchild, went with its process group. */
	path = xasprintf("%s/slow.pid", dir);
	text = harness_slurp(path);
	assert_non_null(text);
	child = (pid_t)atol(text);
	assert_true(child > 1);
	for (i = 0; i < 100 && !gone(child); i++)
		usleep(10000);
	assert_true(gone(child));
	free(text);
	free(path);
	free(cmd);
}

static void
test_relative_path_rejected(void **state)
{
	struct config	*cfg = NULL;
	struct rd_err	 err;
	size_t		 i;
	bool		 named = false;

	(void)state;
	assert_int_equal(config_load_string("[method.hook]\nhandler = exec\n"
	    "command = bin/notify\n", "test.conf", &cfg, &err), RD_CONFIG);
	for (i = 0; i < cfg->problems.n; i++)
		if (strstr(cfg->problems.list[i], "command") &&
		    strstr(cfg->problems.list[i], "absolute path"))
			named = true;
	assert_true(named);
	config_free(cfg);
	cfg = NULL;
	assert_int_equal(config_load_string("[method.hook]\nhandler = exec\n",
	    "test.conf", &cfg, &err), RD_CONFIG);
	assert_non_null(strstr(err.msg, "command is missing"));
	config_free(cfg);
}

static void
test_cannot_run(void **state)
{
	struct be_reply	 reply;
	struct rd_err	 err;
	char		*cmd;

	(void)state;
	assert_int_equal(run("/nonexistent/redoubt-notify", 5, false, NULL,
	    &reply, &err), RD_BACKEND);
	assert_non_null(strstr(err.msg,
	    "cannot run /nonexistent/redoubt-notify"));
	assert_non_null(strstr(reply.message, "cannot run"));
	cmd = script("noexec.sh", 0644, "exit 0\n");
	assert_int_equal(run(cmd, 5, false, NULL, &reply, &err), RD_BACKEND);
	assert_non_null(strstr(err.msg, "cannot run"));
	assert_non_null(strstr(err.msg, "ermission denied"));
	free(cmd);
}

static void
test_transcript_redacted(void **state)
{
	struct be_reply	 reply;
	struct rd_err	 err;
	struct rd_buf	 t;
	char		*cmd;

	(void)state;
	cmd = script("chatty.sh", 0755,
	    "echo \"sending $REDOUBT_CODE to $REDOUBT_TO\" >&2\nexit 0\n");
	rd_buf_init(&t, 0);
	assert_int_equal(run(cmd, 5, false, &t, &reply, &err), RD_OK);
	assert_non_null(strstr(t.data, cmd));
	assert_non_null(strstr(t.data, "REDOUBT_CODE=***"));
	assert_non_null(strstr(t.data, "REDOUBT_TO=+15550100"));
	assert_non_null(strstr(t.data, "REDOUBT_METHOD=hook"));
	assert_non_null(strstr(t.data, "sending *** to +15550100"));
	assert_non_null(strstr(t.data, "exit 0"));
	assert_null(strstr(t.data, CODE));
	rd_buf_free(&t);
	free(cmd);
}

static void
test_big_stderr(void **state)
{
	struct be_reply	 reply;
	struct rd_err	 err;
	double		 t0;
	char		*cmd;

	(void)state;
	/* Far more than a pipe holds: the program must not block on it. */
	cmd = script("loud.sh", 0755,
	    "head -c 300000 /dev/zero | tr '\\000' x >&2\nexit 1\n");
	t0 = now();
	assert_int_equal(run(cmd, 5, false, NULL, &reply, &err), RD_BACKEND);
	assert_true(now() - t0 < 3.0);
	assert_string_equal(reply.code, "exit 1");
	assert_int_equal(strlen(reply.message), 200);
	free(cmd);
}

static void
test_grandchild_holding_stderr(void **state)
{
	struct be_reply	 reply;
	struct rd_err	 err;
	double		 t0;
	char		*cmd, *path, *text;

	(void)state;
	cmd = script("daemon.sh", 0755,
	    "sleep 20 >&2 &\necho $! > @D/daemon.pid\nexit 0\n");
	t0 = now();
	assert_int_equal(run(cmd, 5, false, NULL, &reply, &err), RD_OK);
	assert_true(now() - t0 < 2.0);
	path = xasprintf("%s/daemon.pid", dir);
	text = harness_slurp(path);
	assert_non_null(text);
	kill((pid_t)atol(text), SIGKILL);
	free(text);
	free(path);
	free(cmd);
}

static int
setup(void **state)
{
	(void)state;
	dir = harness_tmpdir();
	return dir == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	harness_rmdir(dir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_and_no_argv),
		cmocka_unit_test(test_test_flag),
		cmocka_unit_test(test_exit_status_and_stderr),
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_timeout_kills_group),
		cmocka_unit_test(test_relative_path_rejected),
		cmocka_unit_test(test_cannot_run),
		cmocka_unit_test(test_transcript_redacted),
		cmocka_unit_test(test_big_stderr),
		cmocka_unit_test(test_grandchild_holding_stderr),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
