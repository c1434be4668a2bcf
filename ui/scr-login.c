/*
 * scr-login.c: the login tester: the two-step login as the user lives it.
 * Step one is `login USER` with the password (masked, through ctx->ask);
 * step two is `login-code TOKEN CODE --method M`, with Resend
 * (`request-code --token`), Switch method (the next active one; a channel
 * gets a fresh code) and Backup code (no --method: any backup code).
 * What each method asks of the user comes with login's answer.
 * Every refusal is shown with the core's reason, and the ephemeral token
 * never leaves this screen's memory, which is wiped when it is left.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../src/util.h"
#include "screen.h"
#include "widget.h"

enum {
	T_LOGIN,
	T_CODE,
	T_RESEND,
};

enum login_step {
	L_PASSWORD,
	L_CODE,
	L_DONE,
};

enum {
	B_FIELD,
	B_VERIFY,
	B_RESEND,
	B_SWITCH,
	B_BACKUP,
	B_RESTART,
	B_COUNT
};

struct scr_login {
	struct screen	 base;
	enum login_step	 step;
	struct field	 user;
	struct field	 password;
	struct field	 code;
	int		 focus;		/* step 1: 0 user, 1 password */
	char		 token[128];
	cJSON		*methods;	/* login's, primary first */
	int		 nmethods, cur;
	bool		 backup;	/* a backup code is being typed */
	char		 info[1200];	/* where the code went */
	char		 result[1200];
};

static void
login_reset(struct scr_login *s)
{
	sodium_memzero(s->token, sizeof s->token);
	cmd_result_free(s->methods);
	s->methods = NULL;
	s->nmethods = s->cur = 0;
	s->backup = false;
	s->info[0] = s->result[0] = '\0';
	field_clear(&s->password);
	field_clear(&s->code);
	s->step = L_PASSWORD;
	s->focus = 1;
	s->base.typing = true;
	s->base.keys = KC_ALL | KC_FORM;
}

static const cJSON *
login_current(const struct scr_login *s)
{
	return cJSON_GetArrayItem(s->methods, s->cur);
}

static const char *
login_method(const struct scr_login *s)
{
	return s->nmethods > 0 ? job_str(login_current(s), "name") : "";
}

static const char *
login_button(int b)
{
	static const char *const names[B_COUNT] = { "", "Verify", "Resend",
	    "Switch method", "Backup code", "Start over" };

	return names[b];
}

static void
login_draw(struct screen *sc, struct canvas *c)
{
	struct scr_login	*s = (struct scr_login *)sc;
	int			 b, x, w = c->cols - 4 > 60 ? 60 : c->cols - 4;

	frame_draw(sc, c, "Login tester");
	text_wrap(c, 2, 1, c->cols - 4, 2, 0, CA_DIM, "A real login, as the "
	    "user would do it: failures count towards the lockout and go to "
	    "the audit log.");
	field_draw(c, 2, 3, w, 10, &s->user, s->step == L_PASSWORD &&
	    s->focus == 0);
	field_draw(c, 2, 4, w, 10, &s->password, s->step == L_PASSWORD &&
	    s->focus == 1);
	if (s->step == L_PASSWORD) {
		if (s->result[0] != '\0')
			text_wrap(c, 2, 6, c->cols - 4, 3, 0, ROLE_ERROR |
			    CA_BOLD, s->result);
		return;
	}
	canvas_put(c, 2, 6, CA_BOLD, -1, "Step 2: a second factor");
	if (s->backup)
		canvas_put(c, 2, 7, 0, c->cols - 4, "Using a backup code "
		    "(any unused one of the user's set).");
	else
		canvas_printf(c, 2, 7, 0, "Method: %s%s", login_method(s),
		    s->cur == 0 ? " (primary)" : "");
	text_wrap(c, 2, 8, c->cols - 4, 2, 0, 0, s->info);
	if (s->step == L_CODE) {
		s->code.label = s->backup ? "Backup code" : "Code";
		field_draw(c, 2, 11, w, 12, &s->code, s->focus == B_FIELD);
		x = 2;
		for (b = B_VERIFY; b < B_COUNT; b++)
			x += button_draw(c, x, 13, login_button(b),
			    s->focus == b) + 1;
	}
	if (s->result[0] != '\0')
		text_wrap(c, 2, 15, c->cols - 4, 3, 0, s->step == L_DONE ?
		    ROLE_OK | CA_BOLD : ROLE_ERROR | CA_BOLD, s->result);
	if (s->step == L_DONE)
		canvas_put(c, 2, 18, CA_DIM, -1, "Enter: log in again");
}

static struct ui_action
login_start(struct scr_login *s)
{
	struct ui_job	*j;

	if (s->user.len == 0) {
		scr_msg(&s->base, ROLE_ERROR, "type the user name first");
		return act_none();
	}
	j = job_new(T_LOGIN, "login", s->user.buf, NULL);
	job_answer(j, "password", s->password.buf);
	field_clear(&s->password);
	j->slow = true;
	j->what = "checking the password";
	return act_run(j);
}

static struct ui_action
login_send(struct scr_login *s)
{
	struct ui_job	*j = job_new(T_RESEND, "request-code", "--token",
			    s->token, login_method(s), NULL);

	j->slow = true;
	j->what = "sending a code";
	return act_run(j);
}

/* What a method that sends nothing asks of the user. */
static void
login_info(struct scr_login *s)
{
	const cJSON	*m = login_current(s);

	if (m != NULL && !job_bool(m, "sends_code"))
		snprintf(s->info, sizeof s->info, "%s", job_str(m, "prompt"));
}

