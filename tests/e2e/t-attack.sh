#!/usr/bin/env bash
# t-attack.sh: the holes of issue 8 (H1-H15), each attacked as an outsider
# would: the sqlite3 shell on the vault file (psql on the database in PG
# mode) without the key, parallel processes, hostile names, configs and
# input.  Each check failed on the
# build before the fix.
. "$(dirname "$0")/lib.sh"

new_vault
add_user alice "alice pw" --email alice@example.com --phone +15551234567
add_user bob "bob pw" --email bob@example.com
expect_exit 0 rd activate bob app
BS=$(otp_secret)
expect_exit 0 rd confirm bob app "$(totp_at "$BS" "$(date +%s)")"
expect_exit 0 rd activate alice email
expect_exit 0 rd confirm alice email "$(outbox_code email)"
vault_save base

# tamper SQL CMD...: on a fresh copy of the base vault, SQL with the sqlite3
# shell or psql (no key), then CMD must answer vault_corrupt naming a table.
tamper() {
	local sql=$1
	shift
	vault_load base
	vault_sql "$sql" >/dev/null || fail "the SQL shell refused: $sql"
	"$@"
	check "'$sql': vault_corrupt (got $(jget error.code))" \
	    test "$(jget error.code)" = vault_corrupt
	check "'$sql': exit 3" test "$RC" = 3
	check "'$sql': the message names what" \
	    grep -Eq 'users|methods|backup_(codes|sets)|pending_codes|tokens|header|audit' \
	    <(jget error.message)
}

# --- H5: rows re-bound, reset or deleted without the key --------------------
tamper "UPDATE methods SET user_id = 1 WHERE user_id = 2" rd methods alice
echo "alice pw" | tamper "UPDATE methods SET user_id = 1 WHERE user_id = 2" \
    rd login alice
echo "bob pw" | tamper "UPDATE users SET pwhash = (SELECT pwhash FROM users
    WHERE name = 'alice') WHERE name = 'bob'" rd login bob
echo "bob pw" | tamper "DELETE FROM methods WHERE user_id = 2" rd login bob
echo "bob pw" | tamper "UPDATE methods SET counter = 0" rd login bob
echo "alice pw" | tamper "UPDATE methods SET last_sent = 1" rd login alice
tamper "UPDATE users SET failures = 3 WHERE name = 'bob'" rd user show bob
tamper "UPDATE users SET locked_until = 0, failures = 0, lock_count = 7" \
    rd user show alice
tamper "UPDATE users SET active = 0 WHERE name = 'alice'" rd user show alice
tamper "UPDATE methods SET is_primary = 0" rd methods bob

# fresh: the base vault again, untouched.
fresh() {
	vault_load base
}

# A used backup code made unused again does not pass.
fresh
expect_exit 0 rd backup-codes bob "$(totp_at "$BS" $(( $(date +%s) + 30 )))"
B0=$(jget backup_codes.0)
echo "bob pw" | rd login bob
TOK=$(jget ephemeral_token)
expect_exit 0 rd login-code "$TOK" "$B0"
vault_sql "$(sql_of "UPDATE backup_sets SET used = zeroblob(length(used))" \
    "UPDATE backup_sets SET used = decode(repeat('00', length(used)), 'hex')")"
echo "bob pw" | rd login bob
TOK=$(jget ephemeral_token)
expect_err vault_corrupt 3 rd login-code "$TOK" "$B0"
# A pending code's attempts reset, a token's expiry moved.
fresh
later 60 expect_exit 0 rd request-code alice email
vault_sql "UPDATE pending_codes SET attempts = 99" >/dev/null
later 60 expect_err vault_corrupt 3 rd deactivate alice email 000000
echo "bob pw" | rd login bob
TOK=$(jget ephemeral_token)
vault_sql "UPDATE tokens SET expires = expires + 86400" >/dev/null
expect_err vault_corrupt 3 rd login-code "$TOK" 000000

# --- H14: the header is bound to the master key -----------------------------
# (PostgreSQL's header is meta(k, i, b); md5 makes 16 random bytes.)
tamper "$(sql_of "UPDATE meta SET v = 1 WHERE k = 'kdf'" \
    "UPDATE meta SET i = 1 WHERE k = 'kdf'")" rd user list
tamper "$(sql_of "UPDATE meta SET v = 0 WHERE k = 'format'" \
    "UPDATE meta SET i = 0 WHERE k = 'format'")" rd user list
