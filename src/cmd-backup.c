/*
 * cmd-backup.c: `redoubt backup FILE` and `redoubt backup --to TARGET`: a
 * consistent copy of the live vault, made while other processes go on
 * writing, and an audit row "backup" naming the copy in the live vault.
 *
 * FILE is a new SQLite file: SQLite's online backup of a file vault
 * (vault_backup), or the rows of a PostgreSQL vault copied into one.
 * --to takes a file or a PostgreSQL database (an empty one) and copies the
 * rows across (vault_copy), ids and MACs as they are: that is how a vault
 * moves between the stores, either way, with the same passphrase, key
 * slots and audit chain.
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

enum {
	BACKUP_TO,
	BACKUP_NOPTS
};

static const struct cmd_opt backup_opts[BACKUP_NOPTS] = {
	[BACKUP_TO] = { .name = "to", .has_arg = true,
	    .help = N_("copy into TARGET: a new file or an empty PostgreSQL "
	    "database (postgresql://...)") },
};

struct backup_prep {
	char	*path;		/* absolute, or the database as shown */
	bool	 db;		/* a database, not a file */
	bool	 keep;		/* the audit row committed */
};

static void
backup_prep_free(void *arg)
{
	struct backup_prep	*p = arg;

	/* A database copy stays: it holds no more than the vault does. */
	if (!p->keep && !p->db)
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
	const char		*to = cmd_opt(in, BACKUP_TO);
	const char		*target = to != NULL ? to : in->pos[0];
	char			*path;
	bool			 db;
	enum rd_code		 rc;

	if ((to != NULL) == (in->npos == 1))
		return rd_err_set(err, RD_USAGE, _("usage: redoubt backup FILE "
		    "| backup --to TARGET"));
	if (target[0] == '\0')
		return rd_err_set(err, RD_USAGE, _("backup: the file name is "
		    "empty"));
	db = vault_is_db(target);
	path = db ? vault_where_shown(target) : backup_abspath(target);
	if (to == NULL && db)
		rc = rd_err_set(err, RD_USAGE, _("backup: %s is a database; "
		    "copy into one with backup --to"), path);
	else if (to == NULL && !vault_is_db(ctx->vault_path))
		rc = vault_backup(ctx->vault, path, err);
	else
		rc = vault_copy(ctx->vault, db ? target : path, err);
	if (rc != RD_OK) {
		free(path);
		return rc;
	}
	p = xcalloc(1, sizeof *p);
	p->path = path;
	p->db = db;
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
	char			*shown;
	enum rd_code		 rc;

	(void)in;
	if ((rc = flow_audit(ctx, NULL, "backup", "ok", p->path, err)) !=
	    RD_OK)
		return rc;
	ctx_after(ctx, backup_keep, p, NULL);
	json_str(out, p->db ? "database" : "file", p->path);
	shown = vault_where_shown(ctx->vault_path);
	json_str(out, "vault", shown);
	free(shown);
	if (!p->db && stat(p->path, &sb) == 0)
		json_num(out, "bytes", (double)sb.st_size);
	return RD_OK;
}

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.usage = "FILE | --to TARGET",
	.help = N_("copy the live vault to a new FILE, or into another store "
	    "(consistent while others write)"),
	.minpos = 0,
	.maxpos = 1,
	.flags = CMD_WRITES | CMD_BATCH_NO,
	.prepare = backup_prepare,
	.exec = backup_exec,
	.opts = backup_opts,
	.nopts = BACKUP_NOPTS,
};
