#!/usr/bin/env bash
# t-users.sh: user add/set/show/list/del, input checks, paging, output forms.
. "$(dirname "$0")/lib.sh"

new_vault

# --- add and show ---------------------------------------------------------
expect_exit 0 rd user add alice --email alice@example.com --phone +15551234567
expect_json user alice
expect_json active true
expect_exit 0 rd user show alice
expect_json user alice
expect_json email alice@example.com	# the operator sees them whole
expect_json phone +15551234567
expect_json active true
expect_json password false
expect_json locked false
expect_json methods '[]'

# Human output: aligned "label: value" lines, words not Unix times.
expect_exit 0 rdh user show alice
check "human user show: every line is 'label: value'" \
    test -z "$(grep -Ev '^[a-z ]+: +[^ ]' "$OUT")"
check "human user show: has 'user: alice'" grep -qE '^user: +alice$' "$OUT"
check "human user show: has the e-mail" \
    grep -qE '^email: +alice@example.com$' "$OUT"
check "human user show: the values start in one column" \
    test "$(sed -E 's/^([a-z ]+: +).*/\1/' "$OUT" | awk '{print length($0)}' | sort -u | wc -l)" = 1
check "human user show: no key with an underscore" \
    test -z "$(grep -E '^[a-z]+_[a-z_]+:' "$OUT")"
check "human user show: nothing on stderr" test ! -s "$ERR"
expect_exit 0 rdh user add bob
check "human user add: has 'user: bob'" grep -qE '^user: +bob$' "$OUT"

# Human errors: one line on stderr, nothing on stdout.
expect_exit 1 rdh user show nobody
check "human error: stdout empty" test ! -s "$OUT"
check "human error: one 'redoubt: ' line on stderr" \
    test "$(grep -c '^redoubt: ' "$ERR")" = 1

# Human output of other commands: values, and lists as tables with a
# header row whose columns line up with the rows'.
human_lines() {	# CMD...: stdout is "label: value" lines or a table
	expect_exit 0 rdh "$@"
	check "human '$*': stdout is text, no JSON, no raw key=value" \
	    test -s "$OUT" -a -z "$(grep -E '^[{]|[a-z]=' "$OUT")"
}
human_lines user list --limit 5
human_lines methods alice
human_lines user set alice --active
human_lines audit list --limit 5
human_lines audit verify
expect_exit 0 rdh audit list --limit 3
check "human audit list: a header row" grep -qE '^ID +TIME +ACTOR +USER +ACTION' "$OUT"
check "human audit list: local times, not Unix seconds" \
    grep -qE '^[0-9]+ +20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} ' "$OUT"
check "human audit list: columns line up (ACTOR over cli)" \
    test "$(awk 'NR==1 {print index($0, "ACTOR")}' "$OUT")" = \
    "$(awk 'NR==2 {print index($0, "cli")}' "$OUT")"
human_lines user unlock alice
# `user --help` like every other command's --help.
"$REDOUBT" user --help >"$OUT" 2>"$ERR"
RC=$?
check "user --help: exit 0" test "$RC" = 0
check "user --help: lists user add" grep -q 'user add' "$OUT"

# --- set ----------------------------------------------------------------
expect_exit 0 rd user set alice --inactive
expect_json active false
expect_exit 0 rd user show alice
expect_json active false
expect_exit 0 rd user set alice --active
expect_exit 0 rd user show alice
expect_json active true
expect_exit 0 rd user set alice --email alice2@example.org
expect_exit 0 rd user show alice
expect_json email alice2@example.org
expect_json phone +15551234567
expect_exit 0 rd user set alice --phone ''
expect_exit 0 rd user show alice
expect_json phone null
expect_json email alice2@example.org
expect_err usage 2 rd user set alice --active --inactive
echo "alice password" | expect_exit 0 rd user set alice --password-stdin
expect_exit 0 rd user show alice
expect_json password true
echo "alice password" | expect_exit 0 rd login alice
expect_json status ok
echo "wrong password" | expect_err bad_credentials 1 rd login alice

