/*
 * session.c: resolving the config, the vault path, the passphrase
 * source and the operator for every face, and opening the vault
 * (session.h).
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "../vault/vault.h"
#include "config.h"
#include "env.h"
#include "i18n.h"
#include "line.h"
#include "session.h"
#include "sesstok.h"
#include "utf8.h"
#include "util.h"

/* --name VALUE or --name=VALUE at argv[*i]; *val NULL when it lacks one. */
static bool
opt_take(int argc, char **argv, int *i, const char *name, const char **val)
{
	const char	*arg = argv[*i];
	size_t		 n = strlen(name);

	if (strncmp(arg, name, n) != 0)
		return false;
	if (arg[n] == '=') {
		*val = arg + n + 1;
		return true;
	}
	if (arg[n] != '\0')
		return false;
	*val = *i + 1 < argc ? argv[++*i] : NULL;
	return true;
}

/*
 * Whether name may stand for the operator in the audit log, which every
 * face prints: valid UTF-8 without spaces, controls (C0, DEL, C1) or the
 * marks that turn text around (U+200E/F, U+202A-E, U+2066-9), so an entry
 * cannot pass itself off as another on a terminal.
 */
static bool
operator_ok(const char *name)
{
	uint32_t	cp;
	size_t		k;

	for (; *name != '\0'; name += k)
		if ((k = utf8_next(name, &cp)) == 0 || cp == ' ' ||
		    utf8_control(cp) || cp == 0x200e || cp == 0x200f ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return false;
	return true;
}

/* name from where (for messages) into o, or RD_USAGE saying why not. */
static enum rd_code RD_CHECK
operator_take(struct session_opts *o, const char *name, const char *where,
    struct rd_err *err)
{
	/* The name itself is not repeated: it may hold anything at all. */
	if (*name == '\0')
		return rd_err_set(err, RD_USAGE, _("%s: the operator's name is "
		    "empty; give the name the audit log should show"), where);
	if (strlen(name) > SESSION_OPERATOR_MAX)
		return rd_err_set(err, RD_USAGE, _("%s: the operator's name is "
		    "longer than %d bytes"), where, SESSION_OPERATOR_MAX);
	if (!operator_ok(name))
		return rd_err_set(err, RD_USAGE, _("%s: an operator's name is "
		    "UTF-8 without spaces, control characters or direction "
		    "marks"), where);
	memcpy(o->operator_name, name, strlen(name) + 1);
	return RD_OK;
}

/* $REDOUBT_OPERATOR, else the name of the effective user. */
static enum rd_code RD_CHECK
operator_default(struct session_opts *o, struct rd_err *err)
{
	struct passwd	 pw, *found = NULL;
	const char	*v;
	char		 buf[4096], uid[32];

	if ((v = getenv("REDOUBT_OPERATOR")) != NULL)
		return operator_take(o, v, "$REDOUBT_OPERATOR", err);
	if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &found) == 0 &&
	    found != NULL)
		return operator_take(o, pw.pw_name, _("the login name (give "
		    "--operator NAME)"), err);
	/* A user id without a passwd entry, as in some containers. */
	snprintf(uid, sizeof uid, "uid-%lu", (unsigned long)geteuid());
	return operator_take(o, uid, _("the user id"), err);
}

enum rd_code
session_opt_take(int argc, char **argv, int *i, struct session_opts *o,
    struct rd_err *err)
{
	const char	*v = "", *arg = argv[*i];

	if (strcmp(arg, "--json") == 0)
		o->json = true;
	else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
		o->help = true;
	else if (strcmp(arg, "--version") == 0)
		o->version = true;
	else if (strcmp(arg, "--qr") == 0)
		o->qr = 1;
	else if (strcmp(arg, "--no-qr") == 0)
		o->qr = -1;
	else if (opt_take(argc, argv, i, "--vault", &v))
		o->vault = v;
	else if (opt_take(argc, argv, i, "--config", &v))
		o->config = v;
	else if (opt_take(argc, argv, i, "--passphrase-file", &v))
		o->pass_file = v;
	else if (opt_take(argc, argv, i, "--keyfile", &v))
		o->keyfile = v;
	else if (opt_take(argc, argv, i, "--operator", &v)) {
		if (v != NULL && operator_take(o, v, "--operator", err) != RD_OK)
			return err->code;
	} else
		return RD_NOT_FOUND;
	if (v == NULL)
		return rd_err_set(err, RD_USAGE, _("%s needs a value"), arg);
	++*i;
	return RD_OK;
}

enum rd_code
session_opts_parse(int argc, char **argv, int *i, struct session_opts *o,
    struct rd_err *err)
{
	enum rd_code	rc;

