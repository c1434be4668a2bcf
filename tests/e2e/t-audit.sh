#!/usr/bin/env bash
# t-audit.sh: the audit log's MAC chain catches changes made with sqlite3.
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

# tamper VAULT_COPY SQL: a copy of the vault changed with the sqlite3 CLI.
tamper() {
	rm -f "$T/t.db" "$T/t.db-wal" "$T/t.db-shm"
	cp "$VAULT" "$T/t.db"
	sqlite3 "$T/t.db" "$1"
}
verify_copy() {	# audit verify on the copy: exit 3, the reason on stderr
	VAULT=$T/t.db expect_exit 3 rdh audit verify
	check "verify: the message names a row" grep -Eq 'row [0-9]+' "$ERR"
}

# --- the detail of row 2 changed -------------------------------------------------
tamper "UPDATE audit SET detail='x' WHERE id=2"
check "sqlite3 changed row 2" \
    test "$(sqlite3 "$T/t.db" 'SELECT detail FROM audit WHERE id=2')" = x
verify_copy
check "the message names row 2" grep -Eq 'row 2\b' "$ERR"
VAULT=$T/t.db expect_err vault_corrupt 3 rd audit verify
check "JSON: the message names row 2" grep -Eq 'row 2\b' <(jget error.message)
# The vault still opens and works; the break stays visible after new rows.
VAULT=$T/t.db expect_exit 0 rd user add carol
VAULT=$T/t.db expect_exit 3 rdh audit verify
check "still row 2 after new rows were added" grep -Eq 'row 2\b' "$ERR"

# --- other changes ------------------------------------------------------------
tamper "UPDATE audit SET outcome='ok' WHERE user='bob' AND action='login'"
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
tamper "INSERT INTO audit (time, actor, user, action, outcome, detail, mac)
    SELECT time, actor, user, action, outcome, detail, mac FROM audit
    WHERE id=(SELECT max(id) FROM audit)"
verify_copy
tamper "UPDATE audit SET mac=(SELECT mac FROM audit WHERE id=2) WHERE id=3"
verify_copy

# The real vault was never touched.
expect_exit 0 rd audit verify
expect_json ok true

finish
