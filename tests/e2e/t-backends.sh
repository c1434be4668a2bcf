#!/usr/bin/env bash
# t-backends.sh: `redoubt test-backend` against the loopback fake providers
# of tests/servers/ for every real channel (sms_twilio, sms_smsapi, sms_sns,
# twilio_verify, vonage_verify, yubicloud, email over SMTP, exec): success,
# the providers' documented errors (their own code and message, the HTTP
# status), the faults (refused, no answer within the timeout, 401, 500, a
# malformed body) with the documented exit status 4 and error codes, no
# secret anywhere in the output (JSON and human, with and without
# --verbose), and `redoubt config` masking secrets as ***.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/backends-lib.sh"

# --- secrets (distinctive, so a leak is found by grep) -----------------------
TW_SID=AC$(printf '7%.0s' {1..32})
TW_TOKEN=TOK-SECRET-7f3a
TW_SERVICE=VA$(printf 'b%.0s' {1..32})
SA_TOKEN=SA-SECRET-4b1e
SNS_KEY=AKIASNSSECRETKEY0042
SNS_SECRET=SNS-SECRET/8d2e+q
VON_KEY=vonkey12
VON_SECRET=VON-SECRET-91c2
YC_ID=4711
YC_KEY_RAW=YUBI-SECRET-6b0a-XYZ
YC_KEY=$(printf '%s' "$YC_KEY_RAW" | base64)
SMTP_PASS=SMTP-SECRET-55aa
OTP=ccccccbcgujhhknhfjbrjnlnldnhcujvddbikngjrtgh
TW_BASIC=$(printf '%s:%s' "$TW_SID" "$TW_TOKEN" | base64 -w0)
SECRETS=("$TW_TOKEN" "$TW_BASIC" "$SA_TOKEN" "$SNS_KEY" "$SNS_SECRET"
    "$VON_SECRET" "$YC_KEY" "$YC_KEY_RAW" "$SMTP_PASS" "$OTP")

# --- servers -----------------------------------------------------------------
tw_opts=(--account-sid "$TW_SID" --auth-token "$TW_TOKEN" --service-sid "$TW_SERVICE")
start_fake tw fake_twilio.py "${tw_opts[@]}" --log "$T/tw.log"
start_fake twbad fake_twilio.py "${tw_opts[@]}" --mode bad_number --log "$T/twbad.log"
start_fake tw401 fake_twilio.py "${tw_opts[@]}" --mode auth401
start_fake tw500 fake_twilio.py "${tw_opts[@]}" --mode server500
start_fake twmal fake_twilio.py "${tw_opts[@]}" --mode malformed
start_fake twhang fake_twilio.py "${tw_opts[@]}" --mode hang
start_fake sa fake_smsapi.py --token "$SA_TOKEN" --sender Test --log "$T/sa.log"
start_fake sabad fake_smsapi.py --token "$SA_TOKEN" --sender Test --mode bad_number --log "$T/sabad.log"
start_fake sns fake_sns.py --access-key "$SNS_KEY" --secret-key "$SNS_SECRET" --region eu-west-1 --log "$T/sns.log"
start_fake snsbad fake_sns.py --access-key "$SNS_KEY" --secret-key "$SNS_SECRET" --region eu-west-1 --mode bad_number --log "$T/snsbad.log"
start_fake von fake_vonage.py --api-key "$VON_KEY" --api-secret "$VON_SECRET" --log "$T/von.log"
start_fake vonbad fake_vonage.py --api-key "$VON_KEY" --api-secret "$VON_SECRET" --mode bad_number
start_fake yc fake_yubicloud.py --api-key "$YC_KEY" --log "$T/yc.log"
start_fake ycbad fake_yubicloud.py --api-key "$YC_KEY" --mode backend_error
mkdir -p "$T/mail" "$T/mailtls"
# Plain SMTP without AUTH (redoubt refuses a password in clear text).
start_fake smtp smtp_server.py --maildir "$T/mail"
# A self-signed certificate for 127.0.0.1, for the STARTTLS case.
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -nodes -keyout "$T/tls.key" -out "$T/tls.crt" -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1; then
	pass "openssl made a certificate"
else
	fail "openssl could not make a certificate"
fi
start_fake smtptls smtp_server.py --maildir "$T/mailtls" --auth "mailer:$SMTP_PASS" \
    --tls-cert "$T/tls.crt" --tls-key "$T/tls.key"
