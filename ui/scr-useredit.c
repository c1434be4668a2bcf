/*
 * scr-useredit.c: a new user (`user add`) or changes to one (`user set`):
 * e-mail, phone, whether they may log in, and a password (masked; only
 * sent when typed, through ctx->ask as --password-stdin would read it).
 * The core checks every value and names the one that is wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "screen.h"
#include "widget.h"

enum {
	F_NAME,
	F_EMAIL,
	F_PHONE,
	F_PASSWORD,
	F_ACTIVE,
	F_SAVE,
	F_CANCEL,
	F_COUNT
};

struct scr_useredit {
	struct screen	 base;
	bool		 is_new;
	struct field	 f[F_PASSWORD + 1];
	bool		 active;
	int		 focus;
};

static bool
edit_is_field(int focus)
{
	return focus <= F_PASSWORD;
}

static void
edit_draw(struct screen *sc, struct canvas *c)
{
	struct scr_useredit	*s = (struct scr_useredit *)sc;
	char			 t[200];
	int			 i, y = 2, x, w = c->cols - 4 > 64 ? 64 :
				    c->cols - 4;

	if (s->is_new)
		snprintf(t, sizeof t, "%s", _("New user"));
	else
		snprintf(t, sizeof t, _("Edit user %.128s"), s->f[F_NAME].buf);
	frame_draw(sc, c, t);
	for (i = s->is_new ? F_NAME : F_EMAIL; i <= F_PASSWORD; i++, y += 2)
		field_draw(c, 2, y, w, 10, &s->f[i], s->focus == i);
	canvas_put(c, 2, y, s->focus == F_ACTIVE ? CA_BOLD : 0, 10,
	    _("Active:"));
	canvas_put(c, 14, y, s->focus == F_ACTIVE ? ROLE_SEL | CA_BOLD : 0,
	    -1, s->active ? _("[x] may log in") : _("[ ] may not log in"));
	x = 2 + button_draw(c, 2, y + 2, s->is_new ? _("Add") : _("Save"),
	    s->focus == F_SAVE);
	button_draw(c, x + 2, y + 2, _("Cancel"), s->focus == F_CANCEL);
	text_wrap(c, 2, y + 4, c->cols - 4, 4, 0, CA_DIM, s->is_new ?
	    _("E-mail and phone are where codes go; a phone is + and 6 to 15 "
	    "digits. The password is for the login tester.") :
	    _("An empty e-mail or phone clears it. The password changes only "
	    "when one is typed."));
}

static struct ui_action
edit_submit(struct scr_useredit *s)
{
	struct ui_job	*j = job_new(0, "user", s->is_new ? "add" : "set",
			    s->f[F_NAME].buf, NULL);

	if (!s->is_new || s->f[F_EMAIL].len > 0) {
		job_arg(j, "--email");
		job_arg(j, s->f[F_EMAIL].buf);
	}
	if (!s->is_new || s->f[F_PHONE].len > 0) {
		job_arg(j, "--phone");
		job_arg(j, s->f[F_PHONE].buf);
	}
	if (!s->is_new || !s->active)
		job_arg(j, s->active ? "--active" : "--inactive");
	if (s->f[F_PASSWORD].len > 0) {
		job_arg(j, "--password-stdin");
		job_answer(j, "password", s->f[F_PASSWORD].buf);
	}
	j->what = _("hashing the password");
	j->slow = s->f[F_PASSWORD].len > 0;
	return act_run(j);
}

static struct ui_action
edit_key(struct screen *sc, int key)
{
	struct scr_useredit	*s = (struct scr_useredit *)sc;
	enum key_act		 a = keys_lookup(sc->keys, key, sc->typing);
	int			 first = s->is_new ? F_NAME : F_EMAIL;

	if (edit_is_field(s->focus) && field_key(&s->f[s->focus], key))
		return act_none();
	switch (a) {
	case KA_NEXT_FIELD:
	case KA_DOWN:
		s->focus = s->focus + 1 == F_COUNT ? first : s->focus + 1;
		break;
	case KA_PREV_FIELD:
	case KA_UP:
		s->focus = s->focus == first ? F_CANCEL : s->focus - 1;
		break;
	case KA_TOGGLE:
	case KA_CHOICE_PREV:
		if (s->focus == F_ACTIVE)
			s->active = !s->active;
		break;
	case KA_ENTER:
		if (s->focus == F_CANCEL)
			return act_pop();
		if (s->focus == F_ACTIVE) {
			s->active = !s->active;
			break;
		}
		if (s->f[F_NAME].len == 0) {
			scr_msg(sc, ROLE_ERROR, _("a user needs a name"));
			return act_none();
		}
		return edit_submit(s);
	default:
		return scr_key_common(sc, a);
	}
	sc->typing = edit_is_field(s->focus);
	return act_none();
}

static struct ui_action
edit_done(struct screen *sc, struct ui_job *j)
{
	struct scr_useredit	*s = (struct scr_useredit *)sc;
	struct ui		*ui = sc->ui;

	if (j->rc != RD_OK) {
		scr_msg_job(sc, j);
		return act_none();
	}
	field_clear(&s->f[F_PASSWORD]);
	snprintf(ui->flash, sizeof ui->flash, s->is_new ?
	    _("user %.128s added") : _("user %.128s saved"), s->f[F_NAME].buf);
	ui->flash_role = ROLE_OK;
	if (s->is_new)
		return act_replace(scr_user_new(ui, s->f[F_NAME].buf));
	return act_pop();
}

static void
edit_free(struct screen *sc)
{
	struct scr_useredit	*s = (struct scr_useredit *)sc;
	int			 i;

	for (i = 0; i <= F_PASSWORD; i++)
		field_clear(&s->f[i]);
	free(s);
}

static const struct screen_ops edit_ops = {
	.name = N_("user editor"),
	.draw = edit_draw,
	.key = edit_key,
	.done = edit_done,
	.free = edit_free,
};

struct screen *
scr_useredit_new(struct ui *ui, const char *name, const cJSON *show)
{
	struct scr_useredit	*s = xcalloc(1, sizeof *s);

	s->base.ops = &edit_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_FORM;
	s->base.typing = true;
	s->is_new = name == NULL;
	s->f[F_NAME].label = _("User");
	s->f[F_EMAIL].label = _("E-mail");
	s->f[F_PHONE].label = _("Phone");
	s->f[F_PASSWORD].label = _("Password");
	s->f[F_PASSWORD].masked = true;
	s->active = true;
	s->focus = s->is_new ? F_NAME : F_EMAIL;
	if (!s->is_new) {
		field_set(&s->f[F_NAME], name);
		field_set(&s->f[F_EMAIL], job_str(show, "email"));
		field_set(&s->f[F_PHONE], job_str(show, "phone"));
		if (show != NULL)
			s->active = job_bool(show, "active");
	}
	return &s->base;
}
