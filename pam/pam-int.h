/*
 * pam-int.h: what the files of pam_redoubt.so share: one struct per call
 * of pam_sm_authenticate, holding the module's arguments, the PAM items
 * it read, the session and the secrets of this one login.  Nothing of the
 * module lives outside it (no global state: sshd may run logins on
 * several threads, and loads and unloads the module at will), and
 * pam_call_free wipes and frees it all.
 *
 * The module is a face like the command line: it opens the vault through
 * src/session.h with the key file and runs the same commands (user show,
 * login, login-code, request-code) through the command table, so replay,
 * lockout, cooldown and audit are those of the core.  Its messages to the
 * person are plain English (it must not change the process's locale);
 * the core's error texts go only to syslog.
 */
#ifndef RD_PAM_INT_H
#define RD_PAM_INT_H

#include <stdbool.h>

#include <security/pam_modules.h>

#include <cJSON.h>

#include "../src/err.h"
#include "../src/util.h"

#define PAM_RD_CODE_MAX		128	/* bytes of a code or method name typed */
#define PAM_RD_SERVICE_MAX	64	/* the service in the actor */
#define PAM_RD_HOST_MAX		255	/* the remote host in the actor */
#define PAM_RD_PROMPTS		5	/* prompts of one call (method switches) */
#define PAM_RD_TOKEN_MAX	256	/* bytes of an ephemeral token */

/* The secrets of one call, in one secret_alloc (guard pages, wiped). */
struct pam_secrets {
	char	pass[SECRET_LINE_MAX];
	char	code[PAM_RD_CODE_MAX + 1];
	char	token[PAM_RD_TOKEN_MAX];
};

struct session;

struct pam_call {
	pam_handle_t	*pamh;
	/* Module arguments. */
	const char	*vault;		/* vault=FILE */
	const char	*config;	/* config=FILE */
	const char	*keyfile;	/* keyfile=FILE */
	bool		 password;	/* also check the vault's password */
	bool		 use_first_pass;
	bool		 try_first_pass;
	bool		 nullok;
	bool		 debug;
	bool		 silent;	/* PAM_SILENT: no informational messages */
	/* PAM items, cleaned for the audit log's actor. */
	const char	*user;
	char		 service[PAM_RD_SERVICE_MAX + 1];
	char		 host[PAM_RD_HOST_MAX + 1];
	struct session	*s;
	/*
	 * Secrets, handed to the core through ctx->ask: they point into
	 * sec once the call has them, NULL before.
	 */
	struct pam_secrets *sec;
	char		*pass;		/* the password for `login` */
	char		*code;		/* the code for `login-code` */
	char		*token;		/* the login's ephemeral token */
	/* What the running command asked for but did not get. */
	bool		 ask_failed;
};

/*
 * Read argc/argv into c; PAM_AUTHINFO_UNAVAIL (logged) when one is
 * unknown or a required one is missing, else PAM_SUCCESS.
 */
int	pam_call_args(struct pam_call *c, int argc, const char **argv);
/* Wipe and free what c holds (not c itself). */
void	pam_call_free(struct pam_call *c);

/*
 * Run one command of the table: words name it and its arguments (NULL
 * ends them), as on the command line.  *out is its result
 * (cmd_result_free it), also on failure.
 */
enum rd_code	pam_cmd(struct pam_call *c, const char *const *words,
		    cJSON **out, struct rd_err *err) RD_CHECK;

/* The conversation: a message, or a prompt answered into buf. */
void	pam_say(struct pam_call *c, int style, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	pam_ask_line(struct pam_call *c, const char *prompt, bool echo,
	    char *buf, size_t size);

/* The login after the vault is open: a PAM result. */
int	pam_login(struct pam_call *c);

/* syslog of a problem (LOG_ERR) or of a debug line (when debug). */
void	pam_log(const struct pam_call *c, int prio, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	pam_debug(const struct pam_call *c, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
