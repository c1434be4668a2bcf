/*
 * cmd-restore.c: `redoubt restore FILE [--force]`: put a backup back as
 * the vault (vault_restore).  The file must be a redoubt vault that the
 * passphrase opens and whose audit chain verifies; that is checked on a
 * working copy before anything is touched, so a refused file leaves the
 * vault as it was.  An existing vault is replaced only with --force.  The
 * restored vault's log gets a row "restore" naming the file.
 *
 * It runs without opening the vault (there may be none, or a damaged
 * one) and always asks for the passphrase, never a session: what opens
 * is the backup, and only the passphrase proves the operator may have it.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../vault/vault.h"
#include "cmd.h"
#include "env.h"
#include "i18n.h"
#include "json.h"
#include "util.h"

enum {
	RESTORE_FORCE,
	RESTORE_NOPTS
};

static const struct cmd_opt restore_opts[RESTORE_NOPTS] = {
	[RESTORE_FORCE] = { .name = "force", .has_arg = false,
	    .help = N_("replace the vault that is there") },
};

static enum rd_code RD_CHECK
restore_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const char		*from = in->pos[0];
	bool			 force = cmd_opt(in, RESTORE_FORCE) != NULL;
	struct vault_audit	 row;
	struct stat		 sb;
	char			*pass, *detail, *real;
	bool			 replaced;
	enum rd_code		 rc;

	/* Refused before the passphrase is asked for. */
	if (vault_is_db(ctx->vault_path))
		return rd_err_set(err, RD_USAGE, _("restore puts a backup file "
		    "back as a vault file; to load one into a database, run "
		    "redoubt --vault FILE backup --to DATABASE"));
	if (!force && lstat(ctx->vault_path, &sb) == 0)
		return rd_err_set(err, RD_EXISTS, _("a vault exists at %s; "
		    "restore --force replaces it"), ctx->vault_path);
	if (stat(from, &sb) != 0)
		return rd_err_set(err, RD_NOT_FOUND, _("no file %s"), from);
	pass = secret_alloc(SECRET_LINE_MAX);
	if ((rc = ctx->ask(ctx->ask_arg, "passphrase", pass, SECRET_LINE_MAX,
	    err)) != RD_OK) {
		secret_release(pass);
		return rc;
	}
	real = realpath(from, NULL);
	detail = xasprintf("restored from %s", real != NULL ? real : from);
	free(real);
	memset(&row, 0, sizeof row);
	row.time = env_now(ctx->env);
	row.actor = ctx->actor;
	row.action = "restore";
	row.outcome = "ok";
	row.detail = detail;
	path_mkdirs(ctx->vault_path);
	rc = vault_restore(from, ctx->vault_path, pass, strlen(pass), force,
	    &row, &replaced, err);
	secret_release(pass);
	free(detail);
	if (rc != RD_OK)
		return rc;
	json_str(out, "vault", ctx->vault_path);
	json_str(out, "restored_from", from);
	json_bool(out, "replaced", replaced);
	return RD_OK;
}

const struct cmd_entry cmd_restore_entry = {
	.name = "restore",
	.usage = "FILE [--force]",
	.help = N_("put a backup FILE back as the vault"),
	.minpos = 1,
	.maxpos = 1,
	.opts = restore_opts,
	.nopts = RESTORE_NOPTS,
	.flags = CMD_NO_VAULT | CMD_BATCH_NO,
	.exec = restore_exec,
};