fakes_ready
REFUSED=$(free_port)

# exec: one program that records its environment, one that fails, one that
# never ends.
cat >"$T/exec-ok.sh" <<EOF
#!/bin/sh
env >"$T/exec.env"
exit 0
EOF
cat >"$T/exec-fail.sh" <<EOF
#!/bin/sh
echo "gateway says: number barred" >&2
exit 3
EOF
cat >"$T/exec-hang.sh" <<EOF
#!/bin/sh
sleep 30
EOF
chmod +x "$T"/exec-*.sh

# --- config ------------------------------------------------------------------
CONFIG=$T/redoubt.conf
tw_method() {	# NAME PORT [TIMEOUT]
	printf '[method.%s]\nhandler = sms_twilio\naccount_sid = %s\n' "$1" "$TW_SID"
	printf 'auth_token = %s\nfrom = +15550009999\n' "$TW_TOKEN"
	printf 'api_base = http://127.0.0.1:%s\ntimeout = %s\n\n' "$2" "${3:-5}"
}
{
	printf '[redoubt]\nresend_cooldown = 0\n\n'
	tw_method twilio "$PORT_tw"
	tw_method twbad "$PORT_twbad"
	tw_method tw401 "$PORT_tw401"
	tw_method tw500 "$PORT_tw500"
	tw_method twmal "$PORT_twmal"
	tw_method twhang "$PORT_twhang" 1
	tw_method refused "$REFUSED"
	for m in "smsapi $PORT_sa" "smsapibad $PORT_sabad"; do
		set -- $m
		printf '[method.%s]\nhandler = sms_smsapi\naccess_token = %s\n' "$1" "$SA_TOKEN"
		printf 'from = Test\napi_base = http://127.0.0.1:%s\ntimeout = 5\n\n' "$2"
	done
	for m in "sns $PORT_sns" "snsbad $PORT_snsbad"; do
		set -- $m
		printf '[method.%s]\nhandler = sms_sns\naccess_key = %s\n' "$1" "$SNS_KEY"
		printf 'secret_key = %s\nregion = eu-west-1\n' "$SNS_SECRET"
		printf 'api_base = http://127.0.0.1:%s\ntimeout = 5\n\n' "$2"
	done
	for m in "tverify $PORT_tw" "tverifybad $PORT_twbad"; do
		set -- $m
		printf '[method.%s]\nhandler = twilio_verify\naccount_sid = %s\n' "$1" "$TW_SID"
		printf 'auth_token = %s\nservice_sid = %s\n' "$TW_TOKEN" "$TW_SERVICE"
		printf 'api_base = http://127.0.0.1:%s\ntimeout = 5\n\n' "$2"
	done
	for m in "vonage $PORT_von" "vonagebad $PORT_vonbad"; do
		set -- $m
		printf '[method.%s]\nhandler = vonage_verify\napi_key = %s\n' "$1" "$VON_KEY"
		printf 'api_secret = %s\nbrand = Redoubt\n' "$VON_SECRET"
		printf 'api_base = http://127.0.0.1:%s\ntimeout = 5\n\n' "$2"
	done
	for m in "yubi $PORT_yc" "yubibad $PORT_ycbad"; do
		set -- $m
		printf '[method.%s]\nhandler = yubicloud\nclient_id = %s\n' "$1" "$YC_ID"
		printf 'api_key = %s\napi_base = http://127.0.0.1:%s\ntimeout = 5\n\n' "$YC_KEY" "$2"
	done
	printf '[method.mail]\nhandler = email\nsmtp_url = smtp://127.0.0.1:%s/test.example\n' "$PORT_smtp"
	printf 'starttls = none\n'
	printf 'from = redoubt@test.example\ntimeout = 5\n\n'
	printf '[method.mailtls]\nhandler = email\nsmtp_url = smtp://127.0.0.1:%s/test.example\n' "$PORT_smtptls"
	printf 'starttls = required\nca_file = %s\nsmtp_user = mailer\n' "$T/tls.crt"
	printf 'smtp_password = %s\nfrom = redoubt@test.example\ntimeout = 5\n\n' "$SMTP_PASS"
	printf '[method.mailnotls]\nhandler = email\nsmtp_url = smtp://127.0.0.1:%s/test.example\n' "$PORT_smtp"
	printf 'starttls = required\nfrom = redoubt@test.example\ntimeout = 5\n\n'
	# STARTTLS offered, with a certificate nothing here trusts.
	printf '[method.mailuntrusted]\nhandler = email\nsmtp_url = smtp://127.0.0.1:%s/test.example\n' "$PORT_smtptls"
	printf 'starttls = required\nfrom = redoubt@test.example\ntimeout = 5\n\n'
	# https:// to a server that speaks plain HTTP.
	printf '[method.twtls]\nhandler = sms_twilio\naccount_sid = %s\n' "$TW_SID"
	printf 'auth_token = %s\nfrom = +15550009999\n' "$TW_TOKEN"
	printf 'api_base = https://127.0.0.1:%s\ntimeout = 5\n\n' "$PORT_tw"
	printf '[method.execok]\nhandler = exec\ncommand = %s\ntimeout = 5\n\n' "$T/exec-ok.sh"
	printf '[method.execfail]\nhandler = exec\ncommand = %s\ntimeout = 5\n\n' "$T/exec-fail.sh"
	printf '[method.exechang]\nhandler = exec\ncommand = %s\ntimeout = 1\n\n' "$T/exec-hang.sh"
} >"$CONFIG"

