/*
 * config-get.c: reading values out of a loaded config (typed, with
 * defaults) and printing it back as INI with secrets masked.  Parsing and
 * checking live in config.c and config-value.c.
 */
#include <stdlib.h>
#include <string.h>

#include "config-int.h"
#include "i18n.h"
#include "util.h"

const char *
config_str(const struct config *cfg, enum config_key key)
{
	return cfg_str(&cfg->main, (int)key);
}

long
config_int(const struct config *cfg, enum config_key key)
{
	return cfg_int(&cfg->main, (int)key);
}

bool
config_bool(const struct config *cfg, enum config_key key)
{
	return cfg_bool(&cfg->main, (int)key);
}

const struct method_cfg *
config_method(const struct config *cfg, const char *name)
{
	size_t	i;

	for (i = 0; i < cfg->nmethods; i++)
		if (strcmp(cfg->methods[i].name, name) == 0)
			return &cfg->methods[i];
	return NULL;
}

const char *
method_str(const struct method_cfg *m, enum method_key key)
{
	return cfg_str(&m->common, (int)key);
}

long
method_int(const struct method_cfg *m, enum method_key key)
{
	return cfg_int(&m->common, (int)key);
}

const char *
method_verbose_name(const struct method_cfg *m)
{
	const char	*v = method_str(m, MK_VERBOSE_NAME);

	return v ? v : m->name;
}

long
method_validity(const struct method_cfg *m)
{
	const char	*v = method_str(m, MK_VALIDITY_PERIOD);

	if (v != NULL)
		return strtol(v, NULL, 10);
	return config_int(m->cfg, CK_DEFAULT_VALIDITY_PERIOD);
}

const char *
method_source_field(const struct method_cfg *m)
{
	const char	*v = method_str(m, MK_SOURCE_FIELD);

	return v ? v : m->handler->source_field;
}

static void
dump_section(struct rd_buf *out, const struct cfg_section *s)
{
	size_t		 i;
	const char	*v;

	for (i = 0; i < s->nkeys; i++) {
		v = cfg_str(s, (int)i);
		if (v == NULL)
			continue;
		if ((s->keys[i].flags & CFG_SECRET) && *v != '\0')
			v = "***";
		rd_buf_printf(out, "%s = %s\n", s->keys[i].name, v);
	}
}

void
config_dump(const struct config *cfg, struct rd_buf *out)
{
	size_t	i;

	rd_buf_printf(out, "# %s\n[redoubt]\n",
	    cfg->path ? cfg->path : _("built-in defaults"));
	dump_section(out, &cfg->main);
	for (i = 0; i < cfg->nmethods; i++) {
		rd_buf_printf(out, "\n[method.%s]\n", cfg->methods[i].name);
		dump_section(out, &cfg->methods[i].common);
		dump_section(out, &cfg->methods[i].own);
	}
}
