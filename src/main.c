/*
 * main.c: start-up, and the one place that knows both faces: with no
 * command on a terminal, the full-screen interface opens; otherwise the
 * command line runs.
 *
 * Before anything else the process makes itself unfit to dump: no core
 * file (RLIMIT_CORE 0) and not dumpable (no core, no ptrace by the same
 * user, /proc/PID owned by root), since its memory holds the vault's keys
 * and the secrets it handles.  Then the locale: the operator's language
 * and character set.
 */
#include <locale.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <sodium.h>

#include "../ui/ui.h"
#include "cli.h"
#include "json.h"

int
main(int argc, char **argv)
{
	struct rlimit	no_core = { 0, 0 };
	int		r;

	if (setrlimit(RLIMIT_CORE, &no_core) != 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		fputs("redoubt: cannot turn core dumps off\n", stderr);
		return 3;
	}
	if (sodium_init() < 0) {
		fputs("redoubt: libsodium cannot start\n", stderr);
		return 3;
	}
	json_init();
	/*
	 * The operator's language and character set, but numbers always with
	 * a '.': JSON, config values and provider requests are not prose.
	 */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	if ((r = ui_main(argc, argv)) >= 0)
		return r;
	return cli_main(argc, argv);
}
