/*
 * cmd-config.c: `redoubt config [--check]`: the configuration in effect
 * (credentials as ***), or, with --check, every problem of the file named
 * with its section and line.  Runs without the vault.
 */
#include <string.h>

#include "../backends/backend.h"
#include "flow.h"
#include "util.h"

static const struct cmd_opt config_opts[] = {
	{ "check", false, "validate every section and name each bad key" },
	{ NULL, false, NULL }
};

static enum rd_code
config_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct config	*cfg = ctx->cfg;
	struct rd_buf	 text;
	cJSON		*arr, *m;
	size_t		 i;

	json_str(out, "path", cfg->path ? cfg->path : "built-in defaults");
	arr = cJSON_AddArrayToObject(out, "problems");
	for (i = 0; i < cfg->nproblems; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(cfg->problems[i]));
	if (in->opt[0] != NULL) {
		if (cfg->nproblems == 0) {
			json_str(out, "status", "ok");
			return RD_OK;
		}
		/* Every problem is in "problems"; the message names the first. */
		rd_err_set(err, RD_CONFIG, "%zu problem%s in %s; the first: %s",
		    cfg->nproblems, cfg->nproblems == 1 ? "" : "s",
		    cfg->path ? cfg->path : "the built-in config",
		    cfg->problems[0]);
		return RD_CONFIG;
	}
	arr = cJSON_AddArrayToObject(out, "methods");
	for (i = 0; i < cfg->nmethods; i++) {
		m = cJSON_CreateObject();
		json_str(m, "name", cfg->methods[i].name);
		json_str(m, "handler", cfg->methods[i].be->name);
		json_str(m, "kind", backend_kind_name(cfg->methods[i].be->kind));
		json_str(m, "verbose_name",
		    method_verbose_name(&cfg->methods[i]));
		cJSON_AddItemToArray(arr, m);
	}
	rd_buf_init(&text, 0);
	config_dump(cfg, &text);
	json_str(out, "text", text.data);
	rd_buf_free(&text);
	return RD_OK;
}

const struct cmd_entry cmd_config_entry = {
	"config", "[--check]", "show or check the configuration", 0, 0,
	config_opts, CMD_NO_VAULT | CMD_NO_CONFIG, config_exec
};
