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
	if (store_in_tx(v->db))
		return;
	/* Nor does it wait for a writer. */
	if (v->db->ops->begin_nowait(v->db) == STORE_OK) {
		if (meta_put(v, name, NULL, 0, now, &err) == RD_OK)
			(void)v->db->ops->commit(v->db);
		v->db->ops->rollback(v->db);
	}
}

static int
slot_top(void *arg, const char *k, const struct store_val *val)
{
	int64_t		*id = arg;
	char		*end;
	long long	 n = strtoll(k + 5, &end, 10);

	(void)val;
	/* slot.N only, not its notes (slot.N.used, slot.0.created). */
	if (end != k + 5 && *end == '\0' && n >= *id)
		*id = n + 1;
	return 0;
}

/* The next free slot number: one more than the highest. */
static enum rd_code RD_CHECK
keyslot_next(struct vault *v, int64_t *id, struct rd_err *err)
{
	int	rc;

	*id = 1;
	if ((rc = v->db->ops->meta_list(v->db, "slot.", slot_top, id)) !=
	    STORE_OK)
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
	struct store_val	 val;
	bool			 found;
	char			 name[32], used[40];
	enum rd_code		 rc;

	if (id == 0)
		return rd_err_set(err, RD_NOT_ALLOWED, _("slot 0 is the "
		    "passphrase, which cannot be removed (change it with "
		    "redoubt passphrase)"));
	snprintf(name, sizeof name, "slot.%lld", (long long)id);
	snprintf(used, sizeof used, "slot.%lld.used", (long long)id);
	if ((rc = meta_find(v, name, &val, &found, err)) != RD_OK)
		return rc;
	if (!found)
		return rd_err_set(err, RD_NOT_FOUND, _("vault %s has no key "
		    "slot %lld (see redoubt key list)"), v->path,
		    (long long)id);
	if ((rc = meta_del(v, name, err)) != RD_OK ||
	    (rc = meta_del(v, used, err)) != RD_OK)
		return rc;
	return header_seal(v, err);
}

struct slot_walk {
	struct vault_slot	*s;
	size_t			 ns;
};

static int
slot_row(void *arg, const char *k, const struct store_val *val)
{
	struct slot_walk	*w = arg;
	char			*end;
	long long		 id = strtoll(k + 5, &end, 10);
	size_t			 i;

	if (end == k + 5)
		return 0;
	for (i = 0; i < w->ns && w->s[i].id != id; i++)
		;
	if (i == w->ns) {
		w->s = xrealloc(w->s, (w->ns + 1) * sizeof *w->s);
		memset(&w->s[w->ns], 0, sizeof w->s[w->ns]);
		w->s[w->ns++].id = id;
	}
	if (strcmp(end, ".used") == 0 && val->type == STORE_INT)
		w->s[i].used = val->i;
	else if (strcmp(end, ".created") == 0 && val->type == STORE_INT)
		w->s[i].created = val->i;
	else if (*end == '\0' && val->type == STORE_BLOB &&
	    val->n == KS_BLOB_LEN)
		w->s[i].created = ks_get64(val->p);
	return 0;
}

enum rd_code
vault_slot_list(struct vault *v, struct vault_slot **out, size_t *n,
    struct rd_err *err)
{
	struct slot_walk	 w;
	int			 rc;

	/* The passphrase is always there; its times when known. */
	w.s = xcalloc(1, sizeof *w.s);
	w.ns = 1;
	w.s[0].id = 0;
	w.s[0].passphrase = true;
	if ((rc = v->db->ops->meta_list(v->db, "slot.", slot_row, &w)) !=
	    STORE_OK) {
		free(w.s);
		return vault_sqlerr(v, rc, N_("reading the key slots"), err);
	}
	*out = w.s;
	*n = w.ns;
	return RD_OK;
}