	while (*i < argc && argv[*i][0] == '-' && argv[*i][1] != '\0') {
		if (strcmp(argv[*i], "--") == 0) {
			/* POSIX guideline 10: what follows is the command. */
			++*i;
			break;
		}
		rc = session_opt_take(argc, argv, i, o, err);
		if (rc == RD_NOT_FOUND)
			return rd_err_set(err, RD_USAGE,
			    _("unknown global option "
			    "%s (see redoubt --help)"), argv[*i]);
		if (rc != RD_OK)
			return rc;
	}
	/* Help needs nobody's name, so a bad one does not hide it. */
	if (o->operator_name[0] == '\0' && !o->help)
		return operator_default(o, err);
	return RD_OK;
}

/* --vault, $REDOUBT_VAULT, $XDG_DATA_HOME/redoubt/vault.db, ~/.local/... */
static char *
session_vault_path(const char *opt)
{
	const char	*v;

	if (opt != NULL)
		return xstrdup(opt);
	if ((v = getenv("REDOUBT_VAULT")) != NULL && *v != '\0')
		return xstrdup(v);
	if ((v = getenv("XDG_DATA_HOME")) != NULL && *v != '\0')
		return xasprintf("%s/redoubt/vault.db", v);
	if ((v = getenv("HOME")) != NULL && *v != '\0')
		return xasprintf("%s/.local/share/redoubt/vault.db", v);
	return xstrdup("vault.db");
}

enum rd_code
session_new(const struct session_opts *o, const char *face,
    struct session **out, struct rd_err *err)
{
	struct session		*s = xcalloc(1, sizeof *s);
	struct session_opts	 who = *o;
	struct rd_err		 cerr;
	enum rd_code		 rc = RD_OK, crc;

	*out = s;
	/* Faces settle it in session_opts_parse; other callers get it here. */
	if (who.operator_name[0] == '\0')
		rc = operator_default(&who, err);
	s->actor = xasprintf("%s:%s%s%s", face, rc == RD_OK ?
	    who.operator_name : "?", o->origin != NULL ? "@" : "",
	    o->origin != NULL ? o->origin : "");
	s->cfg_path = o->builtin_config ? NULL : config_find(o->config);
	s->vault_path = session_vault_path(o->vault);
	s->vault_shown = vault_where_shown(s->vault_path);
	s->pass_file = o->pass_file;
	s->keyfile = o->keyfile;
	if (s->keyfile == NULL && (s->keyfile = getenv("REDOUBT_KEYFILE")) !=
	    NULL && s->keyfile[0] == '\0')
		s->keyfile = NULL;
	crc = config_load(s->cfg_path, &s->cfg, &cerr);
	if (rc == RD_OK && crc != RD_OK) {
		*err = cerr;
		rc = crc;
	}
	s->ctx.cfg = s->cfg;
	s->ctx.env = &rd_env_system;
	s->ctx.actor = s->actor;
	/* Only the PAM face may stand for the first factor (ctx.h). */
	if (strcmp(face, "pam") == 0)
		s->ctx.first_factor = o->first_factor;
	s->ctx.vault_path = s->vault_path;
	return rc;
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	ctx_after_drop(&s->ctx);
	vault_close(s->ctx.vault);
	config_free(s->cfg);
	free(s->actor);
	free(s->cfg_path);
	free(s->vault_path);
	free(s->vault_shown);
	sodium_memzero(s, sizeof *s);
	free(s);
}

/*
 * A file that is not there gets the command that makes it; a database
 * keeps the store's own words (unreachable, or empty: "run redoubt init").
 */
static enum rd_code RD_CHECK
session_no_vault(const struct session *s, struct rd_err *err)
{
	if (vault_is_db(s->vault_path))
		return err->code;
	return rd_err_set(err, RD_VAULT_MISSING, _("no vault at %s (make one "
	    "with: redoubt --vault %s init)"), s->vault_shown, s->vault_shown);
}

enum rd_code
session_vault_exists(const struct session *s, struct rd_err *err)
{
	if (vault_exists(s->vault_path, err) != RD_OK)
		return session_no_vault(s, err);
	return RD_OK;
}

/*
 * Before an open: a file must be there (the open would say less); a
 * database is asked by the open itself, not by a connection of its own.
 */
static enum rd_code RD_CHECK
session_vault_here(const struct session *s, struct rd_err *err)
{
	if (vault_is_db(s->vault_path))
		return RD_OK;
	return session_vault_exists(s, err);
}

/* A secret from the environment, refused when it does not fit. */
static enum rd_code RD_CHECK
session_env_secret(const char *name, char *buf, size_t size,
    struct rd_err *err)
{
	const char	*v;

	if ((v = getenv(name)) == NULL)
		return rd_err_set(err, RD_NOT_FOUND, _("$%s is not set"), name);
	if (strlen(v) >= size)
		return rd_err_set(err, RD_USAGE,
		    _("$%s is longer than %zu bytes"),
		    name, size - 1);
	memcpy(buf, v, strlen(v) + 1);
	return RD_OK;
}

