/*
 * keyslot.c: key slots, as LUKS has them.  Besides the passphrase (slot
 * 0), the master key may be wrapped under random 256-bit keys kept in key
 * files, so that a service (the PAM module, a cron job) opens the vault
 * without a passphrase and without Argon2id: a key file is high-entropy,
 * so it needs no KDF.
 *
 * A slot is one header row, "slot.N" = created | nonce |
 * XChaCha20-Poly1305(master) under the file's key, with the associated
 * data naming the slot and its time, so a row moved to another number
 * does not open.  The slots are part of the header's MAC (header.c); when
 * each was last used ("slot.N.used") is a note outside it.  The master key
 * never changes, so a new passphrase keeps every slot, and removing a slot
 * deletes its row: its file opens nothing from then on.
 *
 * A key file is one line, "redoubt-key 1 SLOT BASE64KEY", owned by the user
 * who reads it and readable by nobody else.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "vault-int.h"

#define KS_NB		crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define KS_BLOB_LEN	(8 + KS_NB + 32 + \
			 crypto_aead_xchacha20poly1305_ietf_ABYTES)
#define KS_MAGIC	"redoubt-key 1 "
#define KS_LINE_MAX	128
#define KS_TOUCH_SECS	60

struct keyfile {
	int64_t	slot;
	uint8_t	key[32];
};

static void
ks_put64(uint8_t *p, int64_t n)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)((uint64_t)n >> (8 * i));
}

static int64_t
ks_get64(const uint8_t *p)
{
	uint64_t	n = 0;

	for (int i = 7; i >= 0; i--)
		n = n << 8 | p[i];
	return (int64_t)n;
}

/* "redoubt key slot v1" | slot | created: what a wrapped key belongs to. */
static size_t
ks_ad(int64_t slot, const uint8_t created[8], uint8_t *ad)
{
	static const char	tag[] = "redoubt key slot v1";

	memcpy(ad, tag, sizeof tag - 1);
	ks_put64(ad + sizeof tag - 1, slot);
	memcpy(ad + sizeof tag - 1 + 8, created, 8);
	return sizeof tag - 1 + 16;
}

/*
 * Read a key file: a regular file of ours that no one else may read (the
 * key in it is the vault), holding one line in our format.
 */
static enum rd_code RD_CHECK
keyfile_read(const char *path, struct keyfile *kf, struct rd_err *err)
{
	struct stat	 sb;
	char		*line, *p, *end;
	size_t		 klen;
	ssize_t		 n;
	int		 fd;
	enum rd_code	 rc = RD_OK;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return rd_err_set(err, RD_BAD_PASSPHRASE, _("cannot read the "
		    "key file %s: %s"), path, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return rd_err_set(err, RD_BAD_PASSPHRASE, _("the key file %s "
		    "is not a regular file"), path);
	}
	if (sb.st_uid != geteuid()) {
		close(fd);
		return rd_err_set(err, RD_BAD_PASSPHRASE, _("the key file %s "
		    "belongs to another user (uid %lu): a key file must be "
		    "yours alone"), path, (unsigned long)sb.st_uid);
	}
	if ((sb.st_mode & 077) != 0) {
		close(fd);
		return rd_err_set(err, RD_BAD_PASSPHRASE, _("the key file %s "
		    "may be read by others (mode %04o): make it 0400 with "
		    "chmod 400"), path, (unsigned)(sb.st_mode & 07777));
	}
	line = secret_alloc(KS_LINE_MAX);
	n = read(fd, line, KS_LINE_MAX - 1);
	close(fd);
	if (n <= 0 || (size_t)n >= KS_LINE_MAX - 1 ||
	    strncmp(line, KS_MAGIC, sizeof KS_MAGIC - 1) != 0)
		goto bad;
	line[n] = '\0';
	p = line + sizeof KS_MAGIC - 1;
	errno = 0;
	kf->slot = strtoll(p, &end, 10);
	if (errno != 0 || end == p || *end != ' ' || kf->slot < 1)
		goto bad;
	p = end + 1;
	if ((end = strchr(p, '\n')) != NULL)
		*end = '\0';
	if (sodium_base642bin(kf->key, sizeof kf->key, p, strlen(p), NULL,
	    &klen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    klen != sizeof kf->key)
		goto bad;
	goto out;
bad:
	rc = rd_err_set(err, RD_BAD_PASSPHRASE, _("%s is not a redoubt key "
	    "file (or it is damaged)"), path);
out:
	secret_release(line);
	return rc;
}

static enum rd_code RD_CHECK
keyslot_unlock(struct vault *v, void *arg, const uint8_t *salt,
    const uint8_t *wrapped, size_t wrappedlen, struct rd_err *err)
{
	struct keyfile	*kf = arg;
	uint8_t		 blob[KS_BLOB_LEN], ad[64];
	unsigned long long mlen;
	char		 name[32];
	size_t		 len, adlen;
	enum rd_code	 rc;

	(void)salt;
	(void)wrapped;
	(void)wrappedlen;
	snprintf(name, sizeof name, "slot.%lld", (long long)kf->slot);
	rc = meta_blob(v, name, blob, sizeof blob, &len, NULL);
	if (rc != RD_OK)
		return rd_err_set(err, RD_BAD_PASSPHRASE, _("the key file's "
		    "slot %lld is not in vault %s (removed?)"),
		    (long long)kf->slot, v->path);
	adlen = ks_ad(kf->slot, blob, ad);
	if (len != sizeof blob ||
	    crypto_aead_xchacha20poly1305_ietf_decrypt(v->keys->master,
	    &mlen, NULL, blob + 8 + KS_NB, len - 8 - KS_NB, ad, adlen,
	    blob + 8, kf->key) != 0 || mlen != sizeof v->keys->master)
		return rd_err_set(err, RD_BAD_PASSPHRASE, _("the key file does "
		    "not open slot %lld of vault %s"), (long long)kf->slot,
		    v->path);
	key_derive(v->keys);
	return RD_OK;
}

enum rd_code
vault_open_keyfile(const char *path, const char *keyfile, struct vault **out,
    struct rd_err *err)
{
	struct keyfile		*kf;
	struct vault_opener	 op;
	enum rd_code		 rc;

	*out = NULL;
	if ((kf = sodium_malloc(sizeof *kf)) == NULL)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("cannot lock memory "
		    "for keys"));
	if ((rc = keyfile_read(keyfile, kf, err)) == RD_OK) {
		op.fn = keyslot_unlock;
		op.arg = kf;
		if ((rc = vault_open_with(path, &op, out, err)) == RD_OK)
			keyslot_touch(*out, kf->slot);
	}
	sodium_free(kf);
	return rc;
}

