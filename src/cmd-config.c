/*
 * cmd-config.c: `redoubt config [--check]`: the configuration in effect
 * (credentials as ***) and what the faces need to know about each method,
 * or, with --check, every problem of the file named with its section and
 * line.  Runs without the vault.
 */
#include <string.h>

#include "cmd.h"
#include "i18n.h"
#include "json.h"
#include "kind.h"
#include "util.h"

enum {
	CONFIG_CHECK,
	CONFIG_NOPTS
};

static const struct cmd_opt config_opts[CONFIG_NOPTS] = {
	[CONFIG_CHECK] = { .name = "check",
	    .help = N_("validate every section and name each bad key") },
};

static enum rd_code RD_CHECK
config_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct config	*cfg = ctx->cfg;
	struct rd_buf	 text;
	cJSON		*arr, *m;
	size_t		 i;

	json_str(out, "path", cfg->path ? cfg->path : "built-in defaults");
	arr = cJSON_AddArrayToObject(out, "problems");
	for (i = 0; i < cfg->problems.n; i++)
		cJSON_AddItemToArray(arr,
		    cJSON_CreateString(cfg->problems.list[i]));
	if (cmd_opt(in, CONFIG_CHECK) != NULL) {
		if (cfg->problems.n == 0) {
			json_str(out, "status", "ok");
			return RD_OK;
		}
		/* Every problem is in "problems"; the message names the first. */
		return rd_err_set(err, RD_CONFIG, ngettext("%zu problem in "
		    "%s; the first: %s", "%zu problems in %s; the first: %s",
		    (unsigned long)cfg->problems.n), cfg->problems.n,
		    cfg->path ? cfg->path : _("the built-in config"),
		    cfg->problems.list[0]);
	}
	arr = cJSON_AddArrayToObject(out, "methods");
	for (i = 0; i < cfg->nmethods; i++) {
		m = cJSON_CreateObject();
		json_str(m, "name", cfg->methods[i].name);
		json_str(m, "handler", cfg->methods[i].handler->name);
		kind_info(&cfg->methods[i], m);
		cJSON_AddItemToArray(arr, m);
	}
	rd_buf_init(&text, 0);
	config_dump(cfg, &text);
	json_str(out, "text", text.data);
	rd_buf_free(&text);
	return RD_OK;
}

const struct cmd_entry cmd_config_entry = {
	.name = "config",
	.usage = "[--check]",
	.help = N_("show or check the configuration"),
	.opts = config_opts,
	.nopts = CONFIG_NOPTS,
	.flags = CMD_NO_VAULT | CMD_NO_CONFIG,
	.exec = config_exec,
};
