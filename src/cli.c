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
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cli-batch.h"
#include "cli-int.h"
#include "cli.h"
#include "cmd.h"
#include "i18n.h"
#include "json.h"
#include "line.h"
#include "session.h"
#include "sesstok.h"
#include "utf8.h"
#include "util.h"

struct cli_state {
	struct session	*session;
	bool		 json;
	int		 qr;		/* session_opts' */
};

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
		return cli_prompt_passphrase(cli_asked_name(what), strcmp(what,
		    "passphrase") != 0, _("--passphrase-file, set "
		    "$REDOUBT_PASSPHRASE"), buf, size, err);
	}
	if (strcmp(what, "new passphrase") == 0) {
		rc = session_new_passphrase(st->session, buf, size, err);
		if (rc != RD_NOT_FOUND)
			return rc;
		return cli_prompt_passphrase(cli_asked_name(what), true,
		    _("--new-passphrase-file, set $REDOUBT_NEW_PASSPHRASE"),
		    buf, size, err);
	}
	what = cli_asked_name(what);
	/* TRANSLATORS: a prompt on the terminal: "Password: ". */
	snprintf(prompt, sizeof prompt, _("%s: "), what);
	if (prompt[0] >= 'a' && prompt[0] <= 'z')
		prompt[0] = (char)(prompt[0] & ~0x20);
	if (isatty(STDIN_FILENO))
		r = cli_tty_prompt(prompt, buf, size);
	else
		r = line_read(stdin, buf, size);
	if (r == 0)
		return RD_OK;
	if ((rc = line_bad(r, what, size, err)) != RD_OK)
		return rc;
	return rd_err_set(err, RD_USAGE, _("expected the %s as one line on "
	    "stdin"), what);
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
		cli_json_clean(doc);
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
		if (out != NULL && rc == RD_OK && (st->qr > 0 ||
		    (st->qr == 0 && isatty(STDOUT_FILENO))))
			cli_render_qr(stdout, out);
		if (out != NULL && (rc == RD_OK || rd_code_exit(rc) >= 4))
			cli_render(stdout, out);
		if (rc != RD_OK) {
			fputs("redoubt: ", stderr);
			cli_put_text(stderr, err->msg);
			fputc('\n', stderr);
		}
	}
	fflush(stdout);
	return rd_code_exit(rc);
}

/*
 * The token of `unlock` as the shell takes it: with --sh a line for eval
 * (the token is base64url and hex, nothing a shell would read as code).
 */
static void
cli_session_line(const cJSON *out, bool sh)
{
	const char	*tok = cJSON_GetStringValue(cJSON_GetObjectItem(out,
			    "session"));

	if (tok == NULL)
		return;
	if (sh)
		printf("%s=%s; export %s\n", SESSTOK_ENV, tok, SESSTOK_ENV);
	else
		printf("%s=%s\n", SESSTOK_ENV, tok);
	fflush(stdout);
}

/* Open the vault for a command that needs it. */
static enum rd_code RD_CHECK
cli_unlock(struct cli_state *st, const struct cmd_entry *e,
    struct rd_err *err)
{
	const char	*tok = session_token();
	char		*pass;
	enum rd_code	 rc;

	if ((rc = session_vault_exists(st->session, err)) != RD_OK)
		return rc;
	/* `unlock` itself starts a session afresh, from the passphrase. */
	if (tok != NULL && e != &cmd_unlock_entry)
		return session_resume(st->session, tok, err);
	if (session_keyfile(st->session) != NULL)
		return session_unlock_keyfile(st->session, err);
	pass = secret_alloc(SECRET_LINE_MAX);
	if ((rc = cli_ask(st, "passphrase", pass, SECRET_LINE_MAX, err)) ==
	    RD_OK)
		rc = session_unlock(st->session, pass, strlen(pass), err);
	secret_release(pass);
	return rc;
}

/*
 * Whether the command named so far by words has an option of arg's name
 * (`key add --keyfile FILE` writes that file; it is not the global
 * --keyfile that opens the vault).
 */
static bool
cli_own_option(int nwords, char **words, const char *arg)
{
	const struct cmd_entry	*e;
	size_t			 len;
	int			 used, i;

	if (nwords == 0 || strncmp(arg, "--", 2) != 0 ||
	    (e = cmd_find(nwords, words, &used)) == NULL)
		return false;
	arg += 2;
	len = strcspn(arg, "=");
	for (i = 0; i < e->nopts; i++)
		if (strlen(e->opts[i].name) == len &&
		    strncmp(e->opts[i].name, arg, len) == 0)
			return true;
	return false;
}

