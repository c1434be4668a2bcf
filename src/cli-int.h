/*
 * cli-int.h: the pieces of the command line (cli.c) that live in their
 * own files: human rendering of results (cli-render.c) and help, usage
 * and "did you mean" (cli-help.c).  Nothing here is for other faces.
 */
#ifndef RD_CLI_INT_H
#define RD_CLI_INT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include <cJSON.h>

#include "err.h"

struct cmd_entry;

/* Text that cannot drive the terminal: controls show as '?'. */
void	cli_put_text(FILE *fp, const char *s);
/*
 * A result for people: its values as aligned "label: value" lines, its
 * lists as tables with a header, times local, durations in words, and
 * what only programs need left out (DESIGN.md §6 keeps it all in --json).
 */
void	cli_render(FILE *fp, const cJSON *obj);
/* Every string of a result as valid UTF-8, so the JSON is valid. */
void	cli_json_clean(cJSON *item);
/* The QR code of an otpauth URI in a result, for a terminal. */
void	cli_render_qr(FILE *fp, const cJSON *obj);

/*
 * A progress bar on stderr (cli-progress.c), as ctx->progress with a
 * struct cli_progress (zeroed) for its arg; only for a terminal.
 */
struct cli_progress {
	bool		started, drawn;
	struct timespec	t0;
	double		last;		/* seconds after t0 of the last draw */
};
void	cli_progress(void *arg, long done, long total, bool end);

/* redoubt --help: every command. */
void	cli_usage(FILE *fp);
/* One command's usage and options. */
void	cli_cmd_usage(const struct cmd_entry *e, FILE *fp);
/*
 * Every command of a group ("user"); false when there is no such group.
 * A NULL fp only asks whether the group exists.
 */
bool	cli_group_usage(const char *group, FILE *fp);
/*
 * The command the words probably meant, for "did you mean": the nearest
 * command name by edit distance, if near enough; NULL otherwise.
 */
const char *cli_suggest(int argc, char *const *argv);
/* redoubt help [COMMAND...]: 0, or 2 for an unknown command. */
int	cli_help(int argc, char **argv);
/*
 * cli-prompt.c.  What ctx->ask asks for ("passphrase", "password") in the
 * operator's language, when the catalogue knows it.
 */
const char *cli_asked_name(const char *what);
/*
 * One line from the terminal with echo off into buf: 0, or -1 when there
 * is no terminal, -2 too long, -3 a NUL (line_read's).
 */
int	cli_tty_prompt(const char *prompt, char *buf, size_t size);
/*
 * A passphrase from a person at the terminal, twice when it is new; how
 * says what else would give it, for the message when there is no
 * terminal.
 */
enum rd_code cli_prompt_passphrase(const char *what, bool twice,
	    const char *how, char *buf, size_t size, struct rd_err *err)
	    RD_CHECK;
/* redoubt --version */
void	cli_version(FILE *fp);

#endif
