/*
 * scr-user.c: one user as the operator sees them (`user show`): e-mail
 * and phone whole, whether a password is set, the lock, backup codes
 * left, and the methods with handler, state and the primary mark.  Keys
 * act on the user or the selected method; each leads to a command, a
 * dialog for the code that command may need, or another screen (Enter:
 * the method's detail, or its enrolment while pending).  n renames the
 * user in a field on this screen, which then goes on under the new name.
 * What is allowed is the core's to say: a refusal is shown as it comes
 * back.
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
	T_UNLOCK,
	T_RENAME,
};

struct scr_user {
	struct screen	 base;
	char		*name;
	cJSON		*show;		/* `user show`; NULL until loaded */
	struct listpos	 pos;
	bool		 renaming;	/* the new name's field has the focus */
	struct field	 newname;
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

/* user show's code_needed: which steps need a code now. */
static const cJSON *
user_needed(const struct scr_user *s)
{
	return cJSON_GetObjectItemCaseSensitive(s->show, "code_needed");
}

static bool
user_active(const struct scr_user *s)
{
	const cJSON	*m;

	cJSON_ArrayForEach(m, user_methods(s))
		if (strcmp(job_str(m, "state"), "active") == 0)
			return true;
	return false;
}

/* The labels of the lines, for the width of their column. */
static const char *const user_labels[] = { N_("User"), N_("Active"),
    N_("E-mail"), N_("Phone"), N_("Password"), N_("Lock"),
    N_("Backup codes left") };

static void
user_line(struct canvas *c, int y, const char *label, unsigned attr,
    const char *value)
{
	size_t	i;
	int	lw = 20;

	/* 20 columns, or the longest translated label and two more. */
	for (i = 0; i < sizeof user_labels / sizeof user_labels[0]; i++)
		if (canvas_width(_(user_labels[i])) + 2 > lw)
			lw = canvas_width(_(user_labels[i])) + 2;
	canvas_put(c, 2, y, CA_BOLD, lw, _(label));
	canvas_put(c, 2 + lw, y, attr, c->cols - 4 - lw, value);
}

/* A method's state as the operator reads it. */
static const char *
user_state_word(const char *state)
{
	if (strcmp(state, "active") == 0)
		return _("active");
	if (strcmp(state, "pending") == 0)
		return _("pending");
	return state;
}

/*
 * "Locked for 55 seconds (3 failed tries; u unlocks)", "not locked (1
 * failed try)", "not locked": no count of nothing.
 */
static void
user_lock_words(const cJSON *show, char *buf, size_t size)
{
	char	tries[48] = "", span[32];
	long	n = (long)job_num(show, "failures");

	if (n > 0)
		snprintf(tries, sizeof tries, ngettext("%ld failed try",
		    "%ld failed tries", (unsigned long)n), n);
	if (job_bool(show, "locked")) {
		words_duration((long)job_num(show, "locked_for"), span,
		    sizeof span);
		if (n > 0)
			snprintf(buf, size, _("Locked for %s (%s; u unlocks)"),
			    span, tries);
		else
			snprintf(buf, size, _("Locked for %s (u unlocks)"),
			    span);
	} else if (n > 0)
		snprintf(buf, size, _("not locked (%s)"), tries);
	else
		snprintf(buf, size, "%s", _("not locked"));
}

