/*
 * scr-passphrase.c: a new passphrase for the open vault (`P` on the user
 * list).  The vault may have been open at an unattended desk for hours,
 * so the passphrase in use is asked first and checked on a connection of
 * its own (session_check_passphrase, one Argon2id); then the new one,
 * typed twice, masked, under a plain warning that the old one stops
 * working, goes to the `passphrase` command through ctx->ask as "new
 * passphrase"; the command seals the master key again (Argon2id, a slow
 * job) and changes nothing else, so users and secrets stay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "newpass.h"
#include "screen.h"
#include "widget.h"

enum {
	T_CHECK,	/* the passphrase in use */
	T_CHANGE,	/* the new one */
};

enum {
	F_OLD,
	F_PASS,
	F_AGAIN,
	F_CHANGE,
	F_CANCEL,
	F_COUNT
};

struct scr_passphrase {
	struct screen	 base;
	struct field	 old;
	struct newpass	 np;
	int		 focus;
};

static void
pass_focus(struct scr_passphrase *s, int focus)
{
	s->focus = focus;
	s->base.typing = focus == F_OLD || focus == F_PASS || focus == F_AGAIN;
}

static enum rd_code RD_CHECK
pass_check_fn(struct ui *ui, struct ui_job *j, cJSON *out,
    struct rd_err *err)
{
	const char	*p = j->ans[0].value;

	(void)out;
	return session_check_passphrase(ui->session, p, strlen(p), err);
}

static void
pass_draw(struct screen *sc, struct canvas *c)
{
	struct scr_passphrase	*s = (struct scr_passphrase *)sc;
	int			 y, x, lw, w = c->cols - 4;

	frame_draw(sc, c, _("Vault passphrase"));
	canvas_put(c, 2, 2, CA_BOLD, -1, _("Change the vault "
	    "passphrase"));
	canvas_put(c, 2, 4, 0, 13, _("Vault:"));
	canvas_put(c, 16, 4, 0, c->cols - 18, sc->ui->title_path ?
	    sc->ui->title_path : "-");
	y = 6 + text_wrap(c, 2, 6, w, 3, 0, ROLE_WARN | CA_BOLD, _("The old "
	    "passphrase stops working as soon as this is done: every later "
	    "unlock, here or on the command line, needs the new one, also "
	    "in files and scripts that keep the old one."));
	y++;
	lw = canvas_width(s->np.pass.label) > canvas_width(s->old.label) ?
	    canvas_width(s->np.pass.label) : canvas_width(s->old.label);
	field_draw(c, 2, y++, w > 60 ? 60 : w, lw, &s->old, s->focus == F_OLD);
	y += newpass_draw(c, 2, y, w > 60 ? 60 : w, lw, &s->np,
	    s->focus == F_PASS ? 1 : s->focus == F_AGAIN ? 2 : 0);
	y++;
	x = 2 + button_draw(c, 2, y, _("Change"), s->focus == F_CHANGE);
	button_draw(c, x + 2, y, _("Cancel"), s->focus == F_CANCEL);
	text_wrap(c, 2, y + 2, w, c->rows - 4 - y, 0, CA_DIM, _("Users, methods "
	    "and secrets stay as they are: only the key that opens them is "
	    "sealed again, under the new passphrase."));
}

/* The fields checked; then the passphrase in use, before any change. */
static struct ui_action
pass_submit(struct scr_passphrase *s)
{
	const char	*problem = newpass_problem(&s->np);
	struct ui_job	*j;

	if (s->old.len == 0) {
		scr_msg(&s->base, ROLE_ERROR | CA_BOLD, _("type the passphrase "
		    "that opens the vault now, first"));
		pass_focus(s, F_OLD);
		return act_none();
	}
	if (problem != NULL) {
		scr_msg(&s->base, ROLE_ERROR | CA_BOLD, "%s", problem);
		if (s->np.pass.len > 0 && s->np.again.len > 0)
			newpass_clear(&s->np);
		pass_focus(s, s->np.pass.len == 0 ? F_PASS : F_AGAIN);
		return act_none();
	}
	j = job_new(T_CHECK, NULL);
	j->fn = pass_check_fn;
	job_answer(j, "passphrase", s->old.buf);
	j->slow = true;
	j->what = _("checking the passphrase in use (Argon2id)");
	field_clear(&s->old);
	scr_msg(&s->base, 0, "%s", "");
	return act_run(j);
}

