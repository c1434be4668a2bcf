/*
 * fuzz-seal.c: opening sealed fields of a vault file that someone else
 * wrote to.  The vault file is only as safe as what reads it: a copied,
 * damaged or edited file must read as RD_VAULT_CORRUPT, never crash or
 * leak.  A test-KDF vault is made once in a folder under /tmp (removed at
 * exit) with one user and one method; for each input a second SQLite
 * connection overwrites one sealed column (methods.secret or request_id,
 * users.email or phone) with the input as a blob, as text, as a cut of
 * the genuine sealed value, as NULL or as an integer, after putting every
 * column back.  Then vault_user_get, vault_method_list and
 * vault_method_get must answer RD_OK or RD_VAULT_CORRUPT, and RD_OK with
 * the genuine values when the genuine value went back.
 *
 * Input: the first byte picks the column (low 2 bits) and the form; the
 * rest is the value.
 */
#include <dirent.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "../../vault/vault.h"
#include "fuzz.h"

#define FUZZ_SECRET	"JBSWY3DPEHPK3PXP"
#define FUZZ_REQID	"VEfuzzrequest"
#define FUZZ_EMAIL	"alice@example.com"
#define FUZZ_PHONE	"+15005550006"
#define FUZZ_COLS	4
#define FUZZ_FORMS	5

enum fuzz_form { FORM_BLOB, FORM_TEXT, FORM_CUT, FORM_NULL, FORM_INT };

static const struct {
	const char	*table;
	const char	*column;
} fuzz_cols[FUZZ_COLS] = {
	{ "methods", "secret" },
	{ "methods", "request_id" },
	{ "users", "email" },
	{ "users", "phone" },
};

static char		 fuzz_dir[] = "/tmp/rd-fuzz-seal-XXXXXX";
static struct vault	*fuzz_v;
static sqlite3		*fuzz_db;
static sqlite3_stmt	*fuzz_set[FUZZ_COLS];
static void		*fuzz_orig[FUZZ_COLS];	/* the genuine sealed values */
static int		 fuzz_origlen[FUZZ_COLS];
static int64_t		 fuzz_uid;

static void
fuzz_cleanup(void)
{
	DIR		*d;
	struct dirent	*e;
	int		 i;

	for (i = 0; i < FUZZ_COLS; i++) {
		sqlite3_finalize(fuzz_set[i]);
		free(fuzz_orig[i]);
	}
	sqlite3_close(fuzz_db);
	vault_close(fuzz_v);
	if ((d = opendir(fuzz_dir)) != NULL) {
		while ((e = readdir(d)) != NULL)
			if (e->d_name[0] != '.')
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(fuzz_dir);
}

static void
fuzz_sql(int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "fuzz: %s: %s\n", what,
		    sqlite3_errmsg(fuzz_db));
		abort();
	}
}

/* One user with e-mail and phone, one method with secret and request id. */
static void
fuzz_fill(void)
{
	struct vault_user	u;
	struct vault_method	m;
	struct rd_err		err;
	char			email[] = FUZZ_EMAIL, phone[] = FUZZ_PHONE;
	char			reqid[] = FUZZ_REQID;
	uint8_t			secret[] = FUZZ_SECRET;

	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "alice");
	u.email = email;
	u.phone = phone;
	u.active = true;
	memset(&m, 0, sizeof m);
	snprintf(m.name, sizeof m.name, "app");
	snprintf(m.handler, sizeof m.handler, "totp");
	m.state = VAULT_ACTIVE;
	m.primary = true;
	m.secret = secret;
	m.secret_len = sizeof secret - 1;
	m.request_id = reqid;
	if (vault_begin(fuzz_v, &err) != RD_OK ||
	    vault_user_add(fuzz_v, &u, &err) != RD_OK ||
	    (m.user_id = u.id, vault_method_put(fuzz_v, &m, &err)) != RD_OK ||
	    vault_commit(fuzz_v, &err) != RD_OK) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		abort();
	}
	fuzz_uid = u.id;
}

/* The second connection, its statements and the genuine values. */
static void
fuzz_connect(const char *path)
{
	sqlite3_stmt	*st;
	char		 sql[128];
	int		 i;

	fuzz_sql(sqlite3_open_v2(path, &fuzz_db, SQLITE_OPEN_READWRITE,
	    NULL), "open");
	sqlite3_busy_timeout(fuzz_db, 5000);
	/* Nothing here needs to survive a crash of the machine. */
	fuzz_sql(sqlite3_exec(fuzz_db, "PRAGMA synchronous=OFF", NULL, NULL,
	    NULL), "pragma");
	for (i = 0; i < FUZZ_COLS; i++) {
		snprintf(sql, sizeof sql, "SELECT %s FROM %s",
		    fuzz_cols[i].column, fuzz_cols[i].table);
		fuzz_sql(sqlite3_prepare_v2(fuzz_db, sql, -1, &st, NULL), sql);
		fuzz_sql(sqlite3_step(st), sql);
		fuzz_origlen[i] = sqlite3_column_bytes(st, 0);
		fuzz_orig[i] = xmalloc((size_t)fuzz_origlen[i]);
		memcpy(fuzz_orig[i], sqlite3_column_blob(st, 0),
		    (size_t)fuzz_origlen[i]);
		sqlite3_finalize(st);
		snprintf(sql, sizeof sql, "UPDATE %s SET %s = ?",
		    fuzz_cols[i].table, fuzz_cols[i].column);
		fuzz_sql(sqlite3_prepare_v2(fuzz_db, sql, -1, &fuzz_set[i],
		    NULL), sql);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct rd_err	 err;
	char		*path;

	(void)argc;
	(void)argv;
	fuzz_start();
	if (mkdtemp(fuzz_dir) == NULL)
		abort();
	atexit(fuzz_cleanup);
	path = xasprintf("%s/vault.db", fuzz_dir);
	if (vault_create(path, "pw", 2, VAULT_KDF_TEST, NULL, &fuzz_v,
	    &err) != RD_OK) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		abort();
	}
	fuzz_fill();
	fuzz_connect(path);
	free(path);
	return 0;
}

