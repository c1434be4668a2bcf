#!/bin/bash
# t-desk.sh: `user rename` and what `user show` tells of each method.
# rename takes the rules of user add (no spaces, no ':'), refuses a taken
# name, is audited under the old name, and the user logs in under the
# new one with the same password and app; user show has each method's
# enrolled and last used times (stamped by an accepted code, never by a
# refused one) and a masked destination, and its human table gives each
# key its column even when only some rows have it.
. "$(dirname "$0")/lib.sh"

new_vault
add_user alice "alice pw" --email alice@example.com --phone +15551234567
add_user carol "carol pw"

# --- alice: app active, e-mail pending ------------------------------------
expect_exit 0 rd activate alice app
S=$(otp_secret)
T0=$(date +%s)
expect_exit 0 rd confirm alice app "$(totp_at "$S" "$T0")"
expect_exit 0 later 30 rd activate alice email "$(totp_at "$S" $((T0 + 30)))"
expect_exit 0 later 30 rd user show alice
expect_json methods.0.name app
check "app: enrolled at activate, a Unix time" test "$(jget methods.0.enrolled)" -gt $((T0 - 60))
check "app: last used by the proof for email" \
    test "$(jget methods.0.last_used)" -ge $((T0 + 30))
expect_json methods.1.name email
expect_json methods.1.last_used 0
expect_json methods.1.destination 'a***@example.com'
not_grep "$S" "$OUT" || fail "user show shows the app's secret"
USED=$(jget methods.0.last_used)

# A refused code stamps nothing.
echo "alice pw" | expect_exit 0 later 60 rd login alice
TOK=$(jget ephemeral_token)
expect_err invalid_code 1 later 60 rd login-code "$TOK" 000000
expect_exit 0 later 60 rd user show alice
expect_json methods.0.last_used "$USED"

# Human output: one column per key, '-' where a row has none, never.
expect_exit 0 rdh user show alice
check "human: a DESTINATION column" grep -qE '^ +NAME +HANDLER .*LAST USED +DESTINATION$' "$OUT"
check "human: app has no destination, email was never used" \
    grep -qE '^ +email +outbox +pending .* never +a\*\*\*@example\.com$' "$OUT"
check "human: app's row ends in '-'" grep -qE '^ +app +totp +active .* -$' "$OUT"

# --- rename ------------------------------------------------------------------
expect_err usage 2 rd user rename alice 'has space'
expect_err usage 2 rd user rename alice 'a:b'
check "':' refused with the reason" grep -q "':' is not allowed" "$OUT"
expect_err exists 1 rd user rename alice carol
check "taken: the message names it" grep -q 'carol' "$OUT"
expect_err not_found 1 rd user rename nobody zed
expect_exit 0 rd user show alice

export REDOUBT_OPERATOR=desk-ann
expect_exit 0 rd user rename alice alice.smith
unset REDOUBT_OPERATOR
expect_json user alice.smith
expect_json old_name alice
expect_err not_found 1 rd user show alice
expect_exit 0 rd user show alice.smith
expect_json email alice@example.com
expect_json methods.# 2
expect_exit 0 rd audit list --user alice --action 'user rename'
expect_json entries.0.detail 'new name: alice.smith'
expect_json entries.0.outcome ok
check "audited with the operator" grep -q 'desk-ann' "$OUT"
expect_exit 0 rd audit verify
expect_json ok true

# The same user under the new name: password and app.
echo "alice pw" | expect_err bad_credentials 1 later 90 rd login alice
echo "alice pw" | expect_exit 0 later 90 rd login alice.smith
expect_json status mfa_required
TOK=$(jget ephemeral_token)
expect_exit 0 later 90 rd login-code "$TOK" "$(totp_at "$S" $((T0 + 90)))"
expect_json user alice.smith

# Human output of rename.
expect_exit 0 rdh user rename alice.smith alice
check "human rename: new and old name" grep -qE '^old name: +alice\.smith$' "$OUT"

finish
