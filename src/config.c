/*
 * config.c: reading redoubt.conf with inih into sections and methods;
 * config-method.c makes the [method.NAME] sections methods, and
 * config-value.c checks each value against the key tables of config.h.
 *
 * Parsing never stops at the first problem: each bad key is recorded with
 * its file, line and section, so `config --check` can name them all.
 * inih does not tell a handler the line it is on, so the file is fed to it
 * through a reader that counts lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <ini.h>

#include "config-int.h"
#include "config.h"
#include "i18n.h"
#include "util.h"

/* The methods a vault gets with no config file at all. */
static const char config_builtin[] =
	"[method.app]\n"
	"handler = totp\n"
	"verbose_name = Authenticator app\n"
	"[method.email]\n"
	"handler = outbox\n"
	"verbose_name = E-mail (outbox)\n"
	"source_field = email\n"
	"[method.sms]\n"
	"handler = outbox\n"
	"verbose_name = SMS (outbox)\n"
	"source_field = phone\n";


char *
config_find(const char *path)
{
	const char	*v;
	struct stat	 sb;
	char		*p;

	if (path != NULL)
		return xstrdup(path);
	if ((v = getenv("REDOUBT_CONFIG")) != NULL && *v != '\0')
		return xstrdup(v);
	if ((v = getenv("XDG_CONFIG_HOME")) != NULL && *v != '\0') {
		p = xasprintf("%s/redoubt/redoubt.conf", v);
		if (stat(p, &sb) == 0)
			return p;
		free(p);
	} else if ((v = getenv("HOME")) != NULL && *v != '\0') {
		p = xasprintf("%s/.config/redoubt/redoubt.conf", v);
		if (stat(p, &sb) == 0)
			return p;
		free(p);
	}
	if (stat("/etc/redoubt/redoubt.conf", &sb) == 0)
		return xstrdup("/etc/redoubt/redoubt.conf");
	return NULL;
}

/* Where problems of a config are said to be. */
const char *
config_name(const struct config *cfg)
{
	return cfg->path ? cfg->path : "built-in";
}

static void
note_section(struct parse_state *ps, const char *line)
{
	const char	*p = line, *end;
	size_t		 i;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '[' || (end = strchr(p, ']')) == NULL)
		return;
	p++;
	for (i = 0; i < ps->nsections; i++)
		if (strlen(ps->sections[i]) == (size_t)(end - p) &&
		    strncmp(ps->sections[i], p, (size_t)(end - p)) == 0)
			return;
	ps->sections = xrealloc(ps->sections,
	    (ps->nsections + 1) * sizeof *ps->sections);
	ps->section_lines = xrealloc(ps->section_lines,
	    (ps->nsections + 1) * sizeof *ps->section_lines);
	ps->sections[ps->nsections] = xstrndup(p, (size_t)(end - p));
	ps->section_lines[ps->nsections] = ps->line;
	ps->nsections++;
}

/*
 * Feed inih one line at a time, counting lines, and fix what inih would
 * get silently wrong: a line longer than its buffer would be split into
 * two (the tail parsed as a line of its own), an indented line would be
 * glued to the previous value, and only the first malformed line would be
 * reported.  Each such line is named here and handed on as a comment.
 */
static char *
reader(char *str, int num, void *stream)
{
	struct parse_state	*ps = stream;
	size_t			 n = 0, skip;
	bool			 whole;
	int			 c;

	if (ps->fp != NULL) {
		if (fgets(str, num, ps->fp) == NULL)
			return NULL;
		n = strlen(str);
		whole = (n > 0 && str[n - 1] == '\n') || feof(ps->fp);
		if (!whole)
			while ((c = fgetc(ps->fp)) != EOF && c != '\n')
				;
	} else {
		if (ps->text[ps->off] == '\0')
			return NULL;
		while (ps->text[ps->off] != '\0' && n + 1 < (size_t)num) {
			str[n++] = ps->text[ps->off++];
			if (str[n - 1] == '\n')
				break;
		}
		str[n] = '\0';
		whole = (n > 0 && str[n - 1] == '\n') ||
		    ps->text[ps->off] == '\0';
		while (!whole && ps->text[ps->off] != '\0' &&
		    ps->text[ps->off++] != '\n')
			;
	}
	ps->line++;
	if (!whole) {
		cfg_problem(&ps->cfg->problems,
		    _("%s:%d: line longer than %d characters"),
		    ps->name, ps->line, num - 2);
		snprintf(str, (size_t)num, ";\n");
		return str;
	}
	skip = strspn(str, " \t");
	memmove(str, str + skip, strlen(str + skip) + 1);
	if (str[0] != '\0' && str[0] != '\n' && str[0] != '\r' &&
	    str[0] != ';' && str[0] != '#' && str[0] != '[' &&
	    strpbrk(str, "=:") == NULL) {
		cfg_problem(&ps->cfg->problems,
		    _("%s:%d: not an INI line (expected "
		    "[section] or key = value)"), ps->name, ps->line);
		snprintf(str, (size_t)num, ";\n");
		return str;
	}
	note_section(ps, str);
	return str;
}

static int
on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state	*ps = user;
	struct raw_entry	*e;

	(void)section;
	if (name == NULL)	/* INI_CALL_HANDLER_ON_NEW_SECTION builds */
		return 1;
	ps->entries = xrealloc(ps->entries,
	    (ps->nentries + 1) * sizeof *ps->entries);
	e = &ps->entries[ps->nentries++];
	e->section = xstrdup(section);
	e->key = xstrdup(name);
	e->value = xstrdup(value);
	e->line = ps->line;
	return 1;
}


