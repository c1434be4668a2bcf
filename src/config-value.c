/*
 * config-value.c: checking one value against its key table (type, bounds,
 * choices, absolute paths, URLs, the length a provider takes without
 * cutting), env:NAME resolution, and filling and
 * finishing a section, each bad value recorded as a problem with its line.
 * config.c reads the file; this decides what each line means.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-int.h"
#include "util.h"

void
cfg_section_init(struct cfg_section *s, const struct cfg_key *keys,
    size_t nkeys, const char *path, const char *where, int line)
{
	memset(s, 0, sizeof *s);
	s->keys = keys;
	s->nkeys = nkeys;
	s->vals = xcalloc(nkeys ? nkeys : 1, sizeof *s->vals);
	s->lines = xcalloc(nkeys ? nkeys : 1, sizeof *s->lines);
	s->path = path;
	s->where = xstrdup(where);
	s->line = line;
}

void
cfg_section_free(struct cfg_section *s)
{
	size_t	i;

	for (i = 0; i < s->nkeys && s->vals != NULL; i++)
		secret_free(s->vals[i]);
	free(s->vals);
	free(s->lines);
	free(s->where);
	memset(s, 0, sizeof *s);
}

ssize_t
cfg_section_index(const struct cfg_section *s, const char *name)
{
	size_t	i;

	for (i = 0; i < s->nkeys; i++)
		if (strcmp(s->keys[i].name, name) == 0)
			return (ssize_t)i;
	return -1;
}

/*
 * Resolve env:NAME; NULL when the variable is unset.  The variable's name
 * is safe to show, its value is not.
 */
static char *
resolve(const char *value)
{
	const char	*v;

	if (!str_has_prefix(value, "env:"))
		return xstrdup(value);
	if ((v = getenv(value + 4)) == NULL)
		return NULL;
	return xstrdup(v);
}

/* Characters (code points) of UTF-8 text: the bytes that start one. */
static size_t
chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static bool
value_ok(struct cfg_problems *p, const struct cfg_section *s,
    const struct cfg_key *k, const char *v, const char *shown, int line)
{
	long		 n;
	const char	*c, *bar;
	size_t		 len;

	switch (k->type) {
	case CFG_INT:
		if (!str_to_long(v, k->min, k->max, &n)) {
			cfg_problem(p, "%s:%d: [%s] %s: %s is not a "
			    "whole number from %ld to %ld", s->path, line,
			    s->where, k->name,
			    shown, k->min, k->max);
			return false;
		}
		break;
	case CFG_BOOL:
		if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0 &&
		    strcmp(v, "yes") != 0 && strcmp(v, "no") != 0 &&
		    strcmp(v, "1") != 0 && strcmp(v, "0") != 0) {
			cfg_problem(p, "%s:%d: [%s] %s: %s is not true "
			    "or false", s->path, line,
			    s->where, k->name, shown);
			return false;
		}
		break;
	case CFG_ENUM:
		len = strlen(v);
		for (c = k->choices; c != NULL; c = bar ? bar + 1 : NULL) {
			bar = strchr(c, '|');
			if ((size_t)((bar ? bar : c + strlen(c)) - c) == len &&
			    strncmp(c, v, len) == 0)
				return true;
		}
		cfg_problem(p, "%s:%d: [%s] %s: %s is not one of %s",
		    s->path, line, s->where, k->name,
		    shown, k->choices);
		return false;
	case CFG_STR:
		if ((k->flags & CFG_ABSPATH) && v[0] != '/') {
			cfg_problem(p, "%s:%d: [%s] %s: %s is not an "
			    "absolute path", s->path, line,
			    s->where, k->name, shown);
			return false;
		}
		/* A provider that cuts a value does so without a word. */
		if (k->maxchars > 0 && chars(v) > k->maxchars) {
			cfg_problem(p, "%s:%d: [%s] %s: %s is %zu characters "
			    "long; the provider takes at most %zu and would cut "
			    "the rest", s->path, line, s->where, k->name, shown,
			    chars(v), k->maxchars);
			return false;
		}
		if ((k->flags & CFG_URL) && !str_has_prefix(v, "http://") &&
		    !str_has_prefix(v, "https://") &&
		    !str_has_prefix(v, "smtp://") &&
		    !str_has_prefix(v, "smtps://")) {
			cfg_problem(p, "%s:%d: [%s] %s: %s is not an "
			    "http(s):// or smtp(s):// URL", s->path, line,
			    s->where, k->name, shown);
			return false;
		}
		break;
	}
	return true;
}

