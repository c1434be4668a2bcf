#!/bin/bash
# t-pg-store.sh: the vault in PostgreSQL, seen from the database's side:
# init on an empty database only; nothing personal or secret readable by
# the database's operator (psql, pg_dump); a row or header edited with
# psql reads as vault_corrupt; backup --to moving a vault from a file into
# a database and back with the same passphrase, key slot and audit chain;
# a serialization conflict forced from psql run again, not lost; and the
# TUI following another operator's change through LISTEN/NOTIFY, asking
# the server nothing while it waits.  Under make test-pg the cluster is
# the suite's ($E2E_PG); otherwise this script starts its own.
. "$(dirname "$0")/tui-lib.sh"

if [ -z "${E2E_PG:-}" ]; then
	# Not under $T: the cluster's owner (postgres) must reach it.
	E2E_PG=$(mktemp -d "${TMPDIR:-/tmp}/redoubt-pg.XXXXXX")
	if ! sh "$E2E_PGCTL" start "$E2E_PG" 300 >/dev/null; then
		fail "cannot start a PostgreSQL cluster"
		finish
	fi
	own_cluster=1
fi
PORT=$(cat "$E2E_PG/pg-cluster.port")
# A database of this script's: db NAME gives its URI (as role redoubt).
db() {
	echo "postgresql:///$1?host=$E2E_PG&port=$PORT&user=redoubt"
}
newdb() {
	sh "$E2E_PGCTL" dropdb "$E2E_PG" "$1" >/dev/null &&
	    sh "$E2E_PGCTL" newdb "$E2E_PG" "$1" >/dev/null
}
# psql as the database's operator (the superuser), on database NAME.
dba() {
	local name=$1
	shift
	psql -X -q -At -v ON_ERROR_STOP=1 -h "$E2E_PG" -p "$PORT" -U postgres \
	    -d "$name" "$@"
}
P=rdpg_$$
VAULT=$(db "$P")
newdb "$P" || fail "cannot make database $P"
# At the end: this script's databases go (and its own cluster), then
# e2e_exit with the script's own exit status.
pg_store_exit() {
	sh "$E2E_PGCTL" dropdb "$E2E_PG" "$P" >/dev/null 2>&1
	sh "$E2E_PGCTL" dropdb "$E2E_PG" "${P}_b" >/dev/null 2>&1
	sh "$E2E_PGCTL" dropdb "$E2E_PG" "${P}_c" >/dev/null 2>&1
	if [ -n "${own_cluster:-}" ]; then
		sh "$E2E_PGCTL" stop "$E2E_PG" >/dev/null 2>&1
	fi
	true
}
trap 'st=$?; pg_store_exit; (exit $st); e2e_exit' EXIT

# ---- init: an empty database only, as the least-privilege role --------------
check "the role redoubt is no superuser" test "$(dba "$P" -c \
    "SELECT rolsuper FROM pg_roles WHERE rolname = 'redoubt'")" = f
expect_exit 0 rd init --kdf test
expect_json vault "$VAULT"
check "init made the tables" test "$(dba "$P" -c "SELECT count(*) FROM
    pg_tables WHERE schemaname = 'public'")" -ge 9
expect_err exists 1 rd init --kdf test
check "init again: the error says the database is not empty" \
    grep -q "not empty" "$OUT"
newdb "${P}_b"
dba "${P}_b" -c "CREATE TABLE theirs (x int); ALTER TABLE theirs OWNER TO
    redoubt"
VAULT=$(db "${P}_b") expect_err exists 1 rd init --kdf test
check "init on a database with another table adds nothing" \
    test "$(dba "${P}_b" -c "SELECT count(*) FROM pg_tables WHERE
    schemaname = 'public'")" = 1
newdb "${P}_c"
VAULT=$(db "${P}_c") expect_err vault_missing 3 rd user list
check "an empty database says how to make a vault" \
    grep -q "run redoubt init" "$OUT"
dba "${P}_c" -c "ALTER SCHEMA public OWNER TO postgres;
    REVOKE CREATE ON SCHEMA public FROM PUBLIC"
VAULT=$(db "${P}_c") expect_err vault_missing 3 rd init --kdf test
check "a role that may not create tables is told so" \
    grep -q "may not create tables in schema public" "$OUT"
VAULT="postgresql:///nosuchdb?host=$E2E_PG&port=$PORT&password=hunter2x" \
    expect_err vault_missing 3 rd user list
check "a password in the URI never reaches a message" \
    not_grep hunter2x "$OUT"
VAULT="postgresql:///$P?host=$E2E_PG&port=$PORT&user=redoubt&password=hunter2x" \
    expect_exit 0 rd backup --to "$T/masked.db"
