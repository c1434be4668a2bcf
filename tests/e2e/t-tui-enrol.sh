#!/bin/bash
# t-tui-enrol.sh: the enrolment wizard in a real terminal.  An app: the
# QR code on screen decodes (zbarimg) to exactly the otpauth URI shown,
# i inverts it, s hides the secret, the code oathtool computes from the
# secret read off the screen confirms it, and the backup codes are shown
# once and gone from the screen after.  Then e-mail through the outbox:
# the core asks for a code from the active method (a backup code here),
# and the code is read from `redoubt outbox list` in a second process.
. "$(dirname "$0")/tui-lib.sh"

rd init --kdf test
rd user add alice --email alice@example.com --phone +15551234567
printf '%s\n' "$REDOUBT_PASSPHRASE" >"$T/pass"

# Text of the side panel under a heading ("Secret", "URI"), joined.
panel() {
	screen | "$PY" -c 'import sys
lines = sys.stdin.read().split("\n")
head = sys.argv[1]
for i, l in enumerate(lines):
    s = l.rstrip()
    if s.endswith(" " + head) or s == head:
        col = len(s) - len(head)
        out = ""
        for m in lines[i + 1:]:
            part = m[col:].strip() if len(m) > col else ""
            if not part:
                break
            out += part
        print(out.replace(" ", "") if sys.argv[2] == "nospace" else out)
        break' "$1" "${2:-}"
}

tui_start --vault "$VAULT" --passphrase-file "$T/pass"
wait_for "redoubt · Users"
wait_for "alice"
keys Enter
wait_for "User alice"
keys a
wait_for "Activate a method for alice"
type_text app
keys Enter
wait_for "Secret"
wait_for "otpauth://"

uri=$(panel URI)
secret=$(panel Secret nospace)
check "the URI on screen names alice" [ "${uri#otpauth://totp/redoubt:alice?secret=}" != "$uri" ]
check "the secret on screen is in the URI" grep -qF "secret=$secret&" <<<"$uri"

screen_e >"$T/screen-e.txt"
decoded=$("$PY" "$E2E_DIR/tui-qr.py" "$T/qr.png" <"$T/screen-e.txt")
if [ "$decoded" = "$uri" ]; then
	pass "the QR code decodes to the URI"
else
	fail "QR decoded to '$decoded', expected '$uri'"
fi

keys i
sleep 0.3
screen_e >"$T/screen-i.txt"
check_not "i inverts the QR code" cmp -s "$T/screen-e.txt" "$T/screen-i.txt"
keys i
sleep 0.3
decoded=$(screen_e | "$PY" "$E2E_DIR/tui-qr.py" "$T/qr2.png")
check "inverted twice, it decodes again" [ "$decoded" = "$uri" ]

keys s
wait_for "(hidden: s shows it)"
not_on_screen "${secret:0:4} ${secret:4:4}"
not_on_screen "secret=$secret"
keys s
wait_for "${secret:0:4} ${secret:4:4}"

code=$(oathtool --totp -b "$secret")
type_text "$code"
wait_for "Code: $code"
keys Enter
wait_for "Backup codes of alice"
wait_for "Shown once"
first=$(screen | sed -n 's/.* 1\.  \([a-z0-9]\{10\}\).*/\1/p')
check "ten backup codes on screen" [ "$(screen | grep -oE '[0-9]\.  [a-z0-9]{10}' | wc -l)" -eq 10 ]
check "a first backup code was read" [ -n "$first" ]

rd user show alice
expect_json methods.0.state active
expect_json methods.0.primary true
expect_json backup_codes_left 10

keys Enter
wait_for "User alice"
not_on_screen "$first"
not_on_screen "$secret"

# E-mail: alice has an active method, so the core wants a code first.
keys a
wait_for "Activate a method for alice"
type_text email
keys Enter
wait_for "adding one needs a code"
type_text "$first"
keys Enter
wait_for "A code went via email to a***@example.com"
mail=$(outbox_code)
check "the e-mail code came through the outbox" [ -n "$mail" ]
type_text "$mail"
keys Enter
wait_for "email is active for alice"
wait_for "Backup codes left   9"
rd user show alice
expect_json methods.1.name email
expect_json methods.1.state active
expect_json backup_codes_left 9

# Back and out: q from the top quits with status 0.
keys q
wait_for "redoubt · Users"
keys q
wait_for "TUI EXITED rc=0"
tui_summary
finish
