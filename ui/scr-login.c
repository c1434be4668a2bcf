/*
 * scr-login.c: the login tester: the two-step login as the user lives it.
 * Step one is `login USER` with the password (masked, through ctx->ask);
 * step two is `login-code TOKEN CODE --method M`, with Resend
 * (`request-code --token`), Switch method and Backup code (no --method:
 * any backup code).  Switch method opens a picker of the user's other
 * active methods that the config still has, and nothing is sent until
 * one is chosen (Esc leaves it without sending); a method that sends
 * codes then gets a fresh one.  The code step lists the other ways in.
 * What each method asks of the user, and its shown name, come with
 * login's answer.  Outcomes read as sentences in the core's words, and
 * the ephemeral token never leaves this screen's memory, which is wiped
 * when it is left.
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
	T_SWITCH,
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

#define PICK_MAX	32

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
	bool		 picking;	/* the Switch method picker is open */
	int		 pick[PICK_MAX], npick, psel;
	int		 want;		/* chosen, while its code is sent */
	char		 label[160];	/* of the code field */
	char		 info[1200];	/* where the code went */
	char		 result[1200];
};

static void
login_reset(struct scr_login *s)
{
	sodium_memzero(s->token, sizeof s->token);
	cmd_result_free(s->methods);
	s->methods = NULL;
	s->nmethods = s->cur = s->npick = 0;
	s->backup = s->picking = false;
	s->info[0] = s->result[0] = '\0';
	field_clear(&s->password);
	field_clear(&s->code);
	s->step = L_PASSWORD;
	s->focus = 1;
	s->base.typing = true;
	s->base.keys = KC_ALL | KC_FORM;
}

static const cJSON *
login_at(const struct scr_login *s, int i)
{
	return cJSON_GetArrayItem(s->methods, i);
}

/* Whether method i is still in the config (and so has its facts). */
static bool
login_usable(const struct scr_login *s, int i)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(login_at(s, i),
	    "in_config"));
}

static const char *
login_name(const struct scr_login *s, int i)
{
	return i < s->nmethods ? job_str(login_at(s, i), "name") : "";
}

/* The name a person knows method i by: its verbose_name, else its name. */
static const char *
login_shown(const struct scr_login *s, int i)
{
	const char	*v = NULL;

	if (login_usable(s, i))
		v = job_str(login_at(s, i), "verbose_name");
	return v != NULL && *v != '\0' ? v : login_name(s, i);
}

