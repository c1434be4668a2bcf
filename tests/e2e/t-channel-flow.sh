#!/usr/bin/env bash
# t-channel-flow.sh: the built-in outbox methods email and sms through every
# flow: activate, confirm, adding a second method, cooldown, login with a
# sent code, switching method, lockout, deactivate, primary, backup codes,
# operator reset, audit.
. "$(dirname "$0")/lib.sh"

# A file with no [method.*] keeps the built-in methods; this one only
# lifts the resend cooldown.
NOCOOL=$T/nocool.conf
printf '[redoubt]\nresend_cooldown = 0\n' >"$NOCOOL"
nocool() { local CONFIG=$NOCOOL; "$@"; }

new_vault
add_user cora "cora pw" --email cora@example.com --phone +15550001234
PHONE_MASK='+*********34'

# --- activate email -----------------------------------------------------------
expect_exit 0 rd activate cora email
expect_json user cora
expect_json method email
expect_json state pending
expect_json sent_to 'c***@example.com'
expect_json expires_in 600
check "activate email: no otpauth_uri" \
    test "$(jget otpauth_uri 2>/dev/null)" = ""
check "activate email: the full address is not shown" \
    not_grep cora@example.com "$OUT"
check "one e-mail in the outbox" test "$(outbox_count email)" = 1
expect_exit 0 rd outbox list
expect_json messages.# 1
expect_json messages.0.method email
expect_json messages.0.to cora@example.com
check "outbox message has id and sent_at numbers" "$PY" -c 'import json,sys
m = json.load(sys.stdin)["messages"][0]
sys.exit(not (isinstance(m["id"], int) and isinstance(m["sent_at"], int)
    and sorted(m) == ["body", "id", "method", "sent_at", "to"]))' <"$OUT"
E1=$(outbox_code email)
check "outbox body carries a 6-digit code" eval '[[ "$E1" =~ ^[0-9]{6}$ ]]'
ID1=$(jget messages.0.id)
# Resuming says where the code went and sends nothing new.
expect_exit 0 rd enrolment cora email
expect_json sent_to 'c***@example.com'
check "enrolment: the code still lives" \
    test "$(jget expires_in)" -gt 0 -a "$(jget expires_in)" -le 600
check "enrolment: nothing sent again" test "$(outbox_count email)" = 1
expect_exit 0 rdh enrolment cora email
check "enrolment, human: when another may be sent" grep -q '^resend in: ' "$OUT"
expect_exit 0 rd outbox show "$ID1"
expect_json to cora@example.com
check "outbox show: the body has the code" grep -q "$E1" "$OUT"

# --- cooldown ---------------------------------------------------------------
expect_err not_allowed 1 rd request-code cora email
check "cooldown: nothing sent" test "$(outbox_count email)" = 1
nocool expect_exit 0 rd request-code cora email
expect_json sent_to 'c***@example.com'
expect_json method email
check "resend: a second e-mail" test "$(outbox_count email)" = 2
E2=$(outbox_code email)
# Twice in a row under the default 30 s cooldown: the second is refused.
expect_err not_allowed 1 rd request-code cora email
check "cooldown: the refusal says to wait" grep -qi wait "$OUT"
check "cooldown: still two e-mails" test "$(outbox_count email)" = 2

# The replaced code is dead; the new one confirms.
if [ "$E1" != "$E2" ]; then
	expect_err invalid_code 1 rd confirm cora email "$E1"
fi
expect_err invalid_code 1 rd confirm cora email 999999x
expect_exit 0 rd confirm cora email "$E2"
expect_json user cora
expect_json method email
expect_json state active
expect_json primary true
expect_json backup_codes.# 10
BC=$(jget backup_codes)
bc() { "$PY" -c 'import json,sys; print(json.loads(sys.argv[1])[int(sys.argv[2])])' "$BC" "$1"; }
expect_exit 0 rd methods cora
expect_json methods '[{"name":"email","handler":"outbox","state":"active","primary":true}]'
rd user unlock cora >/dev/null

# --- a second method needs a code from the first ------------------------------
expect_err not_allowed 1 rd activate cora sms
expect_exit 0 rd methods cora
expect_json methods.# 1
check "refused activate: no SMS sent" test "$(outbox_count sms)" = 0
expect_err invalid_code 1 rd activate cora sms "$E2"	# used already
expect_err invalid_code 1 rd activate cora sms 123456
check "wrong code: no SMS sent" test "$(outbox_count sms)" = 0
nocool rd request-code cora email >/dev/null
E3=$(outbox_code email)
expect_exit 0 rd activate cora sms "$E3"
expect_json method sms
expect_json state pending
expect_json sent_to "$PHONE_MASK"
expect_json expires_in 600
check "activate sms: one SMS, to the whole number" \
    test "$(outbox_count sms)" = 1
