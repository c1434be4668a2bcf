#!/usr/bin/env bash
# t-lockout.sh: failed attempts lock the user; the lock lives in the vault.
. "$(dirname "$0")/lib.sh"

cat >"$T/lock.conf" <<'EOF'
[redoubt]
lockout_threshold = 3
lockout_seconds = 60
EOF
CONFIG=$T/lock.conf

new_vault
add_user lena "lena pw"
expect_exit 0 rd activate lena app
S=$(otp_secret)
T0=$(date +%s)
expect_exit 0 rd confirm lena app "$(totp_at "$S" "$T0")"
BC=$(jget backup_codes)
bc() { "$PY" -c 'import json,sys; print(json.loads(sys.argv[1])[int(sys.argv[2])])' "$BC" "$1"; }
GOOD=$(totp_at "$S" $((T0 + 30)))
BAD=$(printf '%06d' $(( (10#$GOOD + 500000) % 1000000 )))

audit_rows() {
	"$REDOUBT" --json --vault "$VAULT" --config "$CONFIG" audit list \
	    --limit 0 | "$PY" "$JSONPY" entries.#
}

# --- three wrong codes, each in its own process --------------------------------
echo "lena pw" | expect_exit 0 rd login lena
TOK=$(jget ephemeral_token)
for i in 1 2; do
	expect_err invalid_code 1 rd login-code "$TOK" "$BAD"
	expect_exit 0 rd user show lena
	expect_json failures $i
	expect_json locked false
done
expect_err invalid_code 1 rd login-code "$TOK" "$BAD"
expect_exit 0 rd user show lena
expect_json locked true
L=$(jget locked_for)
check "locked for 1..60 s (got $L)" test "$L" -ge 1 -a "$L" -le 60

# --- locked: even the right code is refused -------------------------------------
n0=$(audit_rows)
expect_err locked_out 1 rd login-code "$TOK" "$GOOD"
check "the refusal is in the audit log" test "$(audit_rows)" -gt "$n0"
expect_err locked_out 1 rd login-code "$TOK" "$(bc 0)"
echo "lena pw" | expect_err locked_out 1 rd login lena
echo "wrong pw" | expect_err locked_out 1 rd login lena
expect_err locked_out 1 rd backup-codes lena "$GOOD"
expect_err locked_out 1 rd activate lena email "$GOOD"
expect_exit 0 rd user show lena
expect_json backup_codes_left 10
expect_json methods.# 1

# The lock is in the vault: another process with another config (built-in
# defaults, threshold 5) still sees it.
CONFIG= expect_err locked_out 1 rd login-code "$TOK" "$GOOD"
CONFIG= expect_exit 0 rd user show lena
expect_json locked true
check "the user's row holds the lock" \
    test "$(vault_sql "SELECT count(*) FROM users WHERE locked_until > $(
        sql_of "CAST(strftime('%s', 'now') AS INTEGER)" \
        "CAST(extract(epoch FROM now()) AS BIGINT)")")" = 1

# --- unlock ---------------------------------------------------------------------
expect_exit 0 rd user unlock lena
expect_json locked false
expect_exit 0 rd user show lena
expect_json locked false
expect_json locked_for 0
expect_json failures 0
expect_exit 0 rd login-code "$TOK" "$GOOD"	# the right code was not spent
expect_json method_used app
expect_err not_found 1 rd user unlock nobody

# Failures are per user: another user is not affected.
add_user mark "mark pw"
echo "lena pw" | expect_exit 0 rd login lena
TOK=$(jget ephemeral_token)
for i in 1 2 3; do
	rd login-code "$TOK" "$BAD"
done
expect_exit 0 rd user show lena
expect_json locked true
echo "mark pw" | expect_exit 0 rd login mark
expect_json status ok
rd user unlock lena >/dev/null

# A success clears the count: 2 wrong, 1 right, 2 wrong: not locked.
echo "lena pw" | expect_exit 0 rd login lena
TOK=$(jget ephemeral_token)
rd login-code "$TOK" "$BAD"
rd login-code "$TOK" "$BAD"
expect_exit 0 rd login-code "$TOK" "$(bc 1)"
echo "lena pw" | expect_exit 0 rd login lena
TOK=$(jget ephemeral_token)
rd login-code "$TOK" "$BAD"
rd login-code "$TOK" "$BAD"
expect_exit 0 rd user show lena
expect_json locked false
expect_json failures 2
rd user unlock lena >/dev/null

# Wrong passwords count too.
for i in 1 2 3; do
	echo "wrong pw" | expect_err bad_credentials 1 rd login lena
done
echo "lena pw" | expect_err locked_out 1 rd login lena
rd user unlock lena >/dev/null
echo "lena pw" | expect_exit 0 rd login lena
expect_json status mfa_required

# --- each further lock doubles (lockout_seconds = 2) ----------------------------
cat >"$T/short.conf" <<'EOF'
[redoubt]
lockout_threshold = 2
lockout_seconds = 2
EOF
CONFIG=$T/short.conf
add_user nina "nina pw"
# The length of nina's newest lock, from the audit row "locked for N s"
# (exact, whatever the machine's speed).
last_lock() {
	"$REDOUBT" --json --vault "$VAULT" audit list --limit 0 | "$PY" -c '
import json, re, sys
d = [e["detail"] for e in json.load(sys.stdin)["entries"]
     if e["action"] == "lock" and e["user"] == "nina"]
print(re.search(r"\d+", d[-1]).group() if d else "none")'
}
lock_nina() {
	echo "bad" | rd login nina
	echo "bad" | rd login nina
	rd user show nina
}
wait_unlocked() {	# poll, at most ~10 s
	local k
	for ((k = 0; k < 100; k++)); do
		rd user show nina
		[ "$(jget locked)" = false ] && return 0
		sleep 0.1
	done
	return 1
}
lock_nina
expect_json locked true
check "first lock: 2 s (got $(last_lock))" test "$(last_lock)" = 2
check "the first lock ends by itself" wait_unlocked
echo "nina pw" | expect_exit 0 rd login nina	# and clears the doubling
lock_nina
check "after a success: 2 s again (got $(last_lock))" test "$(last_lock)" = 2
check "that lock ends by itself" wait_unlocked
lock_nina
check "a second lock in a row doubles: 4 s (got $(last_lock))" \
    test "$(last_lock)" = 4
L=$(jget locked_for)
check "user show agrees: locked for 1..4 s (got $L)" test "$L" -ge 1 -a "$L" -le 4
expect_exit 0 rd user unlock nina
lock_nina
check "unlock resets the doubling: 2 s (got $(last_lock))" \
    test "$(last_lock)" = 2

# --- the audit log records the locks ---------------------------------------------
expect_exit 0 rd audit list --limit 0
check "audit has 'lock' rows" grep -q '"action":"lock","outcome":"locked"' "$OUT"
check "audit has 'user unlock' rows" grep -q '"action":"user unlock"' "$OUT"
expect_exit 0 rd audit verify
expect_json ok true

finish
