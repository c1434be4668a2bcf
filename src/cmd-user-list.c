/*
 * cmd-user-list.c: `redoubt user list`: one page of users in name order.
 * --after names the last user of the previous page and --before the
 * first user of the next one ("" for the last page), so paging either way
 * costs the same on the millionth user as on the first.
 *
 * --search TEXT pages the names starting with TEXT (as --prefix) and adds
 * `matches`: the users whose e-mail or phone number is exactly TEXT,
 * found through the vault's keyed index, the same on every page.  A user
 * whose name starts with TEXT is left out of them: `users` has it.
 */
#include <limits.h>
#include <string.h>

#include "cmd.h"
#include "json.h"
#include "user.h"
#include "util.h"
#include "../vault/vault.h"

enum {
	USER_LIST_PREFIX,
	USER_LIST_AFTER,
	USER_LIST_LIMIT,
	USER_LIST_BEFORE,
	USER_LIST_SEARCH,
	USER_LIST_NOPTS
};

static const struct cmd_opt user_list_opts[USER_LIST_NOPTS] = {
	[USER_LIST_PREFIX] = { .name = "prefix", .has_arg = true,
	    .help = "only names starting with P" },
	[USER_LIST_AFTER] = { .name = "after", .has_arg = true,
	    .help = "names after USER (the next page)" },
	[USER_LIST_LIMIT] = { .name = "limit", .has_arg = true,
	    .help = "at most N names (default 50)" },
	[USER_LIST_BEFORE] = { .name = "before", .has_arg = true,
	    .help = "names before USER, the nearest ones (\"\": the last "
	    "page)" },
	[USER_LIST_SEARCH] = { .name = "search", .has_arg = true,
	    .help = "names starting with TEXT, and users whose e-mail or "
	    "phone is TEXT" },
};

struct user_list_found {
	cJSON		*arr;
	const char	*prefix;
};

static void
user_list_one(void *arg, const char *name, bool active)
{
	cJSON	*u = cJSON_CreateObject();

	json_str(u, "name", name);
	json_bool(u, "active", active);
	cJSON_AddItemToArray(arg, u);
}

static void
user_list_match(void *arg, const char *name, bool active, const char *by)
{
	struct user_list_found	*f = arg;
	cJSON			*u;

	if (str_has_prefix(name, f->prefix))
		return;
	u = cJSON_CreateObject();
	json_str(u, "name", name);
	json_bool(u, "active", active);
	json_str(u, "by", by);
	cJSON_AddItemToArray(f->arr, u);
}

static enum rd_code RD_CHECK
user_list_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const char	*prefix = cmd_opt(in, USER_LIST_PREFIX);
	const char	*after = cmd_opt(in, USER_LIST_AFTER);
	const char	*before = cmd_opt(in, USER_LIST_BEFORE);
	const char	*limitarg = cmd_opt(in, USER_LIST_LIMIT);
	const char	*search = cmd_opt(in, USER_LIST_SEARCH);
	long		 limit = 50;
	enum rd_code	 rc;

	if (limitarg != NULL && !str_to_long(limitarg, 1, 100000, &limit))
		return rd_err_set(err, RD_USAGE, "--limit: '%s' is not a number "
		    "from 1 to 100000", limitarg);
	if (after != NULL && before != NULL)
		return rd_err_set(err, RD_USAGE, "--after and --before together");
	if (search != NULL && prefix != NULL)
		return rd_err_set(err, RD_USAGE, "--search and --prefix together "
		    "(--search includes --prefix)");
	if (search != NULL)
		prefix = search;
	if (before != NULL)
		rc = vault_user_list_before(ctx->vault, prefix, before,
		    (int)limit, user_list_one,
		    cJSON_AddArrayToObject(out, "users"), err);
	else
		rc = vault_user_list(ctx->vault, prefix, after, (int)limit,
		    user_list_one, cJSON_AddArrayToObject(out, "users"), err);
	if (rc == RD_OK && search != NULL) {
		struct user_list_found	f;
		struct rd_err		ignored;
		char			phone[USER_PHONE_MAX];

		f.arr = cJSON_AddArrayToObject(out, "matches");
		f.prefix = search;
		/* A number as people write it (00 48 ...) finds its E.164. */
		if (strchr(search, '@') == NULL && user_phone_normalise(search,
		    phone, &ignored) == RD_OK)
			search = phone;
		rc = vault_user_find(ctx->vault, search, (int)limit,
		    user_list_match, &f, err);
	}
	if (rc != RD_OK) {
		/* Half a list next to a damaged row would mislead. */
		cJSON_DeleteItemFromObjectCaseSensitive(out, "users");
		cJSON_DeleteItemFromObjectCaseSensitive(out, "matches");
	}
	return rc;
}

const struct cmd_entry cmd_user_list_entry = {
	.name = "user list",
	.usage = "[--prefix P | --search TEXT] [--after USER | --before USER] "
	    "[--limit N]",
	.help = "list users",
	.opts = user_list_opts,
	.nopts = USER_LIST_NOPTS,
	.exec = user_list_exec,
};
