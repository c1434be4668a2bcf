/*
 * scr-confirm.c: the question before an action that cannot be undone
 * (delete a user, reset after a lost device, empty the outbox).  It says
 * what will be lost, Cancel has the focus, and only Tab then Enter on the
 * action (or its letter, y) runs the command; Esc, n or Enter on Cancel
 * go back with nothing done.  The outcome comes back as a flash on the
 * screen below.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "screen.h"
#include "widget.h"

struct scr_confirm {
	struct screen	 base;
	char		*title;
	char		*text;
	char		*button;
	char		*done_msg;
	char		*words[JOB_ARGS];
	int		 nwords;
	bool		 on_action;	/* the focus; Cancel first */
};

static void
confirm_draw(struct screen *sc, struct canvas *c)
{
	struct scr_confirm	*s = (struct scr_confirm *)sc;
	int			 y, x;

	frame_draw(sc, c, s->title);
	y = 2 + text_wrap(c, 2, 2, c->cols - 4, c->rows - 8, 0, 0, s->text);
	x = 2 + button_draw(c, 2, y + 1, _("Cancel"), !s->on_action);
	button_draw(c, x + 2, y + 1, s->button, s->on_action);
	canvas_put(c, 2, y + 3, CA_DIM, c->cols - 4, _("Tab moves to the "
	    "action, Enter chooses; Esc cancels."));
}

static struct ui_action
confirm_run(struct scr_confirm *s)
{
	struct ui_job	*j = job_new(0, NULL);
	int		 i;

	for (i = 0; i < s->nwords; i++)
		job_arg(j, s->words[i]);
	j->what = s->title;
	return act_run(j);
}

static struct ui_action
confirm_key(struct screen *sc, int key)
{
	struct scr_confirm	*s = (struct scr_confirm *)sc;
	enum key_act		 a = keys_lookup(sc->keys, key, false);

	if (key == 'y')
		return confirm_run(s);
	if (key == 'n')
		return act_pop();
	switch (a) {
	case KA_NEXT_FIELD:
	case KA_PREV_FIELD:
	case KA_TOGGLE:
	case KA_CHOICE_PREV:
		s->on_action = !s->on_action;
		return act_none();
	case KA_ENTER:
		return s->on_action ? confirm_run(s) : act_pop();
	default:
		return scr_key_common(sc, a);
	}
}

static struct ui_action
confirm_done(struct screen *sc, struct ui_job *j)
{
	struct scr_confirm	*s = (struct scr_confirm *)sc;
	struct ui		*ui = sc->ui;

	if (j->rc != RD_OK) {
		scr_msg_job(sc, j);
		s->on_action = false;
		return act_none();
	}
	snprintf(ui->flash, sizeof ui->flash, "%s", s->done_msg);
	ui->flash_role = ROLE_OK;
	return act_pop();
}

static void
confirm_free(struct screen *sc)
{
	struct scr_confirm	*s = (struct scr_confirm *)sc;
	int			 i;

	for (i = 0; i < s->nwords; i++)
		free(s->words[i]);
	free(s->title);
	free(s->text);
	free(s->button);
	free(s->done_msg);
	free(s);
}

static const struct screen_ops confirm_ops = {
	.name = N_("confirmation"),
	.draw = confirm_draw,
	.key = confirm_key,
	.done = confirm_done,
	.free = confirm_free,
};

struct screen *
scr_confirm_new(struct ui *ui, const char *title, const char *text,
    const char *button, const char *done_msg, const char *word, ...)
{
	struct scr_confirm	*s = xcalloc(1, sizeof *s);
	va_list			 ap;
	const char		*w;

	s->base.ops = &confirm_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_FORM;
	s->title = xstrdup(title);
	s->text = xstrdup(text);
	s->button = xstrdup(button);
	s->done_msg = xstrdup(done_msg);
	va_start(ap, word);
	for (w = word; w != NULL && s->nwords < JOB_ARGS - 1;
	    w = va_arg(ap, const char *))
		s->words[s->nwords++] = xstrdup(w);
	va_end(ap);
	return &s->base;
}
