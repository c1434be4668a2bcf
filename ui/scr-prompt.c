/*
 * scr-prompt.c: a dialog for the commands that may need a code: type it
 * (or leave it empty when it is optional), Enter runs the command with
 * the code as "-" through ctx->ask, so it never sits in an argument list.
 * A refusal stays on the dialog with the core's reason; a success goes
 * back, or on to the backup codes when the command made new ones.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../src/util.h"
#include "screen.h"
#include "widget.h"

struct scr_prompt {
	struct screen	 base;
	char		*title;
	char		*text;
	char		*words[JOB_ARGS];
	int		 nwords;
	bool		 required;
	struct field	 code;
	int		 focus;		/* 0 field, 1 OK, 2 Cancel */
};

static void
prompt_draw(struct screen *sc, struct canvas *c)
{
	struct scr_prompt	*s = (struct scr_prompt *)sc;
	int			 y, x;

	frame_draw(sc, c, s->title);
	y = 2 + text_wrap(c, 2, 2, c->cols - 4, 6, 0, 0, s->text);
	field_draw(c, 2, y + 1, c->cols - 4 > 50 ? 50 : c->cols - 4, 0,
	    &s->code, s->focus == 0);
	canvas_put(c, 2, y + 2, CA_DIM, -1, s->required ? "required" :
	    "optional: leave empty when no code is asked for");
	x = 2 + button_draw(c, 2, y + 4, "OK", s->focus == 1);
	button_draw(c, x + 2, y + 4, "Cancel", s->focus == 2);
}

static struct ui_action
prompt_submit(struct scr_prompt *s)
{
	struct ui_job	*j;
	int		 i;

	if (s->required && s->code.len == 0) {
		scr_msg(&s->base, ROLE_ERROR, "type the code first");
		return act_none();
	}
	j = job_new(0, NULL);
	for (i = 0; i < s->nwords; i++)
		job_arg(j, s->words[i]);
	if (s->code.len > 0) {
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

	if (s->focus == 0 && field_key(&s->code, key))
		return act_none();
	switch (a) {
	case KA_NEXT_FIELD:
	case KA_DOWN:
		s->focus = (s->focus + 1) % 3;
		break;
	case KA_PREV_FIELD:
	case KA_UP:
		s->focus = (s->focus + 2) % 3;
		break;
	case KA_ENTER:
		if (s->focus == 2)
			return act_pop();
		return prompt_submit(s);
	default:
		return scr_key_common(sc, a);
	}
	sc->typing = s->focus == 0;
	return act_none();
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
	codes = cJSON_DetachItemFromObjectCaseSensitive(j->out,
	    "backup_codes");
	if (cJSON_GetArraySize(codes) > 0)
		return act_replace(scr_codes_new(ui, s->words[1], codes,
		    s->title));
	cmd_result_free(codes);
	snprintf(ui->flash, sizeof ui->flash, "%s: done", s->title);
	ui->flash_role = ROLE_OK;
	return act_pop();
}

static void
prompt_free(struct screen *sc)
{
	struct scr_prompt	*s = (struct scr_prompt *)sc;
	int			 i;

	field_clear(&s->code);
	for (i = 0; i < s->nwords; i++)
		free(s->words[i]);
	free(s->title);
	free(s->text);
	free(s);
}

static const struct screen_ops prompt_ops = {
	.name = "code dialog",
	.draw = prompt_draw,
	.key = prompt_key,
	.done = prompt_done,
	.free = prompt_free,
};

struct screen *
scr_prompt_new(struct ui *ui, const char *title, const char *text,
    bool code_required, const char *word, ...)
{
	struct scr_prompt	*s = xcalloc(1, sizeof *s);
	va_list			 ap;
	const char		*w;

	s->base.ops = &prompt_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_FORM;
	s->base.typing = true;
	s->title = xstrdup(title);
	s->text = xstrdup(text);
	s->required = code_required;
	s->code.label = "Code";
	va_start(ap, word);
	for (w = word; w != NULL && s->nwords < JOB_ARGS - 1;
	    w = va_arg(ap, const char *))
		s->words[s->nwords++] = xstrdup(w);
	va_end(ap);
	return &s->base;
}
