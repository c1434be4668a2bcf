/*
 * userix.c: the blind index of users' e-mail addresses and phone numbers,
 * so that a search finds a user by either through an SQL index instead of
 * opening every sealed field of a million rows.
 *
 * Columns email_ix and phone_ix hold a keyed BLAKE2b of the normalised
 * value under the index subkey (key.c).  That key comes from the master
 * key, which a new passphrase only rewraps, so the index never has to be
 * rebuilt.  Without the key the columns tell only which users share an
 * address.  16 bytes are plenty: every row found is checked against its
 * real value anyway.
 *
 * Normalised means what an operator would call the same address:
 * - e-mail: white space around it dropped and the whole address in lower
 *   case, the local part too (RFC 5321 lets a server tell Alice@ from
 *   alice@, but no mail service in use does, and an operator types what
 *   the user says over the phone);
 * - phone: as stored (E.164), and a number typed in a written form such
 *   as "+48 500-000-000" or "+1 (555) 123.4567" loses its spaces, dashes,
 *   dots and parentheses first.  Nothing else: "0048..." or a number
 *   without its + finds nobody.  (src/user.c turns written forms into
 *   E.164 on input; this is only the small part a search needs.)
 *
 * A row found is read like any other (urow_read: its MAC checked, its
 * sealed fields opened, its index recomputed from them) and its real
 * value's index compared with the one searched for in constant time, so
 * an index edited in the file cannot make a search name the wrong user:
 * it reads vault_corrupt.  An index made empty hides a user from searches
 * until the row is read some other way; a search cannot tell, short of
 * the scan this index exists to avoid.
 */
#include <string.h>

#include "../src/i18n.h"
#include "vault-int.h"

static bool
userix_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

/* What a phone number's written forms add to its digits. */
static bool
userix_phone_sep(char c)
{
	return userix_space(c) || c == '-' || c == '.' || c == '(' || c == ')';
}

