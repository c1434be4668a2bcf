/*
 * cmd-audit-list.c: `redoubt audit [list] [--limit N]`: the newest rows of
 * the audit log, oldest first.
 */
#include "cmd.h"
#include "json.h"
#include "util.h"
#include "../vault/vault.h"

enum {
	AUDIT_LIST_LIMIT,
	AUDIT_LIST_NOPTS
};

static const struct cmd_opt audit_list_opts[AUDIT_LIST_NOPTS] = {
	[AUDIT_LIST_LIMIT] = { .name = "limit", .has_arg = true,
	    .help = "the newest N rows (default 100; 0: all)" },
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
	const char	*arg = cmd_opt(in, AUDIT_LIST_LIMIT);
	long		 limit = 100;

	if (arg != NULL && !str_to_long(arg, 0, 0x7fffffffL, &limit))
		return rd_err_set(err, RD_USAGE, "--limit: '%s' is not a "
		    "number", arg);
	return vault_audit_list(ctx->vault, (int)limit, audit_list_one,
	    cJSON_AddArrayToObject(out, "entries"), err);
}

const struct cmd_entry cmd_audit_list_entry = {
	.name = "audit list",
	.usage = "[--limit N]",
	.help = "read the audit log (also: redoubt audit)",
	.opts = audit_list_opts,
	.nopts = AUDIT_LIST_NOPTS,
	.flags = CMD_DEFAULT,
	.exec = audit_list_exec,
};
