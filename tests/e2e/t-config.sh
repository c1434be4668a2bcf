#!/usr/bin/env bash
# t-config.sh: config --check, problems named with their lines, env:NAME,
# secrets masked in `config`, a custom method name end to end.
. "$(dirname "$0")/lib.sh"

# --- a good file ---------------------------------------------------------------
cat >"$T/good.conf" <<'EOF'
; a comment
[redoubt]
issuer = Example Corp
lockout_threshold = 7
resend_cooldown = 0

[method.app]
handler = totp
window = 2

[method.mail]
handler = outbox
source_field = email
validity_period = 300
EOF
CONFIG=$T/good.conf
expect_exit 0 rd config --check
expect_json problems '[]'
expect_exit 0 rdh config --check
expect_exit 0 rd config
expect_json methods.# 2
expect_json methods.0.name app
expect_json methods.0.handler totp
expect_json methods.1.name mail
expect_json methods.1.handler outbox
check "config shows the values in effect" \
    grep -q 'lockout_threshold = 7' <(jget text)
check "config shows the issuer" grep -q 'issuer = Example Corp' <(jget text)
# --config beats $REDOUBT_CONFIG, which beats $XDG_CONFIG_HOME.
mkdir -p "$XDG_CONFIG_HOME/redoubt"
printf '[redoubt]\nissuer = From XDG\n' >"$XDG_CONFIG_HOME/redoubt/redoubt.conf"
printf '[redoubt]\nissuer = From env\n' >"$T/env.conf"
CONFIG= expect_exit 0 rd config
check "XDG_CONFIG_HOME/redoubt/redoubt.conf is read" \
    grep -q 'issuer = From XDG' <(jget text)
REDOUBT_CONFIG=$T/env.conf CONFIG= expect_exit 0 rd config
check "REDOUBT_CONFIG beats XDG" grep -q 'issuer = From env' <(jget text)
REDOUBT_CONFIG=$T/env.conf expect_exit 0 rd config
check "--config beats REDOUBT_CONFIG" \
    grep -q 'issuer = Example Corp' <(jget text)
rm -f "$XDG_CONFIG_HOME/redoubt/redoubt.conf"
# Without XDG_CONFIG_HOME: ~/.config/redoubt/redoubt.conf.
mkdir -p "$HOME/.config/redoubt"
printf '[redoubt]\nissuer = From home\n' >"$HOME/.config/redoubt/redoubt.conf"
CONFIG= env -u XDG_CONFIG_HOME "$REDOUBT" --json config >"$OUT" 2>"$ERR"
check "~/.config/redoubt/redoubt.conf is read without XDG_CONFIG_HOME" \
    grep -q 'issuer = From home' <(jget text)
rm -f "$HOME/.config/redoubt/redoubt.conf"
# No file at all: the built-in methods app, email and sms.
CONFIG= expect_exit 0 rd config --check
CONFIG= expect_exit 0 rd config
expect_json methods.# 3
check "built-in methods: app totp, email outbox, sms outbox" "$PY" -c '
import json, sys
m = [(x["name"], x["handler"]) for x in json.load(sys.stdin)["methods"]]
sys.exit(m != [("app", "totp"), ("email", "outbox"), ("sms", "outbox")])' \
    <"$OUT"
# A file with only [redoubt] keeps them; one with a [method.*] replaces them.
printf '[redoubt]\nissuer = X\n' >"$T/nomethods.conf"
CONFIG=$T/nomethods.conf expect_exit 0 rd config
expect_json methods.# 3

# --- a file with several bad keys: exit 5, each named with its line ------------
cat >"$T/bad.conf" <<'EOF'
[redoubt]
issuer = ok
lockout_threshold = lots
no_such_key = 1
resend_cooldown = -5

[method.app]
handler = totp
window = 99
colour = blue

[method.x]
handler = carrier_pigeon
EOF
CONFIG=$T/bad.conf
expect_exit 5 rdh config --check
check "human --check: a message on stderr" test -s "$ERR"
all=$(cat "$OUT" "$ERR")
for want in 'bad.conf:3:.*lockout_threshold' 'bad.conf:4:.*no_such_key' \
    'bad.conf:5:.*resend_cooldown' 'bad.conf:9:.*window' \
    'bad.conf:10:.*colour' 'bad.conf:13:.*carrier_pigeon'; do
	check "--check names /$want/" grep -q "$want" <<<"$all"
