/*
 * be-exec.c: a code channel that runs a program the operator configures,
 * for gateways redoubt does not speak itself: a site's own SMS script, a
 * chat bot, a ticket system.
 *
 * The program (command, an absolute path) runs without a shell and without
 * arguments.  Everything it needs is in its environment, which holds
 * nothing else but a fixed PATH: REDOUBT_TO, REDOUBT_CODE, REDOUBT_USER,
 * REDOUBT_METHOD and, for test-backend, REDOUBT_TEST=1.  The code never
 * goes in argv, where ps(1) would show it to every local user.  stdin and
 * stdout are /dev/null; the first 4 KiB of stderr are kept for the
 * operator.  Exit status 0 means delivered.  The program runs in a process
 * group of its own, killed whole when the method's timeout passes.
 *
 * The default source_field is phone, the usual case; an operator whose
 * program carries the code to an e-mail address (or anything else) sets
 * source_field in the method's section.
 */
#define _GNU_SOURCE	/* pipe2, close_range */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "backend.h"
#include "http.h"

#define EXEC_STDERR_MAX		4096
#define EXEC_MESSAGE_MAX	200
#define EXEC_NENV		7

enum exec_key {
	EX_COMMAND,
	EX_COUNT
};

static const struct cfg_key exec_keys[EX_COUNT] = {
	[EX_COMMAND] = { .name = "command", .type = CFG_STR,
	    .flags = CFG_REQUIRED | CFG_ABSPATH,
	    .help = "program to run: absolute path, no shell, no arguments; "
	    "it gets REDOUBT_TO, REDOUBT_CODE, REDOUBT_USER, REDOUBT_METHOD "
	    "(and REDOUBT_TEST=1) in its environment" },
};

struct exec_run {
	pid_t		 pid;
	int		 errfd;		/* read end of the child's stderr */
	int		 status;	/* from waitpid */
	bool		 exited;
	bool		 timed_out;
	bool		 cancelled;
	struct rd_buf	 stderr_text;	/* capped at EXEC_STDERR_MAX */
};

static double
exec_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
exec_env(const struct be_call *call, const struct be_message *msg,
    char *env[EXEC_NENV + 1])
{
	int	n = 0;

	env[n++] = xstrdup("PATH=/usr/bin:/bin");
	env[n++] = xasprintf("REDOUBT_TO=%s", msg->to ? msg->to : "");
	env[n++] = xasprintf("REDOUBT_CODE=%s", msg->code ? msg->code : "");
	env[n++] = xasprintf("REDOUBT_USER=%s", call->user ? call->user : "");
	env[n++] = xasprintf("REDOUBT_METHOD=%s", call->method);
	if (msg->test)
		env[n++] = xstrdup("REDOUBT_TEST=1");
	while (n <= EXEC_NENV)
		env[n++] = NULL;
}

/*
 * In the child of a process that may have threads: only async-signal-safe
 * calls until execve.  An execve failure goes back as errno on report,
 * which closes by itself when execve succeeds.
 */
