/*
 * cmd-enrolment.c: `redoubt enrolment USER METHOD`: a pending enrolment
 * again, without starting it over.  An app gets the same otpauth URI (a
 * QR code already scanned keeps working); a code or verify method says
 * where its code went, how long that code still lives and when another
 * may be sent; a device says what to do.  Leaving the wizard and coming
 * back resumes this way; `activate` is the fresh start.  Showing an app's
 * secret again is audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "env.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "kind.h"
#include "secret.h"

static long
seconds_left(int64_t until, int64_t now)
{
	return until > now ? (long)(until - now) : 0;
}

static enum rd_code RD_CHECK
enrolment_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	const struct method_cfg	*mc;
	const struct kind_ops	*k;
	struct vault_user	 u;
	struct vault_method	 vm;
	struct vault_code_check	 chk;
	int64_t			 now = env_now(ctx->env);
	const char		*dest;
	char			*masked;
	long			 left = 0;
	enum rd_code		 rc;

	if ((rc = flow_method_cfg(ctx, in->pos[1], &mc, err)) != RD_OK)
		return rc;
	k = kind_of(mc);
	if ((rc = flow_user(ctx, in->pos[0], &u, err)) != RD_OK)
		return rc;
	rc = vault_method_get(ctx->vault, u.id, mc->name, &vm, err);
	if (rc == RD_NOT_FOUND) {
		rc = rd_err_set(err, RD_NOT_FOUND, _("%s has no enrolment in "
		    "%s under way (start one with activate)"), u.name,
		    mc->name);
		goto user;
	}
	if (rc != RD_OK)
		goto user;
	if (vm.state != VAULT_PENDING) {
		rc = rd_err_set(err, RD_BAD_STATE, _("%s of %s is active "
		    "already: nothing to resume"), mc->name, u.name);
		goto out;
	}
	flow_pending_json(ctx, &u, mc, &vm, out);
	if (k->sends_code) {
		dest = flow_destination(&u, mc);
		masked = mask_destination(dest != NULL ? dest : "");
		json_str(out, "sent_to", masked);
		free(masked);
		if (vm.last_sent > 0)
			left = seconds_left(vm.last_sent + method_validity(mc),
			    now);
		/* A channel code of ours may have died of wrong tries. */
		if (left > 0 && k->prepare != NULL) {
			if ((rc = vault_code_check(ctx->vault, vm.id, "", &chk,
			    err)) != RD_OK)
				goto out;
			left = chk.present ? seconds_left(chk.expires, now) : 0;
		}
		json_num(out, "expires_in", (double)left);
		json_num(out, "resend_in", (double)(vm.last_sent > 0 ?
		    seconds_left(vm.last_sent + config_int(ctx->cfg,
		    CK_RESEND_COOLDOWN), now) : 0));
	}
	rc = flow_audit(ctx, u.name, "enrolment", "shown", mc->name, err);
out:
	vault_method_clear(&vm);
user:
	vault_user_clear(&u);
	return rc;
}

const struct cmd_entry cmd_enrolment_entry = {
	.name = "enrolment",
	.usage = "USER METHOD",
	.help = N_("show a pending enrolment again, without starting it over"),
	.minpos = 2,
	.maxpos = 2,
	.flags = CMD_WRITES,
	.exec = enrolment_exec,
};
