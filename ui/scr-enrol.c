/*
 * scr-enrol.c: the enrolment wizard: `activate`, then `confirm` with the
 * code that proves the user has the method, as DESIGN.md §3 lays out.
 *
 *   app     a QR code of the otpauth URI beside the code field (s swaps
 *           to the secret in groups of four and the URI, i inverts the
 *           QR, p prints both on an enrolment sheet)
 *   code    the masked destination the code went to and how long it
 *           lives, then the code; Resend (request-code) counts down its
 *           cooldown; an outbox channel's message is shown inline
 *   verify  the same; the provider made the code
 *   device  the key line first for handlers that ask for one (AES key and
 *           private id), then the OTP the key types when touched
 *
 * What to show comes from the method's facts as the commands give them
 * (config's or user show's entry: sends_code, to_outbox, enrol_prompt,
 * prompt, code_label) and from activate's answer, never from the config
 * or the backends.  A pending method is resumed, not started over
 * (`enrolment`: the same secret, the code already sent).  When the user
 * already has an active method the core refuses activate without a code
 * from it (require_code_to_add); the wizard then asks for one, offers to
 * send it through a method that sends codes, and tries again, so the rule
 * stays in the core.  Leaving the wizard wipes the secret and repaints
 * every cell.  Drawing is in scr-enrol-draw.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/env.h"
#include "../src/i18n.h"
#include "../src/util.h"
#include "print.h"
#include "qr-canvas.h"
#include "scr-enrol.h"

enum {
	T_ACTIVATE,
	T_RESUME,
	T_CONFIRM,
	T_RESEND,
	T_OUTBOX,
	T_PROVERS,	/* user show: who may prove */
	T_PROOF_SEND,
	T_PRINT,	/* p on the QR view: a sheet */
};

int64_t
enrol_now(const struct scr_enrol *s)
{
	return env_now(s->base.ui->ctx.env);
}

static struct ui_action
enrol_activate(struct scr_enrol *s)
{
	struct ui_job	*j = job_new(T_ACTIVATE, "activate", s->user, s->method,
			    NULL);

	if (s->proof.len > 0) {
		job_arg(j, "-");
		job_answer(j, "code", s->proof.buf);
	}
	if (s->prompt != NULL)
		job_answer(j, s->prompt, s->keyline.buf);
	j->slow = s->sends;
	j->what = _("sending a code");
	return act_run(j);
}

static void
enrol_focus(struct scr_enrol *s, int focus)
{
	s->focus = focus;
	s->base.typing = s->step == W_KEYLINE || focus == FOCUS_FIELD;
}

static struct ui_action
enrol_confirm(struct scr_enrol *s)
{
	struct ui_job	*j;

	if (s->code.len == 0) {
		scr_msg(&s->base, ROLE_ERROR, _("Type the code first."));
		return act_none();
	}
	j = job_new(T_CONFIRM, "confirm", s->user, s->method, "-", NULL);
	job_answer(j, "code", s->code.buf);
	field_clear(&s->code);
	/* A provider or YubiCloud may be asked. */
	j->slow = true;
	j->what = _("checking the code");
	return act_run(j);
}

static struct ui_action
enrol_send(struct scr_enrol *s, int tag, const char *method)
{
	struct ui_job	*j = job_new(tag, "request-code", s->user, method,
			    NULL);

	j->slow = true;
	j->what = _("sending a code");
	return act_run(j);
}

static struct ui_action
enrol_key_code(struct scr_enrol *s, int key, enum key_act a)
{
	int	last = s->sends ? FOCUS_RESEND : FOCUS_CONFIRM;
	int	first = job_has(s->act, "otpauth_uri") ? FOCUS_QR : FOCUS_FIELD;

	if (s->focus == FOCUS_QR) {
		if (a == KA_INVERT) {
			s->invert = !s->invert;
			return act_none();
		}
		if (a == KA_SECRET) {
			s->secret_view = !s->secret_view;
			/* A full repaint: no cell of one view lingers. */
			return act_redraw();
		}
		if (a == KA_SHEET) {
			s->print.user = s->user;
			s->print.codes = NULL;
			s->print.app = s->act;
			return act_run(print_job(T_PRINT, &s->print));
		}
		if (key < 0x80 && isalnum(key)) {
			enrol_focus(s, FOCUS_FIELD);
			field_key(&s->code, key);
			return act_none();
		}
	}
	switch (a) {
	case KA_NEXT_FIELD:
		enrol_focus(s, s->focus == last ? first : s->focus + 1);
		return act_none();
	case KA_PREV_FIELD:
		enrol_focus(s, s->focus == first ? last : s->focus - 1);
		return act_none();
	case KA_ENTER:
		if (s->focus != FOCUS_RESEND)
			return enrol_confirm(s);
		return enrol_send(s, T_RESEND, s->method);
	default:
		return scr_key_common(&s->base, a);
	}
}

