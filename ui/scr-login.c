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
 * when it is left.  Drawing is in scr-login-draw.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "scr-login.h"

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

const cJSON *
login_at(const struct scr_login *s, int i)
{
	return cJSON_GetArrayItem(s->methods, i);
}

/* Whether method i is still in the config (and so has its facts). */
bool
login_usable(const struct scr_login *s, int i)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(login_at(s, i),
	    "in_config"));
}

const char *
login_name(const struct scr_login *s, int i)
{
	return i < s->nmethods ? job_str(login_at(s, i), "name") : "";
}

/* The name a person knows method i by: its verbose_name, else its name. */
const char *
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

static struct ui_action
login_start(struct scr_login *s)
{
	struct ui_job	*j;

	if (s->user.len == 0) {
		scr_msg(&s->base, ROLE_ERROR, _("Type the user name first."));
		return act_none();
	}
	j = job_new(T_LOGIN, "login", s->user.buf, NULL);
	job_answer(j, "password", s->password.buf);
	field_clear(&s->password);
	j->slow = true;
	j->what = _("checking the password");
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
	j->what = _("sending a code");
	return act_run(j);
}

/* What method i asks of the user when it sends nothing. */
static void
login_info(struct scr_login *s, int i)
{
	if (!login_usable(s, i))
		snprintf(s->info, sizeof s->info, _("%s is no longer in the "
		    "configuration: switch method, or use a backup code."),
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
		scr_msg(&s->base, ROLE_WARN, _("%s has no other active "
		    "method: a backup code is the other way in."),
		    s->user.buf);
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
			scr_msg(&s->base, ROLE_ERROR, _("Type the code first."));
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
		j->what = _("checking the code");
		return act_run(j);
	case B_RESEND:
		if (!login_usable(s, s->cur) ||
		    !job_bool(login_at(s, s->cur), "sends_code")) {
			scr_msg(&s->base, ROLE_WARN, _("Nothing to resend: "
			    "%s sends no codes."), login_shown(s, s->cur));
			return act_none();
		}
		return login_send(s, T_RESEND, s->cur);
	case B_SWITCH:
		return login_pick_open(s);
	case B_BACKUP:
		s->backup = true;
		snprintf(s->info, sizeof s->info, "%s", _("Type one of the "
		    "backup codes that came with the first method."));
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
		snprintf(s->info, sizeof s->info, _("A code went to %s."),
		    job_opt_str(out, "sent_to"));
	else if (job_opt_str(out, "send_error") != NULL)
		login_sentence(s->info, sizeof s->info,
		    _("Sending a code failed: "),
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
		shown = _("a backup code");
	for (i = 0; i < s->nmethods; i++)
		if (strcmp(used, login_name(s, i)) == 0)
			shown = login_shown(s, i);
	snprintf(s->result, sizeof s->result, _("Logged in as %s with %s."),
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
		    j->tag == T_CODE ? _("Not logged in: ") : _("No code was sent: "),
		    j->err.msg);
		return act_none();
	}
	switch (j->tag) {
	case T_LOGIN:
		if (strcmp(job_str(j->out, "status"), "ok") == 0) {
			s->step = L_DONE;
			sc->typing = false;
			snprintf(s->result, sizeof s->result, _("Logged in as "
			    "%s with the password only: the user has no "
			    "active method."), job_str(j->out, "user"));
			return act_none();
		}
		login_took(s, j->out);
		break;
	case T_SWITCH:
	case T_RESEND:
		s->cur = s->want;
		s->backup = false;
		s->result[0] = '\0';
		snprintf(s->info, sizeof s->info, _("A code went by %s to %s."),
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
	.name = N_("login tester"),
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
	s->user.label = _("User");
	s->password.label = _("Password");
	s->password.masked = true;
	s->code.label = _("Code");
	login_reset(s);
	field_set(&s->user, user);
	return &s->base;
}
