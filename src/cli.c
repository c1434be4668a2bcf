/*
 * cli.c: the command line (DESIGN.md §6).
 *
 * Secrets never come from argv: passphrases come from a file, the
 * environment or the terminal; passwords, codes given as "-" and key
 * material from one line of stdin.  Nothing prompts when the terminal is
 * not there.  With --json stdout carries exactly one JSON object, also on
 * failure; without it results are key: value lines and errors one line
 * on stderr.  Control characters in what is printed are shown as '?', so
 * a user name cannot drive the operator's terminal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "../backends/backend.h"
#include "../vault/vault.h"
#include "cli.h"
#include "cmd.h"
#include "util.h"

struct cli_state {
	struct cli_globals	 g;
	const char		*new_pass_file;
};

static void
cli_usage(FILE *fp)
{
	size_t	i;

	fputs("usage: redoubt [--vault FILE] [--config FILE] [--json] "
	    "[--passphrase-file FILE] COMMAND ...\n\ncommands:\n", fp);
	for (i = 0; cmd_table[i] != NULL; i++)
		fprintf(fp, "  %s %s\n      %s\n", cmd_table[i]->name,
		    cmd_table[i]->usage, cmd_table[i]->help);
	fputs("\nA CODE of - is read from stdin.  With no command on a "
	    "terminal, the full-screen interface opens.\nhandlers:", fp);
	for (i = 0; backend_list[i] != NULL; i++)
		fprintf(fp, " %s", backend_list[i]->name);
	fputs("\nexit status: 0 ok, 1 refused, 2 usage, 3 vault, 4 provider, "
	    "5 config\n", fp);
}

static void
cli_cmd_usage(const struct cmd_entry *e, FILE *fp)
{
	int	i;

	fprintf(fp, "usage: redoubt %s %s\n  %s\n", e->name, e->usage,
	    e->help);
	for (i = 0; e->opts != NULL && e->opts[i].name != NULL; i++)
		fprintf(fp, "  --%s%s  %s\n", e->opts[i].name,
		    e->opts[i].has_arg ? " VALUE" : "", e->opts[i].help);
}

/* `redoubt user --help`: the usage of every "user ..." command. */
static bool
cli_group_usage(const char *group, const char *next)
{
	size_t	i, n = strlen(group);
	bool	any = false;

	if (next == NULL || strcmp(next, "--help") != 0)
		return false;
	for (i = 0; cmd_table[i] != NULL; i++) {
		if (strncmp(cmd_table[i]->name, group, n) == 0 &&
		    cmd_table[i]->name[n] == ' ') {
			cli_cmd_usage(cmd_table[i], stdout);
			any = true;
		}
	}
	return any;
}

static bool
opt_take(const char *arg, const char *name, int argc, char **argv, int *i,
    const char **val)
{
	size_t	n = strlen(name);

	if (strncmp(arg, name, n) != 0)
		return false;
	if (arg[n] == '=') {
		*val = arg + n + 1;
		return true;
	}
	if (arg[n] != '\0')
		return false;
	*val = *i + 1 < argc ? argv[++*i] : NULL;
	return true;
}

int
cli_globals(int argc, char **argv, struct cli_globals *g, int *next)
{
	int		 i;
	const char	*v;

	memset(g, 0, sizeof *g);
	for (i = 1; i < argc && str_has_prefix(argv[i], "--"); i++) {
		v = NULL;
		if (strcmp(argv[i], "--json") == 0) {
			g->json = true;
			continue;
		}
		if (strcmp(argv[i], "--help") == 0)
			return 1;
		if (opt_take(argv[i], "--vault", argc, argv, &i, &v))
			g->vault = v;
		else if (opt_take(argv[i], "--config", argc, argv, &i, &v))
			g->config = v;
		else if (opt_take(argv[i], "--passphrase-file", argc, argv, &i,
		    &v))
			g->pass_file = v;
		if (v == NULL)
			return -i;
	}
	*next = i;
	return 0;
}

