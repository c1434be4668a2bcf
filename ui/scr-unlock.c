/*
 * scr-unlock.c: the first screen: the vault's passphrase, masked.  A
 * wrong one clears the field and asks again; the count of tries is shown
 * so a mistyped passphrase is told apart from a forgotten one.  With a
 * passphrase from --passphrase-file or $REDOUBT_PASSPHRASE the screen
 * unlocks at once and is only seen when that fails.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../src/i18n.h"
#include "../src/session.h"
#include "../src/util.h"
#include "screen.h"
#include "widget.h"

struct scr_unlock {
	struct screen	 base;
	struct field	 pass;
	char		*auto_pass;	/* tried once on entering */
	char		*problem;	/* why nothing can be unlocked */
	int		 tries;
};

static enum rd_code RD_CHECK
unlock_fn(struct ui *ui, struct ui_job *j, cJSON *out, struct rd_err *err)
{
	const char	*p = j->ans[0].value;
	enum rd_code	 rc;

	(void)out;
	if ((rc = session_unlock(ui->session, p, strlen(p), err)) == RD_OK)
		ui->ctx.vault = ui->session->ctx.vault;
	return rc;
}

static struct ui_action
unlock_run(struct scr_unlock *s, const char *pass)
{
	struct ui_job	*j = job_new(0, NULL);

	j->fn = unlock_fn;
	j->slow = true;
	j->what = _("unlocking the vault (Argon2id)");
	job_answer(j, "passphrase", pass);
	s->tries++;
	return act_run(j);
}

static void
unlock_draw(struct screen *sc, struct canvas *c)
{
	struct scr_unlock	*s = (struct scr_unlock *)sc;
	int			 x;

	frame_draw(sc, c, _("Unlock"));
	canvas_put(c, 2, 2, CA_BOLD, -1, _("Unlock the vault"));
	x = 2 + canvas_put(c, 2, 4, 0, -1, _("Vault:")) + 2;
	x = x > 14 ? x : 14;
	canvas_put(c, x, 4, 0, c->cols - x - 2, sc->ui->title_path ?
	    sc->ui->title_path : "-");
	if (s->problem != NULL) {
		/* Paths are long: the whole text, wrapped, not a cut line. */
		text_wrap(c, 2, 6, c->cols - 4, c->rows - 9, 0,
		    ROLE_ERROR | CA_BOLD, s->problem);
		return;
	}
	field_draw(c, 2, 6, c->cols - 4 > 70 ? 70 : c->cols - 4, 10,
	    &s->pass, true);
	if (s->tries > 0)
		canvas_printf(c, 2, 8, CA_DIM, _("tries so far: %d"), s->tries);
	text_wrap(c, 2, 10, c->cols - 4, 4, 0, CA_DIM, _("The passphrase "
	    "unlocks the key that opens every secret in the vault. It can "
	    "also be read from a file or from the environment (see the "
	    "manual page)."));
}

static struct ui_action
unlock_key(struct screen *sc, int key)
{
	struct scr_unlock	*s = (struct scr_unlock *)sc;
	enum key_act		 a = keys_lookup(sc->keys, key, sc->typing);
	struct ui_action	 r;

	if (s->problem == NULL && field_key(&s->pass, key))
		return act_none();
	if (a == KA_ENTER && s->problem == NULL) {
		if (s->pass.len == 0) {
			scr_msg(sc, ROLE_ERROR, _("type the passphrase first"));
			return act_none();
		}
		r = unlock_run(s, s->pass.buf);
		field_clear(&s->pass);
		return r;
	}
	return scr_key_common(sc, a);
}

static struct ui_action
unlock_enter(struct screen *sc)
{
	struct scr_unlock	*s = (struct scr_unlock *)sc;
	struct ui_action	 r;

	if (s->auto_pass == NULL)
		return act_none();
	r = unlock_run(s, s->auto_pass);
	secret_free(s->auto_pass);
	s->auto_pass = NULL;
	return r;
}

static struct ui_action
unlock_done(struct screen *sc, struct ui_job *j)
{
	struct scr_unlock	*s = (struct scr_unlock *)sc;

	if (j->rc == RD_OK)
		return act_replace(scr_users_new(sc->ui));
	if (j->rc == RD_BAD_PASSPHRASE)
		scr_msg(sc, ROLE_ERROR | CA_BOLD, _("wrong passphrase: try "
		    "again"));
	else if (j->rc == RD_VAULT_MISSING && s->problem == NULL) {
		/* Gone since the start: as on a first run, offer a new one. */
		snprintf(sc->ui->flash, sizeof sc->ui->flash, _("the vault is "
		    "not there any more: make a new one, or Esc leaves"));
		sc->ui->flash_role = ROLE_WARN | CA_BOLD;
		return act_replace(scr_init_new(sc->ui));
	} else
		scr_msg_job(sc, j);
	return act_none();
}

static void
unlock_free(struct screen *sc)
{
	struct scr_unlock	*s = (struct scr_unlock *)sc;

	field_clear(&s->pass);
	secret_free(s->auto_pass);
	free(s->problem);
	sodium_memzero(s, sizeof *s);
	free(s);
}

static const struct screen_ops unlock_ops = {
	.name = N_("unlock"),
	.draw = unlock_draw,
	.key = unlock_key,
	.enter = unlock_enter,
	.done = unlock_done,
	.free = unlock_free,
};

struct screen *
scr_unlock_new(struct ui *ui, const char *pass, const char *problem)
{
	struct scr_unlock	*s = xcalloc(1, sizeof *s);

	s->base.ops = &unlock_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_FORM;
	s->pass.label = _("Passphrase");
	s->pass.masked = true;
	if (problem != NULL) {
		s->problem = xstrdup(problem);
	} else {
		s->base.typing = true;
		if (pass != NULL)
			s->auto_pass = xstrdup(pass);
	}
	return &s->base;
}
