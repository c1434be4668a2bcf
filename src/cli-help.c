/*
 * cli-help.c: what the command line says about itself (cli-int.h): the
 * usage of every command, of a group, of one command, `help`, --version,
 * and the nearest command name when a word is mistyped, by edit distance
 * (optimal string alignment: a swap of two letters counts as one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cli-batch.h"
#include "cli-int.h"
#include "cmd.h"
#include "i18n.h"
#include "util.h"
#include "version.h"

/* Columns of a short UTF-8 text: one a code point. */
static int
text_cols(const char *s)
{
	int	n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

void
cli_version(FILE *fp)
{
	fprintf(fp, "redoubt %s\n", RD_VERSION);
}

void
cli_usage(FILE *fp)
{
	const struct cfg_handler	*h;
	size_t				 i;

	/* TRANSLATORS: keep the option names and the words in capitals. */
	fputs(_("usage: redoubt [--vault FILE] [--config FILE] "
	    "[--passphrase-file FILE | --keyfile FILE]\n"
	    "               [--operator NAME] [--json] COMMAND ...\n"
	    "       redoubt help [COMMAND] | --version\n\ncommands:\n"), fp);
	for (i = 0; cmd_table[i] != NULL; i++)
		fprintf(fp, "  %-13s %s\n      %s\n", cmd_table[i]->name,
		    cmd_table[i]->usage, _(cmd_table[i]->help));
	fprintf(fp, "  %-13s %s\n      %s\n", cli_batch_entry.name,
	    cli_batch_entry.usage, _(cli_batch_entry.help));
	fputs(_("\nGlobal options may also follow the command.  A CODE of - is "
	    "read from stdin.\nWith no command on a terminal, the full-screen "
	    "interface opens.\n--qr, --no-qr: draw the QR code of an app "
	    "method (default: on a terminal).\n--operator NAME: who works, "
	    "for the audit log (else $REDOUBT_OPERATOR, else the login "
	    "name).\nhandlers:"), fp);
	for (i = 0; (h = cfg_handler_at(i)) != NULL; i++)
		fprintf(fp, " %s", h->name);
	fputs(_("\nexit status: 0 ok, 1 refused, 2 usage, 3 vault, 4 provider, "
	    "5 config\n"), fp);
}

void
cli_cmd_usage(const struct cmd_entry *e, FILE *fp)
{
	int	i, w = 0, n;

	fprintf(fp, _("usage: redoubt %s %s\n  %s\n"), e->name, e->usage,
	    _(e->help));
	for (i = 0; i < e->nopts; i++) {
		n = (int)strlen(e->opts[i].name) + (e->opts[i].has_arg ?
		    text_cols(_(" VALUE")) : 0);
		if (n > w)
			w = n;
	}
	for (i = 0; i < e->nopts; i++)
		fprintf(fp, "  --%s%s%*s  %s\n", e->opts[i].name,
		    e->opts[i].has_arg ? _(" VALUE") : "", w -
		    (int)strlen(e->opts[i].name) - (e->opts[i].has_arg ?
		    text_cols(_(" VALUE")) : 0), "", _(e->opts[i].help));
}

/* Whether name is "group ..." */
static bool
in_group(const char *name, const char *group)
{
	size_t	n = strlen(group);

	return strncmp(name, group, n) == 0 && name[n] == ' ';
}

bool
cli_group_usage(const char *group, FILE *fp)
{
	size_t	i;
	bool	any = false;

	for (i = 0; cmd_table[i] != NULL; i++) {
		if (!in_group(cmd_table[i]->name, group))
			continue;
		if (fp == NULL)
			return true;
		if (!any)
			fprintf(fp, _("the %s commands:\n"), group);
		fprintf(fp, "  redoubt %s %s\n      %s\n", cmd_table[i]->name,
		    cmd_table[i]->usage, _(cmd_table[i]->help));
		any = true;
	}
	if (any)
		fprintf(fp, _("(redoubt help %s COMMAND: its options)\n"),
		    group);
	return any;
}

/* Optimal string alignment distance, for names of a few dozen bytes. */
static int
edit_distance(const char *a, const char *b)
{
	int	d[48][48], i, j, la = (int)strlen(a), lb = (int)strlen(b);
	int	best;

	if (la > 47 || lb > 47)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

/* The first n words of argv joined by spaces, if there are n. */
static bool
words_join(int argc, char *const *argv, int n, char *buf, size_t size)
{
	size_t	len = 0;
	int	i;

	if (argc < n)
		return false;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		len += strlen(argv[i]) + 1;
		if (len >= size)
			return false;
		if (i > 0)
			strcat(buf, " ");
		strcat(buf, argv[i]);
	}
	return true;
}

const char *
cli_suggest(int argc, char *const *argv)
{
	static char	 group[32];
	const char	*best = NULL, *name, *sp;
	char		 typed[64];
	size_t		 i;
	int		 d, best_d = 99, words;

	for (i = 0; cmd_table[i] != NULL; i++) {
		name = cmd_table[i]->name;
		for (words = 1, sp = name; (sp = strchr(sp, ' ')) != NULL;
		    sp++)
			words++;
		if (words_join(argc, argv, words, typed, sizeof typed) &&
		    (d = edit_distance(typed, name)) < best_d) {
			best_d = d;
			best = name;
		}
		/* The group alone: "usr" may be "user". */
		if (words > 1 && (sp = strchr(name, ' ')) != NULL &&
		    (size_t)(sp - name) < sizeof group) {
			char	g[32];

			snprintf(g, sizeof g, "%.*s", (int)(sp - name), name);
			d = edit_distance(argv[0], g);
			/* Distance 0: the slip is in the second word. */
			if (d > 0 && d < best_d) {
				best_d = d;
				snprintf(group, sizeof group, "%s", g);
				best = group;
			}
		}
	}
	/* Near enough: a slip or two, not another word. */
	if (best == NULL || best_d == 0 || best_d > 1 +
	    (int)strlen(best) / 4 || best_d > 3)
		return NULL;
	return best;
}

int
cli_help(int argc, char **argv)
{
	const struct cmd_entry	*e;
	const char		*near;
	char			*msg;
	int			 used;

	if (argc == 0) {
		cli_usage(stdout);
		return 0;
	}
	if (argc == 1 && strcmp(argv[0], cli_batch_entry.name) == 0) {
		cli_cmd_usage(&cli_batch_entry, stdout);
		return 0;
	}
	if ((e = cmd_find(argc, argv, &used)) != NULL && used == argc) {
		cli_cmd_usage(e, stdout);
		return 0;
	}
	if (argc == 1 && cli_group_usage(argv[0], stdout))
		return 0;
	fputs("redoubt: ", stderr);
	if ((near = cli_suggest(argc, argv)) != NULL)
		msg = xasprintf(_("no command '%s'; did you mean '%s'? (see "
		    "redoubt help)"), argv[0], near);
	else
		msg = xasprintf(_("no command '%s' (see redoubt help)"),
		    argv[0]);
	cli_put_text(stderr, msg);
	fputc('\n', stderr);
	free(msg);
	return 2;
}
