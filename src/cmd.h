/*
 * cmd.h: the command table both faces call, as tmux's cmd_table.
 *
 * Each flow is one file src/cmd-NAME.c exporting one struct cmd_entry.
 * An entry names its positional arguments and options; the face (cli.c or
 * the TUI) fills a struct cmd_input and calls exec, which does the whole
 * step against the vault in one transaction and describes the outcome in
 * a cJSON object.  Commands never print: cli.c renders the object as JSON
 * or key: value lines, the TUI draws it.  Input that is secret (a password,
 * key material, a code given as "-") is asked for through ctx->ask, so the
 * CLI reads stdin and the TUI hands over a field.
 */
#ifndef RD_CMD_H
#define RD_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "config.h"
#include "env.h"
#include "err.h"

struct vault;
struct rd_buf;

/* What every command runs with. */
struct rd_ctx {
	struct vault		*vault;		/* NULL for CMD_NO_VAULT entries */
	struct config		*cfg;
	const struct rd_env	*env;
	const char		*actor;		/* who acts, for the audit log */
	const char		*vault_path;	/* for init */
	struct rd_buf		*transcript;	/* test-backend --verbose */
	volatile int		*cancel;	/* set by the TUI's Esc */
	/*
	 * Ask for a secret line: what names it ("password", "code", ...).
	 * The answer goes into buf (size bytes, NUL-terminated, no newline).
	 */
	enum rd_code		(*ask)(void *arg, const char *what, char *buf,
				    size_t size, struct rd_err *err);
	void			*ask_arg;
};

#define CMD_MAX_POS	4
#define CMD_MAX_OPTS	8

struct cmd_opt {
	const char	*name;		/* long option without -- */
	bool		 has_arg;
	const char	*help;
};

struct cmd_input {
	const char	*pos[CMD_MAX_POS];
	int		 npos;
	const char	*opt[CMD_MAX_OPTS];	/* value, or "" for a flag; NULL: absent */
};

#define CMD_NO_VAULT	0x1	/* runs without opening the vault */
#define CMD_NO_CONFIG	0x2	/* runs even when the config has problems */

struct cmd_entry {
	const char		*name;		/* "activate", "user add" */
	const char		*usage;		/* "USER METHOD [CODE]" */
	const char		*help;
	int			 minpos, maxpos;
	const struct cmd_opt	*opts;		/* NULL-terminated by name */
	unsigned		 flags;
	enum rd_code		(*exec)(struct rd_ctx *ctx,
				    const struct cmd_input *in, cJSON *out,
				    struct rd_err *err);
};

extern const struct cmd_entry *const cmd_table[];

/* The entry named by words argv[0] (and argv[1]); *used = words taken. */
const struct cmd_entry	*cmd_find(int argc, char *const *argv, int *used);
/* Index of option name in e->opts, or -1. */
int			 cmd_opt_index(const struct cmd_entry *e,
			    const char *name);
/* The value of option name in in, or NULL. */
const char		*cmd_opt(const struct cmd_entry *e,
			    const struct cmd_input *in, const char *name);

/*
 * Words after the command name into in: --name, --name VALUE, --name=VALUE
 * and positionals (a lone "-" is a positional).  in points into argv.
 */
enum rd_code		 cmd_parse(const struct cmd_entry *e, int argc,
			    char **argv, struct cmd_input *in,
			    struct rd_err *err);
/* Run an entry after checking its argument count. */
enum rd_code		 cmd_run(const struct cmd_entry *e, struct rd_ctx *ctx,
			    const struct cmd_input *in, cJSON *out,
			    struct rd_err *err);

/* Wipe every string of a result, then free it. */
void			 cmd_result_free(cJSON *out);

#endif
