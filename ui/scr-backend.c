/*
 * scr-backend.c: the backend tester (`test-backend METHOD RECIPIENT
 * --verbose`): pick a method, give a recipient, send a clearly marked
 * test message, and read what the provider said: its status, its own
 * code and message, the time taken, and the exchange with credentials and
 * codes shown as ***.  This is where an operator finds out why a channel
 * does not work, so failures show the same details as successes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "screen.h"
#include "widget.h"

enum {
	T_CONFIG,
	T_SEND,
};

enum {
	F_METHOD,
	F_TO,
	F_SEND,
	F_COUNT
};

struct scr_backend {
	struct screen	 base;
	cJSON		*config;
	int		 method;	/* index into the config's methods */
	struct field	 to;
	int		 focus;
	cJSON		*answer;	/* test-backend's result */
	enum rd_code	 rc;
	char		 errmsg[600];
	int		 top;		/* of the transcript */
};

static const cJSON *
backend_methods(const struct scr_backend *s)
{
	return cJSON_GetObjectItemCaseSensitive(s->config, "methods");
}

static const char *
backend_method(const struct scr_backend *s)
{
	return job_str(cJSON_GetArrayItem(backend_methods(s), s->method),
	    "name");
}

static void
backend_draw(struct screen *sc, struct canvas *c)
{
	struct scr_backend	*s = (struct scr_backend *)sc;
	const cJSON		*m = cJSON_GetArrayItem(backend_methods(s),
				    s->method);
	char			 buf[600];
	int			 y, h, x;

	frame_draw(sc, c, _("Backend tester"));
	canvas_put(c, 2, 2, s->focus == F_METHOD ? CA_BOLD : 0, 11,
	    _("Method:"));
	snprintf(buf, sizeof buf, "< %s >  %s, %s", job_str(m, "name"),
	    job_str(m, "handler"), job_str(m, "kind"));
	canvas_put(c, 14, 2, s->focus == F_METHOD ? ROLE_SEL | CA_BOLD : 0,
	    c->cols - 16, buf);
	field_draw(c, 2, 3, c->cols - 4 > 60 ? 60 : c->cols - 4, 10, &s->to,
	    s->focus == F_TO);
	/* After the button, however long its words are. */
	x = 3 + button_draw(c, 2, 5, _("Send a test message"),
	    s->focus == F_SEND);
	x = x > 26 ? x : 26;
	canvas_put(c, x, 5, CA_DIM, c->cols - x - 2, _("to an address, a "
	    "phone number or a key OTP"));
	if (s->answer == NULL)
		return;
	if (!job_has(s->answer, "outcome")) {
		/* Refused before any exchange: only the reason. */
		text_wrap(c, 2, 7, c->cols - 4, 2, 0, ROLE_ERROR, s->errmsg);
		return;
	}
	snprintf(buf, sizeof buf, _("Outcome: %s   status %.0f   %.3f s"),
	    job_str(s->answer, "outcome"), job_num(s->answer, "status"),
	    job_num(s->answer, "seconds"));
	canvas_put(c, 2, 7, (s->rc == RD_OK ? ROLE_OK : ROLE_ERROR) | CA_BOLD,
	    c->cols - 4, buf);
	snprintf(buf, sizeof buf, _("Provider: %s %s"), *job_str(s->answer,
	    "provider_code") ? job_str(s->answer, "provider_code") : "-",
	    job_str(s->answer, "provider_message"));
	y = 8 + text_wrap(c, 2, 8, c->cols - 4, 2, 0, 0, buf);
	if (job_opt_str(s->answer, "request_id") != NULL)
		canvas_printf(c, 2, y++, 0, _("Request id: %s"),
		    job_opt_str(s->answer, "request_id"));
	if (s->rc != RD_OK)
		y += text_wrap(c, 2, y, c->cols - 4, 2, 0, ROLE_ERROR,
		    s->errmsg);
	h = c->rows - 2 - y;
	if (h < 3)
		return;
	canvas_box(c, 0, y, c->cols, h, CA_DIM, _("Exchange (secrets as ***)"));
	text_wrap(c, 2, y + 1, c->cols - 4, h - 2, s->top, 0,
	    job_opt_str(s->answer, "transcript") ?
	    job_opt_str(s->answer, "transcript") : "");
}