static struct ui_action
login_button_press(struct scr_login *s)
{
	struct ui_job	*j;

	switch (s->focus) {
	case B_FIELD:
	case B_VERIFY:
		if (s->code.len == 0) {
			scr_msg(&s->base, ROLE_ERROR, "type the code first");
			return act_none();
		}
		j = job_new(T_CODE, "login-code", s->token, "-", NULL);
		if (!s->backup) {
			job_arg(j, "--method");
			job_arg(j, login_method(s));
		}
		job_answer(j, "code", s->code.buf);
		field_clear(&s->code);
		j->slow = true;
		j->what = "checking the code";
		return act_run(j);
	case B_RESEND:
		s->backup = false;
		return login_send(s);
	case B_SWITCH:
		s->backup = false;
		if (s->nmethods < 2) {
			scr_msg(&s->base, ROLE_WARN, "%s has one active method "
			    "only", s->user.buf);
			return act_none();
		}
		s->cur = (s->cur + 1) % s->nmethods;
		s->info[0] = '\0';
		login_info(s);
		if (s->info[0] != '\0')
			return act_none();
		return login_send(s);
	case B_BACKUP:
		s->backup = true;
		snprintf(s->info, sizeof s->info, "Type one of the backup codes "
		    "that came with the first method.");
		s->focus = B_FIELD;
		s->base.typing = true;
		return act_none();
	default:
		login_reset(s);
		return act_none();
	}
}

static struct ui_action
login_key(struct screen *sc, int key)
{
	struct scr_login	*s = (struct scr_login *)sc;
	enum key_act		 a = keys_lookup(sc->keys, key, sc->typing);
	struct field		*f = NULL;

	if (s->step == L_PASSWORD)
		f = s->focus == 0 ? &s->user : &s->password;
	else if (s->step == L_CODE && s->focus == B_FIELD)
		f = &s->code;
	if (f != NULL && field_key(f, key))
		return act_none();
	switch (a) {
	case KA_NEXT_FIELD:
	case KA_PREV_FIELD:
		if (s->step == L_PASSWORD)
			s->focus = !s->focus;
		else if (s->step == L_CODE)
			s->focus = (s->focus + (a == KA_NEXT_FIELD ? 1 :
			    B_COUNT - 1)) % B_COUNT;
		sc->typing = s->step == L_PASSWORD || s->focus == B_FIELD;
		return act_none();
	case KA_ENTER:
		if (s->step == L_PASSWORD)
			return login_start(s);
		if (s->step == L_DONE) {
			login_reset(s);
			return act_none();
		}
		return login_button_press(s);
	default:
		return scr_key_common(sc, a);
	}
}

static void
login_took(struct scr_login *s, cJSON *out)
{
	login_reset(s);
	snprintf(s->token, sizeof s->token, "%s", job_str(out,
	    "ephemeral_token"));
	s->methods = cJSON_DetachItemFromObjectCaseSensitive(out, "methods");
	s->nmethods = cJSON_GetArraySize(s->methods);
	s->step = L_CODE;
	s->focus = B_FIELD;
	s->base.keys = KC_ALL | KC_FORM | KC_LOGIN;
	if (job_opt_str(out, "sent_to") != NULL)
		snprintf(s->info, sizeof s->info, "A code went to %s.",
		    job_opt_str(out, "sent_to"));
	else if (job_opt_str(out, "send_error") != NULL)
		snprintf(s->info, sizeof s->info, "Sending a code failed: %s. "
		    "Resend, or switch method.", job_opt_str(out,
		    "send_error"));
	else
		login_info(s);
}

static struct ui_action
login_done(struct screen *sc, struct ui_job *j)
{
	struct scr_login	*s = (struct scr_login *)sc;

	sc->msg[0] = '\0';
	if (j->rc != RD_OK) {
		/* The reason, as the core gives it, stays on the screen. */
		snprintf(s->result, sizeof s->result, "refused (%s): %s",
		    rd_code_name(j->rc), j->err.msg);
		return act_none();
	}
	switch (j->tag) {
	case T_LOGIN:
		if (strcmp(job_str(j->out, "status"), "ok") == 0) {
			s->step = L_DONE;
			sc->typing = false;
			snprintf(s->result, sizeof s->result, "logged in as %s "
			    "with the password only: the user has no active "
			    "method", job_str(j->out, "user"));
			return act_none();
		}
		login_took(s, j->out);
		break;
	case T_RESEND:
		s->result[0] = '\0';
		snprintf(s->info, sizeof s->info, "A code went by %s to %s.",
		    job_str(j->out, "method"), job_str(j->out, "sent_to"));
		break;
	case T_CODE:
		snprintf(s->result, sizeof s->result, "logged in as %s with %s",
		    job_str(j->out, "user"), job_str(j->out, "method_used"));
		sodium_memzero(s->token, sizeof s->token);
		s->step = L_DONE;
		sc->typing = false;
		break;
	default:
		break;
	}
	return act_none();
}

static void
login_free(struct screen *sc)
{
	struct scr_login	*s = (struct scr_login *)sc;

	login_reset(s);
	field_clear(&s->user);
	free(s);
}

static const struct screen_ops login_ops = {
	.name = "login tester",
	.draw = login_draw,
	.key = login_key,
	.done = login_done,
	.free = login_free,
};

struct screen *
scr_login_new(struct ui *ui, const char *user)
{
	struct scr_login	*s = xcalloc(1, sizeof *s);

	s->base.ops = &login_ops;
	s->base.ui = ui;
	s->base.secret = true;
	s->user.label = "User";
	s->password.label = "Password";
	s->password.masked = true;
	s->code.label = "Code";
	login_reset(s);
	field_set(&s->user, user);
	return &s->base;
}
