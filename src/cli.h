/*
 * cli.h: the scriptable face.  Parses the command line of DESIGN.md §6,
 * gets a session (config, vault, passphrase), runs one entry of the
 * command table and prints its result as JSON (--json) or key: value
 * lines.  The only place that maps error codes to exit statuses.
 */
#ifndef RD_CLI_H
#define RD_CLI_H

/* Run the command line; returns the exit status. */
int	cli_main(int argc, char **argv);

#endif
