/*
 * test-be-fix.h: the fixture of the provider tests: a temporary folder,
 * the fake server's log, the config and the call, message, reply and
 * transcript a handler works with.  Each test file sets its own
 * destination and code through fx_new and starts its own fake server.
 */
#ifndef RD_TEST_BE_FIX_H
#define RD_TEST_BE_FIX_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include "../../backends/backend.h"
#include "../../src/util.h"

struct fx {
	char		*dir;
	char		 log[512];	/* the fake server's request log */
	pid_t		 pid;
	int		 port;
	bool		 tls;		/* start the fake with a certificate */
	struct config	*cfg;
	const struct method_cfg *m;
	struct rd_buf	 transcript;
	struct be_call	 call;
	struct be_message msg;
	struct be_reply	 reply;
	struct rd_err	 err;
	char		 request_id[128];
};

static inline int
fx_new(void **state, const char *to, const char *code)
{
	struct fx	*f = calloc(1, sizeof *f);

	f->dir = harness_tmpdir();
	snprintf(f->log, sizeof f->log, "%s/server.log", f->dir);
	f->call.issuer = "ACME";
	f->call.user = "alice";
	f->msg.to = to;
	f->msg.code = code;
	f->msg.minutes = 10;
	rd_buf_init(&f->transcript, 0);
	*state = f;
	return 0;
}

static inline int
fx_teardown(void **state)
{
	struct fx	*f = *state;

	harness_server_stop(f->pid);
	config_free(f->cfg);
	rd_buf_free(&f->transcript);
	harness_rmdir(f->dir);
	free(f);
	return 0;
}

#endif
