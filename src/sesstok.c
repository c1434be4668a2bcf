/*
 * sesstok.c: the files and tokens of `redoubt unlock` sessions
 * (sesstok.h).  The token is "ID.KEY": 16 random bytes in hex naming the
 * file, and a random 256-bit key in base64url that never touches the
 * disk.  A file is
 *   "RDS1" | id | BLAKE2b(vault's real path) | vault_session_seal's blob
 * with its first 52 bytes as associated data, so a file renamed, moved to
 * another vault or edited no longer opens.  Rewrites go through a
 * temporary file and rename, so a reader never sees half a file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "../vault/vault.h"
#include "env.h"
#include "i18n.h"
#include "sesstok.h"
#include "util.h"

#define ST_MAGIC	"RDS1"
#define ST_IDLEN	16
#define ST_HEAD		(4 + ST_IDLEN + 32)
#define ST_FILE		(ST_HEAD + VAULT_SESSION_BLOB_LEN)

struct sesstok {
	uint8_t	id[ST_IDLEN];
	char	idhex[2 * ST_IDLEN + 1];
	uint8_t	*key;		/* 32 bytes, sodium_malloc */
};

/* A folder fit for keys: a real one, ours, closed to everyone else. */
static bool
sesstok_dir_ok(const char *dir)
{
	struct stat	sb;

	return lstat(dir, &sb) == 0 && S_ISDIR(sb.st_mode) &&
	    sb.st_uid == getuid() && (sb.st_mode & 077) == 0;
}

enum rd_code
sesstok_dir(char **out, struct rd_err *err)
{
	const char	*xdg = getenv("XDG_RUNTIME_DIR");
	char		*dir = NULL;

	*out = NULL;
	if (xdg != NULL && xdg[0] == '/' && sesstok_dir_ok(xdg)) {
		dir = xasprintf("%s/redoubt", xdg);
		(void)mkdir(dir, 0700);
		if (sesstok_dir_ok(dir)) {
			*out = dir;
			return RD_OK;
		}
		free(dir);
	}
	dir = xasprintf("/tmp/redoubt-%lu", (unsigned long)getuid());
	(void)mkdir(dir, 0700);
	if (!sesstok_dir_ok(dir)) {
		rd_err_set(err, RD_NOT_ALLOWED, _("the folder %s is not "
		    "yours alone (it must belong to you with mode 0700), so "
		    "no session can be kept there"), dir);
		free(dir);
		return RD_NOT_ALLOWED;
	}
	*out = dir;
	return RD_OK;
}

static void
sesstok_vault_id(const char *path, uint8_t id[32])
{
	char	*real = realpath(path, NULL);
	const char *p = real != NULL ? real : path;

	crypto_generichash(id, 32, (const uint8_t *)p, strlen(p), NULL, 0);
	free(real);
}

static enum rd_code RD_CHECK
sesstok_parse(const char *tok, struct sesstok *t, struct rd_err *err)
{
	const char	*dot = strchr(tok, '.');
	size_t		 len, klen;

	t->key = NULL;
	if (dot == NULL || dot - tok != 2 * ST_IDLEN ||
	    sodium_hex2bin(t->id, sizeof t->id, tok, 2 * ST_IDLEN, NULL,
	    &len, NULL) != 0 || len != ST_IDLEN)
		goto bad;
	memcpy(t->idhex, tok, 2 * ST_IDLEN);
	t->idhex[2 * ST_IDLEN] = '\0';
	if ((t->key = sodium_malloc(32)) == NULL)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("cannot lock memory "
		    "for keys"));
	if (sodium_base642bin(t->key, 32, dot + 1, strlen(dot + 1), NULL,
	    &klen, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    klen != 32)
		goto bad;
	return RD_OK;
bad:
	sodium_free(t->key);
	t->key = NULL;
	return rd_err_set(err, RD_BAD_PASSPHRASE, _("$%s is not a session "
	    "of redoubt (mistyped or cut short?): run redoubt unlock again"),
	    SESSTOK_ENV);
}

