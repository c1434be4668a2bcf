#!/usr/bin/env bash
# t-init.sh: creating, opening and re-keying the vault; damaged vaults.
. "$(dirname "$0")/lib.sh"

# --- init with the test KDF, which says so loudly ---------------------------
# (PostgreSQL: init fills an empty database; a file is made by init.)
new_store
expect_exit 0 rd init --kdf test
expect_json kdf test
expect_json vault "$VAULT"
check "JSON init output warns about the test KDF" \
    grep -qi 'test kdf' "$OUT"
if store_file; then
	check "vault file exists" test -f "$VAULT"
	check "vault file mode is 600" test "$(stat -c %a "$VAULT")" = 600
fi

# Human output warns too.
V2=$(vault_of human)
vault_blank human
VAULT_SAVE=$VAULT
VAULT=$V2
expect_exit 0 rdh init --kdf test
check "human init output warns about the test KDF" \
    grep -qi 'test kdf' "$OUT" "$ERR"
check "human init: stdout is key: value lines" \
    grep -q '^warning: ' "$OUT"
if store_file; then
	check "second vault mode is 600" test "$(stat -c %a "$V2")" = 600
fi
VAULT=$VAULT_SAVE

# A vault file made under a permissive umask is still private.
if store_file; then
	V3=$T/umask.db
	(umask 000; "$REDOUBT" --json --vault "$V3" init --kdf test >/dev/null 2>&1)
	check "vault made under umask 000 is still mode 600" \
	    test "$(stat -c %a "$V3" 2>/dev/null)" = 600
fi

# Unknown KDF: usage, nothing made.
expect_err usage 2 rd --vault "$T/kdf.db" init --kdf fast
check_not "no vault made for a bad --kdf" test -e "$T/kdf.db"

# --- init again: exists, the vault untouched ---------------------------------
add_user alice 'alice pw'
before=$(vault_sum)
expect_err exists 1 rd init --kdf test
check "init again leaves the vault unchanged" test "$(vault_sum)" = "$before"
expect_exit 0 rd user show alice
expect_json user alice

# --- wrong passphrase: bad_passphrase, exit 3, nothing written ---------------
before=$(vault_sum)
REDOUBT_PASSPHRASE="not the passphrase" expect_err bad_passphrase 3 \
    rd user list
check "wrong passphrase leaves the vault unchanged" \
    test "$(vault_sum)" = "$before"
REDOUBT_PASSPHRASE="not the passphrase" expect_err bad_passphrase 3 \
    rd user add mallory
if store_file; then
	check "wrong passphrase: no stray WAL left" test ! -s "$VAULT-wal"
fi
check "wrong passphrase on a write leaves the vault unchanged" \
    test "$(vault_sum)" = "$before"
echo "not the passphrase" >"$T/wrong.pass"
expect_err bad_passphrase 3 rd --passphrase-file "$T/wrong.pass" user list

# --- no passphrase at all: stdin not a tty, no env -> bad_passphrase --------
expect_err bad_passphrase 3 nopass rd user list </dev/null
# A passphrase on stdin is not read either (stdin is for passwords/codes).
echo "e2e passphrase" | expect_err bad_passphrase 3 nopass rd user list
check "no passphrase: the message says where one comes from" \
    grep -q 'REDOUBT_PASSPHRASE' "$OUT"

# Passphrase from a file (first line only).
printf 'e2e passphrase\nsecond line\n' >"$T/pass"
expect_exit 0 nopass rd --passphrase-file "$T/pass" user show alice
expect_json user alice

# --- passphrase change ---------------------------------------------------
expect_exit 0 rd user add erin --email erin@example.com --phone +15557654321
REDOUBT_NEW_PASSPHRASE="second passphrase" expect_exit 0 rd passphrase
expect_err bad_passphrase 3 rd user list
REDOUBT_PASSPHRASE="second passphrase" expect_exit 0 rd user show alice
expect_json user alice
# Sealed fields open under the new passphrase (only the key was rewrapped).
REDOUBT_PASSPHRASE="second passphrase" expect_exit 0 rd user show erin
expect_json email erin@example.com
expect_json phone +15557654321
echo "alice pw" | REDOUBT_PASSPHRASE="second passphrase" expect_exit 0 \
    rd login alice
expect_json status ok

# --new-passphrase-file, with the current one from --passphrase-file.
echo "second passphrase" >"$T/cur.pass"
echo "third passphrase" >"$T/new.pass"
expect_exit 0 nopass rd --passphrase-file "$T/cur.pass" passphrase \
    --new-passphrase-file "$T/new.pass"
REDOUBT_PASSPHRASE="second passphrase" expect_err bad_passphrase 3 \
    rd user list
REDOUBT_PASSPHRASE="e2e passphrase" expect_err bad_passphrase 3 rd user list
REDOUBT_PASSPHRASE="third passphrase" expect_exit 0 rd user show alice
if store_file; then
	check "vault still mode 600 after the passphrase change" \
	    test "$(stat -c %a "$VAULT")" = 600
fi

# No new passphrase anywhere: refused, the old one still works.
REDOUBT_PASSPHRASE="third passphrase" expect_err bad_passphrase 3 \
    rd passphrase </dev/null
REDOUBT_PASSPHRASE="third passphrase" expect_exit 0 rd user list
# An empty new passphrase is refused.
REDOUBT_PASSPHRASE="third passphrase" REDOUBT_NEW_PASSPHRASE= \
    expect_err usage 2 rd passphrase
