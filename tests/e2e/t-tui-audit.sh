#!/bin/bash
# t-tui-audit.sh: the audit log screen in a real 80x24 terminal: columns
# that fit, local times ($TZ), outcomes in words, the operator in every
# entry (tui:NAME from $REDOUBT_OPERATOR), the filter by user and action,
# Enter on a row for the whole entry; and a hostile operator name refused
# before the screen opens.
. "$(dirname "$0")/tui-lib.sh"

TUI_W=80
TUI_H=24
new_vault
printf '%s\n' "$REDOUBT_PASSPHRASE" >"$T/pass"
add_user alice "alice pw" --email alice@example.com
add_user bob "bob pw"
expect_exit 0 rd activate alice email
expect_exit 1 rd confirm alice email 000000
echo "wrong" | expect_exit 1 rd login bob
expect_exit 0 rd --operator desk7 test-backend email ops@example.com
expect_exit 0 rd audit list --limit 1
NEWEST=$(jget entries.0.time)
IST=$(TZ=Asia/Kolkata date -d "@$NEWEST" '+%Y-%m-%d %H:%M')

TUI_ENV="TZ=Asia/Kolkata REDOUBT_OPERATOR=jan" tui_start --vault "$VAULT" \
    --passphrase-file "$T/pass"
wait_for "redoubt · Users"
keys g
wait_for "redoubt · Audit log"
wait_for "you are tui:jan"
wait_for "When             User         Action       Result         Detail"
# Local time in Kolkata, the newest first; words rather than codes.
wait_for ">$IST              test-backend ok             email via outbox to…"
wait_for "alice        confirm      wrong code"
wait_for "bob          login        bad password"
not_on_screen "invalid_c"
not_on_screen "bad_credentials"

# Enter: the whole entry, to the second, with the operator.
keys Enter
wait_for "redoubt · Audit entry"
wait_for "Detail    email via outbox to o***@example.com: sent"
wait_for "Operator  cli:desk7"
wait_for "When      $IST:"
wait_for " IST"
keys Down
wait_for "Result    bad password"
keys Escape
wait_for "redoubt · Audit log"

# The filter: bob's rows, then his logins; Esc drops it.
keys /
wait_for "Enter filters, Esc drops"
type_text bob
keys Enter
wait_for "2 entries about bob, newest first"
not_on_screen "alice"
keys /
keys Tab
type_text login
keys Enter
wait_for "1 entry about bob, action login, newest first"
keys Escape
wait_for "entries, newest first"
not_on_screen "about bob"

# What the TUI does is written as tui:jan.
keys Escape
wait_for "redoubt · Users"
keys j Enter
wait_for "User bob"
keys u
wait_for "unlocked"
keys q q
wait_for "TUI EXITED rc=0"
expect_exit 0 rd audit list --limit 1
expect_json entries.0.actor tui:jan
expect_json entries.0.action "user unlock"
expect_exit 0 rd audit verify
expect_json ok true

# A name that cannot go into the log: refused before anything opens.
tui_start --vault "$VAULT" --passphrase-file "$T/pass" --operator ""
wait_for "--operator: the operator's name is empty"
wait_for "TUI EXITED rc=2"
TUI_ENV="REDOUBT_OPERATOR=$(printf 'e\033[2Jve')" tui_start --vault "$VAULT" \
    --passphrase-file "$T/pass"
wait_for "REDOUBT_OPERATOR: an operator's name is UTF-8 without spaces, control"
wait_for "TUI EXITED rc=2"
tui_summary
finish
