#!/bin/bash
# t-tui-demo.sh: what `make run` does (share/demo.sh) from a tree of its
# own: the first run makes the demo vault with the command line only
# (alice with e-mail and SMS active, her backup codes on file, bob's app
# pending, carol inactive), says how to log in and opens the TUI on the
# user list after Enter; the second run reuses the vault.
. "$(dirname "$0")/tui-lib.sh"

TREE=$T/tree
mkdir -p "$TREE/share"
cp "$E2E_TOP/share/demo.sh" "$TREE/share/"
ln -s "$REDOUBT" "$TREE/redoubt"
demo() {
	"$REDOUBT" --vault "$TREE/demo/vault.db" \
	    --passphrase-file "$TREE/demo/passphrase" "$@"
}

REDOUBT=sh tui_start "$TREE/share/demo.sh"
wait_for "making a demo vault in demo/"
wait_for "Press Enter to start."
wait_for "passphrase in demo/passphrase"
keys Enter
wait_for "redoubt · Users"
check "alice is listed" screen_has_line "alice "
check "bob is listed" screen_has_line "bob "
check "carol is listed, inactive" eval 'screen | grep -Eq "carol +inactive"'
keys q
wait_for "TUI EXITED rc=0"

OUT=$T/out
demo --json methods alice >"$OUT" 2>/dev/null
expect_json methods.0.name email
expect_json methods.0.state active
expect_json methods.0.primary true
expect_json methods.1.name sms
expect_json methods.1.state active
demo --json methods bob >"$OUT" 2>/dev/null
expect_json methods.0.name app
expect_json methods.0.state pending
check "nine unused backup codes on file (one proved SMS)" \
    test "$(grep -Ec '^[a-z0-9]{10}$' "$TREE/demo/alice-backup-codes.txt")" = 9
code=$(head -n 1 "$TREE/demo/alice-backup-codes.txt")
printf 'alice demo\n' | demo --json login alice >"$OUT" 2>/dev/null
expect_json status mfa_required
demo --json login-code "$(jget ephemeral_token)" "$code" >"$OUT" 2>/dev/null
expect_json status ok
expect_json method_used backup_codes
check "the demo's files are the operator's alone" \
    test "$(stat -c %a "$TREE/demo/passphrase")" = 600

# A second run keeps the vault and opens at once.
REDOUBT=sh tui_start "$TREE/share/demo.sh"
wait_for "Press Enter to start."
not_on_screen "making a demo vault"
keys Enter
wait_for "redoubt · Users"
keys q
wait_for "TUI EXITED rc=0"
tui_summary
finish
