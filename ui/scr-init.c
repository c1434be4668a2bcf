/*
 * scr-init.c: the first run.  There is no vault at the session's path
 * yet, so instead of an unlock screen with nothing to unlock the TUI
 * offers to make one: how costly each unlock is (the three Argon2id
 * levels of `init`, moderate first), the passphrase typed twice, masked.
 * Create runs `init` as a slow job, the new passphrase going through
 * ctx->ask as "new vault passphrase"; init leaves the new vault open and
 * the job hands it to the session (job.c), so the user list opens on it
 * at once, without a second Argon2id.  Esc or Cancel leave with nothing
 * made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "newpass.h"
#include "screen.h"
#include "widget.h"

enum {
	F_KDF,
	F_PASS,
	F_AGAIN,
	F_CREATE,
	F_CANCEL,
	F_COUNT
};

/* The levels `init --kdf` takes, as an operator would weigh them. */
static const struct {
	const char	*name;
	const char	*shown;		/* the name on the screen */
	const char	*cost;
} init_kdfs[] = {
	{ "interactive", N_("interactive"),
	    N_("about 0.1 s and 64 MiB of memory") },
	{ "moderate", N_("moderate"),
	    N_("about 1 s and 256 MiB (the usual choice)") },
	{ "sensitive", N_("sensitive"),
	    N_("about 4 s and 1 GiB: for a machine that has it") },
};
#define INIT_NKDF	((int)(sizeof init_kdfs / sizeof init_kdfs[0]))
#define INIT_KDF_DEFAULT	1

struct scr_init {
	struct screen	 base;
	struct newpass	 np;
	int		 kdf;
	int		 focus;
};

static void
init_focus(struct scr_init *s, int focus)
{
	s->focus = focus;
	s->base.typing = focus == F_PASS || focus == F_AGAIN;
}

/*
 * A path in at most h rows of w columns, broken after a '/' where one
 * fits (so each row is a whole folder name), else where the row ends.
 * Returns the rows used.
 */
static int
init_path(struct canvas *c, int x, int y, int w, int h, const char *path)
{
	char	row[1024];
	size_t	fit, i;
	int	n = 0;

	while (*path != '\0' && n < h && w > 0) {
		fit = canvas_fit(path, w);
		if (path[fit] != '\0')
			for (i = fit; i > 0; i--)
				if (path[i - 1] == '/') {
					fit = i;
					break;
				}
		if (fit == 0)
			fit = 1;
		if (fit >= sizeof row)
			fit = sizeof row - 1;
		memcpy(row, path, fit);
		row[fit] = '\0';
		canvas_put(c, x, y + n++, 0, w, row);
		path += fit;
	}
	return n > 0 ? n : 1;
}

static void
init_draw(struct screen *sc, struct canvas *c)
{
	struct scr_init	*s = (struct scr_init *)sc;
	const char	*keep = _("Keep the passphrase safe: nothing in "
			    "the vault can be read without it, and nobody can "
			    "recover it.");
	int		 i, y, x, lx, w = c->cols - 4;
	unsigned	 attr;

	frame_draw(sc, c, _("New vault"));
	canvas_put(c, 2, 2, CA_BOLD, -1, _("Make a new vault"));
	canvas_put(c, 2, 4, 0, 13, _("Vault:"));
	/* Paths are long: the whole of it, wrapped, never a cut line. */
	y = 5 + init_path(c, 16, 4, c->cols - 18, 3, sc->ui->title_path ?
	    sc->ui->title_path : "-");
	y += text_wrap(c, 2, y, w, 2, 0, 0, _("There is no vault here yet. "
	    "It will keep the users, their methods and their secrets, "
	    "sealed under the passphrase typed below."));
	y++;
	/* The choices start after the label, however long it is. */
	lx = 2 + canvas_put(c, 2, y, s->focus == F_KDF ? CA_BOLD : 0, -1,
	    _("Unlock cost:")) + 2;
	lx = lx > 16 ? lx : 16;
	for (i = 0; i < INIT_NKDF; i++) {
		attr = s->focus == F_KDF && i == s->kdf ? ROLE_SEL | CA_BOLD :
		    0;
		/* Padded by columns, not bytes: "(*) umiarkowany  ". */
		canvas_printf(c, lx, y + i, attr, "(%c) %s%*s", i == s->kdf ?
		    '*' : ' ', _(init_kdfs[i].shown), 12 -
		    canvas_width(_(init_kdfs[i].shown)) > 0 ? 12 -
		    canvas_width(_(init_kdfs[i].shown)) : 0, "");
		canvas_put(c, lx + 17, y + i, i == s->kdf ? 0 : CA_DIM,
		    c->cols - lx - 18, _(init_kdfs[i].cost));
	}
	y += INIT_NKDF;
	y += text_wrap(c, 2, y, w, 2, 0, CA_DIM, _("Every unlock costs this "
	    "time and memory, and so does every guess of someone who has "
	    "stolen the file: more is safer."));
	y++;
	y += newpass_draw(c, 2, y, w > 60 ? 60 : w, 0, &s->np,
	    s->focus == F_PASS ? 1 : s->focus == F_AGAIN ? 2 : 0);
	y++;
	x = 2 + button_draw(c, 2, y, _("Create"), s->focus == F_CREATE);
	button_draw(c, x + 2, y, _("Cancel"), s->focus == F_CANCEL);
	/* Whole or not at all: a long path may leave no room for it. */
	if (text_wrap(c, 2, y + 2, w, 0, 0, 0, keep) <= c->rows - 4 - y)
		text_wrap(c, 2, y + 2, w, c->rows - 4 - y, 0, CA_DIM, keep);
}

