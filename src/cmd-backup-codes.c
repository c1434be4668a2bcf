/*
 * cmd-backup-codes.c: `redoubt backup-codes USER [CODE]`: a new set of
 * backup codes; the old set dies in the same transaction.  Allowed only
 * with allow_backup_codes_regeneration, and with a code when
 * confirm_backup_codes_regeneration_with_code is on.  --sheet FILE also
 * prints them on an enrolment sheet (enrol-sheet.h).
 */
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "enrol-sheet.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "util.h"

enum {
	BACKUP_CODES_SHEET,
	BACKUP_CODES_NOPTS
};

static const struct cmd_opt backup_codes_opts[BACKUP_CODES_NOPTS] = {
	[BACKUP_CODES_SHEET] = { .name = "sheet", .has_arg = true,
	    .help = N_("also write the codes on an enrolment sheet (PDF) to "
	    "FILE") },
};

static enum rd_code RD_CHECK
backup_codes_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	static const struct flow_proof	 proof = {
		.backup = true,
		.action = "backup-codes",
	};
	struct vault_user		 u;
	struct vault_method		*list = NULL;
	size_t				 n = 0, i;
	bool				 active = false;
	char				 *code = NULL;
	char				 used[VAULT_METHOD_MAX + 1];
	const char			*sheet = cmd_opt(in,
					    BACKUP_CODES_SHEET);
	struct sheet			 sh;
	enum rd_code			 rc;

	if (!config_bool(ctx->cfg, CK_ALLOW_BACKUP_CODES_REGENERATION))
		return rd_err_set(err, RD_NOT_ALLOWED, _("backup codes may not "
		    "be regenerated (allow_backup_codes_regeneration = "
		    "false)"));
	/* A taken path is refused before anything is done. */
	if (sheet != NULL && (rc = sheet_check_path(sheet, err)) != RD_OK)
		return rc;
	if ((rc = flow_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	if ((rc = vault_method_list(ctx->vault, u.id, &list, &n, err)) != RD_OK)
		goto out;
	for (i = 0; i < n; i++)
		if (list[i].state == VAULT_ACTIVE)
			active = true;
	if (!active) {
		rc = rd_err_set(err, RD_BAD_STATE, _("user %s has no active "
		    "method; backup codes come with the first one"), u.name);
		goto out;
	}
	if (config_bool(ctx->cfg,
	    CK_CONFIRM_BACKUP_CODES_REGENERATION_WITH_CODE)) {
		if (in->npos < 2) {
			rc = rd_err_set(err, RD_NOT_ALLOWED, _("new backup "
			    "codes need a code from an active method"));
			goto out;
		}
		if ((rc = flow_code_arg(ctx, in->pos[1], &code, err)) != RD_OK ||
		    (rc = flow_check_any(ctx, &u, &proof, code, used, err)) !=
		    RD_OK)
			goto out;
	}
	if ((rc = flow_new_backup_codes(ctx, &u, out, err)) == RD_OK)
		json_str(out, "user", u.name);
	if (rc == RD_OK && sheet != NULL) {
		enrol_sheet_from(ctx, out, &sh);
		rc = enrol_sheet_stage(ctx, &sh, sheet, err);
		enrol_sheet_clear(&sh);
	}
out:
	secret_release(code);
	vault_method_list_free(list, n);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_backup_codes_entry = {
	.name = "backup-codes",
	.usage = "USER [CODE] [--sheet FILE]",
	.help = N_("a new set of backup codes"),
	.minpos = 1,
	.maxpos = 2,
	.opts = backup_codes_opts,
	.nopts = BACKUP_CODES_NOPTS,
	.flags = CMD_WRITES,
	.exec = backup_codes_exec,
};