static struct ui_action
enrol_key_proof(struct scr_enrol *s, enum key_act a)
{
	int	last = s->prover.sender[0] != '\0' ? FOCUS_RESEND :
		    FOCUS_CONFIRM;

	switch (a) {
	case KA_NEXT_FIELD:
		enrol_focus(s, s->focus == last ? FOCUS_FIELD : s->focus + 1);
		return act_none();
	case KA_PREV_FIELD:
		enrol_focus(s, s->focus == FOCUS_FIELD ? last : s->focus - 1);
		return act_none();
	case KA_ENTER:
		if (s->focus == FOCUS_RESEND)
			return act_run(proof_send_job(&s->prover, T_PROOF_SEND,
			    s->user));
		if (s->proof.len == 0) {
			scr_msg(&s->base, ROLE_ERROR, _("Type the code "
			    "first."));
			return act_none();
		}
		return enrol_activate(s);
	default:
		return scr_key_common(&s->base, a);
	}
}

static struct ui_action
enrol_key(struct screen *sc, int key)
{
	struct scr_enrol	*s = (struct scr_enrol *)sc;
	enum key_act		 a;
	struct field		*f = s->step == W_KEYLINE ? &s->keyline :
				    s->step == W_PROOF ? &s->proof : &s->code;

	if (sc->typing && field_key(f, key))
		return act_none();
	a = keys_lookup(sc->keys, key, sc->typing);
	if (s->step == W_CODE)
		return enrol_key_code(s, key, a);
	if (s->step == W_PROOF)
		return enrol_key_proof(s, a);
	if (a == KA_ENTER) {
		if (f->len == 0) {
			scr_msg(sc, ROLE_ERROR, _("Paste the key's line "
			    "first."));
			return act_none();
		}
		return enrol_activate(s);
	}
	return scr_key_common(sc, a);
}

static struct ui_action
enrol_enter(struct screen *sc)
{
	struct scr_enrol	*s = (struct scr_enrol *)sc;

	if (s->started)
		return act_none();
	s->started = true;
	if (s->resume)
		return act_run(job_new(T_RESUME, "enrolment", s->user,
		    s->method, NULL));
	if (s->prompt != NULL) {
		s->step = W_KEYLINE;
		return act_none();
	}
	return enrol_activate(s);
}

/* activate's or enrolment's answer: on to the code. */
static struct ui_action
enrol_took(struct scr_enrol *s, struct ui_job *j)
{
	cmd_result_free(s->act);
	s->act = j->out;
	j->out = NULL;
	s->step = W_CODE;
	s->base.msg[0] = '\0';
	if (job_has(s->act, "otpauth_uri")) {
		qr_free(s->qr);
		s->qr = qr_new(job_str(s->act, "otpauth_uri"));
		s->base.secret = true;
		s->base.keys |= KC_QR;
		enrol_focus(s, FOCUS_QR);
		return act_none();
	}
	enrol_focus(s, FOCUS_FIELD);
	if (!s->sends)
		return act_none();
	s->expires_at = enrol_now(s) + (int64_t)job_num(s->act, "expires_in");
	s->resend_at = enrol_now(s) + (int64_t)job_num(s->act, "resend_in");
	if (!s->to_outbox)
		return act_none();
	peek_set(&s->peek, s->method, job_str(s->act, "sent_to"));
	return act_run(peek_job(T_OUTBOX));
}

/* The core wants a code from an existing method first. */
static struct ui_action
enrol_need_proof(struct scr_enrol *s)
{
	s->step = W_PROOF;
	enrol_focus(s, FOCUS_FIELD);
	s->proof.label = _("Code");
	s->base.msg[0] = '\0';
	return act_run(job_new(T_PROVERS, "user", "show", s->user, NULL));
}

static struct ui_action
enrol_done_sent(struct scr_enrol *s, struct ui_job *j)
{
	s->expires_at = enrol_now(s) + (int64_t)job_num(j->out, "expires_in");
	s->resend_at = enrol_now(s) + (int64_t)job_num(j->out, "resend_in");
	scr_msg(&s->base, ROLE_OK, _("A new code went to %s; the one before "
	    "no longer works."), job_str(j->out, "sent_to"));
	if (!s->to_outbox)
		return act_none();
	peek_set(&s->peek, s->method, job_str(j->out, "sent_to"));
	return act_run(peek_job(T_OUTBOX));
}

