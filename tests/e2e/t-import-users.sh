#!/usr/bin/env bash
# t-import-users.sh: redoubt import users FILE.csv: columns by name, refused
# rows with their line and reason, the --report file, re-runs (skip,
# --update), methods started (a TOTP confirmed with oathtool, a code sent
# through the outbox with --send), the progress bar only on a terminal,
# 100,000 rows in the suite, and a kill -9 that leaves whole chunks only.
. "$(dirname "$0")/lib.sh"

new_vault

users_in_vault() {
	vault_sql "SELECT count(*) FROM users" 2>/dev/null
}

# --- good and refused rows, columns in any order ---------------------------
cat >"$T/a.csv" <<'CSV'
email,user,active,phone,password,methods
alice@example.com,alice,yes,+48 500 000 001,pw-alice-1,app
not-an-address,bob,,,pw-bob-secret,
,alice,,,,
,dave,maybe,,,
,erin,,,,app nosuch
"x"y,frank,,,,
gina@example.com,gina,,,,email
,hank,no,,,
CSV
printf 'stale\n' >"$T/report.csv"
chmod 644 "$T/report.csv"
expect_exit 0 rd import users "$T/a.csv" --report "$T/report.csv"
expect_json users_created 3
expect_json rows_refused 5
expect_json users_skipped 0
expect_json methods_started 1
expect_json methods_waiting_for_send 1
expect_json rows 8
expect_json refusals.# 5
expect_json refusals.0.line 3
expect_json refusals.0.user bob
check "bad e-mail: the reason names it" \
    eval 'jget refusals.0.reason | grep -q "not-an-address.*not an e-mail"'
expect_json refusals.1.line 4
check "duplicate in the file: the reason names the first line" \
    eval 'jget refusals.1.reason | grep -q "alice is on line 2"'
expect_json refusals.2.line 5
check "wrong active value: named" \
    eval 'jget refusals.2.reason | grep -q "active is .maybe."'
expect_json refusals.3.line 6
check "unknown method: named" eval 'jget refusals.3.reason | grep -q nosuch'
expect_json refusals.4.line 7
check "malformed CSV line: the reason says so" \
    eval 'jget refusals.4.reason | grep -q "line 7"'
expect_json enrolments.# 1
expect_json enrolments.0.user alice
expect_json enrolments.0.method app
expect_json enrolments.0.line 2
URI=$(jget enrolments.0.otpauth_uri)
SECRET=$(jget enrolments.0.secret)
check "the enrolment carries an otpauth URI" \
    eval '[[ "$URI" == otpauth://totp/* ]]'

# The report: refused rows only, original columns then line and reason.
check "report: mode 0600 (also when it was there before)" \
    test "$(stat -c %a "$T/report.csv")" = 600
check "report: the header" test "$(head -1 "$T/report.csv" | tr -d '\r')" = \
    "email,user,active,phone,password,methods,line,reason"
check "report: a line per refused row" \
    test "$(wc -l <"$T/report.csv")" = 6
check "report: bob's row with its line" \
    grep -q '^not-an-address,bob,,,,,3,' "$T/report.csv"
check "report: the malformed line 7" grep -q '^,,,,,,7,' "$T/report.csv"
not_grep pw-bob-secret "$T/report.csv" && pass "report: no password" ||
    fail "report holds a password"
not_grep stale "$T/report.csv" && pass "report: written afresh" ||
    fail "report kept old content"

# What was created is what user add would have made.
expect_exit 0 rd user show alice
expect_json email alice@example.com
expect_json phone +48500000001
expect_json password true
expect_json active true
expect_exit 0 rd user show hank
expect_json active false
expect_err not_found 1 rd user show bob
expect_exit 0 rd user show gina
expect_json methods '[]'
echo pw-alice-1 | expect_exit 0 rd login alice
expect_json status ok
expect_exit 0 rd audit list --action "user add"
check "one audit row per created user" \
    test "$(jget entries.#)" -ge 3

