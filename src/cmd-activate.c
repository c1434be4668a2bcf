/*
 * cmd-activate.c: `redoubt activate USER METHOD [CODE]`: start enrolling
 * a user in a method.  The method becomes pending with fresh material
 * from its kind: an app gets a secret (shown once, as an otpauth URI), a
 * device takes its key, and a code or verify channel sends a code after
 * the step has committed.  A user who already has an active method must
 * prove it with a code first (require_code_to_add), so a stolen password
 * alone cannot add an attacker's phone.  For an app, --sheet FILE also
 * prints the secret and its QR code on an enrolment sheet
 * (enrol-sheet.h); other kinds have nothing to print and refuse it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "enrol-sheet.h"
#include "env.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "kind.h"
#include "util.h"

enum {
	ACTIVATE_SHEET,
	ACTIVATE_NOPTS
};

static const struct cmd_opt activate_opts[ACTIVATE_NOPTS] = {
	[ACTIVATE_SHEET] = { .name = "sheet", .has_arg = true,
	    .help = N_("an app's secret and QR code also on an enrolment "
	    "sheet (PDF) in FILE") },
};

/* require_code_to_add: a code of an active method, when there is one. */
static enum rd_code RD_CHECK
activate_proof(struct rd_ctx *ctx, const struct cmd_input *in,
    const struct vault_user *u, const struct method_cfg *mc,
    struct rd_err *err)
{
	static const struct flow_proof	 proof = {
		.backup = true,
		.action = "activate",
	};
	struct vault_method		*list = NULL;
	size_t				 n = 0, i;
	bool				 has_active = false;
	char				 *code = NULL;
	char				 used[VAULT_METHOD_MAX + 1];
	enum rd_code			 rc;

	if ((rc = vault_method_list(ctx->vault, u->id, &list, &n, err)) !=
	    RD_OK)
		return rc;
	for (i = 0; i < n && rc == RD_OK; i++) {
		if (list[i].state == VAULT_ACTIVE)
			has_active = true;
		if (strcmp(list[i].name, mc->name) == 0 &&
		    list[i].state == VAULT_ACTIVE)
			rc = rd_err_set(err, RD_EXISTS, _("method %s of user "
			    "%s is active already"), mc->name, u->name);
	}
	vault_method_list_free(list, n);
	if (rc != RD_OK || !has_active ||
	    !config_bool(ctx->cfg, CK_REQUIRE_CODE_TO_ADD))
		return rc;
	if (in->npos < 3)
		return rd_err_set(err, RD_NOT_ALLOWED, _("user %s has an "
		    "active method: adding %s needs a code from it"), u->name,
		    mc->name);
	if ((rc = flow_code_arg(ctx, in->pos[2], &code, err)) ==
	    RD_OK)
		rc = flow_check_any(ctx, u, &proof, code, used, err);
	secret_release(code);
	return rc;
}

static enum rd_code RD_CHECK
activate_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const struct method_cfg	*mc;
	const struct kind_ops	*k;
	struct vault_user	 u;
	struct flow_send	*send = NULL;
	const char		*sheet = cmd_opt(in, ACTIVATE_SHEET);
	struct sheet		 sh;
	enum rd_code		 rc;

	/* A taken path is refused before anything is done. */
	if (sheet != NULL && (rc = sheet_check_path(sheet, err)) != RD_OK)
		return rc;
	if ((rc = flow_method_cfg(ctx, in->pos[1], &mc, err)) != RD_OK)
		return rc;
	k = kind_of(mc);
	if ((rc = flow_live_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	if (k->admit != NULL && (rc = k->admit(&u, mc, err)) != RD_OK)
		goto out;
	if ((rc = activate_proof(ctx, in, &u, mc, err)) != RD_OK)
		goto out;
	if ((rc = flow_enrol(ctx, &u, mc, out, &send, err)) != RD_OK)
		goto out;
	if (sheet != NULL) {
		/* Nothing to print but an app's secret: refused there. */
		enrol_sheet_from(ctx, out, &sh);
		sh.codes = NULL;
		sh.ncodes = 0;
		rc = enrol_sheet_stage(ctx, &sh, sheet, err);
		enrol_sheet_clear(&sh);
		if (rc != RD_OK) {
			if (send != NULL)
				flow_send_free(send);
			goto out;
		}
	}
	if (send != NULL)
		ctx_after(ctx, flow_send_after, send, flow_send_free);
out:
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_activate_entry = {
	.name = "activate",
	.usage = "USER METHOD [CODE] [--sheet FILE]",
	.help = N_("start enrolling a user in a method"),
	.minpos = 2,
	.maxpos = 3,
	.opts = activate_opts,
	.nopts = ACTIVATE_NOPTS,
	.flags = CMD_WRITES,
	.exec = activate_exec,
};