void
keyslot_touch(struct vault *v, int64_t id)
{
	char		name[40];
	int64_t		used = 0, now = (int64_t)time(NULL);
	struct rd_err	err;

	snprintf(name, sizeof name, "slot.%lld.used", (long long)id);
	if (meta_int(v, name, &used, NULL) == RD_OK &&
	    now - used < KS_TOUCH_SECS && now >= used)
		return;
	/*
	 * A note, not a record: when the vault is busy or read-only the
	 * open goes on without it, so nothing to report.
	 */
	if (!sqlite3_get_autocommit(v->db))
		return;
	/* Nor does it wait for a writer. */
	sqlite3_busy_timeout(v->db, 0);
	if (sqlite3_exec(v->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
	    SQLITE_OK) {
		if (meta_put(v, name, NULL, 0, now, &err) == RD_OK)
			sqlite3_exec(v->db, "COMMIT", NULL, NULL, NULL);
		if (!sqlite3_get_autocommit(v->db))
			sqlite3_exec(v->db, "ROLLBACK", NULL, NULL, NULL);
	}
	sqlite3_busy_timeout(v->db, VAULT_BUSY_MS);
}

/* The next free slot number: one more than the highest. */
static enum rd_code RD_CHECK
keyslot_next(struct vault *v, int64_t *id, struct rd_err *err)
{
	static const char	 sql[] = "SELECT k FROM meta WHERE k GLOB"
	    " 'slot.[0-9]*' AND k NOT GLOB 'slot.*.*'";
	sqlite3_stmt		*st;
	int			 rc;

	*id = 1;
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long	n = atoll((const char *)sqlite3_column_text(st,
				    0) + 5);

		if (n >= *id)
			*id = n + 1;
	}
	vault_done(st);
	if (rc != SQLITE_DONE)
		return vault_sqlerr(v, rc, N_("reading the key slots"), err);
	return RD_OK;
}

/* Write the key file for slot id: new (O_EXCL), 0400, one line. */
static enum rd_code RD_CHECK
keyfile_write(const char *path, int64_t id, const uint8_t key[32],
    struct rd_err *err)
{
	char	*line, b64[sodium_base64_ENCODED_LEN(32,
		    sodium_base64_VARIANT_ORIGINAL)];
	size_t	 len;
	int	 fd, ok;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0400);
	if (fd < 0)
		return rd_err_set(err, errno == EEXIST ? RD_EXISTS : RD_USAGE,
		    errno == EEXIST ? _("%s exists already: a key file is "
		    "never overwritten") : _("cannot create the key file %s: "
		    "%s"), path, strerror(errno));
	line = secret_alloc(KS_LINE_MAX);
	sodium_bin2base64(b64, sizeof b64, key, 32,
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(line, KS_LINE_MAX, "%s%lld %s\n", KS_MAGIC, (long long)id,
	    b64);
	sodium_memzero(b64, sizeof b64);
	len = strlen(line);
	ok = write(fd, line, len) == (ssize_t)len && fsync(fd) == 0;
	secret_release(line);
	if (close(fd) != 0)
		ok = 0;
	if (!ok) {
		unlink(path);
		return rd_err_set(err, RD_USAGE, _("cannot write the key file "
		    "%s"), path);
	}
	return RD_OK;
}

