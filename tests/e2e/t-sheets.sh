#!/usr/bin/env bash
# t-sheets.sh: enrolment sheets (--sheet FILE on activate, confirm and
# backup-codes).  Read back with tools that are not ours: pdfinfo (one
# page), pdftoppm + zbarimg (the QR code is the otpauth URI the command
# printed), pdftotext (user, issuer, the secret in groups, every backup
# code).  Mode 0600; never without --sheet; never over a file; a step
# that fails writes nothing; one audit row per sheet, without the codes.
. "$(dirname "$0")/lib.sh"

D=$T/sheets
mkdir -p "$D"

pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }
qr_of() {	# the text of the QR code on the sheet's page, or nothing
	rm -f "$T"/page-*.png
	pdftoppm -r 150 -png "$1" "$T/page" 2>/dev/null &&
	    zbarimg --raw -q "$T"/page-*.png 2>/dev/null
}
text_of() { pdftotext -layout "$1" - 2>/dev/null; }
# No sheet and no temporary file of one in $D but the names given.
only_in_d() {
	[ "$(cd "$D" && ls -A | sort | paste -sd ' ')" = "$*" ]
}

new_vault
add_user alice "alice pw" --email alice@example.com

# --- nothing unless asked ------------------------------------------------------
(cd "$D" && expect_exit 0 rd activate alice app)
check "activate without --sheet writes no file" only_in_d ""
check "activate without --sheet: no sheet in the answer" \
    test "$(jget sheet 2>/dev/null)" = ""

# --- activate --sheet ------------------------------------------------------------
A=$D/activate.pdf
expect_exit 0 rd activate alice app --sheet "$A"
URI=$(jget otpauth_uri)
S=$(otp_secret)
G=$(jget secret_grouped)
expect_json sheet "$(realpath "$A")"
check "activate: the sheet is there" test -f "$A"
check "activate: mode 0600" test "$(stat -c %a "$A")" = 600
check "activate: one page" test "$(pages "$A")" = 1
check "activate: the QR code is the otpauth URI printed" \
    test "$(qr_of "$A")" = "$URI"
text_of "$A" >"$T/text"
check "activate: the user on the sheet" grep -q "User: alice" "$T/text"
check "activate: the issuer on the sheet" grep -q "Issuer: redoubt" "$T/text"
check "activate: the secret in groups of four" grep -qF "$G" "$T/text"
check "secret groups are of four" test "$(echo "$G" | tr ' ' '\n' |
    awk 'length($0) != 4' | wc -l)" = 0
check_not "activate: no backup codes on an app's first sheet" \
    grep -q "Backup codes" "$T/text"
check "activate: the date" grep -q "Date: $(date +%Y-%m-%d)" "$T/text"

# An e-mail method has nothing to print: refused, and nothing done.
expect_err usage 2 rd activate alice email --sheet "$D/email.pdf"
check "nothing to print: said so" grep -q "nothing to print" "$OUT"
check "nothing to print: no file" test ! -e "$D/email.pdf"
expect_exit 0 rd methods alice
check "nothing to print: the e-mail method was not added" \
    test "$(jget methods.#)" = 1

# --- a failing command writes no sheet -------------------------------------------
W=$D/wrong.pdf
expect_err invalid_code 1 rd confirm alice app 000000 --sheet "$W"
check "wrong code: no sheet" test ! -e "$W"
check "wrong code: no temporary file left" only_in_d "activate.pdf"

# --- never over a file ------------------------------------------------------------
E=$D/taken.pdf
echo "keep me" >"$E"
NOW=$(date +%s)
expect_err exists 1 rd confirm alice app "$(totp_at "$S" "$NOW")" \
    --sheet "$E"
check "taken: the message names the file" grep -qF "$E exists already" "$OUT"
check "taken: the file is unchanged" test "$(cat "$E")" = "keep me"
expect_exit 0 rd methods alice
expect_json methods.0.state pending
rdh backup-codes alice --sheet "$E"
check "taken (human): exit 1" test "$RC" = 1
check "taken (human): said on stderr" grep -qF "$E exists already" "$ERR"
rm -f "$E"

