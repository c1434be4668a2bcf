/*
 * scr-login-draw.c: what the login tester shows (scr-login.h): the
 * password step, then the method in use with where its code went, the
 * other ways in, the code field and its buttons, or the Switch method
 * picker in their place, and the outcome as a sentence.
 */
#include <stdio.h>
#include <string.h>

#include "../src/i18n.h"
#include "scr-login.h"

static const char *
login_button(int b)
{
	static const char *const names[B_COUNT] = { "", N_("Verify"),
	    N_("Resend"), N_("Switch method"), N_("Backup code"),
	    N_("Start over") };

	return b == 0 ? "" : _(names[b]);
}

/* "Or use: Authenticator app, SMS (outbox), a backup code". */
static void
login_others(const struct scr_login *s, char *buf, size_t size)
{
	size_t	n = 0;
	int	i;

	buf[0] = '\0';
	for (i = 0; i < s->nmethods; i++)
		if ((i != s->cur || s->backup) && login_usable(s, i) &&
		    n < size)
			n += (size_t)snprintf(buf + n, size - n, "%s%s",
			    n > 0 ? ", " : _("Or use: "), login_shown(s, i));
	if (!s->backup && n < size)
		snprintf(buf + n, size - n, "%s%s", n > 0 ? ", " :
		    _("Or use: "), _("a backup code"));
}

static void
login_draw_pick(struct scr_login *s, struct canvas *c, int y)
{
	const cJSON	*m;
	int		 i, w = c->cols - 4;
	bool		 sel;

	canvas_printf(c, 2, y++, CA_BOLD, _("Switch from %s to:"),
	    login_shown(s, s->cur));
	for (i = 0; i < s->npick && y < c->rows - 4; i++, y++) {
		m = login_at(s, s->pick[i]);
		sel = i == s->psel;
		if (sel)
			sel_bar(c, y);
		canvas_put(c, 3, y, sel ? ROLE_SEL | CA_BOLD : 0, 24,
		    login_shown(s, s->pick[i]));
		canvas_put(c, 28, y, sel ? ROLE_SEL : CA_DIM, w - 26,
		    job_bool(m, "sends_code") ? _("Sends a code when chosen.") :
		    job_str(m, "prompt"));
	}
	canvas_put(c, 2, y + 1, CA_DIM, w, _("Enter chooses; Esc goes back "
	    "and sends nothing."));
}

void
login_draw(struct screen *sc, struct canvas *c)
{
	struct scr_login	*s = (struct scr_login *)sc;
	char			 buf[400];
	int			 b, x, w = c->cols - 4 > 60 ? 60 : c->cols - 4;

	frame_draw(sc, c, _("Login tester"));
	text_wrap(c, 2, 1, c->cols - 4, 2, 0, CA_DIM, _("A real login, as the "
	    "user would do it: failures count towards the lockout and go to "
	    "the audit log."));
	field_draw(c, 2, 3, w, 10, &s->user, s->step == L_PASSWORD &&
	    s->focus == 0);
	field_draw(c, 2, 4, w, 10, &s->password, s->step == L_PASSWORD &&
	    s->focus == 1);
	if (s->step == L_PASSWORD) {
		if (s->result[0] != '\0')
			text_wrap(c, 2, 6, c->cols - 4, 3, 0, ROLE_ERROR |
			    CA_BOLD, s->result);
		return;
	}
	canvas_put(c, 2, 6, CA_BOLD, -1, _("Step 2: a second factor"));
	if (s->backup)
		canvas_put(c, 2, 7, 0, c->cols - 4, _("Using a backup "
		    "code (any unused one of the user's set)."));
	else
		canvas_printf(c, 2, 7, 0, _("Method: %s%s"),
		    login_shown(s, s->cur), s->cur == 0 ? _(" (primary)") :
		    "");
	text_wrap(c, 2, 8, c->cols - 4, 2, 0, 0, s->info);
	if (s->picking) {
		login_draw_pick(s, c, 11);
		return;
	}
	if (s->step == L_CODE) {
		login_others(s, buf, sizeof buf);
		canvas_put(c, 2, 10, CA_DIM, c->cols - 4, buf);
		if (s->backup)
			snprintf(s->label, sizeof s->label, "%s",
			    _("Backup code"));
		else
			snprintf(s->label, sizeof s->label, _("Code from %s"),
			    login_shown(s, s->cur));
		s->code.label = s->label;
		field_draw(c, 2, 11, w, 12, &s->code, s->focus == B_FIELD);
		x = 2;
		for (b = B_VERIFY; b < B_COUNT; b++)
			x += button_draw(c, x, 13, login_button(b),
			    s->focus == b) + 1;
	}
	if (s->result[0] != '\0')
		text_wrap(c, 2, 15, c->cols - 4, 3, 0, s->step == L_DONE ?
		    ROLE_OK | CA_BOLD : ROLE_ERROR | CA_BOLD, s->result);
	if (s->step == L_DONE)
		canvas_put(c, 2, 18, CA_DIM, -1, _("Enter: log in again"));
}
