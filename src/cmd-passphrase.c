/*
 * cmd-passphrase.c: `redoubt passphrase`: wrap the master key under a new
 * passphrase.  Nothing else in the file changes, so it is quick and safe.
 */
#include <string.h>

#include <sodium.h>

#include "../vault/vault.h"
#include "cmd.h"
#include "flow.h"

static enum rd_code
passphrase_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	char		pass[1024];
	enum rd_code	rc;

	(void)in;
	if ((rc = ctx->ask(ctx->ask_arg, "new passphrase", pass, sizeof pass,
	    err)) != RD_OK)
		return rc;
	if (pass[0] == '\0') {
		sodium_memzero(pass, sizeof pass);
		return rd_err_set(err, RD_USAGE, "the new passphrase is empty");
	}
	rc = vault_rekey(ctx->vault, pass, strlen(pass), err);
	sodium_memzero(pass, sizeof pass);
	if (rc != RD_OK)
		return rc;
	if ((rc = vault_begin(ctx->vault, err)) != RD_OK)
		return rc;
	rc = flow_audit(ctx, NULL, "passphrase", "ok", "rewrapped", err);
	if ((rc = flow_end(ctx, rc, err)) != RD_OK)
		return rc;
	json_str(out, "status", "ok");
	return RD_OK;
}

static const struct cmd_opt passphrase_opts[] = {
	{ "new-passphrase-file", true, "read the new passphrase from FILE" },
	{ NULL, false, NULL }
};

const struct cmd_entry cmd_passphrase_entry = {
	"passphrase", "[--new-passphrase-file FILE]",
	"change the vault passphrase", 0, 0, passphrase_opts, 0,
	passphrase_exec
};
