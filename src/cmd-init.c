/*
 * cmd-init.c: `redoubt init [--kdf ...]`: make a new vault at the vault
 * path, with the folders above it private to the operator, and never over
 * an existing file.  The new passphrase comes through ctx->ask.  The
 * vault's first audit row says so, written with the vault itself.  The
 * test KDF exists so test suites run fast; it says so in its output, since
 * a real vault made with it would fall to a guessing attack in minutes.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../vault/vault.h"
#include "cmd.h"
#include "env.h"
#include "i18n.h"
#include "json.h"
#include "util.h"

enum {
	INIT_KDF,
	INIT_NOPTS
};

static const struct cmd_opt init_opts[INIT_NOPTS] = {
	[INIT_KDF] = { .name = "kdf", .has_arg = true,
	    .help = N_("interactive, moderate, sensitive or test") },
};

static enum rd_code RD_CHECK
init_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const char		*kdfname = cmd_opt(in, INIT_KDF);
	struct vault_audit	 first;
	enum vault_kdf		 kdf;
	char			*pass, *shown;
	enum rd_code		 rc;

	if (kdfname == NULL)
		kdfname = "moderate";
	if (!vault_kdf_parse(kdfname, &kdf))
		return rd_err_set(err, RD_USAGE, _("--kdf: '%s' is not one of "
		    "interactive, moderate, sensitive, test"), kdfname);
	pass = secret_alloc(SECRET_LINE_MAX);
	if ((rc = ctx->ask(ctx->ask_arg, "new vault passphrase", pass,
	    SECRET_LINE_MAX, err)) == RD_OK && pass[0] == '\0')
		rc = rd_err_set(err, RD_USAGE, _("the passphrase is empty"));
	if (rc != RD_OK) {
		secret_release(pass);
		return rc;
	}
	memset(&first, 0, sizeof first);
	first.time = env_now(ctx->env);
	first.actor = ctx->actor;
	first.action = "init";
	first.outcome = "ok";
	first.detail = kdfname;
	if (!vault_is_db(ctx->vault_path))
		path_mkdirs(ctx->vault_path);
	rc = vault_create(ctx->vault_path, pass, strlen(pass), kdf, &first,
	    &ctx->vault, err);
	secret_release(pass);
	if (rc != RD_OK)
		return rc;
	shown = vault_where_shown(ctx->vault_path);
	json_str(out, "vault", shown);
	free(shown);
	json_str(out, "kdf", kdfname);
	if (kdf == VAULT_KDF_TEST)
		json_str(out, "warning", _("TEST KDF: minimum Argon2id cost, "
		    "for test suites only; never keep real secrets in this "
		    "vault"));
	return RD_OK;
}

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.usage = "[--kdf interactive|moderate|sensitive|test]",
	.help = N_("create a new vault"),
	.opts = init_opts,
	.nopts = INIT_NOPTS,
	.flags = CMD_NO_VAULT | CMD_BATCH_NO,
	.exec = init_exec,
};
