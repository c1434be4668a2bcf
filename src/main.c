/*
 * main.c: start-up, and the one place that knows both faces: with no
 * command on a terminal, the full-screen interface opens; otherwise the
 * command line runs.
 */
#include <stdio.h>

#include <sodium.h>

#include "../ui/ui.h"
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
