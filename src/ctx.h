/*
 * ctx.h: what every step of the core runs with: the open vault, the
 * config, the clock and randomness, who acts (for the audit log), how to
 * ask for a secret line, and the work a step leaves for after its
 * transaction has committed.  The faces fill it through the session
 * (session.h); the command runner (cmd.h) hands it to each command.
 */
#ifndef RD_CTX_H
#define RD_CTX_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct config;
struct cJSON;
struct rd_buf;
struct rd_ctx;
struct rd_env;
struct vault;

/*
 * Work that must run outside the step's transaction, after it commits
 * (carrying a code over a network).  fn may open transactions of its own
 * through tx_run(); free releases arg whether fn ran or not.
 */
struct rd_after {
	enum rd_code	(*fn)(struct rd_ctx *ctx, void *arg,
			    struct cJSON *out, struct rd_err *err) RD_CHECK;
	void		*arg;
	void		(*free)(void *arg);
};

struct rd_ctx {
	struct vault		*vault;		/* NULL before unlocking and for init */
	struct config		*cfg;
	const struct rd_env	*env;
	const char		*actor;		/* who acts, for the audit log */
	/*
	 * Who has already checked the user's first factor in place of the
	 * vault's password ("pam": the PAM stack before pam_redoubt, such as
	 * pam_unix).  Only the PAM face sets it, through session_new; the
	 * command line and the TUI never do.  With it, the login step asks
	 * for no password, answers RD_NOT_FOUND for a name that is no user
	 * and RD_BAD_STATE for a user without an active method (a login
	 * with no second factor would pass on the first alone).
	 */
	const char		*first_factor;
	const char		*vault_path;	/* for init */
	struct rd_buf		*transcript;	/* test-backend --verbose */
	volatile int		*cancel;	/* set by the TUI's Esc */
	/*
	 * Ask for a secret line: what names it ("password", "code", ...).
	 * The answer goes into buf (size bytes, NUL-terminated, no newline).
	 */
	enum rd_code		(*ask)(void *arg, const char *what, char *buf,
				    size_t size, struct rd_err *err) RD_CHECK;
	void			*ask_arg;
	/*
	 * What a command's prepare (run before the transaction: asking for
	 * secrets, Argon2id) hands its exec; freed by the runner.
	 */
	void			*prep;
	void			(*prep_free)(void *prep);
	struct rd_after		 after;		/* set by a step, run by the runner */
	/*
	 * How far a long command has come (an import): done of total units
	 * (total -1: not known), end on the last call.  Set by a face that
	 * can show it (and that decides how often to draw); NULL: nobody
	 * watches.
	 */
	void			(*progress)(void *arg, long done, long total,
				    bool end);
	void			*progress_arg;
};

/* Leave fn(arg) for after the step commits (one per step). */
void	ctx_after(struct rd_ctx *ctx,
	    enum rd_code (*fn)(struct rd_ctx *, void *, struct cJSON *,
	    struct rd_err *), void *arg, void (*free_arg)(void *));
/* Drop what was left without running it. */
void	ctx_after_drop(struct rd_ctx *ctx);
/* Keep prep (freed with free_prep) for the step's exec. */
void	ctx_prep(struct rd_ctx *ctx, void *prep, void (*free_prep)(void *));
void	ctx_prep_drop(struct rd_ctx *ctx);

#endif
