/*
 * screen.h: what the TUI's screens share: the application state (struct
 * ui), the screen interface, and the actions and jobs a key can lead to.
 *
 * A screen draws itself into a canvas from its own state and turns keys
 * into actions (as htop's Htop_Reaction): nothing, redraw, push a screen,
 * replace itself, go back, quit, or run a job.  A job is one entry of the
 * command table with its words and the secrets that ctx->ask will hand
 * over (or, for unlocking, a function); the loop runs it, on a worker
 * thread when it is slow, and gives the result back to the screen that
 * asked.  So no MFA rule lives in ui/: every decision is a command's, and
 * a screen only shows what came back.  Tests drive the same functions
 * without a terminal (ui->sync runs every job in line).
 */
#ifndef RD_UI_SCREEN_H
#define RD_UI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "../src/cmd.h"
#include "../src/session.h"
#include "canvas.h"
#include "keys.h"

struct ui;
struct screen;

enum ui_act_kind {
	UA_NONE,
	UA_REDRAW,	/* repaint every cell (Ctrl-L, a secret went away) */
	UA_PUSH,	/* scr on top */
	UA_REPLACE,	/* scr instead of the current screen */
	UA_POP,		/* back; quits when nothing is left */
	UA_QUIT,
	UA_RUN,		/* run job, then call the screen's done */
};

#define JOB_ARGS	12
#define JOB_ANSWERS	3

struct ui_job {
	int		 tag;		/* which request of the screen */
	bool		 slow;		/* worker thread, spinner, Esc cancels */
	const char	*what;		/* for the spinner: "sending a code" */
	int		 argc;
	char		*argv[JOB_ARGS];	/* command words, owned */
	struct {
		char	 what[64];	/* as ctx->ask names it */
		char	*value;		/* owned, wiped */
	}		 ans[JOB_ANSWERS];
	int		 nans;
	/* Instead of a command (unlocking). */
	enum rd_code	(*fn)(struct ui *ui, struct ui_job *job, cJSON *out,
			    struct rd_err *err);
	void		*arg;
	struct screen	*owner;		/* gets the result */
	/* The outcome. */
	enum rd_code	 rc;
	struct rd_err	 err;
	cJSON		*out;		/* a screen may take it (set NULL) */
};

struct ui_action {
	enum ui_act_kind	 kind;
	struct screen		*scr;
	struct ui_job		*job;
};

struct screen_ops {
	const char		*name;
	void			(*draw)(struct screen *s, struct canvas *c);
	struct ui_action	(*key)(struct screen *s, int key);
	/* The screen is on top (again): load what it shows.  May be NULL. */
	struct ui_action	(*enter)(struct screen *s);
	/* The terminal changed size (pages follow it).  May be NULL. */
	struct ui_action	(*resize)(struct screen *s);
	/* A job of this screen finished.  May be NULL. */
	struct ui_action	(*done)(struct screen *s, struct ui_job *job);
	/* Wipe what it holds (codes, secrets) and free it. */
	void			(*free)(struct screen *s);
	/*
	 * The configuration was read again (Ctrl-L): show what changed.
	 * May be NULL.
	 */
	struct ui_action	(*reload)(struct screen *s);
	/*
	 * Another process wrote the vault (ui_idle noticed): show what it
	 * shows anew, keeping the selection.  May be NULL.
	 */
	struct ui_action	(*changed)(struct screen *s);
};

struct screen {
	const struct screen_ops	*ops;
	struct ui		*ui;
	unsigned		 keys;		/* KC_ bits: its key table rows */
	bool			 typing;	/* a text field has the focus */
	bool			 secret;	/* shows a secret */
	char			 msg[512];	/* the status line */
	unsigned		 msg_role;
};

#define UI_DEPTH	16

struct ui {
	struct rd_ctx		 ctx;		/* vault, config, env, actor */
	struct session		*session;	/* unlocks the vault; not owned */
	const char		*title_path;	/* shown in the title bar */
	int			 cols, rows;
	struct screen		*stack[UI_DEPTH];
	int			 depth;
	volatile int		 cancel;
	bool			 sync;		/* run slow jobs in line */
	bool			 quit;
	bool			 full;		/* repaint every cell next time */
	struct ui_job		*busy;		/* the job on the worker */
	double			 busy_since;
	char			 flash[512];	/* message for the next top */
	unsigned		 flash_role;
};

/* Actions. */
struct ui_action	act_none(void);
struct ui_action	act_redraw(void);
struct ui_action	act_push(struct screen *s);
struct ui_action	act_replace(struct screen *s);
struct ui_action	act_pop(void);
struct ui_action	act_run(struct ui_job *job);

/* Jobs (job.c).  Words are copied; the list ends with NULL. */
struct ui_job		*job_new(int tag, const char *word, ...);
void			 job_arg(struct ui_job *j, const char *word);
/* A secret for ctx->ask: "password", "code", a device prompt, ... */
void			 job_answer(struct ui_job *j, const char *what,
			    const char *value);
void			 job_free(struct ui_job *j);
/* Run it now, in this thread; fills rc, err, out. */
void			 job_exec(struct ui *ui, struct ui_job *j);
/*
 * Values of a result that a screen relies on.  A missing key is a bug in
 * the screen or the command: it reads as "" (or 0, false) and is counted
 * in job_missing, which the screen tests require to stay 0.
 */
