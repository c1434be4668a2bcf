/*
 * cli-batch.c: the runner of `redoubt batch` (cli-batch.h): lines in,
 * steps run in group commits, answers out once their group has
 * committed, and the exit status of the most severe error.
 *
 * Answers wait in b->pend, in line order, while a group is open; they
 * are written when it commits (or turned into the commit's error when it
 * does not), and at once when no group is open.  Nothing of a line that
 * failed stays in the vault; what a refused line wrote stands, as it
 * does for a command run alone (tx.h).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli-batch.h"
#include "cli-int.h"
#include "cmd.h"
#include "i18n.h"
#include "json.h"
#include "tx.h"
#include "util.h"

static const struct cmd_opt batch_opts_table[BATCH_NOPTS] = {
	[BATCH_STOP_ON_ERROR] = { .name = "stop-on-error",
	    .help = N_("stop at the first line that fails (else go on; the "
	    "exit status is that of the worst error)") },
};

const struct cmd_entry cli_batch_entry = {
	.name = "batch",
	.usage = "[--stop-on-error]",
	.help = N_("run one command a line from stdin (as its words on the "
	    "command line, --password VALUE allowed), one JSON answer a line "
	    "on stdout"),
	.opts = batch_opts_table,
	.nopts = BATCH_NOPTS,
};

/* One line's answer, waiting for its group to commit. */
struct batch_answer {
	long		 line;
	enum rd_code	 rc;
	struct rd_err	 err;
	cJSON		*out;		/* the result; NULL when none */
};

struct batch {
	struct rd_ctx		*ctx;
	const struct batch_opts	*o;
	const struct batch_io	*io;
	struct batch_reader	 r;
	struct batch_line	 l;
	struct tx_group		 g;
	struct batch_answer	*pend;
	int			 npend, cap;
	enum rd_code		 worst;
};

/*
 * How severe a failure is for the exit status: what a line was told
 * (a refusal) least, then a provider that failed, then input that is
 * not a command, then a setup that is wrong, then a vault that fails.
 */
static int
batch_rank(enum rd_code rc)
{
	switch (rd_code_exit(rc)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 4:
		return 2;
	case 2:
		return 3;
	case 5:
		return 4;
	default:
		return 5;
	}
}

static void
answer_emit(const struct batch_io *io, long line, enum rd_code rc,
    const struct rd_err *err, cJSON *out)
{
	cJSON	*doc = cJSON_CreateObject();
	char	*s;

	cJSON_AddNumberToObject(doc, "line", (double)line);
	cJSON_AddBoolToObject(doc, "ok", rc == RD_OK);
	if (rc != RD_OK) {
		cJSON_AddStringToObject(doc, "code", rd_code_name(rc));
		cJSON_AddStringToObject(doc, "error", err->msg);
	}
	/* What a failing command did learn goes along, as with --json. */
	if (out != NULL && (rc == RD_OK || out->child != NULL)) {
		cJSON_AddItemToObject(doc, "result", out);
		out = NULL;
	}
	json_free(out);
	cli_json_clean(doc);
	s = cJSON_PrintUnformatted(doc);
	io->emit(io->arg, s);
	sodium_memzero(s, strlen(s));
	free(s);
	json_free(doc);
}

void
batch_fail(const struct batch_io *io, enum rd_code rc,
    const struct rd_err *err)
{
	answer_emit(io, 0, rc, err, NULL);
	io->flush(io->arg);
}

/* Write every waiting answer, in order. */
static void
batch_emit(struct batch *b)
{
	struct batch_answer	*a;
	int			 i;

	for (i = 0; i < b->npend; i++) {
		a = &b->pend[i];
		if (batch_rank(a->rc) > batch_rank(b->worst))
			b->worst = a->rc;
		answer_emit(b->io, a->line, a->rc, &a->err, a->out);
	}
	b->npend = 0;
}

/*
 * Its group was not kept: every waiting answer of a line whose writes
 * were to stand (ok, or refused) becomes err.  A line that failed kept
 * nothing anyway and keeps its own error.
 */
static void
batch_lost(struct batch *b, const struct rd_err *err)
{
	int	i;

	for (i = 0; i < b->npend; i++) {
		if (b->pend[i].rc != RD_OK && !rd_code_refusal(b->pend[i].rc))
			continue;
		b->pend[i].rc = err->code;
		b->pend[i].err = *err;
		json_free(b->pend[i].out);
		b->pend[i].out = NULL;
	}
}

/* Commit the open group, if any, and write what waited for it. */
static void
batch_commit(struct batch *b)
{
	struct rd_err	err;

	if (b->g.open && tx_group_commit(b->ctx, &b->g, &err) != RD_OK)
		batch_lost(b, &err);
	batch_emit(b);
}

