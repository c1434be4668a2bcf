#!/usr/bin/env bash
# t-verify-flow.sh: the provider-verified methods (twilio_verify,
# vonage_verify) and a real SMS channel (sms_twilio) through whole flows
# against the loopback fakes: activate starts a verification (sent_to
# masked), a wrong code is invalid_code, the fake's code 123456 confirms,
# login + login-code with a verify primary; sms_twilio delivers the code
# the fake records, and that code confirms.  No secret in any output.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/backends-lib.sh"

TW_SID=AC$(printf '5%.0s' {1..32})
TW_TOKEN=TOK-SECRET-7f3a
TW_SERVICE=VA$(printf 'c%.0s' {1..32})
VON_KEY=vonkey12
VON_SECRET=VON-SECRET-91c2
TW_BASIC=$(printf '%s:%s' "$TW_SID" "$TW_TOKEN" | base64 -w0)
SECRETS=("$TW_TOKEN" "$TW_BASIC" "$VON_SECRET")
GOOD=123456	# the only code the fakes accept (--code)

start_fake tw fake_twilio.py --account-sid "$TW_SID" --auth-token "$TW_TOKEN" \
    --service-sid "$TW_SERVICE" --code "$GOOD" --log "$T/tw.log"
start_fake von fake_vonage.py --api-key "$VON_KEY" --api-secret "$VON_SECRET" \
    --code "$GOOD" --log "$T/von.log"
start_fake twdown fake_twilio.py --account-sid "$TW_SID" --auth-token "$TW_TOKEN" \
    --service-sid "$TW_SERVICE" --mode server500
fakes_ready

CONFIG=$T/redoubt.conf
cat >"$CONFIG" <<EOF
[redoubt]
resend_cooldown = 0

[method.tverify]
handler = twilio_verify
account_sid = $TW_SID
auth_token = $TW_TOKEN
service_sid = $TW_SERVICE
api_base = http://127.0.0.1:$PORT_tw
timeout = 5

[method.vonage]
handler = vonage_verify
api_key = $VON_KEY
api_secret = $VON_SECRET
brand = Redoubt
api_base = http://127.0.0.1:$PORT_von
timeout = 5

[method.sms]
handler = sms_twilio
account_sid = $TW_SID
auth_token = $TW_TOKEN
from = +15550009999
api_base = http://127.0.0.1:$PORT_tw
timeout = 5

[method.smsdown]
handler = sms_twilio
account_sid = $TW_SID
auth_token = $TW_TOKEN
from = +15550009999
api_base = http://127.0.0.1:$PORT_twdown
timeout = 5

[method.app]
handler = totp
EOF

# Every output so far, for the final secret check.
ALL=$T/all-output
: >"$ALL"
keep() { cat "$OUT" "$ERR" >>"$ALL"; }

# The Body= of the newest Messages.json request to +1555..., decoded, and
# the code in it.
sms_code() {
	"$PY" - "$LOG_tw" "$1" <<'EOF'
import json, re, sys, urllib.parse
code = None
for line in open(sys.argv[1]):
    r = json.loads(line)
    if not r["path"].endswith("/Messages.json"):
        continue
    f = urllib.parse.parse_qs(r["body"])
    if f.get("To") == [sys.argv[2]]:
        m = re.search(r"\d{6}", f["Body"][0])
        code = m.group() if m else None
if code is None:
    sys.exit(1)
print(code)
EOF
}

new_vault
add_user vera "vera pw" --phone +15550001234 --email vera@example.com
add_user otto "otto pw" --phone +15550005678
add_user sam "sam pw" --phone +15550007788
MASK_V='+*********34'

# --- twilio_verify: activate, wrong code, right code -------------------------------
expect_exit 0 rd activate vera tverify; keep
expect_json state pending
expect_json method tverify
expect_json sent_to "$MASK_V"
check "tverify activate: the full number is not shown" not_grep +15550001234 "$OUT"
check "tverify activate: a Verification started at the fake for +15550001234" \
    "$PY" -c 'import json, sys, urllib.parse as u
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["path"].endswith("/Verifications") and \
            u.parse_qs(r["body"]).get("To") == ["+15550001234"]:
        sys.exit(0)
sys.exit(1)' "$LOG_tw"
expect_err invalid_code 1 rd confirm vera tverify 654321; keep
check "tverify wrong code: a VerificationCheck went to the fake" \
    grep -q "/VerificationCheck" "$LOG_tw"
