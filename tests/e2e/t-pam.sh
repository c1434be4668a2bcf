#!/usr/bin/env bash
# t-pam.sh: pam_redoubt.so through the real libpam, without touching the
# system: tests/pam/pam-harness writes a service file into a temporary
# folder (pam_start_confdir), answers the prompts from a file and prints
# every message, prompt and syslog line of the module.  Checks: an app
# code (and the actor pam:sshd@HOST in the audit log), its replay, five
# wrong codes then PAM_MAXTRIES, a backup code once, an e-mail code from
# the outbox (and where it went), switching method by its name, unknown
# users and users without methods with and without nullok, `password`
# with use_first_pass and with a prompt, a key file with a wrong mode, a
# missing argument, a busy vault and a read-only one.
# PAM_ASAN=1 (t-pam-asan.sh) runs the same with the ASan module and
# harness.
. "$(dirname "$0")/lib.sh"

if [ "${PAM_ASAN:-0}" = 1 ]; then
	E2E_SCRIPT=t-pam-asan.sh
	MOD=$E2E_TOP/build-asan/pam/pam_redoubt.so
	HARNESS=$E2E_TOP/build-asan/tests/pam-harness
	export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
else
	MOD=$E2E_TOP/pam/pam_redoubt.so
	HARNESS=$E2E_TOP/build/tests/pam-harness
fi
AID=$E2E_TOP/build/tests/pam-aid.so
if [ ! -f "$MOD" ] || [ ! -x "$HARNESS" ] || [ ! -f "$AID" ]; then
	fail "no $MOD, $HARNESS or $AID (make them)"
	finish
fi

CONFIG=$T/redoubt.conf
# page: a provider (the exec handler) that delivers while $T/page-up
# exists and fails otherwise.
cat >"$T/page.sh" <<SH
#!/bin/sh
[ -e "$T/page-up" ] || { echo "gateway down" >&2; exit 3; }
echo "\$REDOUBT_CODE" >"$T/page-code"
SH
chmod +x "$T/page.sh"
touch "$T/page-up"
cat >"$CONFIG" <<CONF
[redoubt]
resend_cooldown = 0
[method.app]
handler = totp
[method.email]
handler = outbox
source_field = email
[method.page]
handler = exec
command = $T/page.sh
timeout = 5
CONF
KEY=$T/key
LOG=$T/pam.out

new_vault
add_user alice "alice pw" --email alice@example.com
add_user bob "bob pw"
add_user cora "cora pw" --email cora@example.com
add_user dave "dave pw"
add_user erin "erin pw" --phone +15550001234
expect_exit 0 rd key add --keyfile "$KEY"

# enrol_app USER: an active app; its secret in $S_USER, backup codes in
# $BC_USER (JSON).
enrol_app() {
	rd activate "$1" app || fail "activate $1 app"
	local s
	s=$(otp_secret)
	rd confirm "$1" app "$(totp_at "$s" "$(date +%s)")" ||
	    fail "confirm $1 app"
	eval "S_$1=$s"
	eval "BC_$1=\$(jget backup_codes)"
}
enrol_app alice
enrol_app bob
# The next step's code: the step of confirm is spent (replay).
next_code() { totp_at "$1" $(($(date +%s) + 30)); }
bc() { "$PY" -c 'import json, sys; print(json.loads(sys.argv[1])[int(sys.argv[2])])' "$1" "$2"; }

# E-mail for cora (primary) and as alice's second method.
rd activate cora email || fail "activate cora email"
rd confirm cora email "$(outbox_code email)" || fail "confirm cora email"
rd activate alice email "$(bc "$BC_alice" 9)" || fail "activate alice email"
rd confirm alice email "$(outbox_code email)" || fail "confirm alice email"

rd activate erin page || fail "activate erin page"
rd confirm erin page "$(cat "$T/page-code")" || fail "confirm erin page"

# A command the harness runs at a prompt: the newest code sent by METHOD.
cat >"$T/code.sh" <<SH
#!/bin/sh
"$REDOUBT" --json --vault "$VAULT" --config "$CONFIG" outbox list |
"$PY" -c 'import json, re, sys
m = [x for x in json.load(sys.stdin)["messages"] if x["method"] == sys.argv[1]]
m.sort(key=lambda x: x["id"])
print(re.search(r"\d{6,}", m[-1]["body"]).group())' "\$1"
SH
chmod +x "$T/code.sh"