tamper "$(sql_of "UPDATE meta SET v = v + 1 WHERE k = 'kdf_ops'" \
    "UPDATE meta SET i = i + 1 WHERE k = 'kdf_ops'")" rd user list
tamper "$(sql_of "UPDATE meta SET v = randomblob(16) WHERE k = 'kdf_salt'" \
    "UPDATE meta SET b = decode(md5(random()::text), 'hex')
     WHERE k = 'kdf_salt'")" rd user list
tamper "DELETE FROM meta WHERE k = 'header_sum'" rd user list
tamper "$(sql_of "UPDATE meta SET v = randomblob(32) WHERE k = 'header_mac'" \
    "UPDATE meta SET b = decode(md5(random()::text) || md5(random()::text),
     'hex') WHERE k = 'header_mac'")" rd user list
tamper "DELETE FROM meta WHERE k = 'header_mac'" rd user list

# --- H6: a rollback of the whole file against a recorded head -------------
fresh
expect_exit 0 rd audit head
HEAD=$(jget head)
check "audit head is ROWS-HEX" grep -Eq '^[0-9]+-[0-9a-f]{32}$' <<<"$HEAD"
expect_exit 0 rdh audit head
check "audit head: the digest is the last word" \
    test "$(awk '{ w = $NF } END { print w }' "$OUT")" = "$HEAD"
expect_exit 0 rd user add carol
expect_exit 0 rd audit verify --head "$HEAD"
expect_exit 0 rd audit head
HEAD2=$(jget head)
fresh					# the older copy, put back
expect_exit 0 rd audit verify		# alone it looks whole
expect_err vault_corrupt 3 rd audit verify --head "$HEAD2"
expect_err usage 2 rd audit verify --head nonsense

# --- H4: a name that is no user behaves as a user does ---------------------
fresh
expect_exit 0 rd audit list --limit 0
SINCE=$(jget entries.# )
for i in 1 2 3 4 5; do
	echo wrong | rd login alice
	A=$(jget error.code):$(jget error.message | sed 's/alice/NAME/')
	echo wrong | rd login ghost
	G=$(jget error.code):$(jget error.message | sed 's/ghost/NAME/')
	check "wrong password $i: the same answer for a user and a ghost" \
	    test "$A" = "$G"
done
echo "alice pw" | rd login alice
# How long is left may differ by the second that passes between the two.
A=$(jget error.code):$(jget error.message | sed 's/alice/NAME/;s/[0-9]* more/N more/;s/another .* after/another T after/')
echo "anything" | rd login ghost
G=$(jget error.code):$(jget error.message | sed 's/ghost/NAME/;s/[0-9]* more/N more/;s/another .* after/another T after/')
check "locked: the same answer for a user and a ghost ($G)" test "$A" = "$G"
check "locked: locked_out" grep -q '^locked_out:' <<<"$A"
rdh audit list --limit 0 >/dev/null
expect_exit 0 rd audit list --limit 0
"$PY" - "$OUT" "$SINCE" <<'PY' >"$T/shapes"
import json, sys
rows = json.load(open(sys.argv[1]))["entries"][int(sys.argv[2]):]
def shape(u):
    return [(r["action"], r["outcome"], r["detail"]) for r in rows
            if r["user"] == u]
print(shape("alice") == shape("ghost"), len(shape("ghost")))
PY
check "the audit log has the same rows for a user and a ghost" \
    grep -q '^True [1-9]' "$T/shapes"

# --- H3: backup code alphabets that cannot work -----------------------------
for a in ABCDEFGH a "" aab; do
	printf '[redoubt]\nbackup_codes_characters = %s\n' "$a" >"$T/alpha.conf"
	CONFIG=$T/alpha.conf expect_err config 5 rd config --check
	check "alphabet '$a': the key is named" \
	    grep -q backup_codes_characters <(jget error.message)
done

# --- H10: credentials only over TLS, answers only signed --------------------
cat >"$T/tls.conf" <<'EOF'
[method.m]
handler = email
smtp_url = smtp://127.0.0.1:1
from = a@example.com
smtp_user = u
smtp_password = p
starttls = optional
EOF
CONFIG=$T/tls.conf expect_err config 5 rd config --check
check "starttls = optional with smtp_user: starttls is named" \
    grep -q 'starttls' <(jget error.message)
printf '[method.yc]\nhandler = yubicloud\nclient_id = 87\n' >"$T/yc.conf"
CONFIG=$T/yc.conf expect_err config 5 rd config --check
check "yubicloud without api_key: api_key is named" \
    grep -q 'api_key is missing' <(jget error.message)

# --- H11: a secret from env: never shows in an error ------------------------
printf '[method.m]\nhandler = email\nsmtp_url = smtp://x\nfrom = a@b.c\nstarttls = env:RD_ATTACK_S\n' \
    >"$T/env.conf"
RD_ATTACK_S=hunter2-secret CONFIG=$T/env.conf expect_err config 5 rd config --check
not_grep hunter2-secret "$OUT"
not_grep hunter2-secret "$ERR"

# --- H12: names and output -----------------------------------------------
expect_err usage 2 rd user add "$(printf 'm\xc2\x9b2J')"
expect_err usage 2 rd user add "$(printf 'bad\xffname')"
expect_err usage 2 rd user add "$(printf 'tab\tname')"
expect_exit 0 rd user add "$(printf 'zo\xc3\xab')"
expect_err not_found 1 rd user show "$(printf 'x\xff\xfe')"
check "--json output is valid UTF-8 even for a bad name" \
    "$PY" -c 'import sys; open(sys.argv[1], encoding="utf-8", errors="strict").read()' "$OUT"
rdh user show "$(printf 'x\xc2\x9b[2J')"
check "human output never prints a C1 control" \
    not_grep "$(printf '\xc2\x9b')" "$ERR"

# --- H13: over-long and NUL input refused, never cut -------------------------
LONG=$(head -c 1500 /dev/zero | tr '\0' x)
REDOUBT_PASSPHRASE=$LONG expect_err usage 2 rd user list
printf 'pw\0tail\n' >"$T/nul.pass"
nopass expect_err usage 2 rd --passphrase-file "$T/nul.pass" user list
printf 'abc\0def\n' | expect_err usage 2 rd user add nulpw --password-stdin
expect_err not_found 1 rd user show nulpw

# --- H15: tokens and dashes -------------------------------------------------
dash=0
for i in $(seq 1 40); do
	echo "bob pw" | rd login bob
	case $(jget ephemeral_token) in -*|_*) dash=1 ;; esac
