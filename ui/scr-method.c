/*
 * scr-method.c: one active method of a user, from Enter on the user
 * detail: its kind, when it was enrolled and last used (local time, or
 * "never"), whether it is the primary, and what `user show` tells of its
 * kind: a YubiKey's public id, an HOTP counter, an app's parameters that
 * differ from what apps assume, where a code goes (masked).  The keys are
 * the user detail's for a method (make primary, deactivate, send a code
 * to test it), with the same dialogs, from method_act below, which the
 * user detail calls too.  It reloads `user show` whenever it is on top,
 * so it shows what a dialog changed and leaves when the method is gone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "../src/words.h"
#include "screen.h"
#include "widget.h"

enum {
	T_SHOW,
	T_REQUEST,
};

struct scr_method {
	struct screen	 base;
	char		*user;
	char		*name;
	cJSON		*m;		/* the method of `user show`, a copy */
	cJSON		*show;		/* and the whole answer, a copy */
};

/* The labels of the lines, for the width of their column. */
static const char *const method_labels[] = { N_("Kind"), N_("State"),
    N_("Primary"), N_("Enrolled"), N_("Last used"),
    N_("YubiKey public id"), N_("HOTP counter"), N_("Codes go to"),
    N_("Digits"), N_("Codes change"), N_("Algorithm") };

/* 20 columns, or the longest translated label and two more. */
static int
method_label_w(void)
{
	size_t	i;
	int	w = 20;

	for (i = 0; i < sizeof method_labels / sizeof method_labels[0]; i++)
		if (canvas_width(_(method_labels[i])) + 2 > w)
			w = canvas_width(_(method_labels[i])) + 2;
	return w;
}

static void
method_line(struct canvas *c, int y, const char *label, unsigned attr,
    const char *value)
{
	int	lw = method_label_w();

	canvas_put(c, 2, y, CA_BOLD, lw, _(label));
	canvas_put(c, 2 + lw, y, attr, c->cols - 4 - lw, value);
}

/* A kind as an operator calls it. */
static const char *
method_kind_words(const char *kind)
{
	if (strcmp(kind, "app") == 0)
		return _("authenticator app");
	if (strcmp(kind, "code") == 0)
		return _("code sent in a message");
	if (strcmp(kind, "verify") == 0)
		return _("code from a verification service");
	if (strcmp(kind, "device") == 0)
		return _("hardware key");
	return kind;
}

static void
method_when(double t, char *buf, size_t size)
{
	if (t <= 0)
		snprintf(buf, size, "%s", _("never"));
	else
		words_time((time_t)t, buf, size);
}

static void
method_draw(struct screen *sc, struct canvas *c)
{
	struct scr_method	*s = (struct scr_method *)sc;
	const cJSON		*m = s->m;
	const char		*kind, *v;
	char			 t[200], buf[160], w[64];
	int			 y = 2;

	snprintf(t, sizeof t, _("Method %s of %s"), s->name, s->user);
	frame_draw(sc, c, t);
	kind = job_opt_str(m, "kind");
	if (kind != NULL)
		snprintf(buf, sizeof buf, "%s (%s)", method_kind_words(kind),
		    job_str(m, "handler"));
	else
		snprintf(buf, sizeof buf, _("%s (no longer in the config)"),
		    job_str(m, "handler"));
	method_line(c, y++, "Kind", kind != NULL ? 0 : ROLE_WARN, buf);
	v = job_str(m, "state");
	method_line(c, y++, "State", strcmp(v, "active") == 0 ? ROLE_OK :
	    ROLE_WARN, strcmp(v, "active") == 0 ? _("active") :
	    strcmp(v, "pending") == 0 ? _("pending") : v);
	method_line(c, y++, "Primary", job_bool(m, "primary") ? CA_BOLD : 0,
	    job_bool(m, "primary") ? _("yes: logins start with it") :
	    _("no"));
	method_when(job_num(m, "enrolled"), buf, sizeof buf);
	method_line(c, y++, "Enrolled", 0, buf);
	method_when(job_num(m, "last_used"), buf, sizeof buf);
	method_line(c, y++, "Last used", 0, buf);
	if ((v = job_opt_str(m, "public_id")) != NULL)
		method_line(c, y++, "YubiKey public id", 0, v);
	if (job_has(m, "counter")) {
		/* The counter of the next code: one more than codes used. */
		snprintf(buf, sizeof buf, _("%.0f (the next code's)"),
		    job_num(m, "counter"));
		method_line(c, y++, "HOTP counter", 0, buf);
	}
	if ((v = job_opt_str(m, "destination")) != NULL)
		method_line(c, y++, "Codes go to", 0, v);
	if (job_has(m, "digits")) {
		snprintf(buf, sizeof buf, "%.0f", job_num(m, "digits"));
		method_line(c, y++, "Digits", 0, buf);
	}
	if (job_has(m, "period")) {
		words_duration((long)job_num(m, "period"), w, sizeof w);
		snprintf(buf, sizeof buf, _("a new code every %s"), w);
		method_line(c, y++, "Codes change", 0, buf);
	}
	if ((v = job_opt_str(m, "algorithm")) != NULL)
		method_line(c, y++, "Algorithm", 0, v);
	text_wrap(c, 2, y + 1, c->cols - 4, frame_body(c) - y - 1, 0,
	    CA_DIM, _("Last used is when a code of it was last accepted, "
	    "in a login or as a proof. No secret of the method is ever "
	    "shown here."));
}

