/*
 * bench-vault.c: two figures of the vault file for bench.c: the bytes an
 * enrolled user costs (a password, an active app method, its ten backup
 * codes and the audit rows of all that, enrolled through the command
 * table), and an `audit verify` of a long log in full against one from the
 * verified head after 1,000 new rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "../../src/cmd.h"
#include "../../src/env.h"
#include "../../vault/vault.h"
#include "bench.h"

#define ENROLLED	2000

static double
file_size(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 ? (double)sb.st_size : 0;
}

/*
 * What ENROLLED users add to a new vault, per user.  $BENCH_KEEP keeps the
 * file (its name is printed), for sqlite3's dbstat.
 */
void
bench_enrolled(const char *dir, struct config *cfg)
{
	struct rd_ctx	 ctx;
	struct rd_err	 err;
	char		 path[512], name[32], code[16], *uri;
	double		 empty;
	cJSON		*out;
	int		 i;

	snprintf(path, sizeof path, "%s/enrolled.db", dir);
	unlink(path);
	memset(&ctx, 0, sizeof ctx);
	MUST(vault_create(path, "pw", 2, VAULT_KDF_TEST, NULL, &ctx.vault,
	    &err));
	vault_close(ctx.vault);
	empty = file_size(path);
	MUST(vault_open(path, "pw", 2, &ctx.vault, &err));
	ctx.cfg = cfg;
	ctx.env = &rd_env_system;
	ctx.actor = "cli:bench";
	ctx.ask = bench_ask;
	ctx.ask_arg = "bench-password";
	for (i = 0; i < ENROLLED; i++) {
		snprintf(name, sizeof name, "user%07d",
		    (int)randombytes_uniform(10000000));
		if (vault_user_get(ctx.vault, name, &(struct vault_user){ 0 },
		    &err) == RD_OK) {
			i--;
			continue;
		}
		cmd_result_free(run(&ctx, 4, (char *[]){ "user", "add", name,
		    "--password-stdin" }));
		out = run(&ctx, 3, (char *[]){ "activate", name, "app" });
		uri = strdup(cJSON_GetObjectItem(out,
		    "otpauth_uri")->valuestring);
		cmd_result_free(out);
		code_of(uri, 0, code);
		cmd_result_free(run(&ctx, 4, (char *[]){ "confirm", name,
		    "app", code }));
		free(uri);
	}
	vault_close(ctx.vault);
	printf("%8d users enrolled (password, app, 10 backup codes, their "
	    "audit rows): %.0f bytes per user\n", ENROLLED,
	    (file_size(path) - empty) / ENROLLED);
	if (getenv("BENCH_KEEP") != NULL) {
		char	keep[600];

		snprintf(keep, sizeof keep, "%s.db", getenv("BENCH_KEEP"));
		if (rename(path, keep) == 0)
			printf("          kept as %s\n", keep);
	}
	unlink(path);
}

static void
add_rows(struct vault *v, long n)
{
	struct rd_err	err;
	char		detail[32];
	long		i;

	/*
	 * A thousand rows a transaction, as an import's chunks or a desk's
	 * commands write them: PostgreSQL keeps every version of the audit
	 * head's rows that one transaction makes, so a transaction of 100,000
	 * rows would measure that, not the log.
	 */
	MUST(vault_begin(v, &err));
	for (i = 0; i < n; i++) {
		struct vault_audit	a = { .time = 1700000000 + i,
					    .actor = "cli:bench",
					    .user = "user0000001",
					    .action = "login-code",
					    .outcome = "ok", .detail = detail };

		snprintf(detail, sizeof detail, "app");
		MUST(vault_audit_add(v, &a, &err));
		if (i % 1000 == 999 && i + 1 < n) {
			MUST(vault_commit(v, &err));
			MUST(vault_begin(v, &err));
		}
	}
	MUST(vault_commit(v, &err));
}

/* Milliseconds of one audit check in its own transaction. */
static double
check_ms(struct vault *v, bool full, struct vault_verify *r)
{
	struct rd_err	err;
	double		t0 = now_us();

	MUST(vault_begin(v, &err));
	MUST(vault_audit_check(v, NULL, full, r, &err));
	MUST(vault_commit(v, &err));
	if (r->bad != 0 || r->head_bad || r->head_stale) {
		fprintf(stderr, "bench: the audit log does not verify\n");
		exit(1);
	}
	return (now_us() - t0) / 1e3;
}

/* A log of n rows (as many as users): verify in full, then daily. */
void
bench_audit(struct rd_ctx *ctx, long n)
{
	struct vault_verify	r;
	double			full, inc[5];
	int			i;

	add_rows(ctx->vault, n);
	full = check_ms(ctx->vault, true, &r);
	for (i = 0; i < 5; i++) {
		add_rows(ctx->vault, 1000);
		inc[i] = check_ms(ctx->vault, false, &r);
		if (r.checked != 1000) {
			fprintf(stderr, "bench: %lld rows walked, not 1000\n",
			    (long long)r.checked);
			exit(1);
		}
	}
	qsort(inc, 5, sizeof *inc, cmp_double);
	printf("          audit verify of %lld rows: --full %.0f ms; "
	    "from the verified head after 1,000 new rows %.1f ms median "
	    "(max %.1f)\n", (long long)r.rows, full, inc[2], inc[4]);
}
