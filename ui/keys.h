/*
 * keys.h: the keys of the TUI, and the one table that binds them.
 *
 * term.c turns what the terminal sends into these neutral codes, so no
 * other file needs curses: a printable character is its Unicode code point,
 * every other key a UK_ value above the Unicode range.  The key table
 * (keys.c) says, per screen kind, which key does what; screens look keys up
 * there, and the help screen and the hint line are printed from it, so what
 * `?` shows is what the keys do (DESIGN.md §7).
 */
#ifndef RD_UI_KEYS_H
#define RD_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

enum ui_key {
	UK_NONE = 0,		/* nothing arrived before the timeout */
	UK_BASE = 0x200000,	/* above every code point */
	UK_UP,
	UK_DOWN,
	UK_LEFT,
	UK_RIGHT,
	UK_PGUP,
	UK_PGDN,
	UK_HOME,
	UK_END,
	UK_TAB,
	UK_BTAB,		/* Shift-Tab */
	UK_ENTER,
	UK_ESC,
	UK_BACKSPACE,
	UK_DELETE,
	UK_REDRAW,		/* Ctrl-L */
	UK_KILL,		/* Ctrl-U: empty the field */
	UK_RESIZE,
	UK_F1,
};

/* Screen kinds, as bits: a screen's mask says which table rows apply. */
#define KC_ALL		0x001	/* everywhere */
#define KC_LIST		0x002	/* any list */
#define KC_USERS	0x004	/* the user list */
#define KC_USER		0x008	/* user detail */
#define KC_QR		0x010	/* the QR view of the enrolment wizard */
#define KC_AUDIT	0x020	/* the audit log */
#define KC_FORM		0x040	/* screens with fields and buttons */
#define KC_LOGIN	0x080	/* the login tester's code step */
#define KC_OUTBOX	0x100	/* the outbox */
#define KC_METHOD	0x200	/* one method of a user */
#define KC_CODES	0x400	/* backup codes, shown once */

enum key_act {
	KA_NONE = 0,
	KA_HELP,
	KA_BACK,
	KA_REDRAW,
	KA_NEXT_FIELD,
	KA_PREV_FIELD,
	KA_ENTER,
	KA_UP,
	KA_DOWN,
	KA_PGUP,
	KA_PGDN,
	KA_HOME,
	KA_END,
	KA_SEARCH,
	KA_NEW_USER,
	KA_OUTBOX,
	KA_TESTER,
	KA_AUDIT,
	KA_CONFIG,
	KA_ACTIVATE,
	KA_DEACTIVATE,
	KA_PRIMARY,
	KA_REQUEST,
	KA_BACKUP,
	KA_LOGIN,
	KA_UNLOCK,
	KA_EDIT,
	KA_DELETE_USER,
	KA_RESET_USER,
	KA_RENAME,
	KA_INVERT,
	KA_SECRET,
	KA_VERIFY,
	KA_TOGGLE,
	KA_CHOICE_PREV,
	KA_PASSPHRASE,
	KA_CLEAR_OUTBOX,
	KA_SHEET,
};

struct key_bind {
	unsigned	 ctx;		/* KC_ bit */
	int		 key;		/* enum ui_key or a code point */
	enum key_act	 act;
	const char	*label;		/* how help shows the key; keys with
					   the same help text share a line */
	const char	*help;		/* what it does */
	const char	*brief;		/* on the hint line; NULL: not there */
	bool		 typed;		/* still works while typing in a field */
};

extern const struct key_bind	key_table[];
extern const size_t		key_table_len;

/* Section titles of the help screen, by KC_ bit. */
const char	*keys_section(unsigned ctx);

/*
 * What key does on a screen whose kinds are mask.  typing: a text field
 * has the focus, so printable keys are text, not commands (q must not
 * quit while someone types a password with a q in it).
 */
enum key_act	 keys_lookup(unsigned mask, int key, bool typing);

/* A printable key: a code point that is not a control character. */
bool		 keys_printable(int key);

/*
 * The hint line for mask into buf: help first, then the screen's own
 * keys, back last (a narrow terminal cuts the end).  While typing, only
 * keys that still work (F1, Esc) are named.
 */
void		 keys_hints(unsigned mask, bool typing, char *buf,
		    size_t size);

#endif
