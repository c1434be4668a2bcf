/*
 * keys.c: the one key table of the TUI (DESIGN.md §7).  Screens map keys
 * to actions through keys_lookup(), and the help screen and every hint
 * line are printed from the same rows, so the two cannot disagree.  A row
 * marked typed still works while a text field has the focus; printable
 * keys never do, since they are text there.
 */
#include <stdio.h>
#include <string.h>

#include "keys.h"

const struct key_bind key_table[] = {
	/* everywhere */
	{ .ctx = KC_ALL, .key = '?', .act = KA_HELP, .label = "?",
	    .help = "help: the keys of this screen", .brief = "help" },
	{ .ctx = KC_ALL, .key = UK_F1, .act = KA_HELP, .label = "F1",
	    .help = "help, also while typing", .brief = "help", .typed = true },
	{ .ctx = KC_ALL, .key = UK_ESC, .act = KA_BACK, .label = "Esc",
	    .help = "back (quit from the top); cancels slow work",
	    .brief = "back", .typed = true },
	{ .ctx = KC_ALL, .key = 'q', .act = KA_BACK, .label = "q",
	    .help = "back (quit from the top)", .brief = "back" },
	{ .ctx = KC_ALL, .key = UK_REDRAW, .act = KA_REDRAW,
	    .label = "Ctrl-L", .help = "redraw the screen and read the "
	    "configuration file again", .typed = true },
	{ .ctx = KC_ALL, .key = UK_TAB, .act = KA_NEXT_FIELD, .label = "Tab",
	    .help = "next field or button", .typed = true },
	{ .ctx = KC_ALL, .key = UK_BTAB, .act = KA_PREV_FIELD,
	    .label = "Shift-Tab", .help = "previous field or button",
	    .typed = true },
	{ .ctx = KC_ALL, .key = UK_ENTER, .act = KA_ENTER, .label = "Enter",
	    .help = "act: submit the field, press the button, open the line",
	    .typed = true },
	/* lists */
	{ .ctx = KC_LIST, .key = UK_UP, .act = KA_UP, .label = "Up",
	    .help = "move up", .typed = true },
	{ .ctx = KC_LIST, .key = 'k', .act = KA_UP, .label = "k",
	    .help = "move up" },
	{ .ctx = KC_LIST, .key = UK_DOWN, .act = KA_DOWN, .label = "Down",
	    .help = "move down", .typed = true },
	{ .ctx = KC_LIST, .key = 'j', .act = KA_DOWN, .label = "j",
	    .help = "move down" },
	{ .ctx = KC_LIST, .key = UK_PGUP, .act = KA_PGUP, .label = "PgUp",
	    .help = "previous page", .typed = true },
	{ .ctx = KC_LIST, .key = UK_PGDN, .act = KA_PGDN, .label = "PgDn",
	    .help = "next page", .typed = true },
	{ .ctx = KC_LIST, .key = UK_HOME, .act = KA_HOME, .label = "Home",
	    .help = "first line", .typed = true },
	{ .ctx = KC_LIST, .key = UK_END, .act = KA_END, .label = "End",
	    .help = "last line", .typed = true },
	/* the user list */
	{ .ctx = KC_USERS, .key = UK_ENTER, .act = KA_ENTER, .label = "Enter",
	    .help = "open the user", .typed = true },
	{ .ctx = KC_USERS, .key = '/', .act = KA_SEARCH, .label = "/",
	    .help = "search names, e-mail, phone: Enter keeps, Esc drops",
	    .brief = "search" },
	{ .ctx = KC_USERS, .key = 'n', .act = KA_NEW_USER, .label = "n",
	    .help = "new user", .brief = "new" },
	{ .ctx = KC_USERS, .key = 'o', .act = KA_OUTBOX, .label = "o",
	    .help = "outbox: messages kept by outbox methods",
	    .brief = "outbox" },
	{ .ctx = KC_USERS, .key = 't', .act = KA_TESTER, .label = "t",
	    .help = "backend tester: send a test message", .brief = "tester" },
	{ .ctx = KC_USERS, .key = 'g', .act = KA_AUDIT, .label = "g",
	    .help = "audit log", .brief = "audit" },
	{ .ctx = KC_USERS, .key = 'c', .act = KA_CONFIG, .label = "c",
	    .help = "configuration in effect", .brief = "config" },
	{ .ctx = KC_USERS, .key = 'P', .act = KA_PASSPHRASE, .label = "P",
	    .help = "change the vault passphrase" },
	/* user detail */
	{ .ctx = KC_USER, .key = 'a', .act = KA_ACTIVATE, .label = "a",
	    .help = "activate a method (a picker: type to filter, Enter to "
	    "choose)", .brief = "add" },
	{ .ctx = KC_USER, .key = 'd', .act = KA_DEACTIVATE, .label = "d",
	    .help = "deactivate the selected method", .brief = "deact" },
	{ .ctx = KC_USER, .key = 'p', .act = KA_PRIMARY, .label = "p",
	    .help = "make the selected method primary", .brief = "primary" },
	{ .ctx = KC_USER, .key = 'r', .act = KA_REQUEST, .label = "r",
	    .help = "request a code through the selected method",
	    .brief = "send" },
	{ .ctx = KC_USER, .key = 'b', .act = KA_BACKUP, .label = "b",
	    .help = "new backup codes", .brief = "backup" },
	{ .ctx = KC_USER, .key = 'l', .act = KA_LOGIN, .label = "l",
	    .help = "login tester: log in as this user", .brief = "login" },
	{ .ctx = KC_USER, .key = 'u', .act = KA_UNLOCK, .label = "u",
	    .help = "unlock: lift a lockout", .brief = "unlock" },
	{ .ctx = KC_USER, .key = 'e', .act = KA_EDIT, .label = "e",
	    .help = "edit: e-mail, phone, active, password", .brief = "edit" },
	{ .ctx = KC_USER, .key = 'n', .act = KA_RENAME, .label = "n",
	    .help = "rename the user (a field for the new name)",
	    .brief = "rename" },
	{ .ctx = KC_USER, .key = UK_ENTER, .act = KA_ENTER, .label = "Enter",
	    .help = "open the method: when enrolled and last used, and more; "
	    "a pending one goes on with its enrolment", .typed = true },
	{ .ctx = KC_USER, .key = 'R', .act = KA_RESET_USER, .label = "R",
	    .help = "reset after a lost device: remove every method and the "
	    "backup codes (asks first)" },
	{ .ctx = KC_USER, .key = 'D', .act = KA_DELETE_USER, .label = "D",
	    .help = "delete the user (asks first)" },
	/* one method */
	{ .ctx = KC_METHOD, .key = 'p', .act = KA_PRIMARY, .label = "p",
	    .help = "make this method primary", .brief = "primary" },
	{ .ctx = KC_METHOD, .key = 'd', .act = KA_DEACTIVATE, .label = "d",
	    .help = "deactivate this method", .brief = "deact" },
	{ .ctx = KC_METHOD, .key = 'r', .act = KA_REQUEST, .label = "r",
	    .help = "test it: send a code through this method",
	    .brief = "send" },
	/* the QR view */
	{ .ctx = KC_QR, .key = 'i', .act = KA_INVERT, .label = "i",
	    .help = "invert the QR code (for scanners or terminals that need "
	    "it)", .brief = "invert" },
	{ .ctx = KC_QR, .key = 's', .act = KA_SECRET, .label = "s",
	    .help = "swap the QR code for the secret and the URI, and back",
	    .brief = "secret" },
	/* the outbox */
	{ .ctx = KC_OUTBOX, .key = 'x', .act = KA_CLEAR_OUTBOX, .label = "x",
	    .help = "empty the outbox (asks first)", .brief = "empty" },
	/* the audit log */
	{ .ctx = KC_AUDIT, .key = UK_ENTER, .act = KA_ENTER, .label = "Enter",
	    .help = "show the whole entry", .typed = true },
	{ .ctx = KC_AUDIT, .key = '/', .act = KA_SEARCH, .label = "/",
	    .help = "filter by user and action (exact names): Tab between "
	    "them, Enter keeps, Esc drops", .brief = "filter" },
	{ .ctx = KC_AUDIT, .key = 'v', .act = KA_VERIFY, .label = "v",
	    .help = "verify the MAC chain", .brief = "verify" },
	/* forms */
	{ .ctx = KC_FORM, .key = ' ', .act = KA_TOGGLE, .label = "Space",
	    .help = "change a choice" },
	{ .ctx = KC_FORM, .key = UK_RIGHT, .act = KA_TOGGLE, .label = "Right",
	    .help = "next choice", .typed = true },
	{ .ctx = KC_FORM, .key = UK_LEFT, .act = KA_CHOICE_PREV,
	    .label = "Left", .help = "previous choice", .typed = true },
	{ .ctx = KC_FORM, .key = UK_KILL, .act = KA_NONE, .label = "Ctrl-U",
	    .help = "empty the field", .typed = true },
	{ .ctx = KC_LOGIN, .key = UK_TAB, .act = KA_NEXT_FIELD,
	    .label = "Tab",
	    .help = "to the buttons: Resend, Switch method, Backup code, "
	    "Start over", .typed = true },
};

