/*
 * config-method.c: a config's [method.NAME] sections made into methods
 * (the name's rules, the handler's own keys, source_field) and the rules
 * of [redoubt] across keys; config.c reads the file and calls these once
 * every entry is in.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-int.h"
#include "config.h"
#include "i18n.h"
#include "util.h"

static bool
method_name_ok(const char *name)
{
	size_t	n = 0;

	for (; *name != '\0'; name++, n++)
		if (!isalnum((unsigned char)*name) && *name != '-' &&
		    *name != '_' && *name != '.')
			return false;
	return n > 0 && n <= 64;
}

static struct method_cfg *
method_add(struct config *cfg, const char *name, const char *section,
    int line)
{
	struct method_cfg	*m;

	cfg->methods = xrealloc(cfg->methods,
	    (cfg->nmethods + 1) * sizeof *cfg->methods);
	m = &cfg->methods[cfg->nmethods++];
	memset(m, 0, sizeof *m);
	m->name = xstrdup(name);
	m->line = line;
	cfg_section_init(&m->common, config_method_keys, MK_COUNT,
	    config_name(cfg), section, line);
	return m;
}

void
build_method(struct config *cfg, struct parse_state *ps, const char *section,
    int line)
{
	const char		*name = section + strlen("method.");
	const char		*path = config_name(cfg);
	const char		*handler = NULL;
	struct method_cfg	*m;
	size_t			 i;
	int			 hline = line;

	if (!method_name_ok(name)) {
		cfg_problem(&cfg->problems,
		    _("%s:%d: [%s]: a method name is 1 to 64 "
		    "letters, digits, '-', '_' or '.'"), path, line, section);
		return;
	}
	if (config_method(cfg, name) != NULL) {
		cfg_problem(&cfg->problems,
		    _("%s:%d: [%s] appears twice"), path, line,
		    section);
		return;
	}
	for (i = 0; i < ps->nentries; i++) {
		if (strcmp(ps->entries[i].section, section) == 0 &&
		    strcmp(ps->entries[i].key, "handler") == 0) {
			handler = ps->entries[i].value;
			hline = ps->entries[i].line;
		}
	}
	if (handler == NULL) {
		cfg_problem(&cfg->problems,
		    _("%s:%d: [%s] handler is missing"), path,
		    line, section);
		return;
	}
	if (str_has_prefix(handler, "env:") &&
	    (handler = getenv(handler + 4)) == NULL) {
		cfg_problem(&cfg->problems,
		    _("%s:%d: [%s] handler: environment variable "
		    "is not set"), path, hline, section);
		return;
	}
	m = method_add(cfg, name, section, line);
	m->cfg = cfg;
	if ((m->handler = cfg_handler_find(handler)) == NULL) {
		const struct cfg_handler	*h;
		struct rd_buf			 names;
		size_t				 j;

		rd_buf_init(&names, 0);
		for (j = 0; (h = cfg_handler_at(j)) != NULL; j++)
			rd_buf_printf(&names, "%s%s", j ? ", " : "", h->name);
		cfg_problem(&cfg->problems,
		    _("%s:%d: [%s] handler: '%s' is not one of "
		    "%s"), path, hline, section, handler, names.data);
		rd_buf_free(&names);
		cfg->nmethods--;
		cfg_section_free(&m->common);
		free(m->name);
		return;
	}
	cfg_section_init(&m->own, m->handler->keys, m->handler->nkeys, path,
	    section, line);
	for (i = 0; i < ps->nentries; i++) {
		const struct raw_entry	*e = &ps->entries[i];

		if (strcmp(e->section, section) != 0)
			continue;
		if (cfg_section_set(&cfg->problems, &m->common, e))
			continue;
		if (cfg_section_set(&cfg->problems, &m->own, e))
			continue;
		cfg_problem(&cfg->problems,
		    _("%s:%d: [%s] unknown key '%s' for handler "
		    "%s"), path, e->line, section, e->key, m->handler->name);
	}
	cfg_section_finish(&cfg->problems, &m->common);
	cfg_section_finish(&cfg->problems, &m->own);
	cfg_section_issuer_fits(&cfg->problems, &m->own,
	    config_str(cfg, CK_ISSUER));
	if (m->handler->check != NULL)
		m->handler->check(&m->own, &cfg->problems);
}

/*
 * Rules of [redoubt] that one key's table cannot say.  The issuer goes
 * into otpauth URIs, whose Key URI Format forbids ':' in it.  Backup
 * codes are typed by people and lower-cased before they are checked, so
 * their alphabet is lower-case letters and digits, each once, and enough
 * of them that a code is not guessed.
 */
#define BACKUP_ALPHABET_MIN	16

void
check_main(struct config *cfg)
{
	const char	*a = config_str(cfg, CK_BACKUP_CODES_CHARACTERS);
	const char	*issuer = config_str(cfg, CK_ISSUER);
	const char	*p;
	bool		 seen[256] = { false };
	size_t		 n = 0;

	if (issuer != NULL && strchr(issuer, ':') != NULL)
		cfg_key_problem(&cfg->problems, &cfg->main, CK_ISSUER, _("'%s' "
		    "has a ':', which authenticator apps refuse in an issuer "
		    "(otpauth Key URI Format); write it without ':'"), issuer);
	if (a == NULL)
		return;
	for (p = a; *p != '\0'; p++) {
		unsigned char	c = (unsigned char)*p;

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			cfg_key_problem(&cfg->problems, &cfg->main,
			    CK_BACKUP_CODES_CHARACTERS, _("only lower-case "
			    "letters a-z and digits 0-9 (codes are typed and "
			    "lower-cased), not '%c'"), c >= 0x20 && c < 0x7f ?
			    c : '?');
			return;
		}
		if (seen[c]) {
			cfg_key_problem(&cfg->problems, &cfg->main,
			    CK_BACKUP_CODES_CHARACTERS,
			    _("'%c' is there twice"),
			    c);
			return;
		}
		seen[c] = true;
		n++;
	}
	if (n < BACKUP_ALPHABET_MIN)
		cfg_key_problem(&cfg->problems, &cfg->main,
		    CK_BACKUP_CODES_CHARACTERS, ngettext("only %zu character; "
		    "at least %d are needed so that codes cannot be guessed",
		    "only %zu characters; at least %d are needed so that codes "
		    "cannot be guessed", (unsigned long)n), n,
		    BACKUP_ALPHABET_MIN);
}
