/*
 * cmd-key-add.c: `redoubt key add --keyfile FILE`: a new key slot, its
 * random 256-bit key written to FILE (new, 0400), so that a service opens
 * the vault with --keyfile or $REDOUBT_KEYFILE and no passphrase.
 *
 * The file is written inside the step, before the commit: should the
 * commit itself fail, the file names a slot the vault does not have and
 * opens nothing (and `key add` says so); nothing else is left behind.
 */
#include <stdio.h>

#include "cmd.h"
#include "env.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"

enum {
	KEY_ADD_KEYFILE,
	KEY_ADD_NOPTS
};

static const struct cmd_opt key_add_opts[KEY_ADD_NOPTS] = {
	[KEY_ADD_KEYFILE] = { .name = "keyfile", .has_arg = true,
	    .help = N_("the key file to write (new; mode 0400)") },
};

static enum rd_code RD_CHECK
key_add_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const char	*path = cmd_opt(in, KEY_ADD_KEYFILE);
	char		 detail[64];
	int64_t		 id;
	enum rd_code	 rc;

	if (path == NULL || path[0] == '\0')
		return rd_err_set(err, RD_USAGE, _("key add needs --keyfile "
		    "FILE: where to write the new key"));
	if ((rc = vault_slot_add(ctx->vault, path, env_now(ctx->env), &id,
	    err)) != RD_OK)
		return rc;
	snprintf(detail, sizeof detail, "slot %lld", (long long)id);
	if ((rc = flow_audit(ctx, NULL, "key add", "ok", detail, err)) !=
	    RD_OK)
		return rc;
	cJSON_AddNumberToObject(out, "slot", (double)id);
	json_str(out, "keyfile", path);
	return RD_OK;
}

const struct cmd_entry cmd_key_add_entry = {
	.name = "key add",
	.usage = "--keyfile FILE",
	.help = N_("add a key slot: a key file that opens the vault without "
	    "the passphrase"),
	.opts = key_add_opts,
	.nopts = KEY_ADD_NOPTS,
	.flags = CMD_WRITES | CMD_BATCH_NO,
	.exec = key_add_exec,
};
