/*
 * test-batch.c: the group commit of `redoubt batch`.
 *
 * At the transaction level (tx.h): steps of one group each keep or lose
 * only their own writes (success and refusal keep, another error loses
 * them), nothing is seen by another connection before the group commits,
 * a transaction that ends under a step loses the group (and says so),
 * and an aborted group keeps nothing.  At the runner level (cli-batch.h),
 * on a test-KDF vault with input from a pipe: answers come in line order
 * with their line numbers, every ok answer's effect is already committed
 * (seen by a second connection) when the answer is written, a refusal's
 * counted failure stands, a failing line does not take its group down,
 * work left for after a commit (a code put in the outbox) runs after it,
 * a command with transactions of its own (test-backend) runs alone,
 * --stop-on-error stops at the first failure, the exit status is the
 * worst error's, and a producer that waits for an answer gets it before
 * it writes the next line.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/cli-batch.h"
#include "../../src/tx.h"
#include "../../vault/vault.h"

/* Whether another connection to the vault sees user name. */
static bool
seen(struct vault *other, const char *name)
{
	struct vault_user	u;
	struct rd_err		err;
	enum rd_code		rc = vault_user_get(other, name, &u, &err);

	if (rc == RD_OK)
		vault_user_clear(&u);
	else if (rc != RD_NOT_FOUND)
		fail_msg("second connection: %s", err.msg);
	return rc == RD_OK;
}

static struct vault *
second(struct harness_core *h)
{
	struct vault	*v;
	struct rd_err	 err;

	if (vault_open(h->path, "pw", 2, &v, &err) != RD_OK)
		fail_msg("second connection: %s", err.msg);
	return v;
}

/* A step that adds the user named by arg, then ends in step_rc. */
static enum rd_code	step_rc;

static enum rd_code RD_CHECK
add_step(struct rd_ctx *ctx, void *arg, struct rd_err *err)
{
	struct vault_user	u;
	enum rd_code		rc;

	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "%s", (const char *)arg);
	u.active = true;
	if ((rc = vault_user_add(ctx->vault, &u, err)) != RD_OK)
		return rc;
	vault_user_clear(&u);
	if (step_rc != RD_OK)
		return rd_err_set(err, step_rc, "step fails as told");
	return RD_OK;
}

/* A step under which the transaction ends, as SQLite ends one on I/O. */
static enum rd_code RD_CHECK
end_step(struct rd_ctx *ctx, void *arg, struct rd_err *err)
{
	enum rd_code	rc = add_step(ctx, arg, err);

	vault_rollback(ctx->vault);
	return rc;
}

static void
test_group_steps(void **state)
{
	struct harness_core	 h;
	struct tx_group		 g;
	struct vault		*other;
	struct rd_err		 err;

	(void)state;
	harness_core_open(&h, NULL);
	other = second(&h);
	assert_int_equal(tx_group_begin(&h.ctx, &g, &err), RD_OK);
	step_rc = RD_OK;
	assert_int_equal(tx_group_step(&h.ctx, &g, add_step, "s1", &err),
	    RD_OK);
	step_rc = RD_NOT_FOUND;		/* a refusal: its writes stand */
	assert_int_equal(tx_group_step(&h.ctx, &g, add_step, "s2", &err),
	    RD_NOT_FOUND);
	step_rc = RD_USAGE;		/* an error: its writes go */
	assert_int_equal(tx_group_step(&h.ctx, &g, add_step, "s3", &err),
	    RD_USAGE);
	step_rc = RD_OK;
	/* An error of the vault itself (a name taken), after s3 undone. */
	assert_int_equal(tx_group_step(&h.ctx, &g, add_step, "s1", &err),
	    RD_EXISTS);
	assert_int_equal(tx_group_step(&h.ctx, &g, add_step, "s4", &err),
	    RD_OK);
	assert_false(g.lost);
	assert_int_equal(g.steps, 5);
	/* Nothing of the group is seen elsewhere before the commit. */
	assert_false(seen(other, "s1"));
	assert_false(seen(other, "s4"));
	assert_int_equal(tx_group_commit(&h.ctx, &g, &err), RD_OK);
	assert_false(g.open);
	assert_true(seen(other, "s1"));
	assert_true(seen(other, "s2"));
	assert_false(seen(other, "s3"));
	assert_true(seen(other, "s4"));

	/*
	 * SQLite may end the transaction under a step (a full disk, an I/O
	 * error): the step fails, and the group is lost, its good steps too.
	 */
	assert_int_equal(tx_group_begin(&h.ctx, &g, &err), RD_OK);
	assert_int_equal(tx_group_step(&h.ctx, &g, add_step, "l1", &err),
	    RD_OK);
	assert_int_equal(tx_group_step(&h.ctx, &g, end_step, "l2", &err),
	    RD_VAULT_CORRUPT);
	assert_true(g.lost);
	assert_false(g.open);
	assert_int_equal(tx_group_commit(&h.ctx, &g, &err), RD_VAULT_CORRUPT);
	assert_false(seen(other, "l1"));
	assert_false(seen(other, "l2"));
	/* The vault takes the next transaction as ever. */
	assert_int_equal(harness_run(&h, &err, "user", "add", "l3", NULL),
	    RD_OK);
	assert_true(seen(other, "l3"));

	/* An aborted group keeps nothing, not even its good steps. */
	assert_int_equal(tx_group_begin(&h.ctx, &g, &err), RD_OK);
	assert_int_equal(tx_group_step(&h.ctx, &g, add_step, "s5", &err),
	    RD_OK);
	tx_group_abort(&h.ctx, &g);
	assert_false(seen(other, "s5"));
	vault_close(other);
	harness_core_close(&h);
}