/* "what" as a sentence: a capital letter first and a full stop last. */
static void
login_sentence(char *buf, size_t size, const char *lead, const char *what)
{
	size_t	n;

	snprintf(buf, size, "%s%s", lead, what);
	if (lead[0] == '\0' && buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
	n = strlen(buf);
	if (n > 0 && n + 1 < size && strchr(".!?", buf[n - 1]) == NULL) {
		buf[n] = '.';
		buf[n + 1] = '\0';
	}
}

static const char *
login_button(int b)
{
	static const char *const names[B_COUNT] = { "", "Verify", "Resend",
	    "Switch method", "Backup code", "Start over" };

	return names[b];
}

/* "Or use: Authenticator app, SMS (outbox), a backup code". */
static void
login_others(const struct scr_login *s, char *buf, size_t size)
{
	size_t	n = 0;
	int	i;

	buf[0] = '\0';
	for (i = 0; i < s->nmethods; i++)
		if ((i != s->cur || s->backup) && login_usable(s, i) &&
		    n < size)
			n += (size_t)snprintf(buf + n, size - n, "%s%s",
			    n > 0 ? ", " : "Or use: ", login_shown(s, i));
	if (!s->backup && n < size)
		snprintf(buf + n, size - n, "%sa backup code", n > 0 ? ", " :
		    "Or use: ");
}

static void
login_draw_pick(struct scr_login *s, struct canvas *c, int y)
{
	const cJSON	*m;
	int		 i, w = c->cols - 4;
	bool		 sel;

	canvas_printf(c, 2, y++, CA_BOLD, "Switch from %s to:",
	    login_shown(s, s->cur));
	for (i = 0; i < s->npick && y < c->rows - 4; i++, y++) {
		m = login_at(s, s->pick[i]);
		sel = i == s->psel;
		if (sel)
			sel_bar(c, y);
		canvas_put(c, 3, y, sel ? ROLE_SEL | CA_BOLD : 0, 24,
		    login_shown(s, s->pick[i]));
		canvas_put(c, 28, y, sel ? ROLE_SEL : CA_DIM, w - 26,
		    job_bool(m, "sends_code") ? "Sends a code when chosen." :
		    job_str(m, "prompt"));
	}
	canvas_put(c, 2, y + 1, CA_DIM, w, "Enter chooses; Esc goes back and "
	    "sends nothing.");
}

static void
login_draw(struct screen *sc, struct canvas *c)
{
	struct scr_login	*s = (struct scr_login *)sc;
	char			 buf[400];
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
		canvas_printf(c, 2, 7, 0, "Method: %s%s", login_shown(s, s->cur),
		    s->cur == 0 ? " (primary)" : "");
	text_wrap(c, 2, 8, c->cols - 4, 2, 0, 0, s->info);
	if (s->picking) {
		login_draw_pick(s, c, 11);
		return;
	}
	if (s->step == L_CODE) {
		login_others(s, buf, sizeof buf);
		canvas_put(c, 2, 10, CA_DIM, c->cols - 4, buf);
		if (s->backup)
			snprintf(s->label, sizeof s->label, "Backup code");
		else
			snprintf(s->label, sizeof s->label, "Code from %s",
			    login_shown(s, s->cur));
		s->code.label = s->label;
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
		scr_msg(&s->base, ROLE_ERROR, "Type the user name first.");
		return act_none();
	}
	j = job_new(T_LOGIN, "login", s->user.buf, NULL);
	job_answer(j, "password", s->password.buf);
	field_clear(&s->password);
	j->slow = true;
	j->what = "checking the password";
	return act_run(j);
}

/* A fresh code through method i, for this login. */
static struct ui_action
login_send(struct scr_login *s, int tag, int i)
{
	struct ui_job	*j = job_new(tag, "request-code", "--token",
			    s->token, login_name(s, i), NULL);

	s->want = i;
	j->slow = true;
	j->what = "sending a code";
	return act_run(j);
}

/* What method i asks of the user when it sends nothing. */
static void
login_info(struct scr_login *s, int i)
{
	if (!login_usable(s, i))
		snprintf(s->info, sizeof s->info, "%s is no longer in the "
		    "configuration: switch method, or use a backup code.",
		    login_name(s, i));
	else if (!job_bool(login_at(s, i), "sends_code"))
		snprintf(s->info, sizeof s->info, "%s",
		    job_str(login_at(s, i), "prompt"));
}

static void
login_field(struct scr_login *s)
{
	s->focus = B_FIELD;
	s->base.typing = true;
	s->base.keys = KC_ALL | KC_FORM | KC_LOGIN;
}

/* Switch method: the others that can still be used, or why none. */
static struct ui_action
login_pick_open(struct scr_login *s)
{
	int	i;

	s->npick = 0;
	for (i = 0; i < s->nmethods && s->npick < PICK_MAX; i++)
		if (i != s->cur && login_usable(s, i))
			s->pick[s->npick++] = i;
	if (s->npick == 0) {
		scr_msg(&s->base, ROLE_WARN, "%s has no other active method: "
		    "a backup code is the other way in.", s->user.buf);
		return act_none();
	}
	s->base.msg[0] = '\0';
	s->picking = true;
	s->psel = 0;
	s->base.typing = false;
	s->base.keys = KC_ALL | KC_LIST;
	return act_none();
}

static struct ui_action
login_pick_key(struct scr_login *s, enum key_act a)
{
	int	i;

	switch (a) {
	case KA_UP:
	case KA_PREV_FIELD:
		s->psel = (s->psel + s->npick - 1) % s->npick;
		return act_none();
	case KA_DOWN:
	case KA_NEXT_FIELD:
		s->psel = (s->psel + 1) % s->npick;
		return act_none();
	case KA_BACK:
		/* Nothing was sent; the login goes on as it was. */
		s->picking = false;
		login_field(s);
		s->focus = B_SWITCH;
		s->base.typing = false;
		return act_none();
	case KA_ENTER:
		i = s->pick[s->psel];
		s->picking = false;
		login_field(s);
		if (job_bool(login_at(s, i), "sends_code"))
			return login_send(s, T_SWITCH, i);
		s->cur = i;
		s->backup = false;
		s->result[0] = '\0';
		login_info(s, i);
		return act_none();
	default:
		return scr_key_common(&s->base, a);
	}
}

static struct ui_action
login_button_press(struct scr_login *s)
{
	struct ui_job	*j;

	switch (s->focus) {
	case B_FIELD:
	case B_VERIFY:
		if (s->code.len == 0) {
			scr_msg(&s->base, ROLE_ERROR, "Type the code first.");
			return act_none();
		}
		j = job_new(T_CODE, "login-code", s->token, "-", NULL);
		if (!s->backup) {
			job_arg(j, "--method");
			job_arg(j, login_name(s, s->cur));
		}
		job_answer(j, "code", s->code.buf);
		field_clear(&s->code);
		j->slow = true;
		j->what = "checking the code";
		return act_run(j);
	case B_RESEND:
		if (!login_usable(s, s->cur) ||
		    !job_bool(login_at(s, s->cur), "sends_code")) {
			scr_msg(&s->base, ROLE_WARN, "Nothing to resend: %s "
			    "sends no codes.", login_shown(s, s->cur));
			return act_none();
		}
		return login_send(s, T_RESEND, s->cur);
	case B_SWITCH:
		return login_pick_open(s);
	case B_BACKUP:
		s->backup = true;
		snprintf(s->info, sizeof s->info, "Type one of the backup codes "
		    "that came with the first method.");
		login_field(s);
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

	if (s->picking)
		return login_pick_key(s, a);
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
	login_field(s);
	if (job_opt_str(out, "sent_to") != NULL)
		snprintf(s->info, sizeof s->info, "A code went to %s.",
		    job_opt_str(out, "sent_to"));
	else if (job_opt_str(out, "send_error") != NULL)
		login_sentence(s->info, sizeof s->info, "Sending a code failed: ",
		    job_opt_str(out, "send_error"));
	else
		login_info(s, 0);
}

/* "logged in as alice with a backup code" and the like. */
static void
login_ok(struct scr_login *s, const cJSON *out)
{
	const char	*used = job_str(out, "method_used");
	const char	*shown = used;
	int		 i;

	if (strcmp(used, "backup_codes") == 0)
		shown = "a backup code";
	for (i = 0; i < s->nmethods; i++)
		if (strcmp(used, login_name(s, i)) == 0)
			shown = login_shown(s, i);
	snprintf(s->result, sizeof s->result, "Logged in as %s with %s.",
	    job_str(out, "user"), shown);
}

static struct ui_action
login_done(struct screen *sc, struct ui_job *j)
{
	struct scr_login	*s = (struct scr_login *)sc;

	sc->msg[0] = '\0';
	if (j->rc != RD_OK) {
		/* The reason, in the core's words, stays on the screen. */
		login_sentence(s->result, sizeof s->result, j->tag == T_LOGIN ||
		    j->tag == T_CODE ? "Not logged in: " : "No code was sent: ",
		    j->err.msg);
		return act_none();
	}
	switch (j->tag) {
	case T_LOGIN:
		if (strcmp(job_str(j->out, "status"), "ok") == 0) {
			s->step = L_DONE;
			sc->typing = false;
			snprintf(s->result, sizeof s->result, "Logged in as %s "
			    "with the password only: the user has no active "
			    "method.", job_str(j->out, "user"));
			return act_none();
		}
		login_took(s, j->out);
		break;
	case T_SWITCH:
	case T_RESEND:
		s->cur = s->want;
		s->backup = false;
		s->result[0] = '\0';
		snprintf(s->info, sizeof s->info, "A code went by %s to %s.",
		    login_shown(s, s->cur), job_str(j->out, "sent_to"));
		break;
	case T_CODE:
		login_ok(s, j->out);
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
