/*
 * scr-enrol.c: the enrolment wizard: `activate`, then `confirm` with the
 * code that proves the user has the method, as DESIGN.md §3 lays out.
 *
 *   app     a QR code of the otpauth URI beside the code field (s swaps
 *           to the secret in groups of four and the URI, i inverts the
 *           QR)
 *   code    the masked destination the code went to, then the code
 *           (Resend runs request-code)
 *   verify  the same; the provider made the code
 *   device  the key line first for handlers that ask for one (AES key and
 *           private id), then the OTP the key types when touched
 *
 * What to show comes from the method's facts as the commands give them
 * (config's or user show's entry: sends_code, enrol_prompt, prompt,
 * code_label) and from activate's answer (an otpauth URI, where a code
 * went), never from the config or the backends.  When the user already
 * has an active method the core refuses activate without a code from it
 * (require_code_to_add); the wizard then asks for one and tries again, so
 * the rule stays in the core.  Leaving the wizard wipes the secret and
 * repaints every cell.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/util.h"
#include "qr-canvas.h"
#include "screen.h"
#include "widget.h"

enum {
	T_ACTIVATE,
	T_CONFIRM,
	T_RESEND,
};

enum wiz_step {
	W_KEYLINE,	/* device key material */
	W_PROOF,	/* a code from an active method, to add this one */
	W_CODE,		/* the code that confirms */
};

enum {
	FOCUS_QR,
	FOCUS_FIELD,
	FOCUS_CONFIRM,
	FOCUS_RESEND,
};

struct scr_enrol {
	struct screen	 base;
	char		*user;
	char		*method;
	bool		 sends;		/* a code is sent: Resend */
	char		*prompt;	/* key material asked first; NULL: none */
	char		*hint;		/* what the person does with the key */
	char		*label;		/* of the code field */
	enum wiz_step	 step;
	bool		 started;
	struct field	 keyline;
	struct field	 proof;
	struct field	 code;
	int		 focus;
	cJSON		*act;		/* activate's answer; holds the secret */
	struct qr	*qr;
	bool		 invert;
	bool		 secret_view;	/* s: the secret and URI, not the QR */
};

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
	j->what = "sending a code";
	return act_run(j);
}

static void
enrol_focus(struct scr_enrol *s, int focus)
{
	s->focus = focus;
	s->base.typing = s->step != W_CODE || focus == FOCUS_FIELD;
}

/*
 * The app view.  At 80x24 a 130-byte URI makes a 45x23-cell code, so the
 * code takes the left of the screen from the top row down and everything
 * else goes in a panel beside it; the title bar comes back when there is
 * a row for it.  s swaps to the secret and the URI, in the frame.
 */
#define PANEL_MIN	30	/* columns the panel beside the code needs */

static bool
enrol_qr_fits(const struct scr_enrol *s, const struct canvas *c)
{
	return s->qr != NULL && qr_cols(s->qr) + 1 + PANEL_MIN <= c->cols &&
	    qr_rows(s->qr) + 1 <= c->rows;
}

static int
enrol_draw_field(struct scr_enrol *s, struct canvas *c, int x, int y, int w)
{
	field_draw(c, x, y, w > 30 ? 30 : w, 0, &s->code,
	    s->focus == FOCUS_FIELD);
	button_draw(c, x, y + 2, "Confirm", s->focus == FOCUS_CONFIRM);
	return y + 4;
}

static void
enrol_draw_qr(struct scr_enrol *s, struct canvas *c, const char *title)
{
	int	top = qr_rows(s->qr) + 2 <= c->rows, x, y, w;

	x = qr_cols(s->qr) + 1;
	w = c->cols - x - 1;
	y = top + 1;
	if (top)
		frame_bar(&s->base, c, title);
	else {
		/* No title bar: the panel says whose enrolment it is. */
		canvas_printf(c, x, 0, CA_BOLD, "Enrol %s for", s->method);
		canvas_put(c, x, 1, CA_BOLD, w, s->user);
		y = 3;
	}
	qr_draw(c, 0, top, s->qr, s->invert);
	y += text_wrap(c, x, y, w, 4, 0, 0, "Scan this code with the "
	    "authenticator app, then type the code the app shows.") + 1;
	y = enrol_draw_field(s, c, x, y, w);
	if (s->base.msg[0] != '\0')
		y += text_wrap(c, x, y, w, 4, 0, s->base.msg_role, s->base.msg) +
		    1;
	text_wrap(c, x, y, w, 3, 0, CA_DIM, s->focus == FOCUS_QR ?
	    "s shows the secret and the URI instead; i inverts the code." :
	    "Tab leads back to the code's keys (s, i).");
	frame_hints(&s->base, c);
}