new_vault

# Every 6-digit code a test message carried, from the fakes' records.
sent_codes() {
	"$PY" - "$T" <<'EOF'
import glob, json, os, re, sys, urllib.parse
t = sys.argv[1]
found = set()
for log in glob.glob(os.path.join(t, "*.log")):
    for line in open(log, errors="replace"):
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        text = urllib.parse.unquote_plus(rec.get("body", "")) + " " + \
            urllib.parse.unquote_plus(rec.get("raw_query", ""))
        found.update(re.findall(r"code is:? (\d{4,8})", text))
for eml in glob.glob(os.path.join(t, "mail*", "*.eml")):
    body = open(eml, "rb").read().decode("utf-8", "replace")
    body = body.split("\r\n\r\n", 1)[-1]
    found.update(re.findall(r"(?<![0-9])(\d{6})(?![0-9])", body))
env = os.path.join(t, "exec.env")
if os.path.exists(env):
    for line in open(env):
        if line.startswith("REDOUBT_CODE="):
            found.add(line.split("=", 1)[1].strip())
for c in sorted(found):
    print(c)
EOF
}

# tb EXIT METHOD RECIPIENT: test-backend four ways (--json or not, --verbose
# or not), each with exit EXIT; no secret and no sent code in any output.
# Leaves the --json output in $OUT, the --json --verbose output in $T/jv,
# the human outputs in $T/h and $T/hv (stdout and stderr together).
tb() {
	local want=$1 m=$2 to=$3 codes c
	expect_exit "$want" rdh test-backend "$m" "$to"
	cat "$OUT" "$ERR" >"$T/h"
	expect_exit "$want" rdh test-backend "$m" "$to" --verbose
	cat "$OUT" "$ERR" >"$T/hv"
	expect_exit "$want" rd test-backend "$m" "$to" --verbose
	cat "$OUT" "$ERR" >"$T/jv"
	cp "$OUT" "$T/jv.out"
	expect_exit "$want" rd test-backend "$m" "$to"
	check "$m: --json stdout is one JSON object" stdout_is_one_json
	mapfile -t codes < <(sent_codes)
	local SECRETS=("${SECRETS[@]}" "${codes[@]}")
	no_secrets "test-backend $m (4 ways)" "$T/h" "$T/hv" "$T/jv" "$OUT" "$ERR"
}

# jv KEY VAL: like expect_json on the --json --verbose output.
jv() {
	local save=$OUT
	OUT=$T/jv.out
	expect_json "$@"
	OUT=$save
}

# A number: the "seconds" (or error.seconds) of the last --json output.
is_seconds() {
	"$PY" -c 'import json, sys
d = json.load(sys.stdin)
d = d.get("error", d)
s = d["seconds"]
sys.exit(not (isinstance(s, (int, float)) and 0 <= s < 30))' <"$OUT"
}

# --- sms_twilio ----------------------------------------------------------------
tb 0 twilio +15551230001
expect_json method twilio
expect_json handler sms_twilio
expect_json to +15551230001
expect_json outcome ok
expect_json status 201
check "twilio ok: seconds is a number" is_seconds
check "twilio ok: the message SID is reported" grep -q 'SM[0-9a-f]\{32\}' "$OUT"
check "twilio: the fake got To=+15551230001 with the + intact" grep -q '"body": "To=%2B15551230001&' "$LOG_tw"
check "twilio: the test message is marked [TEST]" grep -q 'Body=%5BTEST%5D' "$LOG_tw"
check "twilio: human output has the outcome" grep -q "outcome: *ok" "$T/h"
check "twilio --verbose: the URL is shown" \
    grep -qF "http://127.0.0.1:$PORT_tw/2010-04-01/Accounts/$TW_SID/Messages.json" "$T/hv"
