/*
 * harness.h: what the cmocka tests share: a fixed clock and a predictable
 * random source to inject into the core, temporary directories, and
 * loopback servers (the scripts of tests/servers) started and stopped by the test.
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
struct be_call;
struct cfg_section;
struct method_cfg;
/* A call to m's backend (name, own keys, timeout); other fields kept. */
void	 harness_be_call(const struct method_cfg *m, struct be_call *call);
/* The value of a section's key by its name (fails the test if none). */
const char *harness_cfg(const struct cfg_section *s, const char *name);
long	 harness_cfg_int(const struct cfg_section *s, const char *name);

/* Read a whole file into a new string (NULL when it cannot be read). */
char	*harness_slurp(const char *path);

#endif

/*
 * A core to drive directly: a test-KDF vault in a temporary folder, a
 * config from text, the fixed clock and random stream, and answers queued
 * for ctx.ask (passwords, codes given as "-", key material).
 */
#include <cJSON.h>

#include "../../src/cmd.h"

struct harness_core {
	struct harness_env	 henv;
	char			*dir;
	char			*path;
	struct config		*cfg;
	struct rd_ctx		 ctx;
	char			 answers[8][256];
	int			 nanswers;
	int			 next;
};
void		 harness_core_open(struct harness_core *h, const char *cfgtext);
void		 harness_core_close(struct harness_core *h);
/* Close and open the vault again (state must survive). */
void		 harness_core_reopen(struct harness_core *h);
void		 harness_answer(struct harness_core *h, const char *line);
/*
 * Run one command given as words (NULL-terminated), e.g.
 * harness_cmd(h, &out, "activate", "alice", "app", NULL).  *out is the
 * result (free with cmd_result_free); the return is the rd_code.
 */
enum rd_code	 harness_cmd(struct harness_core *h, cJSON **out, ...);
/* The same, discarding the result; err->msg for messages. */
enum rd_code	 harness_run(struct harness_core *h, struct rd_err *err, ...);
const char	*harness_str(const cJSON *o, const char *key);
/* The TOTP/HOTP code of an otpauth URI at counter (steps for TOTP). */
void		 harness_otp(const char *uri, int64_t counter, int digits,
		    char *out);
/* The digits of the newest outbox message (the code), into out. */
void		 harness_outbox_code(struct harness_core *h, char *out);
