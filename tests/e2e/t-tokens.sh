#!/usr/bin/env bash
# t-tokens.sh: import tokens (OATH CSV, YubiKey log, PSKC) and export
# tokens (PSKC): per-row refusals with their line, tokens with their own
# algorithm, digits and period accepted at login, the export's file
# (0600, never overwritten, valid for pskctool, audited without secrets),
# and a round trip into a fresh vault where codes made with oathtool and
# ykgenerate are accepted before and after, and used ones stay used.
. "$(dirname "$0")/lib.sh"

CONFIG=$T/tokens.conf
cat >"$CONFIG" <<'EOF'
[method.app]
handler = totp
[method.counter]
handler = hotp
[method.key]
handler = yubikey
[method.email]
handler = outbox
EOF

hexkey() { "$PY" -c 'import os, sys; print(os.urandom(int(sys.argv[1])).hex())' "$1"; }
S_ALICE=$(hexkey 32)	# TOTP SHA256, 8 digits, 60 s
S_BOB=$(hexkey 64)	# TOTP SHA512, 6 digits, 30 s
S_CAROL=$(hexkey 20)	# HOTP SHA1, 8 digits, counter 5
AES_DAVE=$(hexkey 16); PRIV_DAVE=$(hexkey 6); PUB_DAVE=ccccccbhdefg
AES_ERIN=$(hexkey 16); PRIV_ERIN=$(hexkey 6); PUB_ERIN=cccccclnrtuv

ta() { oathtool --totp=sha256 -d 8 -s 60 --now "@$1" "$S_ALICE"; }
tb() { oathtool --totp=sha512 -d 6 -s 30 --now "@$1" "$S_BOB"; }
hc() { oathtool --hotp -d 8 -c "$1" "$S_CAROL"; }
ykd() { echo "$PUB_DAVE$(ykgenerate "$AES_DAVE" "$PRIV_DAVE" "$1" 1234 00 01)"; }
yke() { echo "$PUB_ERIN$(ykgenerate "$AES_ERIN" "$PRIV_ERIN" "$1" 1234 00 01)"; }

