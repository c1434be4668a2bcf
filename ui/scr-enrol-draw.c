/*
 * scr-enrol-draw.c: what the enrolment wizard shows (scr-enrol.h).
 *
 * The app view: at 80x24 a 130-byte URI makes a 45x23-cell code, so the
 * code takes the left of the screen from the top row down and everything
 * else goes in a panel beside it; the title bar comes back when there is
 * a row for it.  s swaps to the secret and the URI, in the frame.  Code
 * methods say where the code went and how long it lives, count down to
 * when Resend may go, and show the outbox's message inline for offline
 * channels.
 */
#include <stdio.h>
#include <string.h>

#include "../src/words.h"
#include "qr-canvas.h"
#include "scr-enrol.h"

#define PANEL_MIN	30	/* columns the panel beside the code needs */

static bool
enrol_qr_fits(const struct scr_enrol *s, const struct canvas *c)
{
	return s->qr != NULL && qr_cols(s->qr) + 1 + PANEL_MIN <= c->cols &&
	    qr_rows(s->qr) + 1 <= c->rows;
}

/* "Resend" or "Resend in 25 seconds" by the clock. */
static void
enrol_send_label(const struct scr_enrol *s, int64_t at, const char *what,
    char *buf, size_t size)
{
	char	dur[48];

	if (at > enrol_now(s)) {
		words_duration((long)(at - enrol_now(s)), dur, sizeof dur);
		snprintf(buf, size, "%s in %s", what, dur);
	} else
		snprintf(buf, size, "%s", what);
}

static int
enrol_draw_field(struct scr_enrol *s, struct canvas *c, int x, int y, int w)
{
	char	label[80];
	int	bx;

	field_draw(c, x, y, w > 40 ? 40 : w, 0, &s->code,
	    s->focus == FOCUS_FIELD);
	bx = x + button_draw(c, x, y + 2, "Confirm", s->focus == FOCUS_CONFIRM);
	if (s->sends) {
		enrol_send_label(s, s->resend_at, "Resend", label,
		    sizeof label);
		button_draw(c, bx + 2, y + 2, label, s->focus == FOCUS_RESEND);
	}
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
	char		 buf[200];

	if (s->qr == NULL) {
		y += text_wrap(c, 1, y, w, 2, 0, ROLE_WARN, "This URI is too "
		    "long for a QR code: copy it, or type the secret into "
		    "the app.") + 1;
	} else if (!enrol_qr_fits(s, c)) {
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
	char	buf[400], dur[48];
	int	y, w = c->cols - 4;

	if (!s->sends)
		snprintf(buf, sizeof buf, "%s", s->hint);
	else if (s->expires_at > enrol_now(s)) {
		words_duration((long)(s->expires_at - enrol_now(s)), dur,
		    sizeof dur);
		snprintf(buf, sizeof buf, "A code went by %s to %s. Type it "
		    "below: it is valid for another %s.", s->method,
		    job_str(s->act, "sent_to"), dur);
	} else
		snprintf(buf, sizeof buf, "The code sent by %s to %s is no "
		    "longer valid: Resend sends a new one.", s->method,
		    job_str(s->act, "sent_to"));
	y = 2 + text_wrap(c, 2, 2, w, 3, 0, 0, buf) + 1;
	y = enrol_draw_field(s, c, 2, y, w);
	if (s->to_outbox)
		peek_draw(c, 2, y, w, c->rows - y - 3, &s->peek);
}

static void
enrol_draw_proof(struct scr_enrol *s, struct canvas *c)
{
	char	buf[600], label[120];
	int	y, x, w = c->cols - 4;

	snprintf(buf, sizeof buf, "%s has an active method already, so adding "
	    "%s needs a code from %s, or one of %s's backup codes: a stolen "
	    "password alone cannot add a device.", s->user, s->method,
	    s->provers[0] != '\0' ? s->provers : "it", s->user);
	y = 2 + text_wrap(c, 2, 2, w, 4, 0, 0, buf) + 1;
	field_draw(c, 2, y, w > 50 ? 50 : w, 0, &s->proof,
	    s->focus == FOCUS_FIELD);
	x = 2 + button_draw(c, 2, y + 2, "Continue", s->focus == FOCUS_CONFIRM);
	if (s->sender[0] != '\0') {
		snprintf(buf, sizeof buf, "Send a code by %s", s->sender);
		enrol_send_label(s, s->proof_resend_at, buf, label,
		    sizeof label);
		button_draw(c, x + 2, y + 2, label, s->focus == FOCUS_RESEND);
	}
	y += 4;
	if (s->proof_info[0] != '\0')
		y += text_wrap(c, 2, y, w, 2, 0, 0, s->proof_info) + 1;
	peek_draw(c, 2, y, w, c->rows - y - 3, &s->peek);
}

void
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
		enrol_draw_proof(s, c);
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