# --- e-mail and phone checks: usage, nothing written ----------------------
for bad in 'not-an-email' 'a@' '@example.com' 'a@b@example.com' \
    'a b@example.com' "$(printf 'a\tb@example.com')"; do
	expect_err usage 2 rd user add carol --email "$bad"
	expect_err not_found 1 rd user show carol
done
for bad in '5551234567' '+1555abc4567' '+12345' '+1234567890123456' \
    '+' '++15551234567' '555-123-4567' '+44 (0)20 7946 0000' '+0 555 123 4567' \
    "$(printf '+1 555\t123 4567')" '+1 555–123–4567'; do
	expect_err usage 2 rd user add carol --phone "$bad"
	expect_err not_found 1 rd user show carol
done
# The refusal says what to write, in words, with an example.
expect_err usage 2 rd user add carol --phone '555-123-4567'
check "no country code: the number, the reason and an example" \
    grep -q "phone number '555-123-4567' has no country code: write + and the country code first, e.g. +48 500 000 000" \
    <(jget error.message)
check_not "no jargon: no 'E.164' in the message" grep -q 'E.164' <(jget error.message)
expect_err usage 2 rd user add carol --phone '+44 (0)20 7946 0000'
check "a (0): leave it out" grep -q 'leave it out' <(jget error.message)
# A bad value with a good one: still nothing written.
expect_err usage 2 rd user add carol --email carol@example.com --phone 12
expect_err not_found 1 rd user show carol
# The same checks on set; the user is unchanged.
expect_err usage 2 rd user set alice --email 'nope'
expect_err usage 2 rd user set alice --phone '+1'
expect_err usage 2 rd user set alice --email new@example.com --phone 'x'
expect_exit 0 rd user show alice
expect_json email alice2@example.org
expect_json phone null
# Good forms are accepted.
expect_exit 0 rd user add carol --email c.a+rol@mail.example.co.uk \
    --phone +441234567890
expect_exit 0 rd user show carol
expect_json email c.a+rol@mail.example.co.uk
expect_json phone +441234567890

# --- phone numbers as people write them: kept as + and digits --------------
expect_exit 0 rd user add pat --phone '+1 (555) 123-4567'
expect_exit 0 rd user show pat
expect_json phone +15551234567
for form in '+48 500-000-000' '+48 500 000 000' '+48.500.000.000' \
    '00 48 500 000 000' '0048500000000' '(+48) 500 000 000'; do
	expect_exit 0 rd user set pat --phone "$form"
	expect_exit 0 rd user show pat
	expect_json phone +48500000000
done
expect_err usage 2 rd user set pat --phone '500 000 000'
expect_exit 0 rd user show pat
expect_json phone +48500000000
expect_exit 0 rd user del pat

# --- user names -----------------------------------------------------------
expect_err usage 2 rd user add 'has space'
expect_err usage 2 rd user add ''
expect_err usage 2 rd user add "$(printf 'evil\033[31mred')"
# A ':' breaks the otpauth URI of an app (Key URI Format): refused, saying so.
expect_err usage 2 rd user add 'bob:x'
check "a ':' in a user name: the name and the reason given" \
    grep -q "'bob:x' cannot be a user name: ':' is not allowed.*authenticator" \
    <(jget error.message)
expect_exit 0 rd user list
check "refused names were not written" \
    test "$(jget users.#)" = 3

# --- duplicates and unknown users ---------------------------------------------
expect_err exists 1 rd user add alice
expect_err exists 1 rd user add alice --email other@example.com
expect_exit 0 rd user show alice
expect_json email alice2@example.org
for cmd in "show" "del" "unlock" "reset"; do
	expect_err not_found 1 rd user $cmd nobody
done
expect_err not_found 1 rd user set nobody --inactive
expect_err not_found 1 rd methods nobody
check_not "user set on an unknown user does not create it" \
    rd user show nobody

