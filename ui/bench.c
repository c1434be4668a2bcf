/*
 * bench.c: the hook tests/bench uses to time the TUI's answer to a key on
 * the user list (see ui.h): the same screen, jobs and drawing as the real
 * loop, without a terminal, so the figure is the keypress-to-redraw time
 * minus only the terminal's own write.
 */
#include <stdlib.h>
#include <time.h>

#include "../src/util.h"
#include "screen.h"
#include "ui.h"

struct ui_bench {
	struct ui	 ui;
	struct canvas	*c;
};

static double
bench_now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

struct ui_bench *
ui_bench_new(const struct rd_ctx *ctx, struct canvas *c)
{
	struct ui_bench	*b = xcalloc(1, sizeof *b);

	ui_init(&b->ui, ctx);
	b->ui.sync = true;
	b->ui.cols = c->cols;
	b->ui.rows = c->rows;
	b->c = c;
	ui_act(&b->ui, act_push(scr_users_new(&b->ui)));
	ui_draw(&b->ui, c);
	return b;
}

double
ui_bench_keypress(struct ui_bench *b, int key)
{
	double	t0 = bench_now_us();

	ui_key(&b->ui, key);
	ui_draw(&b->ui, b->c);
	return bench_now_us() - t0;
}

void
ui_bench_free(struct ui_bench *b)
{
	if (b == NULL)
		return;
	ui_fini(&b->ui);
	free(b);
}
