/*
 * i18n.c: the message catalogue's binding (i18n.h).
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

void
i18n_init(const char *dir, bool english)
{
	const char	*env = getenv(I18N_DIR_ENV);

	if (english)
		setlocale(LC_MESSAGES, "C");
	bindtextdomain("redoubt", env != NULL && env[0] != '\0' ? env : dir);
	/* Screens measure text as UTF-8, whatever the locale's charset. */
	bind_textdomain_codeset("redoubt", "UTF-8");
	textdomain("redoubt");
}

bool
i18n_wants_json(int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--json") == 0)
			return true;
	}
	return false;
}
