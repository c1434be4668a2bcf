/*
 * cmd-audit-list.c: `redoubt audit [list] [--user U] [--action A]
 * [--since T] [--limit N]`: the newest rows of the audit log that pass
 * every filter given, oldest first.  The filters run in the vault's one
 * query (vault_audit_list); T is read against the injected clock, so an
 * age such as 2h means the same thing in a test as at the desk.
 */
#include "cmd.h"
#include "env.h"
#include "json.h"
#include "util.h"
#include "when.h"
#include "../vault/vault.h"

enum {
	AUDIT_LIST_LIMIT,
	AUDIT_LIST_USER,
	AUDIT_LIST_ACTION,
	AUDIT_LIST_SINCE,
	AUDIT_LIST_NOPTS
};

static const struct cmd_opt audit_list_opts[AUDIT_LIST_NOPTS] = {
	[AUDIT_LIST_LIMIT] = { .name = "limit", .has_arg = true,
	    .help = "the newest N rows that match (default 100; 0: all)" },
	[AUDIT_LIST_USER] = { .name = "user", .has_arg = true,
	    .help = "only rows about user U (the exact name)" },
	[AUDIT_LIST_ACTION] = { .name = "action", .has_arg = true,
	    .help = "only rows of action A (login, send, \"user add\", ...)" },
	[AUDIT_LIST_SINCE] = { .name = "since", .has_arg = true,
	    .help = "only rows from T on: " WHEN_FORMS },
};

static void
audit_list_one(void *arg, const struct vault_audit *a)
{
	cJSON	*r = cJSON_CreateObject();

	json_num(r, "id", (double)a->id);
	json_num(r, "time", (double)a->time);
	json_str(r, "actor", a->actor);
	json_str(r, "user", a->user);
	json_str(r, "action", a->action);
	json_str(r, "outcome", a->outcome);
	json_str(r, "detail", a->detail);
	cJSON_AddItemToArray(arg, r);
}

static enum rd_code RD_CHECK
audit_list_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_audit_filter	 f = { 0 };
	const char			*arg = cmd_opt(in, AUDIT_LIST_LIMIT);
	const char			*since = cmd_opt(in, AUDIT_LIST_SINCE);
	long				 limit = 100;

	if (arg != NULL && !str_to_long(arg, 0, 0x7fffffffL, &limit))
		return rd_err_set(err, RD_USAGE, "--limit: '%s' is not a "
		    "number", arg);
	if (since != NULL && !when_parse(since, env_now(ctx->env), &f.since))
		return rd_err_set(err, RD_USAGE, "--since: '%.64s' is not a "
		    "time: give " WHEN_FORMS, since);
	f.user = cmd_opt(in, AUDIT_LIST_USER);
	f.action = cmd_opt(in, AUDIT_LIST_ACTION);
	f.limit = (int)limit;
	return vault_audit_list(ctx->vault, &f, audit_list_one,
	    cJSON_AddArrayToObject(out, "entries"), err);
}

const struct cmd_entry cmd_audit_list_entry = {
	.name = "audit list",
	.usage = "[--user U] [--action A] [--since T] [--limit N]",
	.help = "read the audit log (also: redoubt audit)",
	.opts = audit_list_opts,
	.nopts = AUDIT_LIST_NOPTS,
	.flags = CMD_DEFAULT,
	.exec = audit_list_exec,
};
