/*
 * config.h: redoubt.conf, parsed with inih and checked against declarative
 * key tables (src/cfg.h).
 *
 * One table per section kind drives parsing, defaults, `redoubt config`
 * output and `config --check`: [redoubt] uses config_main_keys, indexed by
 * enum config_key; every [method.NAME] uses config_method_keys (enum
 * method_key) plus its handler's own table.  Values are read by those
 * enums, so a misspelt key fails the build.  Values of the form env:NAME
 * come from the environment.  A struct config owns every string it
 * holds; config_free wipes them, since some are credentials.
 */
#ifndef RD_CONFIG_H
#define RD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "cfg.h"
#include "err.h"

struct rd_buf;

/* The keys of [redoubt], in the order `redoubt config` shows them. */
enum config_key {
	CK_ISSUER,
	CK_BACKUP_CODES_QUANTITY,
	CK_BACKUP_CODES_LENGTH,
	CK_BACKUP_CODES_CHARACTERS,
	CK_SECRET_LENGTH,
	CK_DEFAULT_VALIDITY_PERIOD,
	CK_CODE_DIGITS,
	CK_CODE_ATTEMPTS,
	CK_CONFIRM_DISABLE_WITH_CODE,
	CK_CONFIRM_BACKUP_CODES_REGENERATION_WITH_CODE,
	CK_ALLOW_BACKUP_CODES_REGENERATION,
	CK_BACKUP_CODES_EVERYWHERE,
	CK_REQUIRE_CODE_TO_ADD,
	CK_EPHEMERAL_TOKEN_LIFETIME,
	CK_LOCKOUT_THRESHOLD,
	CK_LOCKOUT_SECONDS,
	CK_RESEND_COOLDOWN,
	CK_PASSWORD_KDF,
	CK_COUNT
};

/* The keys every [method.NAME] has, whatever its handler. */
enum method_key {
	MK_HANDLER,
	MK_VERBOSE_NAME,
	MK_VALIDITY_PERIOD,
	MK_SOURCE_FIELD,
	MK_TIMEOUT,
	MK_COUNT
};

struct method_cfg {
	char				*name;
	const struct cfg_handler	*handler;
	int				 line;		/* of the [method.NAME] header */
	struct cfg_section		 common;	/* config_method_keys */
	struct cfg_section		 own;		/* the handler's keys */
	const struct config		*cfg;		/* the config holding this method */
};

struct config {
	char			*path;		/* NULL: built-in defaults */
	struct cfg_section	 main;
	struct method_cfg	*methods;
	size_t			 nmethods;
	struct cfg_problems	 problems;	/* every bad key, with section and line */
};

extern const struct cfg_key	config_main_keys[CK_COUNT];
extern const struct cfg_key	config_method_keys[MK_COUNT];

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
		    struct rd_err *err) RD_CHECK;
/* The same from text in memory; name stands for the file in messages. */
enum rd_code	 config_load_string(const char *text, const char *name,
		    struct config **out, struct rd_err *err) RD_CHECK;
void		 config_free(struct config *cfg);

/* [redoubt] values. */
const char	*config_str(const struct config *cfg, enum config_key key);
long		 config_int(const struct config *cfg, enum config_key key);
bool		 config_bool(const struct config *cfg, enum config_key key);

const struct method_cfg *config_method(const struct config *cfg,
		    const char *name);

/* A method's common values (its handler's own: cfg_str(&m->own, ...)). */
const char	*method_str(const struct method_cfg *m, enum method_key key);
long		 method_int(const struct method_cfg *m, enum method_key key);
const char	*method_verbose_name(const struct method_cfg *m);
long		 method_validity(const struct method_cfg *m);
/* email, phone, yubikey or NULL (app kinds). */
const char	*method_source_field(const struct method_cfg *m);

/* Every section and key with its value (secrets as ***), INI shaped. */
void		 config_dump(const struct config *cfg, struct rd_buf *out);

#endif