done
check "no token begins with - or _ (40 logins)" test $dash = 0
echo "bob pw" | rd login bob
TOK=$(jget ephemeral_token)
expect_exit 0 rd login-code -- "$TOK" "$(totp_at "$BS" $(( $(date +%s) + 30 )))"
raw() { "$REDOUBT" "$@" >"$OUT" 2>"$ERR"; RC=$?; return $RC; }
expect_exit 0 raw --json --vault "$VAULT" -- user show bob

# --- H14: the config must be a regular file ---------------------------------
CONFIG=$T expect_err config 5 rd config --check
mkfifo "$T/fifo.conf"
# A FIFO with no writer: refused at once, not waited on.
raw_to() { timeout 5 "$REDOUBT" "$@" >"$OUT" 2>"$ERR"; RC=$?; return $RC; }
expect_err config 5 raw_to --json --config "$T/fifo.conf" config --check
CONFIG= expect_err config 5 rd --config /dev/zero config --check

# --- H9: a locked user gets no code from any path ---------------------------
fresh
echo "alice pw" | rd login alice
TOK=$(jget ephemeral_token)
for i in 1 2 3 4 5; do rd login-code "$TOK" 000000; done
n=$(outbox_count email)
expect_err locked_out 1 rd request-code --token "$TOK" email
expect_err locked_out 1 rd request-code alice email
check "locked: nothing sent" test "$(outbox_count email)" = "$n"

# --- H8: every channel code has its own attempt cap --------------------------
fresh
printf '[redoubt]\ncode_attempts = 3\nlockout_threshold = 100\nresend_cooldown = 0\n' \
    >"$T/h8.conf"
CONFIG=$T/h8.conf rd request-code alice email
CONFIG=$T/h8.conf expect_exit 0 rd activate alice sms "$(outbox_code email)"
CONFIG=$T/h8.conf expect_exit 0 rd confirm alice sms "$(outbox_code sms)"
echo "alice pw" | CONFIG=$T/h8.conf rd login alice
TOK=$(jget ephemeral_token)
CONFIG=$T/h8.conf expect_exit 0 rd request-code --token "$TOK" sms
SMS=$(outbox_code sms)
for i in $(seq 1 40); do
	CONFIG=$T/h8.conf rd login-code "$TOK" "$(printf '%06d' $(( (10#$SMS + i) % 1000000 )))"