expect_exit 0 rd outbox list
check "the SMS went to +15550001234" "$PY" -c 'import json,sys
m = [x for x in json.load(sys.stdin)["messages"] if x["method"] == "sms"]
sys.exit(m[-1]["to"] != "+15550001234")' <"$OUT"
S1=$(outbox_code sms)
expect_exit 0 rd confirm cora sms "$S1"
expect_json state active
expect_json primary false
expect_json backup_codes '[]'
expect_exit 0 rd methods cora
expect_json methods '[{"name":"email","handler":"outbox","state":"active","primary":true},{"name":"sms","handler":"outbox","state":"active","primary":false}]'
expect_err exists 1 nocool rd activate cora sms "$(bc 9)"
rd user unlock cora >/dev/null

# --- request-code for an app method: refused, nothing leaks --------------------
add_user appy "appy pw"
expect_exit 0 rd activate appy app
AS=$(otp_secret)
expect_err not_allowed 1 rd request-code appy app
check "request-code app: the secret is not shown" not_grep "$AS" "$OUT"
expect_exit 0 rd confirm appy app "$(totp_at "$AS" "$(date +%s)")"
expect_err not_allowed 1 rd request-code appy app
check "request-code app: still no secret" not_grep "$AS" "$OUT"
check "no outbox message for app" test "$(outbox_count app)" = 0
expect_err not_found 1 rd request-code appy email	# no such method for appy
expect_err not_found 1 rd request-code nobody email

# --- login with e-mail primary -----------------------------------------------
n0=$(outbox_count email)
echo "cora pw" | nocool expect_exit 0 rd login cora
expect_json status mfa_required
expect_json method email
expect_json other_methods '["sms"]'
expect_json expires_in 300
expect_json sent_to 'c***@example.com'
TOK=$(jget ephemeral_token)
check "login sent an e-mail" test "$(outbox_count email)" = $((n0 + 1))
L1=$(outbox_code email)
expect_exit 0 rd login-code "$TOK" "$L1"
expect_json status ok
expect_json user cora
expect_json method_used email
# Used once only.
echo "cora pw" | nocool expect_exit 0 rd login cora
TOK=$(jget ephemeral_token)
L2=$(outbox_code email)
if [ "$L1" != "$L2" ]; then
	expect_err invalid_code 1 rd login-code "$TOK" "$L1"
fi
# A code typed with spaces and dashes is fine.
expect_exit 0 rd login-code "$TOK" "${L2:0:3} -${L2:3}"
expect_json method_used email

# --- switch method during a login: request-code --token TOKEN sms -------------
echo "cora pw" | nocool expect_exit 0 rd login cora
TOK=$(jget ephemeral_token)
ns=$(outbox_count sms)
nocool expect_exit 0 rd request-code --token "$TOK" sms
expect_json method sms
expect_json sent_to "$PHONE_MASK"
check "switch: an SMS went out" test "$(outbox_count sms)" = $((ns + 1))
SW=$(outbox_code sms)
expect_exit 0 rd login-code "$TOK" "$SW"
expect_json method_used sms
# A resend without a method: the primary.
echo "cora pw" | nocool expect_exit 0 rd login cora
TOK=$(jget ephemeral_token)
ne=$(outbox_count email)
nocool expect_exit 0 rd request-code --token "$TOK" 
expect_json method email
check "resend: an e-mail went out" test "$(outbox_count email)" = $((ne + 1))
expect_exit 0 rd login-code "$TOK" "$(outbox_code email)"
expect_json method_used email
# A used token sends nothing.
ns=$(outbox_count sms)
expect_exit 1 nocool rd request-code --token "$TOK" sms
check "used token: no SMS" test "$(outbox_count sms)" = "$ns"
expect_exit 1 nocool rd request-code --token "not-a-token" sms
expect_err usage 2 rd request-code --token "$TOK" sms extra

