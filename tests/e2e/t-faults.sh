#!/usr/bin/env bash
# t-faults.sh: processes killed with -9 in the middle of every kind of
# write, and processes racing on one code or one counter.  After each
# round the vault must open, be whole (SQLite's own check, for a file), keep
# its audit chain, and hold every success a process reported before it died.
#
# FAULT_ROUNDS (default 12) rounds per kind of write run in make test;
# `make faults` runs many more.
. "$(dirname "$0")/lib.sh"

ROUNDS=${FAULT_ROUNDS:-12}
N=8
new_vault
CONFIG=$T/fast.conf
printf '[redoubt]\nresend_cooldown = 0\nlockout_threshold = 1000\n' >"$CONFIG"

# whole LABEL: the vault opens, SQLite finds the file whole, the chain holds.
whole() {
	if store_file; then
		check "$1: integrity_check ok" \
		    test "$(sqlite3 "$VAULT" 'PRAGMA integrity_check')" = ok
	fi
	rd audit verify
	check "$1: audit verify ok (exit $RC)" test "$RC" = 0
}

# kill9 OUTFILE CMD...: run CMD in the background, kill it with -9 after a
# random 0-40 ms (often inside its write), wait; OUTFILE gets its stdout.
# A command on PostgreSQL first connects and runs longer: 0-800 ms there.
kill9() {
	local out=$1
	shift
	"$@" >"$out" 2>/dev/null &
	local pid=$!
	if store_file; then
		sleep "0.0$(( RANDOM % 40 ))"
	else
		sleep "0.$(printf %03d $(( RANDOM % 800 )))"
	fi
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# A redoubt still running would be one the -9 missed.
	if pgrep -f -- "$VPAT" >/dev/null; then
		fail "kill9: a redoubt outlived the -9 of pid $pid"
		while pgrep -f -- "$VPAT" >/dev/null; do sleep 0.1; done
	fi
	return 0
}
# A redoubt on this vault, for pgrep -f (a regex: not the URI with its ?).
if store_file; then VPAT="--vault $VAULT"; else VPAT="--vault postgresql:///$E2E_DB[?]"; fi
R() {
	local clock=
	[ -n "${LATER:-}" ] && clock="fake_clock +${LATER}s"
	$clock "$REDOUBT" --json --vault "$VAULT" --config "$CONFIG" "$@"
}
# RX, for kill9 only: R, but redoubt takes the place of the background
# job's shell, so the -9 hits redoubt itself and not a shell (or the
# faketime command, which forks) that leaves it writing on.
RX() {
	if [ -n "${LATER:-}" ]; then
		[ -n "$FAKELIB" ] || exit 127
		export LD_PRELOAD=$FAKELIB FAKETIME="+${LATER}s"
	fi
	exec "$REDOUBT" --json --vault "$VAULT" --config "$CONFIG" "$@"
}
# Each TOTP code is used once: every new one is a step later (libfaketime).
OFF=0
next_step() { OFF=$((OFF + 30)); }

# --- user add ------------------------------------------------------------------
ok=0
: >"$T/added"
for i in $(seq 1 "$ROUNDS"); do
	kill9 "$T/k.out" RX user add "k$i" --email "k$i@example.com"
	grep -q '"user":"k'"$i"'"' "$T/k.out" && echo "k$i" >>"$T/added"
done
whole "user add"
while read -r u; do
	rd user show "$u"
	[ "$RC" = 0 ] && ok=$((ok + 1))
done < <(cat "$T/added" 2>/dev/null)
check "user add: every reported success survived ($ok)" \
    test "$ok" = "$(wc -l <"$T/added" 2>/dev/null || echo 0)"