/* Write buf as dir/name through a temporary file and rename. */
static enum rd_code RD_CHECK
sesstok_write(const char *dir, const char *name, const uint8_t *buf,
    size_t len, struct rd_err *err)
{
	char	*tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
	char	*dst = xasprintf("%s/%s", dir, name);
	int	 fd, ok;

	ok = (fd = mkstemp(tmp)) >= 0 && fchmod(fd, 0600) == 0 &&
	    write(fd, buf, len) == (ssize_t)len;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	if (ok && rename(tmp, dst) != 0)
		ok = 0;
	if (!ok && fd >= 0)
		(void)unlink(tmp);
	free(tmp);
	free(dst);
	if (!ok)
		return rd_err_set(err, RD_NOT_ALLOWED, _("cannot write the "
		    "session's file in %s: %s"), dir, strerror(errno));
	return RD_OK;
}

enum rd_code
sesstok_start(struct rd_ctx *ctx, int64_t idle, int64_t max, char *tok,
    int64_t *expires, struct rd_err *err)
{
	struct vault_session	 t;
	uint8_t			 file[ST_FILE], id[ST_IDLEN], *key;
	char			 idhex[2 * ST_IDLEN + 1], *dir;
	enum rd_code		 rc;

	if ((rc = sesstok_dir(&dir, err)) != RD_OK)
		return rc;
	if ((key = sodium_malloc(32)) == NULL) {
		free(dir);
		return rd_err_set(err, RD_VAULT_CORRUPT, _("cannot lock memory "
		    "for keys"));
	}
	randombytes_buf(id, sizeof id);
	randombytes_buf(key, 32);
	sodium_bin2hex(idhex, sizeof idhex, id, sizeof id);
	t.created = t.used = env_now(ctx->env);
	t.idle = idle;
	t.max = max;
	memcpy(file, ST_MAGIC, 4);
	memcpy(file + 4, id, ST_IDLEN);
	sesstok_vault_id(ctx->vault_path, file + 4 + ST_IDLEN);
	if ((rc = vault_session_seal(ctx->vault, key, file, ST_HEAD, &t,
	    file + ST_HEAD, err)) == RD_OK)
		rc = sesstok_write(dir, idhex, file, sizeof file, err);
	if (rc == RD_OK) {
		memcpy(tok, idhex, 2 * ST_IDLEN);
		tok[2 * ST_IDLEN] = '.';
		sodium_bin2base64(tok + 2 * ST_IDLEN + 1,
		    SESSTOK_MAX - 2 * ST_IDLEN - 1, key, 32,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		*expires = t.created + (idle < max ? idle : max);
	}
	sodium_free(key);
	free(dir);
	return rc;
}

static enum rd_code RD_CHECK
sesstok_read(const char *dir, const struct sesstok *t, uint8_t *file,
    struct rd_err *err)
{
	char	*name = xasprintf("%s/%s", dir, t->idhex);
	FILE	*fp = fopen(name, "rb");
	size_t	 n = 0;
	int	 extra = EOF;

	if (fp != NULL) {
		n = fread(file, 1, ST_FILE, fp);
		extra = fgetc(fp);
		fclose(fp);
	}
	free(name);
	if (fp == NULL)
		return rd_err_set(err, RD_BAD_PASSPHRASE, _("the session has "
		    "ended (locked, or this machine restarted): run redoubt "
		    "unlock again"));
	if (n != ST_FILE || extra != EOF || memcmp(file, ST_MAGIC, 4) != 0 ||
	    memcmp(file + 4, t->id, ST_IDLEN) != 0)
		return rd_err_set(err, RD_BAD_PASSPHRASE, _("the session's "
		    "file is damaged: run redoubt unlock again"));
	return RD_OK;
}

/* Why t ended at now, or RD_OK while it lasts. */
static enum rd_code RD_CHECK
sesstok_judge(const struct vault_session *t, int64_t now,
    struct rd_err *err)
{
	int64_t	m;

	if (now - t->created >= t->max) {
		m = t->max / 60;
		return rd_err_set(err, RD_BAD_PASSPHRASE, ngettext("the "
		    "session has expired (it lasts at most %lld minute): run "
		    "redoubt unlock again", "the session has expired (it "
		    "lasts at most %lld minutes): run redoubt unlock again",
		    (unsigned long)m), (long long)m);
	}
	if (now - t->used >= t->idle) {
		m = t->idle / 60;
		return rd_err_set(err, RD_BAD_PASSPHRASE, ngettext("the "
		    "session has expired (idle for %lld minute): run redoubt "
		    "unlock again", "the session has expired (idle for %lld "
		    "minutes): run redoubt unlock again", (unsigned long)m),
		    (long long)m);
	}
	return RD_OK;
}

enum rd_code
sesstok_open(const char *path, const struct rd_env *env, const char *tok,
    struct vault **out, struct rd_err *err)
{
	struct sesstok		 t;
	struct vault_session	 times;
	struct vault		*v = NULL;
	uint8_t			 file[ST_FILE], vid[32];
	char			*dir = NULL, *name;
	int64_t			 now = env_now(env);
	enum rd_code		 rc;

	*out = NULL;
	if ((rc = sesstok_parse(tok, &t, err)) != RD_OK)
		return rc;
	if ((rc = sesstok_dir(&dir, err)) != RD_OK ||
	    (rc = sesstok_read(dir, &t, file, err)) != RD_OK)
		goto out;
	sesstok_vault_id(path, vid);
	if (sodium_memcmp(vid, file + 4 + ST_IDLEN, 32) != 0) {
		rc = rd_err_set(err, RD_BAD_PASSPHRASE, _("the session belongs "
		    "to another vault than %s: run redoubt unlock for this "
		    "one"), path);
		goto out;
	}
	if ((rc = vault_open_session(path, t.key, file, ST_HEAD,
	    file + ST_HEAD, VAULT_SESSION_BLOB_LEN, &times, &v, err)) != RD_OK)
		goto out;
	if ((rc = sesstok_judge(&times, now, err)) != RD_OK) {
		name = xasprintf("%s/%s", dir, t.idhex);
		(void)unlink(name);
		free(name);
		goto out;
	}
	if (now != times.used) {
		times.used = now;
		if ((rc = vault_session_seal(v, t.key, file, ST_HEAD, &times,
		    file + ST_HEAD, err)) != RD_OK ||
		    (rc = sesstok_write(dir, t.idhex, file, sizeof file,
		    err)) != RD_OK)
			goto out;
	}
	*out = v;
	v = NULL;
out:
	vault_close(v);
	sodium_free(t.key);
	free(dir);
	return rc;
}

enum rd_code
sesstok_end(const char *tok, struct rd_err *err)
{
	struct sesstok	 t;
	char		*dir, *name;
	enum rd_code	 rc;

	if ((rc = sesstok_parse(tok, &t, err)) != RD_OK)
		return rc;
	sodium_free(t.key);
	if ((rc = sesstok_dir(&dir, err)) != RD_OK)
		return rc;
	name = xasprintf("%s/%s", dir, t.idhex);
	if (unlink(name) != 0)
		rc = rd_err_set(err, RD_NOT_FOUND, _("no such session (it "
		    "had ended already)"));
	free(name);
	free(dir);
	return rc;
}

enum rd_code
sesstok_end_all(const char *path, int *n, struct rd_err *err)
{
	DIR		*d;
	struct dirent	*de;
	uint8_t		 vid[32], head[ST_HEAD];
	char		*dir, *name;
	FILE		*fp;
	enum rd_code	 rc;

	*n = 0;
	if ((rc = sesstok_dir(&dir, err)) != RD_OK)
		return rc;
	sesstok_vault_id(path, vid);
	if ((d = opendir(dir)) == NULL) {
		free(dir);
		return RD_OK;
	}
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) != 2 * ST_IDLEN)
			continue;
		name = xasprintf("%s/%s", dir, de->d_name);
		if ((fp = fopen(name, "rb")) != NULL) {
			if (fread(head, 1, sizeof head, fp) == sizeof head &&
			    memcmp(head, ST_MAGIC, 4) == 0 &&
			    memcmp(head + 4 + ST_IDLEN, vid, 32) == 0 &&
			    unlink(name) == 0)
				(*n)++;
			fclose(fp);
		}
		free(name);
	}
	closedir(d);
	free(dir);
	return RD_OK;
}
