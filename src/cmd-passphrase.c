/*
 * cmd-passphrase.c: `redoubt passphrase`: wrap the master key under a new
 * passphrase.  Nothing else in the file changes, so it is quick and safe.
 */
#include <string.h>

#include <sodium.h>

#include "../vault/vault.h"
#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "util.h"
#include "line.h"

enum {
	PASSPHRASE_NEW_FILE,
	PASSPHRASE_NOPTS
};

static const struct cmd_opt passphrase_opts[PASSPHRASE_NOPTS] = {
	[PASSPHRASE_NEW_FILE] = { .name = "new-passphrase-file",
	    .has_arg = true, .help = N_("read the new passphrase from FILE") },
};

static enum rd_code RD_CHECK
passphrase_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const char	*file = cmd_opt(in, PASSPHRASE_NEW_FILE);
	char		*pass = secret_alloc(SECRET_LINE_MAX);
	enum rd_code	 rc;

	if (file != NULL)
		rc = line_read_file(file, "new passphrase", pass,
		    SECRET_LINE_MAX, err);
	else
		rc = ctx->ask(ctx->ask_arg, "new passphrase", pass,
		    SECRET_LINE_MAX, err);
	if (rc == RD_OK && pass[0] == '\0')
		rc = rd_err_set(err, RD_USAGE,
		    _("the new passphrase is empty"));
	if (rc == RD_OK)
		rc = vault_rekey(ctx->vault, pass, strlen(pass), err);
	secret_release(pass);
	if (rc == RD_OK)
		rc = flow_audit(ctx, NULL, "passphrase", "ok", "rewrapped",
		    err);
	if (rc == RD_OK)
		json_str(out, "status", "ok");
	return rc;
}

const struct cmd_entry cmd_passphrase_entry = {
	.name = "passphrase",
	.usage = "[--new-passphrase-file FILE]",
	.help = N_("change the vault passphrase"),
	.opts = passphrase_opts,
	.nopts = PASSPHRASE_NOPTS,
	.flags = CMD_WRITES | CMD_BATCH_NO,
	.exec = passphrase_exec,
};
