/*
 * config.h: redoubt.conf, parsed with inih and checked against declarative
 * key tables.
 *
 * One table per section kind (struct cfg_key: name, type, default, bounds,
 * choices, flags, help) drives parsing, defaults, `redoubt config` output
 * and `config --check`.  [redoubt] uses config_main_keys, every
 * [method.NAME] uses config_method_keys plus its handler's own table from
 * the backend registry.  Values of the form env:NAME come from the
 * environment.  A struct config owns every string it holds; config_free
 * wipes them, since some are credentials.
 */
#ifndef RD_CONFIG_H
#define RD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct backend;
struct rd_buf;

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

struct cfg_key {
	const char	*name;
	enum cfg_type	 type;
	const char	*def;		/* default as text, may be env:NAME; NULL: none */
	long		 min, max;	/* CFG_INT bounds */
	const char	*choices;	/* CFG_ENUM: "a|b|c" */
	unsigned	 flags;
	const char	*help;
};

/* The values of one section, parallel to its key table. */
struct cfg_section {
	const struct cfg_key	 *keys;
	size_t			  nkeys;
	char			**vals;		/* resolved; NULL: not set, use default */
	int			 *lines;	/* line each value came from, 0: default */
};

struct method_cfg {
	char			*name;
	const struct backend	*be;
	int			 line;		/* of the [method.NAME] header */
	struct cfg_section	 common;	/* config_method_keys */
	struct cfg_section	 own;		/* be->keys */
	const struct config	*cfg;		/* the config holding this method */
};

struct config {
	char			 *path;		/* NULL: built-in defaults */
	struct cfg_section	  main;
	struct method_cfg	 *methods;
	size_t			  nmethods;
	char			**problems;	/* every bad key, with section and line */
	size_t			  nproblems;
};

extern const struct cfg_key	config_main_keys[];
extern const size_t		config_main_nkeys;
extern const struct cfg_key	config_method_keys[];
extern const size_t		config_method_nkeys;

/*
 * The file to read: path when given, else $REDOUBT_CONFIG,
 * $XDG_CONFIG_HOME/redoubt/redoubt.conf, /etc/redoubt/redoubt.conf, or NULL
 * for the built-in defaults.  Returns a new string or NULL.
 */
char		*config_find(const char *path);

/*
 * Load path (NULL: built-in defaults).  *out is always set, so that
 * `config --check` can list every problem; the return is RD_CONFIG, with the
 * first problem as message, when there is any.
 */
enum rd_code	 config_load(const char *path, struct config **out,
		    struct rd_err *err);
/* The same from text in memory; name stands for the file in messages. */
enum rd_code	 config_load_string(const char *text, const char *name,
		    struct config **out, struct rd_err *err);
void		 config_free(struct config *cfg);

/* Record a problem (used by handlers' own checks). */
void		 config_problem(struct config *cfg, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* [redoubt] values; key must be in config_main_keys (else abort). */
const char	*config_str(const struct config *cfg, const char *key);
long		 config_int(const struct config *cfg, const char *key);
bool		 config_bool(const struct config *cfg, const char *key);

const struct method_cfg *config_method(const struct config *cfg,
		    const char *name);

/* A method's value: its handler's keys first, then the common ones. */
const char	*method_str(const struct method_cfg *m, const char *key);
long		 method_int(const struct method_cfg *m, const char *key);
/* Line of a method key in the file (0: default). */
int		 method_line(const struct method_cfg *m, const char *key);
const char	*method_verbose_name(const struct method_cfg *m);
long		 method_validity(const struct method_cfg *m);
/* email, phone, yubikey or NULL (app kinds). */
const char	*method_source_field(const struct method_cfg *m);

/* Every section and key with its value (secrets as ***), INI shaped. */
void		 config_dump(const struct config *cfg, struct rd_buf *out);

#endif
