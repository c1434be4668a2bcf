/*
 * cfg.c: reading one value of a section by its key's index, and wording
 * a problem with the file, line and section it belongs to, the same way
 * for the config module and for every handler's own check.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "i18n.h"
#include "util.h"

static bool
text_true(const char *v)
{
	return v != NULL && (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
	    strcmp(v, "1") == 0);
}

const char *
cfg_str(const struct cfg_section *s, int key)
{
	/* An index outside the table is a bug in the caller's enum. */
	if (key < 0 || (size_t)key >= s->nkeys)
		abort();
	if (s->vals != NULL && s->vals[key] != NULL)
		return s->vals[key];
	/* An env: default whose variable is unset means no value at all. */
	if (s->keys[key].def != NULL &&
	    str_has_prefix(s->keys[key].def, "env:"))
		return NULL;
	return s->keys[key].def;
}

long
cfg_int(const struct cfg_section *s, int key)
{
	const char	*v = cfg_str(s, key);

	return v ? strtol(v, NULL, 10) : 0;
}

bool
cfg_bool(const struct cfg_section *s, int key)
{
	return text_true(cfg_str(s, key));
}

int
cfg_line(const struct cfg_section *s, int key)
{
	if (key >= 0 && (size_t)key < s->nkeys && s->lines != NULL &&
	    s->lines[key] != 0)
		return s->lines[key];
	return s->line;
}

static void __attribute__((format(printf, 3, 0)))
cfg_vproblem(struct cfg_problems *p, const char *prefix, const char *fmt,
    va_list ap)
{
	char	 buf[512];
	size_t	 n;

	n = (size_t)snprintf(buf, sizeof buf, "%s", prefix);
	if (n < sizeof buf)
		vsnprintf(buf + n, sizeof buf - n, fmt, ap);
	p->list = xrealloc(p->list, (p->n + 1) * sizeof *p->list);
	p->list[p->n++] = xstrdup(buf);
}

void
cfg_problem(struct cfg_problems *p, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	cfg_vproblem(p, "", fmt, ap);
	va_end(ap);
}

void
cfg_key_problem(struct cfg_problems *p, const struct cfg_section *s, int key,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 prefix[256];

	snprintf(prefix, sizeof prefix, "%s:%d: [%s] %s: ", s->path,
	    cfg_line(s, key), s->where, s->keys[key].name);
	va_start(ap, fmt);
	cfg_vproblem(p, prefix, fmt, ap);
	va_end(ap);
}

void
cfg_section_problem(struct cfg_problems *p, const struct cfg_section *s,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 prefix[256];

	snprintf(prefix, sizeof prefix, "%s:%d: [%s] ", s->path, s->line,
	    s->where);
	va_start(ap, fmt);
	cfg_vproblem(p, prefix, fmt, ap);
	va_end(ap);
}
