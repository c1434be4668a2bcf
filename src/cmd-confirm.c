/*
 * cmd-confirm.c: `redoubt confirm USER METHOD CODE`: a code from the
 * pending method proves the user has it; the method becomes active.  The
 * first active method becomes primary and brings a fresh set of backup
 * codes, shown this once.  --sheet FILE also prints them, and the secret
 * and QR code of an app method, on an enrolment sheet (enrol-sheet.h
 * says in which order).
 */
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "enrol-sheet.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "util.h"

enum {
	CONFIRM_SHEET,
	CONFIRM_NOPTS
};

static const struct cmd_opt confirm_opts[CONFIRM_NOPTS] = {
	[CONFIRM_SHEET] = { .name = "sheet", .has_arg = true,
	    .help = N_("also write an enrolment sheet (PDF) to FILE") },
};

/*
 * The sheet: the backup codes of out, and for a method with an app
 * secret, that secret and its URI as activate showed them.
 */
static enum rd_code RD_CHECK
confirm_sheet(struct rd_ctx *ctx, const struct vault_user *u,
    const struct vault_method *vm, const char *path, cJSON *out,
    struct rd_err *err)
{
	const struct method_cfg	*mc;
	struct sheet		 sh;
	const cJSON		*uri, *secret;
	cJSON			*app;
	enum rd_code		 rc;

	if ((rc = flow_method_cfg(ctx, vm->name, &mc, err)) != RD_OK)
		return rc;
	app = cJSON_CreateObject();
	flow_pending_json(ctx, u, mc, vm, app);
	uri = cJSON_GetObjectItemCaseSensitive(app, "otpauth_uri");
	secret = cJSON_GetObjectItemCaseSensitive(app, "secret");
	enrol_sheet_from(ctx, out, &sh);
	sh.uri = cJSON_IsString(uri) ? uri->valuestring : NULL;
	sh.secret = cJSON_IsString(secret) ? secret->valuestring : NULL;
	rc = enrol_sheet_stage(ctx, &sh, path, err);
	enrol_sheet_clear(&sh);
	json_free(app);
	return rc;
}

static enum rd_code RD_CHECK
confirm_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	 u;
	struct vault_method	 vm, *list = NULL;
	size_t			 n = 0, i;
	bool			 first = true;
	char			 *code = NULL;
	const char		*sheet = cmd_opt(in, CONFIRM_SHEET);
	enum rd_code		 rc, rc2;

	memset(&vm, 0, sizeof vm);
	/* A taken path is refused before anything is done. */
	if (sheet != NULL && (rc = sheet_check_path(sheet, err)) != RD_OK)
		return rc;
	if ((rc = flow_live_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	if ((rc = vault_method_get(ctx->vault, u.id, in->pos[1], &vm, err)) !=
	    RD_OK)
		goto out;
	if (vm.state != VAULT_PENDING) {
		rc = rd_err_set(err, RD_BAD_STATE, _("method %s of user %s is "
		    "active already"), vm.name, u.name);
		goto out;
	}
	if ((rc = flow_code_arg(ctx, in->pos[2], &code, err)) !=
	    RD_OK)
		goto out;
	if ((rc = flow_check_method(ctx, &u, &vm, code, true, err)) != RD_OK) {
		if (rd_code_counts(rc) && (rc2 = flow_fail(ctx, &u, "confirm",
		    rd_code_name(rc), err)) != RD_OK)
			rc = rc2;
		goto out;
	}
	if ((rc = vault_method_list(ctx->vault, u.id, &list, &n, err)) != RD_OK)
		goto out;
	for (i = 0; i < n; i++)
		if (list[i].state == VAULT_ACTIVE)
			first = false;
	vm.state = VAULT_ACTIVE;
	vm.primary = first;
	if ((rc = vault_method_put(ctx->vault, &vm, err)) != RD_OK ||
	    (rc = flow_success(ctx, &u, err)) != RD_OK ||
	    (rc = flow_audit(ctx, u.name, "confirm", "active", vm.name,
	    err)) != RD_OK)
		goto out;
	if (first)
		rc = flow_new_backup_codes(ctx, &u, out, err);
	else
		cJSON_AddArrayToObject(out, "backup_codes");
	if (rc == RD_OK) {
		json_str(out, "user", u.name);
		json_str(out, "method", vm.name);
		json_str(out, "state", "active");
		json_bool(out, "primary", vm.primary);
		if (sheet != NULL)
			rc = confirm_sheet(ctx, &u, &vm, sheet, out, err);
	}
out:
	secret_release(code);
	vault_method_list_free(list, n);
	vault_method_clear(&vm);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_confirm_entry = {
	.name = "confirm",
	.usage = "USER METHOD CODE [--sheet FILE]",
	.help = N_("finish enrolling with a code"),
	.minpos = 3,
	.maxpos = 3,
	.opts = confirm_opts,
	.nopts = CONFIRM_NOPTS,
	.flags = CMD_WRITES,
	.exec = confirm_exec,
};
