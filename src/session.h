/*
 * session.h: the one way a face (the command line, the TUI, and the PAM
 * module and batch runner to come) gets to work.  A session resolves the
 * config file, the vault path and where the passphrase comes from, loads
 * the config, opens and unlocks the vault, holds the context commands run
 * with, and closes it all.  Faces never open the vault themselves and
 * never include vault/ or backends/ headers.
 *
 * Ownership: a session owns its config, its paths and its vault (also a
 * vault that `init` made through session->ctx); session_free releases
 * them.  Strings in struct session_opts belong to the caller (argv).
 */
#ifndef RD_SESSION_H
#define RD_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "err.h"

struct config;

#define SESSION_OPERATOR_MAX	64	/* bytes of an operator's name */

/* The global options of DESIGN.md §6, shared by every face. */
struct session_opts {
	const char	*vault;		/* --vault FILE */
	const char	*config;	/* --config FILE */
	const char	*pass_file;	/* --passphrase-file FILE */
	const char	*keyfile;	/* --keyfile FILE */
	/* No config file, not even one found: the built-in settings. */
	bool		 builtin_config;
	bool		 json;		/* --json: the command line's */
	bool		 help;		/* --help, -h */
	bool		 version;	/* --version */
	int		 qr;		/* --qr 1, --no-qr -1; 0: on a terminal */
	/*
	 * Who works: --operator NAME, else $REDOUBT_OPERATOR, else the login
	 * name; filled and checked by session_opts_parse.
	 */
	char		 operator_name[SESSION_OPERATOR_MAX + 1];
	/*
	 * For the PAM face only (session_opts_parse never sets them): where
	 * the person comes from (PAM_RHOST), added to the actor as
	 * "pam:sshd@HOST"; and first_factor for ctx.first_factor (ctx.h),
	 * honoured only when the face is "pam".
	 */
	const char	*origin;
	const char	*first_factor;
};

/*
 * Take global options from argv[*i] on, leaving *i at the first word that
 * is not one, and settle who the operator is.  RD_USAGE names an unknown
 * or incomplete option, or an operator name that cannot go into the audit
 * log (empty, too long, spaces or control characters).  It may be called
 * again for options further on; a later --operator wins.
 */
enum rd_code	session_opts_parse(int argc, char **argv, int *i,
		    struct session_opts *o, struct rd_err *err) RD_CHECK;
/*
 * The one global option at argv[*i], if it is one, with *i moved past it
 * (and its value); RD_NOT_FOUND leaves *i alone, RD_USAGE when the value
 * is missing.  For global options given after the command.
 */
enum rd_code	session_opt_take(int argc, char **argv, int *i,
		    struct session_opts *o, struct rd_err *err) RD_CHECK;

struct session {
	struct rd_ctx	 ctx;		/* what commands run with */
	struct config	*cfg;		/* always set; problems inside */
	char		*cfg_path;	/* NULL: built-in defaults */
	char		*vault_path;
	char		*vault_shown;	/* vault_path, a password ***ed */
	const char	*pass_file;
	const char	*keyfile;	/* --keyfile, else $REDOUBT_KEYFILE */
	char		*actor;		/* "cli:alice", "pam:sshd@host": ctx.actor */
	/* session_vault_changed: the vault asked and what it said. */
	const struct vault *watched;
	int64_t		 data_version;
};

/*
 * A session for the options: the config loaded (*out is set even when it
 * has problems, so that `config --check` can name them all; the return
 * is then RD_CONFIG) and the vault path resolved, nothing opened.  face
 * ("cli", "tui", "pam") and the operator's name make the actor of every
 * audit row, "cli:alice" (the PAM module gives the service as the
 * operator and the remote host as o->origin: "pam:sshd@192.0.2.7");
 * options that did not go through session_opts_parse
 * get the operator settled here.
 */
enum rd_code	session_new(const struct session_opts *o, const char *face,
		    struct session **out, struct rd_err *err) RD_CHECK;
/* Close the vault, wipe and free everything; NULL is fine. */
void		session_free(struct session *s);

/* RD_VAULT_MISSING, in the one wording, when there is no vault yet. */
enum rd_code	session_vault_exists(const struct session *s,
		    struct rd_err *err) RD_CHECK;
/*
 * The passphrase given without a person: --passphrase-file, else
 * $REDOUBT_PASSPHRASE.  RD_NOT_FOUND when neither is given (a face may
 * ask a person); an over-long or unreadable one is refused, never cut.
 */
enum rd_code	session_passphrase(const struct session *s, char *buf,
		    size_t size, struct rd_err *err) RD_CHECK;
/* A new passphrase given without a person: $REDOUBT_NEW_PASSPHRASE. */
enum rd_code	session_new_passphrase(const struct session *s, char *buf,
		    size_t size, struct rd_err *err) RD_CHECK;
/* Open and unlock the vault with pass (Argon2id: slow on purpose). */
enum rd_code	session_unlock(struct session *s, const char *pass,
		    size_t passlen, struct rd_err *err) RD_CHECK;
/*
 * The token of a `redoubt unlock` session in $REDOUBT_SESSION, or NULL
 * when none is set.  While one is, faces open the vault with
 * session_resume instead of asking for the passphrase.
 */
const char	*session_token(void);
/*
 * Open the vault with a session's token (no Argon2id); RD_BAD_PASSPHRASE
 * names why a session is refused (sesstok.h).
 */
enum rd_code	session_resume(struct session *s, const char *tok,
		    struct rd_err *err) RD_CHECK;
/*
 * The key file the session opens the vault with (--keyfile, else
 * $REDOUBT_KEYFILE), or NULL.  A token of `redoubt unlock` comes first
 * and a key file before a passphrase.
 */
const char	*session_keyfile(const struct session *s);
/* Open the vault with its key file (no Argon2id). */
enum rd_code	session_unlock_keyfile(struct session *s, struct rd_err *err)
		    RD_CHECK;
/* Whether the vault is open. */
bool		session_unlocked(const struct session *s);
/*
 * Whether pass opens the session's vault, checked on a connection of its
 * own (one Argon2id, as an unlock); the open vault stays as it is.  For
 * the TUI, whose vault may have been open for hours, before it takes a
 * new passphrase.  RD_BAD_PASSPHRASE when it does not.
 */
enum rd_code	session_check_passphrase(const struct session *s,
		    const char *pass, size_t passlen, struct rd_err *err)
		    RD_CHECK;
/*
 * Whether another process changed the open vault since the last call:
 * *changed is false on the first call and whenever nothing was written
 * elsewhere.  The TUI asks while idle, to show such work without a key.
 */
/*
 * A descriptor that turns readable when another connection commits to a
 * shared store, for a face to wait on with its keyboard; -1 for none (a
 * file vault, or no vault open): ask session_vault_changed each second.
 */
int		session_watch_fd(struct session *s);
enum rd_code	session_vault_changed(struct session *s, bool *changed,
		    struct rd_err *err) RD_CHECK;

/*
 * Read the configuration again (Ctrl-L in the TUI): the file in use, or,
 * when the session runs on the built-in defaults, whatever file the
 * search order finds now.  The new one replaces the old only when it has
 * no problems; otherwise the old one stays in effect and RD_CONFIG says
 * so, with the first problem.  ctx.cfg changes: no command may be
 * running, and nothing may keep pointers into the old config.
 */
enum rd_code	session_reload_config(struct session *s,
		    struct rd_err *err) RD_CHECK;

#endif