# --- activate and confirm --------------------------------------------------------
add_user kay "kay pw"
for i in $(seq 1 "$ROUNDS"); do
	kill9 "$T/a.out" RX activate kay app
	if grep -q otpauth_uri "$T/a.out"; then
		cp "$T/a.out" "$OUT"
		S=$(otp_secret)
		kill9 "$T/c.out" RX confirm kay app "$(totp_at "$S" \
		    "$(date +%s)")"
		if grep -q '"state":"active"' "$T/c.out"; then
			rd methods kay
			check "confirm: the reported activation survived" \
			    test "$(jget methods.0.state)" = active
			break
		fi
	fi
done
whole "activate/confirm"
rd methods kay
if [ "$(jget methods.0.state)" != active ]; then
	# No round got through: finish by hand so the next steps have a method.
	expect_exit 0 rd activate kay app
	S=$(otp_secret)
	expect_exit 0 rd confirm kay app "$(totp_at "$S" "$(date +%s)")"
fi
whole "after confirm"

# --- login-code and backup-codes ---------------------------------------------------
# backup_set: a fresh set of backup codes for kay into BCS.
backup_set() {
	next_step
	later $OFF expect_exit 0 rd backup-codes kay \
	    "$(totp_at "$S" $(( $(date +%s) + OFF )))"
	for i in $(seq 0 9); do BCS[i]=$(jget backup_codes.$i); done
}
backup_set
used=0
for i in $(seq 1 "$ROUNDS"); do
	echo "kay pw" | rd login kay
	TOK=$(jget ephemeral_token)
	bc=${BCS[$(( i % 10 ))]}
	kill9 "$T/l.out" RX login-code "$TOK" "$bc"
	if grep -q '"status":"ok"' "$T/l.out"; then
		used=$((used + 1))
		# A success that was reported: the code is spent for good.
		echo "kay pw" | rd login kay
		expect_err invalid_code 1 rd login-code "$(jget ephemeral_token)" \
		    "$bc"
	fi
	[ $(( i % 10 )) = 9 ] && break
done
whole "login-code"
for i in $(seq 1 "$ROUNDS"); do
	next_step
	kill9 "$T/b.out" later $OFF RX backup-codes kay \
	    "$(totp_at "$S" $(( $(date +%s) + OFF )))"
done
whole "backup-codes"
backup_set

# --- passphrase --------------------------------------------------------------------
printf 'new pass\n' >"$T/new.pass"
kill9 "$T/p.out" RX passphrase --new-passphrase-file "$T/new.pass"
if grep -q '"status":"ok"' "$T/p.out"; then
	export REDOUBT_PASSPHRASE="new pass"
fi
rd user show kay
if [ "$RC" = 3 ] && [ "$(jget error.code)" = bad_passphrase ]; then
	# The change did not report success: it may still have landed.
	REDOUBT_PASSPHRASE="new pass" rd user show kay
	[ "$RC" = 0 ] && export REDOUBT_PASSPHRASE="new pass"
fi
expect_exit 0 rd user show kay
whole "passphrase"

# --- races: 2 and 8 processes on one code, one counter -----------------------------
# race K LABEL CMD...: K copies of CMD at once; prints how many won.
race() {
	local k=$1 i wins=0 crashes=0 rc
	shift
	for i in $(seq 1 "$k"); do
		( "$@" "$i" >"$T/race$i.out" 2>&1; echo $? >"$T/race$i.rc" ) &
	done
	wait
	for i in $(seq 1 "$k"); do
		rc=$(cat "$T/race$i.rc")
		[ "$rc" = 0 ] && wins=$((wins + 1))
		[ "$rc" -ge 128 ] && crashes=$((crashes + 1))
	done
	echo "$wins $crashes"
}
tokens() { local i; for i in $(seq 1 "$1"); do echo "kay pw" | rd login kay;
    TOKS[i]=$(jget ephemeral_token); done; }
code_with() { R login-code "${TOKS[$2]}" "$1"; }

