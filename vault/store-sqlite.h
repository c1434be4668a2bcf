/*
 * store-sqlite.h: what SQLite's own tools (the online backup API in
 * backup.c, a test's statement counters) need of a SQLite store: its
 * handle.  Nothing else reaches
 * past store.h.
 */
#ifndef RD_STORE_SQLITE_H
#define RD_STORE_SQLITE_H

#include <sqlite3.h>

#include "store.h"

#define VAULT_BUSY_MS	10000	/* how long a writer waits for the lock */

/* The connection of a SQLite store; NULL for a store of another kind. */
sqlite3		*store_sqlite_handle(struct store *s);
/* The statement under st (tests read its counters); NULL likewise. */
sqlite3_stmt	*store_sqlite_stmt(struct store_stmt *st);

#endif