/* What the test's batch wrote, and the checks made as it wrote. */
struct sink {
	struct vault	*other;
	cJSON		*answers[32];
	int		 n;
	int		 notify;	/* write a byte here at each answer */
};

static void
sink_emit(void *arg, const char *json)
{
	struct sink	*s = arg;
	cJSON		*a = cJSON_Parse(json);
	const cJSON	*res;
	const char	*user;

	assert_non_null(a);
	assert_true(s->n < 32);
	s->answers[s->n++] = a;
	/* A user an ok answer names is committed by the time it is told. */
	res = cJSON_GetObjectItem(a, "result");
	user = cJSON_GetStringValue(cJSON_GetObjectItem(res, "user"));
	if (cJSON_IsTrue(cJSON_GetObjectItem(a, "ok")) && user != NULL &&
	    !seen(s->other, user))
		fail_msg("answer before commit: %s", json);
	/* After the last line the producer is gone: no one to tell. */
	if (s->notify >= 0 && write(s->notify, "a", 1) != 1)
		s->notify = -1;
}

static void
sink_flush(void *arg)
{
	(void)arg;
}

/* Run text through batch_run on h; the exit status. */
static int
run_text(struct harness_core *h, struct sink *s, const char *text,
    bool stop)
{
	struct batch_opts	o = { .stop_on_error = stop };
	struct batch_io		io;
	int			fd[2], r;

	assert_int_equal(pipe(fd), 0);
	assert_int_equal(write(fd[1], text, strlen(text)),
	    (ssize_t)strlen(text));
	close(fd[1]);
	io.in_fd = fd[0];
	io.emit = sink_emit;
	io.flush = sink_flush;
	io.arg = s;
	r = batch_run(&h->ctx, &o, &io);
	close(fd[0]);
	/* The face's ask is back. */
	assert_ptr_equal(h->ctx.ask_arg, h);
	return r;
}

static void
sink_free(struct sink *s)
{
	int	i;

	for (i = 0; i < s->n; i++)
		cJSON_Delete(s->answers[i]);
	vault_close(s->other);
}

/* Answer i is for line `line`, ok or failing with code. */
static void
answer_is(struct sink *s, int i, long line, const char *code)
{
	const cJSON	*a;

	assert_true(i < s->n);
	a = s->answers[i];
	if (getenv("TEST_DEBUG") != NULL) {
		char	*t = cJSON_PrintUnformatted(a);

		fprintf(stderr, "%s\n", t);
		free(t);
	}
	assert_int_equal((long)cJSON_GetNumberValue(cJSON_GetObjectItem(a,
	    "line")), line);
	if (code == NULL) {
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(a, "ok")));
		assert_non_null(cJSON_GetObjectItem(a, "result"));
	} else {
		assert_true(cJSON_IsFalse(cJSON_GetObjectItem(a, "ok")));
		assert_string_equal(cJSON_GetStringValue(
		    cJSON_GetObjectItem(a, "code")), code);
		assert_non_null(cJSON_GetStringValue(cJSON_GetObjectItem(a,
		    "error")));
	}
}

static const cJSON *
result(struct sink *s, int i)
{
	return cJSON_GetObjectItem(s->answers[i], "result");
}