enum rd_code
vault_slot_add(struct vault *v, const char *keyfile, int64_t now,
    int64_t *id, struct rd_err *err)
{
	uint8_t		*key, blob[KS_BLOB_LEN], ad[64];
	char		 name[32];
	size_t		 adlen;
	enum rd_code	 rc;

	if ((rc = keyslot_next(v, id, err)) != RD_OK)
		return rc;
	if ((key = sodium_malloc(32)) == NULL)
		return rd_err_set(err, RD_VAULT_CORRUPT, _("cannot lock memory "
		    "for keys"));
	randombytes_buf(key, 32);
	ks_put64(blob, now);
	randombytes_buf(blob + 8, KS_NB);
	adlen = ks_ad(*id, blob, ad);
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob + 8 + KS_NB, NULL,
	    v->keys->master, sizeof v->keys->master, ad, adlen, NULL,
	    blob + 8, key);
	snprintf(name, sizeof name, "slot.%lld", (long long)*id);
	/*
	 * The file first: one that is there already is refused before the
	 * vault has a slot nobody holds the key of.
	 */
	if ((rc = keyfile_write(keyfile, *id, key, err)) == RD_OK &&
	    ((rc = meta_put(v, name, blob, sizeof blob, 0, err)) != RD_OK ||
	    (rc = header_seal(v, err)) != RD_OK))
		unlink(keyfile);
	sodium_free(key);
	return rc;
}

enum rd_code
vault_slot_remove(struct vault *v, int64_t id, struct rd_err *err)
{
	static const char	 sql[] = "DELETE FROM meta WHERE k = ? OR k = ?";
	sqlite3_stmt		*st;
	char			 name[32], used[40];
	enum rd_code		 rc;

	if (id == 0)
		return rd_err_set(err, RD_NOT_ALLOWED, _("slot 0 is the "
		    "passphrase, which cannot be removed (change it with "
		    "redoubt passphrase)"));
	snprintf(name, sizeof name, "slot.%lld", (long long)id);
	snprintf(used, sizeof used, "slot.%lld.used", (long long)id);
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, used, -1, SQLITE_TRANSIENT);
	if ((rc = vault_exec_stmt(v, st, N_("removing a key slot"), err)) !=
	    RD_OK)
		return rc;
	if (sqlite3_changes(v->db) == 0)
		return rd_err_set(err, RD_NOT_FOUND, _("vault %s has no key "
		    "slot %lld (see redoubt key list)"), v->path,
		    (long long)id);
	return header_seal(v, err);
}

enum rd_code
vault_slot_list(struct vault *v, struct vault_slot **out, size_t *n,
    struct rd_err *err)
{
	static const char	 sql[] = "SELECT k, v FROM meta WHERE k GLOB"
	    " 'slot.*' ORDER BY k";
	struct vault_slot	*s = xcalloc(1, sizeof *s);
	sqlite3_stmt		*st;
	size_t			 ns = 1;
	int			 rc;

	/* The passphrase is always there; its times when known. */
	s[0].id = 0;
	s[0].passphrase = true;
	if ((st = vault_stmt(v, sql, err)) == NULL) {
		free(s);
		return err->code;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char	*k = (const char *)sqlite3_column_text(st, 0);
		char		*end;
		long long	 id = strtoll(k + 5, &end, 10);
		size_t		 i;

		for (i = 0; i < ns && s[i].id != id; i++)
			;
		if (i == ns) {
			s = xrealloc(s, (ns + 1) * sizeof *s);
			memset(&s[ns], 0, sizeof s[ns]);
			s[ns++].id = id;
		}
		if (strcmp(end, ".used") == 0)
			s[i].used = sqlite3_column_int64(st, 1);
		else if (strcmp(end, ".created") == 0)
			s[i].created = sqlite3_column_int64(st, 1);
		else if (*end == '\0' && sqlite3_column_bytes(st, 1) ==
		    KS_BLOB_LEN)
			s[i].created = ks_get64(sqlite3_column_blob(st, 1));
	}
	vault_done(st);
	if (rc != SQLITE_DONE) {
		free(s);
		return vault_sqlerr(v, rc, N_("reading the key slots"), err);
	}
	*out = s;
	*n = ns;
	return RD_OK;
}