done
check_not "--check does not blame the good key issuer" \
    grep -q 'bad.conf:2:' <<<"$all"
expect_err config 5 rd config --check
check "--json --check: one JSON object" stdout_is_one_json
check "--json --check: every bad line named (message or problems)" \
    "$PY" -c '
import json, sys
e = json.load(sys.stdin)["error"]
m = e["message"] + "\n".join(e.get("problems", []))
sys.exit(not all(("bad.conf:%d:" % n) in m for n in (3, 4, 5, 9, 10, 13)))' \
    <"$OUT"
# Many bad keys: every one is named, none lost to a length limit.
{
	echo "[redoubt]"
	for i in $(seq 1 15); do echo "unknown_key_number_$i = $i"; done
} >"$T/many.conf"
CONFIG=$T/many.conf expect_exit 5 rdh config --check
all=$(cat "$OUT" "$ERR")
missing=
for i in $(seq 1 15); do
	grep -q "many.conf:$((i + 1)):.*unknown_key_number_$i\b" <<<"$all" ||
	    missing="$missing $i"
done
check "all 15 bad keys are named with their lines (missing:$missing)" \
    test -z "$missing"

# Other commands refuse to run with a bad config: exit 5 before the vault.
CONFIG= new_vault
expect_err config 5 rd user list
expect_err config 5 rd user add zed
CONFIG= expect_err not_found 1 rd user show zed
# An unreadable / missing config file.
CONFIG=$T/missing.conf expect_err config 5 rd user list
CONFIG=$T/missing.conf expect_exit 5 rdh config --check

# --- an unknown handler, by itself ------------------------------------------------
printf '[method.pager]\nhandler = pager\n' >"$T/handler.conf"
CONFIG=$T/handler.conf expect_exit 5 rdh config --check
check "unknown handler named, with its line" \
    grep -q 'handler.conf:2:.*pager' "$OUT" "$ERR"
check "the message lists the known handlers" grep -q 'totp' "$OUT" "$ERR"
printf '[method.nohandler]\nverbose_name = x\n' >"$T/nohandler.conf"
CONFIG=$T/nohandler.conf expect_exit 5 rdh config --check
check "a method without handler is named" grep -q 'nohandler' "$OUT" "$ERR"

# --- env:NAME ---------------------------------------------------------------
HANDLERS=$("$REDOUBT" --help | sed -n 's/^handlers: //p')
unset RD_E2E_UNSET_TOKEN
if [[ " $HANDLERS " == *" sms_twilio "* ]]; then
	cat >"$T/env.conf" <<'EOF'
[method.text]
handler = sms_twilio
account_sid = ACe2e00000000000000000000000000000
auth_token = env:RD_E2E_UNSET_TOKEN
from = +15550000000
EOF
	CONFIG=$T/env.conf expect_exit 5 rdh config --check
	check "an unset env:NAME is named" \
	    grep -q 'env.conf:4:.*RD_E2E_UNSET_TOKEN' "$OUT" "$ERR"
	check_not "an unset env:NAME is not also called a missing key" \
	    grep -q 'auth_token is missing' "$OUT" "$ERR"
	RD_E2E_UNSET_TOKEN=tok-from-env CONFIG=$T/env.conf \
	    expect_exit 0 rdh config --check

	# TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are the defaults.
	printf '[method.text]\nhandler = sms_twilio\nfrom = +15550000000\n' \
	    >"$T/twdef.conf"
	CONFIG=$T/twdef.conf expect_exit 5 rdh config --check
	check "no Twilio credentials: the default variables are named" \
	    grep -q 'TWILIO_AUTH_TOKEN' "$OUT" "$ERR"
	TWILIO_ACCOUNT_SID=ACe2e00000000000000000000000000000 \
	    TWILIO_AUTH_TOKEN=tok-from-default-env CONFIG=$T/twdef.conf \
	    expect_exit 0 rd config
	check "TWILIO_AUTH_TOKEN's value is not shown" \
	    not_grep tok-from-default-env "$OUT"

	# --- secrets are masked in `config` ------------------------------------
	cat >"$T/secret.conf" <<'EOF'