void
userix_hash(const struct vault *v, enum userix_field f, const char *value,
    uint8_t out[USERIX_LEN])
{
	static const char		 tag[][6] = { "email", "phone" };
	crypto_generichash_state	 st;
	const char			*end;
	uint8_t				 buf[64];
	size_t				 n = 0;
	char				 c;

	/* The field's name first: an e-mail never collides with a phone. */
	crypto_generichash_init(&st, v->keys->index, sizeof v->keys->index,
	    USERIX_LEN);
	crypto_generichash_update(&st, (const uint8_t *)tag[f],
	    sizeof tag[f]);
	while (userix_space(*value))
		value++;
	end = value + strlen(value);
	while (end > value && userix_space(end[-1]))
		end--;
	for (; value < end; value++) {
		c = *value;
		if (f == USERIX_PHONE && userix_phone_sep(c))
			continue;
		if (f == USERIX_EMAIL && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		buf[n++] = (uint8_t)c;
		if (n == sizeof buf) {
			crypto_generichash_update(&st, buf, n);
			n = 0;
		}
	}
	crypto_generichash_update(&st, buf, n);
	crypto_generichash_final(&st, out, USERIX_LEN);
	/* Personal data went through both. */
	sodium_memzero(buf, sizeof buf);
	sodium_memzero(&st, sizeof st);
}

void
userix_bind(const struct vault *v, struct store_stmt *st, int idx,
    enum userix_field f, const char *value)
{
	uint8_t	h[USERIX_LEN];

	if (value == NULL) {
		stmt_bind_null(st, idx);
		return;
	}
	userix_hash(v, f, value, h);
	stmt_bind_blob(st, idx, h, sizeof h);
}

bool
userix_check(const struct vault *v, struct store_stmt *st, int col,
    enum userix_field f, const char *value)
{
	uint8_t	h[USERIX_LEN];

	if (value == NULL)
		return stmt_type(st, col) == STORE_NULL;
	if (stmt_type(st, col) != STORE_BLOB ||
	    stmt_bytes(st, col) != USERIX_LEN)
		return false;
	userix_hash(v, f, value, h);
	return sodium_memcmp(stmt_blob(st, col), h, sizeof h) == 0;
}

/* Whether text can be a phone number: a +, then digits and separators. */
static bool
userix_phone_like(const char *text)
{
	int	digits = 0;

	while (userix_space(*text))
		text++;
	if (*text++ != '+')
		return false;
	for (; *text != '\0'; text++) {
		if (*text >= '0' && *text <= '9')
			digits++;
		else if (!userix_phone_sep(*text))
			return false;
	}
	return digits > 0;
}

/* The users whose field f is text, through its index. */
static enum rd_code RD_CHECK
userix_find(struct vault *v, const char *sql, enum userix_field f,
    const char *text, int limit,
    void (*fn)(void *, const char *, bool, const char *), void *arg,
    struct rd_err *err)
{
	struct store_stmt	*st;
	struct urow	 r;
	const char	*real;
	uint8_t		 want[USERIX_LEN], have[USERIX_LEN];
	enum rd_code	 rc = RD_OK;
	int		 sr;

	if ((st = vault_stmt(v, sql, err)) == NULL)
		return err->code;
	userix_hash(v, f, text, want);
	stmt_bind_blob(st, 1, want, sizeof want);
	stmt_bind_int(st, 2, limit > 0 ? limit : INT64_MAX);
	while ((sr = stmt_step(st)) == STORE_ROW) {
		if ((rc = urow_read(v, st, &r, err)) != RD_OK)
			break;
		/* The real value, not the column, decides. */
		real = f == USERIX_EMAIL ? r.u.email : r.u.phone;
		if (real != NULL)
			userix_hash(v, f, real, have);
		if (real == NULL || sodium_memcmp(want, have, sizeof want) !=
		    0) {
			rc = rowmac_bad("users", r.u.id, err);
			urow_clear(&r);
			break;
		}
		fn(arg, r.u.name, r.u.active, f == USERIX_EMAIL ? "email" :
		    "phone");
		urow_clear(&r);
	}
	vault_done(st);
	if (rc == RD_OK && sr != STORE_DONE)
		rc = vault_sqlerr(v, sr, N_("searching users"), err);
	return rc;
}

enum rd_code
vault_user_find(struct vault *v, const char *text, int limit,
    void (*fn)(void *, const char *, bool, const char *), void *arg,
    struct rd_err *err)
{
	/*
	 * The match first, on its own (MATERIALIZED keeps PostgreSQL from
	 * folding it into the rest), then the few it finds in name order:
	 * given ORDER BY name outright, a planner without fresh statistics
	 * walks every user in name order instead.  The partial index's
	 * predicate is stated so a plan made once for any value (a generic
	 * plan) may use it.
	 */
	static const char	email_sql[] = "WITH m AS MATERIALIZED (SELECT "
	    USER_COLS " FROM users WHERE email_ix = ?1 AND email_ix IS NOT"
	    " NULL) SELECT * FROM m ORDER BY name LIMIT ?2";
	static const char	phone_sql[] = "WITH m AS MATERIALIZED (SELECT "
	    USER_COLS " FROM users WHERE phone_ix = ?1 AND phone_ix IS NOT"
	    " NULL) SELECT * FROM m ORDER BY name LIMIT ?2";
	enum rd_code		rc = RD_OK;

	/* A phone number has no @, an e-mail address always one. */
	if (strchr(text, '@') != NULL)
		rc = userix_find(v, email_sql, USERIX_EMAIL, text, limit, fn,
		    arg, err);
	else if (userix_phone_like(text))
		rc = userix_find(v, phone_sql, USERIX_PHONE, text, limit, fn,
		    arg, err);
	return rc;
}

enum rd_code
vault_user_index(struct vault *v, bool on, struct rd_err *err)
{
	/* As schema 3 made them. */
	static const char	make[] = "CREATE INDEX IF NOT EXISTS"
	    " users_email_ix ON users (email_ix) WHERE email_ix IS NOT NULL;"
	    " CREATE INDEX IF NOT EXISTS users_phone_ix ON users (phone_ix)"
	    " WHERE phone_ix IS NOT NULL";
	static const char	drop[] = "DROP INDEX IF EXISTS users_email_ix;"
	    " DROP INDEX IF EXISTS users_phone_ix";
	int			rc;

	if (!store_in_tx(v->db))
		return rd_err_set(err, RD_BAD_STATE, _("the e-mail and phone "
		    "index changes only inside a transaction"));
	/*
	 * On a shared store a dropped index would lock every reader out of
	 * users until the load commits; its indexes stay and keep up.
	 */
	if (v->db->ops->shared)
		return RD_OK;
	rc = store_exec(v->db, on ? make : drop);
	if (rc != STORE_OK)
		return vault_sqlerr(v, rc,
		    N_("rebuilding the user index"), err);
	return RD_OK;
}