/*
 * Global options given after the command (`login alice --json`) move out
 * of the command's words; a "--" ends them, as it ends the command's own.
 * words gets argv[from..] without them.
 */
static enum rd_code RD_CHECK
cli_late_globals(int argc, char **argv, int from, char **words, int *nwords,
    struct session_opts *o, struct rd_err *err)
{
	enum rd_code	rc;
	int		i = from;

	*nwords = 0;
	while (i < argc) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				words[(*nwords)++] = argv[i++];
			break;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0' &&
		    !cli_own_option(*nwords, words, argv[i]) &&
		    (rc = session_opt_take(argc, argv, &i, o, err)) !=
		    RD_NOT_FOUND) {
			if (rc != RD_OK)
				return rc;
			continue;
		}
		words[(*nwords)++] = argv[i++];
	}
	return RD_OK;
}

/* No command by these words: a group's list, or "did you mean". */
static int
cli_no_command(struct cli_state *st, int nwords, char **words)
{
	struct rd_err	 err;
	const char	*near = cli_suggest(nwords, words);
	char		 typed[80];

	if (nwords == 1 && !st->json && cli_group_usage(words[0], stderr))
		return 2;
	snprintf(typed, sizeof typed, "%s%s%s", words[0], nwords > 1 &&
	    cli_group_usage(words[0], NULL) ? " " : "", nwords > 1 &&
	    cli_group_usage(words[0], NULL) ? words[1] : "");
	if (nwords == 1 && cli_group_usage(words[0], NULL))
		rd_err_set(&err, RD_USAGE, _("'%s' needs a command (see "
		    "redoubt help %s)"), words[0], words[0]);
	else if (near != NULL)
		rd_err_set(&err, RD_USAGE, _("unknown command '%s'; did you "
		    "mean '%s'? (see redoubt help)"), typed, near);
	else
		rd_err_set(&err, RD_USAGE, _("unknown command '%s' (see "
		    "redoubt help)"), typed);
	return cli_finish(st, RD_USAGE, &err, NULL);
}

static void
cli_batch_emit(void *arg, const char *json)
{
	(void)arg;
	fputs(json, stdout);
	fputc('\n', stdout);
}

static void
cli_batch_flush(void *arg)
{
	(void)arg;
	fflush(stdout);
}

/*
 * redoubt batch: the session opened once as for any command (a
 * REDOUBT_SESSION, --passphrase-file, ...), then the lines of stdin.
 * Its answers are JSON and English whatever --json says.
 */
static int
cli_batch(struct cli_state *st, const struct session_opts *o, int argc,
    char **argv)
{
	const struct batch_io	 io = { STDIN_FILENO, cli_batch_emit,
				    cli_batch_flush, NULL };
	struct batch_opts	 bo = { 0 };
	struct cmd_input	 in;
	struct rd_err		 err;
	enum rd_code		 rc;
	int			 r;

	if ((rc = cmd_parse(&cli_batch_entry, argc, argv, &in, &err)) !=
	    RD_OK)
		return cli_finish(st, rc, &err, NULL);
	if (in.npos > 0) {
		rd_err_set(&err, RD_USAGE, _("usage: redoubt %s %s"),
		    cli_batch_entry.name, cli_batch_entry.usage);
		return cli_finish(st, RD_USAGE, &err, NULL);
	}
	bo.stop_on_error = cmd_opt(&in, BATCH_STOP_ON_ERROR) != NULL;
	setlocale(LC_MESSAGES, "C");
	if ((rc = session_new(o, "batch", &st->session, &err)) != RD_OK)
		goto fail;
	st->session->ctx.ask = cli_ask;
	st->session->ctx.ask_arg = st;
	if ((rc = cli_unlock(st, NULL, &err)) != RD_OK)
		goto fail;
	r = batch_run(&st->session->ctx, &bo, &io);
	session_free(st->session);
	return r;
fail:
	batch_fail(&io, rc, &err);
	session_free(st->session);
	return rd_code_exit(rc);
}

