/*
 * cfg.h: the small vocabulary that the config module and the handlers
 * share, so that neither includes the other.
 *
 * A section of redoubt.conf is read against a table of keys (struct
 * cfg_key).  Each table is declared with designated initializers indexed
 * by its own enum, and values are read by that enum (cfg_str(s, KEY)),
 * never by a name looked up at run time: a misspelt key fails the build.
 * A handler ([method.NAME] handler = ...) is a struct cfg_handler: its
 * name, its own key table and a check of the rules a table cannot say.
 * The registry behind cfg_handler_find() lives with the handlers
 * (backends/backend.c); the config module only asks it.
 */
#ifndef RD_CFG_H
#define RD_CFG_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum cfg_type {
	CFG_STR,
	CFG_INT,
	CFG_BOOL,
	CFG_ENUM,
};

#define CFG_SECRET	0x1	/* masked as *** wherever it is shown */
#define CFG_REQUIRED	0x2	/* a method of this handler needs it */
#define CFG_ABSPATH	0x4	/* must be an absolute path */
#define CFG_URL		0x8	/* must start with http://, https://, smtp:// or smtps:// */
#define CFG_ISSUER_DEF	0x10	/* unset: the issuer stands in (also within maxchars) */

struct cfg_key {
	const char	*name;
	enum cfg_type	 type;
	const char	*def;		/* default as text, may be env:NAME; NULL: none */
	long		 min, max;	/* CFG_INT bounds */
	const char	*choices;	/* CFG_ENUM: "a|b|c" */
	size_t		 maxchars;	/* CFG_STR: most characters the provider
					   takes without cutting; 0: no limit */
	unsigned	 flags;
	const char	*help;
};

#define CFG_NKEYS(table)	(sizeof (table) / sizeof (table)[0])

/* The values of one section, parallel to its key table. */
struct cfg_section {
	const struct cfg_key	 *keys;
	size_t			  nkeys;
	char			**vals;		/* resolved; NULL: not set, use default */
	int			 *lines;	/* line each value came from, 0: default */
	const char		 *path;		/* the file, or "built-in" */
	char			 *where;	/* "redoubt", "method.NAME"; owned */
	int			  line;		/* of the [header]; 0: none */
};

/* Every problem a load or a check found, one line each. */
struct cfg_problems {
	char	**list;
	size_t	  n;
};

/*
 * The value of key (an index of the section's table): set, else its
 * default; NULL when neither (or an env: default whose variable is unset).
 */
const char	*cfg_str(const struct cfg_section *s, int key);
long		 cfg_int(const struct cfg_section *s, int key);
bool		 cfg_bool(const struct cfg_section *s, int key);
/* The line key was set on, else the section's header line. */
int		 cfg_line(const struct cfg_section *s, int key);

void		 cfg_problem(struct cfg_problems *p, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* "FILE:LINE: [SECTION] KEY: " and the message, at the key's line. */
void		 cfg_key_problem(struct cfg_problems *p,
		    const struct cfg_section *s, int key, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
/* "FILE:LINE: [SECTION] " and the message, at the header's line. */
void		 cfg_section_problem(struct cfg_problems *p,
		    const struct cfg_section *s, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

struct cfg_handler {
	const char		*name;		/* as written after handler = */
	const struct cfg_key	*keys;		/* its own keys; NULL: none */
	size_t			 nkeys;
	const char		*source_field;	/* email, phone, yubikey or NULL */
	bool			 keeps_codes;	/* codes stay in the vault's outbox */
	/* Rules across keys; each problem via cfg_key_problem. */
	void			(*check)(const struct cfg_section *own,
				    struct cfg_problems *p);
};

/* The handler called name, or NULL (the registry of backends/backend.c). */
const struct cfg_handler *cfg_handler_find(const char *name);
/* The i-th handler of the registry, or NULL past the last. */
const struct cfg_handler *cfg_handler_at(size_t i);

#endif
