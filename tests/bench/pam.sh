#!/bin/sh
# pam.sh: what one PAM authentication costs in pam_redoubt.so (issue 11:
# under 5 ms of CPU with a key slot and a TOTP code, no KDF).
#
#   sh tests/bench/pam.sh REDOUBT MODULE HARNESS [N]
#
# Makes a vault with the test KDF in a temporary folder, N users (default
# 30) each with an authenticator app of its own (a TOTP code can serve
# once, so every authentication needs a user or a step of its own) and a
# key file, then has the harness run the N authentications on one PAM
# handle and print the median CPU time of pam_authenticate (getrusage:
# the module's work, the vault opened with the key file) and the median
# wall time (which includes the fsyncs of synchronous=FULL).
set -eu
REDOUBT=$1 MOD=$2 HARNESS=$3 N=${4:-30}
T=$(mktemp -d "${TMPDIR:-/tmp}/redoubt-bench-pam.XXXXXX")
trap 'rm -rf "$T"' EXIT
export REDOUBT_PASSPHRASE="bench passphrase" REDOUBT_OPERATOR=bench
printf '[redoubt]\n' >"$T/redoubt.conf"
rd() { "$REDOUBT" --json --vault "$T/vault.db" --config "$T/redoubt.conf" "$@"; }
rd init --kdf test >/dev/null
rd key add --keyfile "$T/key" >/dev/null
: >"$T/users"
: >"$T/codes"
i=0
while [ "$i" -lt "$N" ]; do
	u=user$i
	echo "pw $u" | rd user add "$u" --password-stdin >/dev/null
	s=$(rd activate "$u" app | /usr/bin/python3 -c 'import json, sys
import urllib.parse as p
q = p.parse_qs(p.urlparse(json.load(sys.stdin)["otpauth_uri"]).query)
print(q["secret"][0])')
	rd confirm "$u" app "$(oathtool --totp -b "$s")" >/dev/null
	echo "$u" >>"$T/users"
	# The next step's code: this one is spent by confirm.
	oathtool --totp -b "$s" --now "@$(($(date +%s) + 30))" >>"$T/codes"
	i=$((i + 1))
done
${PAM_BENCH_WRAP:-} "$HARNESS" --module "$MOD" --bench "$N" --users "$T/users" \
    --answers "$T/codes" -- "vault=$T/vault.db" "config=$T/redoubt.conf" \
    "keyfile=$T/key"