/* Put one raw entry into a section; false when the key is not its. */
bool
cfg_section_set(struct cfg_problems *p, struct cfg_section *s,
    const struct raw_entry *e)
{
	ssize_t		 i = cfg_section_index(s, e->key);
	char		*v, shown[256];

	if (i < 0)
		return false;
	if (s->vals[i] != NULL)
		cfg_problem(p, "%s:%d: [%s] %s is set twice (first on "
		    "line %d)", s->path, e->line, s->where, e->key, s->lines[i]);
	if ((v = resolve(e->value)) == NULL) {
		cfg_problem(p, "%s:%d: [%s] %s: environment variable %s "
		    "is not set", s->path, e->line, s->where, e->key,
		    e->value + 4);
		s->lines[i] = e->line;	/* named already: not "missing" too */
		return true;
	}
	/* A value from the environment or a secret is never repeated. */
	if (str_has_prefix(e->value, "env:"))
		snprintf(shown, sizeof shown, "the value of $%.64s",
		    e->value + 4);
	else if (s->keys[i].flags & CFG_SECRET)
		snprintf(shown, sizeof shown, "***");
	else
		snprintf(shown, sizeof shown, "'%.200s'", v);
	if (!value_ok(p, s, &s->keys[i], v, shown, e->line)) {
		secret_free(v);
		s->lines[i] = e->line;	/* named already: not "missing" too */
		return true;
	}
	secret_free(s->vals[i]);
	s->vals[i] = v;
	s->lines[i] = e->line;
	return true;
}

/* Resolve env: defaults, and name required keys that are missing. */
void
cfg_section_finish(struct cfg_problems *p, struct cfg_section *s)
{
	size_t		 i;
	const char	*def;

	for (i = 0; i < s->nkeys; i++) {
		if (s->vals[i] != NULL || s->lines[i] != 0)
			continue;
		def = s->keys[i].def;
		if (def != NULL && str_has_prefix(def, "env:"))
			s->vals[i] = resolve(def);
		if (s->vals[i] == NULL && (s->keys[i].flags & CFG_REQUIRED)) {
			if (def != NULL)
				cfg_problem(p, "%s:%d: [%s] %s is missing "
				    "(and environment variable %s is not set)",
				    s->path, s->line, s->where,
				    s->keys[i].name, def + 4);
			else
				cfg_problem(p, "%s:%d: [%s] %s is missing",
				    s->path, s->line, s->where,
				    s->keys[i].name);
		}
	}
}

void
cfg_section_issuer_fits(struct cfg_problems *p, const struct cfg_section *s,
    const char *issuer)
{
	size_t	i;

	if (issuer == NULL)
		return;
	for (i = 0; i < s->nkeys; i++)
		if ((s->keys[i].flags & CFG_ISSUER_DEF) &&
		    s->keys[i].maxchars > 0 && s->vals[i] == NULL &&
		    s->lines[i] == 0 && chars(issuer) > s->keys[i].maxchars)
			cfg_key_problem(p, s, (int)i, "not set, so the issuer "
			    "'%.200s' (%zu characters) stands in, but the "
			    "provider takes at most %zu and would cut the rest; "
			    "set a shorter %s", issuer, chars(issuer),
			    s->keys[i].maxchars, s->keys[i].name);
}