# rdat TIME ARGS...: rd with the clock at the Unix time TIME (the codes'
# time, however long the script has run so far).
rdat() {
	local d=$(($1 - $(date +%s)))
	shift
	if [ "$d" -ge 0 ]; then d="+${d}s"; else d="${d}s"; fi
	fake_clock "$d" "$REDOUBT" --json --vault "$VAULT" --config "$CONFIG" \
	    "$@" >"$OUT" 2>"$ERR"
	RC=$?
	return $RC
}
# login_ok USER CODE [TIME]: the two-step login of USER ends with CODE.
login_ok() {
	local t at=${3:-$(date +%s)}
	echo "pw" | rdat "$at" login "$1"
	t=$(jget ephemeral_token)
	expect_exit 0 rdat "$at" login-code "$t" "$2"
	expect_json user "$1"
}
# login_no USER CODE [TIME [ARGS...]]: CODE is refused (ARGS: to login-code).
login_no() {
	local t u=$1 c=$2 at=${3:-$(date +%s)}
	shift 2
	[ $# -gt 0 ] && shift
	echo "pw" | rdat "$at" login "$u"
	t=$(jget ephemeral_token)
	expect_err invalid_code 1 rdat "$at" login-code "$t" "$c" "$@"
}

new_vault
for u in alice bob carol dave erin frank; do add_user $u pw; done

# --- OATH CSV: good rows, refusals with their line ---------------------------
cat >"$T/oath.csv" <<EOF
# serial, seed, type, digits, period or counter, algorithm, user
TA1, $S_ALICE, totp, 8, 60, sha256, alice
TB1 , $S_BOB , TOTP, 6, 30, SHA512, bob
HC1, $S_CAROL, hotp, 8, 5, , carol
XX1, 00ff, totp, 6, 30, , frank
XX2, $S_BOB, totp, 6, 30, , nobody
XX3, $S_BOB, totp, 99, 30, , frank
TA1, $S_BOB, totp, 6, 30, , frank
XX4, $S_BOB, totp, 6, 30
XX5, $S_BOB, ocra, 6, 30, , frank
XX6, ${S_BOB}0, totp, 6, 30, , frank
EOF
expect_exit 0 rd import tokens "$T/oath.csv" --format oathcsv --method app
expect_json imported 2
expect_json refused 8
expect_json tokens.0.serial TA1
expect_json tokens.0.user alice
expect_json tokens.0.primary true
expect_json tokens.1.serial TB1
expect_json refusals.0.line 4
expect_json refusals.0.serial HC1
check "a HOTP row into a totp method: the reason says so" \
    grep -q 'a hotp token does not fit method app' "$OUT"
expect_json refusals.1.line 5
check "a short seed is refused" grep -q 'the seed is not usable: it is too short' "$OUT"
expect_json refusals.2.reason "there is no user nobody"
expect_json refusals.3.reason "digits must be 6 to 8"
expect_json refusals.4.reason "serial TA1 already appears at line 2; only its first row is read"
expect_json refusals.5.line 9
check "no user and no --assign" grep -q 'no user: the file names none' "$OUT"
expect_json refusals.6.reason "unknown type (only totp and hotp are read)"
check "odd hex is refused" grep -q 'an odd number of hex digits' "$OUT"
check "no seed in the answer" not_grep "$S_ALICE" "$OUT"
# The HOTP row goes into the hotp method; the same file again refuses
# what is there now: never overwritten.
rdh import tokens "$T/oath.csv" --format oathcsv --method counter
check "human summary: imported 1" grep -Eq '^imported: +1$' "$OUT"
check "human summary: the refused row and its line" \
    grep -Eq '^ +2 +TA1 +a totp token does not fit method counter' "$OUT"
expect_exit 0 rd import tokens "$T/oath.csv" --format oathcsv --method app
expect_json imported 0
expect_json refusals.0.reason "user alice already has method app (active); it is not overwritten"

# Imported tokens log in with their own algorithm, digits and period.
T0=$(date +%s)
login_ok alice "$(ta "$T0")" "$T0"
login_no alice "$(ta "$T0")" "$T0"
check "a used step is a replay" grep -q 'already used' "$OUT"
login_ok bob "$(tb "$T0")" "$T0"
login_no carol "$(hc 4)"
login_ok carol "$(hc 5)"
expect_exit 0 rd user show alice
expect_json methods.0.serial TA1
expect_json methods.0.algorithm SHA256
expect_json methods.0.digits 8
expect_json methods.0.period 60
expect_json methods.0.primary true
expect_exit 0 rd user show carol
expect_json methods.0.counter 6
# One audit row per token, and no secret in the log.
expect_exit 0 rd audit list --action "import token"
expect_json entries.# 3
expect_json entries.0.detail "app serial TA1 (totp, oathcsv line 2)"
expect_exit 0 rd audit list --action "import tokens"
expect_json entries.# 3
expect_json entries.0.detail "2 imported, 8 refused, method app, format oathcsv, file $T/oath.csv"
expect_exit 0 rd audit list
check "no seed in the audit log" not_grep "$S_CAROL" "$OUT"
check "the vault holds no seed in clear" "$PY" -c 'import os, sys
k = bytes.fromhex(sys.argv[1])
sys.exit(any(k in open(f, "rb").read() for f in sys.argv[2:]
    if os.path.exists(f)))' "$S_ALICE" $(vault_dump)

# A pending method is not overwritten either; --assign may not contradict
# the file.
add_user gina pw
expect_exit 0 rd activate gina counter
printf 'G1, %s, hotp, 6, 0, , gina\nG2, %s, hotp, 6, 0, , gina\n' \
    "$S_CAROL" "$S_BOB" >"$T/gina.csv"
printf 'serial,user\nG2,frank\n' >"$T/gina-assign.csv"
expect_exit 0 rd import tokens "$T/gina.csv" --format oathcsv --method counter --assign "$T/gina-assign.csv"
expect_json imported 0
expect_json refusals.0.reason "user gina already has method counter (pending); it is not overwritten"
expect_json refusals.1.reason "the file names user gina but --assign names frank"
expect_exit 0 rd methods gina
expect_json methods.0.state pending
# A user's second method is not primary; the first stays so.
printf 'AH1, %s, hotp, 6, 0, , alice\n' "$S_BOB" >"$T/alice2.csv"
expect_exit 0 rd import tokens "$T/alice2.csv" --format oathcsv --method counter
expect_json tokens.0.primary false
expect_exit 0 rd methods alice
expect_json methods '[{"name":"app","handler":"totp","state":"active","primary":true},{"name":"counter","handler":"hotp","state":"active","primary":false}]'

# --- method and format checks -----------------------------------------------
expect_err usage 2 rd import tokens "$T/oath.csv" --format csv --method app
expect_err usage 2 rd import tokens "$T/oath.csv" --format oathcsv
expect_err not_found 1 rd import tokens "$T/oath.csv" --format oathcsv --method nope
expect_err usage 2 rd import tokens "$T/oath.csv" --format oathcsv --method email
check "a method that holds no tokens: named" grep -q 'method email (handler outbox) holds no tokens' "$OUT"

# --- YubiKey personalization log, users from --assign -----------------------
cat >"$T/yk.csv" <<EOF
LOGGING START,30.11.26 04:00
Yubico OTP,30.11.26 04:01,1,$PUB_DAVE,$PRIV_DAVE,$AES_DAVE,,,0,0,0,0,0,0,0,0,0,0
OATH-HOTP,30.11.26 04:02,2,cccccccccccc,,$S_CAROL,,,0,0,0,6,0,0,0,0,0,0
5083266,$PUB_ERIN,$PRIV_ERIN,$AES_ERIN,000000000000,2026-11-30T04:03:00,
508327,,0,$S_CAROL,,2026-11-30T04:04:00,
777,$PUB_ERIN,$PRIV_ERIN,${AES_ERIN}00,000000000000,2026-11-30T04:05:00,
EOF
printf 'serial,user\n%s,dave\n5083266,erin\n777,frank\n' "$PUB_DAVE" >"$T/assign.csv"
expect_err usage 2 rd import tokens "$T/yk.csv" --format yubico --method app
check "a yubico file needs a yubikey method" grep -q 'use a method of handler yubikey' "$OUT"
expect_exit 0 rd import tokens "$T/yk.csv" --format yubico --method key --assign "$T/assign.csv"
expect_json imported 2
expect_json tokens.0.serial "$PUB_DAVE"
expect_json tokens.0.user dave
expect_json tokens.1.serial 5083266
expect_json refusals.0.reason "not a Yubico OTP row (event type OATH-HOTP)"
expect_json refusals.1.serial 508327
expect_json refusals.2.line 6
expect_json refusals.2.reason "the AES key is not usable: it has the wrong length (32 hex digits)"
login_ok dave "$(ykd 0005)"
login_no dave "$(ykd 0005)"
login_ok erin "$(yke 0003)"
printf 'serial,user\nA,x\nA,y\n' >"$T/dup.csv"
expect_err usage 2 rd import tokens "$T/yk.csv" --format yubico --method key --assign "$T/dup.csv"
check "--assign: a serial twice names both lines" grep -q 'serial A is on line 2 and again on line 3' "$OUT"

# A method enrolled here is exported with a serial made from its row.
expect_exit 0 rd activate frank app
S_FRANK=$(otp_secret)
expect_exit 0 rdat "$T0" confirm frank app "$(totp_at "$S_FRANK" "$T0")"

# --- export -------------------------------------------------------------------
PSKC=$T/out.pskc
expect_err usage 2 rd export tokens --format pskc
expect_err usage 2 rd export tokens --format csv --out "$PSKC"
check "nothing written on a usage error" test ! -e "$PSKC"
expect_exit 0 rd export tokens --format pskc --out "$PSKC"
expect_json exported 7
expect_json file "$PSKC"
check "the export is mode 0600" test "$(stat -c %a "$PSKC")" = 600
check "pskctool validates the export" test "$(pskctool --validate "$PSKC" 2>&1)" = OK
pskctool --info "$PSKC" >"$T/info.txt" 2>&1
check "pskctool reads every serial" sh -c 'for s in TA1 TB1 HC1 5083266 '"$PUB_DAVE"'; do grep -q "SerialNo: $s" "$1" || exit 1; done' _ "$T/info.txt"
check "a token enrolled here has an RD serial" grep -Eq 'SerialNo: RD[0-9a-f]{16}$' "$T/info.txt"
check "the YubiKey in Yubico's profile" grep -q 'Algorithm: http://www.yubico.com/#yubikey-aes' "$T/info.txt"
check "the YubiKey's ids as Yubico writes them" grep -q "Key User Id: CN=$PUB_DAVE, UID=$PRIV_DAVE" "$T/info.txt"
check "the TOTP's own algorithm and period" sh -c 'grep -q "Suite: HMAC-SHA256" "$1" && grep -q "TimeInterval: 60" "$1"' _ "$T/info.txt"
check "HOTP: the counter of the next code" grep -q 'Key Counter: 6' "$T/info.txt"
expect_exit 0 rd audit list --action "export tokens"
expect_json entries.# 1
check "the audit row: count, method, file" grep -q "7 tokens, method (all), file $PSKC" "$OUT"
# Never over an existing file, and no audit row for a refused export.
expect_err exists 1 rd export tokens --format pskc --out "$PSKC"
ln -s "$T/elsewhere" "$T/link.pskc"
expect_err exists 1 rd export tokens --format pskc --out "$T/link.pskc"
check "a link is not followed" test ! -e "$T/elsewhere"
expect_exit 0 rd audit list --action "export tokens"
expect_json entries.# 1
expect_exit 0 rd export tokens --format pskc --out "$T/keys.pskc" --method key
expect_json exported 2
expect_err usage 2 rd export tokens --format pskc --out "$T/e.pskc" --method email
check "no file for a refused export" test ! -e "$T/e.pskc"

# --- round trip into a fresh vault -----------------------------------------------
A_VAULT=$VAULT
VAULT=$(vault_of fresh)
new_vault
for u in alice bob carol dave erin frank; do add_user $u pw; done
expect_exit 0 rd import tokens "$PSKC" --format pskc --method app
expect_json imported 3
expect_json refused 4
expect_exit 0 rd import tokens "$PSKC" --format pskc --method counter
expect_json imported 2
expect_exit 0 rd import tokens "$PSKC" --format pskc --method key
expect_json imported 2
expect_exit 0 rd user show alice
expect_json methods.0.serial TA1
expect_json methods.0.digits 8
# Used codes stay used: TOTP's last step, HOTP's counter, the key's counter.
login_no alice "$(ta "$T0")" "$T0" --method app
check "TOTP: the last step used came along" grep -q 'already used' "$OUT"
login_no frank "$(totp_at "$S_FRANK" "$T0")" "$T0"
check "TOTP enrolled here: the last step used came along" grep -q 'already used' "$OUT"
login_no carol "$(hc 5)"
login_no dave "$(ykd 0005)"
# The next codes work in both vaults alike.
for v in "$VAULT" "$A_VAULT"; do
	VAULT=$v
	login_ok alice "$(ta $((T0 + 60)))" $((T0 + 60))
	login_ok bob "$(tb $((T0 + 60)))" $((T0 + 60))
	login_ok carol "$(hc 6)"
	login_ok dave "$(ykd 0006)"
	login_ok erin "$(yke 0004)"
	login_ok frank "$(totp_at "$S_FRANK" $((T0 + 60)))" $((T0 + 60))
done
VAULT=$(vault_of fresh)
# A second export of the fresh vault keeps the serials.
expect_exit 0 rd export tokens --format pskc --out "$T/again.pskc"
pskctool --info "$T/again.pskc" >"$T/info2.txt" 2>&1
check "serials survive the round trip" bash -c 'diff <(grep SerialNo "$1" | sort) <(grep SerialNo "$2" | sort)' _ "$T/info.txt" "$T/info2.txt"

# --- hostile PSKC -----------------------------------------------------------------
printf '<KeyContainer' >"$T/bad.pskc"
expect_err usage 2 rd import tokens "$T/bad.pskc" --format pskc --method app
cat >"$T/b64.pskc" <<'EOF'
<?xml version="1.0"?>
<KeyContainer xmlns="urn:ietf:params:xml:ns:keyprov:pskc" Version="1.0"><KeyPackage><DeviceInfo><SerialNo>B1</SerialNo><UserId>alice</UserId></DeviceInfo><Key Id="B1" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp"><Data><Secret><PlainValue>!!!notbase64</PlainValue></Secret></Data></Key></KeyPackage></KeyContainer>
EOF
# libpskc refuses a whole container with a value that is not base64.
expect_err usage 2 rd import tokens "$T/b64.pskc" --format pskc --method app
check "bad base64: the file is refused, saying why" grep -q 'not a PSKC container' "$OUT"
cat >"$T/mixed.pskc" <<'EOF'
<?xml version="1.0"?>
<KeyContainer xmlns="urn:ietf:params:xml:ns:keyprov:pskc" Version="1.0"><KeyPackage><DeviceInfo><SerialNo>E1</SerialNo></DeviceInfo><Key Id="E1" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp"><Data><Secret><EncryptedValue><xenc:EncryptionMethod xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><xenc:CipherData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"><xenc:CipherValue>AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=</xenc:CipherValue></xenc:CipherData></EncryptedValue></Secret></Data></Key></KeyPackage><KeyPackage><DeviceInfo><SerialNo>E2</SerialNo><UserId>erin</UserId></DeviceInfo><Key Id="E2" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp"><AlgorithmParameters><ResponseFormat Encoding="DECIMAL" Length="12"/></AlgorithmParameters><Data><Secret><PlainValue>MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=</PlainValue></Secret></Data></Key></KeyPackage><KeyPackage><DeviceInfo><SerialNo>E3</SerialNo></DeviceInfo><Key Id="E3" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:ocra"/></KeyPackage></KeyContainer>
EOF
expect_exit 0 rd import tokens "$T/mixed.pskc" --format pskc --method app
expect_json imported 0
expect_json refusals.0.keypackage 1
expect_json refusals.0.reason "no secret (only a PlainValue is read; an encrypted container cannot be)"
expect_json refusals.1.serial E2
expect_json refusals.1.reason "digits must be 6 to 8"
expect_json refusals.2.reason "unknown Algorithm (HOTP, TOTP and Yubico's yubikey-aes are read)"
# A Time that is no step used yet (here: seconds, not steps) is refused.
cat >"$T/time.pskc" <<'EOF'
<?xml version="1.0"?>
<KeyContainer xmlns="urn:ietf:params:xml:ns:keyprov:pskc" Version="1.0"><KeyPackage><DeviceInfo><SerialNo>TT</SerialNo><UserId>gina</UserId></DeviceInfo><Key Id="TT" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp"><Data><Secret><PlainValue>MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=</PlainValue></Secret><Time><PlainValue>1796000000</PlainValue></Time></Data></Key></KeyPackage></KeyContainer>
EOF
expect_exit 0 rd import tokens "$T/time.pskc" --format pskc --method app
expect_json imported 0
check "a Time in the future is refused" grep -q 'Time 1796000000 is after the current time step' "$OUT"

finish