static struct ui_action
enrol_done(struct screen *sc, struct ui_job *j)
{
	struct scr_enrol	*s = (struct scr_enrol *)sc;
	struct ui		*ui = sc->ui;
	cJSON			*codes;
	char			 why[200];

	if (j->tag == T_PRINT) {
		print_done(sc, j);
		return act_none();
	}
	if (j->tag == T_RESUME && j->rc == RD_NOT_FOUND)
		/* Gone meanwhile (reset, removed): a fresh start. */
		return s->prompt != NULL ? (s->step = W_KEYLINE, act_none()) :
		    enrol_activate(s);
	if (j->tag == T_ACTIVATE && j->rc == RD_NOT_ALLOWED &&
	    s->proof.len == 0 && s->step != W_PROOF)
		return enrol_need_proof(s);
	if (j->tag == T_ACTIVATE || j->tag == T_RESUME)
		field_clear(&s->keyline);
	if (j->tag == T_ACTIVATE)
		field_clear(&s->proof);
	if (j->rc != RD_OK) {
		scr_msg_job(sc, j);
		/* Nothing to confirm: the reason stays on the screen. */
		if (s->step == W_CODE && s->act == NULL)
			sc->typing = false;
		return act_none();
	}
	switch (j->tag) {
	case T_ACTIVATE:
	case T_RESUME:
		return enrol_took(s, j);
	case T_OUTBOX:
		peek_take(s->step == W_PROOF ? &s->prover.peek : &s->peek,
		    j->out);
		return act_none();
	case T_PROVERS:
		/* Activate takes a backup code where the config lets it. */
		proof_take(&s->prover, j->out, NULL, true);
		s->proof.label = s->prover.label;
		return act_none();
	case T_RESEND:
		return enrol_done_sent(s, j);
	case T_PROOF_SEND:
		if (proof_sent(&s->prover, j->out, enrol_now(s)))
			return act_run(peek_job(T_OUTBOX));
		return act_none();
	default:
		break;
	}
	codes = cJSON_DetachItemFromObjectCaseSensitive(j->out,
	    "backup_codes");
	snprintf(why, sizeof why, job_bool(j->out, "primary") ?
	    _("%s is active for %s and is the primary method.") :
	    _("%s is active for %s."), s->method, s->user);
	if (cJSON_GetArraySize(codes) > 0)
		return act_replace(scr_codes_new(ui, s->user, codes, why,
		    s->act));
	cmd_result_free(codes);
	snprintf(ui->flash, sizeof ui->flash, "%s", why);
	ui->flash_role = ROLE_OK;
	return act_pop();
}

static void
enrol_free(struct screen *sc)
{
	struct scr_enrol	*s = (struct scr_enrol *)sc;

	field_clear(&s->keyline);
	field_clear(&s->proof);
	field_clear(&s->code);
	peek_clear(&s->peek);
	proof_clear(&s->prover);
	cmd_result_free(s->act);
	qr_free(s->qr);
	free(s->user);
	free(s->method);
	free(s->prompt);
	free(s->hint);
	free(s->label);
	free(s);
}

static const struct screen_ops enrol_ops = {
	.name = N_("enrolment wizard"),
	.draw = enrol_draw,
	.key = enrol_key,
	.enter = enrol_enter,
	.done = enrol_done,
	.free = enrol_free,
};

struct screen *
scr_enrol_new(struct ui *ui, const char *user, const cJSON *method)
{
	struct scr_enrol	*s = xcalloc(1, sizeof *s);
	const char		*prompt = job_opt_str(method, "enrol_prompt");

	s->base.ops = &enrol_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_FORM;
	s->base.typing = true;
	s->user = xstrdup(user);
	s->method = xstrdup(job_str(method, "name"));
	/* Which fields to show: the method's facts, no rule. */
	s->sends = job_bool(method, "sends_code");
	s->to_outbox = job_bool(method, "to_outbox");
	s->prompt = prompt != NULL ? xstrdup(prompt) : NULL;
	s->hint = xstrdup(job_str(method, "prompt"));
	s->step = W_CODE;
	s->focus = FOCUS_FIELD;
	s->keyline.label = s->prompt != NULL ? _(s->prompt) : _("Key");
	s->keyline.masked = true;
	s->proof.label = _("Code");
	s->label = xstrdup(job_str(method, "code_label"));
	s->code.label = s->label;
	return &s->base;
}

struct screen *
scr_enrol_resume(struct ui *ui, const char *user, const cJSON *method)
{
	struct screen		*sc = scr_enrol_new(ui, user, method);

	((struct scr_enrol *)sc)->resume = true;
	return sc;
}
