#!/usr/bin/env bash
# t-password.sh: password_kdf from the command line: a hash made under
# moderate is redone at the interactive limits by the next right login
# (one "password rehash" row), never by a wrong one; config --check
# refuses other names.  The vault is made with the interactive KDF, as a
# test vault hashes every password at the test limits.
. "$(dirname "$0")/lib.sh"

limits() {	# the m= and t= of USER's stored hash
	vault_sql "SELECT pwhash FROM users WHERE name = '$1'" |
	    sed -E 's/^\$argon2id\$v=19\$m=([0-9]+),t=([0-9]+),p=1\$.*/\1 \2/'
}

printf '[redoubt]\npassword_kdf = moderate\n' >"$T/moderate.conf"
printf '[redoubt]\npassword_kdf = interactive\n' >"$T/interactive.conf"
printf '[redoubt]\npassword_kdf = fast\n' >"$T/fast.conf"

new_store
expect_exit 0 rd init --kdf interactive
CONFIG=$T/moderate.conf
echo 's3cret pw' | expect_exit 0 rd user add bob --password-stdin
check "user add under moderate: m=262144 t=3" \
    test "$(limits bob)" = "262144 3"
CONFIG=$T/interactive.conf
echo 'not it' | expect_err bad_credentials 1 rd login bob
check "a wrong password leaves the hash" test "$(limits bob)" = "262144 3"
echo 's3cret pw' | expect_exit 0 rd login bob
expect_json status ok
check "a right one stores it at m=65536 t=2" \
    test "$(limits bob)" = "65536 2"
expect_exit 0 rd audit list --action "password rehash"
expect_json entries.# 1
expect_json entries.0.user bob
expect_json entries.0.detail interactive
echo 's3cret pw' | expect_exit 0 rd login bob
expect_exit 0 rd audit list --action "password rehash"
expect_json entries.# 1
expect_exit 0 rd audit verify
# New passwords follow the setting.
echo 'other pw' | expect_exit 0 rd user add carol --password-stdin
check "user add under interactive: m=65536 t=2" \
    test "$(limits carol)" = "65536 2"

CONFIG=$T/fast.conf
expect_err config 5 rd config --check
check "the problem names password_kdf and the value" \
    grep -q "password_kdf.*fast" "$OUT"
echo 's3cret pw' | expect_err config 5 rd login bob

finish