const size_t key_table_len = sizeof key_table / sizeof key_table[0];

const char *
keys_section(unsigned ctx)
{
	switch (ctx) {
	case KC_ALL:
		return "Everywhere";
	case KC_LIST:
		return "Lists";
	case KC_USERS:
		return "User list";
	case KC_USER:
		return "User detail";
	case KC_QR:
		return "QR view";
	case KC_AUDIT:
		return "Audit log";
	case KC_FORM:
		return "Fields";
	case KC_LOGIN:
		return "Login tester";
	case KC_OUTBOX:
		return "Outbox";
	case KC_METHOD:
		return "Method detail";
	default:
		return "";
	}
}

bool
keys_printable(int key)
{
	return key >= 0x20 && key != 0x7f && key < UK_BASE &&
	    !(key >= 0x80 && key < 0xa0);
}

enum key_act
keys_lookup(unsigned mask, int key, bool typing)
{
	size_t	i;

	if (typing && keys_printable(key))
		return KA_NONE;
	for (i = 0; i < key_table_len; i++) {
		if (!(key_table[i].ctx & mask) || key_table[i].key != key)
			continue;
		if (typing && !key_table[i].typed)
			continue;
		return key_table[i].act;
	}
	return KA_NONE;
}

void
keys_hints(unsigned mask, bool typing, char *buf, size_t size)
{
	/* Help first and back last: on a narrow terminal the line is cut
	   at the end, and help is the key that explains the others. */
	static const unsigned	order[] = { KC_ALL, KC_USERS, KC_USER,
				    KC_METHOD, KC_QR, KC_AUDIT, KC_LOGIN,
				    KC_OUTBOX, KC_LIST, KC_FORM, KC_ALL };
	size_t			i, j, n = 0, last = sizeof order /
				    sizeof order[0] - 1;
	int			w;

	buf[0] = '\0';
	for (j = 0; j <= last; j++) {
		if (!(order[j] & mask))
			continue;
		for (i = 0; i < key_table_len; i++) {
			if (key_table[i].ctx != order[j] ||
			    key_table[i].brief == NULL)
				continue;
			if (order[j] == KC_ALL && (j == 0) !=
			    (key_table[i].act == KA_HELP))
				continue;
			/* While typing only what still works; else the
			   short forms (? and q rather than F1 and Esc). */
			if (typing ? !key_table[i].typed :
			    key_table[i].key == UK_F1 ||
			    key_table[i].key == UK_ESC)
				continue;
			w = snprintf(buf + n, size - n, "%s%s %s", n ? "  " :
			    "", key_table[i].label, key_table[i].brief);
			if (w < 0 || (size_t)w >= size - n) {
				buf[n] = '\0';
				return;
			}
			n += (size_t)w;
		}
	}
}
