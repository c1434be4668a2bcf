/*
 * main.c: start-up, and the one place that knows both faces: with no
 * command on a terminal, the full-screen interface opens; otherwise the
 * command line runs.
 *
 * First the locale: the operator's language and character set, and the
 * message catalogue (English for --json), so that even the first error
 * reads in that language; nothing secret is in memory yet.  LOCALEDIR is
 * where the catalogues are: the tree's share/locale for a build, the
 * installed one for `make install`.  Then, before any secret, the process
 * makes itself unfit to dump: no core file (RLIMIT_CORE 0) and not
 * dumpable (no core, no ptrace by the same user, /proc/PID owned by
 * root), since its memory holds the vault's keys and the secrets it
 * handles.
 */
#include <locale.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <sodium.h>

#include "../ui/ui.h"
#include "cli.h"
#include "i18n.h"
#include "json.h"

int
main(int argc, char **argv)
{
	struct rlimit	no_core = { 0, 0 };
	int		r;

	/*
	 * The operator's language and character set, but numbers always with
	 * a '.': JSON, config values and provider requests are not prose.
	 * Nothing secret is in memory yet.
	 */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	i18n_init(LOCALEDIR, i18n_wants_json(argc, argv));
	if (setrlimit(RLIMIT_CORE, &no_core) != 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		fputs(_("redoubt: cannot turn core dumps off\n"), stderr);
		return 3;
	}
	if (sodium_init() < 0) {
		fputs(_("redoubt: libsodium cannot start\n"), stderr);
		return 3;
	}
	json_init();
	if ((r = ui_main(argc, argv)) >= 0)
		return r;
	return cli_main(argc, argv);
}
