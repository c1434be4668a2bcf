#!/bin/bash
# t-tui-sheets.sh: the print key (p) in a real terminal at 80x24.  On the
# enrolment wizard's QR view it writes a sheet whose QR code (pdftoppm +
# zbarimg) is the otpauth URI the core keeps for the pending method; on
# the backup-code screen after confirming, a sheet with every code shown
# (pdftotext) and the app's secret.  Both go to new files in the
# directory the TUI was started in, mode 0600, the screen says so, and
# each has its audit row.
. "$(dirname "$0")/tui-lib.sh"

TUI_W=80
TUI_H=24
D=$T/desk
mkdir -p "$D"

new_vault
rd user add alice --email alice@example.com
printf '%s\n' "$REDOUBT_PASSPHRASE" >"$T/pass"

sheets() { (cd "$D" && ls -A | grep -c '^redoubt-sheet-alice-.*\.pdf$'); }
newest() { (cd "$D" && ls -t redoubt-sheet-alice-*.pdf | head -1); }

# The TUI's current directory is $D: tmux starts it where it is run.
(cd "$D" && tui_start --vault "$VAULT" --passphrase-file "$T/pass")
wait_for "alice"
keys Enter
wait_for "User alice"
keys a
wait_for "Activate a method for alice"
type_text app
keys Enter
wait_for "Scan this code"
wait_for "p sheet"
check "no sheet before p" test "$(sheets)" = 0
keys p
wait_for "Sheet written:"
check "p on the QR view: one sheet" test "$(sheets)" = 1
Q=$D/$(newest)
check "QR sheet: mode 0600" test "$(stat -c %a "$Q")" = 600
check "QR sheet: one page" \
    test "$(pdfinfo "$Q" | awk '/^Pages:/ { print $2 }')" = 1
rd enrolment alice app
URI=$(jget otpauth_uri)
S=$(jget secret)
pdftoppm -r 150 -png "$Q" "$T/q"
check "QR sheet: the QR code is the pending method's URI" \
    test "$(zbarimg --raw -q "$T"/q-*.png 2>/dev/null)" = "$URI"

# Confirm, then p on the backup codes.
type_text "$(oathtool --totp -b "$S")"
keys Enter
wait_for "Backup codes of alice"
wait_for "p sheet"
codes=$(screen | grep -oE '[0-9]+\.  [a-z0-9]{10}' | awk '{ print $2 }')
check "ten codes on screen" test "$(echo "$codes" | wc -l)" = 10
sleep 1		# the file name has the second in it
keys p
wait_for "Sheet written:"
check "p on the codes: a second sheet" test "$(sheets)" = 2
C=$D/$(newest)
check "codes sheet: mode 0600" test "$(stat -c %a "$C")" = 600
pdftotext -layout "$C" "$T/codes.txt"
missing=0
for c in $codes; do
	grep -qw "$c" "$T/codes.txt" || missing=$((missing + 1))
done
check "codes sheet: every code shown is on it" test "$missing" = 0
check "codes sheet: the app's secret too" \
    grep -qF "${S:0:4} ${S:4:4} ${S:8:4}" "$T/codes.txt"
check "codes sheet: the user" grep -q "User: alice" "$T/codes.txt"

keys Enter
wait_for "User alice"
rd audit list --user alice --action sheet
check "two audit rows" test "$(jget entries.#)" = 2
check "the rows name the files" sh -c 'grep -qF "$1" "$3" &&
    grep -qF "$2" "$3"' _ "$(realpath "$Q")" "$(realpath "$C")" "$OUT"
check "no code in the log" sh -c 'for c in $1; do
    grep -q "$c" "$2" && exit 1; done; exit 0' _ "$codes" "$OUT"

keys q
wait_for "redoubt · Users"
keys q
wait_for "TUI EXITED rc=0"
finish