static void
test_batch_group(void **state)
{
	struct harness_core	 h;
	struct sink		 s = { .notify = -1 };
	cJSON			*out;

	(void)state;
	harness_core_open(&h, NULL);
	s.other = second(&h);
	/* All waiting at once: one group, bar the line that sends. */
	assert_int_equal(run_text(&h, &s,
	    "user add alice --email a@x.org\n"		/* 1 */
	    "# who comes next\n"			/* 2 */
	    "\n"					/* 3 */
	    "user add alice\n"				/* 4 exists */
	    "activate alice app\n"			/* 5 */
	    "confirm alice app 000000   # wrong\n"	/* 6 invalid_code */
	    "user add 'bad name'\n"			/* 7 usage */
	    "user add bob\n"				/* 8 */
	    "activate bob email\n"			/* 9 no e-mail */
	    "user set bob --email 'b@x.org'\n"		/* 10 */
	    "activate bob email\n"			/* 11 sends after */
	    "user show alice\n"				/* 12 */
	    "test-backend email t@x.org\n"		/* 13 alone */
	    "outbox list", false), 2);
	assert_int_equal(s.n, 12);
	answer_is(&s, 0, 1, NULL);
	answer_is(&s, 1, 4, "exists");
	answer_is(&s, 2, 5, NULL);
	answer_is(&s, 3, 6, "invalid_code");
	answer_is(&s, 4, 7, "usage");
	answer_is(&s, 5, 8, NULL);
	answer_is(&s, 6, 9, "bad_state");
	answer_is(&s, 7, 10, NULL);
	answer_is(&s, 8, 11, NULL);
	answer_is(&s, 9, 12, NULL);
	answer_is(&s, 10, 13, NULL);
	answer_is(&s, 11, 14, NULL);
	/* The refusal's counted failure stood, inside and after the batch. */
	assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(
	    result(&s, 9), "failures")), 1);
	assert_int_equal(harness_cmd(&h, &out, "user", "show", "alice", NULL),
	    RD_OK);
	assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(out,
	    "failures")), 1);
	cmd_result_free(out);
	/* The code went out after its commit, and was told of. */
	assert_non_null(cJSON_GetObjectItem(result(&s, 8), "sent_to"));
	/* A test message, run outside the group with its own transaction. */
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
	    result(&s, 10), "outcome")), "ok");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(result(&s,
	    11), "messages")), 2);
	assert_false(seen(s.other, "bad name"));
	sink_free(&s);
	harness_core_close(&h);
}

static void
test_batch_stop(void **state)
{
	struct harness_core	 h;
	struct sink		 s = { .notify = -1 };

	(void)state;
	harness_core_open(&h, NULL);
	s.other = second(&h);
	/* Going on: the worst is a usage error, above a refusal. */
	assert_int_equal(run_text(&h, &s, "user add c\nuser show nobody\n"
	    "user frob\nuser add d\n", false), 2);
	assert_int_equal(s.n, 4);
	answer_is(&s, 1, 2, "not_found");
	answer_is(&s, 2, 3, "usage");
	assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(
	    s.answers[2], "error")), "unknown command 'user frob'"));
	answer_is(&s, 3, 4, NULL);
	sink_free(&s);

	memset(&s, 0, sizeof s);
	s.notify = -1;
	s.other = second(&h);
	/* Stopping: what came before stays, nothing after is read. */
	assert_int_equal(run_text(&h, &s, "user add e\nuser show nobody\n"
	    "user add f\n", true), 1);
	assert_int_equal(s.n, 2);
	answer_is(&s, 0, 1, NULL);
	answer_is(&s, 1, 2, "not_found");
	assert_true(seen(s.other, "e"));
	assert_false(seen(s.other, "f"));
	sink_free(&s);
	harness_core_close(&h);
}

/*
 * A producer that writes a line, waits for its answer (5 seconds at
 * most), then writes the next: the first answer must come while the
 * batch still waits for input, or the second line says it timed out.
 */
static void
test_batch_prompt(void **state)
{
	struct harness_core	 h;
	struct sink		 s;
	struct batch_opts	 o = { 0 };
	struct batch_io		 io;
	struct pollfd		 pfd;
	int			 in[2], note[2], st;
	char			 c;
	pid_t			 pid;

	(void)state;
	harness_core_open(&h, NULL);
	memset(&s, 0, sizeof s);
	s.other = second(&h);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(note), 0);
	if ((pid = fork()) == 0) {
		close(in[0]);
		close(note[1]);
		if (write(in[1], "user add first\n", 15) != 15)
			_exit(1);
		pfd.fd = note[0];
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 5000) == 1 && read(note[0], &c, 1) == 1) {
			if (write(in[1], "user add answered\n", 18) != 18)
				_exit(1);
		} else if (write(in[1], "user add timedout\n", 18) != 18) {
			_exit(1);
		}
		_exit(0);
	}
	close(in[1]);
	close(note[0]);
	s.notify = note[1];
	io.in_fd = in[0];
	io.emit = sink_emit;
	io.flush = sink_flush;
	io.arg = &s;
	assert_int_equal(batch_run(&h.ctx, &o, &io), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(st, 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
	    result(&s, 1), "user")), "answered");
	close(in[0]);
	close(note[1]);
	sink_free(&s);
	harness_core_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_steps),
		cmocka_unit_test(test_batch_group),
		cmocka_unit_test(test_batch_stop),
		cmocka_unit_test(test_batch_prompt),
	};

	/* The notifying end may be gone when the last answer is written. */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
