/*
 * cmd-backup.c: `redoubt backup FILE`: a consistent copy of the live vault
 * (vault_backup), made while other processes go on writing, and an audit
 * row "backup" naming the file in the live vault.
 *
 * The vault must be unlocked (passphrase or session) as for any command:
 * the copy is sealed as the vault is, but taking one proves the operator
 * may read the vault, and the audit row needs the key.  The copy is made
 * before the transaction (prepare), so no write lock is held while it is
 * read; the row is written in the transaction, and only once that has
 * committed is the file kept: when the row cannot be written the copy is
 * removed again, so no backup exists that the log does not name.  The
 * copy's own log ends just before that row.
 */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../vault/vault.h"
#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "util.h"

struct backup_prep {
	char	*path;		/* absolute */
	bool	 keep;		/* the audit row committed */
};

static void
backup_prep_free(void *arg)
{
	struct backup_prep	*p = arg;

	if (!p->keep)
		unlink(p->path);
	free(p->path);
	free(p);
}

/* path with its folder made absolute, for the audit row. */
static char *
backup_abspath(const char *path)
{
	char	*a = xstrdup(path), *b = xstrdup(path), *dir, *s;

	if (path[0] == '/' || (dir = realpath(dirname(a), NULL)) == NULL)
		s = xstrdup(path);
	else {
		s = xasprintf("%s/%s", strcmp(dir, "/") == 0 ? "" : dir,
		    basename(b));
		free(dir);
	}
	free(a);
	free(b);
	return s;
}

static enum rd_code RD_CHECK
backup_prepare(struct rd_ctx *ctx, const struct cmd_input *in,
    struct rd_err *err)
{
	struct backup_prep	*p;
	char			*path;
	enum rd_code		 rc;

	if (in->pos[0][0] == '\0')
		return rd_err_set(err, RD_USAGE, _("backup: the file name is "
		    "empty"));
	path = backup_abspath(in->pos[0]);
	if ((rc = vault_backup(ctx->vault, path, err)) != RD_OK) {
		free(path);
		return rc;
	}
	p = xcalloc(1, sizeof *p);
	p->path = path;
	ctx_prep(ctx, p, backup_prep_free);
	return RD_OK;
}

static enum rd_code RD_CHECK
backup_keep(struct rd_ctx *ctx, void *arg, cJSON *out, struct rd_err *err)
{
	struct backup_prep	*p = arg;

	(void)ctx;
	(void)out;
	(void)err;
	p->keep = true;
	return RD_OK;
}

static enum rd_code RD_CHECK
backup_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct backup_prep	*p = ctx->prep;
	struct stat		 sb;
	enum rd_code		 rc;

	(void)in;
	if ((rc = flow_audit(ctx, NULL, "backup", "ok", p->path, err)) !=
	    RD_OK)
		return rc;
	ctx_after(ctx, backup_keep, p, NULL);
	json_str(out, "file", p->path);
	json_str(out, "vault", ctx->vault_path);
	if (stat(p->path, &sb) == 0)
		json_num(out, "bytes", (double)sb.st_size);
	return RD_OK;
}

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.usage = "FILE",
	.help = N_("copy the live vault to a new FILE (consistent while "
	    "others write)"),
	.minpos = 1,
	.maxpos = 1,
	.flags = CMD_WRITES | CMD_BATCH_NO,
	.prepare = backup_prepare,
	.exec = backup_exec,
};
