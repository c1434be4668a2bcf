/*
 * bench.c: `make bench`.  For vaults of 1k, 100k and 1M users (or the
 * sizes given as arguments), filled in random name order as a real vault
 * grows, it prints the file size per user and, for each figure, the
 * median microseconds with the 90th and 99th percentiles of: one whole
 * flow (add user, activate TOTP, confirm, login, login-code) through the
 * command table with the test KDF, the password check shown apart and
 * taken out of the flow; a login with a backup code (login, then
 * login-code with the code) through the command table as the CLI runs
 * it; a user lookup; a 50-row list page; a search by e-mail and one by
 * phone number through the keyed index (every user has both); and, for
 * the TUI, keypress to redrawn 80x24 user list (paging both ways, End,
 * moving, typing a search).  bench-vault.c adds the bytes an enrolled
 * user costs and a full against an incremental `audit verify`.  Every
 * transaction is synchronous=FULL, as in use.
 * Figures only: no target is asserted here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "../../src/cmd.h"
#include "../../ui/canvas.h"
#include "../../ui/keys.h"
#include "../../ui/ui.h"
#include "../../src/otp.h"
#include "../../src/secret.h"
#include "../../vault/vault.h"
#include "bench.h"

double
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* x with one decimal below 100 us, whole above. */
static void
us(char *b, size_t size, double x, bool small)
{
	if (small)
		snprintf(b, size, "%.1f", x);
	else
		snprintf(b, size, "%.0f", x);
}

const char *
pcts(double *v, int n)
{
	static char	buf[4][160];
	static int	k;
	char		*b = buf[k++ % 4];
	char		 m[32], a[32], c[32];
	bool		 small;

	qsort(v, (size_t)n, sizeof *v, cmp_double);
	small = v[n / 2] < 100;
	us(m, sizeof m, v[n / 2], small);
	us(a, sizeof a, v[n * 9 / 10], small);
	us(c, sizeof c, v[n * 99 / 100], small);
	snprintf(b, 160, "%s us median (p90 %s, p99 %s)", m, a, c);
	return b;
}

enum rd_code
bench_ask(void *arg, const char *what, char *buf, size_t size,
    struct rd_err *err)
{
	(void)what;
	(void)err;
	snprintf(buf, size, "%s", (const char *)arg);
	return RD_OK;
}

/* Run a command from words; die on failure (a benchmark of errors lies). */
cJSON *
run(struct rd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*e;
	struct cmd_input	 in;
	struct rd_err		 err;
	cJSON			*out = cJSON_CreateObject();
	int			 used;

	e = cmd_find(argc, argv, &used);
	if (e == NULL || cmd_parse(e, argc - used, argv + used, &in, &err) !=
	    RD_OK || cmd_run(e, ctx, &in, out, &err) != RD_OK) {
		fprintf(stderr, "bench: %s failed: %s\n", argv[0], err.msg);
		exit(1);
	}
	return out;
}

/*
 * n users named user0000000.. added in random order, as a vault grows: in
 * name order the rows of a page would sit side by side in the file and a
 * page would look cheaper than it is.
 */
