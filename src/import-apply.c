/*
 * import-apply.c: writing the rows of a user import inside a chunk's
 * transaction (import-int.h).  The user is created (as `user add` does:
 * user_apply's checks, then the row, its password and the audit row) or,
 * with update, changed (as `user set`), and the methods the row names are
 * started (as `activate` does: flow_enrol).  Any refusal undoes the whole
 * row: a row that starts methods runs under a savepoint (tx_step), and a
 * row that starts none is refused only before its first write.
 */
#include <stdio.h>
#include <string.h>

#include "env.h"
#include "flow.h"
#include "i18n.h"
#include "import-int.h"
#include "json.h"
#include "kind.h"
#include "tx.h"
#include "user.h"
#include "util.h"

struct import_job {
	const struct import_opts	*o;
	const struct import_cols	*cols;
	struct import_row		*r;
};

/*
 * For a user who exists: whether a method of theirs is active, and
 * whether mc is among them (then it is left as it is).
 */
static enum rd_code RD_CHECK
apply_held(struct rd_ctx *ctx, const struct vault_user *u,
    const struct method_cfg *mc, bool *any_active, bool *active,
    struct rd_err *err)
{
	struct vault_method	*list = NULL;
	size_t			 n = 0, i;
	enum rd_code		 rc;

	*any_active = *active = false;
	if ((rc = vault_method_list(ctx->vault, u->id, &list, &n, err)) !=
	    RD_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if (list[i].state != VAULT_ACTIVE)
			continue;
		*any_active = true;
		if (strcmp(list[i].name, mc->name) == 0)
			*active = true;
	}
	vault_method_list_free(list, n);
	return RD_OK;
}

/* Start the row's methods for u, as activate does. */
static enum rd_code RD_CHECK
apply_methods(struct rd_ctx *ctx, struct import_job *j,
    const struct vault_user *u, bool created, struct rd_err *err)
{
	struct import_row	*r = j->r;
	const struct method_cfg	*mc;
	const struct kind_ops	*k;
	struct flow_send	*send;
	cJSON			*obj;
	bool			 any_active, active;
	enum rd_code		 rc;
	int			 i;

	for (i = 0; i < r->nmethods; i++) {
		mc = r->methods[i];
		k = kind_of(mc);
		/* A code goes out only when the operator said so. */
		if (k->sends_code && !j->o->send) {
			r->held++;
			continue;
		}
		if (!u->active)
			return rd_err_set(err, RD_INACTIVE_USER, _("user %s is "
			    "inactive: its methods can start once it is "
			    "active"), u->name);
		if (!created) {
			if ((rc = flow_check_lock(ctx, u, err)) != RD_OK ||
			    (rc = apply_held(ctx, u, mc, &any_active,
			    &active, err)) != RD_OK)
				return rc;
			if (active)
				continue;
			/* As activate: no proof here, so no new method. */
			if (any_active && config_bool(ctx->cfg,
			    CK_REQUIRE_CODE_TO_ADD))
				return rd_err_set(err, RD_NOT_ALLOWED,
				    _("user %s has an active method: adding "
				    "%s needs a code from it (redoubt "
				    "activate)"), u->name, mc->name);
		}
		if (k->admit != NULL && (rc = k->admit(u, mc, err)) != RD_OK)
			return rc;
		obj = cJSON_CreateObject();
		json_num(obj, "line", (double)r->line);
		if ((rc = flow_enrol(ctx, u, mc, obj, &send, err)) != RD_OK) {
			cJSON_Delete(obj);
			return rc;
		}
		if (r->enrol == NULL)
			r->enrol = cJSON_CreateArray();
		cJSON_AddItemToArray(r->enrol, obj);
		if (send != NULL) {
			r->sends[r->nsends] = send;
			r->send_obj[r->nsends++] = obj;
		}
		r->started++;
	}
	return RD_OK;
}

static enum rd_code RD_CHECK
apply_row(struct rd_ctx *ctx, void *arg, struct rd_err *err)
{
	struct import_job	*j = arg;
	struct import_row	*r = j->r;
	const char		*name = import_field(j->cols, r, IC_USER);
	struct vault_user	 u;
	struct user_change	 c;
	bool			 created = true;
	enum rd_code		 rc;

	memset(&u, 0, sizeof u);
	memset(&c, 0, sizeof c);
	c.email = import_field(j->cols, r, IC_EMAIL);
	c.phone = import_field(j->cols, r, IC_PHONE);
	c.activate = r->active == 1;
	c.deactivate = r->active == 0;
	if (j->o->update) {
		rc = flow_user(ctx, name, &u, err);
		if (rc == RD_OK)
			created = false;
		else if (rc != RD_NOT_FOUND)
			return rc;
	}
	if (created) {
		memset(&u, 0, sizeof u);
		snprintf(u.name, sizeof u.name, "%s", name);
		u.active = true;
		u.created = env_now(ctx->env);
	}
	if ((rc = user_apply(&c, &u, err)) != RD_OK)
		goto out;
	if (created)
		rc = vault_user_add(ctx->vault, &u, err);
	else
		rc = vault_user_update(ctx->vault, &u, err);
	if (rc == RD_EXISTS && !j->o->update) {
		r->fate = IF_SKIPPED;
		goto out;
	}
	if (rc != RD_OK ||
	    (r->pwhash != NULL && (rc = vault_user_set_pwhash(ctx->vault,
	    u.id, r->pwhash, err)) != RD_OK) ||
	    (rc = flow_audit(ctx, u.name, created ? "user add" : "user set",
	    "ok", "import", err)) != RD_OK ||
	    (rc = apply_methods(ctx, j, &u, created, err)) != RD_OK)
		goto out;
	r->fate = created ? IF_CREATED : IF_UPDATED;
out:
	vault_user_clear(&u);
	return rc;
}

enum rd_code
import_chunk_tx(struct rd_ctx *ctx, void *arg, struct rd_err *err)
{
	struct import_chunk	*ch = arg;
	struct import_job	 j = { ch->o, ch->cols, NULL };
	struct rd_err		 rerr;
	enum rd_code		 rc;
	int			 i;

	for (i = 0; i < ch->n; i++) {
		j.r = &ch->rows[i];
		if (j.r->fate != IF_PENDING)
			continue;
		rd_err_clear(&rerr);
		/*
		 * A row without methods is refused only before its first
		 * write (user_apply, or the INSERT of a name that exists,
		 * which SQLite undoes as a statement); after it, only the
		 * vault fails, and that ends the chunk.  So only a row that
		 * starts methods, which may refuse after writing, needs the
		 * savepoint and the page copies it costs.
		 */
		if (j.r->nmethods > 0)
			rc = tx_step(ctx, apply_row, &j, &rerr);
		else
			rc = apply_row(ctx, &j, &rerr);
		/* A user there already was undone as if never tried. */
		if (rc == RD_OK || j.r->fate == IF_SKIPPED)
			continue;
		/* The vault's own trouble is the chunk's, not the row's. */
		if (rd_code_exit(rc) == 3) {
			*err = rerr;
			return rc;
		}
		import_row_refuse(j.r, rerr.msg);
	}
	return RD_OK;
}
