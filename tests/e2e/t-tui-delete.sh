#!/bin/bash
# t-tui-delete.sh: what cannot be undone, from the user detail at 80x24.
# D (delete) and R (reset after a lost device) ask first with Cancel in
# focus: Enter on it, Esc and n change nothing; Tab then Enter, or y, do
# it.  A reset leaves the user and the password but no method and no
# backup code; a delete takes the user away and the list says so.
. "$(dirname "$0")/tui-lib.sh"

new_vault
add_user alice "alice pw"
add_user bob "bob pw"
expect_exit 0 rd activate alice app
S=$(otp_secret)
expect_exit 0 rd confirm alice app "$(totp_at "$S" "$(date +%s)")"
check "alice starts with backup codes" test "$(jget backup_codes.#)" -gt 0

TUI_PASS=$REDOUBT_PASSPHRASE tui_start --vault "$VAULT"
wait_for "redoubt · Users"
keys Enter
wait_for "User alice"

# --- R: reset -----------------------------------------------------------------
keys R
wait_for "Reset alice"
wait_for "For a lost phone or key"
keys Enter					# Cancel has the focus
wait_for "User alice"
rd methods alice
expect_json methods.# 1
keys R
wait_for "Reset alice"
keys n
wait_for "User alice"
keys R
wait_for "Reset alice"
keys Tab Enter
wait_for "alice has no methods now"
rd methods alice
expect_json methods.# 0
rd user show alice
expect_json backup_codes_left 0
expect_json password true

# --- D: delete ----------------------------------------------------------------
keys D
wait_for "Delete alice"
keys Escape
wait_for "User alice"
rd user show alice
expect_json user alice
keys D
wait_for "Delete alice"
keys y
wait_for "alice was deleted."
wait_for "redoubt · Users"
check "the list no longer shows alice" eval '! screen | grep -q "^[ >]  alice "'
expect_err not_found 1 rd user show alice
rd user show bob
expect_json user bob
keys q
wait_for "TUI EXITED rc=0"
tui_summary
finish
