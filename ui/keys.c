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
	{ KC_ALL, '?', KA_HELP, "?", "help: the keys of this screen", "help",
	    false },
	{ KC_ALL, UK_F1, KA_HELP, "F1", "help, also while typing", "help",
	    true },
	{ KC_ALL, UK_ESC, KA_BACK, "Esc", "back (quit from the top); "
	    "cancels slow work", "back", true },
	{ KC_ALL, 'q', KA_BACK, "q", "back (quit from the top)", "back",
	    false },
	{ KC_ALL, UK_REDRAW, KA_REDRAW, "Ctrl-L", "redraw the screen", NULL,
	    true },
	{ KC_ALL, UK_TAB, KA_NEXT_FIELD, "Tab", "next field or button", NULL,
	    true },
	{ KC_ALL, UK_BTAB, KA_PREV_FIELD, "Shift-Tab", "previous field or "
	    "button", NULL, true },
	{ KC_ALL, UK_ENTER, KA_ENTER, "Enter", "act: submit the field, press "
	    "the button, open the line", NULL, true },
	/* lists */
	{ KC_LIST, UK_UP, KA_UP, "Up", "move up", NULL, true },
	{ KC_LIST, 'k', KA_UP, "k", "move up", NULL, false },
	{ KC_LIST, UK_DOWN, KA_DOWN, "Down", "move down", NULL, true },
	{ KC_LIST, 'j', KA_DOWN, "j", "move down", NULL, false },
	{ KC_LIST, UK_PGUP, KA_PGUP, "PgUp", "previous page", NULL, true },
	{ KC_LIST, UK_PGDN, KA_PGDN, "PgDn", "next page", NULL, true },
	{ KC_LIST, UK_HOME, KA_HOME, "Home", "first line", NULL, true },
	{ KC_LIST, UK_END, KA_END, "End", "last line", NULL, true },
	/* the user list */
	{ KC_USERS, UK_ENTER, KA_ENTER, "Enter", "open the user", NULL,
	    true },
	{ KC_USERS, '/', KA_SEARCH, "/", "search by the start of names: Enter "
	    "keeps, Esc drops", "search", false },
	{ KC_USERS, 'n', KA_NEW_USER, "n", "new user", "new", false },
	{ KC_USERS, 'o', KA_OUTBOX, "o", "outbox: messages kept by outbox "
	    "methods", "outbox", false },
	{ KC_USERS, 't', KA_TESTER, "t", "backend tester: send a test "
	    "message", "tester", false },
	{ KC_USERS, 'g', KA_AUDIT, "g", "audit log", "audit", false },
	{ KC_USERS, 'c', KA_CONFIG, "c", "configuration in effect", "config",
	    false },
	/* user detail */
	{ KC_USER, 'a', KA_ACTIVATE, "a", "activate a method (a picker: type "
	    "to filter, Enter to choose)", "add", false },
	{ KC_USER, 'd', KA_DEACTIVATE, "d", "deactivate the selected method",
	    "deact", false },
	{ KC_USER, 'p', KA_PRIMARY, "p", "make the selected method primary",
	    "primary", false },
	{ KC_USER, 'r', KA_REQUEST, "r", "request a code through the selected "
	    "method", "send", false },
	{ KC_USER, 'b', KA_BACKUP, "b", "new backup codes", "backup", false },
	{ KC_USER, 'l', KA_LOGIN, "l", "login tester: log in as this user",
	    "login", false },
	{ KC_USER, 'u', KA_UNLOCK, "u", "unlock: lift a lockout", "unlock",
	    false },
	{ KC_USER, 'e', KA_EDIT, "e", "edit: e-mail, phone, active, "
	    "password", "edit", false },
	/* the QR view */
	{ KC_QR, 'i', KA_INVERT, "i", "invert the QR code (for scanners or "
	    "terminals that need it)", "invert", false },
	{ KC_QR, 's', KA_SECRET, "s", "show or hide the secret and URI",
	    "secret", false },
	/* the audit log */
	{ KC_AUDIT, 'v', KA_VERIFY, "v", "verify the MAC chain", "verify",
	    false },
	/* forms */
	{ KC_FORM, ' ', KA_TOGGLE, "Space", "change a choice", NULL, false },
	{ KC_FORM, UK_RIGHT, KA_TOGGLE, "Right", "next choice", NULL, true },
	{ KC_FORM, UK_LEFT, KA_CHOICE_PREV, "Left", "previous choice", NULL,
	    true },
	{ KC_FORM, UK_KILL, KA_NONE, "Ctrl-U", "empty the field", NULL,
	    true },
	{ KC_LOGIN, UK_TAB, KA_NEXT_FIELD, "Tab", "to the buttons: Resend, "
	    "Switch method, Backup code, Start over", NULL, true },
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
	static const unsigned	order[] = { KC_ALL, KC_USERS, KC_USER, KC_QR,
				    KC_AUDIT, KC_LOGIN, KC_LIST, KC_FORM,
				    KC_ALL };
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