check "a password in the URI is shown as ***" grep -q 'password=\*\*\*' "$OUT"
check_not "and never in clear" grep -q hunter2x "$OUT"

# A service name and keyword=value words select the database too.
cat >"$T/pg_service.conf" <<EOF
[desk]
host=$E2E_PG
port=$PORT
user=redoubt
dbname=$P
EOF
PGSERVICEFILE=$T/pg_service.conf VAULT=service=desk \
    expect_exit 0 rd audit verify
expect_json ok true
VAULT="host=$E2E_PG port=$PORT user=redoubt dbname=$P" \
    expect_exit 0 rd audit verify
expect_json ok true

# ---- nothing readable by the database's operator ------------------------------
add_user alice "alice login pw" --email alice.secret@example.org \
    --phone +15550001234
# E-mail started first (its code waits in the outbox), so the app needs
# no code of it.
expect_exit 0 rd activate alice email
CODE=$(outbox_code email)
expect_exit 0 rd activate alice app
S=$(otp_secret)
expect_exit 0 rd confirm alice app "$(totp_at "$S" "$(date +%s)")"
BC=$(jget backup_codes.0)
pg_dump -h "$E2E_PG" -p "$PORT" -U postgres "$P" >"$T/dump.sql"
check "pg_dump ran" test -s "$T/dump.sql"
for secret in alice.secret@example.org 5550001234 "alice login pw" \
    "$S" "$BC" "$CODE" "Your code"; do
	check_not "pg_dump shows no '$secret'" grep -qiF -- "$secret" "$T/dump.sql"
done
check "pg_dump shows the user name (names are the clear index)" \
    grep -q alice "$T/dump.sql"
# The raw bytes of the TOTP secret, in any bytea column.
"$PY" -c 'import base64, re, sys
s = sys.argv[1]
key = base64.b32decode(s + "=" * (-len(s) % 8))
d = open(sys.argv[2]).read()
blobs = b"".join(bytes.fromhex(m) for m in re.findall(r"\\\\x([0-9a-f]+)", d))
sys.exit(1 if key in blobs or key.hex() in d else 0)' "$S" "$T/dump.sql"
check "the TOTP secret's bytes are in no column" test $? = 0
check "e-mail and phone columns hold ciphertext" test "$(dba "$P" -c \
    "SELECT length(email) > 40 AND length(phone) > 30 FROM users
    WHERE name = 'alice'")" = t

# ---- an edit made with psql is vault_corrupt ------------------------------------
expect_exit 0 rd user show alice
dba "$P" -c "UPDATE users SET failures = 0, locked_until = 0 WHERE name =
    'alice'"
expect_exit 0 rd user show alice	# the same values: the MAC still holds
sav=$(dba "$P" -c "SELECT encode(used, 'hex') FROM backup_sets")
dba "$P" -c "UPDATE backup_sets SET used = decode(repeat('ff',
    length(used)), 'hex')"
expect_err vault_corrupt 3 rd user show alice
check "the error names the table" grep -q backup_sets "$OUT"
dba "$P" -c "UPDATE backup_sets SET used = decode('$sav', 'hex')"
expect_exit 0 rd user show alice
sav=$(dba "$P" -c "SELECT counter FROM methods WHERE name = 'app'")
dba "$P" -c "UPDATE methods SET counter = 0 WHERE name = 'app'"
expect_err vault_corrupt 3 rd login alice <<<"alice login pw"
dba "$P" -c "UPDATE methods SET counter = $sav WHERE name = 'app'"
expect_exit 0 rd user show alice
dba "$P" -c "UPDATE users SET email = (SELECT phone FROM users
    WHERE name = 'alice') WHERE name = 'alice'"
expect_err vault_corrupt 3 rd user show alice
check "a sealed value moved to another column does not open" \
    grep -q "does not open" "$OUT"
newdb "$P" && expect_exit 0 rd init --kdf test
dba "$P" -c "UPDATE meta SET i = i + 1 WHERE k = 'kdf_ops'"
expect_err vault_corrupt 3 rd user list
check "an edited header is found before the passphrase is tried" \
    grep -q "header" "$OUT"
newdb "$P" && expect_exit 0 rd init --kdf test
dba "$P" -c "DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)"
expect_err vault_corrupt 3 rd audit verify
expect_json error.ok false

