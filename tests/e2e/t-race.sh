#!/usr/bin/env bash
# t-race.sh: every single-use rule holds when 8 redoubt processes, each on
# its own connection to the vault, hit it at the same moment: a backup
# code, a channel (e-mail) code, a TOTP step, an HOTP counter, an
# ephemeral token and a resend cooldown are each used once, and the
# lockout counts every one of 8 simultaneous failures.  Each race checks
# the exit status and error code of all 8, the state left in the vault
# and the rows it added to the audit log.  With E2E_PG the same races run
# on PostgreSQL.
. "$(dirname "$0")/lib.sh"

N=8

# mkconf FILE THRESHOLD COOLDOWN: the methods of every race (app, e-mail
# through the outbox, HOTP) with this lockout threshold and resend cooldown.
mkconf() {
	cat >"$1" <<EOF
[redoubt]
lockout_threshold = $2
resend_cooldown = $3

[method.app]
handler = totp

[method.email]
handler = outbox
source_field = email

[method.token]
handler = hotp
EOF
}
# A threshold no race reaches, so a loser is refused for its code alone.
BASE=$T/base.conf
mkconf "$BASE" 100 0
COOL=$T/cool.conf
mkconf "$COOL" 100 30
LOCK10=$T/lock10.conf
mkconf "$LOCK10" 10 0
LOCK5=$T/lock5.conf
mkconf "$LOCK5" 5 0
CONFIG=$BASE