check "twilio --verbose: Authorization shown as ***" grep -q 'Authorization: \*\*\*' "$T/hv"
check "twilio --verbose: the code in the body is ***" grep -q 'code%20is%3A%20\*\*\*' "$T/hv"
check "twilio --verbose --json: a transcript with the URL" \
    grep -qF "127.0.0.1:$PORT_tw/2010-04-01" "$T/jv"
check_not "twilio without --verbose: no transcript" grep -q transcript "$OUT"
# A number written as people write it goes out in E.164; one without a
# country code is refused before anything is sent.
expect_exit 0 rd test-backend twilio '+1 (555) 123-0010'
check "twilio: '+1 (555) 123-0010' went as To=+15551230010" \
    grep -q '"body": "To=%2B15551230010&' "$LOG_tw"
expect_err usage 2 rd test-backend twilio '555-123-0011'
check "twilio: a number without country code is refused, with an example" \
    grep -q "no country code.*+48 500 000 000" <(jget error.message)
check_not "twilio: ... and not sent" grep -q '5551230011' "$LOG_tw"

tb 4 twbad +15551230002
expect_json error.code backend
expect_json error.provider_code 21211
expect_json error.status 400
check "twilio bad_number: provider message" \
    grep -q "is not a valid phone number" "$OUT"
check "twilio bad_number: seconds reported" is_seconds
check "twilio bad_number (human): 21211 and the message" \
    grep -q "21211" "$T/h"
check "twilio bad_number (human): the status" grep -q "400" "$T/h"
check "twilio bad_number --verbose: the answer shown" grep -q '< HTTP 400' "$T/hv"

tb 4 tw401 +15551230003
expect_json error.code backend
expect_json error.provider_code 20003
expect_json error.status 401
tb 4 tw500 +15551230004
expect_json error.code backend
expect_json error.status 500
tb 4 twmal +15551230005
expect_json error.code backend
expect_json error.status 201

# No answer at all, timeout = 1: a timeout error within ~3 s.
t0=$(date +%s%N)
expect_err timeout 4 rd test-backend twhang +15551230006
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
check "hang with timeout 1: returned in ${ms} ms (< 4500)" test "$ms" -lt 4500
check "hang: the message names the time limit" grep -q "1 s" "$OUT"
no_secrets "twhang --json" "$OUT" "$ERR"
t0=$(date +%s%N)
expect_exit 4 rdh test-backend twhang +15551230006 --verbose
t1=$(date +%s%N)
check "hang (human, --verbose): under 4.5 s" test $(((t1 - t0) / 1000000)) -lt 4500
no_secrets "twhang human --verbose" "$OUT" "$ERR"

# Nothing listening: a network error, at once: well before the method's
# 5 s timeout (a loaded machine may take a while to start redoubt).
tb 4 refused +15551230007
expect_json error.code network
t0=$(date +%s%N)
expect_err network 4 rd test-backend refused +15551230007
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
check "refused: returned in ${ms} ms, before the 5 s timeout" test "$ms" -lt 4000

# --- sms_smsapi ---------------------------------------------------------------------
tb 0 smsapi +48500100200
expect_json handler sms_smsapi
expect_json outcome ok
expect_json status 200
check "smsapi: the number went without '+'" grep -q 'to=48500100200' "$LOG_sa"
check "smsapi: Bearer token shown as ***" grep -qi 'Authorization: \*\*\*' "$T/hv"
check "smsapi --verbose: the URL" grep -qF "http://127.0.0.1:$PORT_sa/sms.do" "$T/hv"
tb 4 smsapibad +48500100201
expect_json error.code backend
expect_json error.provider_code 13
check "smsapi error 13: a provider message" test -n "$(jget error.provider_message)"

