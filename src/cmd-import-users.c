/*
 * cmd-import-users.c: `redoubt import users FILE.csv [--report FILE]
 * [--update] [--send] [--sheets DIR]`: users from a CSV file (import.h), many
 * transactions in one command, so the entry does not ask the runner for
 * one (no CMD_WRITES): the import opens one per chunk through tx_run.
 */
#include "cmd.h"
#include "i18n.h"
#include "import.h"

enum {
	IMPORT_REPORT,
	IMPORT_UPDATE,
	IMPORT_SEND,
	IMPORT_SHEETS,
	IMPORT_NOPTS
};

static const struct cmd_opt import_users_opts[IMPORT_NOPTS] = {
	[IMPORT_REPORT] = { .name = "report", .has_arg = true,
	    .help = N_("write the refused rows to this CSV file (mode 0600, "
	    "passwords left out)") },
	[IMPORT_UPDATE] = { .name = "update",
	    .help = N_("change users who exist (else they are skipped)") },
	[IMPORT_SEND] = { .name = "send",
	    .help = N_("start code channels too, sending each a code") },
	[IMPORT_SHEETS] = { .name = "sheets", .has_arg = true,
	    .help = N_("write an enrolment sheet (PDF) for each app started "
	    "into this folder: USER-METHOD.pdf") },
};

static enum rd_code RD_CHECK
import_users_exec(struct rd_ctx *ctx, const struct cmd_input *in,
    cJSON *out, struct rd_err *err)
{
	struct import_opts	o = { 0 };

	o.path = in->pos[0];
	o.report = cmd_opt(in, IMPORT_REPORT);
	o.update = cmd_opt(in, IMPORT_UPDATE) != NULL;
	o.send = cmd_opt(in, IMPORT_SEND) != NULL;
	o.sheets = cmd_opt(in, IMPORT_SHEETS);
	return import_users(ctx, &o, out, err);
}

const struct cmd_entry cmd_import_users_entry = {
	.name = "import users",
	.usage = "FILE.csv [--report FILE] [--update] [--send] [--sheets DIR]",
	.help = N_("create users from a CSV file"),
	.minpos = 1,
	.maxpos = 1,
	.opts = import_users_opts,
	.nopts = IMPORT_NOPTS,
	.flags = CMD_OWN_TX | CMD_BATCH_NO,
	.exec = import_users_exec,
};
