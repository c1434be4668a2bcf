/*
 * peek.c: an outbox message where its code is needed (peek.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/secret.h"
#include "../src/util.h"
#include "peek.h"
#include "screen.h"
#include "widget.h"

void
peek_clear(struct peek *p)
{
	secret_free(p->body);
	p->body = NULL;
	p->looked = false;
}

void
peek_set(struct peek *p, const char *method, const char *sent_to)
{
	peek_clear(p);
	snprintf(p->method, sizeof p->method, "%s", method);
	snprintf(p->sent_to, sizeof p->sent_to, "%s", sent_to);
}

struct ui_job *
peek_job(int tag)
{
	return job_new(tag, "outbox", "list", NULL);
}

void
peek_take(struct peek *p, const cJSON *out)
{
	const cJSON	*m;
	char		*masked;

	peek_clear(p);
	p->looked = true;
	/* Oldest first: the last match is the newest. */
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(out,
	    "messages")) {
		if (strcmp(job_str(m, "method"), p->method) != 0)
			continue;
		masked = mask_destination(job_str(m, "to"));
		if (strcmp(masked, p->sent_to) == 0) {
			secret_free(p->body);
			p->body = xstrdup(job_str(m, "body"));
		}
		free(masked);
	}
}

int
peek_draw(struct canvas *c, int x, int y, int w, int h, const struct peek *p)
{
	int	used;

	if (!p->looked || h < 3)
		return 0;
	canvas_printf(c, x, y, CA_BOLD, "In the outbox for %s", p->sent_to);
	if (p->body == NULL) {
		canvas_put(c, x, y + 1, CA_DIM, w, "(no message for it yet)");
		return 2;
	}
	used = text_wrap(c, x + 2, y + 1, w - 2, h - 1, 0, 0, p->body);
	return 1 + (used < h - 1 ? used : h - 1);
}
