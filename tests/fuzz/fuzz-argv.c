/*
 * fuzz-argv.c: the command line, as every face hands it to the core: the
 * global options (session_opts_parse), then the command's words
 * (cmd_find, the longest match in the table) and its options and
 * positionals (cmd_parse).  A wrapper script, a PAM config or a batch
 * file may pass anything here.  Nothing is run: cmd_run is never called.
 *
 * Input: words separated by NUL or newline bytes, at most 16, each in its
 * own allocation (so ASan sees a read past any word), argv[argc] NULL.
 * Promises: the parse stays inside argv; at most CMD_MAX_POS positionals;
 * every value points into a word (or is "" for a flag).
 */
#include <sodium.h>

#include "../../src/cmd.h"
#include "../../src/session.h"
#include "fuzz.h"

#define FUZZ_WORDS	16

FUZZ_INITIALIZE()

/* Whether s is one of the words or inside one. */
static bool
fuzz_in_argv(const char *s, int argc, char **argv)
{
	int	i;

	for (i = 0; i < argc; i++)
		if (s >= argv[i] && s <= argv[i] + strlen(argv[i]))
			return true;
	return false;
}

static void
fuzz_command(int argc, char **argv)
{
	const struct cmd_entry	*e;
	struct cmd_input	 in;
	struct rd_err		 err;
	enum rd_code		 rc;
	int			 used = 0, k;

	if ((e = cmd_find(argc, argv, &used)) == NULL)
		return;
	fuzz_require(used >= 1 && used <= 2 && used <= argc,
	    "a command takes one or two words");
	rc = cmd_parse(e, argc - used, argv + used, &in, &err);
	fuzz_require(rc == RD_OK || rc == RD_USAGE,
	    "cmd_parse answers OK or USAGE");
	if (rc != RD_OK)
		return;
	fuzz_require(in.npos >= 0 && in.npos <= CMD_MAX_POS,
	    "at most CMD_MAX_POS positionals");
	for (k = 0; k < in.npos; k++)
		fuzz_require(fuzz_in_argv(in.pos[k], argc, argv),
		    "a positional is a word");
	for (k = 0; k < e->nopts; k++)
		fuzz_require(cmd_opt(&in, k) == NULL ||
		    *cmd_opt(&in, k) == '\0' ||
		    fuzz_in_argv(cmd_opt(&in, k), argc, argv),
		    "an option's value is in a word");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char			*argv[FUZZ_WORDS + 1];
	struct session_opts	 o;
	struct rd_err		 err;
	size_t			 start = 0, i;
	int			 argc = 0, next = 0, k;
	enum rd_code		 rc;

	for (i = 0; i <= size && argc < FUZZ_WORDS; i++) {
		if (i < size && data[i] != '\0' && data[i] != '\n')
			continue;
		argv[argc++] = fuzz_text(data + start, i - start);
		start = i + 1;
	}
	argv[argc] = NULL;

	memset(&o, 0, sizeof o);
	rc = session_opts_parse(argc, argv, &next, &o, &err);
	fuzz_require(rc == RD_OK || rc == RD_USAGE,
	    "session_opts_parse answers OK or USAGE");
	fuzz_require(next >= 0 && next <= argc, "the next word is in argv");
	if (rc == RD_OK && next < argc)
		fuzz_command(argc - next, argv + next);
	/* The faces also look a command up from the first word. */
	fuzz_command(argc, argv);
	for (k = 0; k < argc; k++)
		free(argv[k]);
	return 0;
}