# --- passwords never come from argv ---------------------------------------
expect_err usage 2 rd user add dave --password foo
expect_err not_found 1 rd user show dave
expect_err usage 2 rd user add dave --password=foo
expect_err not_found 1 rd user show dave
expect_err usage 2 rd user set alice --password foo
expect_err usage 2 rd user add dave extra-argument
expect_err not_found 1 rd user show dave
expect_err usage 2 rd login alice "alice password"
# --password-stdin with nothing on stdin: refused, no user half made.
expect_err usage 2 rd user add dave --password-stdin </dev/null
expect_err not_found 1 rd user show dave
printf '\n' | expect_err usage 2 rd user add dave --password-stdin
expect_err not_found 1 rd user show dave
echo "dave password" | expect_exit 0 rd user add dave --password-stdin
echo "dave password" | expect_exit 0 rd login dave
expect_json status ok
expect_json user dave

# A long password is used whole or refused, never cut short: another
# password with the same first 1200 characters must not log in.
LONGA=$(head -c 1500 /dev/zero | tr '\0' a)
LONGB=${LONGA:0:1200}XYZ
printf '%s\n' "$LONGA" | rd user add longpw --password-stdin
if [ "$RC" = 0 ]; then
	pass "a 1500-character password is accepted"
	printf '%s\n' "$LONGB" | rd login longpw
	check "a different long password with the same start is refused" \
	    test "$RC" = 1 -a "$(jget error.code)" = bad_credentials
	printf '%s\n' "$LONGA" | expect_exit 0 rd login longpw
else
	check "a 1500-character password is refused as usage" test "$RC" = 2
	expect_err not_found 1 rd user show longpw
fi
rd user del longpw >/dev/null

# --- del ----------------------------------------------------------------
expect_exit 0 rd user del dave
expect_json user dave
expect_err not_found 1 rd user show dave
expect_err not_found 1 rd user del dave
echo "dave password" | expect_err bad_credentials 1 rd login dave
expect_exit 0 rd user add dave	# the name is free again
expect_exit 0 rd user show dave
expect_json password false

# --- list and paging ------------------------------------------------------
for i in $(seq -w 0 29); do
	"$REDOUBT" --vault "$VAULT" user add "p$i" >/dev/null 2>&1 ||
	    fail "user add p$i"
