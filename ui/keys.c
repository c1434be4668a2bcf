/*
 * keys.c: the one key table of the TUI (DESIGN.md §7).  Screens map keys
 * to actions through keys_lookup(), and the help screen and every hint
 * line are printed from the same rows, so the two cannot disagree.  A row
 * marked typed still works while a text field has the focus; printable
 * keys never do, since they are text there.
 */
#include <stdio.h>
#include <string.h>

#include "../src/i18n.h"
#include "keys.h"

const struct key_bind key_table[] = {
	/* everywhere */
	{ .ctx = KC_ALL, .key = '?', .act = KA_HELP, .label = "?",
	    .help = N_("help: the keys of this screen"), .brief = N_("help") },
	{ .ctx = KC_ALL, .key = UK_F1, .act = KA_HELP, .label = "F1",
	    .help = N_("help, also while typing"), .brief = N_("help"),
	    .typed = true },
	{ .ctx = KC_ALL, .key = UK_ESC, .act = KA_BACK, .label = "Esc",
	    .help = N_("back (quit from the top); cancels slow work"),
	    .brief = N_("back"), .typed = true },
	{ .ctx = KC_ALL, .key = 'q', .act = KA_BACK, .label = "q",
	    .help = N_("back (quit from the top)"), .brief = N_("back") },
	{ .ctx = KC_ALL, .key = UK_REDRAW, .act = KA_REDRAW,
	    .label = "Ctrl-L", .help = N_("redraw the screen and read the "
	    "configuration file again"), .typed = true },
	{ .ctx = KC_ALL, .key = UK_TAB, .act = KA_NEXT_FIELD, .label = "Tab",
	    .help = N_("next field or button"), .typed = true },
	{ .ctx = KC_ALL, .key = UK_BTAB, .act = KA_PREV_FIELD,
	    .label = "Shift-Tab", .help = N_("previous field or button"),
	    .typed = true },
	{ .ctx = KC_ALL, .key = UK_ENTER, .act = KA_ENTER, .label = "Enter",
	    .help = N_("act: submit the field, press the button, open the "
	    "line"),
	    .typed = true },
	/* lists */
	{ .ctx = KC_LIST, .key = UK_UP, .act = KA_UP, .label = N_("Up"),
	    .help = N_("move up"), .typed = true },
	{ .ctx = KC_LIST, .key = 'k', .act = KA_UP, .label = "k",
	    .help = N_("move up") },
	{ .ctx = KC_LIST, .key = UK_DOWN, .act = KA_DOWN, .label = N_("Down"),
	    .help = N_("move down"), .typed = true },
	{ .ctx = KC_LIST, .key = 'j', .act = KA_DOWN, .label = "j",
	    .help = N_("move down") },
	{ .ctx = KC_LIST, .key = UK_PGUP, .act = KA_PGUP, .label = "PgUp",
	    .help = N_("previous page"), .typed = true },
	{ .ctx = KC_LIST, .key = UK_PGDN, .act = KA_PGDN, .label = "PgDn",
	    .help = N_("next page"), .typed = true },
	{ .ctx = KC_LIST, .key = UK_HOME, .act = KA_HOME, .label = "Home",
	    .help = N_("first line"), .typed = true },
	{ .ctx = KC_LIST, .key = UK_END, .act = KA_END, .label = "End",
	    .help = N_("last line"), .typed = true },
	/* the user list */
	{ .ctx = KC_USERS, .key = UK_ENTER, .act = KA_ENTER, .label = "Enter",
	    .help = N_("open the user"), .typed = true },
	{ .ctx = KC_USERS, .key = '/', .act = KA_SEARCH, .label = "/",
	    .help = N_("search names, e-mail, phone: Enter keeps, Esc drops"),
	    .brief = N_("search") },
	{ .ctx = KC_USERS, .key = 'n', .act = KA_NEW_USER, .label = "n",
	    .help = N_("new user"), .brief = N_("new") },
	{ .ctx = KC_USERS, .key = 'o', .act = KA_OUTBOX, .label = "o",
	    .help = N_("outbox: messages kept by outbox methods"),
	    .brief = N_("outbox") },
	{ .ctx = KC_USERS, .key = 't', .act = KA_TESTER, .label = "t",
	    .help = N_("backend tester: send a test message"),
	    .brief = N_("tester") },
	{ .ctx = KC_USERS, .key = 'g', .act = KA_AUDIT, .label = "g",
	    .help = N_("audit log"), .brief = N_("audit") },
	{ .ctx = KC_USERS, .key = 'c', .act = KA_CONFIG, .label = "c",
	    .help = N_("configuration in effect"), .brief = N_("config") },
	{ .ctx = KC_USERS, .key = 'P', .act = KA_PASSPHRASE, .label = "P",
	    .help = N_("change the vault passphrase") },
	/* user detail */
	{ .ctx = KC_USER, .key = 'a', .act = KA_ACTIVATE, .label = "a",
	    .help = N_("activate a method (a picker: type to filter, Enter to "
	    "choose)"), .brief = N_("add") },
	{ .ctx = KC_USER, .key = 'd', .act = KA_DEACTIVATE, .label = "d",
	    .help = N_("deactivate the selected method"),
	    .brief = N_("deact") },
	{ .ctx = KC_USER, .key = 'p', .act = KA_PRIMARY, .label = "p",
	    .help = N_("make the selected method primary"),
	    .brief = N_("primary") },
	{ .ctx = KC_USER, .key = 'r', .act = KA_REQUEST, .label = "r",
	    .help = N_("request a code through the selected method"),
	    .brief = N_("send") },
	{ .ctx = KC_USER, .key = 'b', .act = KA_BACKUP, .label = "b",
	    .help = N_("new backup codes"), .brief = N_("backup") },
	{ .ctx = KC_USER, .key = 'l', .act = KA_LOGIN, .label = "l",
	    .help = N_("login tester: log in as this user"),
	    .brief = N_("login") },
	{ .ctx = KC_USER, .key = 'u', .act = KA_UNLOCK, .label = "u",
	    .help = N_("unlock: lift a lockout"), .brief = N_("unlock") },
	{ .ctx = KC_USER, .key = 'e', .act = KA_EDIT, .label = "e",
	    .help = N_("edit: e-mail, phone, active, password"),
	    .brief = N_("edit") },
	{ .ctx = KC_USER, .key = 'n', .act = KA_RENAME, .label = "n",
	    .help = N_("rename the user (a field for the new name)"),
	    .brief = N_("rename") },
	{ .ctx = KC_USER, .key = UK_ENTER, .act = KA_ENTER, .label = "Enter",
	    .help = N_("open the method: when enrolled and last used, and "
	    "more; "
	    "a pending one goes on with its enrolment"), .typed = true },
	{ .ctx = KC_USER, .key = 'R', .act = KA_RESET_USER, .label = "R",
	    .help = N_("reset after a lost device: remove every method and the "
	    "backup codes (asks first)") },
	{ .ctx = KC_USER, .key = 'D', .act = KA_DELETE_USER, .label = "D",
	    .help = N_("delete the user (asks first)") },
	/* one method */
	{ .ctx = KC_METHOD, .key = 'p', .act = KA_PRIMARY, .label = "p",
	    .help = N_("make this method primary"), .brief = N_("primary") },
	{ .ctx = KC_METHOD, .key = 'd', .act = KA_DEACTIVATE, .label = "d",
	    .help = N_("deactivate this method"), .brief = N_("deact") },
	{ .ctx = KC_METHOD, .key = 'r', .act = KA_REQUEST, .label = "r",
	    .help = N_("test it: send a code through this method"),
	    .brief = N_("send") },
	/* the QR view */
	{ .ctx = KC_QR, .key = 'i', .act = KA_INVERT, .label = "i",
	    .help = N_("invert the QR code (for scanners or terminals that "
	    "need "
	    "it)"), .brief = N_("invert") },
	{ .ctx = KC_QR, .key = 's', .act = KA_SECRET, .label = "s",
	    .help = N_("swap the QR code for the secret and the URI, and back"),
	    .brief = N_("secret") },
	{ .ctx = KC_QR, .key = 'p', .act = KA_SHEET, .label = "p",
	    .help = N_("print: write an enrolment sheet (PDF) with the QR code "
	    "and the secret to the current directory"),
	    .brief = N_("sheet") },
	/* backup codes */
	{ .ctx = KC_CODES, .key = 'p', .act = KA_SHEET, .label = "p",
	    .help = N_("print: write an enrolment sheet (PDF) with the codes to "
	    "the current directory"), .brief = N_("sheet") },
	/* the outbox */
	{ .ctx = KC_OUTBOX, .key = 'x', .act = KA_CLEAR_OUTBOX, .label = "x",
	    .help = N_("empty the outbox (asks first)"), .brief = N_("empty") },
	/* the audit log */
	{ .ctx = KC_AUDIT, .key = UK_ENTER, .act = KA_ENTER, .label = "Enter",
	    .help = N_("show the whole entry"), .typed = true },
	{ .ctx = KC_AUDIT, .key = '/', .act = KA_SEARCH, .label = "/",
	    .help = N_("filter by user and action (exact names): Tab between "
	    "them, Enter keeps, Esc drops"), .brief = N_("filter") },
	{ .ctx = KC_AUDIT, .key = 'v', .act = KA_VERIFY, .label = "v",
	    .help = N_("verify the MAC chain"), .brief = N_("verify") },
	/* forms */
	{ .ctx = KC_FORM, .key = ' ', .act = KA_TOGGLE, .label = N_("Space"),
	    .help = N_("change a choice") },
	{ .ctx = KC_FORM, .key = UK_RIGHT, .act = KA_TOGGLE,
	    .label = N_("Right"),
	    .help = N_("next choice"), .typed = true },
	{ .ctx = KC_FORM, .key = UK_LEFT, .act = KA_CHOICE_PREV,
	    .label = N_("Left"), .help = N_("previous choice"), .typed = true },
	{ .ctx = KC_FORM, .key = UK_KILL, .act = KA_NONE, .label = "Ctrl-U",
	    .help = N_("empty the field"), .typed = true },
	{ .ctx = KC_LOGIN, .key = UK_TAB, .act = KA_NEXT_FIELD,
	    .label = "Tab",
	    .help = N_("to the buttons: Resend, Switch method, Backup code, "
	    "Start over"), .typed = true },
};

const size_t key_table_len = sizeof key_table / sizeof key_table[0];

const char *
keys_section(unsigned ctx)
{
	switch (ctx) {
	case KC_ALL:
		return _("Everywhere");
	case KC_LIST:
		return _("Lists");
	case KC_USERS:
		return _("User list");
	case KC_USER:
		return _("User detail");
	case KC_QR:
		return _("QR view");
	case KC_AUDIT:
		return _("Audit log");
	case KC_FORM:
		return _("Fields");
	case KC_LOGIN:
		return _("Login tester");
	case KC_OUTBOX:
		return _("Outbox");
	case KC_METHOD:
		return _("Method detail");
	case KC_CODES:
		return _("Backup codes");
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
				    KC_METHOD, KC_QR, KC_CODES, KC_AUDIT,
				    KC_LOGIN, KC_OUTBOX, KC_LIST, KC_FORM,
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
			    "", _(key_table[i].label), _(key_table[i].brief));
			if (w < 0 || (size_t)w >= size - n) {
				buf[n] = '\0';
				return;
			}
			n += (size_t)w;
		}
	}
}
