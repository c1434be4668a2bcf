/*
 * watch.c: whether another process has written the vault since last
 * asked.  A file store answers from SQLite's data_version, which moves
 * when another connection commits and not for this one's own writes, so
 * a screen that polls it once a second while idle reloads only for work
 * done elsewhere.  A shared store (PostgreSQL) is told: every commit
 * notifies, and vault_watch_fd gives the descriptor that turns readable,
 * so a screen waits on it with the keyboard and polls nothing.
 */
#include "../src/i18n.h"
#include "vault-int.h"
#include "vault.h"

enum rd_code
vault_data_version(struct vault *v, int64_t *out, struct rd_err *err)
{
	int	rc;

	if ((rc = v->db->ops->changed(v->db, out)) != STORE_OK)
		return vault_sqlerr(v, rc, N_("reading the data version"), err);
	return RD_OK;
}

int
vault_watch_fd(struct vault *v)
{
	return v->db->ops->watch_fd(v->db);
}
