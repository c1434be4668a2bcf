/*
 * cli.h: the scriptable face.  Parses the command line of DESIGN.md §6,
 * finds the passphrase, opens the vault, runs one entry of the command
 * table and prints its result as JSON (--json) or key: value lines.  The
 * only place that maps error codes to exit statuses.
 */
#ifndef RD_CLI_H
#define RD_CLI_H

#include <stdbool.h>

struct cli_globals {
	const char	*vault;		/* --vault */
	const char	*config;	/* --config */
	const char	*pass_file;	/* --passphrase-file */
	bool		 json;		/* --json */
};

/* Global options; *next = index of the first word after them. */
int	cli_globals(int argc, char **argv, struct cli_globals *g, int *next);
/* The vault path: --vault, $REDOUBT_VAULT, $XDG_DATA_HOME/redoubt/vault.db. */
char	*cli_vault_path(const char *opt);
/* Read the passphrase: file, $REDOUBT_PASSPHRASE, or the tty. */
int	cli_passphrase(const char *file, const char *envname, bool twice,
	    char *buf, size_t size);
int	cli_main(int argc, char **argv);

/*
 * Implemented by ui/app.c (the core may not include ui/ headers): the
 * full-screen interface when there is no command on a terminal; -1 when
 * the command line should run instead.
 */
int	ui_main(int argc, char **argv);

#endif
