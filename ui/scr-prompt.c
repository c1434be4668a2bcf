/*
 * scr-prompt.c: a dialog for the operator's steps that may need a code
 * (make primary, deactivate, new backup codes).  Whether this one needs
 * it is the core's to say (`user show`'s code_needed, passed in); the
 * dialog says so up front, labels the field with what may prove the step
 * and offers to send a code through a method that sends them (proof.h),
 * counting down the resend cooldown.  A step that needs no code has no
 * field.  Enter runs the command with the code as "-" through ctx->ask,
 * so it never sits in an argument list.  A refusal stays on the dialog
 * in the core's words; a success goes back, or on to the backup codes
 * when the command made new ones.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../src/i18n.h"
#include "../src/env.h"
#include "../src/util.h"
#include "proof.h"
#include "screen.h"
#include "widget.h"

enum {
	T_RUN,
	T_SEND,
	T_OUTBOX,
};

/* What may have the focus, in Tab order. */
enum {
	P_FIELD,
	P_OK,
	P_SEND,
	P_CANCEL,
	P_COUNT
};

struct scr_prompt {
	struct screen	 base;
	char		*title;
	char		*text;
	char		*user;
	char		*words[JOB_ARGS];
	int		 nwords;
	bool		 required;
	struct field	 code;
	struct proof	 proof;
	int		 focus;
};

static int64_t
prompt_now(const struct scr_prompt *s)
{
	return env_now(s->base.ui->ctx.env);
}

/* Whether f can have the focus. */
static bool
prompt_can(const struct scr_prompt *s, int f)
{
	switch (f) {
	case P_FIELD:
		return s->required;
	case P_SEND:
		return s->required && s->proof.sender[0] != '\0';
	default:
		return true;
	}
}

static void
prompt_focus(struct scr_prompt *s, int step)
{
	do
		s->focus = (s->focus + step + P_COUNT) % P_COUNT;
	while (!prompt_can(s, s->focus));
	s->base.typing = s->focus == P_FIELD;
}

static void
prompt_draw(struct screen *sc, struct canvas *c)
{
	struct scr_prompt	*s = (struct scr_prompt *)sc;
	char			 label[160];
	int			 y, x, w = c->cols - 4;

	frame_draw(sc, c, s->title);
	y = 2 + text_wrap(c, 2, 2, w, 6, 0, 0, s->text) + 1;
	if (!s->required) {
		canvas_put(c, 2, y, CA_DIM, w, _("No code is needed for "
		    "this."));
		y += 2;
	} else {
		field_draw(c, 2, y, w > 60 ? 60 : w, 0, &s->code,
		    s->focus == P_FIELD);
		canvas_put(c, 2, y + 1, CA_DIM, w, _("Required: the step is "
		    "refused without it."));
		y += 3;
	}
	x = 2 + button_draw(c, 2, y, _("OK"), s->focus == P_OK) + 1;
	if (prompt_can(s, P_SEND)) {
		proof_button(&s->proof, prompt_now(s), label, sizeof label);
		x += button_draw(c, x, y, label, s->focus == P_SEND) + 1;
	}
	button_draw(c, x, y, _("Cancel"), s->focus == P_CANCEL);
	y += 2;
	proof_draw_sent(c, 2, y, w, c->rows - y - 3, &s->proof);
}

static struct ui_action
prompt_submit(struct scr_prompt *s)
{
	struct ui_job	*j;
	int		 i;

	if (s->required && s->code.len == 0) {
		scr_msg(&s->base, ROLE_ERROR, _("Type the code first."));
		return act_none();
	}
	j = job_new(T_RUN, NULL);
	for (i = 0; i < s->nwords; i++)
		job_arg(j, s->words[i]);
	if (s->required) {
		job_arg(j, "-");
		job_answer(j, "code", s->code.buf);
	}
	field_clear(&s->code);
	j->what = s->title;
	/* Codes that check against a provider go over the network. */
	j->slow = true;
	return act_run(j);
}

static struct ui_action
prompt_key(struct screen *sc, int key)
{
	struct scr_prompt	*s = (struct scr_prompt *)sc;
	enum key_act		 a = keys_lookup(sc->keys, key, sc->typing);

	if (s->focus == P_FIELD && field_key(&s->code, key))
		return act_none();
	switch (a) {
	case KA_NEXT_FIELD:
	case KA_DOWN:
		prompt_focus(s, 1);
		return act_none();
	case KA_PREV_FIELD:
	case KA_UP:
		prompt_focus(s, -1);
		return act_none();
	case KA_ENTER:
		if (s->focus == P_CANCEL)
			return act_pop();
		if (s->focus == P_SEND)
			return act_run(proof_send_job(&s->proof, T_SEND,
			    s->user));
		return prompt_submit(s);
	default:
		return scr_key_common(sc, a);
	}
}

static struct ui_action
prompt_done(struct screen *sc, struct ui_job *j)
{
	struct scr_prompt	*s = (struct scr_prompt *)sc;
	cJSON			*codes;
	struct ui		*ui = sc->ui;

	if (j->rc != RD_OK) {
		scr_msg_job(sc, j);
		return act_none();
	}
	if (j->tag == T_SEND) {
		sc->msg[0] = '\0';
		if (proof_sent(&s->proof, j->out, prompt_now(s)))
			return act_run(peek_job(T_OUTBOX));
		return act_none();
	}
	if (j->tag == T_OUTBOX) {
		peek_take(&s->proof.peek, j->out);
		return act_none();
	}
	codes = cJSON_DetachItemFromObjectCaseSensitive(j->out,
	    "backup_codes");
	if (cJSON_GetArraySize(codes) > 0)
		return act_replace(scr_codes_new(ui, s->user, codes,
		    s->title, NULL));
	cmd_result_free(codes);
	snprintf(ui->flash, sizeof ui->flash, _("%s: done"), s->title);
	ui->flash_role = ROLE_OK;
	return act_pop();
}

static void
prompt_free(struct screen *sc)
{
	struct scr_prompt	*s = (struct scr_prompt *)sc;
	int			 i;

	field_clear(&s->code);
	proof_clear(&s->proof);
	for (i = 0; i < s->nwords; i++)
		free(s->words[i]);
	free(s->title);
	free(s->text);
	free(s->user);
	free(s);
}

static const struct screen_ops prompt_ops = {
	.name = N_("code dialog"),
	.draw = prompt_draw,
	.key = prompt_key,
	.done = prompt_done,
	.free = prompt_free,
};

struct screen *
scr_prompt_new(struct ui *ui, const char *title, const char *text,
    const struct prompt_need *need, const char *word, ...)
{
	struct scr_prompt	*s = xcalloc(1, sizeof *s);
	va_list			 ap;
	const char		*w;

	s->base.ops = &prompt_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_FORM;
	s->title = xstrdup(title);
	s->text = xstrdup(text);
	s->required = need->required;
	va_start(ap, word);
	for (w = word; w != NULL && s->nwords < JOB_ARGS - 1;
	    w = va_arg(ap, const char *))
		s->words[s->nwords++] = xstrdup(w);
	va_end(ap);
	/* The user is the command's first argument. */
	s->user = xstrdup(s->nwords > 1 ? s->words[1] : "");
	if (need->show != NULL)
		proof_take(&s->proof, need->show, need->only, need->backup);
	else
		snprintf(s->proof.label, sizeof s->proof.label, "%s",
		    _("Code"));
	s->code.label = s->proof.label;
	s->focus = s->required ? P_FIELD : P_OK;
	s->base.typing = s->focus == P_FIELD;
	return &s->base;
}