ARGS="vault=$VAULT config=$CONFIG keyfile=$KEY"
# pam USER ANSWERS [harness options] [-- module arguments]: the transcript
# in $LOG, the result name in $RES.
pam() {
	local user=$1 answers=$2 hopts=() margs=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do hopts+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	margs=("$@")
	printf '%s' "$answers" >"$T/answers"
	"$HARNESS" --module "$MOD" --aid "$AID" --service sshd --user "$user" \
	    --answers "$T/answers" "${hopts[@]}" -- $ARGS "${margs[@]}" \
	    >"$LOG" 2>"$T/pam.err"
	RES=$(sed -n 's/^result: //p' "$LOG")
	if [ -s "$T/pam.err" ]; then
		fail "the harness or module wrote to stderr:"
		sed 's/^/    /' "$T/pam.err"
	fi
}
expect_pam() {	# RESULT DESC: the last pam's result
	if [ "$RES" = "$1" ]; then
		pass
	else
		fail "$2: expected $1, got ${RES:-nothing}"
		sed 's/^/    /' "$LOG"
	fi
}
has() { grep -qF -- "$1" "$LOG"; }

# --- an app code, its replay -------------------------------------------------
C1=$(next_code "$S_alice")
pam alice "$C1
" --rhost 192.0.2.7
expect_pam PAM_SUCCESS "app code"
check "the prompt is Verification code:" has "prompt: Verification code: "
check "the other methods are offered" \
    has "info: Or type the name of another method: email."
check_not "the code is not in syslog" grep -q "syslog: .*$C1" "$LOG"
expect_exit 0 rd audit list --user alice
check "the audit log: actor pam:sshd@192.0.2.7, login ok by app" \
    "$PY" -c 'import json, sys
e = json.load(open(sys.argv[1]))["entries"]
sys.exit(not any(x["actor"] == "pam:sshd@192.0.2.7" and
    x["action"] == "login" and x["outcome"] == "ok" and x["detail"] == "app"
    for x in e))' "$OUT"
pam alice "$C1
"
expect_pam PAM_AUTH_ERR "a replayed code"

# --- lockout ---------------------------------------------------------------
for i in 1 2 3 4 5; do
	pam bob "000000
"
	expect_pam PAM_AUTH_ERR "wrong code $i"
done
pam bob "$(next_code "$S_bob")
"
expect_pam PAM_MAXTRIES "after five wrong codes"
check_not "locked: no prompt" has "prompt:"

# --- backup codes ------------------------------------------------------------
B0=$(bc "$BC_alice" 0)
pam alice "$B0
"
expect_pam PAM_SUCCESS "a backup code"
pam alice "$B0
"
expect_pam PAM_AUTH_ERR "the same backup code again"

# --- an e-mail code; switching ---------------------------------------------
pam cora "!$T/code.sh email
"
expect_pam PAM_SUCCESS "an e-mail code from the outbox"
check "says where the code went" has "info: A code was sent to c***@example.com."
check_not "no other method offered" has "Or type the name"
pam alice "email
!$T/code.sh email
"
expect_pam PAM_SUCCESS "switching to email by its name"
check "switch: the code went to alice's address" \
    has "info: A code was sent to a***@example.com."
check "switch: asked twice" [ "$(grep -c '^prompt: Verification code: ' "$LOG")" = 2 ]

# A provider that fails: PAM_AUTHINFO_UNAVAIL, named in syslog.
pam erin "!cat $T/page-code
"
expect_pam PAM_SUCCESS "a code through the exec provider"
rm "$T/page-up"
pam erin "123456
"
expect_pam PAM_AUTHINFO_UNAVAIL "the provider fails and there is no other method"
check "syslog: the code was not sent, and why" \
    has "syslog: user erin: the code of page was not sent"
check "the person is told" has "error: No code could be sent by page now."
check_not "provider down: no prompt" has "prompt:"

# --- users the vault does not know, or without methods -----------------------
pam zed "123456
"
expect_pam PAM_USER_UNKNOWN "a user not in the vault"
check_not "unknown user: no prompt" has "prompt:"
pam zed "" -- nullok
expect_pam PAM_IGNORE "a user not in the vault, nullok"
pam dave ""
expect_pam PAM_AUTH_ERR "a user without methods"
pam dave "" -- nullok
expect_pam PAM_IGNORE "a user without methods, nullok"

# --- password mode ---------------------------------------------------------
B1=$(bc "$BC_alice" 1)
B2=$(bc "$BC_alice" 2)
pam alice "alice pw
$B1
" --first -- password use_first_pass
expect_pam PAM_SUCCESS "password (use_first_pass) and a backup code"
check "use_first_pass: the password asked once (by the first module)" \
    [ "$(grep -c '^prompt: Password: ' "$LOG")" = 1 ]