static void
enrol_draw_secret(struct scr_enrol *s, struct canvas *c)
{
	const char	*secret = job_str(s->act, "secret_grouped");
	const char	*uri = job_str(s->act, "otpauth_uri");
	int		 y = 2, w = c->cols - 2;

	if (s->qr == NULL) {
		y += text_wrap(c, 1, y, w, 2, 0, ROLE_WARN, "This URI is too "
		    "long for a QR code: copy it, or type the secret into "
		    "the app.") + 1;
	} else if (!enrol_qr_fits(s, c)) {
		char	buf[200];

		snprintf(buf, sizeof buf, "The QR code needs a terminal of "
		    "%dx%d (this one is %dx%d): copy the URI, or type the "
		    "secret into the app.", qr_cols(s->qr) + 1 + PANEL_MIN,
		    qr_rows(s->qr) + 1, c->cols, c->rows);
		y += text_wrap(c, 1, y, w, 3, 0, ROLE_WARN, buf) + 1;
	} else {
		y += text_wrap(c, 1, y, w, 2, 0, 0, "Type the secret into the "
		    "app (or copy the URI), then type the code it shows.") + 1;
	}
	canvas_put(c, 1, y, CA_BOLD, -1, "Secret");
	canvas_put(c, 1, y + 1, 0, w, secret);
	canvas_put(c, 1, y + 3, CA_BOLD, -1, "URI");
	y += 4 + text_wrap(c, 1, y + 4, w, 4, 0, 0, uri) + 1;
	y = enrol_draw_field(s, c, 1, y, w);
	if (enrol_qr_fits(s, c))
		canvas_put(c, 1, y, CA_DIM, w, s->focus == FOCUS_QR ?
		    "s goes back to the QR code." :
		    "Tab leads back to s (the QR code).");
}

static void
enrol_draw_code(struct scr_enrol *s, struct canvas *c)
{
	char	buf[400];
	int	x;

	if (!s->sends)
		snprintf(buf, sizeof buf, "%s", s->hint);
	else
		snprintf(buf, sizeof buf, "A code went via %s to %s; it is "
		    "valid for %ld minutes. Type it below.", s->method,
		    job_str(s->act, "sent_to"),
		    (long)(job_num(s->act, "expires_in") + 59) / 60);
	text_wrap(c, 2, 2, c->cols - 4, 3, 0, 0, buf);
	field_draw(c, 2, 6, c->cols - 4 > 60 ? 60 : c->cols - 4, 0, &s->code,
	    s->focus == FOCUS_FIELD);
	x = 2 + button_draw(c, 2, 8, "Confirm", s->focus == FOCUS_CONFIRM);
	if (s->sends)
		button_draw(c, x + 2, 8, "Resend", s->focus == FOCUS_RESEND);
}

static void
enrol_draw(struct screen *sc, struct canvas *c)
{
	struct scr_enrol	*s = (struct scr_enrol *)sc;
	char			 t[200];

	snprintf(t, sizeof t, "Enrol %s: %s", s->user, s->method);
	if (s->step == W_CODE && s->act != NULL && !s->secret_view &&
	    enrol_qr_fits(s, c)) {
		enrol_draw_qr(s, c, t);
		return;
	}
	frame_draw(sc, c, t);
	switch (s->step) {
	case W_KEYLINE:
		text_wrap(c, 2, 2, c->cols - 4, 3, 0, 0, "This key's secrets "
		    "are given once, at enrolment. Paste the line below; it is "
		    "sealed in the vault and not shown again.");
		field_draw(c, 2, 6, c->cols - 4, 0, &s->keyline, true);
		break;
	case W_PROOF:
		text_wrap(c, 2, 2, c->cols - 4, 3, 0, 0, "This user has an active "
		    "method already: adding one needs a code from it (or a "
		    "backup code), so a stolen password alone cannot add a "
		    "device.");
		field_draw(c, 2, 6, c->cols - 4 > 60 ? 60 : c->cols - 4, 0,
		    &s->proof, true);
		break;
	case W_CODE:
		if (s->act == NULL) {
			if (!sc->typing)
				canvas_put(c, 2, 2, CA_DIM, -1, "Nothing to "
				    "confirm: Esc goes back.");
			break;
		}
		if (job_has(s->act, "otpauth_uri"))
			enrol_draw_secret(s, c);
		else
			enrol_draw_code(s, c);
		break;
	}
}