const char		*job_str(const cJSON *o, const char *key);
double			 job_num(const cJSON *o, const char *key);
bool			 job_bool(const cJSON *o, const char *key);
/* Values that may be absent (or null): NULL, or false. */
const char		*job_opt_str(const cJSON *o, const char *key);
bool			 job_has(const cJSON *o, const char *key);
/* How many required keys were missing since the start (tests). */
unsigned		 job_missing(void);

/* The loop's steps (app.c), also driven by the tests. */
void			 ui_init(struct ui *ui, const struct rd_ctx *base);
void			 ui_fini(struct ui *ui);
void			 ui_act(struct ui *ui, struct ui_action a);
void			 ui_key(struct ui *ui, int key);
void			 ui_draw(struct ui *ui, struct canvas *c);
struct screen		*ui_top(struct ui *ui);
/* Finish the worker's job (call when it is done). */
void			 ui_job_finished(struct ui *ui);
/*
 * Nothing to do for a while: when another process wrote the vault since
 * the last call, the screen on top shows it (ops->changed).
 */
void			 ui_idle(struct ui *ui);

/* Screens. */
/*
 * The unlock screen.  pass (may be NULL) is tried at once, as from
 * --passphrase-file; problem (may be NULL) is shown and stops unlocking,
 * as when there is no vault.
 */
struct screen	*scr_unlock_new(struct ui *ui, const char *pass,
		    const char *problem);
/*
 * First run: no vault at the session's path yet.  Makes one (`init`, a
 * KDF choice, the passphrase twice), then opens the user list on it.
 */
struct screen	*scr_init_new(struct ui *ui);
/* A new passphrase for the open vault, twice (`passphrase`). */
struct screen	*scr_passphrase_new(struct ui *ui);
struct screen	*scr_users_new(struct ui *ui);
struct screen	*scr_user_new(struct ui *ui, const char *name);
struct screen	*scr_useredit_new(struct ui *ui, const char *name,
		    const cJSON *show);
struct screen	*scr_pick_new(struct ui *ui, const char *user);
/*
 * One method of user: method is an entry of `user show`'s methods and
 * show the whole answer (what the actions need); both copied.
 */
struct screen	*scr_method_new(struct ui *ui, const char *user,
		    const cJSON *show, const cJSON *method);
/*
 * What p, d and r (KA_PRIMARY, KA_DEACTIVATE, KA_REQUEST) do to a method,
 * on the user detail and the method detail alike: a dialog for the code
 * the command may need (as show, the user's `user show`, says), or a
 * request-code job tagged request_tag, whose result method_sent_msg puts
 * in words on the status line.
 */
struct ui_action method_act(struct screen *sc, const cJSON *show,
		    const char *user, const char *method, enum key_act a,
		    int request_tag);
void		 method_sent_msg(struct screen *sc, const struct ui_job *j);
/*
 * The enrolment wizard for user and method, an entry of `config`'s
 * methods or of `user show`'s (name, sends_code, enrol_prompt, prompt,
 * code_label); method is copied.
 */
struct screen	*scr_enrol_new(struct ui *ui, const char *user,
		    const cJSON *method);
/* The same for a pending method: shown again (`enrolment`), not redone. */
struct screen	*scr_enrol_resume(struct ui *ui, const char *user,
		    const cJSON *method);
/*
 * Takes codes (a cJSON array); wipes it when leaving.  app (may be NULL):
 * activate's answer for an app method just confirmed, whose otpauth_uri
 * and secret (copied) go on the printed sheet with the codes.
 */
struct screen	*scr_codes_new(struct ui *ui, const char *user, cJSON *codes,
		    const char *why, const cJSON *app);
struct screen	*scr_login_new(struct ui *ui, const char *user);
/*
 * What a code dialog asks for: whether the step needs a code (`user
 * show`'s code_needed), show (that answer; NULL: no facts, no send
 * button), the one method whose code proves it (NULL: any active one)
 * and whether a backup code may serve too.
 */
struct prompt_need {
	bool		 required;
	const cJSON	*show;
	const char	*only;
	bool		 backup;
};
/*
 * A dialog that runs words (NULL-terminated; the user second) with a
 * code field when one is needed: the code goes as "-" and through
 * ctx->ask.
 */
struct screen	*scr_prompt_new(struct ui *ui, const char *title,
		    const char *text, const struct prompt_need *need,
		    const char *word, ...);
/*
 * The question before an action that cannot be undone: text says what is
 * lost; button names the action; words (NULL-terminated) are the command
 * it runs; done_msg is flashed on the screen below after it ran.
 */
struct screen	*scr_confirm_new(struct ui *ui, const char *title,
		    const char *text, const char *button, const char *done_msg,
		    const char *word, ...);
struct screen	*scr_outbox_new(struct ui *ui);
struct screen	*scr_backend_new(struct ui *ui);
struct screen	*scr_audit_new(struct ui *ui);
/* One audit entry in full: entries[i] of `audit list` (copied). */
struct screen	*scr_auditrow_new(struct ui *ui, const cJSON *entries, int i);
struct screen	*scr_config_new(struct ui *ui);
struct screen	*scr_help_new(struct ui *ui, unsigned mask, const char *name);

#endif
