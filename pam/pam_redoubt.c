/*
 * pam_redoubt.c: the entry points of pam_redoubt.so, its arguments, and
 * opening the vault with the key file for one call.  The login itself is
 * in pam-login.c, the conversation in pam-conv.c.  Everything lives in a
 * struct pam_call on the stack of pam_sm_authenticate (pam-int.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include <sodium.h>

#include "../src/session.h"
#include "../src/util.h"
#include "pam-int.h"

#define PAM_RD_EXPORT	__attribute__((visibility("default")))
/* The config a module line without config= uses, when it is there. */
#define PAM_SYSTEM_CONFIG "/etc/redoubt/redoubt.conf"

void
pam_log(const struct pam_call *c, int prio, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	pam_vsyslog(c->pamh, prio, fmt, ap);
	va_end(ap);
}

void
pam_debug(const struct pam_call *c, const char *fmt, ...)
{
	va_list	ap;

	if (!c->debug)
		return;
	va_start(ap, fmt);
	pam_vsyslog(c->pamh, LOG_DEBUG, fmt, ap);
	va_end(ap);
}

/* name=VALUE: *val at VALUE. */
static bool
arg_value(const char *arg, const char *name, const char **val)
{
	size_t	n = strlen(name);

	if (strncmp(arg, name, n) != 0 || arg[n] != '=')
		return false;
	*val = arg + n + 1;
	return true;
}

int
pam_call_args(struct pam_call *c, int argc, const char **argv)
{
	int	i;

	for (i = 0; i < argc; i++) {
		if (arg_value(argv[i], "vault", &c->vault) ||
		    arg_value(argv[i], "config", &c->config) ||
		    arg_value(argv[i], "keyfile", &c->keyfile))
			continue;
		if (strcmp(argv[i], "password") == 0)
			c->password = true;
		else if (strcmp(argv[i], "use_first_pass") == 0)
			c->use_first_pass = true;
		else if (strcmp(argv[i], "try_first_pass") == 0)
			c->try_first_pass = true;
		else if (strcmp(argv[i], "nullok") == 0)
			c->nullok = true;
		else if (strcmp(argv[i], "debug") == 0)
			c->debug = true;
		else {
			pam_log(c, LOG_ERR, "unknown module argument %s "
			    "(see pam_redoubt(8))", argv[i]);
			return PAM_AUTHINFO_UNAVAIL;
		}
	}
	if (c->vault == NULL || c->keyfile == NULL || *c->vault == '\0' ||
	    *c->keyfile == '\0' || (c->config != NULL && *c->config == '\0')) {
		pam_log(c, LOG_ERR, "the module needs vault=FILE and "
		    "keyfile=FILE, and config=FILE when given (missing: "
		    "%s%s%s)",
		    c->vault == NULL || *c->vault == '\0' ? "vault " : "",
		    c->config != NULL && *c->config == '\0' ? "config " : "",
		    c->keyfile == NULL || *c->keyfile == '\0' ? "keyfile" :
		    "");
		return PAM_AUTHINFO_UNAVAIL;
	}
	/*
	 * No config=: the system's, else the built-in settings (apps and
	 * backup codes; channels need a config).  Never one found through
	 * the environment of whatever process loaded the module.
	 */
	if (c->config == NULL)
		c->config = access(PAM_SYSTEM_CONFIG, F_OK) == 0 ?
		    PAM_SYSTEM_CONFIG : "";
	return PAM_SUCCESS;
}

void
pam_call_free(struct pam_call *c)
{
	session_free(c->s);
	secret_release(c->sec);
	sodium_memzero(c, sizeof *c);
}

/*
 * src into dst (size bytes) for the actor of the audit log: letters,
 * digits and . _ - : [ ] kept, anything else '_' (the operator's name
 * allows no spaces or controls, and a host name is no one's to choose).
 */
static void
actor_part(char *dst, size_t size, const char *src)
{
	size_t	i;

	for (i = 0; src != NULL && src[i] != '\0' && i + 1 < size; i++)
		dst[i] = (src[i] >= 'a' && src[i] <= 'z') ||
		    (src[i] >= 'A' && src[i] <= 'Z') ||
		    (src[i] >= '0' && src[i] <= '9') ||
		    strchr("._-:[]", src[i]) != NULL ? src[i] : '_';
	dst[i] = '\0';
}

