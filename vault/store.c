/*
 * store.c: which driver a vault location names.  A libpq URI
 * (postgresql:// or postgres://) or a libpq conninfo string (keyword=value
 * words, such as service=desk or "host=db dbname=redoubt") is PostgreSQL;
 * anything else is the path of a SQLite file.  A file whose name starts
 * with a word and '=' is written with a directory, as ./a=b.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

bool
store_is_pg(const char *where)
{
	const char	*p = where;

	if (strncmp(where, "postgresql://", 13) == 0 ||
	    strncmp(where, "postgres://", 11) == 0)
		return true;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!islower((unsigned char)*p))
		return false;
	while (islower((unsigned char)*p) || *p == '_')
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '=';
}

const struct store_ops *
store_for(const char *where)
{
	return store_is_pg(where) ? &store_pg_ops : &store_sqlite_ops;
}

/* Append n bytes of p to the growing string at *s (length *len). */
static void
shown_add(char **s, size_t *len, const char *p, size_t n)
{
	char	*t = realloc(*s, *len + n + 1);

	if (t == NULL)
		return;
	memcpy(t + *len, p, n);
	*len += n;
	t[*len] = '\0';
	*s = t;
}

/*
 * A value of a conninfo string or a URI's query ends at a space (conninfo,
 * unless quoted) or at '&' (URI).
 */
static const char *
shown_value_end(const char *p, bool uri)
{
	if (!uri && *p == '\'') {
		for (p++; *p != '\0' && *p != '\''; p++)
			if (*p == '\\' && p[1] != '\0')
				p++;
		return *p == '\'' ? p + 1 : p;
	}
	while (*p != '\0' && (uri ? *p != '&' : *p != ' ' && *p != '\t'))
		p++;
	return p;
}

char *
store_where_shown(const char *where)
{
	const char	*p = where, *at, *end, *colon;
	char		*s = calloc(1, 1);
	size_t		 len = 0;
	bool		 uri = !store_is_pg(where) ? false :
			    strstr(where, "://") != NULL;

	if (s == NULL || !store_is_pg(where)) {
		free(s);
		return strdup(where);
	}
	if (uri) {
		/* postgresql://user:SECRET@host/db */
		p = strstr(where, "://") + 3;
		end = p + strcspn(p, "/?");
		at = NULL;
		for (const char *q = p; q < end; q++)
			if (*q == '@')
				at = q;
		shown_add(&s, &len, where, (size_t)(p - where));
		if (at != NULL && (colon = memchr(p, ':', (size_t)(at - p))) !=
		    NULL) {
			shown_add(&s, &len, p, (size_t)(colon - p) + 1);
			shown_add(&s, &len, "***", 3);
			p = at;
		}
	}
	/* password=SECRET in a conninfo string or a URI's query */
	while (*p != '\0') {
		const char	*kw = strstr(p, "password");

		if (kw == NULL || (kw != where && strchr(uri ? "?&" : " \t",
		    kw[-1]) == NULL)) {
			end = kw == NULL ? p + strlen(p) : kw + 8;
			shown_add(&s, &len, p, (size_t)(end - p));
			p = end;
			continue;
		}
		end = kw + 8;
		while (*end == ' ' || *end == '\t')
			end++;
		if (*end != '=') {
			shown_add(&s, &len, p, (size_t)(end - p));
			p = end;
			continue;
		}
		end++;
		while (!uri && (*end == ' ' || *end == '\t'))
			end++;
		shown_add(&s, &len, p, (size_t)(end - p));
		shown_add(&s, &len, "***", 3);
		p = shown_value_end(end, uri);
	}
	return s;
}