/* The one in use was right: the new one goes to the command. */
static struct ui_action
pass_change(struct scr_passphrase *s)
{
	struct ui_job	*j;

	j = job_new(T_CHANGE, "passphrase", NULL);
	job_answer(j, "new passphrase", s->np.pass.buf);
	j->slow = true;
	j->what = _("sealing the key under the new passphrase (Argon2id)");
	newpass_clear(&s->np);
	pass_focus(s, F_OLD);
	return act_run(j);
}

static struct ui_action
pass_key(struct screen *sc, int key)
{
	struct scr_passphrase	*s = (struct scr_passphrase *)sc;
	enum key_act		 a = keys_lookup(sc->keys, key, sc->typing);

	if (s->focus == F_OLD && field_key(&s->old, key))
		return act_none();
	if (s->focus == F_PASS && field_key(&s->np.pass, key))
		return act_none();
	if (s->focus == F_AGAIN && field_key(&s->np.again, key))
		return act_none();
	switch (a) {
	case KA_NEXT_FIELD:
		pass_focus(s, (s->focus + 1) % F_COUNT);
		return act_none();
	case KA_PREV_FIELD:
		pass_focus(s, (s->focus + F_COUNT - 1) % F_COUNT);
		return act_none();
	case KA_ENTER:
		if (s->focus == F_CANCEL)
			return act_pop();
		if (s->focus == F_OLD || s->focus == F_PASS) {
			pass_focus(s, s->focus + 1);
			return act_none();
		}
		return pass_submit(s);
	default:
		return scr_key_common(sc, a);
	}
}

static struct ui_action
pass_done(struct screen *sc, struct ui_job *j)
{
	struct scr_passphrase	*s = (struct scr_passphrase *)sc;
	struct ui		*ui = sc->ui;

	if (j->tag == T_CHECK && j->rc == RD_BAD_PASSPHRASE) {
		scr_msg(sc, ROLE_ERROR | CA_BOLD, _("that is not the passphrase "
		    "that opens the vault now: nothing was changed"));
		pass_focus(s, F_OLD);
		return act_none();
	}
	if (j->rc != RD_OK) {
		newpass_clear(&s->np);
		pass_focus(s, F_OLD);
		scr_msg(sc, ROLE_ERROR | CA_BOLD, _("the passphrase was not "
		    "changed: %s"), j->err.msg);
		return act_none();
	}
	if (j->tag == T_CHECK && ui->cancel) {
		/* Esc while the old one was checked: stop there. */
		newpass_clear(&s->np);
		pass_focus(s, F_OLD);
		scr_msg(sc, ROLE_WARN, _("cancelled: the passphrase was not "
		    "changed"));
		return act_none();
	}
	if (j->tag == T_CHECK)
		return pass_change(s);
	snprintf(ui->flash, sizeof ui->flash, _("vault passphrase changed: "
	    "the old one no longer opens the vault"));
	ui->flash_role = ROLE_OK;
	return act_pop();
}

static void
pass_free(struct screen *sc)
{
	struct scr_passphrase	*s = (struct scr_passphrase *)sc;

	field_clear(&s->old);
	newpass_clear(&s->np);
	sodium_memzero(s, sizeof *s);
	free(s);
}

static const struct screen_ops pass_ops = {
	.name = N_("vault passphrase"),
	.draw = pass_draw,
	.key = pass_key,
	.done = pass_done,
	.free = pass_free,
};

struct screen *
scr_passphrase_new(struct ui *ui)
{
	struct scr_passphrase	*s = xcalloc(1, sizeof *s);

	s->base.ops = &pass_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_FORM;
	s->old.label = _("Old passphrase");
	s->old.masked = true;
	newpass_init(&s->np, _("New passphrase"));
	pass_focus(s, F_OLD);
	return &s->base;
}
