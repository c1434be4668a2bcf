/*
 * schema.c: the tables of the vault and their migrations.
 *
 * PRAGMA user_version holds the schema version; migrations[i] takes a
 * vault from version i to i + 1, each in its own transaction.  A vault of
 * a newer version than this file knows is refused when it is opened.
 *
 * Usernames stay in clear and indexed (search and paging scale); every
 * personal or secret value is a sealed BLOB; codes and tokens are hashes.
 */
#include <stdio.h>

#include "vault-int.h"

static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL UNIQUE,"
	"  email BLOB, phone BLOB, pwhash TEXT,"
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE methods ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL, handler TEXT NOT NULL,"
	"  state INTEGER NOT NULL, is_primary INTEGER NOT NULL DEFAULT 0,"
	"  secret BLOB, counter INTEGER NOT NULL DEFAULT -1,"
	"  request_id BLOB, last_sent INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL,"
	"  UNIQUE (user_id, name));"
	"CREATE TABLE backup_codes ("
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  hash BLOB NOT NULL, used_at INTEGER,"
	"  PRIMARY KEY (user_id, hash)) WITHOUT ROWID;"
	"CREATE TABLE pending_codes ("
	"  method_id INTEGER PRIMARY KEY REFERENCES methods(id) ON DELETE CASCADE,"
	"  hash BLOB NOT NULL, expires INTEGER NOT NULL,"
	"  attempts INTEGER NOT NULL);"
	"CREATE TABLE tokens ("
	"  hash BLOB PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  expires INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0)"
	"  WITHOUT ROWID;"
	"CREATE INDEX tokens_user ON tokens (user_id);"
	"CREATE INDEX tokens_expires ON tokens (expires);"
	"CREATE TABLE lockouts ("
	"  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
	"  failures INTEGER NOT NULL, locked_until INTEGER NOT NULL,"
	"  lock_count INTEGER NOT NULL);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  method TEXT NOT NULL, recipient BLOB NOT NULL, body BLOB NOT NULL,"
	"  sent_at INTEGER NOT NULL);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  time INTEGER NOT NULL, actor TEXT NOT NULL, user TEXT,"
	"  action TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT,"
	"  mac BLOB NOT NULL);",
};

enum rd_code
schema_migrate(struct vault *v, struct rd_err *err)
{
	sqlite3_stmt	*st;
	int		 version, rc;
	enum rd_code	 r;
	const int	 newest = (int)(sizeof migrations / sizeof migrations[0]);

	rc = sqlite3_prepare_v2(v->db, "PRAGMA user_version", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return vault_sqlerr(v, rc, "reading the schema version", err);
	rc = sqlite3_step(st);
	version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (version < 0)
		return vault_sqlerr(v, rc, "reading the schema version", err);
	if (version > newest)
		return rd_err_set(err, RD_VAULT_CORRUPT, "vault schema %d is "
		    "newer than this redoubt (%d)", version, newest);
	for (; version < newest; version++) {
		char	pragma[48];

		if ((r = vault_begin(v, err)) != RD_OK)
			return r;
		rc = sqlite3_exec(v->db, migrations[version], NULL, NULL, NULL);
		if (rc == SQLITE_OK) {
			snprintf(pragma, sizeof pragma,
			    "PRAGMA user_version = %d", version + 1);
			rc = sqlite3_exec(v->db, pragma, NULL, NULL, NULL);
		}
		if (rc != SQLITE_OK) {
			vault_rollback(v);
			return vault_sqlerr(v, rc, "migrating the schema", err);
		}
		if ((r = vault_commit(v, err)) != RD_OK)
			return r;
	}
	return RD_OK;
}
