/*
 * scr-config.c: the configuration in effect (`config`): where it came
 * from, every problem `config --check` would name, the methods, and the
 * whole INI with credentials shown as ***.  Read-only; it opens also when
 * the file has problems, before the vault, to say what to fix.  Ctrl-L
 * reads the file again (app.c) and the screen shows what is now in effect.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/util.h"
#include "screen.h"
#include "widget.h"

struct cfg_line {
	char		*text;
	unsigned	 attr;
};

struct scr_config {
	struct screen	 base;
	struct cfg_line	*lines;
	int		 n, cap;
	int		 top;
};

static void
cfgview_add(struct scr_config *s, unsigned attr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
cfgview_add(struct scr_config *s, unsigned attr, const char *fmt, ...)
{
	va_list	ap;
	char	buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->lines = xrealloc(s->lines, (size_t)s->cap * sizeof *s->lines);
	}
	s->lines[s->n].text = xstrdup(buf);
	s->lines[s->n++].attr = attr;
}

static void
cfgview_reset(struct scr_config *s)
{
	while (s->n > 0)
		free(s->lines[--s->n].text);
}

static int
cfg_pad(const char *word, int cols)
{
	return cols + (int)strlen(word) - canvas_width(word);
}

static void
cfgview_take(struct scr_config *s, const cJSON *out)
{
	const cJSON	*e, *probs = cJSON_GetObjectItemCaseSensitive(out,
			    "problems");
	const char	*p, *nl;

	cfgview_reset(s);
	cfgview_add(s, CA_BOLD, _("File: %s"), job_str(out, "path"));
	cfgview_add(s, 0, "%s", "");
	if (cJSON_GetArraySize(probs) == 0)
		cfgview_add(s, ROLE_OK, "%s", _("No problems."));
	else
		cfgview_add(s, ROLE_ERROR | CA_BOLD, ngettext("%d problem:",
		    "%d problems:", (unsigned long)cJSON_GetArraySize(probs)),
		    cJSON_GetArraySize(probs));
	cJSON_ArrayForEach(e, probs)
		cfgview_add(s, ROLE_ERROR, "  %s", cJSON_IsString(e) ?
		    e->valuestring : "?");
	cfgview_add(s, 0, "%s", "");
	/* printf pads bytes: the widths grow by the bytes a translated
	   word has over its columns (ó, ł), so the columns line up. */
	cfgview_add(s, CA_BOLD | CA_UNDERLINE, "%-*s%-*s%-*s%s",
	    cfg_pad(_("Method"), 20), _("Method"), cfg_pad(_("Handler"), 16),
	    _("Handler"), cfg_pad(_("Kind"), 8), _("Kind"), _("Shown as"));
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(out, "methods"))
		cfgview_add(s, 0, "%-20s%-16s%-8s%s", job_str(e, "name"),
		    job_str(e, "handler"), job_str(e, "kind"),
		    job_str(e, "verbose_name"));
	cfgview_add(s, 0, "%s", "");
	for (p = job_str(out, "text"); *p != '\0'; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		cfgview_add(s, *p == '[' ? CA_BOLD : 0, "%.*s", (int)(nl - p),
		    p);
	}
}

static int
cfgview_rows(const struct ui *ui)
{
	return ui->rows - 4 > 1 ? ui->rows - 4 : 1;
}

static void
cfgview_draw(struct screen *sc, struct canvas *c)
{
	struct scr_config	*s = (struct scr_config *)sc;
	int			 i, y = 2;

	frame_draw(sc, c, _("Configuration"));
	for (i = s->top; i < s->n && y < c->rows - 2; i++, y++)
		canvas_put(c, 2, y, s->lines[i].attr, c->cols - 3,
		    s->lines[i].text);
	if (s->n > cfgview_rows(sc->ui))
		canvas_printf(c, c->cols - 24, 1, CA_DIM, _("lines %d-%d of %d"),
		    s->top + 1, i, s->n);
}

static struct ui_action
cfgview_key(struct screen *sc, int key)
{
	struct scr_config	*s = (struct scr_config *)sc;
	enum key_act		 a = keys_lookup(sc->keys, key, false);

	if (scroll_key(&s->top, a, s->n, cfgview_rows(sc->ui)))
		return act_none();
	return scr_key_common(sc, a);
}

static struct ui_action
cfgview_enter(struct screen *sc)
{
	(void)sc;
	return act_run(job_new(0, "config", NULL));
}

static struct ui_action
cfgview_done(struct screen *sc, struct ui_job *j)
{
	if (j->rc != RD_OK)
		scr_msg_job(sc, j);
	else
		cfgview_take((struct scr_config *)sc, j->out);
	return act_none();
}

static void
cfgview_free(struct screen *sc)
{
	struct scr_config	*s = (struct scr_config *)sc;

	cfgview_reset(s);
	free(s->lines);
	free(s);
}

static const struct screen_ops cfgview_ops = {
	.name = N_("configuration"),
	.draw = cfgview_draw,
	.key = cfgview_key,
	.enter = cfgview_enter,
	.done = cfgview_done,
	.free = cfgview_free,
	.reload = cfgview_enter,
};

struct screen *
scr_config_new(struct ui *ui)
{
	struct scr_config	*s = xcalloc(1, sizeof *s);

	s->base.ops = &cfgview_ops;
	s->base.ui = ui;
	s->base.keys = KC_ALL | KC_LIST;
	return &s->base;
}
