/*
 * cmd-lock.c: `redoubt lock [--all]`: end the session in $REDOUBT_SESSION,
 * or every session of the vault kept in this user's folder.  It needs no
 * passphrase: ending a session only deletes its file.
 */
#include <stdlib.h>

#include "cmd.h"
#include "i18n.h"
#include "json.h"
#include "sesstok.h"

enum {
	LOCK_ALL,
	LOCK_NOPTS
};

static const struct cmd_opt lock_opts[LOCK_NOPTS] = {
	[LOCK_ALL] = { .name = "all",
	    .help = N_("end every session of this vault") },
};

static enum rd_code RD_CHECK
lock_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const char	*tok = getenv(SESSTOK_ENV);
	enum rd_code	 rc;
	int		 n = 0;

	if (cmd_opt(in, LOCK_ALL) != NULL) {
		if ((rc = sesstok_end_all(ctx->vault_path, &n, err)) != RD_OK)
			return rc;
	} else {
		if (tok == NULL || tok[0] == '\0')
			return rd_err_set(err, RD_NOT_FOUND, _("no session "
			    "to end: $%s is not set (--all ends every "
			    "session of the vault)"), SESSTOK_ENV);
		if ((rc = sesstok_end(tok, err)) != RD_OK)
			return rc;
		n = 1;
	}
	json_str(out, "status", "ok");
	cJSON_AddNumberToObject(out, "ended", n);
	return RD_OK;
}

const struct cmd_entry cmd_lock_entry = {
	.name = "lock",
	.usage = "[--all]",
	.help = N_("end the session (--all: every session of this vault)"),
	.opts = lock_opts,
	.nopts = LOCK_NOPTS,
	.flags = CMD_NO_VAULT | CMD_BATCH_NO,
	.exec = lock_exec,
};
