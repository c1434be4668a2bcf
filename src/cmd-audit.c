/*
 * cmd-audit.c: `redoubt audit [list|verify]`: read the audit log, or walk
 * its MAC chain and name the first row that was changed, inserted or cut.
 * A broken chain is reported as vault_corrupt (exit 3): the file was
 * altered behind redoubt's back.
 */
#include <string.h>

#include "flow.h"
#include "util.h"

static const struct cmd_opt audit_opts[] = {
	{ "limit", true, "list: the newest N rows (default 100; 0: all)" },
	{ NULL, false, NULL }
};

static void
audit_one(void *arg, const struct vault_audit *a)
{
	cJSON	*r = cJSON_CreateObject();

	cJSON_AddNumberToObject(r, "id", (double)a->id);
	cJSON_AddNumberToObject(r, "time", (double)a->time);
	json_str(r, "actor", a->actor);
	json_str(r, "user", a->user);
	json_str(r, "action", a->action);
	json_str(r, "outcome", a->outcome);
	json_str(r, "detail", a->detail);
	cJSON_AddItemToArray(arg, r);
}

static enum rd_code
audit_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const char	*sub = in->npos > 0 ? in->pos[0] : "list";
	int64_t		 bad, rows;
	long		 limit = 100;
	enum rd_code	 rc;

	if (strcmp(sub, "list") == 0) {
		if (in->opt[0] != NULL && !str_to_long(in->opt[0], 0,
		    0x7fffffffL, &limit))
			return rd_err_set(err, RD_USAGE, "--limit: '%s' is not "
			    "a number", in->opt[0]);
		return vault_audit_list(ctx->vault, (int)limit, audit_one,
		    cJSON_AddArrayToObject(out, "entries"), err);
	}
	if (strcmp(sub, "verify") != 0)
		return rd_err_set(err, RD_USAGE, "usage: redoubt audit "
		    "[list|verify]");
	if ((rc = vault_audit_verify(ctx->vault, &bad, &rows, err)) != RD_OK)
		return rc;
	cJSON_AddNumberToObject(out, "rows", (double)rows);
	cJSON_AddBoolToObject(out, "ok", bad == 0);
	if (bad != 0) {
		cJSON_AddNumberToObject(out, "first_bad", (double)bad);
		return rd_err_set(err, RD_VAULT_CORRUPT, "audit log is broken "
		    "at row %lld: it was changed outside redoubt",
		    (long long)bad);
	}
	return RD_OK;
}

const struct cmd_entry cmd_audit_entry = {
	"audit", "[list|verify] [--limit N]", "read or verify the audit log",
	0, 1, audit_opts, 0, audit_exec
};
