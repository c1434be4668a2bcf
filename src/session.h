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

#include "ctx.h"
#include "err.h"

struct config;

#define SESSION_OPERATOR_MAX	64	/* bytes of an operator's name */

/* The global options of DESIGN.md §6, shared by every face. */
struct session_opts {
	const char	*vault;		/* --vault FILE */
	const char	*config;	/* --config FILE */
	const char	*pass_file;	/* --passphrase-file FILE */
	bool		 json;		/* --json: the command line's */
	bool		 help;		/* --help, -h */
	bool		 version;	/* --version */
	int		 qr;		/* --qr 1, --no-qr -1; 0: on a terminal */
	/*
	 * Who works: --operator NAME, else $REDOUBT_OPERATOR, else the login
	 * name; filled and checked by session_opts_parse.
	 */
	char		 operator_name[SESSION_OPERATOR_MAX + 1];
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
	const char	*pass_file;
	char		*actor;		/* "cli:alice": ctx.actor */
};

/*
 * A session for the options: the config loaded (*out is set even when it
 * has problems, so that `config --check` can name them all; the return
 * is then RD_CONFIG) and the vault path resolved, nothing opened.  face
 * ("cli", "tui") and the operator's name make the actor of every audit
 * row, "cli:alice"; options that did not go through session_opts_parse
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
/* Whether the vault is open. */
bool		session_unlocked(const struct session *s);

#endif
