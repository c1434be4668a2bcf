#!/usr/bin/env bash
# t-batch.sh: `redoubt batch`: one command a line on stdin, one JSON
# answer a line on stdout with its line number.  Quoting and comments as
# in a shell; --password on a batch line and never in argv; errors kept
# going past or stopped at (--stop-on-error) with the worst exit status;
# lines a batch may not run (unlock, batch, global options); a kill -9 in
# the middle of a big batch leaving exactly the printed ok lines' effects
# (and perhaps lines after them, never a gap), the audit chain whole; and
# a batch under a REDOUBT_SESSION, without any passphrase.
. "$(dirname "$0")/lib.sh"

new_vault

# ans N KEY: the value at KEY of the answer of line N in $OUT.
ans() {
	"$PY" - "$1" "$2" "$OUT" <<'PY'
import json, sys
no, key, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for text in open(path):
    a = json.loads(text)
    if a["line"] != no:
        continue
    for k in key.split("."):
        a = a[int(k)] if isinstance(a, list) else a[k]
    print(json.dumps(a) if not isinstance(a, str) else a)
    sys.exit(0)
sys.exit(2)
PY
}

# expect_ans N KEY VALUE
expect_ans() {
	local got
	got=$(ans "$1" "$2" 2>&1)
	if [ "$got" = "$3" ]; then
		pass "line $1: $2 = $3"
	else
		fail "line $1: $2 is '$got', expected '$3'"
		e2e_show
	fi
}

# Every line of stdout one JSON object with "line" and "ok"; their lines.
answered_lines() {
	"$PY" -c 'import json, sys
for t in open(sys.argv[1]):
    a = json.loads(t)
    assert set(a) >= {"line", "ok"}
    print(a["line"])' "$OUT" | tr '\n' ' ' | sed 's/ $//'
}

# --- JSON Lines, line numbers, quoting, comments -----------------------
cat >"$T/in1" <<'IN'
# users for the desk
user add alice --email 'alice@example.org'

user add bob --phone "+48 500 000 000"   # a comment after blanks
  user add carol --email="c\"q@example.org"
user show alice
user show bob#not-a-comment
user set bob --email a\ b@example.org
IN
# The worst: line 8's bad address (usage, 2) above line 7's refusal (1).
expect_exit 2 rd batch <"$T/in1"
check "one answer a line, for the lines with commands" \
    test "$(answered_lines)" = "2 4 5 6 7 8"
expect_ans 2 ok true
expect_ans 2 result.user alice
expect_ans 4 result.user bob
expect_ans 5 result.user carol
expect_ans 6 result.email alice@example.org
expect_ans 7 ok false
expect_ans 7 code not_found
expect_ans 8 code usage
rd user show bob
expect_json phone "+48500000000"
rd user show carol
expect_json email 'c"q@example.org'

# An unterminated quote is refused with its line number; others go on.
printf 'user add dave\nuser add "eve\nuser add frank\n' >"$T/in2"
expect_exit 2 rd batch <"$T/in2"
expect_ans 2 code usage
check "the message names line 2" sh -c "grep -q 'line 2: a double quote is not closed' '$OUT'"
expect_ans 3 result.user frank
expect_exit 0 rd user show frank

# --- --password: on a batch line, never in argv -------------------------
printf '%s\n' "user add pat --password 'Pass word 1'" \
    "login pat --password 'Pass word 1'" "login pat --password=wrong" \
    "user show pat --password x" >"$T/in3"
expect_exit 2 rd batch <"$T/in3"
expect_ans 1 ok true
expect_ans 2 result.status ok
expect_ans 3 code bad_credentials
expect_ans 4 code usage
rd user show pat
expect_json password true
expect_json failures 1
check_not "the password is not in the vault in clear" vault_has "Pass word 1"
check_not "the password is in no answer" grep -q "Pass word 1" "$OUT"
expect_err usage 2 rd user add quinn --password secret
check "argv --password names the way out" grep -q -- "--password-stdin" "$OUT"
expect_err usage 2 rd login pat --password=secret
expect_exit 1 rd user show quinn
rdh user add quinn --password secret
check "human form of the refusal" grep -q "only for lines of redoubt batch" "$ERR"
check "human form: exit 2" test "$RC" = 2

# --- errors: keep going, stop, exit status the worst ----------------------
printf 'user show nobody\nuser add gina\n' >"$T/in4"
expect_exit 1 rd batch <"$T/in4"
check "a refusal does not stop the batch" test "$(answered_lines)" = "1 2"
printf 'user add hank\nuser show nobody\nuser frobnicate\nuser add ivan\n' \
    >"$T/in5"
