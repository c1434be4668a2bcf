#!/usr/bin/env bash
# t-app-flow.sh: authenticator app (TOTP, and HOTP via a config), two-step
# login, replay, token reuse, backup codes.
. "$(dirname "$0")/lib.sh"

new_vault
add_user alice "alice pw"

# --- activate -------------------------------------------------------------
expect_exit 0 rd activate alice app
expect_json user alice
expect_json method app
expect_json state pending
check "otpauth_uri is a totp URI for alice" \
    grep -Eq '"otpauth_uri":"otpauth://totp/[^"]*alice[^"]*secret=[A-Z2-7]+' \
    "$OUT"
check "activate app: no sent_to (nothing is sent)" \
    test "$(jget sent_to 2>/dev/null)" = ""
S=$(otp_secret) || fail "no secret in otpauth_uri"
check "secret is base32 of 20 bytes (32 chars)" \
    test "${#S}" = 32
check "default parameters left out of the URI" \
    sh -c '! grep -Eq "algorithm=SHA1|digits=6|period=30" "$1"' _ "$OUT"
check "JSON secret is the URI's, without spaces" test "$(jget secret)" = "$S"
# pyotp (not ours) reads the URI and the code it makes confirms.
PYOTP_CODE=$("$PY" -c 'import json, sys, pyotp
print(pyotp.parse_uri(json.load(sys.stdin)["otpauth_uri"]).now())' <"$OUT")
check "pyotp parses the URI" test -n "$PYOTP_CODE"
URI1=$(jget otpauth_uri)
expect_exit 0 rd methods alice
expect_json methods '[{"name":"app","handler":"totp","state":"pending","primary":false}]'

# Coming back to a pending app shows the same URI: a scanned QR keeps working.
expect_exit 0 rd enrolment alice app
expect_json state pending
check "enrolment: the same otpauth URI as activate" \
    test "$(jget otpauth_uri)" = "$URI1"
expect_err not_found 1 rd enrolment alice yubikey
expect_err not_found 1 rd enrolment nobody app

# A pending method is not a login factor yet.
echo "alice pw" | expect_exit 0 rd login alice
expect_json status ok

# --- confirm --------------------------------------------------------------
T0=$(date +%s)
expect_err invalid_code 1 rd confirm alice app 000000
expect_exit 0 rd methods alice
expect_json methods.0.state pending
expect_exit 0 rd confirm alice app "$(totp_at "$S" "$T0")"
expect_json user alice
expect_json method app
expect_json state active
expect_json primary true
expect_json backup_codes.# 10
BC=$(jget backup_codes)
check "backup codes are 10 distinct strings" "$PY" -c 'import json,sys
c = json.loads(sys.argv[1])
sys.exit(not (len(set(c)) == 10 and all(isinstance(x, str) and len(x) >= 8
    for x in c)))' "$BC"
bc() { "$PY" -c 'import json,sys; print(json.loads(sys.argv[1])[int(sys.argv[2])])' "$BC" "$1"; }
expect_exit 0 rd methods alice
expect_json methods '[{"name":"app","handler":"totp","state":"active","primary":true}]'
# Confirming again: the method is not pending any more.
expect_exit 1 rd confirm alice app "$(totp_at "$S" $((T0 + 30)))"
expect_exit 0 rd user show alice
expect_json backup_codes_left 10
rd user unlock alice >/dev/null

# --- login with MFA ---------------------------------------------------------
echo "alice pw" | expect_exit 0 rd login alice
expect_json status mfa_required
expect_json method app
expect_json other_methods '[]'
expect_json expires_in 300
TOK=$(jget ephemeral_token)
check "ephemeral token: 256 bits in base64url (43 chars)" \
    eval '[[ "$TOK" =~ ^[A-Za-z0-9_-]{43}$ ]]'
check "login with app: nothing sent" test "$(jget sent_to 2>/dev/null)" = ""
C1=$(totp_at "$S" $((T0 + 30)))
expect_exit 0 rd login-code "$TOK" "$C1"
expect_json status ok
expect_json user alice
expect_json method_used app

# The same code again, on a fresh login: a replay.
echo "alice pw" | expect_exit 0 rd login alice
TOK2=$(jget ephemeral_token)
check "a new login gets a new token" test "$TOK2" != "$TOK"
expect_err invalid_code 1 rd login-code "$TOK2" "$C1"
# Also the older code that confirm used.
expect_err invalid_code 1 rd login-code "$TOK2" "$(totp_at "$S" "$T0")"
# The default window is one step: three steps ahead is refused.
expect_err invalid_code 1 rd login-code "$TOK2" "$(totp_at "$S" $((T0 + 90)))"

# The used token again, even with a good (backup) code: refused, and the
# backup code is not spent by the refusal.
expect_exit 1 rd login-code "$TOK" "$(bc 0)"
check "reused token: an error object" stdout_is_one_json
expect_exit 0 rd user show alice
expect_json backup_codes_left 10
# An unknown token.
expect_exit 1 rd login-code "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$(bc 0)"
expect_exit 0 rd user show alice
expect_json backup_codes_left 10

# --- backup codes -------------------------------------------------------------
expect_exit 0 rd login-code "$TOK2" "$(bc 0)"
expect_json status ok
expect_json method_used backup_codes
expect_exit 0 rd user show alice
expect_json backup_codes_left 9
echo "alice pw" | expect_exit 0 rd login alice
TOK3=$(jget ephemeral_token)
expect_err invalid_code 1 rd login-code "$TOK3" "$(bc 0)"
# Typed by a person: upper case, dashes and spaces are fine.
typed=$(bc 1 | tr 'a-z' 'A-Z' | sed 's/^\(.....\)/\1- /')
expect_exit 0 rd login-code "$TOK3" "$typed"
expect_json method_used backup_codes
expect_exit 0 rd user show alice
expect_json backup_codes_left 8
expect_json failures 0	# a success clears the count

# --- CODE "-" read from stdin -------------------------------------------------
echo "alice pw" | expect_exit 0 rd login alice
TOK4=$(jget ephemeral_token)
bc 2 | expect_exit 0 rd login-code "$TOK4" -
expect_json status ok
expect_json method_used backup_codes
echo "alice pw" | expect_exit 0 rd login alice
TOK5=$(jget ephemeral_token)
expect_err usage 2 rd login-code "$TOK5" - </dev/null

# login-code --method: only that method (it must be an active one).
expect_err invalid_code 1 rd login-code "$TOK5" 123456 --method app
expect_err not_found 1 rd login-code "$TOK5" 123456 --method email
expect_exit 0 rd user show alice
expect_json backup_codes_left 7
rd user unlock alice >/dev/null

# --- users without MFA, inactive users, wrong passwords ------------------------
add_user bob "bob pw"
echo "bob pw" | expect_exit 0 rd login bob
expect_json status ok
expect_json user bob
check "login without MFA: no token" \
    test "$(jget ephemeral_token 2>/dev/null)" = ""

add_user carol "carol pw" --inactive
echo "carol pw" | expect_err inactive_user 1 rd login carol
echo "carol pw" | expect_exit 0 rd user set carol --active
echo "carol pw" | expect_exit 0 rd login carol
expect_json status ok
rd user set carol --inactive >/dev/null
echo "carol pw" | expect_err inactive_user 1 rd login carol

echo "not alices pw" | expect_err bad_credentials 1 rd login alice
M1=$(jget error.message)
echo "whatever" | expect_err bad_credentials 1 rd login nosuchuser
M2=$(jget error.message)
check "unknown user and wrong password look the same" test "$M1" = "$M2"
# A user with no password cannot log in with an empty one.
expect_exit 0 rd user add dora
echo "" | expect_err bad_credentials 1 rd login dora
# Only the first line of stdin is the password.
printf 'bob pw\nsecond line\n' | expect_exit 0 rd login bob
expect_json status ok

# An inactive user's pending login dies with the deactivation.
echo "alice pw" | expect_exit 0 rd login alice
TOK6=$(jget ephemeral_token)
rd user set alice --inactive >/dev/null
expect_err inactive_user 1 rd login-code "$TOK6" "$(bc 4)"
rd user set alice --active >/dev/null
expect_exit 0 rd user show alice
expect_json backup_codes_left 7

# A second app method needs a code (require_code_to_add); the refusal makes
# nothing.
expect_err not_found 1 rd activate alice nosuch
rd user unlock alice >/dev/null

# --- re-enrolling while pending, pending-state rules, the last method -----------
add_user pat "pat pw"
expect_exit 0 rd activate pat app
P1=$(otp_secret)
expect_exit 0 rd activate pat app	# again: a fresh secret
P2=$(otp_secret)
check "activating again gives a new secret" test "$P1" != "$P2"
expect_exit 0 rd methods pat
expect_json methods.# 1
expect_err bad_state 1 rd primary pat app "$(totp_at "$P2" "$(date +%s)")"
expect_err bad_state 1 rd backup-codes pat "$(totp_at "$P2" "$(date +%s)")"
TP=$(date +%s)
if [ "$(totp_at "$P1" "$TP")" != "$(totp_at "$P2" "$TP")" ]; then
	expect_err invalid_code 1 rd confirm pat app "$(totp_at "$P1" "$TP")"
fi
expect_exit 0 rd confirm pat app "$(totp_at "$P2" "$TP")"
expect_json state active
PB=$(jget backup_codes.0)
expect_err not_allowed 1 rd deactivate pat app
expect_exit 0 rd deactivate pat app "$PB"	# a backup code will do
expect_json state none
expect_exit 0 rd user show pat
expect_json backup_codes_left 0	# they went with the last method
expect_json methods '[]'
expect_err not_found 1 rd deactivate pat app
expect_err not_found 1 rd confirm pat app 123456
# A pending method can be dropped without a code.
expect_exit 0 rd activate pat app
expect_exit 0 rd deactivate pat app
expect_exit 0 rd methods pat
expect_json methods '[]'
rd user unlock pat >/dev/null

# --- nothing secret in clear in the vault file ----------------------------------
check_not "the TOTP secret (base32) is not in the vault file" vault_has "$S"
check_not "the TOTP secret (raw bytes) is not in the vault file" \
    vault_has_b32 "$S"
check_not "the password is not in the vault file" vault_has "alice pw"
for k in 5 6; do
	check_not "backup code $k is not in the vault file" vault_has "$(bc $k)"
done
check_not "the login token is not in the vault file" vault_has "$TOK5"
check "(user names are in clear, by design: the check can see text)" \
    vault_has alice

# --- HOTP via a config file ---------------------------------------------------
cat >"$T/hotp.conf" <<'EOF'
[method.app]
handler = totp

[method.token]
handler = hotp
verbose_name = Hardware-less HOTP
EOF
CONFIG=$T/hotp.conf
add_user henry "henry pw"
expect_exit 0 rd activate henry token
expect_json method token
expect_json state pending
check "hotp otpauth_uri with counter=0" \
    grep -Eq '"otpauth_uri":"otpauth://hotp/[^"]*counter=0' "$OUT"
H=$(otp_secret)
expect_exit 0 rd confirm henry token "$(hotp_at "$H" 0)"
expect_json state active
expect_json primary true
expect_json backup_codes.# 10
HBC=$(jget backup_codes.0)
expect_exit 0 rd methods henry
expect_json methods '[{"name":"token","handler":"hotp","state":"active","primary":true}]'
echo "henry pw" | expect_exit 0 rd login henry
expect_json method token
HT=$(jget ephemeral_token)
expect_err invalid_code 1 rd login-code "$HT" "$(hotp_at "$H" 0)"	# used
hotp_at "$H" 1 | expect_exit 0 rd login-code "$HT" -
expect_json method_used token
echo "henry pw" | expect_exit 0 rd login henry
HT=$(jget ephemeral_token)
expect_err invalid_code 1 rd login-code "$HT" "$(hotp_at "$H" 1)"	# replay
expect_exit 0 rd login-code "$HT" "$(hotp_at "$H" 5)"	# look-ahead
echo "henry pw" | expect_exit 0 rd login henry
HT=$(jget ephemeral_token)
expect_err invalid_code 1 rd login-code "$HT" "$(hotp_at "$H" 3)"	# behind
expect_err invalid_code 1 rd login-code "$HT" "$(hotp_at "$H" 30)"	# too far
expect_exit 0 rd login-code "$HT" "$(hotp_at "$H" 6)"
rd user unlock henry >/dev/null

# Adding the app to henry needs a code from token.
expect_err not_allowed 1 rd activate henry app
expect_exit 0 rd methods henry
expect_json methods.# 1
expect_exit 0 rd activate henry app "$(hotp_at "$H" 7)"
expect_json state pending
A=$(otp_secret)
T1=$(date +%s)
# Confirming proves the new app works: a backup code will not do.
expect_err invalid_code 1 rd confirm henry app "$HBC"
expect_exit 0 rd methods henry
expect_json methods.1.state pending
expect_exit 0 rd confirm henry app "$(totp_at "$A" "$T1")"
expect_json primary false
expect_json backup_codes '[]'	# backup codes come with the first method only
echo "henry pw" | expect_exit 0 rd login henry
expect_json method token
expect_json other_methods '["app"]'
HT=$(jget ephemeral_token)
expect_exit 0 rd login-code "$HT" "$(totp_at "$A" $((T1 + 30)))"
expect_json method_used app

finish
