/*
 * i18n.h: the words people read, in their language (glibc's gettext).
 *
 * _() translates a message where it is used; N_() only marks a string in
 * a static table for xgettext, and the table's reader calls _() on it;
 * ngettext() picks the plural form of a count (Polish has three).  A
 * format string goes through _() before printf sees it, so a message is
 * built in the operator's language; the catalogue keeps the conversions.
 *
 * Never through _(): JSON keys and machine values, error code names,
 * config keys, command and option names, and text sent to providers.
 * With --json the command line speaks English (LC_MESSAGES is C), so its
 * messages are the same for every operator.
 */
#ifndef RD_I18N_H
#define RD_I18N_H

#include <stdbool.h>

#include <libintl.h>

#define _(s)	gettext(s)
#define N_(s)	s

/* The environment variable that overrides the catalogue's folder. */
#define I18N_DIR_ENV	"REDOUBT_LOCALEDIR"

/*
 * Bind the "redoubt" text domain to dir (or $REDOUBT_LOCALEDIR when set)
 * in UTF-8.  With english set, messages stay untranslated: LC_MESSAGES
 * becomes C.  Call after setlocale(LC_ALL, "").
 */
void	i18n_init(const char *dir, bool english);
/*
 * Whether the command line asks for JSON: a "--json" among the words
 * before a "--".  Decided before any message is made, so that none of
 * them is translated.
 */
bool	i18n_wants_json(int argc, char **argv);

#endif