expect_exit 0 rd methods vera; keep
check "tverify still pending after the wrong code" \
    "$PY" -c 'import json, sys
m = [x for x in json.load(sys.stdin)["methods"] if x["name"] == "tverify"]
sys.exit(not (m and m[0]["state"] != "active"))' <"$OUT"
expect_exit 0 rd confirm vera tverify "$GOOD"; keep
expect_json state active
expect_json method tverify
expect_json primary true

# --- login with the verify primary -------------------------------------------------
n0=$(grep -c '/Verifications"' "$LOG_tw")
printf 'vera pw\n' | rd login vera; keep
expect_json status mfa_required
expect_json method tverify
TOKEN=$(jget ephemeral_token)
check "login: an ephemeral token" test -n "$TOKEN"
n1=$(grep -c '/Verifications"' "$LOG_tw")
check "login: a new verification started at the fake ($n0 -> $n1)" test "$n1" -gt "$n0"
expect_err invalid_code 1 rd login-code "$TOKEN" 111111; keep
expect_exit 0 rd login-code "$TOKEN" "$GOOD"; keep
expect_json status ok
expect_json user vera
expect_json method_used tverify

# --- vonage_verify -----------------------------------------------------------------------
expect_exit 0 rd activate otto vonage; keep
expect_json state pending
expect_json sent_to '+*********78'
check "vonage activate: the fake got number=15550005678" grep -q 'number=15550005678' "$LOG_von"
check "vonage activate: api_secret is not in the output" not_grep "$VON_SECRET" "$OUT"
expect_err invalid_code 1 rd confirm otto vonage 000000; keep
check "vonage wrong code: a check went to the fake" grep -q '/verify/check/json' "$LOG_von"
expect_exit 0 rd confirm otto vonage "$GOOD"; keep
expect_json state active
expect_json primary true
printf 'otto pw\n' | rd login otto; keep
expect_json status mfa_required
expect_json method vonage
TOKEN=$(jget ephemeral_token)
expect_exit 0 rd login-code "$TOKEN" "$GOOD"; keep
expect_json status ok
expect_json method_used vonage

# --- sms_twilio: the code travels through the fake ---------------------------------
expect_exit 0 rd activate sam sms; keep
expect_json state pending
expect_json sent_to '+*********88'
check "sms: the fake got To=+15550007788 with the + intact" \
    grep -q '"body": "To=%2B15550007788&' "$LOG_tw"
C=$(sms_code +15550007788)
check "sms: a 6-digit code in the logged Body ($C)" eval '[[ "$C" =~ ^[0-9]{6}$ ]]'
check "sms activate: the code is not in the output" not_grep "$C" "$OUT"
W=$(printf '%06d' $(((10#$C + 1) % 1000000)))
expect_err invalid_code 1 rd confirm sam sms "$W"; keep
expect_exit 0 rd confirm sam sms "$C"; keep
expect_json state active
check "sms confirm: the code is not echoed" not_grep "$C" "$OUT"
# Login: a fresh code goes out; it logs in.
printf 'sam pw\n' | rd login sam; keep
expect_json status mfa_required
expect_json method sms
TOKEN=$(jget ephemeral_token)
C2=$(sms_code +15550007788)
check "sms login: a new code was sent" test -n "$C2"
expect_exit 0 rd login-code "$TOKEN" "$C2"; keep
expect_json status ok
expect_json method_used sms

# --- a provider fault during activation: nothing recorded as sent or active ----------
add_user dora "dora pw" --phone +15550003322
expect_err backend 4 rd activate dora smsdown; keep
expect_exit 0 rd methods dora; keep
check "after the 500 the method is not active" \
    "$PY" -c 'import json, sys
m = [x for x in json.load(sys.stdin)["methods"] if x["name"] == "smsdown"]
sys.exit(not (not m or m[0]["state"] != "active"))' <"$OUT"

# --- human output and secrets --------------------------------------------------------
add_user hugo "hugo pw" --phone +15550004455
expect_exit 0 rdh activate hugo tverify; keep
check "human activate: masked number" grep -qF '+*********55' "$OUT"
expect_exit 0 rdh confirm hugo tverify "$GOOD"; keep
expect_exit 0 rd audit list; keep
no_secrets "all outputs of this script" "$ALL"

finish