static void
backend_focus(struct scr_backend *s, int focus)
{
	s->focus = (focus + F_COUNT) % F_COUNT;
	s->base.typing = s->focus == F_TO;
}

static struct ui_action
backend_key(struct screen *sc, int key)
{
	struct scr_backend	*s = (struct scr_backend *)sc;
	enum key_act		 a = keys_lookup(sc->keys, key, sc->typing);
	int			 n = cJSON_GetArraySize(backend_methods(s));
	struct ui_job		*j;

	if (s->focus == F_TO && field_key(&s->to, key))
		return act_none();
	if (scroll_key(&s->top, a == KA_PGUP || a == KA_PGDN || a == KA_UP ||
	    a == KA_DOWN ? a : KA_NONE, 100000, 1))
		return act_none();
	switch (a) {
	case KA_NEXT_FIELD:
		backend_focus(s, s->focus + 1);
		return act_none();
	case KA_PREV_FIELD:
		backend_focus(s, s->focus - 1);
		return act_none();
	case KA_TOGGLE:
	case KA_CHOICE_PREV:
		if (s->focus == F_METHOD && n > 0)
			s->method = (s->method + (a == KA_TOGGLE ? 1 : n - 1)) %
			    n;
		return act_none();
	case KA_ENTER:
		if (s->focus == F_METHOD) {
			backend_focus(s, F_TO);
			return act_none();
		}
		if (n == 0 || s->to.len == 0) {
			scr_msg(sc, ROLE_ERROR, _("give a recipient first"));
			return act_none();
		}
		j = job_new(T_SEND, "test-backend", backend_method(s),
		    s->to.buf, "--verbose", NULL);
		j->slow = true;
		j->what = _("talking to the provider");
		return act_run(j);
	default:
		return scr_key_common(sc, a);
	}
}

static struct ui_action
backend_enter(struct screen *sc)
{
	struct scr_backend	*s = (struct scr_backend *)sc;

	if (s->config != NULL)
		return act_none();
	return act_run(job_new(T_CONFIG, "config", NULL));
}

static struct ui_action
backend_done(struct screen *sc, struct ui_job *j)
{
	struct scr_backend	*s = (struct scr_backend *)sc;

	if (j->tag == T_CONFIG) {
		if (j->rc != RD_OK) {
			scr_msg_job(sc, j);
			return act_none();
		}
		s->config = j->out;
		j->out = NULL;
		/* Start on a method with a channel: apps have none to test. */
		while (s->method + 1 < cJSON_GetArraySize(backend_methods(s)) &&
		    !job_bool(cJSON_GetArrayItem(backend_methods(s),
		    s->method), "testable"))
			s->method++;
		return act_none();
	}
	/* What the provider said is kept on failure as on success. */
	cmd_result_free(s->answer);
	s->answer = j->out;
	j->out = NULL;
	s->rc = j->rc;
	s->top = 0;
	snprintf(s->errmsg, sizeof s->errmsg, "%s", j->err.msg);
	sc->msg[0] = '\0';
	return act_none();
}

static void
backend_free(struct screen *sc)
{
	struct scr_backend	*s = (struct scr_backend *)sc;

	cmd_result_free(s->config);
	cmd_result_free(s->answer);
	field_clear(&s->to);
	free(s);
}

static const struct screen_ops backend_ops = {
	.name = N_("backend tester"),
	.draw = backend_draw,
	.key = backend_key,
	.enter = backend_enter,
	.done = backend_done,
	.free = backend_free,
};

struct screen *
scr_backend_new(struct ui *ui)
{
	struct scr_backend	*s = xcalloc(1, sizeof *s);

	s->base.ops = &backend_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_FORM | KC_LIST;
	s->to.label = _("Recipient");
	return &s->base;
}
