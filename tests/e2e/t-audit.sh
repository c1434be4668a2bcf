#!/usr/bin/env bash
# t-audit.sh: an audit log an operator can use: every row names the
# operator, `audit list` filters by user, action and time (against the
# clock, in local time); and its MAC chain catches changes made with
# sqlite3.
. "$(dirname "$0")/lib.sh"

new_vault
add_user alice "alice pw" --email alice@example.com
add_user bob "bob pw"
rd activate alice email >/dev/null
rd confirm alice email "$(outbox_code email)" >/dev/null
echo "wrong" | rd login bob
expect_exit 0 rd user set bob --inactive

expect_exit 0 rd audit verify
expect_json ok true
ROWS=$(jget rows)
check "audit verify counts the rows (got $ROWS)" test "$ROWS" -ge 8
expect_exit 0 rdh audit verify
expect_exit 0 rd audit list --limit 0
expect_json entries.# "$ROWS"
expect_json entries.0.action init
check "audit list: entries have id, time, actor, user, action, outcome, detail" \
    "$PY" -c 'import json,sys
e = json.load(sys.stdin)["entries"]
sys.exit(not all(sorted(x) == ["action", "actor", "detail", "id", "outcome",
    "time", "user"] for x in e))' <"$OUT"
check "audit list: the failed login is there" \
    grep -q '"user":"bob","action":"login","outcome":"failure"' "$OUT"
check "audit list: no e-mail address in the log" not_grep alice@example.com "$OUT"
expect_exit 0 rd audit list --limit 2
expect_json entries.# 2
expect_err usage 2 rd audit frobnicate

# --- every row names its operator ------------------------------------------------
ME=$(id -un)
expect_exit 0 rd audit list --limit 0
check "every row so far names the login name, cli:$ME" "$PY" -c 'import json,sys
e = json.load(sys.stdin)["entries"]
sys.exit(not e or any(x["actor"] != "cli:" + sys.argv[1] for x in e))' "$ME" <"$OUT"
REDOUBT_OPERATOR=ewa expect_exit 0 rd user add olga
expect_exit 0 rd --operator jan user unlock olga
REDOUBT_OPERATOR=ewa expect_exit 0 rd --operator=kim user set olga --inactive
expect_exit 0 rd audit list --user olga
expect_json entries.# 3
expect_json entries.0.actor cli:ewa
expect_json entries.1.actor cli:jan
expect_json entries.2.actor cli:kim
expect_exit 0 rd --operator "$(printf 'w\xc3\xb3jt')" user unlock olga
expect_exit 0 rd audit list --user olga --limit 1
expect_json entries.0.actor "cli:$(printf 'w\xc3\xb3jt')"
ROWS=$((ROWS + 4))
# Names that cannot go into the log are usage errors; nothing is written.
expect_err usage 2 rd --operator "" user unlock olga
check "an empty --operator is named" grep -q -- '--operator: the operator.s name is empty' <(jget error.message)
expect_err usage 2 rd --operator "$(printf 'eve\033[2J')" user unlock olga
check "a control character is refused and not echoed" \
    grep -q 'without spaces, control characters' <(jget error.message)
check_not "the escape is not in the message" grep -q $'\033' "$OUT"
expect_err usage 2 rd --operator "$(printf '%065d' 7)" user unlock olga
check "an over-long name says the limit" grep -q 'longer than 64 bytes' <(jget error.message)
expect_err usage 2 rd --operator "two words" user unlock olga
REDOUBT_OPERATOR= expect_err usage 2 rd user unlock olga
check "an empty \$REDOUBT_OPERATOR is named" grep -q 'REDOUBT_OPERATOR: the operator.s name is empty' <(jget error.message)
REDOUBT_OPERATOR=$'eve\tx' expect_exit 2 rdh user unlock olga
check "human: the error names \$REDOUBT_OPERATOR" grep -q 'REDOUBT_OPERATOR' "$ERR"
expect_exit 2 rdh --operator
expect_exit 0 rd audit verify
expect_json rows "$ROWS"

