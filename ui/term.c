/*
 * term.c: ncursesw behind a small interface (see term.h).  The rest of
 * the TUI draws into a struct canvas and reads enum ui_key codes, so it
 * can be tested without a terminal and cannot leak curses into the core.
 *
 * The terminal is restored on every way out: normal exit (atexit), and
 * SIGINT, SIGTERM, SIGHUP, SIGSEGV and SIGABRT, whose handler calls
 * endwin() once and re-raises the signal with its default action, so the
 * shell sees the real cause and the operator gets a usable terminal back.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <ncurses.h>

#include "canvas.h"
#include "keys.h"
#include "term.h"

#define QR_PAIR	10		/* + (top light) * 2 + (bottom light) */

static volatile sig_atomic_t	term_on;
static bool			term_col;	/* colours for the roles */
static bool			term_qr;	/* colours for the QR code */
static bool			term_utf8;
static bool			term_atexit_set;
static SCREEN			*term_screen;

static void
term_restore(void)
{
	if (term_on) {
		term_on = 0;
		endwin();
	}
}

static void
term_signal(int sig)
{
	/* endwin() is not on the async-signal-safe list; it is what every
	   curses program does here, once, before dying of the signal. */
	term_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Roles get colours readable on a dark and a light theme alike: text
 * colours that are dark enough and light enough (red, green) on the
 * default background, and explicit pairs where a colour alone would
 * vanish on one theme (yellow warnings, key hints).  NO_COLOR takes the
 * roles' colours away but not the QR code's: a code is read by a camera,
 * and only explicit dark-on-light colours read the same on every theme.
 */
static void
term_colours(void)
{
	const char	*nc = getenv("NO_COLOR");
	short		 dark = COLOR_BLACK, light;

	term_col = term_qr = false;
	if (!has_colors())
		return;
	start_color();
	use_default_colors();
	/* COLORS is known only after start_color(). */
	light = COLORS >= 16 ? 15 : COLOR_WHITE;
	term_qr = true;
	/* "▀" is drawn with the top module as foreground, bottom as back. */
	init_pair(QR_PAIR + 0, dark, dark);
	init_pair(QR_PAIR + 1, dark, light);
	init_pair(QR_PAIR + 2, light, dark);
	init_pair(QR_PAIR + 3, light, light);
	term_col = nc == NULL || *nc == '\0';
	if (!term_col)
		return;
	init_pair(ROLE_TITLE, COLOR_WHITE, COLOR_BLUE);
	init_pair(ROLE_ERROR, COLOR_RED, -1);
	init_pair(ROLE_OK, COLOR_GREEN, -1);
	init_pair(ROLE_WARN, COLOR_BLACK, COLOR_YELLOW);
	init_pair(ROLE_KEY, COLOR_BLACK, COLOR_WHITE);
	init_pair(ROLE_SEL, COLOR_BLACK, COLOR_CYAN);
	init_pair(ROLE_FIELD, -1, -1);
}

bool
term_open(void)
{
	struct sigaction	sa;
	const char		*cs;
	static const int	sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGSEGV,
				    SIGABRT };
	size_t			i;

	cs = nl_langinfo(CODESET);
	term_utf8 = cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0);
	/* newterm, unlike initscr, fails without printing or exiting (an
	   unknown $TERM): the caller falls back to the command line. */
	if ((term_screen = newterm(NULL, stdout, stdin)) == NULL)
		return false;
	set_term(term_screen);
	term_on = 1;
	if (!term_atexit_set) {
		atexit(term_restore);
		term_atexit_set = true;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = term_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	/*
	 * Esc acts within 10 ms: long enough for the bytes of an arrow key
	 * from a local terminal, short enough to feel instant.  Over a slow
	 * link the operator sets $ESCDELAY, which curses reads and we keep.
	 */
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(10);
	term_colours();
	curs_set(0);
	return true;
}

void
term_close(void)
{
	term_restore();
}

void
term_size(int *cols, int *rows)
{
	int	y, x;

	getmaxyx(stdscr, y, x);
	*cols = x;
	*rows = y;
}

static int
term_fkey(wint_t k)
{
	switch (k) {
	case KEY_UP:		return UK_UP;
	case KEY_DOWN:		return UK_DOWN;
	case KEY_LEFT:		return UK_LEFT;
	case KEY_RIGHT:		return UK_RIGHT;
	case KEY_PPAGE:		return UK_PGUP;
	case KEY_NPAGE:		return UK_PGDN;
	case KEY_HOME:		return UK_HOME;
	case KEY_END:		return UK_END;
	case KEY_BTAB:		return UK_BTAB;
	case KEY_ENTER:		return UK_ENTER;
	case KEY_BACKSPACE:	return UK_BACKSPACE;
	case KEY_DC:		return UK_DELETE;
	case KEY_RESIZE:	return UK_RESIZE;
	case KEY_F(1):		return UK_F1;
	default:		return UK_NONE;
	}
}