static void
fuzz_bind(int col, enum fuzz_form form, const uint8_t *p, size_t n)
{
	sqlite3_stmt	*st = fuzz_set[col];
	int64_t		 x = 0;
	size_t		 i;

	switch (form) {
	case FORM_BLOB:
		sqlite3_bind_blob(st, 1, p, (int)n, SQLITE_TRANSIENT);
		break;
	case FORM_TEXT:
		sqlite3_bind_text(st, 1, (const char *)p, (int)n,
		    SQLITE_TRANSIENT);
		break;
	case FORM_CUT:
		sqlite3_bind_blob(st, 1, fuzz_orig[col], (int)(n %
		    ((size_t)fuzz_origlen[col] + 1)), SQLITE_TRANSIENT);
		break;
	case FORM_NULL:
		sqlite3_bind_null(st, 1);
		break;
	case FORM_INT:
		for (i = 0; i < n && i < 8; i++)
			x = (int64_t)((uint64_t)x << 8 | p[i]);
		sqlite3_bind_int64(st, 1, x);
		break;
	}
}

/* Put every column back, then col in its form, in one transaction. */
static void
fuzz_store(int col, enum fuzz_form form, const uint8_t *p, size_t n)
{
	int	i;

	fuzz_sql(sqlite3_exec(fuzz_db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
	    "begin");
	for (i = 0; i < FUZZ_COLS; i++) {
		if (i == col)
			fuzz_bind(i, form, p, n);
		else
			sqlite3_bind_blob(fuzz_set[i], 1, fuzz_orig[i],
			    fuzz_origlen[i], SQLITE_STATIC);
		fuzz_sql(sqlite3_step(fuzz_set[i]), "update");
		sqlite3_reset(fuzz_set[i]);
		sqlite3_clear_bindings(fuzz_set[i]);
	}
	fuzz_sql(sqlite3_exec(fuzz_db, "COMMIT", NULL, NULL, NULL), "commit");
}

/* Read through the vault; genuine: every value is the one written. */
static void
fuzz_read(bool genuine)
{
	struct vault_user	 u;
	struct vault_method	 m, *list = NULL;
	struct rd_err		 err;
	size_t			 n = 0;
	enum rd_code		 rc;

	memset(&u, 0, sizeof u);
	rc = vault_user_get(fuzz_v, "alice", &u, &err);
	fuzz_require(rc == RD_OK || rc == RD_VAULT_CORRUPT,
	    "vault_user_get: OK or VAULT_CORRUPT");
	fuzz_require(!genuine || (rc == RD_OK && u.email != NULL &&
	    strcmp(u.email, FUZZ_EMAIL) == 0 && u.phone != NULL &&
	    strcmp(u.phone, FUZZ_PHONE) == 0), "a genuine user reads back");
	vault_user_clear(&u);

	rc = vault_method_list(fuzz_v, fuzz_uid, &list, &n, &err);
	fuzz_require(rc == RD_OK || rc == RD_VAULT_CORRUPT,
	    "vault_method_list: OK or VAULT_CORRUPT");
	fuzz_require(rc == RD_OK || (list == NULL && n == 0),
	    "a failed list holds nothing");
	fuzz_require(!genuine || (rc == RD_OK && n == 1 &&
	    list[0].secret_len == strlen(FUZZ_SECRET) &&
	    memcmp(list[0].secret, FUZZ_SECRET, list[0].secret_len) == 0 &&
	    strcmp(list[0].request_id, FUZZ_REQID) == 0),
	    "a genuine method reads back");
	vault_method_list_free(list, n);

	rc = vault_method_get(fuzz_v, fuzz_uid, "app", &m, &err);
	fuzz_require(rc == RD_OK || rc == RD_VAULT_CORRUPT,
	    "vault_method_get: OK or VAULT_CORRUPT");
	vault_method_clear(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int		col;
	enum fuzz_form	form;

	if (size == 0)
		return 0;
	col = data[0] % FUZZ_COLS;
	form = (enum fuzz_form)(data[0] / FUZZ_COLS % FUZZ_FORMS);
	fuzz_store(col, form, data + 1, size - 1);
	fuzz_read(form == FORM_CUT &&
	    (size - 1) % ((size_t)fuzz_origlen[col] + 1) ==
	    (size_t)fuzz_origlen[col]);
	return 0;
}