_Noreturn static void
exec_child(const char *cmd, char *const env[], int errw, int report,
    int maxfd)
{
	char *const		argv[] = { (char *)cmd, NULL };
	struct sigaction	dfl;
	sigset_t		none;
	int			fd, null, e;

	setpgid(0, 0);
	if ((null = open("/dev/null", O_RDWR)) < 0 || dup2(null, 0) < 0 ||
	    dup2(null, 1) < 0 || dup2(errw, 2) < 0 || dup2(report, 3) < 0)
		goto fail;
	report = 3;
	fcntl(report, F_SETFD, FD_CLOEXEC);
	/* Whatever the host holds open (vault, sockets) stays with it. */
	if (close_range(4, ~0U, 0) != 0)
		for (fd = 4; fd < maxfd; fd++)
			close(fd);
	/* A TUI may block or ignore signals the program expects. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGPIPE, &dfl, NULL);
	execve(cmd, argv, env);
fail:
	e = errno;
	if (write(report, &e, sizeof e) < 0)
		_exit(126);
	_exit(127);
}

static enum rd_code RD_CHECK
exec_spawn(const char *cmd, char *const env[], struct exec_run *r,
    struct rd_err *err)
{
	int	errp[2] = { -1, -1 }, rep[2] = { -1, -1 }, e = 0;
	long	maxfd = sysconf(_SC_OPEN_MAX);
	ssize_t	n;

	if (maxfd < 0 || maxfd > 65536)
		maxfd = 65536;
	if (pipe2(errp, O_CLOEXEC) != 0 || pipe2(rep, O_CLOEXEC) != 0) {
		e = errno;
		goto fail;
	}
	if ((r->pid = fork()) < 0) {
		e = errno;
		goto fail;
	}
	if (r->pid == 0)
		exec_child(cmd, env, errp[1], rep[1], (int)maxfd);
	/* Both sides set the group, so a kill right away finds it. */
	setpgid(r->pid, r->pid);
	close(errp[1]);
	close(rep[1]);
	errp[1] = rep[1] = -1;
	do
		n = read(rep[0], &e, sizeof e);
	while (n < 0 && errno == EINTR);
	close(rep[0]);
	if (n == (ssize_t)sizeof e) {
		waitpid(r->pid, NULL, 0);
		close(errp[0]);
		r->pid = -1;
		return rd_err_set(err, RD_BACKEND, _("exec: cannot run %s: %s"),
		    cmd, strerror(e));
	}
	r->errfd = errp[0];
	fcntl(r->errfd, F_SETFL, fcntl(r->errfd, F_GETFL) | O_NONBLOCK);
	return RD_OK;
fail:
	if (errp[0] >= 0) {
		close(errp[0]);
		close(errp[1]);
	}
	if (rep[0] >= 0) {
		close(rep[0]);
		close(rep[1]);
	}
	return rd_err_set(err, RD_BACKEND, _("exec: cannot run %s: %s"), cmd,
	    strerror(e));
}

/* Read what stderr holds now; true at end of file. */
static bool
exec_drain(struct exec_run *r)
{
	char	buf[1024];
	ssize_t	n;
	size_t	room;

	for (;;) {
		n = read(r->errfd, buf, sizeof buf);
		if (n == 0)
			return true;
		if (n < 0)
			return errno != EAGAIN && errno != EINTR;
		/* Past the cap keep reading, so the program never blocks. */
		room = EXEC_STDERR_MAX - r->stderr_text.len;
		rd_buf_add(&r->stderr_text, buf,
		    (size_t)n < room ? (size_t)n : room);
	}
}

static void
exec_wait(struct exec_run *r, long timeout, volatile int *cancel)
{
	double		deadline = exec_now() + (double)timeout, left;
	struct pollfd	pfd;
	bool		eof = false;
	pid_t		w;

	for (;;) {
		if ((w = waitpid(r->pid, &r->status, WNOHANG)) == r->pid ||
		    (w < 0 && errno == ECHILD))
			r->exited = true;
		if (!eof)
			eof = exec_drain(r);
		/* After the exit one drain is all: a child of it may hold
		 * stderr open for much longer. */
		if (r->exited)
			return;
		if ((left = deadline - exec_now()) <= 0) {
			r->timed_out = true;
			break;
		}
		if (cancel != NULL && *cancel) {
			r->cancelled = true;
			break;
		}
		pfd.fd = r->errfd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		poll(&pfd, eof ? 0 : 1, left < 0.05 ? (int)(left * 1000) + 1 :
		    eof ? 10 : 50);
	}
	kill(-r->pid, SIGKILL);
	kill(r->pid, SIGKILL);
	while (waitpid(r->pid, &r->status, 0) < 0 && errno == EINTR)
		;
}

/* Control characters out: the text ends up on a terminal or in JSON. */
static void
exec_sanitise(struct rd_buf *b)
{
	size_t	i;

	for (i = 0; i < b->len; i++)
		if (((unsigned char)b->data[i] < ' ' && b->data[i] != '\n' &&
		    b->data[i] != '\t') || b->data[i] == 0x7f)
			b->data[i] = '?';
}

