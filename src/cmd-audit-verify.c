/*
 * cmd-audit-verify.c: `redoubt audit verify`: walk the audit log's MAC
 * chain and name the first row that was changed, inserted or cut.  A
 * broken chain is reported as vault_corrupt (exit 3): the file was
 * altered behind redoubt's back.
 */
#include "cmd.h"
#include "json.h"
#include "../vault/vault.h"

static enum rd_code RD_CHECK
audit_verify_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	int64_t		bad, rows;
	enum rd_code	rc;

	(void)in;
	if ((rc = vault_audit_verify(ctx->vault, &bad, &rows, err)) != RD_OK)
		return rc;
	json_num(out, "rows", (double)rows);
	json_bool(out, "ok", bad == 0);
	if (bad != 0) {
		json_num(out, "first_bad", (double)bad);
		return rd_err_set(err, RD_VAULT_CORRUPT, "audit log is broken "
		    "at row %lld: it was changed outside redoubt",
		    (long long)bad);
	}
	return RD_OK;
}

const struct cmd_entry cmd_audit_verify_entry = {
	.name = "audit verify",
	.usage = "",
	.help = "verify the audit log's MAC chain",
	.exec = audit_verify_exec,
};
