/*
 * backup-set.c: backup codes, kept as one row per user (schema version 6).
 *
 * The row holds the keyed hashes of the set's codes, BACKUP_HASH_LEN bytes
 * each (a keyed BLAKE2b cut to 128 bits: nobody without the key can make
 * one, and a code is ~50 bits of guessing anyway), and a bitmap of the
 * spent ones, under one MAC that also binds the user's backup code
 * generation (bset, in the user's MACed row), so an older set put back
 * reads as vault_corrupt.  A set of ten costs one row of ~200 bytes where
 * ten rows each with a 32-byte hash and MAC cost ~800.  A check reads the
 * row by its key, compares the code's hash with every entry in constant
 * time, and spends it with one UPDATE conditional on the bitmap it read,
 * so two processes can never both spend the same code.
 */
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "vault-int.h"

struct bset {
	size_t	n;
	uint8_t	hashes[BACKUP_MAX * BACKUP_HASH_LEN];
	uint8_t	used[(BACKUP_MAX + 7) / 8];
};

static void
bset_mac(const struct vault *v, int64_t user_id, int64_t bset,
    const uint8_t *hashes, size_t n, const uint8_t *used,
    uint8_t out[VAULT_HASH_LEN])
{
	struct rowmac	m;

	rowmac_init(v, &m, "backup_sets");
	rowmac_int(&m, user_id);
	rowmac_int(&m, bset);
	rowmac_blob(&m, hashes, n * BACKUP_HASH_LEN);
	rowmac_blob(&m, used, (n + 7) / 8);
	rowmac_final(&m, out);
}

static void
code_hash(const struct vault *v, int64_t user_id, const char *code,
    uint8_t out[BACKUP_HASH_LEN])
{
	uint8_t	h[VAULT_HASH_LEN];

	seal_hash(v, "backup", user_id, code, h);
	memcpy(out, h, BACKUP_HASH_LEN);
	sodium_memzero(h, sizeof h);
}

enum rd_code
backup_set_put(struct vault *v, int64_t user_id, int64_t bset,
    const uint8_t *hashes, size_t n, const uint8_t *used, struct rd_err *err)
{
	static const char	 sql[] = "INSERT INTO backup_sets"
	    " (user_id, hashes, used, mac) VALUES (?, ?, ?, ?)"
	    " ON CONFLICT (user_id) DO UPDATE SET hashes = excluded.hashes,"
	    " used = excluded.used, mac = excluded.mac";
	struct store_stmt	*st;
	uint8_t			 mac[VAULT_HASH_LEN];

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	bset_mac(v, user_id, bset, hashes, n, used, mac);
	stmt_bind_int(st, 1, user_id);
	stmt_bind_blob(st, 2, hashes, (int)(n * BACKUP_HASH_LEN));
	stmt_bind_blob(st, 3, used, (int)((n + 7) / 8));
	stmt_bind_blob(st, 4, mac, sizeof mac);
	return vault_queue_stmt(v, st, -1, N_("storing backup codes"),
	    err);
}

/* The user's generation, from the user's row (its MAC checked). */
static enum rd_code RD_CHECK
bset_gen(struct vault *v, int64_t user_id, int64_t *bset, struct rd_err *err)
{
	struct urow	r;
	enum rd_code	rc;

	if ((rc = urow_get(v, user_id, &r, err)) != RD_OK)
		return rc;
	*bset = r.bset;
	urow_clear(&r);
	return RD_OK;
}

/*
 * The user's set, its MAC checked; s->n 0 when there is none.  *gen: the
 * user's generation.
 */
static enum rd_code RD_CHECK
bset_get(struct vault *v, int64_t user_id, struct bset *s, int64_t *gen,
    struct rd_err *err)
{
	static const char	 sql[] = "SELECT hashes, used, mac"
	    " FROM backup_sets WHERE user_id = ?";
	struct store_stmt	*st;
	uint8_t			 mac[VAULT_HASH_LEN];
	size_t			 hb;
	enum rd_code		 rc;
	bool			 bad = false;
	int			 sr;

	memset(s, 0, sizeof *s);
	if ((rc = bset_gen(v, user_id, gen, err)) != RD_OK)
		return rc;
	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, user_id);
	if ((sr = stmt_step(st)) == STORE_ROW) {
		hb = (size_t)stmt_bytes(st, 0);
		s->n = hb / BACKUP_HASH_LEN;
		bad = hb == 0 || hb % BACKUP_HASH_LEN != 0 ||
		    s->n > BACKUP_MAX ||
		    (size_t)stmt_bytes(st, 1) != (s->n + 7) / 8;
		if (!bad) {
			memcpy(s->hashes, stmt_blob(st, 0), hb);
			memcpy(s->used, stmt_blob(st, 1),
			    (s->n + 7) / 8);
			bset_mac(v, user_id, *gen, s->hashes, s->n, s->used,
			    mac);
			bad = !rowmac_check(st, 2, mac);
		}
	}
	vault_done(st);
	if (sr != STORE_ROW && sr != STORE_DONE)
		return vault_sqlerr(v, sr, N_("reading a backup code"), err);
	if (bad) {
		memset(s, 0, sizeof *s);
		return rowmac_bad("backup_sets", user_id, err);
	}
	return RD_OK;
}