# The URI decodes to a secret that confirm accepts with oathtool's code.
B32=$("$PY" -c 'import sys, urllib.parse as u
print(u.parse_qs(u.urlparse(sys.argv[1]).query)["secret"][0])' "$URI")
check "URI secret = secret" test "$B32" = "$SECRET"
expect_exit 0 rd confirm alice app "$(oathtool --totp -b "$B32")"
expect_json state active

# --- the header's rules: nothing is written --------------------------------
N0=$(users_in_vault)
printf 'user,mail,fon\nzed,z@example.com,1\n' >"$T/bad-col.csv"
expect_err usage 2 rd import users "$T/bad-col.csv"
check "unknown columns named" \
    eval 'jget error.message | grep -q "unknown columns .mail., .fon."'
printf 'email\nz@example.com\n' >"$T/no-user.csv"
expect_err usage 2 rd import users "$T/no-user.csv"
check "no user column: said" eval 'jget error.message | grep -q "no user column"'
printf 'user;email\nzed;z@example.com\n' >"$T/semi.csv"
expect_err usage 2 rd import users "$T/semi.csv"
check "semicolons: said" eval 'jget error.message | grep -q semicolons'
: >"$T/empty.csv"
expect_err usage 2 rd import users "$T/empty.csv"
expect_err not_found 1 rd import users "$T/missing.csv"
check "refused files wrote nothing" test "$(users_in_vault)" = "$N0"

# --- re-running skips; the report of a clean run is its header -------------
expect_exit 0 rd import users "$T/a.csv" --report "$T/r2.csv"
expect_json users_created 0
expect_json users_skipped 3
expect_json rows_refused 5
printf 'user,email\nalice,alice@example.com\ngina,\n' >"$T/clean.csv"
expect_exit 0 rd import users "$T/clean.csv" --report "$T/r3.csv"
expect_json users_skipped 2
expect_json rows_refused 0
check "clean run: the report is its header" \
    test "$(cat "$T/r3.csv" | tr -d '\r')" = "user,email,line,reason"
check "clean run: report mode 0600" test "$(stat -c %a "$T/r3.csv")" = 600
# A corrected report imports as it is (its line and reason are ignored).
printf 'user,email,line,reason\nbob,bob@example.com,3,old reason\n' \
    >"$T/fixed.csv"
expect_exit 0 rd import users "$T/fixed.csv"
expect_json users_created 1

# --- --update changes users ------------------------------------------------
cat >"$T/u.csv" <<'CSV'
user,email,phone,active,password
hank,hank@example.com,+1 555 123 4567,yes,pw-hank-2
gina,,,no,
ivy,ivy@example.com,,,
CSV
expect_exit 0 rd import users "$T/u.csv" --update
expect_json users_updated 2
expect_json users_created 1
expect_exit 0 rd user show hank
expect_json email hank@example.com
expect_json phone +15551234567
expect_json active true
expect_json password true
expect_exit 0 rd user show gina
expect_json active false
expect_json email gina@example.com	# an empty cell leaves a field
echo pw-hank-2 | expect_exit 0 rd login hank
expect_json status ok
# A user with an active method gets no new one without a code.
printf 'user,methods\nalice,sms\n' >"$T/add.csv"
expect_exit 0 rd import users "$T/add.csv" --update --send
expect_json rows_refused 1
check "require_code_to_add: said" \
    eval 'jget refusals.0.reason | grep -q "has an active method"'

# --- --send: code channels start, codes go out after the commit ------------
cat >"$T/s.csv" <<'CSV'
user,email,methods
jack,jack@example.com,email
kate,,email
CSV
expect_exit 0 rd import users "$T/s.csv" --send
expect_json users_created 1
expect_json rows_refused 1
expect_json refusals.0.user kate
expect_json codes_sent 1
expect_json enrolments.0.user jack
expect_json enrolments.0.sent_to 'j***@example.com'
check "one e-mail in the outbox" test "$(outbox_count email)" = 1
CODE=$(outbox_code email)
expect_exit 0 rd confirm jack email "$CODE"
expect_json state active
# Without --send the row starts nothing of that method.
printf 'user,email,methods\nleo,leo@example.com,email app\n' >"$T/ns.csv"
expect_exit 0 rd import users "$T/ns.csv"
expect_json methods_started 1
expect_json methods_waiting_for_send 1
check "without --send: nothing sent" test "$(outbox_count email)" = 1
expect_exit 0 rd audit verify
expect_json ok true

# --- the progress bar: on a terminal only ----------------------------------
"$PY" - "$T/p.csv" 3000 <<'PY'
import random, sys
names = ["p%05d" % i for i in range(int(sys.argv[2]))]
random.shuffle(names)
with open(sys.argv[1], "w") as f:
    f.write("user,email,active\n")
    for n in names:
        f.write("%s,%s@example.com,true\n" % (n, n))
PY
script -qec "'$REDOUBT' --vault '$VAULT' import users '$T/p.csv'" /dev/null \
    >"$T/tty.out" 2>&1
check "terminal: the bar is drawn" grep -q 'rows, [0-9]*/s' "$T/tty.out"
check "terminal: redrawn in place" grep -q $'\r' "$T/tty.out"
check "terminal: the summary follows" grep -q 'users skipped' "$T/tty.out"
expect_exit 0 rd import users "$T/p.csv"
check "piped: no bar on stderr" test ! -s "$ERR"

# --- 100,000 rows ----------------------------------------------------------
VAULT=$(vault_of big)
new_vault
"$PY" - "$T/big.csv" 100000 <<'PY'
import random, sys
names = ["u%06d" % i for i in range(int(sys.argv[2]))]
random.shuffle(names)
with open(sys.argv[1], "w") as f:
    f.write("user,email,phone,active\n")
    for i, n in enumerate(names):
        f.write("%s,%s@example.com,+4850%07d,true\n" % (n, n, i))
PY
expect_exit 0 rd import users "$T/big.csv"
expect_json users_created 100000
expect_json rows_refused 0
check "100k: every user is there" test "$(users_in_vault)" = 100000
expect_exit 0 rd user show u054321
expect_json email u054321@example.com

# --- kill -9 in the middle: whole chunks only, the audit log intact --------
# 20,000 rows: four chunks of 5,000 (IMPORT_CHUNK).
VAULT=$(vault_of killed)
new_vault
head -20001 "$T/big.csv" >"$T/kill.csv"
"$REDOUBT" --vault "$VAULT" import users "$T/kill.csv" >/dev/null 2>&1 &
PID=$!
for _ in $(seq 1 600); do
	n=$(users_in_vault)
	[ "${n:-0}" -ge 5000 ] && break
	sleep 0.05
done
kill -9 "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
N=$(users_in_vault)
check "killed: some chunks committed ($N users)" test "${N:-0}" -gt 0
check "killed: whole chunks of 5000 only ($N users)" \
    test $((N % 5000)) = 0
check "killed: one audit row per user there" test "$(vault_sql \
    "SELECT count(*) FROM audit WHERE action = 'user add'")" = "$N"
expect_exit 0 rd audit verify
expect_json ok true
# Running it again finishes the job.
expect_exit 0 rd import users "$T/kill.csv"
expect_json users_skipped "$N"
check "after the re-run: all 20,000" test "$(users_in_vault)" = 20000

finish