/*
 * A password in argv is seen by every user in ps and kept in the shell's
 * history; only a batch line (stdin) may carry one.
 */
static bool
cli_argv_password(int argc, char **argv)
{
	int	i;

	for (i = 0; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--password") == 0 ||
		    str_has_prefix(argv[i], "--password="))
			return true;
	return false;
}

int
cli_main(int argc, char **argv)
{
	struct cli_state	 st;
	struct session_opts	 o;
	const struct cmd_entry	*e;
	struct cmd_input	 in;
	struct cli_progress	 prog;
	struct rd_err		 err;
	cJSON			*out = NULL;
	char			**words;
	enum rd_code		 rc;
	int			 next = 1, used, r, nwords;

	memset(&st, 0, sizeof st);
	memset(&o, 0, sizeof o);
	rd_err_clear(&err);
	rc = session_opts_parse(argc, argv, &next, &o, &err);
	st.json = o.json;
	if (rc != RD_OK)
		return cli_finish(&st, rc, &err, NULL);
	if (o.version) {
		cli_version(stdout);
		return 0;
	}
	if (o.help) {
		cli_usage(stdout);
		return 0;
	}
	if (next >= argc) {
		if (st.json) {
			rd_err_set(&err, RD_USAGE, _("no command given (see "
			    "redoubt help)"));
			return cli_finish(&st, RD_USAGE, &err, NULL);
		}
		cli_usage(stderr);
		return 2;
	}
	if (strcmp(argv[next], "help") == 0)
		return cli_help(argc - next - 1, argv + next + 1);
	words = xcalloc((size_t)argc + 1, sizeof *words);
	rc = cli_late_globals(argc, argv, next, words, &nwords, &o, &err);
	st.json = o.json;
	st.qr = o.qr;
	if (rc != RD_OK) {
		r = cli_finish(&st, rc, &err, NULL);
		goto out;
	}
	if (o.version) {
		cli_version(stdout);
		r = 0;
		goto out;
	}
	if (nwords > 0 && strcmp(words[0], "batch") == 0) {
		if (o.help)
			cli_cmd_usage(&cli_batch_entry, stdout);
		r = o.help ? 0 : cli_batch(&st, &o, nwords - 1, words + 1);
		goto out;
	}
	e = cmd_find(nwords, words, &used);
	if (o.help) {
		/* redoubt user add --help, redoubt user --help */
		if (e != NULL)
			cli_cmd_usage(e, stdout);
		else if (!cli_group_usage(words[0], stdout))
			cli_usage(stdout);
		r = 0;
		goto out;
	}
	if (e == NULL) {
		r = cli_no_command(&st, nwords, words);
		goto out;
	}
	if (cli_argv_password(nwords - used, words + used)) {
		rd_err_set(&err, RD_USAGE, _("--password is only for lines of "
		    "redoubt batch: on the command line a password shows in ps "
		    "and the shell's history; use --password-stdin (or the "
		    "prompt)"));
		r = cli_finish(&st, RD_USAGE, &err, NULL);
		goto out;
	}
	if ((rc = cmd_parse(e, nwords - used, words + used, &in, &err)) !=
	    RD_OK) {
		r = cli_finish(&st, rc, &err, NULL);
		goto out;
	}

	out = cJSON_CreateObject();
	rc = session_new(&o, "cli", &st.session, &err);
	if (rc != RD_OK && !(e->flags & CMD_NO_CONFIG))
		goto done;
	st.session->ctx.ask = cli_ask;
	st.session->ctx.ask_arg = &st;
	/* A bar for people; a pipe or a log file gets none. */
	memset(&prog, 0, sizeof prog);
	if (isatty(STDERR_FILENO)) {
		st.session->ctx.progress = cli_progress;
		st.session->ctx.progress_arg = &prog;
	}
	if (!(e->flags & CMD_NO_VAULT) &&
	    (rc = cli_unlock(&st, e, &err)) != RD_OK)
		goto done;
	rc = cmd_run(e, &st.session->ctx, &in, out, &err);
	if (rc == RD_OK && e == &cmd_unlock_entry && !st.json) {
		cli_session_line(out, cmd_opt_named(e, &in, "sh") != NULL);
		r = 0;
		goto freed;
	}
done:
	r = cli_finish(&st, rc, &err, out);
freed:
	json_free(out);
	session_free(st.session);
out:
	free(words);
	return r;
}