[method.text]
handler = sms_twilio
account_sid = ACe2e00000000000000000000000000000
auth_token = SuperSecretAuthToken42
from = +15550000000
EOF
	CONFIG=$T/secret.conf expect_exit 0 rdh config
	check "human config: the auth token is not shown" \
	    not_grep SuperSecretAuthToken42 "$OUT"
	check "human config: it is shown as ***" \
	    grep -q 'auth_token = \*\*\*' "$OUT"
	check "human config: the account SID (not a secret) is shown" \
	    grep -q 'ACe2e00000000000000000000000000000' "$OUT"
	CONFIG=$T/secret.conf expect_exit 0 rd config
	check "JSON config: the auth token is not shown" \
	    not_grep SuperSecretAuthToken42 "$OUT"
	RD_E2E_UNSET_TOKEN=EnvSecretValue77 CONFIG=$T/env.conf \
	    expect_exit 0 rd config
	check "config: a secret from env:NAME is not shown either" \
	    not_grep EnvSecretValue77 "$OUT"
	# --check's problems do not print secrets.
	printf 'bogus = 1\n' >>"$T/secret.conf"
	CONFIG=$T/secret.conf expect_exit 5 rdh config --check
	check "config --check does not print the auth token" \
	    not_grep SuperSecretAuthToken42 "$OUT"
	check "config --check does not print the auth token (stderr)" \
	    not_grep SuperSecretAuthToken42 "$ERR"
else
	echo "skip: no sms_twilio handler ($HANDLERS)"
fi

# A bad value is named once, as bad, not also as missing.
if [[ " $HANDLERS " == *" exec "* ]]; then
	printf '[method.run]\nhandler = exec\ncommand = relative/path\n' \
	    >"$T/exec.conf"
	CONFIG=$T/exec.conf expect_exit 5 rdh config --check
	check "exec: a relative command is named with its line" \
	    grep -q 'exec.conf:3:.*relative/path' "$OUT" "$ERR"
	check_not "exec: a given but bad command is not also 'missing'" \
	    grep -q 'command is missing' "$OUT" "$ERR"
fi

# --- a custom method name end to end: [method.work-app] handler = totp --------
cat >"$T/work.conf" <<'EOF'
[redoubt]
issuer = Work

[method.work-app]
handler = totp
verbose_name = Work authenticator
window = 2
EOF
CONFIG=$T/work.conf
expect_exit 0 rd config --check
CONFIG= new_vault
add_user wendy "wendy pw"
expect_err not_found 1 rd activate wendy app	# built-ins replaced
expect_exit 0 rd activate wendy work-app
expect_json method work-app
expect_json state pending
check "otpauth_uri names the issuer Work" \
    grep -q 'issuer=Work' <(jget otpauth_uri)
W=$(otp_secret)
T0=$(date +%s)
expect_exit 0 rd confirm wendy work-app "$(totp_at "$W" "$T0")"
expect_json method work-app
expect_json primary true
WBC=$(jget backup_codes.0)
expect_exit 0 rd methods wendy
expect_json methods '[{"name":"work-app","handler":"totp","state":"active","primary":true}]'
echo "wendy pw" | expect_exit 0 rd login wendy
expect_json method work-app
TOK=$(jget ephemeral_token)
expect_exit 0 rd login-code "$TOK" "$(totp_at "$W" $((T0 + 30)))"
expect_json method_used work-app
# window = 2: a third distinct code, two steps ahead, is still good.
echo "wendy pw" | expect_exit 0 rd login wendy
TOK=$(jget ephemeral_token)
expect_exit 0 rd login-code "$TOK" "$(totp_at "$W" $((T0 + 60)))" \
    --method work-app
expect_json method_used work-app
# Three steps ahead is outside the window.
echo "wendy pw" | expect_exit 0 rd login wendy
TOK=$(jget ephemeral_token)
expect_err invalid_code 1 rd login-code "$TOK" "$(totp_at "$W" $((T0 + 150)))"
expect_err not_allowed 1 rd request-code wendy work-app
expect_err not_allowed 1 rd deactivate wendy work-app
expect_exit 0 rd deactivate wendy work-app "$WBC"
expect_exit 0 rd methods wendy
expect_json methods '[]'
# The method name is used as given: the built-in config does not know it.
CONFIG= expect_err not_found 1 rd activate wendy work-app

