/*
 * cmd-user-list.c: `redoubt user list`: one page of users in name order.
 * --after names the last user of the previous page and --before the
 * first user of the next one ("" for the last page), so paging either way
 * costs the same on the millionth user as on the first.
 */
#include <limits.h>

#include "flow.h"
#include "util.h"

static const struct cmd_opt user_list_opts[] = {
	{ "prefix", true, "only names starting with P" },
	{ "after", true, "names after USER (the next page)" },
	{ "limit", true, "at most N names (default 50)" },
	{ "before", true, "names before USER, the nearest ones (\"\": the "
	  "last page)" },
	{ NULL, false, NULL }
};

static void
user_list_one(void *arg, const char *name, bool active)
{
	cJSON	*u = cJSON_CreateObject();

	json_str(u, "name", name);
	cJSON_AddBoolToObject(u, "active", active);
	cJSON_AddItemToArray(arg, u);
}

static enum rd_code
user_list_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	long	limit = 50;

	if (in->opt[2] != NULL && !str_to_long(in->opt[2], 1, 100000, &limit))
		return rd_err_set(err, RD_USAGE, "--limit: '%s' is not a number "
		    "from 1 to 100000", in->opt[2]);
	if (in->opt[1] != NULL && in->opt[3] != NULL)
		return rd_err_set(err, RD_USAGE, "--after and --before together");
	if (in->opt[3] != NULL)
		return vault_user_list_before(ctx->vault, in->opt[0],
		    in->opt[3], (int)limit, user_list_one,
		    cJSON_AddArrayToObject(out, "users"), err);
	return vault_user_list(ctx->vault, in->opt[0], in->opt[1], (int)limit,
	    user_list_one, cJSON_AddArrayToObject(out, "users"), err);
}

const struct cmd_entry cmd_user_list_entry = {
	"user list", "[--prefix P] [--after USER | --before USER] [--limit N]",
	"list users",
	0, 0, user_list_opts, 0, user_list_exec
};
