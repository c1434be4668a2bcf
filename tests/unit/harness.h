/*
 * harness.h: what the cmocka tests share: a fixed clock and a predictable
 * random source to inject into the core, temporary directories, and
 * loopback servers (tests/servers/*.py) started and stopped by the test.
 */
#ifndef RD_HARNESS_H
#define RD_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>

#include "../../src/env.h"

/* A clock the test moves by hand and a counter-based random stream. */
struct harness_env {
	struct rd_env	env;
	int64_t		now;
	uint64_t	seed;
};
void	 harness_env_init(struct harness_env *h, int64_t now);

/* A fresh directory under $TMPDIR, removed by harness_rmdir. */
char	*harness_tmpdir(void);
void	 harness_rmdir(char *dir);

/*
 * Start /usr/bin/python3 tests/servers/SCRIPT --port-file F [args...]
 * (args NULL-terminated) and wait until it has written its port.  Returns
 * the pid (> 0) and the port; the server ends itself after its lifetime
 * even when the test dies.  Paths are relative to the project's top.
 */
pid_t	 harness_server(const char *script, int *port, ...);
void	 harness_server_stop(pid_t pid);
/* Read a whole file into a new string (NULL when it cannot be read). */
char	*harness_slurp(const char *path);

#endif