# ---- backup --to: a file vault into the database and back ---------------------
FILE=$T/file.db
newdb "$P"
VAULT=$FILE expect_exit 0 rd init --kdf test
VAULT=$FILE add_user bob "bob pw"
VAULT=$FILE expect_exit 0 rd activate bob app
S2=$(otp_secret)
VAULT=$FILE expect_exit 0 rd confirm bob app "$(totp_at "$S2" "$(date +%s)")"
VAULT=$FILE expect_exit 0 rd key add --keyfile "$T/key"
VAULT=$FILE expect_exit 0 rd audit head
HEAD=$(jget head)
VAULT=$FILE expect_exit 0 rd backup --to "$VAULT"
expect_json database "$VAULT"
expect_exit 0 rd audit verify --head "$HEAD"
expect_json ok true
expect_exit 0 rd user show bob
expect_json methods.0.name app
nopass expect_exit 0 rd --keyfile "$T/key" user list
expect_json users.0.name bob
expect_exit 0 rd key list
expect_json slots.# 2
# A TOTP code the file vault accepted is refused in the copy too (replay).
T0=$(date +%s)
echo "bob pw" | expect_exit 0 rd login bob
TOK=$(jget ephemeral_token)
expect_exit 0 rd login-code "$TOK" "$(totp_at "$S2" $((T0 + 30)))"
VAULT=$FILE expect_err exists 1 rd backup --to "$VAULT"
check "a second copy into the same database is refused as not empty" \
    grep -q "not empty" "$OUT"
expect_exit 0 rd backup --to "$T/back.db"
VAULT=$T/back.db expect_exit 0 rd audit verify
expect_json ok true
check "the copy back is a file of mode 0600" \
    test "$(stat -c %a "$T/back.db")" = 600
VAULT=$T/back.db expect_exit 0 rd user show bob
expect_json methods.0.name app
# The code the database accepted stays spent in the copy back (replay).
echo "bob pw" | VAULT=$T/back.db expect_exit 0 rd login bob
TOK=$(jget ephemeral_token)
VAULT=$T/back.db expect_err invalid_code 1 rd login-code "$TOK" \
    "$(totp_at "$S2" $((T0 + 30)))"
expect_exit 0 rd audit list --action backup
expect_json entries.# 1
expect_err exists 1 rd backup --to "$T/back.db"
expect_err usage 2 rd backup "$VAULT"
expect_err usage 2 rd restore "$T/back.db"

# ---- a serialization conflict from outside: the step runs again ----------------
mkfifo "$T/psql.in"
dba "$P" <"$T/psql.in" >/dev/null 2>&1 &
holder=$!
exec 8>"$T/psql.in"
# The same values written back: a row lock and a new row version, no edit.
echo "BEGIN; UPDATE users SET name = name WHERE name = 'bob';" >&8
sleep 0.3
"$REDOUBT" --json --vault "$VAULT" user set bob --email bob@example.org \
    >"$T/set.out" 2>&1 &
setter=$!
waited=0
for ((k = 0; k < 100; k++)); do
	if [ "$(dba "$P" -c "SELECT count(*) FROM pg_stat_activity WHERE
	    datname = '$P' AND wait_event_type = 'Lock'")" -ge 1 ]; then
		waited=1
		break
	fi
	sleep 0.05
done
check "the step waits on the row psql holds" test $waited = 1
echo "COMMIT;" >&8
exec 8>&-
wait "$holder"
wait "$setter"
check "the step exits 0" test $? = 0
check "the step, failed by the server as a serialization conflict, ran again" \
    grep -q '"user":"bob"' "$T/set.out"
expect_exit 0 rd user show bob
expect_json email bob@example.org
expect_exit 0 rd audit list --action "user set"
expect_json entries.# 1
expect_exit 0 rd audit verify
expect_json ok true

# ---- the TUI follows another operator, asking nothing while it waits ----------
TUI_PASS=$REDOUBT_PASSPHRASE tui_start --vault "$VAULT"
wait_for "redoubt · Users"
wait_for "bob"
sleep 1.5
before=$(dba "$P" -c "SELECT state_change FROM pg_stat_activity WHERE
    datname = '$P' AND pid <> pg_backend_pid()")
sleep 1.5
after=$(dba "$P" -c "SELECT state_change FROM pg_stat_activity WHERE
    datname = '$P' AND pid <> pg_backend_pid()")
check "the TUI has one connection" test "$(echo "$before" | wc -l)" = 1
check "idle, the TUI sends the server no query (no polling)" \
    test -n "$before" -a "$before" = "$after"
rd user add carol >/dev/null
wait_for "carol" 3
rd user del carol >/dev/null
wait_gone "carol" 3
# A user's page too: another operator's change shows without a key.
keys Enter
wait_for "User bob"
wait_for "bob@example.org"
rd user set bob --email robert@example.org >/dev/null
wait_for "robert@example.org" 3
keys Escape q
finish
