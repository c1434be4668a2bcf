/*
 * scr-user.c: one user as the operator sees them (`user show`): e-mail
 * and phone whole, whether a password is set, the lock, backup codes
 * left, and the methods with handler, state and the primary mark.  Keys
 * act on the user or the selected method; each leads to a command, a
 * dialog for the code that command may need, or another screen.  What
 * is allowed is the core's to say: a refusal is shown as it comes back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/util.h"
#include "screen.h"
#include "widget.h"

enum {
	T_SHOW,
	T_REQUEST,
	T_UNLOCK,
};

struct scr_user {
	struct screen	 base;
	char		*name;
	cJSON		*show;		/* `user show`; NULL until loaded */
	struct listpos	 pos;
};

static const cJSON *
user_methods(const struct scr_user *s)
{
	return cJSON_GetObjectItemCaseSensitive(s->show, "methods");
}

/* The selected method's name, or NULL. */
static const char *
user_method(const struct scr_user *s)
{
	const cJSON	*m = cJSON_GetArrayItem(user_methods(s), s->pos.sel);

	return m != NULL ? job_str(m, "name") : NULL;
}

static void
user_line(struct canvas *c, int y, const char *label, unsigned attr,
    const char *value)
{
	canvas_put(c, 2, y, CA_BOLD, 20, label);
	canvas_put(c, 22, y, attr, c->cols - 24, value);
}

static void
user_draw(struct screen *sc, struct canvas *c)
{
	struct scr_user	*s = (struct scr_user *)sc;
	const cJSON	*m;
	char		 t[160], buf[128];
	int		 i, y, rows;
	bool		 sel;

	snprintf(t, sizeof t, "User %s", s->name);
	frame_draw(sc, c, t);
	if (s->show == NULL)
		return;
	user_line(c, 2, "User", 0, job_str(s->show, "user"));
	user_line(c, 3, "Active", job_bool(s->show, "active") ? 0 :
	    ROLE_WARN, job_bool(s->show, "active") ? "yes" :
	    "no (cannot log in)");
	user_line(c, 4, "E-mail", 0, *job_str(s->show, "email") ?
	    job_str(s->show, "email") : "-");
	user_line(c, 5, "Phone", 0, *job_str(s->show, "phone") ?
	    job_str(s->show, "phone") : "-");
	user_line(c, 6, "Password", 0, job_bool(s->show, "password") ? "set" :
	    "none (login tester needs one: e to set it)");
	if (job_bool(s->show, "locked"))
		snprintf(buf, sizeof buf, "LOCKED for %.0f s (%.0f failures; "
		    "u unlocks)", job_num(s->show, "locked_for"),
		    job_num(s->show, "failures"));
	else
		snprintf(buf, sizeof buf, "not locked (%.0f failures)",
		    job_num(s->show, "failures"));
	user_line(c, 7, "Lock", job_bool(s->show, "locked") ? ROLE_ERROR |
	    CA_BOLD : 0, buf);
	snprintf(buf, sizeof buf, "%.0f", job_num(s->show,
	    "backup_codes_left"));
	user_line(c, 8, "Backup codes left", 0, buf);
	canvas_printf(c, 2, 10, CA_BOLD | CA_UNDERLINE, "%-20s%-16s%-10s%-9s",
	    "Method", "Handler", "State", "Primary");
	rows = frame_body(c) - 10;
	if (cJSON_GetArraySize(user_methods(s)) == 0) {
		canvas_put(c, 2, 11, CA_DIM, -1, "no methods: press a to "
		    "activate one");
		return;
	}
	list_fit(&s->pos, cJSON_GetArraySize(user_methods(s)), rows);
	i = 0;
	cJSON_ArrayForEach(m, user_methods(s)) {
		y = 11 + i - s->pos.top;
		sel = i++ == s->pos.sel;
		if (y < 11 || y >= 11 + rows)
			continue;
		if (sel)
			sel_bar(c, y);
		canvas_put(c, 2, y, sel ? ROLE_SEL | CA_BOLD : 0, 19,
		    job_str(m, "name"));
		canvas_put(c, 22, y, sel ? ROLE_SEL : 0, 15,
		    job_str(m, "handler"));
		canvas_put(c, 38, y, sel ? ROLE_SEL : strcmp(job_str(m,
		    "state"), "active") == 0 ? ROLE_OK : ROLE_WARN, 9,
		    job_str(m, "state"));
		canvas_put(c, 48, y, sel ? ROLE_SEL | CA_BOLD : CA_BOLD, -1,
		    job_bool(m, "primary") ? "primary" : "");
	}
}

static struct ui_action
user_method_key(struct scr_user *s, enum key_act a, const char *method)
{
	struct ui		*ui = s->base.ui;
	struct ui_job		*j;
	char			 title[160], text[400];

	if (method == NULL) {
		scr_msg(&s->base, ROLE_WARN, "no method selected: a activates "
		    "one");
		return act_none();
	}
	switch (a) {
	case KA_DEACTIVATE:
		snprintf(title, sizeof title, "Deactivate %s", method);
		snprintf(text, sizeof text, "Remove the method %s of %s and its "
		    "secret. If the core asks for a code from it (or a backup "
		    "code), type it here; else leave the field empty.", method,
		    s->name);
		return act_push(scr_prompt_new(ui, title, text, false,
		    "deactivate", s->name, method, NULL));
	case KA_PRIMARY:
		snprintf(title, sizeof title, "Make %s primary", method);
		snprintf(text, sizeof text, "Logins of %s will start with %s. "
		    "A code from %s proves it works first.", s->name, method,
		    method);
		return act_push(scr_prompt_new(ui, title, text, true,
		    "primary", s->name, method, NULL));
	case KA_REQUEST:
		j = job_new(T_REQUEST, "request-code", s->name, method, NULL);
		j->slow = true;
		j->what = "sending a code";
		return act_run(j);
	case KA_ENTER:
		/* A pending method: go on where the enrolment stood. */
		return act_push(scr_enrol_resume(ui, s->name,
		    cJSON_GetArrayItem(user_methods(s), s->pos.sel)));
	default:
		return act_none();
	}
}