/* The first non-empty line, trimmed and cut at a character boundary. */
static void
exec_first_line(const char *text, char *out, size_t outsz)
{
	const char	*p = text, *end;
	size_t		 n;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	end = strchr(p, '\n');
	n = end ? (size_t)(end - p) : strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n > EXEC_MESSAGE_MAX)
		for (n = EXEC_MESSAGE_MAX;
		    n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80; n--)
			;
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static void
exec_transcript(const struct be_call *call, const char *cmd,
    char *const env[], const struct exec_run *r, const char *outcome,
    const char *const *secrets)
{
	struct rd_buf	 t;
	int		 i;

	rd_buf_init(&t, 0);
	rd_buf_printf(&t, _("$ %s (no arguments, no shell)\n"), cmd);
	for (i = 0; env[i] != NULL; i++) {
		if (str_has_prefix(env[i], "REDOUBT_CODE="))
			rd_buf_addstr(&t, "  REDOUBT_CODE=***\n");
		else
			rd_buf_printf(&t, "  %s\n", env[i]);
	}
	if (r->stderr_text.data != NULL && r->stderr_text.len > 0) {
		rd_buf_addstr(&t, "stderr:\n");
		rd_buf_addstr(&t, r->stderr_text.data);
		if (r->stderr_text.data[r->stderr_text.len - 1] != '\n')
			rd_buf_addstr(&t, "\n");
	}
	rd_buf_printf(&t, "%s\n", outcome);
	http_redact(&t, secrets);
	rd_buf_addstr(call->transcript, t.data);
	rd_buf_free(&t);
}

static enum rd_code RD_CHECK
exec_send(const struct be_call *call, const struct be_message *msg,
    struct be_reply *reply, struct rd_err *err)
{
	const char	*cmd = cfg_str(call->own, EX_COMMAND);
	const char	*secrets[2] = { msg->code, NULL };
	char		*env[EXEC_NENV + 1], outcome[128];
	long		 timeout = call->timeout;
	struct exec_run	 r;
	double		 t0 = exec_now();
	enum rd_code	 rc;
	int		 i;

	reply->status = 0;
	reply->seconds = 0;
	if (timeout <= 0)
		timeout = 15;
	memset(&r, 0, sizeof r);
	r.errfd = -1;
	rd_buf_init(&r.stderr_text, EXEC_STDERR_MAX);
	exec_env(call, msg, env);
	if (cmd == NULL || cmd[0] != '/') {
		rc = rd_err_set(err, RD_CONFIG, _("[method.%s] command: not an "
		    "absolute path"), call->method);
		goto out;
	}
	if ((rc = exec_spawn(cmd, env, &r, err)) != RD_OK) {
		snprintf(reply->message, sizeof reply->message, "%.200s", err ?
		    err->msg : _("cannot run the command"));
		snprintf(outcome, sizeof outcome, "%s", _("not started"));
		goto done;
	}
	exec_wait(&r, timeout, call->cancel);
	close(r.errfd);
	http_redact(&r.stderr_text, secrets);
	exec_sanitise(&r.stderr_text);
	exec_first_line(r.stderr_text.data, reply->message,
	    sizeof reply->message);
	if (r.timed_out) {
		rc = rd_err_set(err, RD_TIMEOUT, _("exec: %s did not finish "
		    "within %ld s (killed)"), cmd, timeout);
		snprintf(outcome, sizeof outcome, _("killed after %ld s"),
		    timeout);
	} else if (r.cancelled) {
		rc = rd_err_set(err, RD_BACKEND, _("exec: %s: cancelled "
		    "(killed)"),
		    cmd);
		snprintf(outcome, sizeof outcome, "%s", _("cancelled, killed"));
	} else if (WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0) {
		rc = RD_OK;
		snprintf(outcome, sizeof outcome, "exit 0");
	} else {
		if (WIFSIGNALED(r.status))
			snprintf(reply->code, sizeof reply->code, "signal %d",
			    WTERMSIG(r.status));
		else
			snprintf(reply->code, sizeof reply->code, "exit %d",
			    WEXITSTATUS(r.status));
		reply->status = WIFEXITED(r.status) ? WEXITSTATUS(r.status) : 0;
		rc = rd_err_set(err, RD_BACKEND, _("exec: %s: %s%s%s"), cmd,
		    reply->code, reply->message[0] ? ": " : "", reply->message);
		snprintf(outcome, sizeof outcome, "%s", reply->code);
	}
done:
	reply->seconds = exec_now() - t0;
	if (call->transcript != NULL)
		exec_transcript(call, cmd, env, &r, outcome, secrets);
out:
	for (i = 0; i < EXEC_NENV; i++)
		secret_free(env[i]);
	rd_buf_free(&r.stderr_text);
	return rc;
}

static const struct be_code_ops exec_code = {
	.send = exec_send,
};

const struct backend be_exec = {
	.cfg = {
		.name = "exec",
		.keys = exec_keys,
		.nkeys = EX_COUNT,
		.source_field = "phone",
	},
	.kind = BE_CODE,
	.code = &exec_code,
};