static struct ui_action
init_submit(struct scr_init *s)
{
	const char	*problem = newpass_problem(&s->np);
	struct ui_job	*j;

	if (problem != NULL) {
		scr_msg(&s->base, ROLE_ERROR | CA_BOLD, "%s", problem);
		if (s->np.pass.len > 0 && s->np.again.len > 0)
			newpass_clear(&s->np);
		init_focus(s, s->np.pass.len == 0 ? F_PASS : F_AGAIN);
		return act_none();
	}
	j = job_new(0, "init", "--kdf", init_kdfs[s->kdf].name, NULL);
	job_answer(j, "new vault passphrase", s->np.pass.buf);
	j->slow = true;
	j->what = _("making the vault (Argon2id)");
	newpass_clear(&s->np);
	init_focus(s, F_PASS);
	scr_msg(&s->base, 0, "%s", "");
	return act_run(j);
}

static struct ui_action
init_key(struct screen *sc, int key)
{
	struct scr_init	*s = (struct scr_init *)sc;
	enum key_act	 a = keys_lookup(sc->keys, key, sc->typing);

	if (s->focus == F_PASS && field_key(&s->np.pass, key))
		return act_none();
	if (s->focus == F_AGAIN && field_key(&s->np.again, key))
		return act_none();
	switch (a) {
	case KA_NEXT_FIELD:
		init_focus(s, (s->focus + 1) % F_COUNT);
		return act_none();
	case KA_PREV_FIELD:
		init_focus(s, (s->focus + F_COUNT - 1) % F_COUNT);
		return act_none();
	case KA_TOGGLE:
	case KA_CHOICE_PREV:
		if (s->focus == F_KDF)
			s->kdf = (s->kdf + (a == KA_TOGGLE ? 1 : INIT_NKDF -
			    1)) % INIT_NKDF;
		return act_none();
	case KA_ENTER:
		if (s->focus == F_CANCEL)
			return act_pop();
		if (s->focus == F_KDF || s->focus == F_PASS) {
			init_focus(s, s->focus + 1);
			return act_none();
		}
		return init_submit(s);
	default:
		return scr_key_common(sc, a);
	}
}

static struct ui_action
init_done(struct screen *sc, struct ui_job *j)
{
	struct ui	*ui = sc->ui;

	if (j->rc != RD_OK) {
		scr_msg(sc, ROLE_ERROR | CA_BOLD, _("the vault was not made: "
		    "%s"),
		    j->err.msg);
		return act_none();
	}
	snprintf(ui->flash, sizeof ui->flash, _("the new vault is open: n "
	    "adds the first user"));
	ui->flash_role = ROLE_OK;
	return act_replace(scr_users_new(ui));
}

static void
init_free(struct screen *sc)
{
	struct scr_init	*s = (struct scr_init *)sc;

	newpass_clear(&s->np);
	sodium_memzero(s, sizeof *s);
	free(s);
}

static const struct screen_ops init_ops = {
	.name = N_("new vault"),
	.draw = init_draw,
	.key = init_key,
	.done = init_done,
	.free = init_free,
};

struct screen *
scr_init_new(struct ui *ui)
{
	struct scr_init	*s = xcalloc(1, sizeof *s);

	s->base.ops = &init_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_FORM;
	newpass_init(&s->np, _("Passphrase"));
	s->kdf = INIT_KDF_DEFAULT;
	init_focus(s, F_PASS);
	return &s->base;
}