pam alice "wrong pw
$B2
" --first -- password use_first_pass
expect_pam PAM_AUTH_ERR "a wrong password (use_first_pass)"
check_not "a wrong password: no code asked" has "prompt: Verification"
check_not "the password is not in syslog" grep -q "wrong pw" "$LOG"
pam alice "$B2
" -- password use_first_pass
expect_pam PAM_AUTH_ERR "use_first_pass without a password before"
pam alice "alice pw
$B2
" -- password
expect_pam PAM_SUCCESS "password asked, then a backup code"
check "the password prompt" has "prompt: Password: "

# --- what the module cannot work with ------------------------------------------
cp "$KEY" "$T/key-open"
chmod 0440 "$T/key-open"
pam alice "$B2
" -- "keyfile=$T/key-open"
expect_pam PAM_AUTHINFO_UNAVAIL "a key file readable by the group"
check "syslog names the key file" has "syslog: cannot open the vault $VAULT with the key file $T/key-open"
check_not "wrong key file: no prompt" has "prompt:"
printf '%s\n' "$B2" >"$T/answers"
"$HARNESS" --module "$MOD" --user alice --answers "$T/answers" -- \
    "vault=$VAULT" "config=$CONFIG" >"$LOG" 2>&1
RES=$(sed -n 's/^result: //p' "$LOG")
expect_pam PAM_AUTHINFO_UNAVAIL "no keyfile= argument"
check "syslog names the missing argument" has "missing: keyfile"
# No config=: /etc/redoubt/redoubt.conf if there is one, else the
# built-in settings, whose app method is the one of the test's config.
if [ ! -e /etc/redoubt/redoubt.conf ]; then
	rd user add fay || fail "user add fay"
	enrol_app fay
	printf '%s\n' "$(next_code "$S_fay")" >"$T/answers"
	"$HARNESS" --module "$MOD" --user fay --answers "$T/answers" -- \
	    "vault=$VAULT" "keyfile=$KEY" >"$LOG" 2>&1
	RES=$(sed -n 's/^result: //p' "$LOG")
	expect_pam PAM_SUCCESS "no config=: the built-in settings"
	check_not "no config=: no complaint" has "missing:"
fi
pam alice "" -- bogus
expect_pam PAM_AUTHINFO_UNAVAIL "an unknown argument"
check "syslog names it" has "unknown module argument bogus"

# Another process holds the vault's write lock past the busy timeout: the
# sqlite3 shell on the file, or psql on the lock every writer of the
# PostgreSQL store takes first.
if store_file; then
	(echo "BEGIN IMMEDIATE; DELETE FROM audit WHERE 0;"; sleep 14) |
	    sqlite3 "$VAULT" >/dev/null 2>&1 &
else
	(echo "BEGIN; LOCK TABLE meta IN SHARE ROW EXCLUSIVE MODE;"; sleep 14) |
	    e2e_psql "$E2E_DB" >/dev/null 2>&1 &
fi
HOLDER=$!
sleep 1
pam alice "$B2
"
expect_pam PAM_AUTHINFO_UNAVAIL "a busy vault"
check "syslog: the vault is busy" has "vault_busy"
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null

# A vault the module's user cannot write.
# (A copy of the vault file, mode 0444: the SQLite store only.)
if store_file; then
	RO=$T/ro
	mkdir "$RO"
	cp "$VAULT" "$RO/vault.db"
	cp "$KEY" "$RO/key"
	chmod 0444 "$RO/vault.db"
	if [ "$(id -u)" = 0 ]; then
		chmod 711 "$T"
		chmod 755 "$RO"
		chown nobody "$RO/key"
		AS="setpriv --reuid=nobody --regid=nogroup --clear-groups"
		UID_RO=$(id -u nobody)
	else
		AS=
		UID_RO=$(id -u)
	fi
	printf '%s\n' "$B2" >"$RO/answers"
	chmod 644 "$RO/answers"
	$AS "$HARNESS" --module "$MOD" --user alice --answers "$RO/answers" -- \
	    "vault=$RO/vault.db" "config=$CONFIG" "keyfile=$RO/key" >"$LOG" 2>&1
	RES=$(sed -n 's/^result: //p' "$LOG")
	expect_pam PAM_AUTHINFO_UNAVAIL "a read-only vault"
	check "syslog: the vault is not writable by uid $UID_RO" \
	    has "syslog: the vault $RO/vault.db is not writable by uid $UID_RO"
fi

finish
