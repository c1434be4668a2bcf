/*
 * cli-progress.c: the progress bar of a long command (an import) on
 * stderr, as ctx->progress (cli-int.h).  cli.c hands it over only when
 * stderr is a terminal, so a pipe or a log file never sees one.  It is
 * redrawn in place at most ten times a second: the rows done, the rate,
 * and with a known total a bar and the time left.  The last call clears
 * the line, so what the command prints next starts on a clean one.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli-int.h"
#include "i18n.h"
#include "words.h"

#define PROGRESS_BAR	20		/* cells of the bar */
#define PROGRESS_GAP	0.1		/* seconds between redraws */

static double
progress_since(const struct timespec *t)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	    (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

void
cli_progress(void *arg, long done, long total, bool end)
{
	struct cli_progress	*p = arg;
	char			 bar[PROGRESS_BAR + 1], left[48];
	double			 secs, rate;
	long			 cells;
	int			 i;

	if (!p->started) {
		clock_gettime(CLOCK_MONOTONIC, &p->t0);
		p->started = true;
	}
	if (end) {
		if (p->drawn)
			fputs("\r\033[K", stderr);
		fflush(stderr);
		return;
	}
	secs = progress_since(&p->t0);
	if (p->drawn && secs - p->last < PROGRESS_GAP)
		return;
	p->last = secs;
	p->drawn = true;
	rate = secs > 0 ? (double)done / secs : 0;
	fputs("\r\033[K", stderr);
	if (total > 0) {
		cells = done >= total ? PROGRESS_BAR : done * PROGRESS_BAR /
		    total;
		for (i = 0; i < PROGRESS_BAR; i++)
			bar[i] = i < cells ? '#' : '.';
		bar[PROGRESS_BAR] = '\0';
		if (rate > 0 && done < total)
			words_duration((long)((double)(total - done) / rate +
			    0.5), left, sizeof left);
		else
			snprintf(left, sizeof left, "-");
		/* TRANSLATORS: a progress bar: [####....] 45% 450/1000 rows,
		   230/s, 3 seconds left. */
		fprintf(stderr, _("[%s] %3ld%% %ld/%ld rows, %.0f/s, %s left"),
		    bar, done * 100 / total, done, total, rate, left);
	} else
		fprintf(stderr, _("%ld rows, %.0f/s"), done, rate);
	fflush(stderr);
}