enum rd_code
vault_backup_set(struct vault *v, int64_t user_id, char *const *codes,
    size_t n, struct rd_err *err)
{
	static const char	 del[] =
	    "DELETE FROM backup_sets WHERE user_id = ?";
	struct store_stmt	*st;
	struct urow		 r;
	struct bset		 s;
	uint8_t			 h[BACKUP_HASH_LEN];
	int64_t			 bset;
	enum rd_code		 rc;
	size_t			 i, j;

	if (n > BACKUP_MAX)
		return rd_err_set(err, RD_USAGE, _("at most %d backup codes "
		    "in a set"), BACKUP_MAX);
	/* A new generation: a set of an older one no longer checks. */
	if ((rc = urow_get(v, user_id, &r, err)) != RD_OK)
		return rc;
	bset = ++r.bset;
	rc = urow_put(v, &r, err);
	urow_clear(&r);
	if (rc != RD_OK)
		return rc;
	if ((st = vault_stmt(v, del, err)) == NULL)
		return err->code;
	stmt_bind_int(st, 1, user_id);
	if ((rc = vault_queue_stmt(v, st, -1, N_("dropping backup codes"),
	    err)) !=
	    RD_OK || n == 0)
		return rc;
	/* The same code twice is one entry. */
	memset(&s, 0, sizeof s);
	for (i = 0; i < n; i++) {
		code_hash(v, user_id, codes[i], h);
		for (j = 0; j < s.n; j++)
			if (memcmp(s.hashes + j * BACKUP_HASH_LEN, h,
			    sizeof h) == 0)
				break;
		if (j == s.n)
			memcpy(s.hashes + s.n++ * BACKUP_HASH_LEN, h, sizeof h);
	}
	rc = backup_set_put(v, user_id, bset, s.hashes, s.n, s.used, err);
	sodium_memzero(&s, sizeof s);
	return rc;
}

enum rd_code
vault_backup_use(struct vault *v, int64_t user_id, const char *code,
    int64_t now, bool *spent, struct rd_err *err)
{
	static const char	 use[] = "UPDATE backup_sets SET used = ?,"
	    " mac = ? WHERE user_id = ? AND used = ?";
	struct store_stmt	*st;
	struct bset		 s;
	uint8_t			 h[BACKUP_HASH_LEN], was[sizeof s.used];
	uint8_t			 mac[VAULT_HASH_LEN];
	int64_t			 gen;
	size_t			 i, at = SIZE_MAX, nb;
	enum rd_code		 rc;
	int			 sr;

	/* When is in the audit row of the step; the set keeps only whether. */
	(void)now;
	*spent = false;
	if ((rc = bset_get(v, user_id, &s, &gen, err)) != RD_OK)
		return rc;
	code_hash(v, user_id, code, h);
	/* Every entry compared, none skipped: the time says nothing. */
	for (i = 0; i < s.n; i++)
		if (sodium_memcmp(s.hashes + i * BACKUP_HASH_LEN, h,
		    sizeof h) == 0 && at == SIZE_MAX)
			at = i;
	if (at == SIZE_MAX)
		return rd_err_set(err, RD_INVALID_CODE, _("not a valid backup "
		    "code"));
	/*
	 * Found by its keyed hash, as an unused one is, so telling a spent
	 * code apart costs nothing more and shows nothing about other codes;
	 * it still refuses.
	 */
	if (s.used[at / 8] & (1u << (at % 8))) {
		*spent = true;
		return rd_err_set(err, RD_INVALID_CODE,
		    _("that backup code was "
		    "already used"));
	}
	nb = (s.n + 7) / 8;
	memcpy(was, s.used, nb);
	s.used[at / 8] |= (uint8_t)(1u << (at % 8));
	bset_mac(v, user_id, gen, s.hashes, s.n, s.used, mac);
	if ((st = vault_stmt(v, use, err)) == NULL)
		return err->code;
	stmt_bind_blob(st, 1, s.used, (int)nb);
	stmt_bind_blob(st, 2, mac, sizeof mac);
	stmt_bind_int(st, 3, user_id);
	stmt_bind_blob(st, 4, was, (int)nb);
	/*
	 * Spent meanwhile by another process, the count says.  A shared
	 * store sends it ahead and checks the count before COMMIT: there
	 * the writers' lock makes it impossible, and it would end the
	 * transaction (vault_corrupt, nothing kept), never pass.
	 */
	if ((sr = stmt_queue(st, 1)) == STORE_MISMATCH) {
		*spent = true;
		return rd_err_set(err, RD_INVALID_CODE,
		    _("that backup code was "
		    "already used"));
	}
	if (sr != STORE_OK)
		return vault_sqlerr(v, sr, N_("using a backup code"), err);
	return RD_OK;
}

enum rd_code
vault_backup_left(struct vault *v, int64_t user_id, int *left,
    struct rd_err *err)
{
	struct bset	s;
	int64_t		gen;
	enum rd_code	rc;
	size_t		i;

	*left = 0;
	if ((rc = bset_get(v, user_id, &s, &gen, err)) != RD_OK)
		return rc;
	for (i = 0; i < s.n; i++)
		if (!(s.used[i / 8] & (1u << (i % 8))))
			(*left)++;
	return RD_OK;
}
