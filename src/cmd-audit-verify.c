/*
 * cmd-audit-verify.c: `redoubt audit verify [--head DIGEST]`: walk the
 * audit log's MAC chain and name the first row that was changed, inserted
 * or cut.  A broken chain is reported as vault_corrupt (exit 3): the file
 * was altered behind redoubt's back.  With --head (from `audit head`,
 * kept elsewhere) the chain must also still pass through that head, which
 * catches what no check inside one file can: the whole vault put back to
 * an older copy.
 */
#include "cmd.h"
#include "i18n.h"
#include "json.h"
#include "../vault/vault.h"

enum {
	AUDIT_VERIFY_HEAD,
	AUDIT_VERIFY_NOPTS
};

static const struct cmd_opt audit_verify_opts[AUDIT_VERIFY_NOPTS] = {
	[AUDIT_VERIFY_HEAD] = { .name = "head", .has_arg = true,
	    .help = N_("a digest from `audit head`: the log must extend it") },
};

static enum rd_code RD_CHECK
audit_verify_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const char	*head = cmd_opt(in, AUDIT_VERIFY_HEAD);
	int64_t		 bad, rows;
	bool		 extends;
	enum rd_code	 rc;

	if ((rc = vault_audit_verify(ctx->vault, head, &bad, &rows, &extends,
	    err)) != RD_OK)
		return rc;
	json_num(out, "rows", (double)rows);
	json_bool(out, "ok", bad == 0 && extends);
	if (bad != 0) {
		json_num(out, "first_bad", (double)bad);
		return rd_err_set(err, RD_VAULT_CORRUPT, _("audit log is "
		    "broken at row %lld: it was changed outside redoubt"),
		    (long long)bad);
	}
	if (!extends)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("the audit log does "
		    "not extend head %s: rows were cut or the vault was put "
		    "back to an older copy"), head);
	return RD_OK;
}

const struct cmd_entry cmd_audit_verify_entry = {
	.name = "audit verify",
	.usage = "[--head DIGEST]",
	.help = N_("verify the audit log's MAC chain (and that it extends a "
	    "head)"),
	.opts = audit_verify_opts,
	.nopts = AUDIT_VERIFY_NOPTS,
	.exec = audit_verify_exec,
};
