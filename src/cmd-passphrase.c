/*
 * cmd-passphrase.c: `redoubt passphrase`: wrap the master key under a new
 * passphrase.  Nothing else in the file changes, so it is quick and safe.
 */
#include <string.h>

#include <sodium.h>

#include "../vault/vault.h"
#include "cmd.h"
#include "flow.h"
#include "json.h"
#include "line.h"

enum {
	PASSPHRASE_NEW_FILE,
	PASSPHRASE_NOPTS
};

static const struct cmd_opt passphrase_opts[PASSPHRASE_NOPTS] = {
	[PASSPHRASE_NEW_FILE] = { .name = "new-passphrase-file",
	    .has_arg = true, .help = "read the new passphrase from FILE" },
};

static enum rd_code RD_CHECK
passphrase_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const char	*file = cmd_opt(in, PASSPHRASE_NEW_FILE);
	char		 pass[1024];
	enum rd_code	 rc;

	if (file != NULL)
		rc = line_read_file(file, "new passphrase", pass, sizeof pass,
		    err);
	else
		rc = ctx->ask(ctx->ask_arg, "new passphrase", pass,
		    sizeof pass, err);
	if (rc != RD_OK)
		return rc;
	if (pass[0] == '\0') {
		sodium_memzero(pass, sizeof pass);
		return rd_err_set(err, RD_USAGE, "the new passphrase is empty");
	}
	rc = vault_rekey(ctx->vault, pass, strlen(pass), err);
	sodium_memzero(pass, sizeof pass);
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
	.help = "change the vault passphrase",
	.opts = passphrase_opts,
	.nopts = PASSPHRASE_NOPTS,
	.flags = CMD_WRITES,
	.exec = passphrase_exec,
};
