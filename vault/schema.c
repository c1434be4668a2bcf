/*
 * schema.c: the tables of the vault and their migrations.
 *
 * The store keeps the schema version (SQLite: PRAGMA user_version;
 * PostgreSQL: a table of its own); migrations[i] takes a
 * vault from version i to i + 1 with its SQL, then the part that needs
 * the keys (sealing again, MACs, keyed hashes).  The whole way up is one
 * transaction: every step's SQL in order, then every step's key part in
 * order, because the key parts write rows through today's writers
 * (urow_put writes every column of today's users table), which need
 * today's tables.  A failure leaves the file as it was.  A vault of a
 * newer version than this file knows is refused when it is opened.
 *
 * Usernames stay in clear and indexed (search and paging scale); every
 * personal or secret value is a sealed BLOB; codes and tokens are hashes;
 * every row that decides a login carries a MAC (version 2); e-mail and
 * phone have a keyed blind index (version 3, userix.c); a method keeps
 * when a code of it was last accepted (version 4); an imported token's
 * facts are sealed with it (version 5); a user's backup codes are one row,
 * and list pages read only an index (version 6).
 */
#include "../src/i18n.h"
#include "vault-int.h"

static const struct {
	const char	*sql;
	enum rd_code	(*code)(struct vault *v, struct rd_err *err) RD_CHECK;
} migrations[] = {
	/* 0 -> 1 */
	{ "CREATE TABLE users ("
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
	"  mac BLOB NOT NULL);", NULL },
	/* 1 -> 2: row MACs; the lock moves into the user's row; ghosts */
	{ "ALTER TABLE users ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN lock_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN mset BLOB;"
	"ALTER TABLE users ADD COLUMN bset INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN mac BLOB;"
	"ALTER TABLE methods ADD COLUMN mac BLOB;"
	"ALTER TABLE backup_codes ADD COLUMN mac BLOB;"
	"ALTER TABLE pending_codes ADD COLUMN mac BLOB;"
	"ALTER TABLE tokens ADD COLUMN mac BLOB;"
	"UPDATE users SET"
	"  failures = coalesce((SELECT failures FROM lockouts"
	"    WHERE user_id = users.id), 0),"
	"  locked_until = coalesce((SELECT locked_until FROM lockouts"
	"    WHERE user_id = users.id), 0),"
	"  lock_count = coalesce((SELECT lock_count FROM lockouts"
	"    WHERE user_id = users.id), 0);"
	"DROP TABLE lockouts;"
	"UPDATE backup_codes SET used_at = 0 WHERE used_at IS NULL;"
	"CREATE TABLE ghosts ("
	"  hash BLOB PRIMARY KEY, failures INTEGER NOT NULL,"
	"  locked_until INTEGER NOT NULL, lock_count INTEGER NOT NULL,"
	"  seen INTEGER NOT NULL, mac BLOB NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX ghosts_seen ON ghosts (seen);", migrate_v2 },
	/* 2 -> 3: the keyed index of e-mail and phone (partial: most are NULL) */
	{ "ALTER TABLE users ADD COLUMN email_ix BLOB;"
	"ALTER TABLE users ADD COLUMN phone_ix BLOB;"
	"CREATE INDEX users_email_ix ON users (email_ix)"
	"  WHERE email_ix IS NOT NULL;"
	"CREATE INDEX users_phone_ix ON users (phone_ix)"
	"  WHERE phone_ix IS NOT NULL;", migrate_v3 },
	/*
	 * 3 -> 4: when a code of the method was last accepted.  The MAC
	 * takes it in only once set (vault-method.c), so no row changes.
	 */
	{ "ALTER TABLE methods ADD COLUMN last_used INTEGER NOT NULL"
	"  DEFAULT 0;", NULL },
	/*
	 * 4 -> 5: the sealed facts of an imported token (serial, algorithm,
	 * digits, period); in the MAC only once set, so no row changes.
	 */
	{ "ALTER TABLE methods ADD COLUMN params BLOB;", NULL },
	/*
	 * 5 -> 6: a user's backup codes in one row (backup-set.c), filled from
	 * backup_codes, which migrate_v6 then drops; and an index that holds
	 * all a list page reads, so a page costs no visit to the table rows,
	 * which sit in the file in the order users were added.
	 */
	{ "CREATE TABLE backup_sets ("
	"  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
	"  hashes BLOB NOT NULL, used BLOB NOT NULL, mac BLOB NOT NULL);"
	"CREATE INDEX users_page ON users (name, active);", migrate_v6 },
};

#define SCHEMA_NEWEST	((int)(sizeof migrations / sizeof migrations[0]))

enum rd_code
schema_header(struct vault *v, struct rd_err *err)
{
	int	rc;

	/* A store without old vaults makes every table at its newest. */
	if (v->db->ops->fresh != NULL)
		rc = v->db->ops->fresh(v->db, SCHEMA_NEWEST);
	else
		rc = store_exec(v->db, "CREATE TABLE meta (k TEXT PRIMARY KEY,"
		    " v)");
	if (rc != STORE_OK)
		return vault_sqlerr(v, rc, N_("creating the header"), err);
	return RD_OK;
}

enum rd_code
schema_fresh(struct vault *v, struct rd_err *err)
{
	int	rc, i;

	if (v->db->ops->fresh != NULL)
		rc = v->db->ops->fresh(v->db, SCHEMA_NEWEST);
	else {
		rc = store_exec(v->db, "CREATE TABLE meta (k TEXT PRIMARY KEY,"
		    " v)");
		for (i = 0; rc == STORE_OK && i < SCHEMA_NEWEST; i++)
			rc = store_exec(v->db, migrations[i].sql);
		/* What migrate_v6 drops once it has folded the rows. */
		if (rc == STORE_OK)
			rc = store_exec(v->db, "DROP TABLE backup_codes");
		if (rc == STORE_OK)
			rc = v->db->ops->version_set(v->db, SCHEMA_NEWEST);
	}
	if (rc != STORE_OK)
		return vault_sqlerr(v, rc, N_("creating the tables"), err);
	return RD_OK;
}

enum rd_code
schema_migrate(struct vault *v, int *from, struct rd_err *err)
{
	int		 version = -1, rc = STORE_OK, i;
	enum rd_code	 r;

	if ((rc = v->db->ops->version_get(v->db, &version)) != STORE_OK)
		return vault_sqlerr(v, rc,
		    N_("reading the schema version"), err);
	*from = version;
	if (version < 0 || version > SCHEMA_NEWEST)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("vault schema %d is "
		    "newer than this redoubt (%d)"), version, SCHEMA_NEWEST);
	if (version == SCHEMA_NEWEST)
		return RD_OK;
	if ((r = vault_begin(v, err)) != RD_OK)
		return r;
	for (i = version; i < SCHEMA_NEWEST; i++)
		if ((rc = store_exec(v->db, migrations[i].sql)) != STORE_OK)
			break;
	if (rc == STORE_OK)
		rc = v->db->ops->version_set(v->db, SCHEMA_NEWEST);
	if (rc != STORE_OK) {
		r = vault_sqlerr(v, rc, N_("migrating the schema"), err);
		vault_rollback(v);
		return r;
	}
	for (i = version; i < SCHEMA_NEWEST; i++)
		if (migrations[i].code != NULL &&
		    (r = migrations[i].code(v, err)) != RD_OK) {
			vault_rollback(v);
			return r;
		}
	return vault_commit(v, err);
}
