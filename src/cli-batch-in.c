/*
 * cli-batch-in.c: the input side of `redoubt batch` (cli-batch.h): lines
 * read from a file descriptor into locked memory, wiped as soon as they
 * are used, and a line turned into a command entry and its input, with
 * what a batch line may not do refused by name.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cli-batch.h"
#include "cli-int.h"
#include "cmd.h"
#include "i18n.h"
#include "session.h"
#include "util.h"

void
batch_reader_init(struct batch_reader *r, int fd)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
	r->buf = secret_alloc(BATCH_LINE_MAX + 1);
}

void
batch_reader_free(struct batch_reader *r)
{
	secret_release(r->buf);
	memset(r, 0, sizeof *r);
}

/* Drop the line handed out last, wiping the bytes it leaves. */
static void
reader_consume(struct batch_reader *r)
{
	if (r->used == 0)
		return;
	memmove(r->buf, r->buf + r->used, r->len - r->used);
	sodium_memzero(r->buf + r->len - r->used, r->used);
	r->len -= r->used;
	r->used = 0;
}

/* The line of len bytes at the start of buf, as the caller gets it. */
static int
reader_take(struct batch_reader *r, size_t len, char **line,
    struct rd_err *err)
{
	r->buf[len] = '\0';
	r->lineno++;
	if (r->skipping) {
		r->skipping = false;
		return rd_err_set(err, RD_USAGE, _("line %ld is longer than %d "
		    "bytes"), r->lineno, BATCH_LINE_MAX), -1;
	}
	if (strlen(r->buf) != len)
		return rd_err_set(err, RD_USAGE, _("line %ld holds a NUL "
		    "byte"), r->lineno), -1;
	if (len > 0 && r->buf[len - 1] == '\r')
		r->buf[len - 1] = '\0';
	*line = r->buf;
	return 1;
}

int
batch_reader_line(struct batch_reader *r, char **line, struct rd_err *err)
{
	char	*nl;
	ssize_t	 n;

	for (;;) {
		reader_consume(r);
		if ((nl = memchr(r->buf, '\n', r->len)) != NULL) {
			r->used = (size_t)(nl - r->buf) + 1;
			return reader_take(r, (size_t)(nl - r->buf), line, err);
		}
		if (r->eof) {
			/* The last line may lack its newline. */
			if (r->len == 0 && !r->skipping)
				return 0;
			r->used = r->len;
			return reader_take(r, r->len, line, err);
		}
		if (r->len == BATCH_LINE_MAX) {
			/* Too long: forget it up to its newline. */
			sodium_memzero(r->buf, r->len);
			r->len = 0;
			r->skipping = true;
		}
		n = read(r->fd, r->buf + r->len, BATCH_LINE_MAX - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r->eof = true;
			sodium_memzero(r->buf, r->len);
			r->len = 0;
			r->skipping = false;
			/* The line that could not be read gets the answer. */
			return rd_err_set(err, RD_USAGE, _("cannot read the "
			    "batch after line %ld: %s"), r->lineno++,
			    strerror(errno)), -1;
		}
		if (n == 0)
			r->eof = true;
		r->len += (size_t)n;
	}
}

bool
batch_reader_ready(struct batch_reader *r)
{
	struct pollfd	pfd = { .fd = r->fd, .events = POLLIN };

	if (r->eof || memchr(r->buf + r->used, '\n', r->len - r->used) !=
	    NULL)
		return true;
	return poll(&pfd, 1, 0) > 0;
}

void
batch_line_init(struct batch_line *l)
{
	memset(l, 0, sizeof *l);
	l->wbuf = secret_alloc(BATCH_LINE_MAX + 1);
	l->in = xcalloc(1, sizeof *l->in);
}

void
batch_line_wipe(struct batch_line *l)
{
	/* Words never take more bytes than their line. */
	sodium_memzero(l->wbuf, l->wlen);
	l->wlen = 0;
	memset(&l->w, 0, sizeof l->w);
	memset(l->in, 0, sizeof *l->in);
	l->e = NULL;
	l->password = NULL;
}

void
batch_line_free(struct batch_line *l)
{
	batch_line_wipe(l);
	secret_release(l->wbuf);
	free(l->in);
	memset(l, 0, sizeof *l);
}

/* Take word i out of the line's words. */
static void
line_drop(struct batch_line *l, int i)
{
	memmove(&l->w.v[i], &l->w.v[i + 1], (size_t)(l->w.n - i) *
	    sizeof l->w.v[0]);
	l->w.n--;
}

/*
 * Global options are the batch's own: a line may not change the vault or
 * the operator under the others.  --password comes out of the words.
 */