# --- audit list filters: user, action, time, combined --------------------------
expect_exit 0 rd audit list --user bob
check "--user bob: only bob's rows" "$PY" -c 'import json,sys
e = json.load(sys.stdin)["entries"]
sys.exit(len(e) < 3 or any(x["user"] != "bob" for x in e))' <"$OUT"
expect_exit 0 rd audit list --action login
expect_json entries.# 1
expect_json entries.0.user bob
expect_exit 0 rd audit list --action "user add" --user bob
expect_json entries.# 1
expect_exit 0 rd audit list --action "user add" --user bob --limit 5 --since 1h
expect_json entries.# 1
expect_exit 0 rd audit list --user "bob' OR 'x'='x"
expect_json entries.# 0
expect_exit 0 rd audit list --action "user set" --limit 1
expect_json entries.0.user olga
# Ages count back from the clock (libfaketime moves it two hours on).
expect_exit 0 rd audit list --since 1h --limit 0
expect_json entries.# "$ROWS"
later 7200 expect_exit 0 rd audit list --since 1h
expect_json entries.# 0
later 7200 expect_exit 0 rd audit list --since 3h --user olga
expect_json entries.# 4
# Dates and times are local ($TZ): a minute before the first row, written
# in Kolkata (UTC+5:30), finds every row there, and none when read as UTC.
expect_exit 0 rd audit list --limit 0
FIRST=$(jget entries.0.time)
IST=$(TZ=Asia/Kolkata date -d "@$((FIRST - 60))" '+%Y-%m-%d %H:%M')
TZ=Asia/Kolkata expect_exit 0 rd audit list --since "$IST" --limit 0
expect_json entries.# "$ROWS"
TZ=Asia/Kolkata expect_exit 0 rd audit list --since "${IST/ /T}:00" --limit 0
expect_json entries.# "$ROWS"
TZ=UTC expect_exit 0 rd audit list --since "$IST"
expect_json entries.# 0
LATE=$(TZ=Asia/Kolkata date -d "@$((FIRST + 86400))" '+%Y-%m-%d')
TZ=Asia/Kolkata expect_exit 0 rd audit list --since "$LATE"
expect_json entries.# 0
# A T that is none of the forms: a usage error naming it and the forms.
for bad in yesterday 2026-02-30 "2026-11-29 25:00" 7x -2h "2026/11/29"; do
	expect_err usage 2 rd audit list --since "$bad"
	check "--since '$bad': the message names it and the forms" \
	    grep -qF -- "--since: '$bad' is not a time: give a local date" <(jget error.message)
done
expect_exit 2 rdh audit list --since soon
check "human: the forms on stderr" grep -q '30m, 2h, 7d' "$ERR"
expect_exit 0 rdh audit list --user olga --action "user set"
check "human: the row is printed" grep -q 'user set' "$OUT"

# tamper SQL: a copy of the vault at $TV changed with the sqlite3 CLI (psql
# in PG mode, where "user" is quoted as SQLite also takes it).
TV=$(vault_of t)
tamper() {
	vault_save t
	VAULT=$TV vault_sql "$1" >/dev/null
}
verify_copy() {	# audit verify --full on the copy: exit 3, the reason on stderr
	VAULT=$TV expect_exit 3 rdh audit verify --full
	check "verify: the message names a row" grep -Eq 'row [0-9]+' "$ERR"
}

# --- the detail of row 2 changed -------------------------------------------------
tamper "UPDATE audit SET detail='x' WHERE id=2"
check "sqlite3 changed row 2" \
    test "$(VAULT=$TV vault_sql 'SELECT detail FROM audit WHERE id=2')" = x
verify_copy
check "the message names row 2" grep -Eq 'row 2\b' "$ERR"
VAULT=$TV expect_err vault_corrupt 3 rd audit verify --full
check "JSON: the message names row 2" grep -Eq 'row 2\b' <(jget error.message)
# The vault still opens and works; the break stays visible after new rows.
VAULT=$TV expect_exit 0 rd user add carol
VAULT=$TV expect_exit 3 rdh audit verify --full
check "still row 2 after new rows were added" grep -Eq 'row 2\b' "$ERR"

# --- other changes ------------------------------------------------------------
tamper "UPDATE audit SET outcome='ok' WHERE \"user\"='bob' AND action='login'"
verify_copy
tamper "UPDATE audit SET time=time-3600 WHERE id=3"
verify_copy
check "a changed time names row 3" grep -Eq 'row 3\b' "$ERR"
tamper "DELETE FROM audit WHERE id=3"
verify_copy
check "a deleted row 3 is named (row 3 or 4)" grep -Eq 'row (3|4)\b' "$ERR"
tamper "DELETE FROM audit WHERE id=(SELECT max(id) FROM audit)"
verify_copy
tamper "DELETE FROM audit"
verify_copy
# (The next id given: PostgreSQL's identity does not follow ids given.)
tamper "INSERT INTO audit (id, time, actor, \"user\", action, outcome, detail, mac)
    SELECT id + 1, time, actor, \"user\", action, outcome, detail, mac FROM audit
    WHERE id=(SELECT max(id) FROM audit)"
verify_copy
tamper "UPDATE audit SET mac=(SELECT mac FROM audit WHERE id=2) WHERE id=3"
verify_copy

# --- incremental verify: from the head sealed by the last good check -----------
expect_exit 0 rd audit verify --full
expect_json full true
ALL=$(jget rows)
expect_json checked "$ALL"
expect_exit 0 rd audit verify
expect_json full false
expect_json checked 0
expect_json rows "$ALL"
OLDSEAL=$(vault_sql "$(sql_of "SELECT hex(v) FROM meta WHERE k='audit_verified'" \
    "SELECT upper(encode(b, 'hex')) FROM meta WHERE k='audit_verified'")")
