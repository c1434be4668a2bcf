/*
 * term.h: the terminal, the only place curses is used (tests/lint.sh
 * checks).  It sets the terminal up and puts it back however the program
 * ends, turns what the terminal sends into enum ui_key codes, and paints
 * a canvas.  Colours are explicit pairs per canvas role; with NO_COLOR set
 * or on a monochrome terminal only bold, reverse and underline are used
 * (and the QR code keeps its own explicit colours where there are any).
 */
#ifndef RD_UI_TERM_H
#define RD_UI_TERM_H

#include <stdbool.h>

struct canvas;

/* Set the terminal up; false (with nothing changed) when it cannot be. */
bool	term_open(void);
/* Put the terminal back; safe to call twice. */
void	term_close(void);
void	term_size(int *cols, int *rows);
/*
 * The next key; UK_NONE after timeout_ms (-1: wait), or as soon as a byte
 * arrives on wake_fd (-1: none), which is read away, or as soon as
 * watch_fd (-1: none; the vault's store) turns readable, which is left for
 * the store to read.  Waiting is poll(2) on all, so news from the worker
 * thread and from other operators is drawn at once.
 */
int	term_key(int timeout_ms, int wake_fd, int watch_fd);
/*
 * Copy c to the screen.  full: repaint every cell, as after Ctrl-L or when
 * leaving a screen that showed a secret.
 */
void	term_paint(const struct canvas *c, bool full);

#endif
