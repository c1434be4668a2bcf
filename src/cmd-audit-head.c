/*
 * cmd-audit-head.c: `redoubt audit head`: a short digest of the audit
 * log's head (its row count and newest MAC, under the audit key), the
 * last word of the output, for an operator to record somewhere the vault
 * cannot reach (a ticket, a log host, paper).  `audit verify --head`
 * later proves the log still extends it.
 */
#include "cmd.h"
#include "i18n.h"
#include "json.h"
#include "../vault/vault.h"

static enum rd_code RD_CHECK
audit_head_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	char		head[VAULT_HEAD_MAX];
	int64_t		rows;
	enum rd_code	rc;

	(void)in;
	if ((rc = vault_audit_head(ctx->vault, head, &rows, err)) != RD_OK)
		return rc;
	json_num(out, "rows", (double)rows);
	json_str(out, "head", head);
	return RD_OK;
}

const struct cmd_entry cmd_audit_head_entry = {
	.name = "audit head",
	.usage = "",
	.help = N_("a digest of the audit log's head, to record elsewhere"),
	.exec = audit_head_exec,
};
