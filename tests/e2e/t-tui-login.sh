#!/bin/bash
# t-tui-login.sh: the login tester in a real terminal, against a user
# with e-mail (primary) and SMS on outbox channels: a success, a wrong
# code with its reason, Resend, Switch method, a backup code, a wrong
# password, a password-only login, and a lockout that u lifts.  Codes are
# read from `redoubt outbox list` in a second process.
. "$(dirname "$0")/tui-lib.sh"

CONFIG=$T/redoubt.conf
cat >"$CONFIG" <<'CONF'
[redoubt]
resend_cooldown = 0
lockout_threshold = 3
CONF
rd init --kdf test
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
wait_for "Method: email (primary)"
type_text "$(outbox_code)"
keys Enter
wait_for "logged in as dave with email"

# A wrong code: refused, with the core's reason.
keys Enter
password 'dave pw'
wait_for "A code went to d***@example.com"
type_text 000000
keys Enter
wait_for "refused (invalid_code)"

# Resend (Tab twice: Verify, Resend), then the new code works.
keys Tab Tab Enter
wait_for "A code went by email to d***@example.com"
keys BTab BTab
type_text "$(outbox_code)"
keys Enter
wait_for "logged in as dave with email"

# Switch method: the SMS gets a fresh code.
keys Enter
password 'dave pw'
wait_for "A code went to d***@example.com"
keys Tab Tab Tab Enter
wait_for "Method: sms"
wait_for "A code went by sms to +"
keys BTab BTab BTab
type_text "$(outbox_code)"
keys Enter
wait_for "logged in as dave with sms"

# A backup code.
keys Enter
password 'dave pw'
wait_for "A code went to d***@example.com"
keys Tab Tab Tab Tab Enter
wait_for "Using a backup code"
type_text "$backup"
keys Enter
wait_for "logged in as dave with backup_codes"

# A wrong password.
keys Enter
password 'not it'
wait_for "refused (bad_credentials)"

# Lockout: three wrong codes (lockout_threshold = 3), then locked_out.
password 'dave pw'
wait_for "A code went to d***@example.com"
for i in 1 2 3 4; do
	type_text 000000
	keys Enter
	sleep 0.3
done
wait_for "refused (locked_out)"
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
wait_for "logged in as eve with the password only"
keys Escape Escape q
wait_for "TUI EXITED rc=0"

rd audit list
check "the audit log has the TUI's logins, by tui:$(id -un)" \
    grep -q "\"actor\":\"tui:$(id -un)\",\"user\":\"eve\",\"action\":\"login\"" "$OUT"
tui_summary
finish
