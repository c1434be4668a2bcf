#!/bin/bash
# t-tui-login.sh: the login tester in a real terminal, against a user
# with e-mail (primary) and SMS on outbox channels: a success, a wrong
# code with its reason, Resend, Switch method (a picker that sends
# nothing until a choice; Esc sends nothing), a backup code and its
# second use, a wrong password, a password-only login, and a lockout
# that u lifts.  No error code name reaches the screen.  Codes are read
# from `redoubt outbox list` in a second process.
. "$(dirname "$0")/tui-lib.sh"

CONFIG=$T/redoubt.conf
cat >"$CONFIG" <<'CONF'
[redoubt]
resend_cooldown = 0
lockout_threshold = 3
CONF
new_vault
rd user add dave --email dave@example.com --phone +15550001111
echo 'dave pw' | rd user set dave --password-stdin
rd user add eve
echo 'eve pw' | rd user set eve --password-stdin
rd activate dave email
rd confirm dave email "$(outbox_code)"
backup=$(jget backup_codes.0)
rd request-code dave email
rd activate dave sms "$(outbox_code)"
rd confirm dave sms "$(outbox_code)"
rd methods dave
expect_json methods.#  2
printf '%s\n' "$REDOUBT_PASSPHRASE" >"$T/pass"

# password: log in as the user shown, up to the code step.
password() {
	type_text "$1"
	keys Enter
}

tui_start --vault "$VAULT" --config "$CONFIG" --passphrase-file "$T/pass"
wait_for "redoubt · Users"
wait_for "dave"
keys Enter
wait_for "User dave"
keys l
wait_for "Login tester"
wait_for "User:       dave"

# A success through the primary method.
password 'dave pw'
wait_for "A code went to d***@example.com"
wait_for "Method: E-mail (outbox) (primary)"
wait_for "Or use: SMS (outbox), a backup code"
type_text "$(outbox_code)"
keys Enter
wait_for "Logged in as dave with E-mail (outbox)."

# A wrong code: refused, with the core's reason.
keys Enter
password 'dave pw'
wait_for "A code went to d***@example.com"
type_text 000000
keys Enter
wait_for "Not logged in: wrong code"
not_on_screen "invalid_code"

# Resend (Tab twice: Verify, Resend), then the new code works.
keys Tab Tab Enter
wait_for "A code went by E-mail (outbox) to d***@example.com"
keys BTab BTab
type_text "$(outbox_code)"
keys Enter
wait_for "Logged in as dave with E-mail (outbox)."

# Switch method: a picker; nothing goes out until the SMS is chosen.
outbox_count() {
	rd outbox list >/dev/null
	jget messages.# 2>/dev/null
}
keys Enter
password 'dave pw'
wait_for "A code went to d***@example.com"
before=$(outbox_count)
keys Tab Tab Tab Enter
wait_for "Switch from E-mail (outbox) to:"
wait_for "SMS (outbox)"
check "the picker sent nothing" [ "$(outbox_count)" = "$before" ]
keys Escape
wait_gone "Switch from"
wait_for "Method: E-mail (outbox) (primary)"
check "Esc in the picker sent nothing" [ "$(outbox_count)" = "$before" ]
keys Enter
wait_for "Switch from E-mail (outbox) to:"
keys Enter
wait_for "Method: SMS (outbox)"
wait_for "A code went by SMS (outbox) to +"
check "choosing the SMS sent one code" \
    [ "$(outbox_count)" = "$((before + 1))" ]
type_text "$(outbox_code)"
keys Enter
wait_for "Logged in as dave with SMS (outbox)."

# A backup code.
keys Enter
password 'dave pw'
wait_for "A code went to d***@example.com"
keys Tab Tab Tab Tab Enter
wait_for "Using a backup code"
type_text "$backup"
keys Enter
wait_for "Logged in as dave with a backup code."

# The same backup code again: said why.
keys Enter
password 'dave pw'
wait_for "A code went to d***@example.com"
keys Tab Tab Tab Tab Enter
wait_for "Using a backup code"
type_text "$backup"
keys Enter
wait_for "Not logged in: that backup code was already used."
rd user unlock dave

# A wrong password.
keys Escape
wait_for "User dave"
keys l
wait_for "Login tester"
password 'not it'
wait_for "Not logged in: wrong user name or"
not_on_screen "bad_credentials"

# Lockout: three wrong codes (lockout_threshold = 3), then locked_out.
password 'dave pw'
wait_for "A code went to d***@example.com"
for i in 1 2 3 4; do
	type_text 000000
	keys Enter
	sleep 0.3
done
wait_for "Not logged in: user dave is locked for"
not_on_screen "locked_out"
keys Escape
wait_for "Locked for "
wait_for " (u unlocks)"
keys u
wait_for "dave is unlocked"
wait_for "Lock                not locked"
not_on_screen "failed tr"

# A user without methods logs in with the password only.
keys Escape
wait_for "redoubt · Users"
keys j Enter
wait_for "User eve"
keys l
wait_for "Login tester"
password 'eve pw'
wait_for "Logged in as eve with the password only"
keys Escape Escape q
wait_for "TUI EXITED rc=0"

rd audit list
check "the audit log has the TUI's logins, by tui:$(id -un)" \
    grep -q "\"actor\":\"tui:$(id -un)\",\"user\":\"eve\",\"action\":\"login\"" "$OUT"
# A method gone from the config is not offered: with SMS dropped, dave
# has no other method to switch to, and nothing is sent.
cat >"$T/email-only.conf" <<'CONF'
[redoubt]
resend_cooldown = 0

[method.email]
handler = outbox
source_field = email
CONF
rd user unlock dave
tui_start --vault "$VAULT" --config "$T/email-only.conf" \
    --passphrase-file "$T/pass"
wait_for "redoubt · Users"
keys Enter
wait_for "User dave"
keys l
wait_for "Login tester"
password 'dave pw'
wait_for "A code went to d***@example.com"
wait_for "Or use: a backup code"
not_on_screen "sms"
before=$(outbox_count)
keys Tab Tab Tab Enter
wait_for "dave has no other active method"
check "nothing was sent" [ "$(outbox_count)" = "$before" ]
keys Escape Escape q
wait_for "TUI EXITED rc=0"
tui_summary
finish
