#!/bin/sh
# test-sshd.sh: a real login through pam_redoubt.so (make test-sshd, root
# only).  Starts a private sshd on a free loopback port with its own
# config (UsePAM, keyboard-interactive only, a host key and PidFile in a
# temporary folder), a throwaway Unix user and a PAM service file
# /etc/pam.d/redoubt-test-PID (pam_unix, then pam_redoubt as the second
# factor), all removed on exit; then logs in with the ssh client on a
# pseudo-terminal (the Unix password, then the TOTP code from oathtool),
# and checks that a wrong code and the replayed code are refused.
#
# The service name: OpenSSH 9.2 (Debian 12) has no PAMServiceName and
# calls pam_start with its program name (SSHD_PAM_SERVICE is __progname in
# auth-pam.h), so sshd runs here through a symlink named
# redoubt-test-PID and /etc/pam.d/sshd is never touched.
#
#   sh tests/sshd/test-sshd.sh REDOUBT /abs/pam_redoubt.so
set -u
REDOUBT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
MOD=$2
DIR=$(cd "$(dirname "$0")" && pwd)
NAME=redoubt-test-$$
RUSER=rdt$$
PAMFILE=/etc/pam.d/$NAME
T=$(mktemp -d /tmp/redoubt-sshd.XXXXXX)
SSHD_PID=
failed=0
passed=0

cleanup() {
	[ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null
	rm -f "$PAMFILE"
	id "$RUSER" >/dev/null 2>&1 && userdel -r "$RUSER" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check() {	# DESC EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then
		passed=$((passed + 1))
		echo "ok   $1"
	else
		failed=$((failed + 1))
		echo "FAIL $1: expected exit $2, got $3"
		sed 's/^/    /' "$T/ssh.out"
	fi
}

export REDOUBT_PASSPHRASE="sshd test passphrase" REDOUBT_OPERATOR=test-sshd
V=$T/vault.db C=$T/redoubt.conf K=$T/key
rd() { "$REDOUBT" --json --vault "$V" --config "$C" "$@"; }
printf '[redoubt]\n' >"$C"
rd init --kdf test >/dev/null || exit 1
rd key add --keyfile "$K" >/dev/null || exit 1
UPW="unix pw $$"
useradd -m -s /bin/sh "$RUSER" || exit 1
echo "$RUSER:$UPW" | chpasswd || exit 1
echo "x $RUSER" | rd user add "$RUSER" --password-stdin >/dev/null || exit 1
S=$(rd activate "$RUSER" app | /usr/bin/python3 -c 'import json, sys
import urllib.parse as p
print(p.parse_qs(p.urlparse(json.load(sys.stdin)["otpauth_uri"]).query)["secret"][0])')
rd confirm "$RUSER" app "$(oathtool --totp -b "$S")" >/dev/null || exit 1

cat >"$PAMFILE" <<PAM
# redoubt's make test-sshd; removed when it ends.
auth	requisite	pam_unix.so
auth	required	$MOD vault=$V config=$C keyfile=$K
account	required	pam_unix.so
session	required	pam_permit.so
PAM

PORT=$(/usr/bin/python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ssh-keygen -q -t ed25519 -N "" -f "$T/hostkey" || exit 1
cat >"$T/sshd_config" <<CFG
Port $PORT
ListenAddress 127.0.0.1
HostKey $T/hostkey
PidFile $T/sshd.pid
UsePAM yes
KbdInteractiveAuthentication yes
PasswordAuthentication no
PubkeyAuthentication no
AuthenticationMethods keyboard-interactive
PermitRootLogin no
AllowUsers $RUSER
LogLevel VERBOSE
CFG
mkdir -p /run/sshd
ln -s "$(command -v sshd || echo /usr/sbin/sshd)" "$T/$NAME"
"$T/$NAME" -D -e -f "$T/sshd_config" 2>"$T/sshd.log" &
SSHD_PID=$!
i=0
while ! /usr/bin/python3 -c 'import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$PORT" \
    2>/dev/null; do
	i=$((i + 1))
	if [ "$i" -gt 50 ]; then
		echo "FAIL sshd did not start:"
		sed 's/^/    /' "$T/sshd.log"
		exit 1
	fi
	sleep 0.1
done

login() {	# CODE: exit status of ssh-login.py
	/usr/bin/python3 "$DIR/ssh-login.py" "$PORT" "$RUSER" "$UPW" "$1" \
	    >"$T/ssh.out" 2>&1
	echo $?
}
# The next step's code: confirm spent this one.
CODE=$(oathtool --totp -b "$S" --now "@$(($(date +%s) + 30))")
WRONG=$(echo "$CODE" | awk '{ printf "%06d", ($1 + 1) % 1000000 }')
check "ssh login: Unix password, then the TOTP code" 0 "$(login "$CODE")"
check "ssh login: a wrong code is refused" 1 "$(login "$WRONG")"
check "ssh login: the replayed code is refused" 1 "$(login "$CODE")"
rd audit list --user "$RUSER" >"$T/audit.json"
if /usr/bin/python3 -c 'import json, sys
e = json.load(open(sys.argv[1]))["entries"]
sys.exit(not any(x["actor"] == sys.argv[2] and x["action"] == "login" and
    x["outcome"] == "ok" for x in e))' "$T/audit.json" \
    "pam:$NAME@127.0.0.1"; then
	passed=$((passed + 1))
	echo "ok   the audit log names pam:$NAME@127.0.0.1"
else
	failed=$((failed + 1))
	echo "FAIL the audit log names pam:$NAME@127.0.0.1"
fi
echo "test-sshd: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
