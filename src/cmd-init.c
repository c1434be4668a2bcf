/*
 * cmd-init.c: `redoubt init`: a new, empty vault.  The test KDF exists so
 * test suites run fast; it says so in its output, since a real vault made
 * with it would fall to a guessing attack in minutes.
 */
#include <string.h>

#include <sodium.h>

#include "../vault/vault.h"
#include "cmd.h"
#include "flow.h"

static const struct cmd_opt init_opts[] = {
	{ "kdf", true, "interactive, moderate, sensitive or test" },
	{ NULL, false, NULL }
};

static enum rd_code
init_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const char	*kdfname = in->opt[0] ? in->opt[0] : "moderate";
	enum vault_kdf	 kdf;
	char		 pass[1024];
	enum rd_code	 rc;

	if (!vault_kdf_parse(kdfname, &kdf))
		return rd_err_set(err, RD_USAGE, "--kdf: '%s' is not one of "
		    "interactive, moderate, sensitive, test", kdfname);
	if ((rc = ctx->ask(ctx->ask_arg, "new vault passphrase", pass,
	    sizeof pass, err)) != RD_OK)
		return rc;
	if (pass[0] == '\0') {
		sodium_memzero(pass, sizeof pass);
		return rd_err_set(err, RD_USAGE, "the passphrase is empty");
	}
	rc = vault_create(ctx->vault_path, pass, strlen(pass), kdf,
	    &ctx->vault, err);
	sodium_memzero(pass, sizeof pass);
	if (rc != RD_OK)
		return rc;
	if ((rc = vault_begin(ctx->vault, err)) != RD_OK)
		return rc;
	rc = flow_audit(ctx, NULL, "init", "ok", kdfname, err);
	if ((rc = flow_end(ctx, rc, err)) != RD_OK)
		return rc;
	json_str(out, "vault", ctx->vault_path);
	json_str(out, "kdf", kdfname);
	if (kdf == VAULT_KDF_TEST)
		json_str(out, "warning", "TEST KDF: minimum Argon2id cost, for "
		    "test suites only; never keep real secrets in this vault");
	return RD_OK;
}

const struct cmd_entry cmd_init_entry = {
	"init", "[--kdf interactive|moderate|sensitive|test]",
	"create a new vault", 0, 0, init_opts, CMD_NO_VAULT, init_exec
};
