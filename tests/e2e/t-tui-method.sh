#!/bin/bash
# t-tui-method.sh: the user detail's desk work in a real terminal, 80x24.
# Enter on an active method opens its detail (a YubiKey's public id, an
# HOTP counter, when enrolled and last used), r there tests it, d there
# deactivates it with the key's own OTP and the detail leaves saying so;
# Enter on a pending method resumes its enrolment.  n renames the user:
# a taken name is refused in words, a good one is on screen and in the
# vault.  The lock line counts failed tries in words.
. "$(dirname "$0")/tui-lib.sh"

AESKEY=ecde18dbe76fbd0c33330f1c354871db
PRIVID=8792ebfe26cc
PUBID=ccccccbcgujh
yk() { echo "$PUBID$(ykgenerate $AESKEY $PRIVID "$1" 0000 00 01)"; }

CONFIG=$T/desk.conf
printf '[method.app]\nhandler = totp\n[method.key]\nhandler = yubikey\n[method.counter]\nhandler = hotp\n[method.app2]\nhandler = totp\n' >"$CONFIG"
new_vault
add_user alice "alice pw"
add_user carol "carol pw"
printf '%s\n' "$REDOUBT_PASSPHRASE" >"$T/pass"

# alice: app, key and counter active, app2 pending.
expect_exit 0 rd activate alice app
S=$(otp_secret)
T0=$(date +%s)
expect_exit 0 rd confirm alice app "$(totp_at "$S" "$T0")"
echo "$AESKEY $PRIVID" |
    expect_exit 0 later 30 rd activate alice key "$(totp_at "$S" $((T0 + 30)))"
expect_exit 0 rd confirm alice key "$(yk 0001)"
expect_exit 0 later 60 rd activate alice counter "$(totp_at "$S" $((T0 + 60)))"
H=$(otp_secret)
expect_exit 0 rd confirm alice counter "$(hotp_at "$H" 0)"
expect_exit 0 later 90 rd activate alice app2 "$(totp_at "$S" $((T0 + 90)))"
# Two wrong passwords: the lock line counts them.
for i in 1 2; do
	echo "wrong" | expect_err bad_credentials 1 rd login alice
done

TUI_W=80 TUI_H=24
tui_start --vault "$VAULT" --config "$CONFIG" --passphrase-file "$T/pass"
wait_for "redoubt · Users"
keys Enter
wait_for "User alice"
wait_for "not locked (2 failed tries)"
not_on_screen "failures"

# The key: its public id, never its key material.
keys Down Enter
wait_for "Method key of alice"
wait_for "Kind                hardware key (yubikey)"
wait_for "YubiKey public id   $PUBID"
wait_for "Last used           2"
not_on_screen "$AESKEY"
not_on_screen "$PRIVID"
keys Escape
wait_for "User alice"

# The counter: the next code's counter; r tests it, in words.
keys Down Enter
wait_for "Method counter of alice"
wait_for "HOTP counter        1 (the next code's)"
wait_for "Primary             no"
keys r
wait_for "counter makes its own codes"
keys Escape
wait_for "User alice"

# The pending app2 goes on with its enrolment.
keys Down Enter
wait_for "app2"
wait_for "Scan"
keys Escape
wait_for "User alice"

# d on the key's detail, with an OTP of the key: the detail leaves.
keys Home Down Enter
wait_for "Method key of alice"
keys d
wait_for "Deactivate key"
type_text "$(yk 0002)"
keys Enter
wait_for "alice no longer has the method key"
wait_for "User alice"
expect_exit 0 rd methods alice
check "key is gone from the vault" not_grep '"key"' "$OUT"

# n renames: a taken name refused in words, then a good one.
keys n
wait_for "New name"
wait_for "no spaces or ':'"
type_text carol
keys Enter
wait_for "not renamed: user carol exists already"
keys C-u
type_text alice.smith
keys Enter
wait_for "User alice.smith"
wait_for "alice is now called alice.smith"
not_on_screen "New name"
expect_exit 0 rd user show alice.smith
expect_json methods.# 3
expect_err not_found 1 rd user show alice
keys q
wait_for "redoubt · Users"
wait_for "alice.smith"
keys q
wait_for "TUI EXITED rc=0"
finish