/* Whether method of show's user is active (a pending one proves nothing). */
static bool
method_active(const cJSON *show, const char *method)
{
	const cJSON	*m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(show,
	    "methods"))
		if (strcmp(job_str(m, "name"), method) == 0)
			return strcmp(job_str(m, "state"), "active") == 0;
	return false;
}

struct ui_action
method_act(struct screen *sc, const cJSON *show, const char *user,
    const char *method, enum key_act a, int request_tag)
{
	struct ui		*ui = sc->ui;
	struct ui_job		*j;
	const cJSON		*needed = cJSON_GetObjectItemCaseSensitive(show,
				    "code_needed");
	struct prompt_need	 need = { .show = show, .only = method };
	char			 title[160], text[400];

	switch (a) {
	case KA_DEACTIVATE:
		snprintf(title, sizeof title, _("Deactivate %s"), method);
		snprintf(text, sizeof text, _("Remove the method %s of %s and "
		    "its secret."), method, user);
		need.required = job_bool(needed, "deactivate") &&
		    method_active(show, method);
		need.backup = true;
		return act_push(scr_prompt_new(ui, title, text, &need,
		    "deactivate", user, method, NULL));
	case KA_PRIMARY:
		snprintf(title, sizeof title, _("Make %s primary"), method);
		snprintf(text, sizeof text, _("Logins of %s will start with "
		    "%s. A code from %s proves it works first."), user, method,
		    method);
		need.required = job_bool(needed, "primary");
		return act_push(scr_prompt_new(ui, title, text, &need,
		    "primary", user, method, NULL));
	case KA_REQUEST:
		j = job_new(request_tag, "request-code", user, method, NULL);
		j->slow = true;
		j->what = _("sending a code");
		return act_run(j);
	default:
		return act_none();
	}
}

void
method_sent_msg(struct screen *sc, const struct ui_job *j)
{
	char	w[64];

	words_duration((long)job_num(j->out, "expires_in"), w, sizeof w);
	scr_msg(sc, ROLE_OK, _("A code went by %s to %s; it is valid for "
	    "%s."),
	    job_str(j->out, "method"), job_str(j->out, "sent_to"), w);
}

static struct ui_action
method_key(struct screen *sc, int key)
{
	struct scr_method	*s = (struct scr_method *)sc;
	enum key_act		 a = keys_lookup(sc->keys, key, false);

	switch (a) {
	case KA_DEACTIVATE:
	case KA_PRIMARY:
	case KA_REQUEST:
		return method_act(sc, s->show, s->user, s->name, a,
		    T_REQUEST);
	default:
		return scr_key_common(sc, a);
	}
}

static struct ui_action
method_enter(struct screen *sc)
{
	struct scr_method	*s = (struct scr_method *)sc;

	return act_run(job_new(T_SHOW, "user", "show", s->user, NULL));
}

/* The method named s->name in `user show`'s answer, or NULL. */
static const cJSON *
method_find(const struct scr_method *s, const cJSON *show)
{
	const cJSON	*m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(show,
	    "methods"))
		if (strcmp(job_str(m, "name"), s->name) == 0)
			return m;
	return NULL;
}

static struct ui_action
method_done(struct screen *sc, struct ui_job *j)
{
	struct scr_method	*s = (struct scr_method *)sc;
	struct ui		*ui = sc->ui;
	const cJSON		*m;

	if (j->tag == T_SHOW && j->rc == RD_NOT_FOUND) {
		/* The user went (another process): the detail below says
		   so too. */
		snprintf(ui->flash, sizeof ui->flash, "%s", j->err.msg);
		ui->flash_role = ROLE_WARN;
		return act_pop();
	}
	if (j->rc != RD_OK) {
		scr_msg_job(sc, j);
		return act_none();
	}
	if (j->tag == T_REQUEST) {
		method_sent_msg(sc, j);
		return method_enter(sc);
	}
	if ((m = method_find(s, j->out)) == NULL) {
		/* Deactivated or reset, here or elsewhere. */
		snprintf(ui->flash, sizeof ui->flash, _("%s no longer has the "
		    "method %s"), s->user, s->name);
		ui->flash_role = ROLE_OK;
		return act_pop();
	}
	cmd_result_free(s->m);
	cmd_result_free(s->show);
	s->show = j->out;
	j->out = NULL;
	if ((s->m = cJSON_Duplicate(m, 1)) == NULL)
		oom();
	return act_none();
}

static void
method_free(struct screen *sc)
{
	struct scr_method	*s = (struct scr_method *)sc;

	cmd_result_free(s->m);
	cmd_result_free(s->show);
	free(s->user);
	free(s->name);
	free(s);
}

static const struct screen_ops method_ops = {
	.name = N_("method detail"),
	.draw = method_draw,
	.key = method_key,
	.enter = method_enter,
	.done = method_done,
	.free = method_free,
};

struct screen *
scr_method_new(struct ui *ui, const char *user, const cJSON *show,
    const cJSON *method)
{
	struct scr_method	*s = xcalloc(1, sizeof *s);

	s->base.ops = &method_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_METHOD;
	s->user = xstrdup(user);
	s->name = xstrdup(job_str(method, "name"));
	if ((s->m = cJSON_Duplicate(method, 1)) == NULL ||
	    (s->show = cJSON_Duplicate(show, 1)) == NULL)
		oom();
	return &s->base;
}