done
CONFIG=$T/h8.conf expect_err invalid_code 1 rd login-code "$TOK" "$SMS"
check "H8: after 40 wrong guesses the SMS code (not primary) is dead" \
    grep -q invalid_code "$OUT"

# --- H5: a vault of version 1 (made by the build before) is migrated --------
# (A file of an old schema: the SQLite store only.)
if store_file; then
	FIX=$E2E_TOP/tests/fixtures
	rm -f "$VAULT" "$VAULT-wal" "$VAULT-shm"
	cp "$FIX/vault-v1.db" "$VAULT" && chmod 600 "$VAULT"
	export REDOUBT_PASSPHRASE=fixture-pass
	check "the fixture is schema 1" test "$(sqlite3 "$VAULT" 'PRAGMA user_version')" = 1
	expect_exit 0 rd audit verify
	check "migrated to the newest schema (6)" test "$(sqlite3 "$VAULT" 'PRAGMA user_version')" = 6
	check "every e-mail and phone has its index" test "$(sqlite3 "$VAULT" "SELECT
	    count(*) FROM users WHERE (email IS NULL) != (email_ix IS NULL)
	    OR (phone IS NULL) != (phone_ix IS NULL)")" = 0
	check "no row without its MAC" test "$(sqlite3 "$VAULT" "SELECT
	    (SELECT count(*) FROM users WHERE mac IS NULL) +
	    (SELECT count(*) FROM methods WHERE mac IS NULL) +
	    (SELECT count(*) FROM backup_sets WHERE mac IS NULL) +
	    (SELECT count(*) FROM pending_codes WHERE mac IS NULL)")" = 0
	expect_exit 0 rd user show bob
	expect_json failures 2		# the lock moved into the user's row
	expect_json email bob@example.com
	expect_exit 0 rd user list --search BOB@example.com
	expect_json matches.0.name bob
	expect_exit 0 rd outbox list
	expect_json messages.# 1
	echo "alice-pw" | expect_exit 0 rd login alice
	expect_exit 0 rd login-code "$(jget ephemeral_token)" "$(head -1 "$FIX/vault-v1.backup")"
	expect_json method_used backup_codes
	# Folded into one set by schema 5: spent once, the rest still good.
	echo "alice-pw" | expect_exit 0 rd login alice
	expect_err invalid_code 1 rd login-code "$(jget ephemeral_token)" "$(head -1 "$FIX/vault-v1.backup")"
	check "the spent fixture code is named as spent" grep -q 'already used' <(jget error.message)
	echo "alice-pw" | expect_exit 0 rd login alice
	expect_exit 0 rd login-code "$(jget ephemeral_token)" "$(sed -n 10p "$FIX/vault-v1.backup")"
	check "no backup_codes table left" test "$(sqlite3 "$VAULT" "SELECT count(*)
	    FROM sqlite_schema WHERE name = 'backup_codes'")" = 0
	sqlite3 "$VAULT" "UPDATE methods SET user_id = 2 WHERE user_id = 1"
	expect_err vault_corrupt 3 rd methods bob
	export REDOUBT_PASSPHRASE="e2e passphrase"
fi

# --- H2: no core, not dumpable ------------------------------------------------
# (The vault: a copy of the base file that nobody owns, or the database.)
vault_load base
NBV=$VAULT NBPAT=$E2E_DB	# (pgrep -f takes a regex: not the URI's ?)
if store_file; then
	mkdir -p "$T/nb" && chmod 755 "$T"
	cp "$VAULT" "$T/nb/v.db" && chown -R nobody "$T/nb" 2>/dev/null
	NBV=$T/nb/v.db NBPAT=$T/nb/v.db
fi
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	(sleep 4 | setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    env REDOUBT_PASSPHRASE="e2e passphrase" "$REDOUBT" --vault \
	    "$NBV" login alice >/dev/null 2>&1) &
	sleep 1
	pid=$(pgrep -u nobody -f "$NBPAT" | head -1)
	check "a running command is found ($pid)" test -n "$pid"
	check "RLIMIT_CORE is 0" grep -Eq '^Max core file size +0 +0 ' \
	    "/proc/$pid/limits"
	check "not dumpable: /proc/PID belongs to root, not to nobody" \
	    test "$(stat -c %u "/proc/$pid/status")" = 0
	wait
else
	fail "H2 needs root and setpriv to run a command as nobody"
fi

finish