# --- [redoubt] and method keys take effect -------------------------------------
cat >"$T/keys.conf" <<'EOF'
[redoubt]
issuer = Acme Inc
backup_codes_quantity = 3
backup_codes_length = 6
backup_codes_characters = abcdefghkmnp2345
code_digits = 8
confirm_disable_with_code = false
allow_backup_codes_regeneration = false
require_code_to_add = false
resend_cooldown = 0

[method.app]
handler = totp
algorithm = sha256
digits = 8
period = 60

[method.mail]
handler = outbox
source_field = email
validity_period = 120
EOF
CONFIG=$T/keys.conf
expect_exit 0 rd config --check
add_user kim "kim pw" --email kim@example.com
expect_exit 0 rd activate kim app
U=$(jget otpauth_uri)
for want in 'issuer=Acme%20Inc' 'algorithm=SHA256' 'digits=8' 'period=60' \
    'otpauth://totp/Acme%20Inc:kim?'; do
	check "otpauth_uri has $want" grep -qF "$want" <<<"$U"
done
K=$(otp_secret)
expect_err invalid_code 1 rd confirm kim app "$(totp_at "$K" "$(date +%s)")"
expect_exit 0 rd confirm kim app \
    "$(oathtool --totp=sha256 --digits=8 --time-step-size=60 -b "$K")"
expect_json backup_codes.# 3
check "backup codes: 6 characters from abcdefghkmnp2345" "$PY" -c 'import json,re,sys
sys.exit(not all(re.fullmatch("[abcdefghkmnp2345]{6}", c)
    for c in json.load(sys.stdin)["backup_codes"]))' <"$OUT"
rd user unlock kim >/dev/null
expect_exit 0 rd activate kim mail	# require_code_to_add = false
expect_json expires_in 120
MC=$(outbox_code mail)
check "code_digits = 8: an 8-digit code ($MC)" eval '[[ "$MC" =~ ^[0-9]{8}$ ]]'
expect_exit 0 rd outbox list
check "the message names the issuer and the minutes" \
    grep -q 'Acme Inc.*2 minutes' <(jget messages.0.body)
expect_exit 0 rd confirm kim mail "$MC"
expect_json primary false
expect_exit 0 rd deactivate kim mail	# confirm_disable_with_code = false
expect_json state none
expect_err not_allowed 1 rd backup-codes kim

# --- a ':' in the issuer: otpauth URIs cannot carry it ----------------------
printf '[redoubt]\nissuer = ACME: Help Desk\n' >"$T/colon.conf"
CONFIG=$T/colon.conf expect_exit 5 rdh config --check
check "a ':' in the issuer is named with its line and why" \
    grep -q "colon.conf:2: \[redoubt\] issuer: 'ACME: Help Desk' has a ':'.*authenticator apps" \
    "$OUT" "$ERR"
CONFIG=$T/colon.conf expect_err config 5 rd user list

# --- values a provider would cut: refused before anything is sent ----------
if [[ " $HANDLERS " == *" vonage_verify "* ]]; then
	vonage() {	# FILE [LINES...]: a vonage_verify method and more lines
		local f=$1
		shift
		{
			printf '[method.v]\nhandler = vonage_verify\n'
			printf 'api_key = k\napi_secret = s\n'
			printf '%s\n' "$@"
		} >"$T/$f"
	}
	vonage brand.conf 'brand = ACME Help Desk Services'
	CONFIG=$T/brand.conf expect_exit 5 rdh config --check
	check "a Vonage brand over 18 characters is named with its line" \
	    grep -q "brand.conf:5: \[method.v\] brand: 'ACME Help Desk Services' is 23 characters long; the provider takes at most 18" \
	    "$OUT" "$ERR"
	vonage brand18.conf 'brand = ACME Help Desk 247'
	CONFIG=$T/brand18.conf expect_exit 0 rd config --check
	# No brand: the issuer stands in, and must fit as well.
	vonage issuer.conf
	printf '[redoubt]\nissuer = ACME Help Desk Services\n' >>"$T/issuer.conf"
	CONFIG=$T/issuer.conf expect_err config 5 rd config --check
	check "no brand and a long issuer: both named" \
	    grep -q "brand: not set, so the issuer 'ACME Help Desk Services' (23 characters) stands in" \
	    <(jget error.message)
fi

finish
