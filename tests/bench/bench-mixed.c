/*
 * bench-mixed.c: operators working at once on one vault, each a process
 * with its own connection, as a desk of several terminals is: half of
 * what they do reads a user, a quarter changes one, a quarter adds one,
 * every write a transaction with its audit row.  The figure is operations
 * per second for all of them together, over a few seconds, started at
 * one moment (a pipe that closes).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "../../src/cmd.h"
#include "../../src/env.h"
#include "../../vault/vault.h"
#include "bench.h"

#define MIXED_USERS	200
#define MIXED_SECONDS	3

static long
mixed_worker(const char *where, int id, int start, struct config *cfg)
{
	struct rd_ctx	 ctx;
	struct rd_err	 err;
	char		 name[48], email[96], buf;
	double		 end;
	long		 ops = 0;

	memset(&ctx, 0, sizeof ctx);
	MUST(vault_open(where, "pw", 2, &ctx.vault, &err));
	ctx.cfg = cfg;
	ctx.env = &rd_env_system;
	ctx.actor = "bench";
	ctx.ask = bench_ask;
	ctx.ask_arg = "bench-password";
	/* Every worker connected: go when the parent closes the pipe. */
	(void)read(start, &buf, 1);
	end = now_us() + MIXED_SECONDS * 1e6;
	while (now_us() < end) {
		snprintf(name, sizeof name, "user%04u",
		    randombytes_uniform(MIXED_USERS));
		switch (ops % 4) {
		case 0:
		case 2:
			cmd_result_free(run(&ctx, 3, (char *[]){ "user",
			    "show", name }));
			break;
		case 1:
			snprintf(email, sizeof email, "%s.%ld@example.org",
			    name, ops);
			cmd_result_free(run(&ctx, 5, (char *[]){ "user", "set",
			    name, "--email", email }));
			break;
		default:
			snprintf(name, sizeof name, "op%d-%ld", id, ops);
			cmd_result_free(run(&ctx, 3, (char *[]){ "user", "add",
			    name }));
			break;
		}
		ops++;
	}
	vault_close(ctx.vault);
	return ops;
}

void
bench_mixed(const char *where, int nproc, struct config *cfg)
{
	struct rd_ctx	 ctx;
	struct rd_err	 err;
	struct vault_user u;
	char		 name[32];
	int		 start[2], counts[2], i, st, failed = 0;
	long		 ops, total = 0;
	pid_t		 pid;

	if (!vault_is_db(where))
		unlink(where);
	memset(&ctx, 0, sizeof ctx);
	MUST(vault_create(where, "pw", 2, VAULT_KDF_TEST, NULL, &ctx.vault,
	    &err));
	MUST(vault_begin(ctx.vault, &err));
	for (i = 0; i < MIXED_USERS; i++) {
		memset(&u, 0, sizeof u);
		snprintf(u.name, sizeof u.name, "user%04d", i);
		u.active = true;
		u.created = 1700000000;
		MUST(vault_user_add(ctx.vault, &u, &err));
	}
	MUST(vault_commit(ctx.vault, &err));
	vault_close(ctx.vault);
	if (pipe(start) != 0 || pipe(counts) != 0)
		exit(1);
	fflush(stdout);
	for (i = 0; i < nproc; i++) {
		if ((pid = fork()) < 0)
			exit(1);
		if (pid == 0) {
			close(start[1]);
			close(counts[0]);
			ops = mixed_worker(where, i, start[0], cfg);
			if (write(counts[1], &ops, sizeof ops) != sizeof ops)
				_exit(1);
			_exit(0);
		}
	}
	close(start[0]);
	close(counts[1]);
	/* Each worker opens the vault first; then all go at once. */
	sleep(1);
	close(start[1]);
	while (read(counts[0], &ops, sizeof ops) == sizeof ops)
		total += ops;
	close(counts[0]);
	while (wait(&st) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed++;
	snprintf(name, sizeof name, "%d operator%s", nproc, nproc > 1 ?
	    "s" : "");
	printf("          %s at once, mixed (1/2 user show, 1/4 user set, "
	    "1/4 user add): %.0f operations/s%s\n", name,
	    (double)total / MIXED_SECONDS, failed ? " (A WORKER FAILED)" : "");
	if (!vault_is_db(where)) {
		char	side[600];

		unlink(where);
		snprintf(side, sizeof side, "%s-wal", where);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", where);
		unlink(side);
	}
}