# --- code_attempts: a channel code dies after N wrong tries --------------------
ATT=$T/attempts.conf
printf '[redoubt]\nresend_cooldown = 0\ncode_attempts = 2\n' >"$ATT"
echo "cora pw" | CONFIG=$ATT expect_exit 0 rd login cora
TOK=$(jget ephemeral_token)
GOOD=$(outbox_code email)
BAD=$(printf '%06d' $(( (10#$GOOD + 1) % 1000000 )))
CONFIG=$ATT expect_err invalid_code 1 rd login-code "$TOK" "$BAD" --method email
CONFIG=$ATT expect_err invalid_code 1 rd login-code "$TOK" "$BAD" --method email
CONFIG=$ATT expect_err invalid_code 1 rd login-code "$TOK" "$GOOD"
check "after 2 wrong tries the right code is dead too" \
    test "$(jget error.code)" = invalid_code
rd user unlock cora >/dev/null

# --- lockout after 5 wrong codes ---------------------------------------------
echo "cora pw" | nocool expect_exit 0 rd login cora
TOK=$(jget ephemeral_token)
nocool rd request-code --token "$TOK" sms >/dev/null
SC=$(outbox_code sms)
for i in 1 2 3 4 5; do
	expect_err invalid_code 1 rd login-code "$TOK" 000000
	expect_exit 0 rd user show cora
	if [ $i -lt 5 ]; then
		expect_json failures $i
		expect_json locked false
	fi
done
expect_json locked true
expect_err locked_out 1 rd login-code "$TOK" "$SC"
check "locked: the message says for how long" grep -Eq '[0-9]+ more seconds|[0-9]+ ?s' "$OUT"
echo "cora pw" | expect_err locked_out 1 nocool rd login cora
expect_err locked_out 1 rd login-code "$TOK" "$(bc 0)"
expect_exit 0 rd user show cora
expect_json locked true
expect_json backup_codes_left 10	# the refused backup code was not spent
expect_exit 0 rd user unlock cora
expect_json user cora
expect_json locked false
expect_exit 0 rd user show cora
expect_json locked false
expect_json failures 0
# Every wrong try spent one of the SMS code's attempts too (not only the
# primary's): five tries later it is dead, and a fresh one is needed.
expect_err invalid_code 1 rd login-code "$TOK" "$SC"
rd user unlock cora >/dev/null
nocool rd request-code --token "$TOK" sms >/dev/null
expect_exit 0 rd login-code "$TOK" "$(outbox_code sms)"
expect_json method_used sms

# --- deactivate ----------------------------------------------------------------
expect_err not_allowed 1 rd deactivate cora sms
expect_exit 0 rd methods cora
expect_json methods.# 2
nocool rd request-code cora email >/dev/null
EC=$(outbox_code email)
expect_err invalid_code 1 rd deactivate cora sms "$EC"	# not sms's code
expect_exit 0 rd methods cora
expect_json methods.# 2
expect_err not_allowed 1 rd deactivate cora email "$EC"	# primary, sms active
check "the refusal names the primary" grep -q primary "$OUT"
expect_exit 0 rd methods cora
expect_json methods.# 2
expect_err not_found 1 rd deactivate cora app
expect_err not_found 1 rd deactivate nobody sms

# --- primary switch with a code -------------------------------------------------
expect_err usage 2 rd primary cora sms
nocool rd request-code cora sms >/dev/null
SC2=$(outbox_code sms)
expect_err invalid_code 1 rd primary cora sms "$EC"	# an e-mail code: no
expect_err invalid_code 1 rd primary cora sms "$(bc 1)"	# a backup code: no
expect_exit 0 rd methods cora
expect_json methods.0.primary true
expect_json methods.1.primary false
expect_exit 0 rd primary cora sms "$SC2"
expect_exit 0 rd methods cora
expect_json methods '[{"name":"email","handler":"outbox","state":"active","primary":false},{"name":"sms","handler":"outbox","state":"active","primary":true}]'
ns=$(outbox_count sms)
echo "cora pw" | nocool expect_exit 0 rd login cora
expect_json method sms
expect_json other_methods '["email"]'
expect_json sent_to "$PHONE_MASK"
check "login now texts" test "$(outbox_count sms)" = $((ns + 1))
rd user unlock cora >/dev/null

# Now e-mail can go, with a code from it.
expect_err not_allowed 1 rd deactivate cora email
nocool rd request-code cora email >/dev/null
EC2=$(outbox_code email)
expect_err invalid_code 1 rd deactivate cora email "$SC2"	# used, and sms
expect_exit 0 rd deactivate cora email "$EC2"
expect_json state none
expect_exit 0 rd methods cora
expect_json methods '[{"name":"sms","handler":"outbox","state":"active","primary":true}]'
rd user unlock cora >/dev/null

# --- backup codes regeneration -------------------------------------------------
expect_err not_allowed 1 rd backup-codes cora
expect_exit 0 rd user show cora
expect_json backup_codes_left 10
expect_err invalid_code 1 rd backup-codes cora 000000
nocool rd request-code cora sms >/dev/null
expect_exit 0 rd backup-codes cora "$(outbox_code sms)"
expect_json user cora
expect_json backup_codes.# 10
NEW=$(jget backup_codes)
check "the new set differs from the old one" test "$NEW" != "$BC"
echo "cora pw" | nocool expect_exit 0 rd login cora
TOK=$(jget ephemeral_token)
expect_err invalid_code 1 rd login-code "$TOK" "$(bc 2)"	# old set: dead
BC=$NEW
expect_exit 0 rd login-code "$TOK" "$(bc 0)"
expect_json method_used backup_codes
expect_exit 0 rd user show cora
expect_json backup_codes_left 9
rd user unlock cora >/dev/null

# --- operator reset ---------------------------------------------------------
expect_exit 0 rd user reset cora
expect_json user cora
expect_exit 0 rd methods cora
expect_json methods '[]'
expect_exit 0 rd user show cora
expect_json backup_codes_left 0
echo "cora pw" | expect_exit 0 rd login cora
expect_json status ok
expect_exit 0 rd activate cora email	# no code needed any more
expect_json state pending
expect_json sent_to 'c***@example.com'
expect_exit 0 rd confirm cora email "$(outbox_code email)"
expect_json primary true
expect_json backup_codes.# 10

# A user without a phone cannot activate sms.
add_user dino "dino pw" --email dino@example.com
ns=$(outbox_count sms)
expect_exit 1 rd activate dino sms
check "no phone: the message says how to set one" grep -q phone "$OUT"
check "no phone: nothing sent" test "$(outbox_count sms)" = "$ns"

# --- expiry (the clock moved on with libfaketime) ---------------------------------
expect_exit 0 nocool rd request-code cora email
XC=$(outbox_code email)
later 601 expect_err expired 1 rd deactivate cora email "$XC"
later 601 expect_err invalid_code 1 rd deactivate cora email "$XC"	# and gone
rd user unlock cora >/dev/null
nocool rd request-code cora email >/dev/null
expect_exit 0 rd backup-codes cora "$(outbox_code email)"	# a fresh one works
echo "cora pw" | nocool expect_exit 0 rd login cora
TOK=$(jget ephemeral_token)
LC=$(outbox_code email)
later 301 expect_err expired 1 rd login-code "$TOK" "$LC"
ne=$(outbox_count email)
later 301 expect_err expired 1 nocool rd request-code --token "$TOK" email
check "expired token: nothing sent" test "$(outbox_count email)" = "$ne"
rd user unlock cora >/dev/null

# --- personal data and codes are not in clear in the vault file ------------------
check_not "the e-mail address is not in the vault file" \
    vault_has cora@example.com
check_not "the phone number is not in the vault file" vault_has 15550001234
check_not "the outbox text is not in the vault file" \
    vault_has "verification code"
check_not "the last sent code is not in the vault file" vault_has "$LC"
check "(user names are in clear, by design: the check can see text)" \
    vault_has cora

# --- audit ---------------------------------------------------------------------
expect_exit 0 rd audit verify
expect_json ok true
expect_exit 0 rd audit list --limit 0
check "audit list has entries" test "$(jget entries.#)" -gt 20
for action in activate confirm send login lock deactivate primary \
    backup-codes "user reset" "user unlock"; do
	check "audit has a '$action' row" "$PY" -c 'import json,sys
sys.exit(not any(e["action"] == sys.argv[1]
    for e in json.load(sys.stdin)["entries"]))' "$action" <"$OUT"
done
check "audit has failures" grep -q '"outcome":"failure"' "$OUT"
for c in "$E1" "$E2" "$E3" "$S1" "$SC" "$SC2" "$EC2" "$(bc 1)"; do
	check "audit does not record the code $c" "$PY" -c 'import json,sys
sys.exit(any(sys.argv[1] in str(e[k]) for e in json.load(sys.stdin)["entries"]
    for k in ("actor", "user", "action", "outcome", "detail")))' "$c" <"$OUT"
done

# --- outbox clear ---------------------------------------------------------------
expect_exit 0 rd outbox clear
expect_exit 0 rd outbox list
expect_json messages '[]'

finish
