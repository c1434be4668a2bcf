#!/usr/bin/env bash
# t-concurrency.sh: several redoubt processes on one vault at once.  A code
# is accepted once even when raced; writers wait for each other; a vault
# held too long is vault_busy; the audit chain survives it all.
. "$(dirname "$0")/lib.sh"

new_vault
N=8

# --- parallel writers: all succeed (busy timeout), nothing lost ------------
for i in $(seq 1 $N); do
	"$REDOUBT" --json --vault "$VAULT" user add "par$i" \
	    >"$T/add$i.out" 2>&1 &
done
wait
ok=0
for i in $(seq 1 $N); do
	grep -q '"user":"par'"$i"'"' "$T/add$i.out" && ok=$((ok + 1))
done
check "$N parallel user adds all succeed (got $ok)" test "$ok" = $N
expect_exit 0 rd user list --prefix par
expect_json users.# $N

# race LABEL CODE: $N logins, then $N parallel login-code with CODE;
# exactly one may succeed.
race() {
	local label=$1 code=$2 i toks=() wins=0 crashes=0 rc
	for i in $(seq 1 $N); do
		echo "rita pw" | rd login rita
		toks[i]=$(jget ephemeral_token)
	done
	for i in $(seq 1 $N); do
		(
			"$REDOUBT" --json --vault "$VAULT" login-code \
			    "${toks[i]}" "$code" >"$T/race$i.out" 2>&1
			echo $? >"$T/race$i.rc"
		) &
	done
	wait
	for i in $(seq 1 $N); do
		rc=$(cat "$T/race$i.rc")
		[ "$rc" = 0 ] && wins=$((wins + 1))
		[ "$rc" -ge 128 ] && crashes=$((crashes + 1))
	done
	check "$label: exactly one of $N racing logins wins (got $wins)" \
	    test "$wins" = 1
	check "$label: no crash" test "$crashes" = 0
	rd user unlock rita >/dev/null
}

add_user rita "rita pw"
expect_exit 0 rd activate rita app
S=$(otp_secret)
T0=$(date +%s)
expect_exit 0 rd confirm rita app "$(totp_at "$S" "$T0")"
BC0=$(jget backup_codes.0)
race "one backup code" "$BC0"
expect_exit 0 rd user show rita
expect_json backup_codes_left 9
race "one TOTP code" "$(totp_at "$S" $((T0 + 30)))"

# --- a vault held by another writer: vault_busy, exit 3, nothing written -----
# The SQL shell holds the write lock: sqlite3's BEGIN IMMEDIATE on the file,
# or psql's lock on table meta that every writer of the PostgreSQL store
# takes first (vault/store-pg.c).
mkfifo "$T/hold"
if store_file; then
	sqlite3 "$VAULT" <"$T/hold" >/dev/null 2>&1 &
	take="BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS e2e_hold (x);"
	probe="PRAGMA busy_timeout=0; BEGIN IMMEDIATE; ROLLBACK;"
else
	e2e_psql "$E2E_DB" <"$T/hold" >/dev/null 2>&1 &
	take="BEGIN; LOCK TABLE meta IN SHARE ROW EXCLUSIVE MODE;"
	probe="BEGIN; LOCK TABLE meta IN SHARE ROW EXCLUSIVE MODE NOWAIT; ROLLBACK;"
fi
holder=$!
exec 9>"$T/hold"
echo "$take" >&9
held=0
for ((k = 0; k < 100; k++)); do	# wait until the lock is really taken
	if ! vault_sql "$probe" >/dev/null 2>&1; then
		held=1
		break
	fi
	sleep 0.05
done
check "the SQL shell holds the vault's write lock" test $held = 1
expect_err vault_busy 3 rd user add blocked
expect_exit 0 rd user show rita	# readers are not blocked (WAL, MVCC)
echo "ROLLBACK;" >&9
exec 9>&-
wait "$holder"
expect_err not_found 1 rd user show blocked
expect_exit 0 rd user add blocked	# free again
rm -f "$T/hold"

# --- the audit chain survived the races ------------------------------------
expect_exit 0 rd audit verify
expect_json ok true

finish