done
expect_exit 0 rd user add p_under
expect_exit 0 rd user add pX%
expect_exit 0 rd user list --prefix p --limit 10
expect_json users.# 10
expect_json users.0.name p00
expect_json users.9.name p09
expect_json users.0.active true
expect_exit 0 rd user list --prefix p --after p09 --limit 10
expect_json users.# 10
expect_json users.0.name p10
expect_json users.9.name p19
expect_exit 0 rd user list --prefix p --after p19 --limit 10
expect_json users.# 10
expect_json users.0.name p20
expect_json users.9.name p29
expect_exit 0 rd user list --prefix p --after p29 --limit 10
expect_json users '[{"name":"pX%","active":true},{"name":"p_under","active":true}]'
expect_exit 0 rd user list --prefix p --after p_under --limit 10
expect_json users '[]'
# Walk all pages of 7 and compare with one big page.
after=
all=
while :; do
	if [ -n "$after" ]; then
		rd user list --prefix p --limit 7 --after "$after"
	else
		rd user list --prefix p --limit 7
	fi
	n=$(jget users.#) || { fail "paging: bad output"; break; }
	[ "$n" -gt 0 ] || break
	for ((k = 0; k < n; k++)); do
		all="$all $(jget users.$k.name)"
	done
	after=$(jget users.$((n - 1)).name)
	[ "$n" -eq 7 ] || break
done
expect_exit 0 rd user list --prefix p --limit 1000
big=$("$PY" -c 'import json,sys
print("".join(" " + u["name"] for u in json.load(sys.stdin)["users"]))' <"$OUT")
check "paging by 7 gives the same 32 names as one page" \
    test "$all" = "$big" -a "$(echo $all | wc -w)" = 32
# The prefix is literal: '_' and '%' are not wildcards.
expect_exit 0 rd user list --prefix p_
expect_json users '[{"name":"p_under","active":true}]'
expect_exit 0 rd user list --prefix pX%
expect_json users.# 1
expect_exit 0 rd user list --prefix %
expect_json users '[]'
expect_exit 0 rd user list --prefix q
expect_json users '[]'
# Without options: every user (36 < the default limit of 50), in order.
expect_exit 0 rd user list
expect_json users.# 36
expect_json users.0.name alice
check "user list is in name order" "$PY" -c 'import json,sys
n = [u["name"] for u in json.load(sys.stdin)["users"]]
sys.exit(n != sorted(n, key=lambda s: s.encode()))' <"$OUT"
expect_err usage 2 rd user list --limit 0
expect_err usage 2 rd user list --limit x
expect_err usage 2 rd user list --limit -3
rd user set p03 --inactive >/dev/null
expect_exit 0 rd user list --prefix p03
expect_json users '[{"name":"p03","active":false}]'
# Human list: a header and one row a user.
expect_exit 0 rdh user list --prefix p --limit 3
check "human user list: a header and 3 rows" \
    test "$(grep -c '^p0[0-9] ' "$OUT")" = 3 -a "$(wc -l <"$OUT")" = 4
check "human user list: the header names the columns" \
    grep -qE '^NAME +ACTIVE$' "$OUT"

# --- usage errors: exit 2, code usage, as one JSON object -----------------------
while IFS= read -r args; do
	# shellcheck disable=SC2086
	expect_err usage 2 rd $args </dev/null
done <<'EOF'
activate
activate alice
activate alice app 1 2
confirm alice app
deactivate alice
request-code
request-code alice
login
login alice bob
login-code tok
backup-codes
backup-codes alice 1 2
primary alice app
methods
methods alice bob
config extra
outbox show
outbox show abc
outbox bogus
audit list --limit -1
audit bogus
init extra
passphrase extra
user unlock
user reset alice bob
user del
user add alice --email
user add alice --inactive=yes
login-code tok 123456 --method
EOF

# --- --json: exactly one JSON object, for successes and for errors ---------
json_one() {	# EXIT CMD...
	local want=$1
	shift
	expect_exit "$want" rd "$@"
	check "--json $*: stdout is exactly one JSON object" stdout_is_one_json
	if [ "$want" -ne 0 ]; then
		check "--json $*: error.code and error.message are strings" \
		    "$PY" -c 'import json,sys
e = json.load(sys.stdin)["error"]
sys.exit(not (isinstance(e["code"], str) and e["code"]
    and isinstance(e["message"], str) and e["message"]))' <"$OUT"
	fi
}
json_one 0 user show alice
json_one 0 user list --limit 2
json_one 0 user add erin --email erin@example.com
json_one 0 user set erin --phone +15550001111
json_one 0 user del erin
json_one 0 methods alice
json_one 0 audit list --limit 3
json_one 1 user show nobody
json_one 1 user add alice
json_one 2 user add x --password foo
json_one 2 user add 'bad name'
json_one 2 user add erin --email nope
json_one 2 no-such-command
json_one 2 user
json_one 2 user show
json_one 2 user show a b
json_one 1 activate nobody app
json_one 3 --vault "$T/none.db" user list
echo wrong | json_one 1 login alice
# No command at all (stdin not a terminal): a usage error, as JSON too.
"$REDOUBT" --json --vault "$VAULT" </dev/null >"$OUT" 2>"$ERR"
RC=$?
check "--json with no command: exit 2" test "$RC" = 2
check "--json with no command: stdout is one JSON object" stdout_is_one_json
expect_json error.code usage
# A failure still writes nothing to stdout in human mode, and the JSON error
# object has the documented shape.
expect_exit 1 rd user show nobody
expect_json error.code not_found
check "JSON error names the user" grep -q nobody "$OUT"
check "JSON error: nothing on stderr" test ! -s "$ERR"

finish