# --- sms_sns ------------------------------------------------------------------------
tb 0 sns +15551230010
expect_json handler sms_sns
expect_json outcome ok
expect_json status 200
check "sns: a MessageId as request_id or message" grep -qE '"(request_id|provider_message)":"[^"]+' "$OUT"
check "sns --verbose: Authorization shown as ***" grep -q 'Authorization: \*\*\*' "$T/hv"
check "sns: the fake checked the signature (a Publish arrived)" grep -q 'Action=Publish' "$LOG_sns"
tb 4 snsbad +15551230011
expect_json error.code backend
expect_json error.provider_code InvalidParameter
expect_json error.status 400

# --- twilio_verify (start) ------------------------------------------------------------
tb 0 tverify +15551230020
expect_json handler twilio_verify
expect_json outcome ok
expect_json status 201
check "twilio_verify: a Verifications POST arrived" \
    grep -q "/v2/Services/$TW_SERVICE/Verifications" "$LOG_tw"
tb 4 tverifybad +15551230021
expect_json error.code backend
expect_json error.provider_code 60200

# --- vonage_verify (start) -------------------------------------------------------------
tb 0 vonage +15551230030
expect_json handler vonage_verify
expect_json outcome ok
check "vonage: a request_id" test -n "$(jget request_id)"
check "vonage: the number went without '+'" grep -q 'number=15551230030' "$LOG_von"
check "vonage --verbose: api_secret shown as ***" grep -q 'api_secret=\*\*\*' "$T/hv"
tb 4 vonagebad +15551230031
expect_json error.code backend
expect_json error.provider_code 3

# --- yubicloud ----------------------------------------------------------------------------
# The fake says OK once per OTP and REPLAYED_OTP after: a new OTP each run.
yotp() {	# N: a well-formed 44-char OTP of the public id ccccccbcgujh
	printf '%s%s' "${OTP:0:12}" "$(printf 'cccccccccccccccccccccccccccccc%02d' "$1" |
	    tr 0123456789 cbdefghijk)"
}
YOTPS=()
for i in 1 2 3 4; do
	YOTPS+=("$(yotp "$i")")
done
SECRETS+=("${YOTPS[@]}")
expect_exit 0 rdh test-backend yubi "${YOTPS[0]}"
cat "$OUT" "$ERR" >"$T/h"
expect_exit 0 rdh test-backend yubi "${YOTPS[1]}" --verbose
cat "$OUT" "$ERR" >"$T/hv"
expect_exit 0 rd test-backend yubi "${YOTPS[2]}" --verbose
cat "$OUT" "$ERR" >"$T/jv"
expect_exit 0 rd test-backend yubi "${YOTPS[3]}"
no_secrets "test-backend yubi (4 ways, the OTP too)" "$T/h" "$T/hv" "$T/jv" "$OUT" "$ERR"
expect_json handler yubicloud
expect_json outcome ok
expect_json to '***'
expect_json status 200
check "yubicloud: four requests reached the fake" \
    test "$(grep -c '/wsapi/2.0/verify' "$LOG_yc")" -eq 4
# Typed on a Dvorak layout: accepted, and sent to YubiCloud as modhex.
Y5=$(yotp 5)
YD=$(printf '%s' "$Y5" | tr cbdefghijklnrtuv 'jxe.uidchtnbpygk')
SECRETS+=("$Y5" "$YD")
expect_exit 0 rd test-backend yubi "$YD"
expect_json outcome ok
check "yubicloud: a Dvorak-typed OTP went out as its modhex" \
    grep -q "otp=$Y5&" "$LOG_yc"
no_secrets "yubicloud Dvorak" "$OUT" "$ERR"
check "yubicloud --verbose: the URL" grep -qF "http://127.0.0.1:$PORT_yc/wsapi/2.0/verify" "$T/hv"
check "yubicloud --verbose: the OTP shown as ***" grep -q 'otp=\*\*\*' "$T/hv"
# A replayed OTP: the provider's verdict, its status word reported.
expect_exit 1 rd test-backend yubi "${YOTPS[0]}"
expect_json error.provider_code REPLAYED_OTP
no_secrets "yubicloud replay" "$OUT" "$ERR"
tb 4 yubibad "${YOTPS[0]}"
expect_json error.code backend
expect_json error.provider_code BACKEND_ERROR