REDOUBT_PASSPHRASE="third passphrase" expect_exit 0 rd user list
# Wrong current passphrase: no change.
before=$(vault_sum)
REDOUBT_PASSPHRASE="wrong" REDOUBT_NEW_PASSPHRASE="fourth" \
    expect_err bad_passphrase 3 rd passphrase
check "passphrase with the wrong current one changes nothing" \
    test "$(vault_sum)" = "$before"
REDOUBT_PASSPHRASE="fourth" expect_err bad_passphrase 3 rd user list
export REDOUBT_PASSPHRASE="third passphrase"

# --- files that are not vaults -----------------------------------------------
# Any exit >= 128 is a crash and fails expect_exit.  (Files given by
# --vault: with either store.)
echo "this is not a vault, just text" >"$T/text.db"
cp "$T/text.db" "$T/text.orig"
expect_err vault_corrupt 3 rd --vault "$T/text.db" user list
check "a text file is left as it was" cmp -s "$T/text.db" "$T/text.orig"

head -c 8192 /dev/urandom >"$T/random.db"
expect_err vault_corrupt 3 rd --vault "$T/random.db" user list

: >"$T/empty.db"
expect_err vault_corrupt 3 rd --vault "$T/empty.db" user list
check "an empty file stays empty" test ! -s "$T/empty.db"

# An SQLite file that is not a redoubt vault.
sqlite3 "$T/other.db" 'CREATE TABLE t (x); INSERT INTO t VALUES (1);'
expect_err vault_corrupt 3 rd --vault "$T/other.db" user list
# A database that holds no redoubt vault but a table of its own: the same.
if ! store_file; then
	vault_blank other
	VAULT=$(vault_of other) vault_sql 'CREATE TABLE t (x int);
	    INSERT INTO t VALUES (1); ALTER TABLE t OWNER TO redoubt;' >/dev/null
	expect_err vault_corrupt 3 rd --vault "$(vault_of other)" user list
fi

# Truncated vaults: exit 3, never a crash, never a success.  (Every cut
# here loses pages in use; cutting only a free page at the end would be
# harmless, so that is not tried.)  Cuts of the vault file: SQLite only.
if store_file; then
	size=$(stat -c %s "$VAULT")
	for n in 16 100 1024 4096 8192 $((size / 2)); do
		head -c "$n" "$VAULT" >"$T/trunc.db"
		cp "$T/trunc.db" "$T/trunc.orig"
		expect_exit 3 rd --vault "$T/trunc.db" user show alice
		check "truncated vault ($n bytes): a vault error code" \
		    grep -Eq '"code":"(vault_corrupt|bad_passphrase)"' "$OUT"
		check "truncated vault ($n bytes) left as it was" \
		    cmp -s "$T/trunc.db" "$T/trunc.orig"
	done
fi

# --- missing vault --------------------------------------------------------
expect_err vault_missing 3 rd --vault "$T/nowhere/vault.db" user list
check_not "a missing vault is not created by a read" test -e "$T/nowhere"
expect_err vault_missing 3 rd --vault "$T/missing.db" user add bob
check_not "a missing vault is not created by a write" test -e "$T/missing.db"
# Also by $REDOUBT_VAULT.
REDOUBT_VAULT=$T/missing2.db "$REDOUBT" --json user list >"$OUT" 2>"$ERR"
RC=$?
check "REDOUBT_VAULT pointing nowhere: exit 3" test "$RC" = 3
expect_json error.code vault_missing

# REDOUBT_VAULT is used when --vault is absent.
REDOUBT_VAULT=$VAULT "$REDOUBT" --json user show alice >"$OUT" 2>"$ERR"
check "REDOUBT_VAULT selects the vault" test $? = 0
expect_json user alice

# --- the default vault location (no --vault, no $REDOUBT_VAULT) -----------------
# $XDG_DATA_HOME/redoubt/vault.db, else ~/.local/share/redoubt/vault.db, the
# folders made as needed on a fresh account.
mkdir -p "$T/fresh-home"
env -u REDOUBT_VAULT XDG_DATA_HOME="$T/xdg-data" HOME="$T/fresh-home" \
    "$REDOUBT" --json init --kdf test >"$OUT" 2>"$ERR"
check "init with XDG_DATA_HOME: exit 0" test $? = 0
check "the vault is \$XDG_DATA_HOME/redoubt/vault.db, mode 600" \
    test "$(stat -c %a "$T/xdg-data/redoubt/vault.db" 2>/dev/null)" = 600
check "its folder is private (700)" \
    test "$(stat -c %a "$T/xdg-data/redoubt" 2>/dev/null)" = 700
env -u REDOUBT_VAULT XDG_DATA_HOME="$T/xdg-data" HOME="$T/fresh-home" \
    "$REDOUBT" --json user list >"$OUT" 2>"$ERR"
check "commands find it there" test $? = 0
env -u REDOUBT_VAULT -u XDG_DATA_HOME HOME="$T/fresh-home" \
    "$REDOUBT" --json init --kdf test >"$OUT" 2>"$ERR"
check "init on a fresh account (no ~/.local): exit 0" test $? = 0
check "the vault is ~/.local/share/redoubt/vault.db, mode 600" test \
    "$(stat -c %a "$T/fresh-home/.local/share/redoubt/vault.db" 2>/dev/null)" = 600
env -u REDOUBT_VAULT -u XDG_DATA_HOME HOME="$T/fresh-home" \
    "$REDOUBT" --json user list >"$OUT" 2>"$ERR"
check "commands find it in ~/.local/share/redoubt" test $? = 0

finish