static void
user_draw(struct screen *sc, struct canvas *c)
{
	struct scr_user	*s = (struct scr_user *)sc;
	const cJSON	*m;
	char		 t[160], buf[128];
	int		 i, y, rows;
	bool		 sel;

	snprintf(t, sizeof t, _("User %s"), s->name);
	frame_draw(sc, c, t);
	if (s->show == NULL)
		return;
	user_line(c, 2, "User", 0, job_str(s->show, "user"));
	user_line(c, 3, "Active", job_bool(s->show, "active") ? 0 :
	    ROLE_WARN, job_bool(s->show, "active") ? _("yes") :
	    _("no (cannot log in)"));
	user_line(c, 4, "E-mail", 0, *job_str(s->show, "email") ?
	    job_str(s->show, "email") : "-");
	user_line(c, 5, "Phone", 0, *job_str(s->show, "phone") ?
	    job_str(s->show, "phone") : "-");
	user_line(c, 6, "Password", 0, job_bool(s->show, "password") ?
	    _("set") : _("none (login tester needs one: e to set it)"));
	user_lock_words(s->show, buf, sizeof buf);
	user_line(c, 7, "Lock", job_bool(s->show, "locked") ? ROLE_ERROR |
	    CA_BOLD : 0, buf);
	snprintf(buf, sizeof buf, "%.0f", job_num(s->show,
	    "backup_codes_left"));
	user_line(c, 8, "Backup codes left", 0, buf);
	if (s->renaming)
		field_draw(c, 2, 9, c->cols - 4, 20, &s->newname, true);
	canvas_fill(c, 2, 10, 55, 1, ' ', CA_BOLD | CA_UNDERLINE);
	canvas_put(c, 2, 10, CA_BOLD | CA_UNDERLINE, 19, _("Method"));
	canvas_put(c, 22, 10, CA_BOLD | CA_UNDERLINE, 15, _("Handler"));
	canvas_put(c, 38, 10, CA_BOLD | CA_UNDERLINE, 9, _("State"));
	canvas_put(c, 48, 10, CA_BOLD | CA_UNDERLINE, 9, _("Primary"));
	rows = frame_body(c) - 10;
	if (cJSON_GetArraySize(user_methods(s)) == 0) {
		canvas_put(c, 2, 11, CA_DIM, -1, _("no methods: press a to "
		    "activate one"));
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
		    user_state_word(job_str(m, "state")));
		canvas_put(c, 48, y, sel ? ROLE_SEL | CA_BOLD : CA_BOLD, -1,
		    job_bool(m, "primary") ? _("primary") : "");
	}
}

static struct ui_action
user_method_key(struct scr_user *s, enum key_act a, const char *method)
{
	const cJSON	*m = cJSON_GetArrayItem(user_methods(s), s->pos.sel);

	if (method == NULL) {
		scr_msg(&s->base, ROLE_WARN, _("no method selected: a "
		    "activates one"));
		return act_none();
	}
	if (a != KA_ENTER)
		return method_act(&s->base, s->show, s->name, method, a,
		    T_REQUEST);
	/* A pending method goes on where the enrolment stood. */
	if (strcmp(job_str(m, "state"), "pending") == 0)
		return act_push(scr_enrol_resume(s->base.ui, s->name, m));
	return act_push(scr_method_new(s->base.ui, s->name, s->show, m));
}

/* n: the field for the new name, with what it takes on the status line. */
static struct ui_action
user_rename_start(struct scr_user *s)
{
	s->renaming = true;
	s->base.typing = true;
	s->newname.label = _("New name");
	field_clear(&s->newname);
	scr_msg(&s->base, 0, _("A new name for %s: no spaces or ':'. "
	    "Enter renames, Esc keeps the name."), s->name);
	return act_none();
}

static void
user_rename_stop(struct scr_user *s)
{
	s->renaming = false;
	s->base.typing = false;
	field_clear(&s->newname);
}

static struct ui_action
user_rename_key(struct scr_user *s, int key)
{
	struct ui_job	*j;

	if (field_key(&s->newname, key))
		return act_none();
	switch (keys_lookup(s->base.keys, key, true)) {
	case KA_BACK:
		user_rename_stop(s);
		scr_msg(&s->base, 0, _("the name stays %s"), s->name);
		return act_none();
	case KA_ENTER:
		if (s->newname.len == 0) {
			scr_msg(&s->base, ROLE_ERROR, _("type the new name "
			    "first (Esc keeps %s)"), s->name);
			return act_none();
		}
		j = job_new(T_RENAME, "user", "rename", s->name,
		    s->newname.buf, NULL);
		return act_run(j);
	case KA_HELP:
		return scr_key_common(&s->base, KA_HELP);
	default:
		return act_none();
	}
}