# --- email ------------------------------------------------------------------------------------
tb 0 mail someone@example.org
expect_json handler email
expect_json outcome ok
n=$(ls "$T"/mail/*.eml 2>/dev/null | wc -l)
check "email: four messages stored (got $n)" test "$n" -eq 4
check "email: the subject has the [TEST] mark" grep -q '^Subject: .*\[TEST\]' "$T/mail/1.eml"
check "email: to the recipient" grep -q '"someone@example.org"' "$T/mail/1.env"
check "email --verbose: SMTP dialogue shown" grep -qE '(250|220)' "$T/hv"

tb 0 mailtls someone@example.org
n=$(ls "$T"/mailtls/*.eml 2>/dev/null | wc -l)
check "email STARTTLS: four messages stored (got $n)" test "$n" -eq 4
check "email STARTTLS: the session used TLS" grep -q '"tls": true' "$T/mailtls/1.env"
check "email STARTTLS: authenticated ($(cat "$T/mailtls/1.env" 2>/dev/null))" grep -q '"auth": true' "$T/mailtls/1.env"
check "email STARTTLS --verbose: no AUTH payload, password ***" not_grep "$SMTP_PASS" "$T/hv"

# starttls = required against a server that offers none: refused, nothing
# sent, and said to be TLS (not the server's 250 to EHLO as the status).
expect_err network 4 rd test-backend mailnotls someone@example.org
n=$(ls "$T"/mail/*.eml 2>/dev/null | wc -l)
check "email starttls required, none offered: nothing sent" test "$n" -eq 4
expect_json error.status 0
expect_json error.tls 'TLS not offered: the server does not offer STARTTLS'
# A certificate not trusted: a TLS handshake failure, with curl's reason.
expect_err network 4 rd test-backend mailuntrusted someone@example.org
expect_json error.status 0
check "email, certificate not trusted: the TLS failure and its reason" \
    grep -q '^TLS handshake failed: SSL certificate problem: self-signed certificate' \
    <(jget error.tls)
check "email, certificate not trusted: the message says TLS" \
    grep -q '127.0.0.1: TLS handshake failed' <(jget error.message)
expect_exit 4 rdh test-backend mailuntrusted someone@example.org
check "email, certificate not trusted (human): tls line, status 0" \
    eval 'grep -Eq "^tls: +TLS handshake failed" "$OUT" && grep -Eqx "status: +0" "$OUT"'
n=$(ls "$T"/mailtls/*.eml 2>/dev/null | wc -l)
check "email, certificate not trusted: nothing sent" test "$n" -eq 4
# https:// to a plain HTTP server: the handshake fails, no HTTP status.
expect_err network 4 rd test-backend twtls +15551230099
expect_json error.status 0
check "https to plain HTTP: a TLS handshake failure" \
    grep -q '^TLS handshake failed: ' <(jget error.tls)

# --- exec ----------------------------------------------------------------------------------------
tb 0 execok +15551230040
expect_json handler exec
expect_json outcome ok
check "exec: REDOUBT_TEST=1" grep -qx 'REDOUBT_TEST=1' "$T/exec.env"
check "exec: REDOUBT_TO" grep -qx 'REDOUBT_TO=+15551230040' "$T/exec.env"
check "exec: REDOUBT_CODE of 6 digits" grep -qE '^REDOUBT_CODE=[0-9]{6}$' "$T/exec.env"
tb 4 execfail +15551230041
expect_json error.code backend
check "exec failure: its stderr reported" grep -q "number barred" "$OUT"
t0=$(date +%s%N)
expect_err timeout 4 rd test-backend exechang +15551230042
t1=$(date +%s%N)
check "exec hang, timeout 1: under 4.5 s" test $(((t1 - t0) / 1000000)) -lt 4500

# --- config masks --------------------------------------------------------------------------
expect_exit 0 rdh config
cat "$OUT" "$ERR" >"$T/cfg.txt"
no_secrets "config (human)" "$T/cfg.txt"
check "config: auth_token = ***" grep -qx 'auth_token = \*\*\*' "$T/cfg.txt"
check "config: access_token = ***" grep -qx 'access_token = \*\*\*' "$T/cfg.txt"
check "config: secret_key = ***" grep -qx 'secret_key = \*\*\*' "$T/cfg.txt"
check "config: api_secret = ***" grep -qx 'api_secret = \*\*\*' "$T/cfg.txt"
check "config: smtp_password = ***" grep -qx 'smtp_password = \*\*\*' "$T/cfg.txt"
check "config: access_key = ***" grep -qx 'access_key = \*\*\*' "$T/cfg.txt"
check "config: yubicloud api_key = ***" grep -qx 'api_key = \*\*\*' "$T/cfg.txt"
check "config: non-secrets stay readable" grep -qx "api_base = http://127.0.0.1:$PORT_tw" "$T/cfg.txt"
expect_exit 0 rd config
no_secrets "config --json" "$OUT" "$ERR"
check "config --json: one JSON object" stdout_is_one_json
expect_exit 0 rd config --check
no_secrets "config --check" "$OUT" "$ERR"

# --- no fault was recorded as a success --------------------------------------------------
expect_exit 0 rd audit list
no_secrets "audit list" "$OUT" "$ERR"

# --- every test send is audited: method, masked recipient, outcome ------------------------
# 19 tb runs of four, twhang twice, yubi five times, mailnotls and exechang.
expect_exit 0 rd audit list --action test-backend --limit 0
cp "$OUT" "$T/audit.json"
check "every test-backend run is audited ($(jget entries.#) rows)" \
    test "$(jget entries.#)" -ge 85
mapfile -t codes < <(sent_codes)
SECRETS+=("${codes[@]}")
no_secrets "test-backend rows of the audit log (no code, OTP or credential)" "$T/audit.json"
check "audit: no recipient in clear" not_grep '+15551230001' "$T/audit.json"
check "audit: no address in clear" not_grep 'someone@example.org' "$T/audit.json"
# audited OUTCOME DETAIL: a test-backend row with exactly these.
audited() {
	"$PY" -c 'import json, sys
e = json.load(open(sys.argv[1]))["entries"]
sys.exit(not any(x["outcome"] == sys.argv[2] and x["detail"] == sys.argv[3]
    and x["user"] is None and x["actor"] == "cli:" + sys.argv[4] for x in e))' \
	    "$T/audit.json" "$@" "$(id -un)"
}
# audited_re OUTCOME REGEX: the same with the detail matching REGEX.
audited_re() {
	"$PY" -c 'import json, re, sys
e = json.load(open(sys.argv[1]))["entries"]
sys.exit(not any(x["outcome"] == sys.argv[2] and
    re.fullmatch(sys.argv[3], x["detail"]) for x in e))' "$T/audit.json" "$@"
}
check "audit: twilio ok, masked, with its status" \
    audited_re ok "twilio via sms_twilio to \+\*{9}01: status 201"
check "audit: twilio bad number: backend, status, provider code" \
    audited_re failure "twbad via sms_twilio to \+\*{9}02: backend, status 400, provider code 21211"
check "audit: twilio 401" \
    audited_re failure "tw401 via sms_twilio to \+\*{9}03: backend, status 401, provider code 20003"
check "audit: no answer is a timeout" \
    audited_re failure "twhang via sms_twilio to \+\*{9}06: timeout"
check "audit: nothing listening is a network failure" \
    audited_re failure "refused via sms_twilio to \+\*{9}07: network"
check "audit: YubiCloud, the OTP not named" \
    audited_re ok "yubi via yubicloud, a key's OTP: status 200, provider code OK"
check "audit: a replayed OTP is a failure" \
    audited_re failure "yubi via yubicloud, a key's OTP: invalid_code, status 200, provider code REPLAYED_OTP"
check "audit: e-mail, the address masked" \
    audited_re ok "mail via email to s\*\*\*@example.org: status 250"
check "audit: exec ok: sent" \
    audited_re ok "execok via exec to \+\*{9}40: sent"
check "audit: exec failure" \
    audited_re failure "execfail via exec to \+\*{9}41: backend, status 3, provider code exit 3"
check "audit: rows name no user and the operator" \
    audited ok "$(jget entries.0.detail "$T/audit.json")"
# One run, one row.
expect_exit 0 rd audit list --action test-backend --limit 0
n0=$(jget entries.#)
expect_exit 0 rd --operator desk7 test-backend execok +15551230049
expect_exit 4 rd test-backend refused +15551230048
expect_exit 0 rd audit list --action test-backend --limit 2
expect_json entries.0.actor cli:desk7
expect_json entries.0.outcome ok
expect_json entries.1.outcome failure
expect_exit 0 rd audit list --action test-backend --limit 0
check "two runs, two rows" test "$(jget entries.#)" -eq $((n0 + 2))
# Nothing tested, nothing audited: no such method.
expect_exit 1 rd test-backend nosuch +15551230047
expect_exit 0 rd audit list --action test-backend --limit 0
check "a refused test leaves no row" test "$(jget entries.#)" -eq $((n0 + 2))
expect_exit 0 rd audit verify
expect_json ok true

finish