static enum rd_code RD_CHECK
line_options(struct batch_line *l, struct rd_err *err)
{
	struct session_opts	 scratch;
	struct rd_err		 serr;
	char			 name[64];
	int			 i, j;

	for (i = 0; i < l->w.n; i++) {
		const char	*wd = l->w.v[i];

		if (strcmp(wd, "--") == 0)
			break;
		if (strcmp(wd, "--password") == 0 ||
		    str_has_prefix(wd, "--password=")) {
			if (wd[10] == '=') {
				l->password = wd + 11;
				line_drop(l, i);
			} else if (i + 1 < l->w.n) {
				l->password = l->w.v[i + 1];
				line_drop(l, i);
				line_drop(l, i);
			} else {
				return rd_err_set(err, RD_USAGE,
				    _("--%s needs a value"), "password");
			}
			i--;
			continue;
		}
		if (wd[0] != '-' || wd[1] == '\0')
			continue;
		memset(&scratch, 0, sizeof scratch);
		j = i;
		if (session_opt_take(l->w.n, l->w.v, &j, &scratch, &serr) !=
		    RD_NOT_FOUND) {
			snprintf(name, sizeof name, "%s", wd);
			name[strcspn(name, "=")] = '\0';
			return rd_err_set(err, RD_USAGE, _("the global option %s "
			    "cannot be given on a batch line; give it to "
			    "redoubt batch"), name);
		}
	}
	return RD_OK;
}

/* The command of the line, or why a batch may not run it. */
static enum rd_code RD_CHECK
line_command(struct batch_line *l, int *used, struct rd_err *err)
{
	const char	*near;

	if (strcmp(l->w.v[0], "batch") == 0 || strcmp(l->w.v[0], "help") ==
	    0)
		return rd_err_set(err, RD_USAGE, _("'%s' cannot run on a batch "
		    "line"), l->w.v[0]);
	if ((l->e = cmd_find(l->w.n, l->w.v, used)) == NULL) {
		bool	group = cli_group_usage(l->w.v[0], NULL);
		char	typed[80];

		if (group && l->w.n == 1)
			return rd_err_set(err, RD_USAGE, _("'%s' needs a "
			    "command (see redoubt help %s)"), l->w.v[0],
			    l->w.v[0]);
		snprintf(typed, sizeof typed, "%s%s%s", l->w.v[0], group ?
		    " " : "", group ? l->w.v[1] : "");
		if ((near = cli_suggest(l->w.n, l->w.v)) != NULL)
			return rd_err_set(err, RD_USAGE, _("unknown command "
			    "'%s'; did you mean '%s'? (see redoubt help)"),
			    typed, near);
		return rd_err_set(err, RD_USAGE, _("unknown command '%s' (see "
		    "redoubt help)"), typed);
	}
	if (l->e->flags & CMD_BATCH_NO) {
		rd_err_set(err, RD_USAGE, _("'%s' cannot run on a batch line: "
		    "the batch unlocks the vault once, with its own options"),
		    l->e->name);
		l->e = NULL;
		return RD_USAGE;
	}
	return RD_OK;
}

enum rd_code
batch_line_parse(struct batch_line *l, const char *text, long no,
    struct rd_err *err)
{
	enum rd_code	rc;
	int		used;

	batch_line_wipe(l);
	l->no = no;
	l->wlen = strlen(text) + 1;
	if (l->wlen > BATCH_LINE_MAX + 1)
		l->wlen = BATCH_LINE_MAX + 1;
	if ((rc = shword_split(text, l->wbuf, BATCH_LINE_MAX + 1, &l->w, no,
	    err)) != RD_OK || l->w.n == 0)
		return rc;
	if ((rc = line_options(l, err)) != RD_OK)
		return rc;
	if (l->w.n == 0)
		return rd_err_set(err, RD_USAGE, _("no command on line %ld"),
		    no);
	if ((rc = line_command(l, &used, err)) != RD_OK)
		return rc;
	if ((rc = cmd_parse(l->e, l->w.n - used, l->w.v + used, l->in,
	    err)) != RD_OK) {
		l->e = NULL;
		return rc;
	}
	/* A password goes where the command takes one: its ctx->ask. */
	if (l->password != NULL && !(l->e->flags & CMD_PASSWORD) &&
	    !cmd_opt_give(l->e, l->in, "password-stdin", "")) {
		rd_err_set(err, RD_USAGE, _("'%s' takes no password"),
		    l->e->name);
		l->e = NULL;
		return RD_USAGE;
	}
	return RD_OK;
}

enum rd_code
batch_ask(void *arg, const char *what, char *buf, size_t size,
    struct rd_err *err)
{
	const struct batch_line	*l = arg;

	if (strcmp(what, "password") == 0) {
		if (l->password == NULL)
			return rd_err_set(err, RD_USAGE, _("on a batch line the "
			    "password comes with --password VALUE"));
		if (strlen(l->password) >= size)
			return rd_err_set(err, RD_USAGE, _("the %s is longer "
			    "than %zu bytes"), what, size - 1);
		memcpy(buf, l->password, strlen(l->password) + 1);
		return RD_OK;
	}
	if (strcmp(what, "code") == 0)
		return rd_err_set(err, RD_USAGE, _("on a batch line the code "
		    "is given as it is, not as -"));
	return rd_err_set(err, RD_USAGE, _("the %s cannot be asked for on a "
	    "batch line: stdin carries the batch"), what);
}
