/*
 * cli-batch.h: `redoubt batch`, the face for scripts that run many
 * commands: one command a line on stdin, in the words of the command line,
 * one JSON answer a line on stdout (JSON Lines), the vault unlocked once.
 *
 * Lines are split as a shell would (shword.h).  Secrets may be given on a
 * line, since stdin is not argv: `--password VALUE` for a command that
 * takes a password, and codes as arguments.  A line may not run what
 * starts or ends sessions or changes the vault's key (CMD_BATCH_NO), nor
 * `batch` or `help`, nor give global options; nothing is asked of a
 * person.
 *
 * Group commit: lines that write share one transaction, each in a
 * savepoint of its own (tx.h), so a failing line loses only its own
 * writes.  No answer is written before the transaction that holds its
 * line has committed; when the commit fails, every line of the group
 * that was ok or refused answers with that error (its writes are gone).  A group ends after BATCH_GROUP_MAX lines,
 * when no more input is waiting (so a slow or interactive producer gets
 * its answers at once), before a line that does slow work (a password's
 * Argon2id), runs without the vault or has transactions of its own (a
 * test message), which runs alone, when a line leaves work for after
 * its commit (a code carried over a network), and at the end.
 *
 * Answers: {"line":N,"ok":true,"result":{...}} or {"line":N,"ok":false,
 * "code":"not_found","error":"..."} (with "result" when the failing
 * command learned something, as under "error" of --json).  An error of
 * the batch as a whole (no passphrase, no vault) is the answer of line 0.
 * Messages are English, as with --json.
 *
 * The exit status is that of the most severe error seen: refusals (1)
 * below provider errors (4) below usage errors (2) below configuration
 * errors (5) below vault errors (3); 0 when every line was ok.
 */
#ifndef RD_CLI_BATCH_H
#define RD_CLI_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "ctx.h"
#include "err.h"
#include "shword.h"

#define BATCH_LINE_MAX	16384	/* bytes of one line, without newline */
#define BATCH_GROUP_MAX	256	/* lines in one transaction */

struct cmd_entry;
struct cmd_input;

/* The entry that describes `batch` for help and parses its options. */
extern const struct cmd_entry cli_batch_entry;
enum { BATCH_STOP_ON_ERROR, BATCH_NOPTS };

/* Where a batch reads and writes; a test gives its own. */
struct batch_io {
	int	 in_fd;
	/* One answer, a JSON object on one line without its newline. */
	void	(*emit)(void *arg, const char *json);
	/* Everything emitted so far must reach its reader now. */
	void	(*flush)(void *arg);
	void	*arg;
};

struct batch_opts {
	bool	stop_on_error;
	int	group_max;	/* lines a group may hold; 0: BATCH_GROUP_MAX */
};

/*
 * Run the batch on ctx, whose vault is open; returns the exit status.
 * ctx->ask is the batch's own while it runs, then as it was.
 */
int	batch_run(struct rd_ctx *ctx, const struct batch_opts *o,
	    const struct batch_io *io);
/* The answer of line 0: the batch could not start. */
void	batch_fail(const struct batch_io *io, enum rd_code rc,
	    const struct rd_err *err);

/* cli-batch-in.c: reading lines, and a line into a command to run. */

/* Lines from a file descriptor, in locked memory wiped as it is used. */
struct batch_reader {
	int	 fd;
	char	*buf;		/* BATCH_LINE_MAX + 1 bytes */
	size_t	 len;		/* bytes held */
	size_t	 used;		/* of them, the line handed out last */
	bool	 eof;
	bool	 skipping;	/* inside a line too long to hold */
	long	 lineno;	/* of the line handed out last */
};

void	batch_reader_init(struct batch_reader *r, int fd);
/* Wipe and free what the reader holds. */
void	batch_reader_free(struct batch_reader *r);
/*
 * The next line, NUL-terminated, without its newline or a CR before it,
 * into *line (valid until the next call).  1: a line; 0: the end; -1: a
 * line that cannot be read (too long, a NUL byte, an input error: err
 * says which, r->lineno is its number); the reader goes on after it
 * unless it was an input error, after which it is at the end.
 */
int	batch_reader_line(struct batch_reader *r, char **line,
	    struct rd_err *err);
/* Whether a line (or the end) can be had without waiting. */
bool	batch_reader_ready(struct batch_reader *r);

/* A line made ready to run. */
struct batch_line {
	long			 no;
	struct shword		 w;
	char			*wbuf;		/* BATCH_LINE_MAX + 1, locked */
	size_t			 wlen;		/* bytes of it to wipe */
	const struct cmd_entry	*e;		/* NULL: nothing to run */
	struct cmd_input	*in;
	const char		*password;	/* --password VALUE, in wbuf */
};

void	batch_line_init(struct batch_line *l);
void	batch_line_free(struct batch_line *l);
/*
 * Split text (line no) and find its command, options and arguments; a
 * blank or comment line leaves l->e NULL.  RD_USAGE for a line that is
 * not a command a batch may run, naming what is wrong.
 */
enum rd_code batch_line_parse(struct batch_line *l, const char *text,
	    long no, struct rd_err *err) RD_CHECK;
/* Wipe what the line held (its words, its password). */
void	batch_line_wipe(struct batch_line *l);
/* ctx->ask for a batch line: the line's --password, nothing else. */
enum rd_code batch_ask(void *arg, const char *what, char *buf, size_t size,
	    struct rd_err *err) RD_CHECK;

#endif