static void
parse_state_free(struct parse_state *ps)
{
	size_t	i;

	for (i = 0; i < ps->nentries; i++) {
		free(ps->entries[i].section);
		free(ps->entries[i].key);
		secret_free(ps->entries[i].value);
	}
	free(ps->entries);
	for (i = 0; i < ps->nsections; i++)
		free(ps->sections[i]);
	free(ps->sections);
	free(ps->section_lines);
}

static enum rd_code RD_CHECK
config_build(struct parse_state *ps, const char *path, struct config **out,
    struct rd_err *err)
{
	struct config	*cfg;
	const char	*name = path ? path : "built-in";
	size_t		 i;
	int		 rc, have_methods = 0;

	cfg = xcalloc(1, sizeof *cfg);
	cfg->path = path ? xstrdup(path) : NULL;
	cfg_section_init(&cfg->main, config_main_keys, CK_COUNT,
	    config_name(cfg), "redoubt", 0);
	*out = cfg;
	ps->cfg = cfg;
	if (ps->name == NULL)
		ps->name = name;

	rc = ini_parse_stream(reader, ps, on_entry, ps);
	if (rc > 0)
		cfg_problem(&cfg->problems,
		    _("%s:%d: not an INI line (expected [section] "
		    "or key = value)"), name, rc);

	for (i = 0; i < ps->nentries; i++) {
		const struct raw_entry	*e = &ps->entries[i];

		if (strcmp(e->section, "redoubt") == 0) {
			if (!cfg_section_set(&cfg->problems, &cfg->main, e))
				cfg_problem(&cfg->problems,
				    _("%s:%d: [redoubt] unknown "
				    "key '%s'"), name, e->line, e->key);
		} else if (e->section[0] == '\0') {
			cfg_problem(&cfg->problems,
			    _("%s:%d: '%s' stands before any "
			    "[section]"), name, e->line, e->key);
		}
	}
	cfg_section_finish(&cfg->problems, &cfg->main);
	check_main(cfg);
	for (i = 0; i < ps->nsections; i++) {
		const char	*s = ps->sections[i];

		if (str_has_prefix(s, "method.")) {
			have_methods = 1;
			build_method(cfg, ps, s, ps->section_lines[i]);
		} else if (strcmp(s, "redoubt") != 0 && s[0] != '\0')
			cfg_problem(&cfg->problems,
			    _("%s:%d: unknown section [%s] (there "
			    "are [redoubt] and [method.NAME])"), name,
			    ps->section_lines[i], s);
	}
	if (!have_methods) {
		struct parse_state	bps = { 0 };

		bps.name = "built-in";
		bps.cfg = cfg;
		bps.text = config_builtin;
		ini_parse_stream(reader, &bps, on_entry, &bps);
		for (i = 0; i < bps.nsections; i++)
			build_method(cfg, &bps, bps.sections[i],
			    bps.section_lines[i]);
		parse_state_free(&bps);
	}
	if (cfg->problems.n > 0)
		return rd_err_set(err, RD_CONFIG, "%s%s", cfg->problems.list[0],
		    cfg->problems.n > 1 ? _(" (and more: see config --check)") :
		    "");
	return RD_OK;
}

/*
 * The file at path, if it is a regular file: a directory would read as
 * empty and a FIFO or a device would hang or never end.  Opened without
 * blocking so that a FIFO with no writer cannot hold us; why says what is
 * wrong otherwise.
 */
static FILE *
config_open(const char *path, char *why, size_t size)
{
	struct stat	 sb;
	FILE		*fp;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
		snprintf(why, size, _("cannot be read (%s)"), strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(why, size, "%s", _("is not a regular file"));
		close(fd);
		return NULL;
	}
	if ((fp = fdopen(fd, "r")) == NULL) {
		snprintf(why, size, _("cannot be read (%s)"), strerror(errno));
		close(fd);
	}
	return fp;
}

enum rd_code
config_load(const char *path, struct config **out, struct rd_err *err)
{
	struct parse_state	ps = { 0 };
	enum rd_code		rc;
	char			why[160];

	*out = NULL;
	if (path == NULL) {
		ps.text = "";
		rc = config_build(&ps, NULL, out, err);
		parse_state_free(&ps);
		return rc;
	}
	if ((ps.fp = config_open(path, why, sizeof why)) == NULL) {
		struct config	*cfg = xcalloc(1, sizeof *cfg);

		cfg->path = xstrdup(path);
		cfg_section_init(&cfg->main, config_main_keys, CK_COUNT,
		    config_name(cfg), "redoubt", 0);
		cfg_problem(&cfg->problems, "%s: %s", path, why);
		*out = cfg;
		return rd_err_set(err, RD_CONFIG, _("config file %s: %s"), path,
		    why);
	}
	ps.name = path;
	rc = config_build(&ps, path, out, err);
	fclose(ps.fp);
	parse_state_free(&ps);
	return rc;
}

enum rd_code
config_load_string(const char *text, const char *name, struct config **out,
    struct rd_err *err)
{
	struct parse_state	ps = { 0 };
	enum rd_code		rc;

	ps.name = name;
	ps.text = text;
	rc = config_build(&ps, name, out, err);
	parse_state_free(&ps);
	return rc;
}

void
config_free(struct config *cfg)
{
	size_t	i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nmethods; i++) {
		free(cfg->methods[i].name);
		cfg_section_free(&cfg->methods[i].common);
		cfg_section_free(&cfg->methods[i].own);
	}
	free(cfg->methods);
	cfg_section_free(&cfg->main);
	for (i = 0; i < cfg->problems.n; i++)
		free(cfg->problems.list[i]);
	free(cfg->problems.list);
	free(cfg->path);
	free(cfg);
}

