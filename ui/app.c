/*
 * app.c: the TUI's loop.  It gets a session as the command line does
 * (session.h: config, vault path, passphrase source), opens the unlock
 * screen (or unlocks at once with --passphrase-file or
 * $REDOUBT_PASSPHRASE), then keeps a stack of screens: draw the top one,
 * read a key, act on what the screen answers.
 *
 * Slow jobs (anything that may talk to a network, and unlocking, which is
 * Argon2id) run on one worker thread while the loop keeps drawing a
 * spinner with the elapsed time; Esc sets ctx.cancel, which backends
 * watch.  While a job runs no other key reaches a screen, so the vault is
 * only ever used by one thread at a time.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "../src/i18n.h"
#include "../src/session.h"
#include "../src/util.h"
#include "canvas.h"
#include "screen.h"
#include "term.h"
#include "ui.h"
#include "widget.h"

static pthread_t	worker_thread;
static atomic_int	worker_done;
/* The worker writes a byte when done, so the loop wakes at once. */
static int		worker_wake[2] = { -1, -1 };

static double
now_seconds(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
ui_init(struct ui *ui, const struct rd_ctx *base)
{
	memset(ui, 0, sizeof *ui);
	ui->ctx = *base;
	if (ui->ctx.actor == NULL)
		ui->ctx.actor = "tui";
	ui->cols = 80;
	ui->rows = 24;
}

static void
ui_leave(struct ui *ui, struct screen *s)
{
	/* A screen that showed a secret: every cell is painted afresh. */
	if (s->secret)
		ui->full = true;
	s->ops->free(s);
}

void
ui_fini(struct ui *ui)
{
	while (ui->depth > 0)
		ui_leave(ui, ui->stack[--ui->depth]);
}

struct screen *
ui_top(struct ui *ui)
{
	return ui->depth > 0 ? ui->stack[ui->depth - 1] : NULL;
}

static void
ui_enter(struct ui *ui, struct screen *s)
{
	if (ui->flash[0] != '\0') {
		snprintf(s->msg, sizeof s->msg, "%s", ui->flash);
		s->msg_role = ui->flash_role;
		ui->flash[0] = '\0';
	}
	if (s->ops->enter != NULL)
		ui_act(ui, s->ops->enter(s));
}

static void *
worker_main(void *arg)
{
	struct ui	*ui = arg;

	job_exec(ui, ui->busy);
	atomic_store(&worker_done, 1);
	if (worker_wake[1] >= 0)
		(void)!write(worker_wake[1], "", 1);
	return NULL;
}

static void
ui_deliver(struct ui *ui, struct ui_job *j)
{
	struct ui_action	a = act_none();
	int			i;

	/* The owner is still on the stack: keys are held while it runs. */
	for (i = 0; i < ui->depth; i++)
		if (ui->stack[i] == j->owner && j->owner->ops->done != NULL)
			a = j->owner->ops->done(j->owner, j);
	job_free(j);
	ui_act(ui, a);
}

void
ui_job_finished(struct ui *ui)
{
	struct ui_job	*j = ui->busy;

	if (j == NULL)
		return;
	pthread_join(worker_thread, NULL);
	ui->busy = NULL;
	ui_deliver(ui, j);
}

void
ui_act(struct ui *ui, struct ui_action a)
{
	struct screen	*top = ui_top(ui);

	switch (a.kind) {
	case UA_NONE:
		break;
	case UA_REDRAW:
		ui->full = true;
		break;
	case UA_PUSH:
		if (ui->depth == UI_DEPTH) {
			a.scr->ops->free(a.scr);
			break;
		}
		ui->stack[ui->depth++] = a.scr;
		ui_enter(ui, a.scr);
		break;
	case UA_REPLACE:
		if (top == NULL) {
			ui_act(ui, act_push(a.scr));
			break;
		}
		ui_leave(ui, top);
		ui->stack[ui->depth - 1] = a.scr;
		ui_enter(ui, a.scr);
		break;
	case UA_POP:
		if (top == NULL)
			break;
		ui->depth--;
		ui_leave(ui, top);
		if (ui->depth == 0)
			ui->quit = true;
		else
			ui_enter(ui, ui_top(ui));
		break;
	case UA_QUIT:
		ui->quit = true;
		break;
	case UA_RUN:
		/* One job at a time: the vault has one user. */
		if (ui->busy != NULL) {
			job_free(a.job);
			break;
		}
		a.job->owner = top;
		ui->cancel = 0;
		if (a.job->slow && !ui->sync) {
			ui->busy = a.job;
			ui->busy_since = now_seconds();
			atomic_store(&worker_done, 0);
			if (pthread_create(&worker_thread, NULL, worker_main,
			    ui) == 0)
				break;
			ui->busy = NULL;
		}
		job_exec(ui, a.job);
		ui_deliver(ui, a.job);
		break;
	}
}

static struct screen	*ui_first(struct ui *ui, enum rd_code cfg_rc);

/*
 * Ctrl-L on any screen: paint every cell afresh and read the config file
 * again.  A file that now has problems is not taken: the settings in
 * effect stay, and the status line says why.  The session swaps it while
 * no job runs (keys wait for the worker), so no command sees it change.
 */
static void
ui_reload(struct ui *ui, struct screen *top)
{
	struct rd_err	err;
	bool		stuck;

	ui->full = true;
	if (ui->session == NULL)
		return;
	/* Started on a config with problems: nothing else is open yet. */
	stuck = ui->session->cfg->problems.n > 0 && ui->depth == 1 &&
	    !session_unlocked(ui->session);
	if (session_reload_config(ui->session, &err) != RD_OK) {
		scr_msg(top, ROLE_ERROR | CA_BOLD, "%s", err.msg);
		return;
	}
	ui->ctx.cfg = ui->session->cfg;
	if (stuck) {
		/* Fixed: go on as a start with this file would have. */
		ui_act(ui, act_replace(ui_first(ui, RD_OK)));
		return;
	}
	scr_msg(top, ROLE_OK, _("configuration read again from %s"),
	    ui->session->cfg_path != NULL ? ui->session->cfg_path :
	    _("the built-in defaults"));
	if (top->ops->reload != NULL)
		ui_act(ui, top->ops->reload(top));
}

/*
 * Work another process did on the vault (a user added from a second
 * shell) shows without a key: the loop calls this about once a second
 * while idle.  The question is one PRAGMA, and the screen loads again
 * only when the answer changed.  A change seen under another screen is
 * not kept: the list loads anyway when it comes back on top.
 */
void
ui_idle(struct ui *ui)
{
	struct screen	*top = ui_top(ui);
	struct rd_err	 err;
	bool		 changed;

	if (ui->busy != NULL || ui->session == NULL || top == NULL)
		return;
	if (session_vault_changed(ui->session, &changed, &err) != RD_OK ||
	    !changed || top->ops->changed == NULL)
		return;
	ui_act(ui, top->ops->changed(top));
}

void
ui_key(struct ui *ui, int key)
{
	struct screen	*top = ui_top(ui);

	if (top == NULL)
		return;
	if (ui->busy != NULL) {
		if (key == UK_ESC) {
			ui->cancel = 1;
			scr_msg(top, ROLE_WARN, _("cancelling..."));
		}
		return;
	}
	if (keys_lookup(KC_ALL, key, true) == KA_REDRAW) {
		ui_reload(ui, top);
		return;
	}
	ui_act(ui, top->ops->key(top, key));
}

void
ui_draw(struct ui *ui, struct canvas *c)
{
	static const char	spin[] = "|/-\\";
	struct screen		*top = ui_top(ui);
	double			 t;

	canvas_clear(c);
	if (top == NULL)
		return;
	top->ops->draw(top, c);
	if (ui->busy != NULL) {
		t = now_seconds() - ui->busy_since;
		canvas_fill(c, 0, c->rows - 2, c->cols, 1, ' ', 0);
		canvas_printf(c, 1, c->rows - 2, ROLE_WARN | CA_BOLD,
		    _("%c %s... %.1f s   Esc cancels"), spin[(int)(t * 8) %
		    4], ui->busy->what ? ui->busy->what : _("working"), t);
		canvas_cursor(c, -1, -1);
	}
}

/* The loop proper, with the terminal open. */
static void
ui_loop(struct ui *ui)
{
	struct canvas	*c;
	int		 key, cols, rows;
	double		 idle_at = 0;

	if (worker_wake[0] < 0 && pipe(worker_wake) == 0) {
		for (int i = 0; i < 2; i++) {
			fcntl(worker_wake[i], F_SETFL, O_NONBLOCK);
			fcntl(worker_wake[i], F_SETFD, FD_CLOEXEC);
		}
	} else if (worker_wake[0] < 0) {
		/* No pipe: the spinner's timeout still finds the job done. */
		worker_wake[1] = -1;
	}
	term_size(&cols, &rows);
	c = canvas_new(cols, rows);
	ui->cols = cols;
	ui->rows = rows;
	while (!ui->quit) {
		term_size(&cols, &rows);
		if (cols != c->cols || rows != c->rows) {
			canvas_resize(c, cols, rows);
			ui->cols = cols;
			ui->rows = rows;
			ui->full = true;
			/* Pages follow the height: let the screen reload. */
			if (ui->busy == NULL && ui_top(ui) != NULL &&
			    ui_top(ui)->ops->resize != NULL)
				ui_act(ui, ui_top(ui)->ops->resize(ui_top(ui)));
		}
		ui_draw(ui, c);
		term_paint(c, ui->full);
		ui->full = false;
		/* While busy, the spinner turns eight times a second. */
		/*
		 * A shared store tells of others' commits on a descriptor:
		 * its turn wakes the loop at once (ui_idle then asks).
		 */
		key = term_key(ui->busy != NULL ? 125 : 1000, worker_wake[0],
		    ui->busy == NULL && ui->session != NULL ?
		    session_watch_fd(ui->session) : -1);
		if (ui->busy != NULL && atomic_load(&worker_done))
			ui_job_finished(ui);
		/* A timeout is a second without keys; keys held down still
		   leave a look each second. */
		if (ui->busy == NULL && (key == UK_NONE ||
		    now_seconds() >= idle_at)) {
			ui_idle(ui);
			idle_at = now_seconds() + 1;
		}
		if (key == UK_NONE || key == UK_RESIZE)
			continue;
		ui_key(ui, key);
	}
	/* Leave nothing on the terminal that a screen showed. */
	canvas_clear(c);
	term_paint(c, true);
	canvas_free(c);
}

/*
 * The first screen: the configuration when it has problems (it names
 * them); on a first run, with no vault yet, the screen that makes one;
 * with a valid session ($REDOUBT_SESSION) the users at once; else the
 * unlock screen, which tries a passphrase given by file or environment
 * at once.
 */
static struct screen *
ui_first(struct ui *ui, enum rd_code cfg_rc)
{
	struct screen	*first;
	struct rd_err	 err;
	const char	*tok;
	char		*pass;
	enum rd_code	 rc;

	if (cfg_rc != RD_OK) {
		first = scr_config_new(ui);
		scr_msg(first, ROLE_ERROR | CA_BOLD, _("the configuration has "
		    "problems: fix the file, then Ctrl-L reads it again"));
		return first;
	}
	if (session_vault_exists(ui->session, &err) != RD_OK)
		return scr_init_new(ui);
	/* Under `redoubt unlock` or with a key file: no Argon2id. */
	if ((tok = session_token()) != NULL ||
	    session_keyfile(ui->session) != NULL) {
		rc = tok != NULL ? session_resume(ui->session, tok, &err) :
		    session_unlock_keyfile(ui->session, &err);
		if (rc == RD_OK) {
			ui->ctx.vault = ui->session->ctx.vault;
			return scr_users_new(ui);
		}
		first = scr_unlock_new(ui, NULL, NULL);
		scr_msg(first, ROLE_ERROR | CA_BOLD, _("%s; or type the "
		    "passphrase here"), err.msg);
		return first;
	}
	pass = secret_alloc(SECRET_LINE_MAX);
	rc = session_passphrase(ui->session, pass, SECRET_LINE_MAX, &err);
	first = scr_unlock_new(ui, rc == RD_OK ? pass : NULL, NULL);
	secret_release(pass);
	if (rc != RD_OK && rc != RD_NOT_FOUND)
		scr_msg(first, ROLE_ERROR | CA_BOLD, _("%s: type it"), err.msg);
	return first;
}

int
ui_main(int argc, char **argv)
{
	struct session_opts	 o;
	struct session		*session = NULL;
	struct ui		 ui;
	struct rd_err		 err;
	struct screen		*first;
	enum rd_code		 rc;
	int			 next = 1, status = 0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	memset(&o, 0, sizeof o);
	if (session_opts_parse(argc, argv, &next, &o, &err) != RD_OK ||
	    next < argc || o.json || o.help || o.version)
		return -1;
	/* The same session as the command line: one config, one vault. */
	rc = session_new(&o, "tui", &session, &err);
	ui_init(&ui, &session->ctx);
	ui.session = session;
	ui.title_path = session->vault_shown;
	first = ui_first(&ui, rc);
	if (!term_open()) {
		/* No usable terminal ($TERM unknown): the command line
		   answers instead, with its usage. */
		first->ops->free(first);
		status = -1;
	} else {
		ui_act(&ui, act_push(first));
		ui_loop(&ui);
		if (ui.busy != NULL) {
			ui.cancel = 1;
			pthread_join(worker_thread, NULL);
			job_free(ui.busy);
			ui.busy = NULL;
		}
		ui_fini(&ui);
		term_close();
	}
	session_free(session);
	return status;
}
