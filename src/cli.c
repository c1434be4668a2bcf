/*
 * cli.c: the command line (DESIGN.md §6), a face over the session and
 * the command table.
 *
 * Secrets never come from argv: passphrases come from a file, the
 * environment or the terminal (the session says which); passwords, codes
 * given as "-" and key material from one line of stdin.  Nothing prompts
 * when the terminal is not there.  With --json stdout carries exactly one
 * JSON object, also on failure; without it results are key: value lines
 * and errors one line on stderr.  Control characters in what is printed
 * are shown as '?', so a user name cannot drive the operator's terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cfg.h"
#include "cli.h"
#include "cmd.h"
#include "json.h"
#include "line.h"
#include "session.h"
#include "utf8.h"
#include "util.h"

struct cli_state {
	struct session	*session;
	bool		 json;
};

static void
cli_usage(FILE *fp)
{
	const struct cfg_handler	*h;
	size_t				 i;

	fputs("usage: redoubt [--vault FILE] [--config FILE] [--json] "
	    "[--passphrase-file FILE] COMMAND ...\n\ncommands:\n", fp);
	for (i = 0; cmd_table[i] != NULL; i++)
		fprintf(fp, "  %s %s\n      %s\n", cmd_table[i]->name,
		    cmd_table[i]->usage, cmd_table[i]->help);
	fputs("\nA CODE of - is read from stdin.  With no command on a "
	    "terminal, the full-screen interface opens.\nhandlers:", fp);
	for (i = 0; (h = cfg_handler_at(i)) != NULL; i++)
		fprintf(fp, " %s", h->name);
	fputs("\nexit status: 0 ok, 1 refused, 2 usage, 3 vault, 4 provider, "
	    "5 config\n", fp);
}

static void
cli_cmd_usage(const struct cmd_entry *e, FILE *fp)
{
	int	i;

	fprintf(fp, "usage: redoubt %s %s\n  %s\n", e->name, e->usage,
	    e->help);
	for (i = 0; i < e->nopts; i++)
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
	r = line_read(tty, buf, size);
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputs("\n", tty);
	fclose(tty);
	return r;
}

/* A passphrase from a person at the terminal, twice when it is new. */
static enum rd_code RD_CHECK
cli_prompt_passphrase(const char *what, bool twice, const char *how,
    char *buf, size_t size, struct rd_err *err)
{
	char	*again;
	int	 r;

	r = tty_prompt(twice ? "New passphrase: " : "Passphrase: ", buf, size);
	if (r == -2)
		return rd_err_set(err, RD_USAGE, "the %s is longer than %zu "
		    "bytes", what, size - 1);
	if (r == -3)
		return rd_err_set(err, RD_USAGE, "the %s holds a NUL byte",
		    what);
	if (r != 0)
		return rd_err_set(err, RD_BAD_PASSPHRASE, "no %s: give %s, or "
		    "run on a terminal", what, how);
	if (!twice)
		return RD_OK;
	again = secret_alloc(SECRET_LINE_MAX);
	r = tty_prompt("Again: ", again, SECRET_LINE_MAX);
	if (r != 0 || strcmp(again, buf) != 0) {
		secret_release(again);
		sodium_memzero(buf, size);
		return rd_err_set(err, RD_USAGE, "the two passphrases differ");
	}
	secret_release(again);
	return RD_OK;
}

static enum rd_code RD_CHECK
cli_ask(void *arg, const char *what, char *buf, size_t size,
    struct rd_err *err)
{
	struct cli_state	*st = arg;
	char			 prompt[64];
	enum rd_code		 rc;
	int			 r;

	if (strcmp(what, "passphrase") == 0 ||
	    strcmp(what, "new vault passphrase") == 0) {
		rc = session_passphrase(st->session, buf, size, err);
		if (rc != RD_NOT_FOUND)
			return rc;
		return cli_prompt_passphrase(what, strcmp(what,
		    "passphrase") != 0, "--passphrase-file, set "
		    "$REDOUBT_PASSPHRASE", buf, size, err);
	}
	if (strcmp(what, "new passphrase") == 0) {
		rc = session_new_passphrase(st->session, buf, size, err);
		if (rc != RD_NOT_FOUND)
			return rc;
		return cli_prompt_passphrase(what, true,
		    "--new-passphrase-file, set $REDOUBT_NEW_PASSPHRASE", buf,
		    size, err);
	}
	snprintf(prompt, sizeof prompt, "%c%s: ", what[0] & ~0x20, what + 1);
	if (isatty(STDIN_FILENO))
		r = tty_prompt(prompt, buf, size);
	else
		r = line_read(stdin, buf, size);
	if (r == 0)
		return RD_OK;
	if (r == -2)
		return rd_err_set(err, RD_USAGE, "the %s is longer than %zu "
		    "bytes", what, size - 1);
	if (r == -3)
		return rd_err_set(err, RD_USAGE, "the %s holds a NUL byte",
		    what);
	return rd_err_set(err, RD_USAGE, "expected the %s as one line on "
	    "stdin", what);
}