/* Queue a line's answer; written at once when no group holds it back. */
static struct batch_answer *
batch_answer(struct batch *b, long line, enum rd_code rc,
    const struct rd_err *err, cJSON *out)
{
	struct batch_answer	*a;

	if (b->npend == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->pend = xrealloc(b->pend, (size_t)b->cap * sizeof *b->pend);
	}
	a = &b->pend[b->npend++];
	a->line = line;
	a->rc = rc;
	if (rc != RD_OK)
		a->err = *err;
	else
		rd_err_clear(&a->err);
	a->out = out;
	return a;
}

/* A line run on its own, outside any group: slow work, or no vault. */
static enum rd_code RD_CHECK
batch_alone(struct batch *b)
{
	struct rd_err	 err;
	cJSON		*out = cJSON_CreateObject();
	enum rd_code	 rc;

	batch_commit(b);
	rc = cmd_run(b->l.e, b->ctx, b->l.in, out, &err);
	batch_answer(b, b->l.no, rc, &err, out);
	batch_emit(b);
	return rc;
}

/* A line run as one step of the open group (opened when need be). */
static enum rd_code RD_CHECK
batch_step(struct batch *b)
{
	struct batch_answer	*a;
	struct rd_err		 err, cerr;
	cJSON			*out;
	enum rd_code		 rc;

	/*
	 * A password's Argon2id, a command without the vault, or one with
	 * transactions of its own: alone, with no group open.
	 */
	if (b->l.password != NULL || (b->l.e->flags & (CMD_NO_VAULT |
	    CMD_OWN_TX)))
		return batch_alone(b);
	if (!b->g.open && (rc = tx_group_begin(b->ctx, &b->g, &err)) !=
	    RD_OK) {
		batch_answer(b, b->l.no, rc, &err, NULL);
		batch_emit(b);
		return rc;
	}
	out = cJSON_CreateObject();
	rc = cmd_run_grouped(b->l.e, b->ctx, b->l.in, out, &b->g, &err);
	if (b->g.lost) {
		/* The transaction ended under the line: its group is gone. */
		batch_lost(b, &err);
		batch_answer(b, b->l.no, rc, &err, NULL);
		json_free(out);
		batch_emit(b);
		return rc;
	}
	a = batch_answer(b, b->l.no, rc, &err, out);
	if (rc != RD_OK || b->ctx->after.fn == NULL)
		return rc;
	/* Work for after the commit (a send): commit, then run it. */
	if (tx_group_commit(b->ctx, &b->g, &cerr) != RD_OK) {
		ctx_after_drop(b->ctx);
		batch_lost(b, &cerr);
		batch_emit(b);
		return cerr.code;
	}
	if ((rc = cmd_after(b->ctx, a->out, &err)) != RD_OK) {
		a->rc = rc;
		a->err = err;
	}
	batch_emit(b);
	return rc;
}

int
batch_run(struct rd_ctx *ctx, const struct batch_opts *o,
    const struct batch_io *io)
{
	struct batch	 b;
	struct rd_err	 err;
	enum rd_code	 (*ask)(void *, const char *, char *, size_t,
			    struct rd_err *) = ctx->ask;
	void		*ask_arg = ctx->ask_arg;
	char		*text;
	enum rd_code	 rc;
	int		 max = o->group_max > 0 ? o->group_max : BATCH_GROUP_MAX;
	int		 n;

	memset(&b, 0, sizeof b);
	b.ctx = ctx;
	b.o = o;
	b.io = io;
	batch_reader_init(&b.r, io->in_fd);
	batch_line_init(&b.l);
	ctx->ask = batch_ask;
	ctx->ask_arg = &b.l;
	for (;;) {
		/* Nothing more waiting: what was done is told now. */
		if (!batch_reader_ready(&b.r) || b.npend >= max) {
			batch_commit(&b);
			io->flush(io->arg);
		}
		if ((n = batch_reader_line(&b.r, &text, &err)) == 0)
			break;
		if (n < 0)
			rc = err.code;
		else if ((rc = batch_line_parse(&b.l, text, b.r.lineno,
		    &err)) == RD_OK && b.l.e == NULL)
			continue;	/* blank, or a comment */
		if (rc == RD_OK)
			rc = batch_step(&b);
		else
			batch_answer(&b, b.r.lineno, rc, &err, NULL);
		if (!b.g.open)
			batch_emit(&b);
		batch_line_wipe(&b.l);
		if (rc != RD_OK && o->stop_on_error)
			break;
	}
	batch_commit(&b);
	io->flush(io->arg);
	batch_line_free(&b.l);
	batch_reader_free(&b.r);
	free(b.pend);
	ctx->ask = ask;
	ctx->ask_arg = ask_arg;
	return rd_code_exit(b.worst);
}
