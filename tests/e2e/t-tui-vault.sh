#!/bin/bash
# t-tui-vault.sh: the operator's work on the vault itself, in a real
# terminal, each checked from the command line afterwards: the first run
# in an empty XDG folder makes a vault (an empty passphrase and two that
# differ refused, a long path wrapped whole at 80 and 100 columns, Esc
# leaves with nothing made), a new passphrase from the user list (a
# wrong one in use refused; then only the new one opens the vault, also
# after a change on the command line), the outbox emptied after a
# confirmation, the user list following users added and deleted from
# another process without a key, and Ctrl-L reading the config file again
# while the TUI runs (a file with problems is not taken; a method added
# is offered).
. "$(dirname "$0")/tui-lib.sh"

MAIN=$VAULT	# this script's own: a file, or a database in PG mode

# ---- First run: no vault at the XDG path yet.
FIRST=$XDG_DATA_HOME/redoubt/vault.db
tui_start
wait_for "Make a new vault"
wait_for "$FIRST"
wait_for "(*) moderate"
# The quickest cost, so the checks below stay quick.
keys BTab Left
wait_for "(*) interactive"
keys Tab
# Nothing typed: refused in words, before any work.
keys Enter Enter
wait_for "the passphrase is empty: type one, then the same again below it"
check_not "no vault after an empty passphrase" test -e "$FIRST"
type_text "$REDOUBT_PASSPHRASE"
keys Enter
type_text "not the same one"
keys Enter
wait_for "the two passphrases are not the same"
not_on_screen "$REDOUBT_PASSPHRASE"
check_not "no vault after passphrases that differ" test -e "$FIRST"
type_text "$REDOUBT_PASSPHRASE"
keys Enter
type_text "$REDOUBT_PASSPHRASE"
keys Enter
wait_for "the new vault is open" 30
wait_for "no users yet"
check "the vault is private" sh -c "[ \$(stat -c %a '$FIRST') = 600 ]"
# The vault works in the TUI: a user.
keys n
wait_for "New user"
type_text firstuser
keys Enter
wait_for "user firstuser added"
keys q
keys q
wait_for "TUI EXITED rc=0"
# The command line opens it with the same passphrase, at the same path.
VAULT=$FIRST
expect_exit 0 rd user list
expect_json users.0.name firstuser
expect_exit 0 rd audit list
expect_json entries.0.action init
expect_json entries.0.detail interactive
REDOUBT_PASSPHRASE="not the same one" expect_err bad_passphrase 3 rd user list

