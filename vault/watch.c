/*
 * watch.c: whether another process has written the vault since last
 * asked.  SQLite's data_version changes on this connection when any
 * other connection commits to the file, and not for this connection's
 * own writes, so a screen that polls it while idle reloads only for work
 * done elsewhere (a `redoubt user add` from a second shell).  It reads
 * one integer from the pager, no table: cheap enough for every second.
 */
#include <sqlite3.h>

#include "../src/i18n.h"
#include "vault-int.h"
#include "vault.h"

enum rd_code
vault_data_version(struct vault *v, int64_t *out, struct rd_err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = vault_stmt(v, "PRAGMA data_version", err)) == NULL)
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	vault_done(st);
	if (rc != SQLITE_ROW)
		return vault_sqlerr(v, rc, N_("reading the data version"), err);
	return RD_OK;
}
