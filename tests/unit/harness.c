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

#include "../../src/config-int.h"
#include "../../src/kind.h"
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

void
harness_be_call(const struct method_cfg *m, struct be_call *call)
{
	struct be_call	c;

	kind_call(m, &c);
	call->method = c.method;
	call->own = c.own;
	call->timeout = c.timeout;
}

const char *
harness_cfg(const struct cfg_section *s, const char *name)
{
	ssize_t	i = cfg_section_index(s, name);

	if (i < 0)
		fail_msg("no key %s in [%s]", name, s->where);
	return cfg_str(s, (int)i);
}

long
harness_cfg_int(const struct cfg_section *s, const char *name)
{
	const char	*v = harness_cfg(s, name);

	return v ? strtol(v, NULL, 10) : 0;
}

/* Core helpers. */
#include "../../src/otp.h"
#include "../../vault/vault.h"

static enum rd_code
harness_ask(void *arg, const char *what, char *buf, size_t size,
    struct rd_err *err)
{
	struct harness_core	*h = arg;

	(void)what;
	if (h->next >= h->nanswers)
		return rd_err_set(err, RD_USAGE, "no answer queued for %s",
		    what);
	snprintf(buf, size, "%s", h->answers[h->next++]);
	return RD_OK;
}

void
harness_answer(struct harness_core *h, const char *line)
{
	if (h->next == h->nanswers)
		h->next = h->nanswers = 0;
	snprintf(h->answers[h->nanswers++], sizeof h->answers[0], "%s", line);
}

void
harness_core_open(struct harness_core *h, const char *cfgtext)
{
	struct rd_err	err;
	enum rd_code	rc;
	size_t		n;

	memset(h, 0, sizeof *h);
	harness_env_init(&h->henv, 1700000000);
	h->dir = harness_tmpdir();
	assert_non_null(h->dir);
	n = strlen(h->dir) + 16;
	h->path = malloc(n);
	snprintf(h->path, n, "%s/vault.db", h->dir);
	rc = config_load_string(cfgtext ? cfgtext : "", "test.conf", &h->cfg,
	    &err);
	if (rc != RD_OK)
		fail_msg("config: %s", err.msg);
	rc = vault_create(h->path, "pw", 2, VAULT_KDF_TEST, NULL, &h->ctx.vault,
	    &err);
	if (rc != RD_OK)
		fail_msg("vault: %s", err.msg);
	h->ctx.cfg = h->cfg;
	h->ctx.env = &h->henv.env;
	h->ctx.actor = "test";
	h->ctx.vault_path = h->path;
	h->ctx.ask = harness_ask;
	h->ctx.ask_arg = h;
}

void
harness_core_reopen(struct harness_core *h)
{
	struct rd_err	err;

	vault_close(h->ctx.vault);
	if (vault_open(h->path, "pw", 2, &h->ctx.vault, &err) != RD_OK)
		fail_msg("reopen: %s", err.msg);
}

void
harness_core_close(struct harness_core *h)
{
	vault_close(h->ctx.vault);
	config_free(h->cfg);
	free(h->path);
	harness_rmdir(h->dir);
	memset(h, 0, sizeof *h);
}

static enum rd_code
harness_vcmd(struct harness_core *h, cJSON **out, struct rd_err *err,
    va_list ap)
{
	char			*words[16];
	const char		*w;
	const struct cmd_entry	*e;
	struct cmd_input	 in;
	int			 n = 0, used;
	enum rd_code		 rc;

	char			 first[64], *sp;

	while ((w = va_arg(ap, const char *)) != NULL && n < 14) {
		/* "user add" given as one word: split it as a shell would. */
		if (n == 0 && (sp = strchr(w, ' ')) != NULL) {
			snprintf(first, sizeof first, "%s", w);
			first[sp - w] = '\0';
			words[n++] = first;
			w = sp + 1;
		}
		words[n++] = (char *)w;
	}
	words[n] = NULL;
	if ((e = cmd_find(n, words, &used)) == NULL)
		fail_msg("no command %s", words[0]);
	*out = cJSON_CreateObject();
	rd_err_clear(err);
	if ((rc = cmd_parse(e, n - used, words + used, &in, err)) != RD_OK)
		return rc;
	return cmd_run(e, &h->ctx, &in, *out, err);
}

enum rd_code
harness_cmd(struct harness_core *h, cJSON **out, ...)
{
	struct rd_err	err;
	va_list		ap;
	enum rd_code	rc;

	va_start(ap, out);
	rc = harness_vcmd(h, out, &err, ap);
	va_end(ap);
	return rc;
}

enum rd_code
harness_run(struct harness_core *h, struct rd_err *err, ...)
{
	cJSON		*out;
	va_list		 ap;
	enum rd_code	 rc;

	va_start(ap, err);
	rc = harness_vcmd(h, &out, err, ap);
	va_end(ap);
	cmd_result_free(out);
	return rc;
}

const char *
harness_str(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

void
harness_otp(const char *uri, int64_t counter, int digits, char *out)
{
	const char	*s = strstr(uri, "secret=");
	char		 b32[128];
	uint8_t		*key;
	size_t		 keylen, n;
	enum otp_algo	 algo = OTP_SHA1;

	assert_non_null(s);
	s += 7;
	n = strcspn(s, "&");
	assert_true(n < sizeof b32);
	memcpy(b32, s, n);
	b32[n] = '\0';
	if (strstr(uri, "algorithm=SHA256"))
		algo = OTP_SHA256;
	else if (strstr(uri, "algorithm=SHA512"))
		algo = OTP_SHA512;
	assert_int_equal(otp_base32_decode(b32, &key, &keylen, NULL), RD_OK);
	assert_int_equal(otp_hotp(key, keylen, (uint64_t)counter, digits, algo,
	    out, 16, NULL), RD_OK);
	free(key);
}

struct outbox_last {
	char	body[512];
};

static void
outbox_take(void *arg, const struct vault_message *m)
{
	snprintf(((struct outbox_last *)arg)->body, 512, "%s", m->body);
}

void
harness_outbox_code(struct harness_core *h, char *out)
{
	struct outbox_last	 last = { "" };
	struct rd_err		 err;
	const char		*p;
	size_t			 n;

	assert_int_equal(vault_outbox_list(h->ctx.vault, outbox_take, &last,
	    &err), RD_OK);
	for (p = last.body; *p != '\0' && (*p < '0' || *p > '9'); p++)
		;
	n = strspn(p, "0123456789");
	memcpy(out, p, n);
	out[n] = '\0';
}