static struct ui_action
user_key(struct screen *sc, int key)
{
	struct scr_user	*s = (struct scr_user *)sc;
	enum key_act	 a = keys_lookup(sc->keys, key, sc->typing);
	char		 text[400], title[160], done[200];

	/* The methods' rows: the body less the user's lines above. */
	if (list_move(&s->pos, a, cJSON_GetArraySize(user_methods(s)),
	    sc->ui->rows - 13))
		return act_none();
	switch (a) {
	case KA_ACTIVATE:
		return act_push(scr_pick_new(sc->ui, s->name));
	case KA_DEACTIVATE:
	case KA_PRIMARY:
	case KA_REQUEST:
		return user_method_key(s, a, user_method(s));
	case KA_ENTER: {
		const cJSON	*m = cJSON_GetArrayItem(user_methods(s),
				    s->pos.sel);

		if (m != NULL && strcmp(job_str(m, "state"), "pending") == 0)
			return user_method_key(s, a, user_method(s));
		return act_none();
	}
	case KA_BACKUP:
		snprintf(text, sizeof text, "A new set of backup codes for %s; "
		    "the old ones stop working. If the core asks for a code "
		    "from an active method, type it here.", s->name);
		return act_push(scr_prompt_new(sc->ui, "New backup codes", text,
		    false, "backup-codes", s->name, NULL));
	case KA_LOGIN:
		return act_push(scr_login_new(sc->ui, s->name));
	case KA_UNLOCK:
		return act_run(job_new(T_UNLOCK, "user", "unlock", s->name,
		    NULL));
	case KA_EDIT:
		return act_push(scr_useredit_new(sc->ui, s->name, s->show));
	case KA_DELETE_USER:
		snprintf(title, sizeof title, "Delete %s", s->name);
		snprintf(text, sizeof text, "Delete the user %s with every "
		    "method, backup code and code on its way. The audit log "
		    "keeps what happened. This cannot be undone.", s->name);
		snprintf(done, sizeof done, "%s was deleted.", s->name);
		return act_push(scr_confirm_new(sc->ui, title, text, title,
		    done, "user", "del", s->name, NULL));
	case KA_RESET_USER:
		snprintf(title, sizeof title, "Reset %s", s->name);
		snprintf(text, sizeof text, "For a lost phone or key: remove "
		    "every method of %s and the backup codes, so that %s can "
		    "enrol again without a code from the lost device. The "
		    "password stays. The audit log records the reset.",
		    s->name, s->name);
		snprintf(done, sizeof done, "%s has no methods now: a "
		    "activates a new one.", s->name);
		return act_push(scr_confirm_new(sc->ui, title, text, title,
		    done, "user", "reset", s->name, NULL));
	default:
		return scr_key_common(sc, a);
	}
}

static struct ui_action
user_enter(struct screen *sc)
{
	struct scr_user	*s = (struct scr_user *)sc;

	return act_run(job_new(T_SHOW, "user", "show", s->name, NULL));
}

static struct ui_action
user_done(struct screen *sc, struct ui_job *j)
{
	struct scr_user	*s = (struct scr_user *)sc;

	if (j->tag == T_SHOW && j->rc == RD_NOT_FOUND && s->show != NULL) {
		/* Deleted (here or by another process): back to the list,
		   with the news. */
		snprintf(sc->ui->flash, sizeof sc->ui->flash, "%s",
		    sc->msg[0] != '\0' ? sc->msg : j->err.msg);
		sc->ui->flash_role = ROLE_OK;
		return act_pop();
	}
	if (j->rc != RD_OK) {
		scr_msg_job(sc, j);
		return act_none();
	}
	switch (j->tag) {
	case T_SHOW:
		cmd_result_free(s->show);
		s->show = j->out;
		j->out = NULL;
		return act_none();
	case T_REQUEST:
		scr_msg(sc, ROLE_OK, "code sent via %s to %s (valid %.0f s)",
		    job_str(j->out, "method"), job_str(j->out, "sent_to"),
		    job_num(j->out, "expires_in"));
		break;
	case T_UNLOCK:
		scr_msg(sc, ROLE_OK, "%s is unlocked; failures cleared",
		    s->name);
		break;
	default:
		break;
	}
	return user_enter(sc);
}

static void
user_free(struct screen *sc)
{
	struct scr_user	*s = (struct scr_user *)sc;

	cmd_result_free(s->show);
	free(s->name);
	free(s);
}

static const struct screen_ops user_ops = {
	.name = "user detail",
	.draw = user_draw,
	.key = user_key,
	.enter = user_enter,
	.done = user_done,
	.free = user_free,
};

struct screen *
scr_user_new(struct ui *ui, const char *name)
{
	struct scr_user	*s = xcalloc(1, sizeof *s);

	s->base.ops = &user_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_LIST | KC_USER;
	s->name = xstrdup(name);
	return &s->base;
}
