#!/bin/bash
# t-search.sh: finding users by e-mail or phone number (user list
# --search) through the vault's keyed index: the forms that match, shared
# addresses, changes and a new passphrase, human output, an index edited
# with the sqlite3 shell, a vault of schema 2 upgraded on unlock, and the
# TUI's search as you type in a real terminal.
. "$(dirname "$0")/tui-lib.sh"

new_vault
expect_exit 0 rd user add alice --email Alice.Smith@Example.COM \
    --phone +48500000000
expect_exit 0 rd user add bob --email team@example.com --phone +15551234567
expect_exit 0 rd user add carol --email team@example.com --inactive
expect_exit 0 rd user add ops@example.com --email ops@example.com

# --- what matches ------------------------------------------------------------
expect_exit 0 rd user list --search alice.smith@example.com
expect_json users.# 0
expect_json matches.# 1
expect_json matches.0.name alice
expect_json matches.0.by email
expect_json matches.0.active true
expect_exit 0 rd user list --search '  ALICE.SMITH@EXAMPLE.COM '
expect_json matches.0.name alice
for form in +48500000000 '+48 500 000 000' '+48 500-000-000' \
    '+48 (500) 000.000' '0048 500 000 000'; do
	expect_exit 0 rd user list --search "$form"
	expect_json matches.0.name alice
	expect_json matches.0.by phone
done
# Exact, not a prefix or a substring; and not a name search by e-mail.
for miss in alice.smith@example.co lice.smith@example.com +4850000000 \
    48500000000 alice; do
	expect_exit 0 rd user list --search "$miss"
	expect_json matches.# 0
done
# A shared mailbox: both users, in name order, the inactive one too.
expect_exit 0 rd user list --search Team@Example.com
expect_json matches.# 2
expect_json matches.0.name bob
expect_json matches.1.name carol
expect_json matches.1.active false
# A name that starts with the text is in users, not again in matches.
expect_exit 0 rd user list --search ops@example.com
expect_json users.0.name ops@example.com
expect_json matches.# 0
expect_err usage 2 rd user list --search a --prefix a
expect_exit 0 rdh user list --search +15551234567
check "human output: the match as a table row" \
    grep -qE '^  bob +yes +phone$' "$OUT"

# --- the index: keyed, indexed, no address in clear -------------------------
check "an index on each column" test "$(vault_sql "$(sql_of "SELECT count(*)
    FROM sqlite_master WHERE type = 'index' AND name IN
    ('users_email_ix', 'users_phone_ix')" "SELECT count(*) FROM pg_indexes
    WHERE tablename = 'users' AND indexname IN
    ('users_email_ix', 'users_phone_ix')")")" = 2
# (PostgreSQL's planner scans a table this small: asked not to, it takes
# the index, so the lookup can use it.)
check "the e-mail lookup is an index search, not a scan" \
    vault_sql "$(sql_of "EXPLAIN QUERY PLAN SELECT name FROM users WHERE
    email_ix = x'00' ORDER BY name LIMIT 5" "SET enable_seqscan = off;
    EXPLAIN SELECT name FROM users WHERE email_ix = '\\x00'::bytea
    ORDER BY name LIMIT 5")" | grep -Eq 'USING INDEX users_email_ix|Index Scan using users_email_ix'
check_not "the lower-cased address is not in the file" \
    vault_has alice.smith@example.com
check_not "nor the phone number" vault_has 48500000000

# --- the index follows every change -------------------------------------------
expect_exit 0 rd user set alice --email alice@example.org --phone ''
expect_exit 0 rd user list --search alice.smith@example.com
expect_json matches.# 0
expect_exit 0 rd user list --search +48500000000
expect_json matches.# 0
expect_exit 0 rd user list --search ALICE@example.org
expect_json matches.0.name alice
expect_exit 0 rd user del carol
expect_exit 0 rd user list --search team@example.com
expect_json matches.# 1
# A new passphrase rewraps the master key: the index stays valid.
REDOUBT_NEW_PASSPHRASE="second passphrase" expect_exit 0 rd passphrase
export REDOUBT_PASSPHRASE="second passphrase"
expect_exit 0 rd user list --search alice@example.org
expect_json matches.0.name alice
expect_exit 0 rd audit verify
expect_json ok true