expect_exit 2 rd batch <"$T/in5"
check "all four answered" test "$(answered_lines)" = "1 2 3 4"
expect_ans 3 code usage
expect_exit 0 rd user show ivan
printf 'user add jack\nuser show nobody\nuser add kate\n' >"$T/in6"
expect_exit 1 rd batch --stop-on-error <"$T/in6"
check "--stop-on-error stops at the failure" test "$(answered_lines)" = "1 2"
expect_exit 0 rd user show jack
expect_exit 1 rd user show kate
printf 'user add lena\n' >"$T/in7"
expect_exit 0 rd batch <"$T/in7"

# --- lines a batch may not run -------------------------------------------
printf '%s\n' unlock lock batch 'passphrase' 'init' \
    "user show alice --vault $T/other.db" 'user show alice --operator x' \
    'help' 'user' 'activate alice yubikey' >"$T/in8"
expect_exit 2 rd batch <"$T/in8"
check "every refused line answered" \
    test "$(answered_lines)" = "1 2 3 4 5 6 7 8 9 10"
expect_ans 1 error "'unlock' cannot run on a batch line: the batch unlocks the vault once, with its own options"
expect_ans 3 error "'batch' cannot run on a batch line"
expect_ans 6 error "the global option --vault cannot be given on a batch line; give it to redoubt batch"
check_not "no other vault was made" test -e "$T/other.db"

# --- the batch as a whole: no passphrase -----------------------------------
nopass expect_exit 3 rd batch <"$T/in7"
expect_ans 0 code bad_passphrase

# --- help -------------------------------------------------------------------
expect_exit 0 rdh help batch
check "help batch shows --stop-on-error" grep -q -- "--stop-on-error" "$OUT"
expect_exit 0 rdh --help
check "the usage lists batch" grep -q "^  batch " "$OUT"

expect_exit 0 rdh batch --help
check "batch --help shows its usage" grep -q "usage: redoubt batch" "$OUT"
expect_err usage 2 rd batch extra </dev/null
expect_err usage 2 rd batch --bogus </dev/null

# --- a test message runs alone, outside the group around it ----------------
printf 'user add mia
test-backend email t@example.org
outbox list
' >"$T/in10"
expect_exit 0 rd batch <"$T/in10"
expect_ans 2 result.outcome ok
expect_ans 3 result.messages.0.to t@example.org

# --- kill -9 in the middle of a big batch ----------------------------------
"$PY" -c 'for i in range(60000): print("user add k%05d --email k%05d@example.org" % (i, i))' >"$T/big"
"$REDOUBT" --json --vault "$VAULT" batch <"$T/big" >"$T/big.out" 2>/dev/null &
pid=$!
# Killed once a few thousand answers are out, mid-stream.
for _ in $(seq 1 200); do
	[ "$(wc -l <"$T/big.out")" -ge 3000 ] && break
	sleep 0.05
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
"$PY" -c 'for i in range(60000): print("user show k%05d" % i)' >"$T/shows"
"$REDOUBT" --json --vault "$VAULT" batch <"$T/shows" >"$T/shows.out" 2>/dev/null
"$PY" - "$T/big.out" "$T/shows.out" >"$T/verdict" <<'PY'
import json, sys
printed = set()
for t in open(sys.argv[1]):
    if not t.endswith("\n"):
        break           # cut by the kill
    a = json.loads(t)
    assert a["ok"], a
    printed.add(a["line"])
present = [json.loads(t)["ok"] for t in open(sys.argv[2])]
n = sum(present)
# Every printed ok line stands; what stands is a prefix (no gap).
missing = [no for no in printed if not present[no - 1]]
gap = any(present[i] and not present[i - 1] for i in range(1, len(present)))
print("printed=%d present=%d missing=%d gap=%s" % (len(printed), n,
      len(missing), gap))
sys.exit(0 if printed and not missing and not gap and n < 60000 else 1)
PY
check "kill -9: every printed ok line stands, no gap ($(cat "$T/verdict"))" \
    test $? = 0
check "kill -9 happened mid-batch" test -s "$T/big.out"
rd audit verify
check "audit verify after the kill (exit $RC)" test "$RC" = 0
if store_file; then	# SQLite's own check of the file
	check "integrity_check ok" \
	    test "$(sqlite3 "$VAULT" 'PRAGMA integrity_check')" = ok
fi

# --- under a session ----------------------------------------------------------
rdh unlock --sh
eval "$(cat "$OUT")"
printf 'user add sess1\nuser show sess1\n' >"$T/in9"
nopass expect_exit 0 rd batch <"$T/in9"
expect_ans 2 result.user sess1
rd audit list --user sess1
check "the audit names the batch face" grep -q '"batch:' "$OUT"
rdh lock
nopass expect_exit 3 rd batch <"$T/in9"
unset REDOUBT_SESSION

finish