check "the verified head is sealed in the vault (80 bytes)" test ${#OLDSEAL} = 160
expect_exit 0 rd user add dora
expect_exit 0 rd user add erin
expect_exit 0 rd audit verify
expect_json checked 2
expect_json full false
expect_json rows $((ALL + 2))
# An edit of an older row's fields is what only --full walks to.
tamper "UPDATE audit SET detail='x' WHERE id=2"
VAULT=$TV expect_err vault_corrupt 3 rd audit verify --full
check "--full names row 2" grep -Eq 'row 2\b' <(jget error.message)
# A row written after the head and edited: the daily check catches it.
tamper "UPDATE meta SET k = k WHERE 1 = 0"
VAULT=$TV expect_exit 0 rd user add fred
VAULT=$TV vault_sql "UPDATE audit SET detail='x' WHERE id=(SELECT max(id) FROM audit)"
VAULT=$TV expect_err vault_corrupt 3 rd audit verify
check "the new row is named" grep -Eq "row $((ALL + 3))\b" <(jget error.message)
# A row before the head deleted or added: --full.  Cut through the head or
# its row's MAC replaced: the file no longer matches the sealed head.
tamper "DELETE FROM audit WHERE id=3"
VAULT=$TV expect_err vault_corrupt 3 rd audit verify --full
tamper "INSERT INTO audit (id, time, actor, \"user\", action, outcome, detail, mac)
    SELECT -1, time, actor, \"user\", action, outcome, detail, mac FROM audit
    WHERE id=2"
VAULT=$TV expect_err vault_corrupt 3 rd audit verify --full
tamper "DELETE FROM audit WHERE id >= $((ALL + 1))"
VAULT=$TV expect_err vault_corrupt 3 rd audit verify
tamper "UPDATE audit SET mac=(SELECT mac FROM audit WHERE id=2)
    WHERE id=(SELECT max(id) FROM audit)"
VAULT=$TV expect_err vault_corrupt 3 rd audit verify
# The sealed head itself: edited bytes fail (after a full walk); deleted,
# the check walks every row; an older one walks from there.
tamper "$(sql_of "UPDATE meta SET v = x'ff' || substr(v, 2) WHERE k='audit_verified'" \
    "UPDATE meta SET b = '\\xff'::bytea || substr(b, 2) WHERE k='audit_verified'")"
VAULT=$TV expect_err vault_corrupt 3 rd audit verify
check "an edited head is named" grep -q 'verified audit head' <(jget error.message)
VAULT=$TV expect_exit 3 rdh audit verify
check "human: the edited head on stderr" grep -q 'verified audit head' "$ERR"
VAULT=$TV expect_exit 0 rd audit verify --full
VAULT=$TV expect_exit 0 rd audit verify
expect_json checked 0
tamper "$(sql_of "UPDATE meta SET v = randomblob(80) WHERE k='audit_verified'" \
    "UPDATE meta SET b = decode(md5(random()::text) || repeat(md5(random()::text), 4), 'hex')
     WHERE k='audit_verified'")"
VAULT=$TV expect_err vault_corrupt 3 rd audit verify
tamper "DELETE FROM meta WHERE k='audit_verified'"
VAULT=$TV expect_exit 0 rd audit verify
expect_json full true
tamper "$(sql_of "UPDATE meta SET v = x'$OLDSEAL' WHERE k='audit_verified'" \
    "UPDATE meta SET b = decode('$OLDSEAL', 'hex') WHERE k='audit_verified'")"
VAULT=$TV expect_exit 0 rd audit verify
expect_json checked 2
# An older head put back to hide an edit made after it: walked and caught.
tamper "$(sql_of "UPDATE meta SET v = x'$OLDSEAL' WHERE k='audit_verified'" \
    "UPDATE meta SET b = decode('$OLDSEAL', 'hex') WHERE k='audit_verified'");
    UPDATE audit SET detail='x' WHERE id=$((ALL + 1))"
VAULT=$TV expect_err vault_corrupt 3 rd audit verify
check "the edited row after the older head is named" \
    grep -Eq "row $((ALL + 1))\b" <(jget error.message)
# A head sealed in another vault (another key) fails its tag.
OTHER=$(vault_of other)
vault_blank other
VAULT=$OTHER rd init --kdf test >/dev/null
VAULT=$OTHER rd user add zed >/dev/null
VAULT=$OTHER rd audit verify >/dev/null
FOREIGN=$(VAULT=$OTHER vault_sql "$(sql_of "SELECT hex(v) FROM meta WHERE k='audit_verified'" \
    "SELECT upper(encode(b, 'hex')) FROM meta WHERE k='audit_verified'")")
tamper "$(sql_of "UPDATE meta SET v = x'$FOREIGN' WHERE k='audit_verified'" \
    "UPDATE meta SET b = decode('$FOREIGN', 'hex') WHERE k='audit_verified'")"
VAULT=$TV expect_err vault_corrupt 3 rd audit verify
# --head older than the sealed head is answered from the rows walked before.
expect_exit 0 rd audit head
H=$(jget head)
expect_exit 0 rd user add gil
expect_exit 0 rd audit verify
expect_exit 0 rd audit verify --head "$H"
expect_json checked 0
expect_err vault_corrupt 3 rd audit verify --head "1-0123456789abcdef0123456789abcdef"

# The real vault was never touched.
expect_exit 0 rd audit verify --full
expect_json ok true

finish