# --- an index edited in the file never names the wrong user ------------------
vault_save kept
vault_sql "UPDATE users SET email_ix = (SELECT email_ix FROM users
    WHERE name = 'alice') WHERE name = 'bob'" >/dev/null
expect_err vault_corrupt 3 rd user list --search alice@example.org
check "no half list beside the damaged row" test "$(jget error.matches)" = ""
expect_err vault_corrupt 3 rd user show bob
vault_load kept
vault_sql "$(sql_of "UPDATE users SET phone_ix = randomblob(16)
    WHERE name = 'bob'" "UPDATE users SET phone_ix = decode(md5(random()::text),
    'hex') WHERE name = 'bob'")" >/dev/null
expect_err vault_corrupt 3 rd user show bob
vault_load kept

# --- a vault of schema 2 gets its index when unlocked --------------------------
FIX=$E2E_TOP/tests/fixtures
export REDOUBT_PASSPHRASE=fixture-pass
if store_file; then
	rm -f "$VAULT" "$VAULT-wal" "$VAULT-shm"
	cp "$FIX/vault-v2.db" "$VAULT" && chmod 600 "$VAULT"
	check "the fixture is schema 2" \
	    test "$(sqlite3 "$VAULT" 'PRAGMA user_version')" = 2
	expect_exit 0 rd user list --search alice.smith@example.com
	expect_json matches.0.name alice
	check "migrated to schema 6 (3: the index, 4: last use, 5: token facts, 6: backup sets)" \
	    test "$(sqlite3 "$VAULT" 'PRAGMA user_version')" = 6
else
	# A file of schema 2 is migrated as a file; backup --to copies it,
	# index and all, into the (empty) database, where the rest goes on.
	cp "$FIX/vault-v2.db" "$T/v2.db" && chmod 600 "$T/v2.db"
	VAULT=$T/v2.db expect_exit 0 rd user list --search alice.smith@example.com
	expect_json matches.0.name alice
	new_store
	VAULT=$T/v2.db expect_exit 0 rd backup --to "$VAULT"
	expect_exit 0 rd user list --search alice.smith@example.com
	expect_json matches.0.name alice
fi
check "every e-mail and phone has its index" test "$(vault_sql "SELECT
    count(*) FROM users WHERE (email IS NULL) != (email_ix IS NULL)
    OR (phone IS NULL) != (phone_ix IS NULL)")" = 0
expect_exit 0 rd user list --search '+1 555 123 4567'
expect_json matches.0.name carol
expect_exit 0 rd user list --search team@example.com
expect_json matches.# 2
expect_exit 0 rd audit verify
expect_json ok true
expect_exit 0 rd user show bob
expect_json failures 2
expect_exit 0 rd outbox list
expect_json messages.# 1
echo "alice-pw" | expect_exit 0 rd login alice
expect_exit 0 rd login-code "$(jget ephemeral_token)" \
    "$(head -1 "$FIX/vault-v2.backup")"
expect_json method_used backup_codes

# --- the TUI: search as you type ------------------------------------------------
TUI_W=80 TUI_H=24
TUI_PASS=fixture-pass tui_start --vault "$VAULT"
wait_for "redoubt · Users"
wait_for "or a whole e-mail or phone number"
keys /
type_text "Alice.Smith@example.com"
wait_for "found by e-mail"
check "alice is the match" screen_has_line "alice "
keys Enter Enter
wait_for "User alice"
keys Escape
wait_for "redoubt · Users"
keys Escape
wait_gone "found by e-mail"
keys /
type_text "+1 (555) 123-4567"
wait_for "found by phone"
check "carol is the match" screen_has_line "carol "
not_on_screen "alice"

finish
