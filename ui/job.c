/*
 * job.c: jobs, the only way screens reach the core.  A job names one
 * entry of the command table by its words, exactly as the command line
 * would, and carries the secrets ctx->ask will hand over, so a password
 * or a code never sits in an argument list and is wiped with the job.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "screen.h"

struct ui_action
act_none(void)
{
	struct ui_action	a = { .kind = UA_NONE };

	return a;
}

struct ui_action
act_redraw(void)
{
	struct ui_action	a = { .kind = UA_REDRAW };

	return a;
}

struct ui_action
act_push(struct screen *s)
{
	struct ui_action	a = { .kind = UA_PUSH, .scr = s };

	return a;
}

struct ui_action
act_replace(struct screen *s)
{
	struct ui_action	a = { .kind = UA_REPLACE, .scr = s };

	return a;
}

struct ui_action
act_pop(void)
{
	struct ui_action	a = { .kind = UA_POP };

	return a;
}

struct ui_action
act_run(struct ui_job *job)
{
	struct ui_action	a = { .kind = UA_RUN, .job = job };

	return a;
}

struct ui_job *
job_new(int tag, const char *word, ...)
{
	struct ui_job	*j = xcalloc(1, sizeof *j);
	va_list		 ap;
	const char	*w;

	j->tag = tag;
	va_start(ap, word);
	for (w = word; w != NULL; w = va_arg(ap, const char *))
		job_arg(j, w);
	va_end(ap);
	return j;
}

void
job_arg(struct ui_job *j, const char *word)
{
	/* The command table has nothing with more words than this. */
	if (j->argc < JOB_ARGS)
		j->argv[j->argc++] = xstrdup(word);
}

void
job_answer(struct ui_job *j, const char *what, const char *value)
{
	if (j->nans == JOB_ANSWERS)
		return;
	snprintf(j->ans[j->nans].what, sizeof j->ans[j->nans].what, "%s",
	    what);
	j->ans[j->nans++].value = xstrdup(value);
}

void
job_free(struct ui_job *j)
{
	int	i;

	if (j == NULL)
		return;
	for (i = 0; i < j->argc; i++)
		secret_free(j->argv[i]);
	for (i = 0; i < j->nans; i++)
		secret_free(j->ans[i].value);
	cmd_result_free(j->out);
	sodium_memzero(j, sizeof *j);
	free(j);
}

/* ctx->ask: the answer the screen put in the job, from its field. */
static enum rd_code RD_CHECK
job_ask(void *arg, const char *what, char *buf, size_t size,
    struct rd_err *err)
{
	struct ui_job	*j = arg;
	int		 i;

	for (i = 0; i < j->nans; i++) {
		if (strcmp(j->ans[i].what, what) != 0)
			continue;
		if (strlen(j->ans[i].value) >= size)
			return rd_err_set(err, RD_USAGE, _("the %s is too long"),
			    what);
		snprintf(buf, size, "%s", j->ans[i].value);
		return RD_OK;
	}
	return rd_err_set(err, RD_USAGE,
	    _("this screen has no field for the %s"),
	    what);
}

void
job_exec(struct ui *ui, struct ui_job *j)
{
	const struct cmd_entry	*e;
	struct cmd_input	 in;
	struct rd_ctx		 ctx;
	int			 used;

	rd_err_clear(&j->err);
	cmd_result_free(j->out);
	j->out = cJSON_CreateObject();
	if (j->fn != NULL) {
		j->rc = j->fn(ui, j, j->out, &j->err);
		return;
	}
	if ((e = cmd_find(j->argc, j->argv, &used)) == NULL) {
		j->rc = rd_err_set(&j->err, RD_USAGE, _("no command '%s'"),
		    j->argc > 0 ? j->argv[0] : "");
		return;
	}
	if ((j->rc = cmd_parse(e, j->argc - used, j->argv + used, &in,
	    &j->err)) != RD_OK)
		return;
	if (ui->ctx.vault == NULL && !(e->flags & CMD_NO_VAULT)) {
		j->rc = rd_err_set(&j->err, RD_VAULT_MISSING, _("the vault is "
		    "not open"));
		return;
	}
	ctx = ui->ctx;
	ctx.ask = job_ask;
	ctx.ask_arg = j;
	ctx.cancel = &ui->cancel;
	j->rc = cmd_run(e, &ctx, &in, j->out, &j->err);
	/*
	 * A command that opened the vault (init makes one and keeps it
	 * open) hands it to the session, which owns it from then on, as it
	 * owns what init opens for the command line.
	 */
	if (ui->ctx.vault == NULL && ctx.vault != NULL &&
	    ui->session != NULL && ui->session->ctx.vault == NULL) {
		ui->session->ctx.vault = ctx.vault;
		ui->ctx.vault = ctx.vault;
	}
}

static atomic_uint	missing;

/* A required key of a result, or NULL (counted) when it is not there. */
static const cJSON *
job_need(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (v == NULL)
		atomic_fetch_add(&missing, 1);
	return v;
}

unsigned
job_missing(void)
{
	return atomic_load(&missing);
}

const char *
job_str(const cJSON *o, const char *key)
{
	const cJSON	*v = job_need(o, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

double
job_num(const cJSON *o, const char *key)
{
	const cJSON	*v = job_need(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

bool
job_bool(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(job_need(o, key));
}

const char *
job_opt_str(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

bool
job_has(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return v != NULL && !cJSON_IsNull(v);
}