# --- confirm --sheet: the secret, the QR and the first backup codes ---------------
C=$D/confirm.pdf
expect_exit 0 rd confirm alice app "$(totp_at "$S" "$NOW")" --sheet "$C"
expect_json state active
expect_json sheet "$(realpath "$C")"
CODES=$(jget backup_codes | "$PY" -c 'import json, sys
print("\n".join(json.load(sys.stdin)))')
check "confirm: ten backup codes" test "$(echo "$CODES" | wc -l)" = 10
check "confirm: mode 0600" test "$(stat -c %a "$C")" = 600
check "confirm: one page" test "$(pages "$C")" = 1
check "confirm: the QR code is activate's otpauth URI" \
    test "$(qr_of "$C")" = "$URI"
text_of "$C" >"$T/text"
check "confirm: the user" grep -q "User: alice" "$T/text"
check "confirm: the issuer" grep -q "Issuer: redoubt" "$T/text"
check "confirm: the secret in groups" grep -qF "$G" "$T/text"
missing=0
for c in $CODES; do
	grep -qw "$c" "$T/text" || missing=$((missing + 1))
done
check "confirm: every backup code on the sheet" test "$missing" = 0

# --- backup-codes --sheet: codes only, no QR --------------------------------------
B=$D/codes.pdf
expect_exit 0 rd backup-codes alice "$(totp_at "$S" $((NOW + 30)))" \
    --sheet "$B"
expect_json sheet "$(realpath "$B")"
NEW=$(jget backup_codes | "$PY" -c 'import json, sys
print("\n".join(json.load(sys.stdin)))')
check "backup-codes: mode 0600" test "$(stat -c %a "$B")" = 600
check "backup-codes: one page" test "$(pages "$B")" = 1
check "backup-codes: no QR code without an app secret" \
    test -z "$(qr_of "$B")"
text_of "$B" >"$T/text"
check "backup-codes: the user" grep -q "User: alice" "$T/text"
check_not "backup-codes: no secret" grep -qF "$G" "$T/text"
missing=0
for c in $NEW; do
	grep -qw "$c" "$T/text" || missing=$((missing + 1))
done
check "backup-codes: every new code on the sheet" test "$missing" = 0
check "backup-codes: no old code on the sheet" \
    test "$(for c in $CODES; do grep -w "$c" "$T/text"; done | wc -l)" = 0
check "only the sheets asked for, no temporary files" \
    only_in_d "activate.pdf codes.pdf confirm.pdf"

# --- the audit log -------------------------------------------------------------------
expect_exit 0 rd audit list --user alice --action sheet
check "audit: one row per sheet" test "$(jget entries.#)" = 3
check "audit: outcome written" \
    test "$(jget entries.0.outcome)" = written
check "audit: the paths" sh -c 'grep -qF "$1" "$4" && grep -qF "$2" "$4" &&
    grep -qF "$3" "$4"' _ "$(realpath "$A")" "$(realpath "$C")" \
    "$(realpath "$B")" "$OUT"
expect_exit 0 rd audit list --user alice
leaked=0
for c in $CODES $NEW $S; do
	grep -q "$c" "$OUT" && leaked=$((leaked + 1))
done
check "audit: no code and no secret in the log" test "$leaked" = 0
expect_exit 0 rd audit verify

# --- import users --sheets DIR: one sheet for each app started ---------------------
I=$T/imported
mkdir -p "$I"
printf 'user,email,methods\nbea,bea@example.com,app\ncyd,,app\ndee,,\n' >"$T/staff.csv"
expect_err usage 2 rd import users "$T/staff.csv" --sheets "$T/staff.csv"
check "a --sheets that is no folder writes nothing" test -z "$(ls -A "$I")"
expect_exit 1 rd user show bea
expect_exit 0 rd import users "$T/staff.csv" --sheets "$I"
expect_json users_created 3
expect_json sheets_written 2
check "import: USER-METHOD.pdf for each app, none for dee" \
    test "$(cd "$I" && ls -A | sort | paste -sd ' ')" = "bea-app.pdf cyd-app.pdf"
check "import: the sheets are 0600" \
    test "$(stat -c %a "$I"/*.pdf | sort -u)" = 600
U=$(jget enrolments.0.otpauth_uri)
check "import: bea's sheet decodes to bea's URI" \
    test "$(qr_of "$I/bea-app.pdf")" = "$U"
check "import: the answer names the sheet" \
    test "$(jget enrolments.0.sheet)" = "$(realpath "$I/bea-app.pdf")"
expect_exit 0 rd audit list --user cyd --action sheet
check "import: one audit row per sheet" test "$(jget entries.#)" = 1
# A name that is taken: the enrolment stands, the sheet is not written.
printf 'user,methods\neve,app\n' >"$T/eve.csv"
echo keep >"$I/eve-app.pdf"
expect_exit 0 rd import users "$T/eve.csv" --sheets "$I"
expect_json sheets_written 0
expect_json sheet_failures.0.user eve
check "import: a taken name is left as it was" \
    test "$(cat "$I/eve-app.pdf")" = keep
expect_exit 0 rd methods eve
expect_json methods.0.state pending
expect_exit 0 rd audit verify

finish
