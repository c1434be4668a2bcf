#!/bin/bash
# t-keys.sh: key slots.  `key add --keyfile FILE` writes a new 0400 file
# and never overwrites one; --keyfile and $REDOUBT_KEYFILE open the vault
# with no passphrase anywhere; `key list` (text and --json, the passphrase
# as slot 0, last used); a file with a wrong mode, another owner or not a
# key file is bad_passphrase (exit 3) with the reason; `key remove`
# revokes at once; a new passphrase keeps the slots; the header edited
# with the sqlite3 shell is refused; every change is audited; the TUI
# opens with a key file too.
. "$(dirname "$0")/tui-lib.sh"

export XDG_RUNTIME_DIR=$T/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
K1=$T/k1
K2=$T/k2

new_vault
rd user add alice || fail "user add alice"

expect_exit 0 rd key add --keyfile "$K1"
expect_json slot 1
check "the key file is 0400" [ "$(stat -c %a "$K1")" = 400 ]
check "the key file is one line" [ "$(wc -l <"$K1")" = 1 ]
check_not "the key file's key is not in the vault" vault_has \
    "$(cut -d' ' -f4 "$K1")"
cp "$K1" "$T/k1.before"
expect_err exists 1 rd key add --keyfile "$K1"
check "an existing key file is left as it was" cmp -s "$K1" "$T/k1.before"
expect_exit 0 rd key list
expect_json slots.# 2
check "--json key list: one object, slots" stdout_is_one_json
expect_json slots.0.kind passphrase
expect_json slots.0.slot 0
expect_json slots.1.kind keyfile
expect_json slots.1.last_used null
expect_err usage 2 rd key add
expect_err usage 2 rd key add --keyfile "$T/no/such/dir/k"

# Opening with the key file: the option, then the environment.
nopass expect_exit 0 rd --keyfile "$K1" user show alice
expect_json user alice
REDOUBT_KEYFILE=$K1 nopass expect_exit 0 rd user show alice
REDOUBT_KEYFILE=$K1 nopass expect_exit 0 rdh key list
check "text key list has the kinds" grep -q "keyfile" "$OUT"
check "text key list has the passphrase" grep -q "passphrase" "$OUT"
expect_exit 0 rd key list
check "last used is set once the file was used" [ "$(jget slots.1.last_used)" != null ]
# The global option after the command still opens the vault.
nopass expect_exit 0 rd user show alice --keyfile "$K1"

# Refused files, each with its reason, exit 3.
chmod 440 "$K1"
nopass expect_err bad_passphrase 3 rd --keyfile "$K1" user show alice
check "a group-readable file is named" grep -q "may be read by others" "$OUT"
chmod 400 "$K1"
if [ "$(id -u)" = 0 ]; then
	cp "$K1" "$T/k-nobody"
	chown 65534 "$T/k-nobody"
	nopass expect_err bad_passphrase 3 rd --keyfile "$T/k-nobody" user show alice
	check "a file of another owner is named" grep -q "another user" "$OUT"
fi
printf 'hello\n' >"$T/k-junk"
chmod 400 "$T/k-junk"
nopass expect_err bad_passphrase 3 rd --keyfile "$T/k-junk" user show alice
check "not a key file is named" grep -q "not a redoubt key file" "$OUT"
nopass expect_err bad_passphrase 3 rd --keyfile "$T/nothing" user show alice

# A second slot, a new passphrase: both slots still open.
expect_exit 0 rd key add --keyfile "$K2"
expect_json slot 2
REDOUBT_NEW_PASSPHRASE=other expect_exit 0 rd passphrase
nopass expect_exit 0 rd --keyfile "$K1" user show alice
nopass expect_exit 0 rd --keyfile "$K2" user show alice
export REDOUBT_PASSPHRASE=other

# Remove revokes at once; the other slot goes on.
expect_exit 0 rd key remove 1
expect_json status removed
nopass expect_err bad_passphrase 3 rd --keyfile "$K1" user show alice
check "a removed slot is named" grep -q "not in vault" "$OUT"
nopass expect_exit 0 rd --keyfile "$K2" user show alice
expect_err not_found 1 rd key remove 1
expect_err not_allowed 1 rd key remove 0
expect_err usage 2 rd key remove one
# A key file may remove slots too (as in LUKS, any key manages them).
expect_exit 0 rd key add --keyfile "$T/k3"
nopass expect_exit 0 rd --keyfile "$K2" key remove 3
nopass expect_err bad_passphrase 3 rd --keyfile "$T/k3" user show alice

# A session started from a key file.
nopass expect_exit 0 rd --keyfile "$K2" unlock
S=$(jget session)
REDOUBT_SESSION=$S nopass expect_exit 0 rd user show alice

# Audited, without the key.
expect_exit 0 rd audit list --action "key add"
expect_json entries.# 3
expect_exit 0 rd audit list --action "key remove"
expect_json entries.# 2
check_not "no key in the audit" grep -q "$(cut -d' ' -f4 "$K2")" "$OUT"
expect_exit 0 rd audit verify
expect_json ok true

# The header edited with the sqlite3 shell (psql), without the key.
vault_save copy
vault_sql "$(sql_of "UPDATE meta SET v = randomblob(length(v)) WHERE k = 'slot.2'" \
    "UPDATE meta SET b = set_byte(b, 0, (get_byte(b, 0) + 1) % 256)
     WHERE k = 'slot.2'")" >/dev/null
nopass expect_err vault_corrupt 3 rd --keyfile "$K2" user show alice
expect_err vault_corrupt 3 rd user show alice
vault_load copy
nopass expect_exit 0 rd --keyfile "$K2" user show alice

# The TUI with a key file: no unlock screen.
TUI_ENV="REDOUBT_KEYFILE=$K2" tui_start --vault "$VAULT"
wait_for "alice" || fail "the TUI did not open with the key file"
not_on_screen "Passphrase"
keys q
finish