# --- the race harness ---------------------------------------------------------
# race_go: run `racer I` for I in 1..N in the background, each its own
# redoubt process with its stdout in $T/r.outI and status in $T/r.rcI.  All
# wait at a barrier (a line each from a fifo the test holds open) and are
# released together once all N are there.
race_go() {
	local i k
	rm -f "$T"/r.*
	mkfifo "$T/r.go"
	exec 8<>"$T/r.go"
	for i in $(seq 1 $N); do
		(
			: >"$T/r.ready$i"
			read -r _ <"$T/r.go"
			echo "$EPOCHREALTIME" >"$T/r.t0$i"
			racer "$i" >"$T/r.out$i" 2>"$T/r.err$i"
			echo $? >"$T/r.rc$i"
			echo "$EPOCHREALTIME" >"$T/r.t1$i"
		) &
	done
	for ((k = 0; k < 3000; k++)); do
		set -- "$T"/r.ready*
		[ $# = $N ] && [ -e "$1" ] && break
		sleep 0.01
	done
	check "race: all $N racers reached the barrier" test $# = $N
	printf '\n%.0s' $(seq 1 $N) >&8	# one line each: go
	wait
	exec 8>&-
	race_overlap
}

# How much the racers overlapped: the last start against the first end.
race_overlap() {
	"$PY" -c 'import sys
d, n = sys.argv[1], int(sys.argv[2])
t0 = [float(open("%s/r.t0%d" % (d, i)).read()) for i in range(1, n + 1)]
t1 = [float(open("%s/r.t1%d" % (d, i)).read()) for i in range(1, n + 1)]
print("%d %d" % ((max(t0) - min(t0)) * 1e3, (min(t1) - max(t0)) * 1e3))' \
	    "$T" $N >"$T/r.overlap"
	if [ "${E2E_VERBOSE:-0}" = 1 ]; then
		read -r spread margin <"$T/r.overlap"
		echo "    race released within $spread ms; the first ended" \
		    "$margin ms after the last started"
	fi
}

# race_tally: the outcomes of the N racers, "STATUS:CODE=COUNT ...", sorted;
# a success is 0:ok, a refusal its exit status and JSON error code.
race_tally() {
	"$PY" -c 'import collections, json, sys
c = collections.Counter()
for i in range(1, int(sys.argv[2]) + 1):
    rc = open("%s/r.rc%d" % (sys.argv[1], i)).read().strip()
    try:
        code = json.load(open("%s/r.out%d" % (sys.argv[1], i)))
        code = code["error"]["code"] if rc != "0" else "ok"
    except (ValueError, KeyError, TypeError):
        code = "?"
    c["%s:%s" % (rc, code)] += 1
print(" ".join("%s=%d" % (k, c[k]) for k in sorted(c)))' "$T" $N
}

# race_expect DESC TALLY: the racers ended exactly so.
race_expect() {
	local got
	got=$(race_tally)
	check "$1: outcomes '$got', expected '$2'" test "$got" = "$2"
	[ "$got" = "$2" ] || race_show
}

race_show() {
	local i
	for i in $(seq 1 $N); do
		echo "    racer $i: exit $(cat "$T/r.rc$i")" \
		    "$(head -c 300 "$T/r.out$i" "$T/r.err$i" | tr '\n' ' ')"
	done
}

# The one racer that succeeded (its number), for a look at its answer.
race_winner() {
	local i
	for i in $(seq 1 $N); do
		[ "$(cat "$T/r.rc$i")" = 0 ] && { echo "$i"; return; }
	done
	echo 0
}

# How many racers' answers hold STRING.
race_count() {
	local i n=0
	for i in $(seq 1 $N); do
		grep -qF -- "$1" "$T/r.out$i" && n=$((n + 1))
	done
	echo $n
}

# --- the audit log --------------------------------------------------------------
audit_json() {
	"$REDOUBT" --json --vault "$VAULT" --config "$BASE" audit list \
	    --limit 0 >"$T/audit.json" 2>/dev/null
}

# audit_mark: the id of the newest audit row.
audit_mark() {
	audit_json
	"$PY" -c 'import json, sys
e = json.load(sys.stdin)["entries"]
print(max([x["id"] for x in e] or [0]))' <"$T/audit.json"
}

# audit_since ID: the rows after ID, "action|outcome|detail=COUNT; ...",
# sorted (a missing detail is "-").
audit_since() {
	audit_json
	"$PY" -c 'import collections, json, sys
c = collections.Counter("%s|%s|%s" % (x["action"], x["outcome"],
    x["detail"] if x["detail"] is not None else "-")
    for x in json.load(sys.stdin)["entries"] if x["id"] > int(sys.argv[1]))
print("; ".join("%s=%d" % (k, c[k]) for k in sorted(c)))' "$1" <"$T/audit.json"
}

# audit_expect DESC MARK ROWS: the rows added since MARK are exactly ROWS.
audit_expect() {
	local got
	got=$(audit_since "$2")
	check "$1: audit rows '$got', expected '$3'" test "$got" = "$3"
}

# What the races and their follow-ups must have left in the whole log.
declare -A WANT=([login\|ok]=0 [login-code\|failure]=0 [lock\|locked]=0
    [locked\|refused]=0)
want() { WANT[$1]=$((WANT[$1] + $2)); }

# --- helpers for the users ---------------------------------------------------------
# logins USER: N logins of USER (password "USER pw"), tokens in TOK[1..N];
# one batch, one after the other (only the races need N processes).
declare -a TOK
logins() {
	local i
	for i in $(seq 1 $N); do
		echo "login $1 --password '$1 pw'"
	done | "$REDOUBT" --json --vault "$VAULT" --config "$CONFIG" batch \
	    >"$T/logins.jsonl" 2>"$ERR"
	mapfile -t TOK < <("$PY" -c 'import json, sys
for l in sys.stdin:
    r = json.loads(l)
    print(r["result"]["ephemeral_token"] if r["ok"] else "")' \
	    <"$T/logins.jsonl")
	TOK=("" "${TOK[@]}")	# from 1
	for i in $(seq 1 $N); do
		[ -n "${TOK[i]:-}" ] || {
			fail "login $1 number $i failed"
			head -c 600 "$T/logins.jsonl"
			return 1
		}
	done
}

# A user with the app (TOTP) as the one method, confirmed with the code of
# the step before now; sets S (the secret), T0 (now) and BC (backup codes).
app_user() {
	add_user "$1" "$1 pw" "${@:2}"
	expect_exit 0 rd activate "$1" app
	S=$(otp_secret)
	T0=$(date +%s)
	expect_exit 0 rd confirm "$1" app "$(totp_at "$S" $((T0 - 30)))"
	mapfile -t BC < <(jget backup_codes | "$PY" -c 'import json, sys
print("\n".join(json.load(sys.stdin)))')
}

# show_is USER KEY=VALUE...: `user show USER` (under $CONFIG) says so, each
# KEY (dotted, as expect_json) a check of its own; one python for all.
show_is() {
	local who=$1 ok key got
	shift
	expect_exit 0 rd user show "$who" || return 1
	"$PY" -c 'import json, sys
d = json.load(sys.stdin)
for kv in sys.argv[1:]:
    k, want = kv.split("=", 1)
    v = d
    try:
        for p in k.split("."):
            v = v[int(p)] if isinstance(v, list) else v[p]
        got = v if isinstance(v, str) else json.dumps(v)
    except (KeyError, IndexError, ValueError, TypeError):
        got = "(missing)"
    print("%s %s %s" % ("ok" if got == want else "bad", k, got))' "$@" \
	    <"$OUT" >"$T/show.txt" 2>&1 || {
		fail "user show $who: not one JSON object"
		e2e_show
		return 1
	}
	while read -r ok key got; do
		if [ "$ok" = ok ]; then
			pass "user show $who: $key = $got"
		else
			fail "user show $who: $key is '$got', expected" \
			    "'$(printf '%s\n' "$@" | sed -n "s/^$key=//p")'"
		fi
	done <"$T/show.txt"
}

# rd_past ARGS...: rd with the clock two minutes back.
rd_past() {
	fake_clock -120s "$REDOUBT" --json --vault "$VAULT" --config "$CONFIG" \
	    "$@" >"$OUT" 2>"$ERR"
	RC=$?
	return $RC
}

new_vault

# --- the cooldown's user: enrolled two minutes ago ---------------------------------
# Enrolling e-mail sends a code, which starts the cooldown; done in the
# past (before every other row, so the log's times still run forward), the
# cooldown of the race below is over and exactly one send may go.
printf '%s\n' "dora pw" | rd_past user add dora --email dora@example.com \
    --password-stdin
check "user add dora (two minutes ago)" test "$RC" = 0
expect_exit 0 rd_past activate dora email
expect_exit 0 rd_past confirm dora email "$(outbox_code email)"
expect_json state active

# === 1. one backup code, 8 tokens ===================================================
app_user bo
logins bo
M=$(audit_mark)
B0=${BC[0]}
racer() {
	"$REDOUBT" --json --vault "$VAULT" --config "$BASE" login-code \
	    "${TOK[$1]}" "$B0"
}
race_go
race_expect "backup code" "0:ok=1 1:invalid_code=7"
W=$(race_winner)
check "backup code: the winner used the backup code" \
    grep -q '"method_used":"backup_codes"' "$T/r.out$W"
n=$(race_count 'backup code was already used')
check "backup code: the 7 others were told it was used (got $n)" test "$n" = 7
# The winner went first (a code is good until used): all 7 losers after
# it were counted.
show_is bo backup_codes_left=9 failures=7 locked=false
audit_expect "backup code" "$M" \
    "login-code|failure|invalid_code (backup code already used)=7; login|ok|backup_codes=1"
want 'login|ok' 1
want 'login-code|failure' 7

# === 2. one e-mail code, 8 tokens ==================================================
app_user cy --email cy@example.com
expect_exit 0 rd activate cy email "${BC[0]}"
expect_exit 0 rd confirm cy email "$(outbox_code email)"
expect_json state active
logins cy
expect_exit 0 rd request-code cy email
E=$(outbox_code email)
n0=$(outbox_count email)
M=$(audit_mark)
racer() {
	"$REDOUBT" --json --vault "$VAULT" --config "$BASE" login-code \
	    "${TOK[$1]}" "$E" --method email
}
race_go
race_expect "e-mail code" "0:ok=1 1:invalid_code=7"
W=$(race_winner)
check "e-mail code: the winner used email" \
    grep -q '"method_used":"email"' "$T/r.out$W"
check "e-mail code: the 7 others found no code waiting" \
    test "$(race_count 'no code is waiting for email')" = 7
check "e-mail code: the race sent nothing" test "$(outbox_count email)" = "$n0"
# (the backup code spent is the one that activated email)
show_is cy failures=7 locked=false backup_codes_left=9
audit_expect "e-mail code" "$M" \
    "login-code|failure|invalid_code=7; login|ok|email=1"
want 'login|ok' 1
want 'login-code|failure' 7

# === 3. one TOTP step, 8 tokens ==================================================
# Confirmed with the step before now; the raced code is now's step, the
# follow-up the next step: both inside the window of ±1 for a minute.
app_user ty
logins ty
C=$(totp_at "$S" "$T0")
M=$(audit_mark)
racer() {
	"$REDOUBT" --json --vault "$VAULT" --config "$BASE" login-code \
	    "${TOK[$1]}" "$C"
}
race_go
race_expect "TOTP step" "0:ok=1 1:invalid_code=7"
W=$(race_winner)
check "TOTP step: the winner used app" \
    grep -q '"method_used":"app"' "$T/r.out$W"
check "TOTP step: the 7 others were told the code was used" \
    test "$(race_count 'was already used')" = 7
show_is ty failures=7 locked=false backup_codes_left=10
audit_expect "TOTP step" "$M" \
    "login-code|failure|invalid_code=7; login|ok|app=1"
# The step rule, not a lock-up: the same code again is refused, the next
# step's code passes.
echo "ty pw" | expect_exit 0 rd login ty
TK=$(jget ephemeral_token)
expect_err invalid_code 1 rd login-code "$TK" "$C"
expect_exit 0 rd login-code "$TK" "$(totp_at "$S" $((T0 + 30)))"
expect_json method_used app
want 'login|ok' 2
want 'login-code|failure' 8

# === 4. one HOTP code, 8 tokens ==================================================
add_user ho "ho pw"
expect_exit 0 rd activate ho token
H=$(otp_secret)
expect_exit 0 rd confirm ho token "$(hotp_at "$H" 0)"
show_is ho methods.0.counter=1	# the next code's counter
logins ho
HC=$(hotp_at "$H" 1)
M=$(audit_mark)
racer() {
	"$REDOUBT" --json --vault "$VAULT" --config "$BASE" login-code \
	    "${TOK[$1]}" "$HC"
}
race_go
race_expect "HOTP counter" "0:ok=1 1:invalid_code=7"
W=$(race_winner)
check "HOTP counter: the winner used token" \
    grep -q '"method_used":"token"' "$T/r.out$W"
# The counter moved past code 1, and no further.
show_is ho methods.0.counter=2 failures=7 locked=false backup_codes_left=10
audit_expect "HOTP counter" "$M" \
    "login-code|failure|invalid_code=7; login|ok|token=1"
echo "ho pw" | expect_exit 0 rd login ho
TK=$(jget ephemeral_token)
expect_err invalid_code 1 rd login-code "$TK" "$HC"	# never again
expect_exit 0 rd login-code "$TK" "$(hotp_at "$H" 2)"	# the next one
expect_json method_used token
show_is ho methods.0.counter=3
want 'login|ok' 2
want 'login-code|failure' 8

# === 5. one ephemeral token, 8 good codes ========================================
# Eight different backup codes, each good on its own: only the token can
# stop seven of them.
app_user ek
echo "ek pw" | expect_exit 0 rd login ek
TK=$(jget ephemeral_token)
M=$(audit_mark)
racer() {
	"$REDOUBT" --json --vault "$VAULT" --config "$BASE" login-code \
	    "$TK" "${BC[$1 - 1]}"
}
race_go
race_expect "ephemeral token" "0:ok=1 1:bad_state=7"
check "ephemeral token: the 7 others were told it was used" \
    test "$(race_count 'login token was already used')" = 7
# The losers' codes were not spent, nor any failure counted.
show_is ek backup_codes_left=9 failures=0 locked=false
# A used token is refused before any code is looked at: no row.
audit_expect "ephemeral token" "$M" "login|ok|backup_codes=1"
want 'login|ok' 1

# === 6. the resend cooldown, 8 sends at once ====================================
n0=$(outbox_count email)
M=$(audit_mark)
racer() {
	"$REDOUBT" --json --vault "$VAULT" --config "$COOL" request-code \
	    dora email
}
race_go
race_expect "cooldown" "0:ok=1 1:not_allowed=7"
check "cooldown: the 7 others were told to wait" \
    test "$(race_count 'before another')" = 7
check "cooldown: exactly one more e-mail (had $n0, now $(outbox_count email))" \
    test "$(outbox_count email)" = $((n0 + 1))
expect_exit 0 rd outbox list
check "cooldown: the e-mail went to dora" "$PY" -c 'import json, sys
m = sorted(json.load(sys.stdin)["messages"], key=lambda x: x["id"])
sys.exit(m[-1]["to"] != "dora@example.com")' <"$OUT"
# The send is logged; a send refused for the cooldown writes no row.
audit_expect "cooldown" "$M" "send|ok|email via outbox=1"

# === 7. lockout: 8 wrong codes at once ===========================================
app_user lu
# A wrong code: none of the steps a window around now could accept.
GOODS=" $(totp_at "$S" $((T0 - 60))) $(totp_at "$S" $((T0 - 30))) \
$(totp_at "$S" "$T0") $(totp_at "$S" $((T0 + 30))) $(totp_at "$S" $((T0 + 60))) "
BAD=123456
while [[ $GOODS == *" $BAD "* ]]; do
	BAD=$(printf '%06d' $(((10#$BAD + 1) % 1000000)))
done

# 7a: threshold 10, above 8: every failure is counted, none lost.
logins lu
M=$(audit_mark)
racer() {
	"$REDOUBT" --json --vault "$VAULT" --config "$LOCK10" login-code \
	    "${TOK[$1]}" "$BAD"
}
race_go
race_expect "lockout, threshold 10" "1:invalid_code=8"
CONFIG=$LOCK10 show_is lu failures=8 locked=false
audit_expect "lockout, threshold 10" "$M" "login-code|failure|invalid_code=8"
want 'login-code|failure' 8
expect_exit 0 rd user unlock lu
show_is lu failures=0 locked=false

# 7b: threshold 5: the 5th failure locks (60 s, the first lock), the
# count starts again at 0, the 3 after it are refused as locked.
logins lu
M=$(audit_mark)
racer() {
	"$REDOUBT" --json --vault "$VAULT" --config "$LOCK5" login-code \
	    "${TOK[$1]}" "$BAD"
}
race_go
race_expect "lockout, threshold 5" "1:invalid_code=5 1:locked_out=3"
CONFIG=$LOCK5 show_is lu locked=true failures=0
L=$(jget locked_for)
check "lockout: locked for 1..60 s (got $L)" test "$L" -ge 1 -a "$L" -le 60
audit_expect "lockout, threshold 5" "$M" \
    "locked|refused|-=3; lock|locked|locked for 60 s=1; login-code|failure|invalid_code=5"
want 'login-code|failure' 5
want 'lock|locked' 1
want 'locked|refused' 3

# === the log after it all ========================================================
expect_exit 0 rd audit verify
expect_json ok true
audit_json
for k in "${!WANT[@]}"; do
	got=$("$PY" -c 'import json, sys
a, o = sys.argv[1].split("|")
print(sum(1 for x in json.load(sys.stdin)["entries"]
    if x["action"] == a and x["outcome"] == o))' "$k" <"$T/audit.json")
	check "the whole log: $k rows $got, expected ${WANT[$k]}" \
	    test "$got" = "${WANT[$k]}"
done

finish