static void
fill(struct vault *v, long n)
{
	struct vault_user	u;
	struct rd_err		err;
	uint32_t		*order = calloc((size_t)n, sizeof *order);
	long			i, j, k;

	if (order == NULL)
		exit(1);
	for (i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	/* $BENCH_ORDERED: the old, flattering order, for comparison. */
	for (i = getenv("BENCH_ORDERED") ? 0 : n - 1; i > 0; i--) {
		j = (long)randombytes_uniform((uint32_t)i + 1);
		k = order[i];
		order[i] = order[j];
		order[j] = (uint32_t)k;
	}
	/*
	 * One transaction, the e-mail and phone indexes made at the end in
	 * one sorted pass each: a million random inserts into them would
	 * take most of the time.
	 */
	if (vault_begin(v, &err) != RD_OK ||
	    vault_user_index(v, false, &err) != RD_OK)
		goto fail;
	for (i = 0; i < n; i++) {
		char	email[64], phone[32];

		k = order[i];
		memset(&u, 0, sizeof u);
		snprintf(u.name, sizeof u.name, "user%07ld", k);
		snprintf(email, sizeof email, "user%07ld@example.com", k);
		snprintf(phone, sizeof phone, "+4850%07ld", k);
		u.email = email;
		u.phone = phone;
		u.active = true;
		u.created = 1700000000;
		if (vault_user_add(v, &u, &err) != RD_OK)
			goto fail;
	}
	free(order);
	if (vault_user_index(v, true, &err) == RD_OK &&
	    vault_commit(v, &err) == RD_OK)
		return;
fail:
	fprintf(stderr, "bench: filling the vault: %s\n", err.msg);
	exit(1);
}

/* The TOTP code of uri, `ahead` steps after now. */
void
code_of(const char *uri, int ahead, char *out)
{
	const char	*s = strstr(uri, "secret=") + 7;
	char		 b32[128];
	uint8_t		*key;
	size_t		 keylen, n = strcspn(s, "&");

	memcpy(b32, s, n);
	b32[n] = '\0';
	MUST(otp_base32_decode(b32, &key, &keylen, NULL));
	MUST(otp_hotp(key, keylen, (uint64_t)(time(NULL) / 30 + ahead), 6,
	    OTP_SHA1, out, 16, NULL));
	sodium_memzero(key, keylen);
	free(key);
}

static void
list_nop(void *arg, const char *name, bool active)
{
	(void)name;
	(void)active;
	(*(int *)arg)++;
}

static void
found_nop(void *arg, const char *name, bool active, const char *by)
{
	(void)name;
	(void)active;
	(void)by;
	(*(int *)arg)++;
}

/* Microseconds of finding a random user by e-mail and by phone. */
static void
bench_find(struct vault *v, long n, double em[RUNS], double ph[RUNS])
{
	struct rd_err	err;
	double		t0;
	char		text[64];
	long		k;
	int		i, found;

	for (i = 0; i < RUNS; i++) {
		/* As an operator types them: any case, a written form. */
		k = (long)randombytes_uniform((uint32_t)n);
		snprintf(text, sizeof text, "User%07ld@Example.com", k);
		found = 0;
		t0 = now_us();
		MUST(vault_user_find(v, text, 10, found_nop, &found, &err));
		em[i] = now_us() - t0;
		snprintf(text, sizeof text, "+48 50%01ld %03ld %03ld", k /
		    1000000, k / 1000 % 1000, k % 1000);
		if (found != 1)
			break;
		t0 = now_us();
		MUST(vault_user_find(v, text, 10, found_nop, &found, &err));
		ph[i] = now_us() - t0;
		if (found != 2)
			break;
	}
	if (i < RUNS) {
		fprintf(stderr, "bench: user%07ld not found by %s\n", k,
		    found == 0 ? "e-mail" : "phone");
		exit(1);
	}
}

/* n users in the store at where (a new file, or an empty database). */
static void
bench_size(const char *where, long n, struct config *cfg)
{
	struct rd_ctx	 ctx;
	struct rd_err	 err;
	struct stat	 sb;
	char		 path[512], name[64], code[16], tok[64], *uri;
	double		 flow[RUNS], pw[RUNS], bk[RUNS], bkl[RUNS], look[RUNS],
	    page[RUNS], by_email[RUNS], by_phone[RUNS];
	double		 t0, t1;
	cJSON		*out;
	struct vault_user bu;
	char		**codes = NULL;
	int		 i, rows;

	snprintf(path, sizeof path, "%s", where);
	if (!vault_is_db(path))
		unlink(path);
	memset(&ctx, 0, sizeof ctx);
	if (vault_create(path, "pw", 2, VAULT_KDF_TEST, NULL, &ctx.vault,
	    &err) !=
	    RD_OK) {
		fprintf(stderr, "bench: %s\n", err.msg);
		exit(1);
	}
	t0 = now_us();
	fill(ctx.vault, n);
	t1 = now_us();
	vault_close(ctx.vault);
	if (vault_is_db(path))
		printf("%8ld users (%s order) in PostgreSQL: filled in %.1f s\n",
		    n, getenv("BENCH_ORDERED") ? "name" : "random",
		    (t1 - t0) / 1e6);
	else if (stat(path, &sb) == 0)
		printf("%8ld users (%s order): filled in %.1f s, %.0f bytes "
		    "per user\n", n, getenv("BENCH_ORDERED") ? "name" :
		    "random", (t1 - t0) / 1e6, (double)sb.st_size / (double)n);
	MUST(vault_open(path, "pw", 2, &ctx.vault, &err));
	ctx.cfg = cfg;
	ctx.env = &rd_env_system;
	ctx.actor = "bench";
	ctx.ask = bench_ask;
	ctx.ask_arg = "bench-password";

	for (i = 0; i < RUNS; i++) {
		snprintf(name, sizeof name, "flow%04d", i);
		t0 = now_us();
		cmd_result_free(run(&ctx, 3, (char *[]){ "user", "add",
		    name }));
		out = run(&ctx, 3, (char *[]){ "activate", name, "app" });
		uri = strdup(cJSON_GetObjectItem(out,
		    "otpauth_uri")->valuestring);
		cmd_result_free(out);
		code_of(uri, 0, code);
		cmd_result_free(run(&ctx, 4, (char *[]){ "confirm", name,
		    "app",
		    code }));
		t1 = now_us();
		/* The password is set outside the clock: hashing is not ours. */
		{
			struct vault_user	u;

			MUST(vault_user_get(ctx.vault, name, &u, &err));
			MUST(vault_begin(ctx.vault, &err));
			MUST(vault_user_set_password(ctx.vault, u.id,
			    "bench-password", 14, &err));
			MUST(vault_commit(ctx.vault, &err));
			pw[i] = now_us();
			MUST(vault_user_check_password(ctx.vault, u.id,
			    "bench-password", 14, &err));
			pw[i] = now_us() - pw[i];
			vault_user_clear(&u);
		}
		flow[i] = t1 - t0;
		t0 = now_us();
		out = run(&ctx, 2, (char *[]){ "login", name });
		snprintf(tok, sizeof tok, "%s", cJSON_GetObjectItem(out,
		    "ephemeral_token")->valuestring);
		cmd_result_free(out);
		/* The next step's code: the confirm spent this one. */
		code_of(uri, 1, code);
		cmd_result_free(run(&ctx, 3, (char *[]){ "login-code", tok,
		    code }));
		t1 = now_us();
		flow[i] += t1 - t0 - pw[i];
		free(uri);
	}

	/*
	 * A login with a backup code as the CLI runs it: login (the password,
	 * test KDF), then login-code with the code.  A new set of ten every
	 * ten runs, made outside the clock.
	 */
	memset(&bu, 0, sizeof bu);
	for (i = 0; i < RUNS; i++) {
		if (i % 10 == 0) {
			snprintf(name, sizeof name, "flow%04d", i / 10);
			MUST(vault_user_get(ctx.vault, name, &bu, &err));
			codes = secret_backup_codes(&rd_env_system, 10, 10,
			    "abcdefghjkmnpqrstuvwxyz23456789");
			MUST(vault_begin(ctx.vault, &err));
			MUST(vault_backup_set(ctx.vault, bu.id, codes, 10,
			    &err));
			MUST(vault_commit(ctx.vault, &err));
		}
		t0 = now_us();
		out = run(&ctx, 2, (char *[]){ "login", name });
		snprintf(tok, sizeof tok, "%s", cJSON_GetObjectItem(out,
		    "ephemeral_token")->valuestring);
		cmd_result_free(out);
		t1 = now_us();
		cmd_result_free(run(&ctx, 3, (char *[]){ "login-code", tok,
		    codes[i % 10] }));
		bk[i] = now_us() - t1;
		bkl[i] = now_us() - t0;
		if (i % 10 == 9) {
			secret_codes_free(codes, 10);
			codes = NULL;
			vault_user_clear(&bu);
		}
	}

	for (i = 0; i < RUNS; i++) {
		struct vault_user	u;

		snprintf(name, sizeof name, "user%07ld",
		    (long)randombytes_uniform((uint32_t)n));
		t0 = now_us();
		MUST(vault_user_get(ctx.vault, name, &u, &err));
		look[i] = now_us() - t0;
		vault_user_clear(&u);
		rows = 0;
		t0 = now_us();
		MUST(vault_user_list(ctx.vault, NULL, name, 50, list_nop,
		    &rows, &err));
		page[i] = now_us() - t0;
	}
	bench_find(ctx.vault, n, by_email, by_phone);
	{
		/* The TUI: keys a person presses on the user list. */
		static const int	 keys[] = { UK_PGDN, UK_PGDN, 'j', 'j',
					    UK_PGUP, 'k', UK_END, UK_PGUP,
					    UK_HOME,
					    '/', 'u', 's',
					    'e', 'r', '0', '5', UK_ESC };
		struct canvas		*c = canvas_new(80, 24);
		struct ui_bench		*ub = ui_bench_new(&ctx, c);
		double			 kp[RUNS], worst = 0;
		size_t			 k;

		for (i = 0; i < RUNS; i++) {
			k = (size_t)i % (sizeof keys / sizeof keys[0]);
			kp[i] = ui_bench_keypress(ub, keys[k]);
			worst = kp[i] > worst ? kp[i] : worst;
		}
		ui_bench_free(ub);
		canvas_free(c);
		printf("          TUI keypress to redrawn user list: %s, "
		    "%.0f us worst\n", pcts(kp, RUNS), worst);
	}
	printf("          flow (add, activate, confirm, login, login-code, "
	    "no password): %s\n", pcts(flow, RUNS));
	printf("          password check alone (test KDF): %s\n",
	    pcts(pw, RUNS));
	printf("          backup code through login-code: %s;\n"
	    "            login then login-code: %s\n", pcts(bk, RUNS),
	    pcts(bkl, RUNS));
	printf("          user lookup: %s\n", pcts(look, RUNS));
	printf("          50-row page: %s\n", pcts(page, RUNS));
	printf("          search by e-mail: %s\n", pcts(by_email, RUNS));
	printf("          search by phone: %s (keyed index)\n",
	    pcts(by_phone, RUNS));
	bench_audit(&ctx, n);
	vault_close(ctx.vault);
	if (!vault_is_db(path)) {
		unlink(path);
		snprintf(path, sizeof path, "%s-wal", where);
		unlink(path);
		snprintf(path, sizeof path, "%s-shm", where);
		unlink(path);
	}
}

/*
 * $BENCH_PG: libpq conninfo of the cluster make bench started, without a
 * database ("host=DIR port=N user=redoubt"); each figure gets its own,
 * made empty beforehand (bench_N, bench_mixed_N).  Without it only the
 * file store is measured.
 */
static void
bench_where(char *buf, size_t size, const char *dir, const char *pg,
    const char *what, long n)
{
	if (pg == NULL)
		snprintf(buf, size, "%s/bench-%s%ld.db", dir, what, n);
	else
		snprintf(buf, size, "%s dbname=bench_%s%ld", pg, what, n);
}

int
main(int argc, char **argv)
{
	static const long	 sizes[] = { 1000, 100000, 1000000 };
	static const int	 procs[] = { 1, 8 };
	struct config		*cfg;
	struct rd_err		 err;
	char			 dir[] = "/tmp/rd-bench-XXXXXX", where[512];
	const char		*pg = getenv("BENCH_PG");
	long			 n;
	int			 i, j, pass;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 1;
	MUST(config_load_string("[redoubt]\nresend_cooldown = 0\n", "bench",
	    &cfg, &err));
	printf("redoubt bench: synchronous=FULL, test KDF, %d runs each\n",
	    RUNS);
	bench_enrolled(dir, cfg);
	/* The file store, then (with $BENCH_PG) the same in PostgreSQL. */
	for (pass = 0; pass < (pg != NULL ? 2 : 1); pass++) {
		if (pass == 1)
			printf("PostgreSQL 15 over a Unix socket (SERIALIZABLE "
			    "behind the writers' lock, fsync and synchronous "
			    "commits on):\n");
		for (i = 0; i < (argc > 1 ? argc - 1 : 3); i++) {
			n = argc > 1 ? atol(argv[i + 1]) : sizes[i];
			/* A million rows through one connection: files only. */
			if (pass == 1 && n > 100000)
				continue;
			bench_where(where, sizeof where, dir, pass ? pg : NULL,
			    "", n);
			bench_size(where, n, cfg);
		}
		for (j = 0; j < 2; j++) {
			bench_where(where, sizeof where, dir, pass ? pg : NULL,
			    "mixed_", procs[j]);
			bench_mixed(where, procs[j], cfg);
		}
	}
	config_free(cfg);
	rmdir(dir);
	return 0;
}
