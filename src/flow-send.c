/*
 * flow-send.c: sending a code through a method, around the network.
 *
 * Inside the step: the destination and the cooldown are checked and the
 * cooldown is reserved (last_sent = now), and the kind keeps the code it
 * will send.  The step commits, so parallel steps see the reservation and
 * a stolen password cannot flood a phone.  After the commit the code is
 * carried with no transaction open; then, in a transaction of its own,
 * the outcome is recorded: the kind keeps what the provider gave back, or
 * drops the code and the reservation when nothing left.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "env.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "kind.h"
#include "secret.h"
#include "tx.h"
#include "util.h"
#include "words.h"

struct flow_send {
	const struct method_cfg	*mc;
	int64_t			 user_id;
	char			 user[VAULT_NAME_MAX + 1];
	char			 method[VAULT_METHOD_MAX + 1];
	char			*dest;		/* unmasked; wiped */
	char			 code[KIND_CODE_MAX];	/* wiped */
	long			 validity;
	int64_t			 at;		/* the reservation */
	int64_t			 before;	/* last_sent before it */
	/* What carry said, for settle. */
	enum rd_code		 sent;
	struct be_reply		 reply;
};

void
flow_send_free(void *arg)
{
	struct flow_send	*s = arg;

	if (s == NULL)
		return;
	secret_release(s->dest);
	secret_release(s);
}

enum rd_code
flow_send_begin(struct rd_ctx *ctx, const struct vault_user *u,
    const struct vault_method *vm, const struct method_cfg *mc,
    struct flow_send **out, struct rd_err *err)
{
	const struct kind_ops	*k = kind_of(mc);
	const char		*dest = flow_destination(u, mc);
	long			 cooldown = config_int(ctx->cfg,
				    CK_RESEND_COOLDOWN);
	int64_t			 now = env_now(ctx->env);
	struct vault_method	 m;
	struct flow_send	*s;
	char			 ago[48], wait[48];
	enum rd_code		 rc;

	*out = NULL;
	if (dest == NULL || *dest == '\0')
		return flow_no_destination(u, mc, err);
	/* Read again inside this step: the reservation is what counts. */
	if ((rc = vault_method_get(ctx->vault, u->id, vm->name, &m, err)) !=
	    RD_OK)
		return rc;
	if (m.last_sent > 0 && now - m.last_sent < cooldown) {
		words_duration((long)(now - m.last_sent), ago, sizeof ago);
		words_duration((long)(cooldown - (now - m.last_sent)), wait,
		    sizeof wait);
		rc = rd_err_set(err, RD_NOT_ALLOWED, _("a code for %s was sent "
		    "%s ago; wait %s before another"), m.name, ago, wait);
		vault_method_clear(&m);
		return rc;
	}
	s = secret_alloc(sizeof *s);
	s->mc = mc;
	s->user_id = u->id;
	snprintf(s->user, sizeof s->user, "%s", u->name);
	snprintf(s->method, sizeof s->method, "%s", m.name);
	s->dest = secret_strdup(dest);
	s->validity = method_validity(mc);
	s->at = now;
	s->before = m.last_sent;
	m.last_sent = now;
	rc = vault_method_put(ctx->vault, &m, err);
	if (rc == RD_OK && k->prepare != NULL)
		rc = k->prepare(ctx, &m, s->code, now + s->validity, err);
	vault_method_clear(&m);
	if (rc != RD_OK) {
		flow_send_free(s);
		return rc;
	}
	*out = s;
	return RD_OK;
}

/* The outcome, in a transaction of its own. */
static enum rd_code RD_CHECK
send_settle(struct rd_ctx *ctx, void *arg, struct rd_err *err)
{
	struct flow_send	*s = arg;
	const struct kind_ops	*k = kind_of(s->mc);
	struct vault_method	 m;
	char			 detail[160];
	enum rd_code		 rc;

	rc = vault_method_get(ctx->vault, s->user_id, s->method, &m, err);
	if (rc == RD_NOT_FOUND) {
		/* Removed while the code travelled: nothing to keep. */
		rc = RD_OK;
	} else if (rc == RD_OK) {
		/* A failed send gives its reservation back, if still ours. */
		if (s->sent != RD_OK && m.last_sent == s->at)
			m.last_sent = s->before;
		rc = k->settle(ctx, &m, s->sent == RD_OK, &s->reply, err);
		if (rc == RD_OK)
			rc = vault_method_put(ctx->vault, &m, err);
		vault_method_clear(&m);
	}
	if (rc != RD_OK)
		return rc;
	if (s->sent == RD_OK) {
		snprintf(detail, sizeof detail, "%s via %s", s->method,
		    s->mc->handler->name);
		return flow_audit(ctx, s->user, "send", "ok", detail, err);
	}
	snprintf(detail, sizeof detail, "%s via %s: %s %s", s->method,
	    s->mc->handler->name, rd_code_name(s->sent), s->reply.code);
	return flow_audit(ctx, s->user, "send", "failure", detail, err);
}

enum rd_code
flow_send_finish(struct rd_ctx *ctx, struct flow_send *s, char **sent_to,
    long *expires_in, struct rd_err *err)
{
	struct be_call		call;
	struct be_message	msg;
	struct rd_err		serr;
	enum rd_code		rc;

	*sent_to = NULL;
	flow_call(ctx, s->mc, s->user, &call);
	memset(&msg, 0, sizeof msg);
	memset(&s->reply, 0, sizeof s->reply);
	msg.to = s->dest;
	msg.code = s->code;
	msg.minutes = (int)((s->validity + 59) / 60);
	msg.seconds = s->validity;
	rd_err_clear(&serr);
	s->sent = kind_of(s->mc)->carry(kind_backend(s->mc), &call, &msg,
	    &s->reply, &serr);
	sodium_memzero(s->code, sizeof s->code);
	if ((rc = tx_run(ctx, send_settle, s, err)) != RD_OK)
		return rc;
	if (s->sent != RD_OK) {
		*err = serr;
		return s->sent;
	}
	*sent_to = mask_destination(s->dest);
	*expires_in = s->validity;
	return RD_OK;
}

enum rd_code
flow_send_after(struct rd_ctx *ctx, void *s, cJSON *out, struct rd_err *err)
{
	char		*sent_to = NULL;
	long		 expires_in = 0;
	enum rd_code	 rc;

	if ((rc = flow_send_finish(ctx, s, &sent_to, &expires_in, err)) ==
	    RD_OK) {
		json_str(out, "sent_to", sent_to);
		json_num(out, "expires_in", (double)expires_in);
		/* When another may go: what a face counts down. */
		json_num(out, "resend_in", (double)config_int(ctx->cfg,
		    CK_RESEND_COOLDOWN));
	}
	free(sent_to);
	return rc;
}
