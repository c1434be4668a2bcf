/*
 * main.c: start-up.  With a command, the command line runs it; with none
 * on a terminal, the full-screen interface opens.
 */
#include <stdio.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"

int
main(int argc, char **argv)
{
	int	r;

	if (sodium_init() < 0) {
		fputs("redoubt: libsodium cannot start\n", stderr);
		return 3;
	}
	if ((r = ui_main(argc, argv)) >= 0)
		return r;
	return cli_main(argc, argv);
}