static struct ui_action
user_key(struct screen *sc, int key)
{
	struct scr_user	*s = (struct scr_user *)sc;
	enum key_act	 a;
	char		 text[400], title[160], done[200];

	if (s->renaming)
		return user_rename_key(s, key);
	a = keys_lookup(sc->keys, key, sc->typing);
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
	case KA_ENTER:
		return user_method_key(s, a, user_method(s));
	case KA_RENAME:
		return user_rename_start(s);
	case KA_BACKUP: {
		struct prompt_need	need = { .show = s->show, .backup = true };

		if (s->show == NULL)
			return act_none();
		/* Said before asking for anything, not refused after. */
		if (!job_bool(s->show, "backup_codes_renewable")) {
			if (user_active(s))
				scr_msg(sc, ROLE_WARN, _("New backup codes "
				    "are turned off in the configuration."));
			else
				scr_msg(sc, ROLE_WARN, _("%s has no active "
				    "method yet: backup codes come with the "
				    "first one."),
				    s->name);
			return act_none();
		}
		need.required = job_bool(user_needed(s), "backup_codes");
		snprintf(text, sizeof text, _("A new set of backup codes for "
		    "%s; the old ones stop working."), s->name);
		return act_push(scr_prompt_new(sc->ui, _("New backup codes"), text,
		    &need, "backup-codes", s->name, NULL));
	}
	case KA_LOGIN:
		return act_push(scr_login_new(sc->ui, s->name));
	case KA_UNLOCK:
		return act_run(job_new(T_UNLOCK, "user", "unlock", s->name,
		    NULL));
	case KA_EDIT:
		return act_push(scr_useredit_new(sc->ui, s->name, s->show));
	case KA_DELETE_USER:
		snprintf(title, sizeof title, _("Delete %s"), s->name);
		snprintf(text, sizeof text, _("Delete the user %s with "
		    "every method, backup code and code on its way. The audit "
		    "log keeps what happened. This cannot be undone."),
		    s->name);
		snprintf(done, sizeof done, _("%s was deleted."), s->name);
		return act_push(scr_confirm_new(sc->ui, title, text, title,
		    done, "user", "del", s->name, NULL));
	case KA_RESET_USER:
		snprintf(title, sizeof title, _("Reset %s"), s->name);
		snprintf(text, sizeof text, _("For a lost phone or key: "
		    "remove every method of %s and the backup codes, so that "
		    "%s can enrol again without a code from the lost device. "
		    "The password stays. The audit log records the reset."),
		    s->name, s->name);
		snprintf(done, sizeof done, _("%s has no methods now: a "
		    "activates a new one."), s->name);
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
	if (j->rc != RD_OK && j->tag == T_RENAME) {
		/* The core's words (a taken name, what a name may hold);
		   the field stays for another try. */
		scr_msg(sc, ROLE_ERROR | CA_BOLD, _("not renamed: %s"),
		    j->err.msg);
		return act_none();
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
		method_sent_msg(sc, j);
		break;
	case T_RENAME:
		scr_msg(sc, ROLE_OK, _("%s is now called %s"), s->name,
		    s->newname.buf);
		free(s->name);
		s->name = xstrdup(s->newname.buf);
		user_rename_stop(s);
		break;
	case T_UNLOCK:
		scr_msg(sc, ROLE_OK, _("%s is unlocked; failures cleared"),
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
	field_clear(&s->newname);
	free(s->name);
	free(s);
}

static const struct screen_ops user_ops = {
	.name = N_("user detail"),
	.draw = user_draw,
	.key = user_key,
	.enter = user_enter,
	/* Another operator's change to this user shows without a key. */
	.changed = user_enter,
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
