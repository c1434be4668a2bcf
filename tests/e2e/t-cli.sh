#!/usr/bin/env bash
# t-cli.sh: the command line's habits: --version, help [COMMAND], -h, a
# group's commands, "did you mean", global options after the command, a
# reason on file errors, the QR of `activate` on a terminal (and --qr,
# --no-qr, never with --json), and the README's tour run as written.
. "$(dirname "$0")/lib.sh"

new_vault
add_user alice "alice pw"

raw() {	# redoubt ARGS with stdout and stderr kept apart, no --json
	"$REDOUBT" "$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# --- --version, help, -h ------------------------------------------------------
raw --version
check "--version: exit 0" test "$RC" = 0
check "--version: redoubt and a number" grep -qE '^redoubt [0-9]+\.[0-9]+' "$OUT"
raw help
check "help: exit 0, lists activate" sh -c '[ "$1" = 0 ] && grep -q "^  activate" "$2"' _ "$RC" "$OUT"
raw -h
check "-h: exit 0, the usage" sh -c '[ "$1" = 0 ] && grep -q "^usage: redoubt" "$2"' _ "$RC" "$OUT"
raw help user
check "help user: exit 0" test "$RC" = 0
for c in "user add" "user set" "user rename" "user show" "user list" "user del" "user unlock" "user reset"; do
	check "help user: lists $c" grep -q "redoubt $c " "$OUT"
done
raw user --help
check "user --help: all eight user commands" test "$(grep -c '^  redoubt user ' "$OUT")" = 8
raw help user add
check "help user add: its options" sh -c 'grep -q "^usage: redoubt user add" "$1" && grep -q -- "--email" "$1"' _ "$OUT"
raw activate --help
check "activate --help: exit 0, its usage" sh -c '[ "$1" = 0 ] && grep -q "^usage: redoubt activate" "$2"' _ "$RC" "$OUT"
raw help bogus
check "help bogus: exit 2" test "$RC" = 2

# --- a group alone, a slip ------------------------------------------------------
raw --vault "$VAULT" user
check "user alone: exit 2" test "$RC" = 2
check "user alone: the user commands on stderr" grep -q "redoubt user add" "$ERR"
raw --vault "$VAULT" user ad bob
check "user ad bob: exit 2" test "$RC" = 2
check "user ad bob: did you mean 'user add'" grep -q "did you mean 'user add'" "$ERR"
expect_err usage 2 rd activte alice app
check "activte: did you mean 'activate' (JSON)" grep -q "did you mean 'activate'" "$OUT"
expect_err usage 2 rd usr list
check "usr: did you mean 'user'" grep -q "did you mean 'user'" "$OUT"
expect_err usage 2 rd frobnicate
check "frobnicate: no wild guess" sh -c '! grep -q "did you mean" "$1"' _ "$OUT"
expect_exit 0 rd user add "bob;ad"
raw --vault "$VAULT" "$(printf 'us\033[2Jer')" list
check "a hostile command word: no escape reaches the terminal" \
    sh -c '! grep -q "$(printf "\033")" "$1"' _ "$ERR"

# --- global options after the command ----------------------------------------------
echo "alice pw" | "$REDOUBT" --vault "$VAULT" login alice --json >"$OUT" 2>"$ERR"
RC=$?
check "login alice --json: exit 0" test "$RC" = 0
expect_json status ok
"$REDOUBT" user list --vault "$VAULT" --json >"$OUT" 2>"$ERR"
check "user list --vault V --json: JSON" stdout_is_one_json
"$REDOUBT" user list --vault="$VAULT" --limit 1 --json >"$OUT" 2>"$ERR"
expect_json users.# 1
# After --, words are the command's, not global options.
expect_err not_found 1 rd user show -- --json

# --- a reason on file errors --------------------------------------------------------
raw --vault "$VAULT" --passphrase-file "$T/none" user list
check "--passphrase-file missing: exit 2" test "$RC" = 2
check "--passphrase-file missing: says why" grep -q "No such file or directory" "$ERR"
raw --vault "$VAULT" --config "$T/none.conf" user list
check "--config missing: exit 5 and why" sh -c '[ "$1" = 5 ] && grep -q "No such file or directory" "$2"' _ "$RC" "$ERR"

# --- the QR of activate ----------------------------------------------------------
# On a terminal (script(1) gives one): the QR above the URI, and it scans.
add_user carol "carol pw"
script -qec "LC_ALL=C.UTF-8 $(printf %q "$REDOUBT") --vault $(printf %q "$VAULT") activate carol app" \
    /dev/null >"$T/tty.txt" 2>&1
uri=$(sed -n 's/^URI: *\(otpauth:[^[:space:]]*\).*/\1/p' "$T/tty.txt" | tr -d '\r')
check "on a terminal: the URI is printed" test -n "$uri"
got=$("$PY" "$E2E_DIR/tui-qr.py" "$T/cli-qr.png" light <"$T/tty.txt")
check "on a terminal: the QR above it decodes to the URI" test "$got" = "$uri"
got=$("$PY" "$E2E_DIR/tui-qr.py" "$T/cli-qr2.png" dark <"$T/tty.txt")
check "on a terminal, dark theme: the QR decodes" test "$got" = "$uri"
check "on a terminal: the QR comes first" \
    test "$(grep -n 'URI:' "$T/tty.txt" | cut -d: -f1)" -gt 10
script -qec "LC_ALL=C.UTF-8 $(printf %q "$REDOUBT") --vault $(printf %q "$VAULT") activate carol app --no-qr" \
    /dev/null >"$T/tty2.txt" 2>&1
check "--no-qr on a terminal: no QR" sh -c '! grep -q "$(printf "\342\226\200")" "$1"' _ "$T/tty2.txt"
script -qec "LC_ALL=C.UTF-8 $(printf %q "$REDOUBT") --json --vault $(printf %q "$VAULT") activate carol app" \
    /dev/null >"$T/tty3.txt" 2>&1
check "--json on a terminal: no QR, one JSON line" test "$(grep -c . "$T/tty3.txt")" = 1
raw --vault "$VAULT" activate carol app
check "stdout not a terminal: no QR" sh -c '! grep -q "$(printf "\033")" "$1"' _ "$OUT"
LC_ALL=C.UTF-8 raw --vault "$VAULT" activate carol app --qr
check "--qr into a file: the QR" grep -q "$(printf '\342\226\200')" "$OUT"
expect_exit 0 rd activate carol app --qr
check "--qr --json: still only JSON" stdout_is_one_json

# --- the README's tour, as written ------------------------------------------------
# Each command of the tour runs on the built-in config; the example codes
# become real ones, as the README says: the app's code, the outbox's
# newest code, backup codes.
tour=$(sed -n '/^## A tour of the command line/,/^A CODE\|^Global options/p' "$E2E_TOP/README.md" |
    sed -n 's/^    //p' | sed -e ':a' -e '/\\$/N; s/\\\n *//; ta' | sed 's/  *#.*$//')
check "the tour has commands" test "$(grep -c . <<<"$tour")" -ge 10
(
	cd "$T" || exit 1
	unset REDOUBT_VAULT
	# A person takes a while between two lines: 40 s of clock each, so a
	# resend is past its cooldown as it would be.
	OFF=0
	redoubt() { fake_clock "+${OFF}s" "$REDOUBT" "$@"; }
	backups=() token= n=0 failed=0
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		case "$line" in
		export\ REDOUBT_PASSPHRASE=*) export REDOUBT_PASSPHRASE="tour pass"; continue ;;
		"redoubt init"*) line="$line --kdf test" ;;	# Argon2id moderate: slow, not different
		esac
		if [[ "$line" == *"confirm alice app 123456"* ]]; then
			secret=$(sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$T/tour.out" | head -1)
			line=${line/123456/$(oathtool --totp -b "$secret" --now "@$(($(date +%s) + OFF))")}
		fi
		for ph in 246810 654321; do
			if [[ "$line" == *" $ph"* ]]; then
				code=$(redoubt --json outbox list | "$PY" -c 'import json, re, sys
m = json.load(sys.stdin)["messages"]
print(re.search(r"\b(\d{6})\b", m[-1]["body"]).group(1))')
				line=${line/ $ph/ $code}
			fi
		done
		if [[ "$line" == *" CODE"* ]]; then
			line=${line/ CODE/ ${backups[0]}}
			backups=("${backups[@]:1}")
		fi
		line=${line//TOKEN/$token}
		[ -n "${TOUR_DEBUG:-}" ] && echo "TOUR: $line" >&2
		eval "$line" >"$T/tour.out" 2>"$T/tour.err" </dev/null
		rc=$?
		if [ "$rc" != 0 ]; then
			echo "FAIL t-cli.sh: tour: '$line' exited $rc: $(cat "$T/tour.err")"
			failed=$((failed + 1))
		fi
		n=$((n + 1))
		OFF=$((OFF + 40))
		if grep -q '"backup_codes":\[' "$T/tour.out"; then
			mapfile -t backups < <("$PY" -c 'import json,sys
print("\n".join(json.load(sys.stdin)["backup_codes"]))' <"$T/tour.out")
		elif [[ "$line" == *"confirm alice app"* ]]; then
			mapfile -t backups < <(sed -n 's/^  \([a-z0-9]\{10\}\)$/\1/p' "$T/tour.out")
		fi
		t=$(sed -n 's/.*"ephemeral_token":"\([^"]*\)".*/\1/p' "$T/tour.out")
		[ -n "$t" ] && token=$t
	done <<<"$tour"
	echo "$n $failed" >"$T/tour.result"
)
read -r tour_n tour_failed <"$T/tour.result"
check "the README tour: all $tour_n commands ran with exit 0" test "$tour_failed" = 0

finish