static struct ui_action
enrol_confirm(struct scr_enrol *s)
{
	struct ui_job	*j;

	if (s->code.len == 0) {
		scr_msg(&s->base, ROLE_ERROR, "type the code first");
		return act_none();
	}
	j = job_new(T_CONFIRM, "confirm", s->user, s->method, "-", NULL);
	job_answer(j, "code", s->code.buf);
	field_clear(&s->code);
	/* A provider or YubiCloud may be asked. */
	j->slow = true;
	j->what = "checking the code";
	return act_run(j);
}

static struct ui_action
enrol_key_code(struct scr_enrol *s, int key, enum key_act a)
{
	int	last = s->sends ? FOCUS_RESEND : FOCUS_CONFIRM;
	int	first = job_has(s->act, "otpauth_uri") ? FOCUS_QR : FOCUS_FIELD;
	struct ui_job	*j;

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
		j = job_new(T_RESEND, "request-code", s->user, s->method, NULL);
		j->slow = true;
		j->what = "sending a code";
		return act_run(j);
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
	if (a == KA_ENTER) {
		if (f->len == 0) {
			scr_msg(sc, ROLE_ERROR, "type it first");
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
	if (s->prompt != NULL) {
		s->step = W_KEYLINE;
		return act_none();
	}
	return enrol_activate(s);
}

static struct ui_action
enrol_done_activate(struct scr_enrol *s, struct ui_job *j)
{
	if (j->rc == RD_NOT_ALLOWED && s->proof.len == 0) {
		/* The core wants a code from an existing method first. */
		s->step = W_PROOF;
		enrol_focus(s, FOCUS_FIELD);
		scr_msg(&s->base, ROLE_WARN, "%s", j->err.msg);
		return act_none();
	}
	field_clear(&s->proof);
	field_clear(&s->keyline);
	if (j->rc != RD_OK) {
		scr_msg_job(&s->base, j);
		/* Nothing to confirm: the reason stays on the screen. */
		if (s->step == W_CODE)
			s->base.typing = false;
		return act_none();
	}
	cmd_result_free(s->act);
	s->act = j->out;
	j->out = NULL;
	s->step = W_CODE;
	if (job_has(s->act, "otpauth_uri")) {
		qr_free(s->qr);
		s->qr = qr_new(job_str(s->act, "otpauth_uri"));
		s->base.secret = true;
		s->base.keys |= KC_QR;
		enrol_focus(s, FOCUS_QR);
	} else {
		enrol_focus(s, FOCUS_FIELD);
	}
	s->base.msg[0] = '\0';
	return act_none();
}

static struct ui_action
enrol_done(struct screen *sc, struct ui_job *j)
{
	struct scr_enrol	*s = (struct scr_enrol *)sc;
	struct ui		*ui = sc->ui;
	cJSON			*codes;
	char			 why[200];

	if (j->tag == T_ACTIVATE)
		return enrol_done_activate(s, j);
	if (j->rc != RD_OK) {
		scr_msg_job(sc, j);
		return act_none();
	}
	if (j->tag == T_RESEND) {
		scr_msg(sc, ROLE_OK, "a new code went to %s", job_str(j->out,
		    "sent_to"));
		return act_none();
	}
	codes = cJSON_DetachItemFromObjectCaseSensitive(j->out,
	    "backup_codes");
	snprintf(why, sizeof why, "%s is active for %s%s.", s->method, s->user,
	    job_bool(j->out, "primary") ? " and is the primary method" : "");
	if (cJSON_GetArraySize(codes) > 0)
		return act_replace(scr_codes_new(ui, s->user, codes, why));
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
	.name = "enrolment wizard",
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
	s->prompt = prompt != NULL ? xstrdup(prompt) : NULL;
	s->hint = xstrdup(job_str(method, "prompt"));
	s->step = W_CODE;
	s->focus = FOCUS_FIELD;
	s->keyline.label = s->prompt != NULL ? s->prompt : "Key";
	s->keyline.masked = true;
	s->proof.label = "Code from an active method";
	s->label = xstrdup(job_str(method, "code_label"));
	s->code.label = s->label;
	return &s->base;
}
