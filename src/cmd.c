/*
 * cmd.c: the command table and the runner: finding an entry by its
 * words, reading its options, checking the argument count, and running it
 * in the transaction it needs, then what it left for after the commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../vault/vault.h"
#include "cmd.h"
#include "i18n.h"
#include "json.h"
#include "tx.h"
#include "util.h"

extern const struct cmd_entry cmd_init_entry, cmd_passphrase_entry,
    cmd_user_add_entry, cmd_user_set_entry, cmd_user_rename_entry,
    cmd_user_show_entry,
    cmd_user_list_entry, cmd_user_del_entry, cmd_user_unlock_entry,
    cmd_user_reset_entry, cmd_activate_entry, cmd_enrolment_entry,
    cmd_confirm_entry,
    cmd_deactivate_entry, cmd_request_code_entry, cmd_login_entry,
    cmd_login_code_entry, cmd_backup_codes_entry, cmd_primary_entry,
    cmd_methods_entry, cmd_config_entry, cmd_test_backend_entry,
    cmd_outbox_list_entry, cmd_outbox_show_entry, cmd_outbox_clear_entry,
    cmd_audit_list_entry, cmd_audit_verify_entry, cmd_audit_head_entry,
    cmd_unlock_entry, cmd_lock_entry, cmd_key_add_entry,
    cmd_key_list_entry, cmd_key_remove_entry, cmd_backup_entry,
    cmd_restore_entry, cmd_import_users_entry, cmd_import_tokens_entry,
    cmd_export_tokens_entry;

const struct cmd_entry *const cmd_table[] = {
	&cmd_init_entry,
	&cmd_passphrase_entry,
	&cmd_unlock_entry,
	&cmd_lock_entry,
	&cmd_key_add_entry,
	&cmd_key_list_entry,
	&cmd_key_remove_entry,
	&cmd_user_add_entry,
	&cmd_user_set_entry,
	&cmd_user_rename_entry,
	&cmd_user_show_entry,
	&cmd_user_list_entry,
	&cmd_user_del_entry,
	&cmd_user_unlock_entry,
	&cmd_user_reset_entry,
	&cmd_activate_entry,
	&cmd_enrolment_entry,
	&cmd_confirm_entry,
	&cmd_deactivate_entry,
	&cmd_request_code_entry,
	&cmd_login_entry,
	&cmd_login_code_entry,
	&cmd_backup_codes_entry,
	&cmd_primary_entry,
	&cmd_methods_entry,
	&cmd_config_entry,
	&cmd_test_backend_entry,
	&cmd_outbox_list_entry,
	&cmd_outbox_show_entry,
	&cmd_outbox_clear_entry,
	&cmd_audit_list_entry,
	&cmd_audit_verify_entry,
	&cmd_audit_head_entry,
	&cmd_backup_entry,
	&cmd_restore_entry,
	&cmd_import_users_entry,
	&cmd_import_tokens_entry,
	&cmd_export_tokens_entry,
	NULL
};

/* How many of the words argv match e's name (0: none). */
static int
cmd_match(const struct cmd_entry *e, int argc, char *const *argv)
{
	const char	*sp = strchr(e->name, ' ');
	size_t		 n;

	if (sp == NULL)
		return strcmp(e->name, argv[0]) == 0 ? 1 : 0;
	n = (size_t)(sp - e->name);
	if (argc >= 2 && strlen(argv[0]) == n &&
	    strncmp(e->name, argv[0], n) == 0 && strcmp(sp + 1, argv[1]) == 0)
		return 2;
	return 0;
}

const struct cmd_entry *
cmd_find(int argc, char *const *argv, int *used)
{
	const struct cmd_entry	*e, *best = NULL;
	size_t			 i;
	int			 n;

	if (argc < 1)
		return NULL;
	*used = 0;
	for (i = 0; (e = cmd_table[i]) != NULL; i++) {
		if ((n = cmd_match(e, argc, argv)) > *used) {
			best = e;
			*used = n;
		}
	}
	for (i = 0; best == NULL && (e = cmd_table[i]) != NULL; i++) {
		n = (int)strcspn(e->name, " ");
		if ((e->flags & CMD_DEFAULT) && strlen(argv[0]) == (size_t)n &&
		    strncmp(e->name, argv[0], (size_t)n) == 0) {
			best = e;
			*used = 1;
		}
	}
	return best;
}

const char *
cmd_opt_named(const struct cmd_entry *e, const struct cmd_input *in,
    const char *name)
{
	int	i;

	for (i = 0; i < e->nopts; i++)
		if (strcmp(e->opts[i].name, name) == 0)
			return in->opt[i];
	return NULL;
}

const char *
cmd_opt(const struct cmd_input *in, int opt)
{
	/* An index past the table is a bug in the command's enum. */
	if (opt < 0 || opt >= CMD_MAX_OPTS)
		abort();
	return in->opt[opt];
}

static int
cmd_opt_index(const struct cmd_entry *e, const char *name)
{
	int	i;

	for (i = 0; i < e->nopts; i++)
		if (strcmp(e->opts[i].name, name) == 0)
			return i;
	return -1;
}

enum rd_code
cmd_parse(const struct cmd_entry *e, int argc, char **argv,
    struct cmd_input *in, struct rd_err *err)
{
	int		 i, k;
	bool		 ended = false;
	const char	*v;
	char		 name[64];