# A long path, at 80x24 and at 100x40: wrapped whole, never cut.
LONGDIR=$T/help-desk/second-floor/identity-and-access-management/vaults
mkdir -p "$LONGDIR"
for size in 80x24 100x40; do
	TUI_W=${size%x*} TUI_H=${size#*x}
	tui_start --vault "$LONGDIR/production-vault-of-the-help-desk.db"
	wait_for "Make a new vault"
	wait_for "production-vault-of-the-help-desk.db"
	wait_for "identity-and-access-management/"
	keys Escape
	wait_for "TUI EXITED rc=0"
done
TUI_W=100 TUI_H=40

# Esc on the first run leaves with nothing made.
tui_start --vault "$T/none.db"
wait_for "Make a new vault"
wait_for "$T/none.db"
type_text "something"
keys Escape
wait_for "TUI EXITED rc=0"
check_not "Esc made no vault" test -e "$T/none.db"

# ---- The outbox emptied from its screen, after a confirmation.
VAULT=$MAIN
new_vault
rd user add bob --email bob@example.com
rd activate bob email
expect_json sent_to "b***@example.com"
rd outbox list
expect_json messages.# 1
TUI_PASS="$REDOUBT_PASSPHRASE" tui_start --vault "$VAULT"
wait_for "redoubt · Users"
keys o
wait_for "bob@example.com"
wait_for "x empty"
keys x
wait_for "Empty the outbox: 1 message. Codes in it that nobody has read"
# Cancel has the focus.
keys Enter
wait_for "bob@example.com"
rd outbox list
expect_json messages.# 1
keys x
wait_for "Empty the outbox"
keys Tab Enter
wait_for "outbox emptied"
wait_for "no messages"
rd outbox list
expect_json messages.# 0
rd audit list
check "the clearing is audited" grep -q '"outbox clear"' "$OUT"
keys Escape
wait_for "redoubt · Users"

# ---- A new vault passphrase from the user list: the one in use first.
NEWPASS="the new e2e passphrase"
keys P
wait_for "Change the vault passphrase"
wait_for "The old passphrase stops working"
type_text "not the passphrase"
keys Enter
type_text "$NEWPASS"
keys Enter
type_text "$NEWPASS"
keys Enter
wait_for "that is not the passphrase that opens the vault now" 30
expect_exit 0 rd user list
type_text "$REDOUBT_PASSPHRASE"
keys Enter Enter Enter
wait_for "vault passphrase changed" 30
not_on_screen "$NEWPASS"
keys q
wait_for "TUI EXITED rc=0"
expect_err bad_passphrase 3 rd user list
REDOUBT_PASSPHRASE=$NEWPASS expect_exit 0 rd user list
expect_json users.0.name bob
# The command line's own change, then the TUI: the old one refused, the
# new one unlocks.
printf '%s\n' "$NEWPASS" >"$T/newpass"
REDOUBT_PASSPHRASE=$NEWPASS REDOUBT_NEW_PASSPHRASE="cli pass" \
    expect_exit 0 rd passphrase
tui_start --vault "$VAULT"
wait_for "Unlock the vault"
type_text "$NEWPASS"
keys Enter
wait_for "wrong passphrase: try again"
type_text "cli pass"
keys Enter
wait_for "redoubt · Users"
keys q
wait_for "TUI EXITED rc=0"
REDOUBT_PASSPHRASE="cli pass" expect_exit 0 rd passphrase \
    --new-passphrase-file "$T/newpass"
export REDOUBT_PASSPHRASE=$NEWPASS

# ---- The list shows work of another process by itself, the selection
# kept on its name.
TUI_PASS=$NEWPASS tui_start --vault "$VAULT"
wait_for "redoubt · Users"
rd user add carol
wait_for "carol" 3
keys Down
check "carol selected" sh -c "tmux -L '$TMUX_L' capture-pane -p |
    grep -q '^>  *carol'"
rd user add alice
wait_for "alice" 3
check "carol still selected below the new name" sh -c "tmux -L '$TMUX_L' \
    capture-pane -p | grep -q '^>  *carol'"
rd user del alice
wait_gone "alice" 3
keys q
wait_for "TUI EXITED rc=0"

# ---- Ctrl-L reads the config file again.
CONFIG=$T/redoubt.conf
conf() {	# conf ISSUER [EXTRA]: the built-in methods and more
	printf '[redoubt]\nissuer = %s\n%s\n[method.app]\nhandler = totp\n' \
	    "$1" "${2:-}" >"$CONFIG"
	printf '[method.email]\nhandler = outbox\nsource_field = email\n' \
	    >>"$CONFIG"
}
conf "First Desk"
TUI_PASS=$NEWPASS tui_start --vault "$VAULT" --config "$CONFIG"
wait_for "redoubt · Users"
keys c
wait_for "issuer = First Desk"
conf "Second Desk"
keys C-l
wait_for "issuer = Second Desk"
wait_for "configuration read again from $CONFIG"
not_on_screen "First Desk"
# A file with problems is not taken; the screen says so.
conf "Third Desk" "lockout_threshold = lots"
keys C-l
wait_for "the configuration file now has 1 problem"
not_on_screen "Third Desk"
wait_for "issuer = Second Desk"
# A method added to the file is offered once read again, from the list.
keys Escape
wait_for "redoubt · Users"
conf "Fourth Desk"
printf '[method.desk-token]\nhandler = hotp\nverbose_name = Desk token\n' \
    >>"$CONFIG"
keys C-l
wait_for "configuration read again from $CONFIG"
keys Enter
wait_for "User bob"
keys a
wait_for "Desk token"
keys Escape
wait_for "User bob"
# What the commands use is the reread file: a new app names it.
keys a
wait_for "app"
type_text app
keys Enter
wait_for "s shows the secret"
keys s
wait_for "Fourth%20Desk"
tui_summary
finish