/*
 * Up to len bytes of s as text: valid UTF-8 passes, a control (C0, DEL,
 * C1) or a byte that is not UTF-8 shows as '?', so nothing printed can
 * drive the terminal; newlines pass when lines is set.
 */
static void
put_span(FILE *fp, const char *s, size_t len, bool lines)
{
	const char	*end = s + len;
	uint32_t	 cp;
	size_t		 n;

	while (s < end && *s != '\0') {
		n = utf8_next(s, &cp);
		if (n == 0 || s + n > end) {
			fputc('?', fp);
			s++;
			continue;
		}
		if (utf8_control(cp) && !(lines && cp == '\n'))
			fputc('?', fp);
		else
			fwrite(s, 1, n, fp);
		s += n;
	}
}

static void
put_text(FILE *fp, const char *s)
{
	put_span(fp, s, strlen(s), true);
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
				put_span(fp, p, (size_t)(nl - p), false);
				p = nl;
				fputc('\n', fp);
			}
		} else {
			fprintf(fp, "%s: ", c->string);
			put_scalar(fp, c);
			fputc('\n', fp);
		}
	}
}

/* Every string of a result as valid UTF-8, so the JSON is valid. */
static void
json_clean(cJSON *item)
{
	char	*clean;

	for (; item != NULL; item = item->next) {
		if (cJSON_IsString(item) && !utf8_valid(item->valuestring)) {
			clean = utf8_clean(item->valuestring);
			(void)cJSON_SetValuestring(item, clean);
			free(clean);
		}
		json_clean(item->child);
	}
}

static int
cli_finish(const struct cli_state *st, enum rd_code rc,
    const struct rd_err *err, cJSON *out)
{
	cJSON	*doc, *eo;
	char	*s;

	if (st->json) {
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
		json_clean(doc);
		s = cJSON_PrintUnformatted(doc);
		puts(s);
		sodium_memzero(s, strlen(s));
		free(s);
		if (doc != out)
			json_free(doc);
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

/* Open the vault for a command that needs it. */
static enum rd_code RD_CHECK
cli_unlock(struct cli_state *st, struct rd_err *err)
{
	char		*pass;
	enum rd_code	 rc;

	if ((rc = session_vault_exists(st->session, err)) != RD_OK)
		return rc;
	pass = secret_alloc(SECRET_LINE_MAX);
	if ((rc = cli_ask(st, "passphrase", pass, SECRET_LINE_MAX, err)) ==
	    RD_OK)
		rc = session_unlock(st->session, pass, strlen(pass), err);
	secret_release(pass);
	return rc;
}

int
cli_main(int argc, char **argv)
{
	struct cli_state	 st;
	struct session_opts	 o;
	const struct cmd_entry	*e;
	struct cmd_input	 in;
	struct rd_err		 err;
	cJSON			*out = NULL;
	enum rd_code		 rc;
	int			 next = 1, used, r, i;

	memset(&st, 0, sizeof st);
	memset(&o, 0, sizeof o);
	rd_err_clear(&err);
	rc = session_opts_parse(argc, argv, &next, &o, &err);
	st.json = o.json;
	if (rc != RD_OK)
		return cli_finish(&st, rc, &err, NULL);
	if (o.help) {
		cli_usage(stdout);
		return 0;
	}
	if (next >= argc) {
		if (st.json) {
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
	for (i = next + used; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			cli_cmd_usage(e, stdout);
			return 0;
		}
	}
	if ((rc = cmd_parse(e, argc - next - used, argv + next + used, &in,
	    &err)) != RD_OK)
		return cli_finish(&st, rc, &err, NULL);

	out = cJSON_CreateObject();
	rc = session_new(&o, "cli", &st.session, &err);
	if (rc != RD_OK && !(e->flags & CMD_NO_CONFIG))
		goto done;
	st.session->ctx.ask = cli_ask;
	st.session->ctx.ask_arg = &st;
	if (!(e->flags & CMD_NO_VAULT) &&
	    (rc = cli_unlock(&st, &err)) != RD_OK)
		goto done;
	rc = cmd_run(e, &st.session->ctx, &in, out, &err);
done:
	r = cli_finish(&st, rc, &err, out);
	json_free(out);
	session_free(st.session);
	return r;
}