int
term_key(int timeout_ms, int wake_fd, int watch_fd)
{
	struct pollfd	pfd[3];
	wint_t		wc;
	char		drain[64];
	int		r, n = 1;

	/* Keys curses holds already (the rest of a paste) come first. */
	timeout(0);
	r = wget_wch(stdscr, &wc);
	if (r == ERR) {
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
		if (wake_fd >= 0) {
			pfd[n].fd = wake_fd;
			pfd[n++].events = POLLIN;
		}
		if (watch_fd >= 0) {
			pfd[n].fd = watch_fd;
			pfd[n++].events = POLLIN;
		}
		/* EINTR (SIGWINCH) falls through: curses says KEY_RESIZE. */
		if (poll(pfd, (nfds_t)n, timeout_ms) > 0) {
			if (wake_fd >= 0 && (pfd[1].revents & POLLIN)) {
				while (read(wake_fd, drain, sizeof drain) > 0)
					continue;
				return UK_NONE;
			}
			/* The store said something: the caller asks it. */
			if (watch_fd >= 0 && (pfd[n - 1].revents &
			    (POLLIN | POLLHUP | POLLERR)))
				return UK_NONE;
		}
		r = wget_wch(stdscr, &wc);
	}
	if (r == ERR)
		return UK_NONE;
	if (r == KEY_CODE_YES)
		return term_fkey(wc);
	switch (wc) {
	case '\r':
	case '\n':
		return UK_ENTER;
	case '\t':
		return UK_TAB;
	case 27:
		return UK_ESC;
	case 8:
	case 127:
		return UK_BACKSPACE;
	case 12:
		return UK_REDRAW;
	case 21:
		return UK_KILL;
	default:
		break;
	}
	if (wc < 0x20 || (wc >= 0x7f && wc < 0xa0) || wc > 0x10ffff)
		return UK_NONE;
	return (int)wc;
}

/* Stand-ins for a terminal that is not UTF-8. */
static wchar_t
term_ascii(uint32_t ch)
{
	if (ch < 0x80)
		return (wchar_t)ch;
	switch (ch) {
	case 0x2500:
		return '-';
	case 0x2502:
		return '|';
	case 0x250c: case 0x2510: case 0x2514: case 0x2518:
		return '+';
	case 0x2580: case 0x2584: case 0x2588:
		return '#';
	default:
		return '?';
	}
}

static void
term_cell(int y, int x, const struct cell *p)
{
	unsigned	role = p->attr & CA_ROLE;
	attr_t		a = A_NORMAL;
	short		pair = 0;
	wchar_t		wc[2] = { (wchar_t)p->ch, 0 };
	cchar_t		cc;

	if (p->attr & CA_BOLD)
		a |= A_BOLD;
	if (p->attr & CA_REVERSE)
		a |= A_REVERSE;
	if (p->attr & CA_DIM)
		a |= A_DIM;
	if (p->attr & CA_UNDERLINE)
		a |= A_UNDERLINE;
	if (role == ROLE_QR) {
		bool	top = p->attr & CA_QR_TOP, bot = p->attr & CA_QR_BOTTOM;

		if (term_qr) {
			/* Explicit dark on light, whatever the theme. */
			wc[0] = 0x2580;
			pair = (short)(QR_PAIR + (top ? 0 : 2) + (bot ? 0 : 1));
		} else {
			/* A terminal without colours: ink is the dark module,
			   right on paper-like themes; i inverts for others. */
			wc[0] = top && bot ? 0x2588 : top ? 0x2580 :
			    bot ? 0x2584 : ' ';
		}
		a = A_NORMAL;
	} else if (role != ROLE_NORMAL) {
		if (term_col)
			pair = (short)role;
		else if (role == ROLE_TITLE || role == ROLE_SEL)
			a |= A_REVERSE;
		else if (role == ROLE_ERROR || role == ROLE_WARN ||
		    role == ROLE_KEY)
			a |= A_BOLD;
		else if (role == ROLE_FIELD)
			a |= A_UNDERLINE;
	}
	if (role == ROLE_TITLE && term_col)
		a |= A_BOLD;
	if (!term_utf8)
		wc[0] = term_ascii(p->ch);
	setcchar(&cc, wc, a, pair, NULL);
	mvadd_wch(y, x, &cc);
}

void
term_paint(const struct canvas *c, bool full)
{
	const struct cell	*p;
	int			 x, y, cols, rows;

	if (!term_on)
		return;
	term_size(&cols, &rows);
	if (full)
		clearok(curscr, TRUE);
	for (y = 0; y < c->rows && y < rows; y++) {
		for (x = 0; x < c->cols && x < cols; x++) {
			p = canvas_at(c, x, y);
			if (p->ch != 0)
				term_cell(y, x, p);
		}
	}
	if (c->cur_x >= 0 && c->cur_y >= 0 && c->cur_x < cols &&
	    c->cur_y < rows) {
		move(c->cur_y, c->cur_x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	refresh();
}
