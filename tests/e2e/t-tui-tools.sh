#!/bin/bash
# t-tui-tools.sh: the operator's other screens in a real terminal: a new
# user and an edit, the backend tester (a slow channel runs off the
# drawing thread with a spinner and Esc cancels it; a fast one shows the
# provider's answer), the outbox, the audit log and its verification, the
# configuration, the code dialogs (new backup codes, deactivate), and
# NO_COLOR.
. "$(dirname "$0")/tui-lib.sh"

cat >"$T/slow.sh" <<'SH'
#!/bin/sh
sleep 20
SH
chmod +x "$T/slow.sh"
CONFIG=$T/redoubt.conf
cat >"$CONFIG" <<CONF
[redoubt]
resend_cooldown = 0

[method.email]
handler = outbox
source_field = email

[method.slow]
handler = exec
command = $T/slow.sh
source_field = email
timeout = 30
CONF
# An SGR sequence that sets a colour is on the screen.
has_colour() {
	screen_e | grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7]|38;|48;)'
}

new_vault
rd config --check
expect_json status ok
printf '%s\n' "$REDOUBT_PASSPHRASE" >"$T/pass"

tui_start --vault "$VAULT" --config "$CONFIG" --passphrase-file "$T/pass"
wait_for "no users yet: press n to add one"

# A new user, with a bad e-mail first: the core names what is wrong.
keys n
wait_for "New user"
type_text frank
keys Tab
type_text "frank-at-example"
keys Tab Tab
type_text "frank pw"
keys Enter
wait_for "is not an e-mail address"
keys BTab BTab C-u
type_text "frank@example.com"
keys Enter
wait_for "user frank added"
wait_for "frank@example.com"
wait_for "Password            set"
# Edit: a phone.
keys e
wait_for "Edit user frank"
keys Tab
type_text "+15550009999"
keys Enter
wait_for "user frank saved"
wait_for "+15550009999"

# E-mail enrolment, then new backup codes through the code dialog.
keys a
wait_for "Activate a method"
type_text email
keys Enter
wait_for "A code went by email to f***@example.com"
type_text "$(outbox_code)"
keys Enter
wait_for "Backup codes of frank"
keys Enter
wait_for "User frank"
keys b
wait_for "New backup codes"
wait_for "Code from email or a backup code:"
wait_for "Required"
keys Enter
wait_for "Type the code first."
# The dialog sends the code itself, and shows the outbox's message.
keys Tab Tab
wait_for "[ Send a code by email ]"
keys Enter
wait_for "A code went by email to f***@example.com; it is valid for 10 minutes."
wait_for "In the outbox for f***@example.com"
keys BTab BTab
type_text "$(outbox_code)"
keys Enter
wait_for "Backup codes of frank"
keys Enter
wait_for "Backup codes left   10"

# The backend tester: the slow channel, then Esc.
keys Escape
wait_for "redoubt · Users"
keys t
wait_for "Backend tester"
wait_for "< email >"
keys Right
wait_for "< slow >"
keys Tab
type_text "ops@example.com"
keys Enter
wait_for "talking to the provider..."
wait_for "Esc cancels"
sleep 1.2
check "the spinner counts time" sh -c "tmux -L $TMUX_L capture-pane -p | grep -qE 'provider\.\.\. [1-9]\.[0-9] s'"
keys Escape
wait_for "Outcome:" 10
wait_gone "Esc cancels"
check "a cancelled send is not ok" sh -c "! tmux -L $TMUX_L capture-pane -p | grep -q 'Outcome: ok'"
# The outbox channel answers at once.
keys BTab Left
wait_for "< email >"
keys Tab Tab Enter
wait_for "Outcome: ok"
wait_for "Exchange (secrets as ***)"
keys Escape

# The outbox holds the test message, marked as one.
keys o
wait_for "redoubt · Outbox"
wait_for "[TEST]"
keys Escape

# The audit log, and its chain verified.
keys g
wait_for "redoubt · Audit log"
wait_for "user add"
keys v
wait_for "audit chain intact"
keys Escape

# The configuration, with the slow method.
keys c
wait_for "redoubt · Configuration"
wait_for "No problems."
wait_for "slow                exec"
keys Escape

# Deactivate through the dialog: the core wants a code from the method.
keys Enter
wait_for "User frank"
keys d
wait_for "Deactivate email"
wait_for "Code from email or a backup code:"
keys Enter
wait_for "Type the code first."
not_on_screen "not_allowed"
rd request-code frank email
type_text "$(outbox_code)"
keys Enter
wait_for "Deactivate email: done"
wait_for "no methods: press a to activate one"
keys q q
wait_for "TUI EXITED rc=0"

# NO_COLOR: attributes only, no colours.
TUI_ENV="NO_COLOR=1" tui_start --vault "$VAULT" --config "$CONFIG" \
    --passphrase-file "$T/pass"
wait_for "redoubt · Users"
check_not "no colour under NO_COLOR" has_colour
keys q
wait_for "TUI EXITED rc=0"
tui_start --vault "$VAULT" --config "$CONFIG" --passphrase-file "$T/pass"
wait_for "redoubt · Users"
check "colour without it" has_colour
keys q
wait_for "TUI EXITED rc=0"

# A monochrome terminal (vt100 has no colours): usable, marker visible.
TUI_ENV="TERM=vt100" tui_start --vault "$VAULT" --config "$CONFIG" \
    --passphrase-file "$T/pass"
wait_for "redoubt · Users"
check_not "no colour on a monochrome terminal" has_colour
check "the selected line is marked without colour" grep -q '^>  frank' <<<"$(screen)"
keys Enter
wait_for "Backup codes left"
keys q q
wait_for "TUI EXITED rc=0"
tui_summary
finish
