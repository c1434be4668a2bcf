#!/bin/bash
# t-tui-enrol.sh: the enrolment wizard in a real terminal.  An app: the
# QR code on screen decodes (zbarimg) to exactly the otpauth URI that s
# shows, on a dark and a light theme, at 100x40, at 80x24 with a 130-byte
# URI and under NO_COLOR; i inverts it; the code oathtool computes from the
# secret read off the screen confirms it, and the backup codes are shown
# once and gone from the screen after.  Then e-mail through the outbox:
# the core asks for a code from the active method (a backup code here),
# and the code is read from `redoubt outbox list` in a second process.
. "$(dirname "$0")/tui-lib.sh"

new_vault
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
# The QR code at once, no key needed; s swaps to the secret and the URI.
wait_for "Scan this code"
not_on_screen "otpauth://"
screen_e >"$T/screen-e.txt"
keys s
wait_for "otpauth://"
uri=$(panel URI)
secret=$(panel Secret nospace)
check "the URI on screen names alice" [ "${uri#otpauth://totp/redoubt:alice?secret=}" != "$uri" ]
check "the secret on screen is in the URI" grep -qF "secret=$secret&" <<<"$uri"
wait_for "${secret:0:4} ${secret:4:4} ${secret:8:4}"
keys s
wait_for "Scan this code"
not_on_screen "${secret:0:4} ${secret:4:4}"
not_on_screen "secret=$secret"

# The code reads as a camera sees the whole screen, on either theme.
qr_is_uri() {	# THEME CAPTURE WHAT
	local got
	got=$("$PY" "$E2E_DIR/tui-qr.py" "$T/qr-$1.png" "$1" <"$2")
	if [ "$got" = "$uri" ]; then
		pass "$3: the QR code decodes to the URI"
	else
		fail "$3: QR decoded to '$got', expected '$uri'"
	fi
}
qr_is_uri dark "$T/screen-e.txt" "100x40, dark theme"
qr_is_uri light "$T/screen-e.txt" "100x40, light theme"
check "256 colours: light modules are bright white (15), not grey (7)" \
    grep -qE $'\e\\[(107|48;5;15)m' "$T/screen-e.txt"

keys i
sleep 0.3
screen_e >"$T/screen-i.txt"
check_not "i inverts the QR code" cmp -s "$T/screen-e.txt" "$T/screen-i.txt"
keys i
sleep 0.3
screen_e >"$T/screen-ii.txt"
qr_is_uri dark "$T/screen-ii.txt" "inverted twice"

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
wait_for "adding email needs a code"
type_text "$first"
keys Enter
wait_for "A code went by email to a***@example.com"
mail=$(outbox_code)
check "the e-mail code came through the outbox" [ -n "$mail" ]
wait_for "In the outbox for a***@example.com"
wait_for "$mail"
# Leaving and coming back resumes: the same code, nothing sent again.
keys Escape
wait_for "User alice"
keys Down Enter
wait_for "it is valid for another"
wait_for "$mail"
rd outbox list
expect_json messages.# 1
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

# --- 80x24, the issue's URI of about 130 bytes ----------------------------
# Issuer "ACME Help Desk", a user of 30 characters: the code from the top
# row down as soon as app is chosen, and it scans on a dark and a light
# theme without inverting.
CONFIG=$T/acme.conf
printf '[redoubt]\nissuer = ACME Help Desk\n' >"$CONFIG"
long=alice.smith.example@acme.corp
rd user add "$long"
TUI_W=80 TUI_H=24
tui_start --vault "$VAULT" --config "$CONFIG" --passphrase-file "$T/pass"
wait_for "redoubt · Users"
keys / ; type_text "alice.smith" ; keys Enter
keys Enter
wait_for "User $long"
keys a
wait_for "Activate a method"
type_text app
keys Enter
wait_for "Scan this code"
screen_e >"$T/long-e.txt"
keys s
wait_for "otpauth://"
uri=$(panel URI)
check "80x24: the URI is about 130 bytes" [ "${#uri}" -ge 125 ]
check "80x24: no default parameters in the URI" \
    sh -c '! printf %s "$1" | grep -Eq "algorithm=|digits=|period="' _ "$uri"
qr_is_uri dark "$T/long-e.txt" "80x24, dark theme"
qr_is_uri light "$T/long-e.txt" "80x24, light theme"
keys Escape
wait_for "User $long"
# Back to the list, q drops the kept search, q quits.
keys q
wait_for "redoubt · Users"
keys q q
wait_for "TUI EXITED rc=0"

# --- 100x40 under NO_COLOR: the code keeps its explicit colours -----------
TUI_W=100 TUI_H=40 TUI_ENV="NO_COLOR=1"
tui_start --vault "$VAULT" --config "$CONFIG" --passphrase-file "$T/pass"
wait_for "redoubt · Users"
keys / ; type_text "alice.smith" ; keys Enter
keys Enter
wait_for "User $long"
keys a
wait_for "Activate a method"
type_text app
keys Enter
wait_for "Scan this code"
screen_e >"$T/nc-e.txt"
keys s
wait_for "otpauth://"
uri=$(panel URI)
qr_is_uri dark "$T/nc-e.txt" "NO_COLOR, dark theme"
qr_is_uri light "$T/nc-e.txt" "NO_COLOR, light theme"
check_not "NO_COLOR: no colour outside the QR code" \
    grep -q $'\e\\[3[1-6]m' "$T/nc-e.txt"
keys Escape
wait_for "User $long"
keys q
wait_for "redoubt · Users"
keys q q
wait_for "TUI EXITED rc=0"
tui_summary
finish
