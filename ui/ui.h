/*
 * ui.h: the full-screen interface from outside ui/: the entry point
 * main() reaches and a hook for tests/bench to time a keypress on the
 * user list.
 */
#ifndef RD_UI_UI_H
#define RD_UI_UI_H

struct canvas;
struct rd_ctx;
struct ui_bench;

/*
 * Open the TUI when there is no command on a terminal (global options
 * such as --vault, --config and --passphrase-file may come first).
 * Returns the exit status, or -1 when the command line should go on.
 */
int		 ui_main(int argc, char **argv);

/*
 * Benchmark hook.  ui_bench_new puts a user list screen over ctx's vault
 * and config (ctx->vault open; ctx->env, ctx->cfg set) sized to canvas c
 * and loads its first page (not timed).  ui_bench_keypress hands it one
 * key (an enum ui_key from ui/keys.h or a character: '/' then letters
 * searches, UK_PGDN pages) and draws the screen into c; it returns the
 * microseconds from the key to the finished canvas, the command the key
 * causes included.  ui_bench_free releases everything but ctx and c.
 */
struct ui_bench	*ui_bench_new(const struct rd_ctx *ctx, struct canvas *c);
double		 ui_bench_keypress(struct ui_bench *b, int key);
void		 ui_bench_free(struct ui_bench *b);

#endif