for k in 2 $N; do
	tokens "$k"
	read -r wins crashes < <(race "$k" code_with "${BCS[$k]}")
	check "backup code, $k at once: one wins (got $wins)" test "$wins" = 1
	check "backup code, $k at once: no crash" test "$crashes" = 0
	next_step
	later $OFF tokens "$k"
	read -r wins crashes < <(later $OFF race "$k" code_with \
	    "$(totp_at "$S" $(( $(date +%s) + OFF )))")
	check "TOTP step, $k at once: one wins (got $wins)" test "$wins" = 1
done

# One channel code, raced.
add_user cole "cole pw" --email cole@example.com
expect_exit 0 rd activate cole email
expect_exit 0 rd confirm cole email "$(outbox_code email)"
for k in 2 $N; do
	for i in $(seq 1 "$k"); do echo "cole pw" | rd login cole;
	    CT[i]=$(jget ephemeral_token); done
	C=$(outbox_code email)
	cole_code() { R login-code "${CT[$1]}" "$C"; }
	read -r wins crashes < <(race "$k" cole_code)
	check "channel code, $k at once: one wins (got $wins)" test "$wins" = 1
done

# The lockout counter: no failure is lost when raced.
add_user lott "lott pw"
expect_exit 0 rd activate lott app
LS=$(otp_secret)
expect_exit 0 rd confirm lott app "$(totp_at "$LS" "$(date +%s)")"
for k in 2 $N; do
	rd user unlock lott
	for i in $(seq 1 "$k"); do echo "lott pw" | rd login lott;
	    LT[i]=$(jget ephemeral_token); done
	lott_wrong() { R login-code "${LT[$1]}" 000000; }
	read -r wins crashes < <(race "$k" lott_wrong)
	rd user show lott
	check "lockout counter, $k at once: $k failures counted (got $(jget failures))" \
	    test "$(jget failures)" = "$k"
done
whole "races"

# --- H1: the cooldown is reserved before sending: one code for N logins ----------
cat >"$T/slow.sh" <<EOF
#!/bin/sh
echo "\$REDOUBT_CODE" >>"$T/sent"
sleep 2
EOF
chmod +x "$T/slow.sh"
cat >"$T/slow.conf" <<EOF
[redoubt]
resend_cooldown = 5
[method.slow]
handler = exec
command = $T/slow.sh
EOF
add_user sam "sam pw" --phone +15550009999
CONFIG=$T/slow.conf expect_exit 0 rd activate sam slow
CONFIG=$T/slow.conf expect_exit 0 rd confirm sam slow "$(tail -1 "$T/sent")"
: >"$T/sent"
sleep 5
for i in $(seq 1 $N); do
	( echo "sam pw" | "$REDOUBT" --json --vault "$VAULT" --config \
	    "$T/slow.conf" login sam >"$T/h1.$i" 2>&1 ) &
done
wait
check "H1: $N parallel logins sent one code (got $(wc -l <"$T/sent"))" \
    test "$(wc -l <"$T/sent")" = 1
ok=$(grep -l '"status":"mfa_required"' "$T"/h1.* | wc -l)
check "H1: all $N logins got a token ($ok)" test "$ok" = $N

# --- H7: no write lock while Argon2id runs: 8 moderate logins all succeed -------
MV=$(vault_of moderate)
vault_blank moderate
printf '%s\n' "mod pass" >"$T/mod.pass"
"$REDOUBT" --json --vault "$MV" --passphrase-file "$T/mod.pass" init \
    --kdf moderate >/dev/null
echo "mo pw" | "$REDOUBT" --json --vault "$MV" --passphrase-file \
    "$T/mod.pass" user add mo --password-stdin >/dev/null
for i in $(seq 1 $N); do
	( echo "mo pw" | "$REDOUBT" --json --vault "$MV" --passphrase-file \
	    "$T/mod.pass" login mo >"$T/h7.$i" 2>&1 ) &
done
wait
ok=$(grep -l '"status":"ok"' "$T"/h7.* | wc -l)
check "H7: $N parallel logins with the moderate KDF all succeed ($ok)" \
    test "$ok" = $N

finish
