/*
 * cmd-confirm.c: `redoubt confirm USER METHOD CODE`: a code from the
 * pending method proves the user has it; the method becomes active.  The
 * first active method becomes primary and brings a fresh set of backup
 * codes, shown this once.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "flow.h"

static enum rd_code
confirm_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	struct vault_user	 u;
	struct vault_method	 vm, *list = NULL;
	size_t			 n = 0, i;
	bool			 first = true;
	char			 code[FLOW_CODE_MAX + 1];
	enum rd_code		 rc;

	memset(&vm, 0, sizeof vm);
	memset(code, 0, sizeof code);
	if ((rc = flow_begin_user(ctx, in->pos[0], true, &u, err)) != RD_OK)
		return rc;
	if ((rc = vault_method_get(ctx->vault, u.id, in->pos[1], &vm, err)) !=
	    RD_OK)
		goto end;
	if (vm.state != VAULT_PENDING) {
		rc = rd_err_set(err, RD_BAD_STATE, "method %s of user %s is "
		    "active already", vm.name, u.name);
		goto end;
	}
	if ((rc = flow_code_arg(ctx, in->pos[2], code, sizeof code, err)) !=
	    RD_OK)
		goto end;
	if ((rc = flow_check_method(ctx, &u, &vm, code, true, err)) != RD_OK) {
		if (rd_code_exit(rc) == 1)
			flow_fail(ctx, &u, "confirm", rd_code_name(rc), err);
		goto end;
	}
	if ((rc = vault_method_list(ctx->vault, u.id, &list, &n, err)) != RD_OK)
		goto end;
	for (i = 0; i < n; i++)
		if (list[i].state == VAULT_ACTIVE)
			first = false;
	vm.state = VAULT_ACTIVE;
	vm.primary = first;
	if ((rc = vault_method_put(ctx->vault, &vm, err)) != RD_OK ||
	    (rc = flow_success(ctx, &u, err)) != RD_OK ||
	    (rc = flow_audit(ctx, u.name, "confirm", "active", vm.name,
	    err)) != RD_OK)
		goto end;
	if (first)
		rc = flow_new_backup_codes(ctx, &u, out, err);
	else
		cJSON_AddArrayToObject(out, "backup_codes");
	if (rc == RD_OK) {
		json_str(out, "user", u.name);
		json_str(out, "method", vm.name);
		json_str(out, "state", "active");
		cJSON_AddBoolToObject(out, "primary", vm.primary);
	}
end:
	rc = flow_end(ctx, rc, err);
	sodium_memzero(code, sizeof code);
	vault_method_list_free(list, n);
	vault_method_clear(&vm);
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_confirm_entry = {
	"confirm", "USER METHOD CODE", "finish enrolling with a code", 3, 3,
	NULL, 0, confirm_exec
};
