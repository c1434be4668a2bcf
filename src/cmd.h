/*
 * cmd.h: the command table both faces call, as tmux's cmd_table.
 *
 * Each flow is one file src/cmd-NAME.c exporting one struct cmd_entry,
 * written with designated initializers.  An entry names its positional
 * arguments and options (a table indexed by the command's own enum, read
 * with cmd_opt()); the face (cli.c, the TUI's jobs, the batch runner)
 * fills a struct cmd_input and calls cmd_run().
 *
 * The runner owns the transaction: an entry that writes (CMD_WRITES) runs
 * inside one, committed on success or on a refusal (whose writes, such as
 * a counted failure, must stand) and rolled back on any other error
 * (tx.h).  Work that must happen outside it, such as carrying a code over
 * a network, is left by the step in ctx->after and run by the runner
 * after the commit.  Commands never begin or commit themselves.
 *
 * Commands never print: the outcome is a cJSON object that cli.c renders
 * as JSON or text and the TUI draws.  Secret input (a password, key
 * material, a code given as "-") comes through ctx->ask.
 */
#ifndef RD_CMD_H
#define RD_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "config.h"
#include "ctx.h"
#include "err.h"

#define CMD_MAX_POS	4
#define CMD_MAX_OPTS	8

struct cmd_opt {
	const char	*name;		/* long option without -- */
	bool		 has_arg;
	const char	*help;
};

struct tx_group;

struct cmd_input {
	const char	*pos[CMD_MAX_POS];
	int		 npos;
	const char	*opt[CMD_MAX_OPTS];	/* value, or "" for a flag; NULL: absent */
};

#define CMD_NO_VAULT	0x1	/* runs without opening the vault */
#define CMD_NO_CONFIG	0x2	/* runs even when the config has problems */
#define CMD_WRITES	0x4	/* runs inside one transaction */
#define CMD_DEFAULT	0x8	/* "outbox list": what "outbox" alone runs */
#define CMD_PASSWORD	0x10	/* always asks ctx->ask for a "password" */
#define CMD_BATCH_NO	0x20	/* not on a batch line: sessions, the vault's key */
/*
 * Runs outside any transaction: it talks to a network and writes through
 * tx_run() of its own, so a batch runs it alone, never in a group.
 */
#define CMD_OWN_TX	0x40

struct cmd_entry {
	const char		*name;		/* "activate", "user add" */
	const char		*usage;		/* "USER METHOD [CODE]" */
	const char		*help;
	int			 minpos, maxpos;
	const struct cmd_opt	*opts;		/* indexed by the command's enum */
	int			 nopts;
	unsigned		 flags;
	/*
	 * Optional: slow or interactive work before the transaction (asking
	 * for a password, Argon2id), so no write lock is held meanwhile; what
	 * it learns goes to exec through ctx_prep().
	 */
	enum rd_code		(*prepare)(struct rd_ctx *ctx,
				    const struct cmd_input *in,
				    struct rd_err *err) RD_CHECK;
	enum rd_code		(*exec)(struct rd_ctx *ctx,
				    const struct cmd_input *in, cJSON *out,
				    struct rd_err *err) RD_CHECK;
};

extern const struct cmd_entry *const cmd_table[];
/* The one entry the faces treat apart: it starts a session afresh. */
extern const struct cmd_entry cmd_unlock_entry;

/*
 * The entry named by the words argv[0] (and argv[1]), the longest
 * match, or the group's CMD_DEFAULT entry when argv[1] names none of the
 * group; *used = words taken.
 */
const struct cmd_entry	*cmd_find(int argc, char *const *argv, int *used);
/* The value of option opt (the command's enum) in in, or NULL. */
const char		*cmd_opt(const struct cmd_input *in, int opt);
/* The same by the option's name, for a face that treats one apart. */
const char		*cmd_opt_named(const struct cmd_entry *e,
			    const struct cmd_input *in, const char *name);

/*
 * Words after the command name into in: --name, --name VALUE, --name=VALUE
 * and positionals (a lone "-" is a positional; after "--" every word is).
 * in points into argv.
 */
enum rd_code		 cmd_parse(const struct cmd_entry *e, int argc,
			    char **argv, struct cmd_input *in,
			    struct rd_err *err) RD_CHECK;
/*
 * Run an entry after checking its argument count: in a transaction when
 * it writes, then what it left for after the commit.
 */
enum rd_code		 cmd_run(const struct cmd_entry *e, struct rd_ctx *ctx,
			    const struct cmd_input *in, cJSON *out,
			    struct rd_err *err) RD_CHECK;
/*
 * The same as one step of an open batch group g (tx.h): a writing entry
 * runs in a savepoint of its own, the others inside g's transaction as
 * they are.  What a successful step left in ctx->after stays there: the
 * caller commits g first, then runs it with cmd_after.
 */
enum rd_code		 cmd_run_grouped(const struct cmd_entry *e,
			    struct rd_ctx *ctx, const struct cmd_input *in,
			    cJSON *out, struct tx_group *g,
			    struct rd_err *err) RD_CHECK;
/* What the last step left for after its commit, if anything; then dropped. */
enum rd_code		 cmd_after(struct rd_ctx *ctx, cJSON *out,
			    struct rd_err *err) RD_CHECK;
/*
 * Set option name of e in in to value (a face that gets it another way,
 * such as a batch line's --password); false when e has no such option.
 */
bool			 cmd_opt_give(const struct cmd_entry *e,
			    struct cmd_input *in, const char *name,
			    const char *value);

/* Wipe every string of a result, then free it (json_free). */
void			 cmd_result_free(cJSON *out);

#endif
