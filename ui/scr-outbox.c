/*
 * scr-outbox.c: the messages outbox methods kept in the vault (`outbox
 * list`), newest first, with the selected one's body in full below.  They
 * hold live codes, which is their purpose: this is how a demo or an
 * offline test reads the code a user would have received.  x empties it
 * (`outbox clear`) after a confirmation that says how many messages go;
 * the list loads again on coming back, and on Ctrl-L.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "screen.h"
#include "widget.h"

struct scr_outbox {
	struct screen	 base;
	cJSON		*list;
	struct listpos	 pos;
};

/* The list takes the top part; the body of the selection the rest. */
static int
outbox_rows(const struct ui *ui)
{
	int	body = ui->rows - 3 - 2;

	return body / 2 > 1 ? body / 2 : 1;
}

static const cJSON *
outbox_msgs(const struct scr_outbox *s)
{
	return cJSON_GetObjectItemCaseSensitive(s->list, "messages");
}

static void
outbox_draw(struct screen *sc, struct canvas *c)
{
	struct scr_outbox	*s = (struct scr_outbox *)sc;
	const cJSON		*e;
	int			 n = cJSON_GetArraySize(outbox_msgs(s)), i, y;
	int			 rows = outbox_rows(sc->ui);
	char			 when[32], line[512];
	bool			 sel;

	frame_draw(sc, c, _("Outbox"));
	canvas_fill(c, 1, 1, c->cols - 40 > 0 ? c->cols - 2 : 39, 1, ' ',
	    CA_BOLD | CA_UNDERLINE);
	canvas_put(c, 1, 1, CA_BOLD | CA_UNDERLINE, 4, _("Id"));
	canvas_put(c, 6, 1, CA_BOLD | CA_UNDERLINE, 20, _("Sent (UTC)"));
	canvas_put(c, 27, 1, CA_BOLD | CA_UNDERLINE, 11, _("Method"));
	canvas_put(c, 39, 1, CA_BOLD | CA_UNDERLINE, c->cols - 40 > 0 ?
	    c->cols - 40 : 1, _("To"));
	if (n == 0) {
		canvas_put(c, 2, 2, CA_DIM, -1, _("no messages: outbox "
		    "methods keep what they send here"));
		return;
	}
	list_fit(&s->pos, n, rows);
	for (i = s->pos.top; i < n && i < s->pos.top + rows; i++) {
		e = cJSON_GetArrayItem(outbox_msgs(s), n - 1 - i);
		y = 2 + i - s->pos.top;
		sel = i == s->pos.sel;
		time_fmt(job_num(e, "sent_at"), when, sizeof when);
		snprintf(line, sizeof line, "%-5.0f%-21s%-12.11s%s",
		    job_num(e, "id"), when, job_str(e, "method"),
		    job_str(e, "to"));
		if (sel)
			sel_bar(c, y);
		canvas_put(c, 1, y, sel ? ROLE_SEL : 0, c->cols - 2, line);
	}
	e = cJSON_GetArrayItem(outbox_msgs(s), n - 1 - s->pos.sel);
	y = 3 + rows;
	canvas_box(c, 0, y, c->cols, c->rows - 2 - y, 0, _("Message"));
	text_wrap(c, 2, y + 1, c->cols - 4, c->rows - 4 - y, 0, 0,
	    job_str(e, "body"));
}

/* Codes in the outbox may still be waiting to be read: ask first. */
static struct ui_action
outbox_clear(struct scr_outbox *s)
{
	int	n = cJSON_GetArraySize(outbox_msgs(s));
	char	text[256];

	if (n == 0) {
		scr_msg(&s->base, ROLE_WARN, _("the outbox is empty already"));
		return act_none();
	}
	snprintf(text, sizeof text, ngettext("Empty the outbox: %d message. "
	    "Codes in it that nobody has read yet are lost; a user waiting "
	    "for one needs a new one sent.", "Empty the outbox: %d messages. "
	    "Codes in them that nobody has read yet are lost; a user waiting "
	    "for one needs a new one sent.", (unsigned long)n), n);
	return act_push(scr_confirm_new(s->base.ui, _("Empty the outbox"),
	    text, _("Empty"), _("outbox emptied"), "outbox", "clear", NULL));
}

static struct ui_action
outbox_key(struct screen *sc, int key)
{
	struct scr_outbox	*s = (struct scr_outbox *)sc;
	enum key_act		 a = keys_lookup(sc->keys, key, false);

	if (list_move(&s->pos, a, cJSON_GetArraySize(outbox_msgs(s)),
	    outbox_rows(sc->ui)))
		return act_none();
	if (a == KA_CLEAR_OUTBOX)
		return outbox_clear(s);
	return scr_key_common(sc, a);
}

static struct ui_action
outbox_enter(struct screen *sc)
{
	(void)sc;
	return act_run(job_new(0, "outbox", "list", NULL));
}

static struct ui_action
outbox_done(struct screen *sc, struct ui_job *j)
{
	struct scr_outbox	*s = (struct scr_outbox *)sc;

	if (j->rc != RD_OK) {
		scr_msg_job(sc, j);
		return act_none();
	}
	cmd_result_free(s->list);
	s->list = j->out;
	j->out = NULL;
	return act_none();
}

static void
outbox_free(struct screen *sc)
{
	struct scr_outbox	*s = (struct scr_outbox *)sc;

	cmd_result_free(s->list);
	free(s);
}

static const struct screen_ops outbox_ops = {
	.name = N_("outbox"),
	.draw = outbox_draw,
	.key = outbox_key,
	.enter = outbox_enter,
	.done = outbox_done,
	.free = outbox_free,
	.reload = outbox_enter,
	.changed = outbox_enter,
};

struct screen *
scr_outbox_new(struct ui *ui)
{
	struct scr_outbox	*s = xcalloc(1, sizeof *s);

	s->base.ops = &outbox_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_LIST | KC_OUTBOX;
	s->base.secret = true;
	return &s->base;
}
