/*
 * harness.c: fixed clock, predictable randomness, temporary directories
 * and loopback test servers for the unit tests.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "harness.h"

static int64_t
fake_now(void *ctx)
{
	return ((struct harness_env *)ctx)->now;
}

static void
fake_random(void *ctx, void *buf, size_t len)
{
	struct harness_env	*h = ctx;
	uint8_t			 seed[randombytes_SEEDBYTES] = { 0 };

	/* A deterministic stream: the same test draws the same codes. */
	memcpy(seed, &h->seed, sizeof h->seed);
	h->seed++;
	randombytes_buf_deterministic(buf, len, seed);
}

void
harness_env_init(struct harness_env *h, int64_t now)
{
	h->env.now = fake_now;
	h->env.random = fake_random;
	h->env.ctx = h;
	h->now = now;
	h->seed = 1;
}

char *
harness_tmpdir(void)
{
	const char	*base = getenv("TMPDIR");
	char		*dir;
	size_t		 n;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	n = strlen(base) + 32;
	dir = malloc(n);
	snprintf(dir, n, "%s/rd-test-XXXXXX", base);
	if (mkdtemp(dir) == NULL) {
		free(dir);
		return NULL;
	}
	return dir;
}

void
harness_rmdir(char *dir)
{
	char	*cmd;
	size_t	 n;

	if (dir == NULL)
		return;
	n = strlen(dir) + 16;
	cmd = malloc(n);
	snprintf(cmd, n, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "harness: could not remove %s\n", dir);
	free(cmd);
	free(dir);
}

char *
harness_slurp(const char *path)
{
	FILE	*fp = fopen(path, "rb");
	char	*buf;
	long	 n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
		n = 0;
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

pid_t
harness_server(const char *script, int *port, ...)
{
	char		 portfile[64], scriptpath[512];
	const char	*argv[32];
	const char	*a;
	va_list		 ap;
	pid_t		 pid;
	int		 argc = 0, i;
	char		*text;

	snprintf(portfile, sizeof portfile, "/tmp/rd-port-%ld-%ld",
	    (long)getpid(), (long)random());
	snprintf(scriptpath, sizeof scriptpath, "tests/servers/%s", script);
	unlink(portfile);
	argv[argc++] = "/usr/bin/python3";
	argv[argc++] = scriptpath;
	argv[argc++] = "--port-file";
	argv[argc++] = portfile;
	va_start(ap, port);
	while ((a = va_arg(ap, const char *)) != NULL && argc < 30)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;

	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	/* Wait up to 10 s for the port; a server that died is a failure. */
	for (i = 0; i < 1000; i++) {
		struct timespec	ts = { 0, 10 * 1000 * 1000 };
		int		status;

		if ((text = harness_slurp(portfile)) != NULL) {
			if (text[0] != '\0' && strchr(text, '\n') != NULL) {
				*port = atoi(text);
				free(text);
				unlink(portfile);
				return pid;
			}
			free(text);
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			return -1;
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

void
harness_server_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}