char *
cli_vault_path(const char *opt)
{
	const char	*v;

	if (opt != NULL)
		return xstrdup(opt);
	if ((v = getenv("REDOUBT_VAULT")) != NULL && *v != '\0')
		return xstrdup(v);
	if ((v = getenv("XDG_DATA_HOME")) != NULL && *v != '\0')
		return xasprintf("%s/redoubt/vault.db", v);
	if ((v = getenv("HOME")) != NULL && *v != '\0')
		return xasprintf("%s/.local/share/redoubt/vault.db", v);
	return xstrdup("vault.db");
}

/* The folders above a new vault, private to the operator (mkdir -p). */
static void
cli_mkdirs(const char *path)
{
	char	*dir = xstrdup(path), *p;

	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			break;
		*p = '/';
	}
	free(dir);
}

/*
 * One line from fp into buf, without the newline.  0, or -1 at EOF, or
 * -2 when the line does not fit: a secret is refused, never cut short.
 */
static int
read_line(FILE *fp, char *buf, size_t size)
{
	size_t	n;
	int	c;

	if (fgets(buf, (int)size, fp) == NULL)
		return -1;
	n = strlen(buf);
	if (n + 1 == size && buf[n - 1] != '\n' && (c = fgetc(fp)) != EOF &&
	    c != '\n') {
		while ((c = fgetc(fp)) != EOF && c != '\n')
			;
		sodium_memzero(buf, size);
		return -2;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

/* Prompt on the terminal with echo off; -1 when there is no terminal. */
static int
tty_prompt(const char *prompt, char *buf, size_t size)
{
	FILE		*tty;
	struct termios	 old, quiet;
	int		 r;

	if (!isatty(STDIN_FILENO) || (tty = fopen("/dev/tty", "r+")) == NULL)
		return -1;
	fputs(prompt, tty);
	fflush(tty);
	tcgetattr(fileno(tty), &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	r = read_line(tty, buf, size);
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputs("\n", tty);
	fclose(tty);
	return r;
}

int
cli_passphrase(const char *file, const char *envname, bool twice, char *buf,
    size_t size)
{
	const char	*v;
	FILE		*fp;
	char		 again[1024];
	int		 r;

	if (file != NULL) {
		if ((fp = fopen(file, "r")) == NULL)
			return -2;
		r = read_line(fp, buf, size);
		fclose(fp);
		return r == -2 ? -4 : r == 0 ? 0 : -2;
	}
	if ((v = getenv(envname)) != NULL) {
		snprintf(buf, size, "%s", v);
		return 0;
	}
	if ((r = tty_prompt(twice ? "New passphrase: " : "Passphrase: ", buf,
	    size)) != 0)
		return r == -2 ? -4 : -1;
	if (!twice)
		return 0;
	if (tty_prompt("Again: ", again, sizeof again) != 0 ||
	    strcmp(again, buf) != 0) {
		sodium_memzero(again, sizeof again);
		return -3;
	}
	sodium_memzero(again, sizeof again);
	return 0;
}

static enum rd_code
cli_ask(void *arg, const char *what, char *buf, size_t size,
    struct rd_err *err)
{
	struct cli_state	*st = arg;
	const char		*file, *env;
	char			 prompt[64];
	int			 r;


	if (strstr(what, "passphrase") != NULL) {
		bool	is_new = strcmp(what, "new passphrase") == 0;

		file = is_new ? st->new_pass_file : st->g.pass_file;
		env = is_new ? "REDOUBT_NEW_PASSPHRASE" : "REDOUBT_PASSPHRASE";
		r = cli_passphrase(file, env, strcmp(what, "passphrase") != 0,
		    buf, size);
		if (r == -2)
			return rd_err_set(err, RD_USAGE, "cannot read the %s "
			    "from %s", what, file);
		if (r == -3)
			return rd_err_set(err, RD_USAGE, "the two passphrases "
			    "differ");
		if (r == -4)
			return rd_err_set(err, RD_USAGE, "the %s is longer than "
			    "%zu bytes", what, size - 1);
		if (r != 0)
			return rd_err_set(err, RD_BAD_PASSPHRASE, "no %s: give "
			    "%s, set $%s, or run on a terminal", what,
			    is_new ? "--new-passphrase-file" :
			    "--passphrase-file", env);
		return RD_OK;
	}
	snprintf(prompt, sizeof prompt, "%c%s: ", what[0] & ~0x20, what + 1);
	if (isatty(STDIN_FILENO))
		r = tty_prompt(prompt, buf, size);
	else
		r = read_line(stdin, buf, size);
	if (r == 0)
		return RD_OK;
	if (r == -2)
		return rd_err_set(err, RD_USAGE, "the %s is longer than %zu "
		    "bytes", what, size - 1);
	return rd_err_set(err, RD_USAGE, "expected the %s as one line on "
	    "stdin", what);
}

static void
put_text(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++)
		fputc(((unsigned char)*s < 0x20 && *s != '\n') ||
		    *s == 0x7f ? '?' : *s, fp);
}

static void
put_scalar(FILE *fp, const cJSON *v)
{
	if (cJSON_IsString(v))
		put_text(fp, v->valuestring);
	else if (cJSON_IsBool(v))
		fputs(cJSON_IsTrue(v) ? "true" : "false", fp);
	else if (cJSON_IsNumber(v))
		fprintf(fp, "%.15g", v->valuedouble);
	else
		fputs("-", fp);
}

static void
render_human(FILE *fp, const cJSON *obj)
{
	const cJSON	*c, *e, *f;
	const cJSON	*text = cJSON_GetObjectItemCaseSensitive(obj, "text");

	if (cJSON_IsString(text)) {
		put_text(fp, text->valuestring);
		return;
	}
	for (c = obj->child; c != NULL; c = c->next) {
		if (cJSON_IsArray(c)) {
			for (e = c->child; e != NULL; e = e->next) {
				fprintf(fp, "%s:", c->string);
				if (!cJSON_IsObject(e)) {
					fputc(' ', fp);
					put_scalar(fp, e);
				}
				for (f = e->child; cJSON_IsObject(e) && f;
				    f = f->next) {
					fprintf(fp, " %s=", f->string);
					put_scalar(fp, f);
				}
				fputc('\n', fp);
			}
		} else if (cJSON_IsString(c) && strchr(c->valuestring, '\n')) {
			const char	*p = c->valuestring, *nl;

			fprintf(fp, "%s:\n", c->string);
			for (; *p != '\0'; p = *nl ? nl + 1 : nl) {
				nl = strchr(p, '\n');
				nl = nl ? nl : p + strlen(p);
				fputs("  ", fp);
				for (; p < nl; p++)
					fputc((unsigned char)*p < 0x20 ? '?' :
					    *p, fp);
				fputc('\n', fp);
			}
		} else {
			fprintf(fp, "%s: ", c->string);
			put_scalar(fp, c);
			fputc('\n', fp);
		}
	}
}

static int
cli_finish(const struct cli_state *st, enum rd_code rc,
    const struct rd_err *err, cJSON *out)
{
	cJSON	*doc, *eo;
	char	*s;

	if (st->g.json) {
		if (rc == RD_OK) {
			doc = out;
		} else {
			doc = cJSON_CreateObject();
			eo = cJSON_AddObjectToObject(doc, "error");
			cJSON_AddStringToObject(eo, "code", rd_code_name(rc));
			cJSON_AddStringToObject(eo, "message", err->msg);
			/* What a failing command did learn goes along. */
			while (out != NULL && out->child != NULL) {
				cJSON	*it = out->child;
				char	*key = xstrdup(it->string);

				/* Detach first: the key must not be read after. */
				cJSON_DetachItemViaPointer(out, it);
				cJSON_AddItemToObject(eo, key, it);
				free(key);
			}
		}
		s = cJSON_PrintUnformatted(doc);
		puts(s);
		sodium_memzero(s, strlen(s));
		free(s);
		if (doc != out)
			cmd_result_free(doc);
	} else {
		/*
		 * On failure only a provider's answer (exit 4) or the list of
		 * config problems (exit 5) is worth its lines.
		 */
		if (out != NULL && (rc == RD_OK || rd_code_exit(rc) >= 4))
			render_human(stdout, out);
		if (rc != RD_OK) {
			fputs("redoubt: ", stderr);
			put_text(stderr, err->msg);
			fputc('\n', stderr);
		}
	}
	fflush(stdout);
	return rd_code_exit(rc);
}

int
cli_main(int argc, char **argv)
{
	struct cli_state	 st;
	const struct cmd_entry	*e;
	struct cmd_input	 in;
	struct rd_ctx		 ctx;
	struct rd_err		 err;
	struct config		*cfg = NULL;
	char			*cfgpath = NULL, *vpath = NULL;
	char			 pass[1024];
	cJSON			*out = NULL;
	enum rd_code		 rc;
	int			 next = 0, used, r, i;

	memset(&st, 0, sizeof st);
	memset(&ctx, 0, sizeof ctx);
	rd_err_clear(&err);
	r = cli_globals(argc, argv, &st.g, &next);
	if (r == 1) {
		cli_usage(stdout);
		return 0;
	}
	if (r < 0) {
		rd_err_set(&err, RD_USAGE, "unknown or incomplete global option "
		    "%s (see redoubt --help)", argv[-r]);
		return cli_finish(&st, RD_USAGE, &err, NULL);
	}
	if (next >= argc) {
		if (st.g.json) {
			rd_err_set(&err, RD_USAGE, "no command given (see redoubt "
			    "--help)");
			return cli_finish(&st, RD_USAGE, &err, NULL);
		}
		cli_usage(stderr);
		return 2;
	}
	if ((e = cmd_find(argc - next, argv + next, &used)) == NULL &&
	    cli_group_usage(argv[next], next + 1 < argc ? argv[next + 1] :
	    NULL)) {
		return 0;
	}
	if (e == NULL) {
		rd_err_set(&err, RD_USAGE, "unknown command '%s' (see redoubt "
		    "--help)", argv[next]);
		return cli_finish(&st, RD_USAGE, &err, NULL);
	}
	for (i = next + used; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			cli_cmd_usage(e, stdout);
			return 0;
		}
	}
	if ((rc = cmd_parse(e, argc - next - used, argv + next + used, &in,
	    &err)) != RD_OK)
		return cli_finish(&st, rc, &err, NULL);
	st.new_pass_file = cmd_opt(e, &in, "new-passphrase-file");

	out = cJSON_CreateObject();
	cfgpath = config_find(st.g.config);
	rc = config_load(cfgpath, &cfg, &err);
	if (rc != RD_OK && !(e->flags & CMD_NO_CONFIG))
		goto done;
	vpath = cli_vault_path(st.g.vault);
	ctx.cfg = cfg;
	ctx.env = &rd_env_system;
	ctx.actor = "cli";
	ctx.vault_path = vpath;
	ctx.ask = cli_ask;
	ctx.ask_arg = &st;
	if (strcmp(e->name, "init") == 0)
		cli_mkdirs(vpath);
	if (!(e->flags & CMD_NO_VAULT)) {
		struct stat	sb;

		if (stat(vpath, &sb) != 0) {
			rc = rd_err_set(&err, RD_VAULT_MISSING, "no vault at %s "
			    "(make one with redoubt init)", vpath);
			goto done;
		}
		if ((rc = cli_ask(&st, "passphrase", pass, sizeof pass,
		    &err)) != RD_OK)
			goto done;
		rc = vault_open(vpath, pass, strlen(pass), &ctx.vault, &err);
		sodium_memzero(pass, sizeof pass);
		if (rc != RD_OK)
			goto done;
	}
	rc = cmd_run(e, &ctx, &in, out, &err);
done:
	r = cli_finish(&st, rc, &err, out);
	cmd_result_free(out);
	vault_close(ctx.vault);
	config_free(cfg);
	free(cfgpath);
	free(vpath);
	return r;
}
