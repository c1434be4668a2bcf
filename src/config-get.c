/*
 * config-get.c: reading values out of a loaded config (typed, with
 * defaults) and printing it back as INI with secrets masked.  Parsing and
 * checking live in config.c.
 */
#include <stdlib.h>
#include <string.h>

#include "../backends/backend.h"
#include "config-int.h"
#include "util.h"

const char *
cfg_section_value(const struct cfg_section *s, ssize_t i)
{
	if (s->vals[i] != NULL)
		return s->vals[i];
	/* An env: default whose variable is unset means no value at all. */
	if (s->keys[i].def != NULL && str_has_prefix(s->keys[i].def, "env:"))
		return NULL;
	return s->keys[i].def;
}

static const char *
section_str_or_abort(const struct cfg_section *s, const char *key)
{
	ssize_t	i = cfg_section_index(s, key);

	if (i < 0)
		abort();	/* a key the code asks for must be in its table */
	return cfg_section_value(s, i);
}

static bool
text_true(const char *v)
{
	return v != NULL && (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
	    strcmp(v, "1") == 0);
}

const char *
config_str(const struct config *cfg, const char *key)
{
	return section_str_or_abort(&cfg->main, key);
}

long
config_int(const struct config *cfg, const char *key)
{
	const char	*v = config_str(cfg, key);

	return v ? strtol(v, NULL, 10) : 0;
}

bool
config_bool(const struct config *cfg, const char *key)
{
	return text_true(config_str(cfg, key));
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
method_str(const struct method_cfg *m, const char *key)
{
	ssize_t	i;

	if (m->own.keys != NULL && (i = cfg_section_index(&m->own, key)) >= 0)
		return cfg_section_value(&m->own, i);
	return section_str_or_abort(&m->common, key);
}

long
method_int(const struct method_cfg *m, const char *key)
{
	const char	*v = method_str(m, key);

	return v ? strtol(v, NULL, 10) : 0;
}

int
method_line(const struct method_cfg *m, const char *key)
{
	ssize_t	i;

	if (m->own.keys != NULL && (i = cfg_section_index(&m->own, key)) >= 0)
		return m->own.lines[i] ? m->own.lines[i] : m->line;
	if ((i = cfg_section_index(&m->common, key)) >= 0)
		return m->common.lines[i] ? m->common.lines[i] : m->line;
	return m->line;
}

const char *
method_verbose_name(const struct method_cfg *m)
{
	const char	*v = method_str(m, "verbose_name");

	return v ? v : m->name;
}

long
method_validity(const struct method_cfg *m)
{
	const char	*v = method_str(m, "validity_period");

	if (v != NULL)
		return strtol(v, NULL, 10);
	return config_int(m->cfg, "default_validity_period");
}

const char *
method_source_field(const struct method_cfg *m)
{
	const char	*v = method_str(m, "source_field");

	return v ? v : m->be->source_field;
}

static void
dump_section(struct rd_buf *out, const struct cfg_section *s)
{
	size_t		 i;
	const char	*v;

	for (i = 0; i < s->nkeys; i++) {
		v = cfg_section_value(s, (ssize_t)i);
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
	    cfg->path ? cfg->path : "built-in defaults");
	dump_section(out, &cfg->main);
	for (i = 0; i < cfg->nmethods; i++) {
		rd_buf_printf(out, "\n[method.%s]\n", cfg->methods[i].name);
		dump_section(out, &cfg->methods[i].common);
		dump_section(out, &cfg->methods[i].own);
	}
}