	memset(in, 0, sizeof *in);
	for (i = 0; i < argc; i++) {
		if (!ended && strcmp(argv[i], "--") == 0) {
			/* POSIX guideline 10: what follows is not an option. */
			ended = true;
			continue;
		}
		if (ended || !str_has_prefix(argv[i], "--")) {
			if (in->npos == CMD_MAX_POS)
				return rd_err_set(err, RD_USAGE, _("too many "
				    "arguments; usage: redoubt %s %s"), e->name,
				    e->usage);
			in->pos[in->npos++] = argv[i];
			continue;
		}
		snprintf(name, sizeof name, "%s", argv[i] + 2);
		name[strcspn(name, "=")] = '\0';
		if ((k = cmd_opt_index(e, name)) < 0)
			return rd_err_set(err, RD_USAGE, _("%s: unknown option "
			    "--%s; usage: redoubt %s %s"), e->name, name,
			    e->name, e->usage);
		if (!e->opts[k].has_arg) {
			if (strchr(argv[i], '=') != NULL)
				return rd_err_set(err, RD_USAGE, _("--%s takes "
				    "no value"), name);
			in->opt[k] = "";
			continue;
		}
		if (strchr(argv[i], '=') != NULL)
			v = strchr(argv[i], '=') + 1;
		else
			v = i + 1 < argc ? argv[++i] : NULL;
		if (v == NULL)
			return rd_err_set(err, RD_USAGE,
			    _("--%s needs a value"),
			    name);
		in->opt[k] = v;
	}
	return RD_OK;
}

struct cmd_step {
	const struct cmd_entry	*e;
	const struct cmd_input	*in;
	cJSON			*out;
};

static enum rd_code RD_CHECK
cmd_step(struct rd_ctx *ctx, void *arg, struct rd_err *err)
{
	struct cmd_step	*st = arg;

	return st->e->exec(ctx, st->in, st->out, err);
}

/* The argument count, then what the entry asks before its step. */
static enum rd_code RD_CHECK
cmd_start(const struct cmd_entry *e, struct rd_ctx *ctx,
    const struct cmd_input *in, struct rd_err *err)
{
	if (in->npos < e->minpos || in->npos > e->maxpos)
		return rd_err_set(err, RD_USAGE, _("usage: redoubt %s %s"),
		    e->name, e->usage);
	ctx_after_drop(ctx);
	ctx_prep_drop(ctx);
	if (e->prepare != NULL)
		return e->prepare(ctx, in, err);
	return RD_OK;
}

/*
 * A shared store may refuse a commit that conflicts with another
 * connection's (a serialization failure): the step wrote nothing and runs
 * again on a fresh view, its half-made answer and after-commit work
 * dropped.  Writers queue on one lock, so this is rare; the bound keeps a
 * store that always refuses from looping.
 */
#define CMD_CONFLICT_TRIES	5

static enum rd_code RD_CHECK
cmd_tx(struct rd_ctx *ctx, struct cmd_step *st, struct rd_err *err)
{
	enum rd_code	 rc;
	cJSON		*c;
	int		 tries = 0;

	for (;;) {
		rc = tx_run(ctx, cmd_step, st, err);
		if (rc == RD_OK || !vault_conflicted(ctx->vault) ||
		    ++tries == CMD_CONFLICT_TRIES)
			return rc;
		while ((c = st->out->child) != NULL)
			cJSON_Delete(cJSON_DetachItemViaPointer(st->out, c));
		ctx_after_drop(ctx);
	}
}

enum rd_code
cmd_run(const struct cmd_entry *e, struct rd_ctx *ctx,
    const struct cmd_input *in, cJSON *out, struct rd_err *err)
{
	struct cmd_step	st = { e, in, out };
	enum rd_code	rc;

	if ((rc = cmd_start(e, ctx, in, err)) != RD_OK)
		goto out;
	if ((e->flags & CMD_WRITES) && ctx->vault != NULL)
		rc = cmd_tx(ctx, &st, err);
	else
		rc = e->exec(ctx, in, out, err);
	if (rc == RD_OK)
		rc = cmd_after(ctx, out, err);
out:
	ctx_after_drop(ctx);
	ctx_prep_drop(ctx);
	return rc;
}

enum rd_code
cmd_run_grouped(const struct cmd_entry *e, struct rd_ctx *ctx,
    const struct cmd_input *in, cJSON *out, struct tx_group *g,
    struct rd_err *err)
{
	struct cmd_step	st = { e, in, out };
	enum rd_code	rc;

	if ((rc = cmd_start(e, ctx, in, err)) != RD_OK)
		goto out;
	if (e->flags & CMD_WRITES)
		rc = tx_group_step(ctx, g, cmd_step, &st, err);
	else
		rc = e->exec(ctx, in, out, err);
out:
	/* Post-commit work of a failed step never runs. */
	if (rc != RD_OK)
		ctx_after_drop(ctx);
	ctx_prep_drop(ctx);
	return rc;
}

enum rd_code
cmd_after(struct rd_ctx *ctx, cJSON *out, struct rd_err *err)
{
	enum rd_code	rc = RD_OK;

	if (ctx->after.fn != NULL)
		rc = ctx->after.fn(ctx, ctx->after.arg, out, err);
	ctx_after_drop(ctx);
	return rc;
}

bool
cmd_opt_give(const struct cmd_entry *e, struct cmd_input *in,
    const char *name, const char *value)
{
	int	i = cmd_opt_index(e, name);

	if (i < 0)
		return false;
	in->opt[i] = value;
	return true;
}

void
cmd_result_free(cJSON *out)
{
	json_free(out);
}
