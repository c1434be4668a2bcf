#!/bin/bash
# t-tui-unlock.sh: starting the TUI in a real terminal: a wrong then the
# right passphrase, $REDOUBT_PASSPHRASE and --passphrase-file skipping the
# unlock screen, a missing vault offered to be made, global options
# before no command; then the user list: paging both ways, End and Home,
# search as you type, help from the key table, Ctrl-L and resizing; and
# the terminal given back on q and on SIGTERM.
. "$(dirname "$0")/tui-lib.sh"

new_vault
for i in $(seq -w 1 40); do
	rd user add "u$i" || fail "user add u$i"
done
rd user add zed --inactive
printf '%s\n' "$REDOUBT_PASSPHRASE" >"$T/pass"
printf 'not the passphrase\n' >"$T/wrong"

# A wrong passphrase, then the right one.
tui_start --vault "$VAULT"
wait_for "Unlock the vault"
wait_for "Passphrase:"
type_text "nope"
not_on_screen "nope"
wait_for "Passphrase: ****"
keys Enter
wait_for "wrong passphrase: try again"
wait_for "tries so far: 1"
type_text "$REDOUBT_PASSPHRASE"
keys Enter
wait_for "redoubt · Users"
wait_for "u01"

# Paging: 40 rows hold 35 names; PgDn, End, Home, PgUp.
check "the first page ends at u35" screen_has_line "u35 "
not_on_screen "u36"
keys PageDown
wait_for "u36"
wait_for "u40"
not_on_screen "u01 "
keys End
wait_for "zed"
wait_for "inactive"
not_on_screen "u06 "
keys PageUp
wait_for "u01"
check "PgUp from the end is the first full page" screen_has_line "u35 "
keys Home
wait_for "u01"
keys PageDown
wait_for "zed"
keys PageUp
wait_for "u01"
check "PgUp from page two is page one" screen_has_line "u01 "
keys Down Down Enter
wait_for "User u03"
keys Escape
wait_for "redoubt · Users"

# Search as you type; Enter keeps it, Esc drops it.
keys /
wait_for "Search:"
type_text u3
wait_for "u39"
not_on_screen "u29"
not_on_screen "u40"
keys Enter
keys j
wait_for "u31"
keys Escape
wait_for "u29"
wait_for "/ to search"

# Help comes from the key table.
keys '?'
wait_for "Help: user list"
wait_for "new user"
wait_for "PgDn"
keys Escape
wait_for "redoubt · Users"

# Ctrl-L and resizing redraw.
keys C-l
wait_for "redoubt · Users"
tmux -L "$TMUX_L" resize-window -x 80 -y 24
sleep 0.5
check "80x24 after a resize" [ "$(screen | wc -l)" -eq 24 ]
check "the hint line is on the last row" sh -c "tmux -L $TMUX_L capture-pane -p | sed -n 24p | grep -q 'help'"
not_on_screen "u20 "
tmux -L "$TMUX_L" resize-window -x 120 -y 50
sleep 0.5
wait_for "u40"
# (Right-aligned in it: the vault, a file's path or the URI's last part.)
if store_file; then TEND=vault.db; else TEND='&user=redoubt'; fi
check "the title bar spans 120 columns" sh -c "tmux -L $TMUX_L capture-pane -p | head -1 | grep -q '$TEND\$'"

# q at the top quits; the terminal is back (the shell's line shows).
keys q
wait_for "TUI EXITED rc=0"
not_on_screen "redoubt · Users"

# The passphrase from the environment, then from a file.
TUI_PASS="$REDOUBT_PASSPHRASE" tui_start --vault "$VAULT"
wait_for "redoubt · Users"
keys q
wait_for "TUI EXITED rc=0"
tui_start --passphrase-file "$T/pass" --vault "$VAULT"
wait_for "redoubt · Users"

# SIGTERM: the terminal is restored before the program dies of it.
# (pgrep -f takes a regex: the URI's ? in brackets.)
pid=$(pgrep -f -n -- "--passphrase-file $T/pass --vault ${VAULT/\?/[?]}")
check "the TUI runs" [ -n "$pid" ]
kill -TERM "$pid"
wait_for "TUI EXITED rc=143"
not_on_screen "redoubt · Users"

# A wrong passphrase file: the unlock screen says so and asks.
tui_start --vault "$VAULT" --passphrase-file "$T/wrong"
wait_for "wrong passphrase: try again"
type_text "$REDOUBT_PASSPHRASE"
keys Enter
wait_for "redoubt · Users"
keys q
wait_for "TUI EXITED rc=0"

# No vault: the TUI offers to make one there (t-tui-vault.sh makes it);
# Esc leaves with nothing made.
tui_start --vault "$T/none.db"
wait_for "Make a new vault"
wait_for "$T/none.db"
keys Escape
wait_for "TUI EXITED rc=0"
check_not "no vault made on leaving" test -e "$T/none.db"

# With a command the command line runs, also on a terminal.
tui_start --vault "$VAULT" --passphrase-file "$T/pass" user list --limit 1
wait_for "u01  "
wait_for "TUI EXITED rc=0"
tui_summary
finish
