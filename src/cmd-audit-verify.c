/*
 * cmd-audit-verify.c: `redoubt audit verify [--head DIGEST] [--full]`:
 * walk the audit log's MAC chain and name the first row that was changed,
 * inserted or cut.  A broken chain is reported as vault_corrupt (exit 3):
 * the file was altered behind redoubt's back.  By default the walk starts
 * at the head the last good check sealed in the vault (vault/audit-verify.c)
 * and covers only the rows written since; --full walks every row, which
 * also finds an edit of an older row's fields.  A good check seals the new
 * head, so the command writes.  With --head (from `audit head`, kept
 * elsewhere) the chain must also still pass through that head, which
 * catches what no check inside one file can: the whole vault put back to
 * an older copy.
 */
#include "cmd.h"
#include "i18n.h"
#include "json.h"
#include "../vault/vault.h"

enum {
	AUDIT_VERIFY_HEAD,
	AUDIT_VERIFY_FULL,
	AUDIT_VERIFY_NOPTS
};

static const struct cmd_opt audit_verify_opts[AUDIT_VERIFY_NOPTS] = {
	[AUDIT_VERIFY_HEAD] = { .name = "head", .has_arg = true,
	    .help = N_("a digest from `audit head`: the log must extend it") },
	[AUDIT_VERIFY_FULL] = { .name = "full",
	    .help = N_("walk every row, not only those after the verified "
	    "head") },
};

static enum rd_code RD_CHECK
audit_verify_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const char		*head = cmd_opt(in, AUDIT_VERIFY_HEAD);
	struct vault_verify	 res;
	enum rd_code		 rc;

	if ((rc = vault_audit_check(ctx->vault, head,
	    cmd_opt(in, AUDIT_VERIFY_FULL) != NULL, &res, err)) != RD_OK)
		return rc;
	json_num(out, "rows", (double)res.rows);
	json_num(out, "checked", (double)res.checked);
	json_bool(out, "full", res.from == 0);
	json_bool(out, "ok", res.bad == 0 && res.extends && !res.head_bad &&
	    !res.head_stale);
	if (res.bad != 0) {
		json_num(out, "first_bad", (double)res.bad);
		return rd_err_set(err, RD_VAULT_CORRUPT, _("audit log is "
		    "broken at row %lld: it was changed outside redoubt"),
		    (long long)res.bad);
	}
	if (res.head_bad)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("the verified audit "
		    "head kept in the vault fails its check: it was changed "
		    "outside redoubt (every row was walked and is intact; "
		    "audit verify --full seals a new head)"));
	if (res.head_stale)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("the audit log no "
		    "longer matches its verified head: the rows up to it were "
		    "cut or replaced outside redoubt"));
	if (!res.extends)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("the audit log does "
		    "not extend head %s: rows were cut or the vault was put "
		    "back to an older copy"), head);
	return RD_OK;
}

const struct cmd_entry cmd_audit_verify_entry = {
	.name = "audit verify",
	.usage = "[--head DIGEST] [--full]",
	.help = N_("verify the audit log's MAC chain (and that it extends a "
	    "head)"),
	.opts = audit_verify_opts,
	.nopts = AUDIT_VERIFY_NOPTS,
	.flags = CMD_WRITES,
	.exec = audit_verify_exec,
};