enum rd_code
session_passphrase(const struct session *s, char *buf, size_t size,
    struct rd_err *err)
{
	if (s->pass_file != NULL)
		return line_read_file(s->pass_file, "passphrase", buf, size,
		    err);
	return session_env_secret("REDOUBT_PASSPHRASE", buf, size, err);
}

enum rd_code
session_new_passphrase(const struct session *s, char *buf, size_t size,
    struct rd_err *err)
{
	(void)s;
	return session_env_secret("REDOUBT_NEW_PASSPHRASE", buf, size, err);
}

enum rd_code
session_unlock(struct session *s, const char *pass, size_t passlen,
    struct rd_err *err)
{
	struct vault	*v = NULL;
	enum rd_code	 rc;

	if ((rc = session_vault_here(s, err)) != RD_OK)
		return rc;
	rc = vault_open(s->vault_path, pass, passlen, &v, err);
	if (rc == RD_VAULT_MISSING)
		return session_no_vault(s, err);
	if (rc != RD_OK)
		return rc;
	vault_close(s->ctx.vault);
	s->ctx.vault = v;
	return RD_OK;
}

const char *
session_keyfile(const struct session *s)
{
	return s->keyfile;
}

enum rd_code
session_unlock_keyfile(struct session *s, struct rd_err *err)
{
	struct vault	*v = NULL;
	enum rd_code	 rc;

	if ((rc = session_vault_here(s, err)) != RD_OK)
		return rc;
	if ((rc = vault_open_keyfile(s->vault_path, s->keyfile, &v, err)) !=
	    RD_OK)
		return rc == RD_VAULT_MISSING ? session_no_vault(s, err) : rc;
	vault_close(s->ctx.vault);
	s->ctx.vault = v;
	return RD_OK;
}

const char *
session_token(void)
{
	const char	*t = getenv(SESSTOK_ENV);

	return t != NULL && t[0] != '\0' ? t : NULL;
}

enum rd_code
session_resume(struct session *s, const char *tok, struct rd_err *err)
{
	struct vault	*v = NULL;
	enum rd_code	 rc;

	if ((rc = session_vault_here(s, err)) != RD_OK)
		return rc;
	if ((rc = sesstok_open(s->vault_path, s->ctx.env, tok, &v, err)) !=
	    RD_OK)
		return rc;
	vault_close(s->ctx.vault);
	s->ctx.vault = v;
	return RD_OK;
}

bool
session_unlocked(const struct session *s)
{
	return s->ctx.vault != NULL;
}

enum rd_code
session_check_passphrase(const struct session *s, const char *pass,
    size_t passlen, struct rd_err *err)
{
	struct vault	*v = NULL;
	enum rd_code	 rc;

	rc = vault_open(s->vault_path, pass, passlen, &v, err);
	vault_close(v);
	if (rc == RD_VAULT_MISSING)
		return session_no_vault(s, err);
	return rc;
}

enum rd_code
session_vault_changed(struct session *s, bool *changed, struct rd_err *err)
{
	int64_t		version;
	enum rd_code	rc;

	*changed = false;
	if (s->ctx.vault == NULL)
		return RD_OK;
	if ((rc = vault_data_version(s->ctx.vault, &version, err)) != RD_OK)
		return rc;
	/* A vault opened since (unlocked again, made): its first answer is
	   where it starts. */
	*changed = s->watched == s->ctx.vault && version != s->data_version;
	s->watched = s->ctx.vault;
	s->data_version = version;
	return RD_OK;
}

int
session_watch_fd(struct session *s)
{
	return s->ctx.vault != NULL ? vault_watch_fd(s->ctx.vault) : -1;
}

enum rd_code
session_reload_config(struct session *s, struct rd_err *err)
{
	struct config	*cfg = NULL;
	struct rd_err	 lerr;
	char		*path;
	size_t		 n;

	path = s->cfg_path != NULL ? xstrdup(s->cfg_path) : config_find(NULL);
	if (config_load(path, &cfg, &lerr) != RD_OK) {
		n = cfg->problems.n;
		/* The loader's words point to an option of the command
		   line; a status line wants the problem early. */
		if (s->cfg->problems.n > 0)
			rd_err_set(err, RD_CONFIG, ngettext("the configuration "
			    "file still has %zu problem: %s", "the configuration "
			    "file still has %zu problems: %s", n), n, n > 0 ?
			    cfg->problems.list[0] : lerr.msg);
		else
			rd_err_set(err, RD_CONFIG, ngettext("the configuration "
			    "file now has %zu problem, so the settings read "
			    "before stay in effect: %s", "the configuration "
			    "file now has %zu problems, so the settings read "
			    "before stay in effect: %s", n), n, n > 0 ?
			    cfg->problems.list[0] : lerr.msg);
		config_free(cfg);
		free(path);
		return RD_CONFIG;
	}
	config_free(s->cfg);
	s->cfg = cfg;
	s->ctx.cfg = cfg;
	free(s->cfg_path);
	s->cfg_path = path;
	return RD_OK;
}