/*
 * The vault must take writes (replay, failures and the audit are
 * writes): the file and its folder (SQLite's journal), for the effective
 * user.  Said plainly in syslog, since an operator meets it first.
 */
static int
vault_writable(struct pam_call *c)
{
	char	*dir = xstrdup(c->vault);
	int	 e = 0;

	if (faccessat(AT_FDCWD, c->vault, W_OK, AT_EACCESS) != 0)
		e = errno;
	else if (faccessat(AT_FDCWD, dirname(dir), W_OK, AT_EACCESS) != 0)
		e = errno;
	free(dir);
	if (e == 0 || e == ENOENT)
		return PAM_SUCCESS;
	pam_log(c, LOG_ERR, "the vault %s is not writable by uid %lu: %s "
	    "(replay, lockout and audit are writes: give the service write "
	    "access to the file and its folder)", c->vault,
	    (unsigned long)geteuid(), strerror(e));
	return PAM_AUTHINFO_UNAVAIL;
}

/* The session of this call, the vault open with the key file. */
static int
pam_open(struct pam_call *c)
{
	struct session_opts	o;
	struct rd_err		err;
	const void		*item = NULL;

	memset(&o, 0, sizeof o);
	if (pam_get_item(c->pamh, PAM_SERVICE, &item) != PAM_SUCCESS ||
	    item == NULL)
		item = "pam";
	actor_part(c->service, sizeof c->service, item);
	item = NULL;
	if (pam_get_item(c->pamh, PAM_RHOST, &item) == PAM_SUCCESS &&
	    item != NULL && *(const char *)item != '\0') {
		actor_part(c->host, sizeof c->host, item);
		o.origin = c->host;
	}
	if (c->service[0] == '\0')
		snprintf(c->service, sizeof c->service, "pam");
	o.vault = c->vault;
	o.config = *c->config != '\0' ? c->config : NULL;
	o.builtin_config = *c->config == '\0';
	o.keyfile = c->keyfile;
	snprintf(o.operator_name, sizeof o.operator_name, "%s", c->service);
	if (!c->password)
		o.first_factor = "pam";
	if (session_new(&o, "pam", &c->s, &err) != RD_OK) {
		pam_log(c, LOG_ERR, "cannot start: %s", err.msg);
		return PAM_AUTHINFO_UNAVAIL;
	}
	/* Before opening: SQLite's WAL wants writes even to read. */
	if (vault_writable(c) != PAM_SUCCESS)
		return PAM_AUTHINFO_UNAVAIL;
	if (session_unlock_keyfile(c->s, &err) != RD_OK) {
		pam_log(c, LOG_ERR, "cannot open the vault %s with the key "
		    "file %s: %s", c->vault, c->keyfile, err.msg);
		return PAM_AUTHINFO_UNAVAIL;
	}
	pam_debug(c, "vault %s open with the key file %s", c->vault,
	    c->keyfile);
	return PAM_SUCCESS;
}

PAM_RD_EXPORT int
pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	struct pam_call	c;
	int		r;

	memset(&c, 0, sizeof c);
	c.pamh = pamh;
	c.silent = (flags & PAM_SILENT) != 0;
	if ((r = pam_call_args(&c, argc, argv)) != PAM_SUCCESS)
		goto out;
	if (sodium_init() < 0) {
		pam_log(&c, LOG_ERR, "libsodium cannot start");
		r = PAM_AUTHINFO_UNAVAIL;
		goto out;
	}
	c.sec = secret_alloc(sizeof *c.sec);
	if ((r = pam_get_user(pamh, &c.user, NULL)) != PAM_SUCCESS ||
	    c.user == NULL || c.user[0] == '\0') {
		pam_log(&c, LOG_ERR, "no user name");
		r = r == PAM_SUCCESS ? PAM_USER_UNKNOWN : r;
		goto out;
	}
	if ((r = pam_open(&c)) == PAM_SUCCESS)
		r = pam_login(&c);
	pam_debug(&c, "user %s: %s", c.user, pam_strerror(pamh, r));
out:
	pam_call_free(&c);
	return r;
}

PAM_RD_EXPORT int
pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}
