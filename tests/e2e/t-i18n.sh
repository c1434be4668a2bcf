#!/bin/bash
# t-i18n.sh: redoubt in Polish.  With LANG=pl_PL.UTF-8 (LC_ALL unset) the
# command line's help, human output and error messages are Polish, with
# the same exit codes as in English, the core's and the vault's errors
# included (unknown user, no vault, wrong passphrase, a wrong code); user
# show's labels and method states are Polish; the outbox channel's
# built-in message is Polish with the plural form of its validity (10
# minut, 1 minuta) and stays English under C; --json (before or after
# the command) is byte for byte what LANG=C prints; the TUI at 80x24
# shows the method picker, the enrolment wizard, the audit log and an audit entry in Polish
# with every line within 80 columns (the unlock screen and the user list
# are checked for width).  `make deps` generates a missing locale as root
# and prints the command without root.
. "$(dirname "$0")/tui-lib.sh"

TUI_W=80
TUI_H=24
export TZ=UTC

new_vault
printf '%s\n' "$REDOUBT_PASSPHRASE" >"$T/pass"
add_user alice "alice pw" --email alice@example.com
add_user bob "bob pw"
expect_exit 0 rd activate alice email

if ! locale -a 2>/dev/null | grep -qx 'pl_PL.utf8'; then
	fail "the pl_PL.UTF-8 locale is missing (make deps generates it)"
fi

# pl_at VAULT ARGS...: the human command line in Polish, as an operator
# runs it, on VAULT; pl ARGS...: on the test's vault.
pl_at() {
	local v=$1
	shift
	env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=pl_PL.UTF-8 \
	    "$REDOUBT" --vault "$v" "$@" >"$OUT" 2>"$ERR"
	RC=$?
	return $RC
}
pl() { pl_at "$VAULT" "$@"; }

# has FILE TEXT: a check that FILE holds TEXT.
has() {
	if grep -qF -- "$2" "$1"; then
		pass "$(basename "$1") has '$2'"
	else
		fail "$(basename "$1") lacks '$2'"
		sed 's/^/    |/' "$1"
	fi
}

# --- human output and errors in Polish ----------------------------------
expect_exit 0 pl user list
has "$OUT" "NAZWA"
has "$OUT" "AKTYWNA"
has "$OUT" "alice  tak"
expect_exit 0 pl user show alice
has "$OUT" "użytkownik:"
expect_exit 2 pl user add carol --phone 12
has "$ERR" "redoubt: numer telefonu '12' nie ma numeru kierunkowego kraju"
expect_exit 2 pl usr list
has "$ERR" "redoubt: nieznane polecenie 'usr'; czy chodziło o 'user'?"
expect_exit 2 pl user list --limit x
has "$ERR" "--limit: 'x' nie jest liczbą od 1 do 100000"
expect_exit 0 pl help
has "$OUT" "polecenia:"
has "$OUT" "dodaj użytkownika"
has "$OUT" "kod wyjścia: 0 sukces, 1 odmowa, 2 błędne użycie"
expect_exit 0 pl help user add
has "$OUT" "użycie: redoubt user add USER"
has "$OUT" "--email WARTOŚĆ   adres e-mail"
has "$OUT" "--password-stdin  wczytaj hasło ze stdin"
expect_exit 0 pl help user
has "$OUT" "polecenia grupy user:"
# Plural forms where a count is said: "4 problemy", not "4 problems".
printf '[redoubt]\nissuer = a:b\nbackup_codes_characters = ab\n' \
    >"$T/bad.conf"
expect_exit 5 pl --config "$T/bad.conf" config --check
has "$ERR" "2 problemy w $T/bad.conf; pierwszy:"

# --- the core's and the vault's errors in Polish -------------------------
expect_exit 1 pl user show nobody
has "$ERR" "redoubt: nie ma użytkownika nobody"
expect_exit 3 pl_at "$T/none.db" user list
has "$ERR" "redoubt: brak sejfu w $T/none.db (utwórz go poleceniem: redoubt"
REDOUBT_PASSPHRASE=wrong expect_exit 3 pl user list
has "$ERR" "redoubt: błędne hasło sejfu $VAULT"
expect_exit 1 pl confirm alice email 000000
has "$ERR" "redoubt: błędny kod metody email"
expect_exit 1 pl activate alice nomethod
has "$ERR" "redoubt: w konfiguracji nie ma metody nomethod (są: app, email, sms)"
# user show: the labels and a method's state in Polish.
expect_exit 0 pl user show alice
has "$OUT" "kody zapasowe wszędzie:"
has "$OUT" "ADRES DOCELOWY"
has "$OUT" "  email  outbox   oczekuje"

# --- a code's message in the operator's language, plural forms right ----
# The built-in text of the outbox channel (e-mail and SMS alike): 10
# minutes by default, 1 minute for a method that says 60 seconds.
printf '[method.quick]\nhandler = outbox\nsource_field = phone\n%s\n' \
    'validity_period = 60' >"$T/quick.conf"
add_user dave "dave pw" --email dave@example.com --phone +48500000001
add_user erin "erin pw" --email erin@example.com --phone +48500000002
expect_exit 0 pl activate dave email
has "$OUT" "pozostały czas:        10 minut"
expect_exit 0 pl --config "$T/quick.conf" activate dave quick
expect_exit 0 pl outbox list
has "$OUT" "redoubt: Twój kod weryfikacyjny to "
has "$OUT" ". Czas ważności: 10 minut."
has "$OUT" ". Czas ważności: 1 minuta."
# The same in English under C.
expect_exit 0 rdh activate erin email
expect_exit 0 rdh --config "$T/quick.conf" activate erin quick
expect_exit 0 rdh outbox list
has "$OUT" "redoubt: your verification code is "
has "$OUT" ". It is valid for 10 minutes."
has "$OUT" ". It is valid for 1 minute."

# --- the same words in English under C: nothing changed for them --------
expect_exit 2 rdh user add carol --phone 12
has "$ERR" "redoubt: the phone number '12' has no country code"
expect_exit 1 rdh user show nobody
has "$ERR" "redoubt: no user nobody"
expect_exit 1 rdh confirm alice email 000000
has "$ERR" "redoubt: wrong code for email"
expect_exit 0 rdh user show alice
has "$OUT" "backup codes everywhere:"
has "$OUT" "  email  outbox   pending"

# --- --json is English and byte-identical, and so are exit codes --------
same_json() {	# same_json ARGS...: --json under pl_PL and C
	local want got
	env -u LC_ALL LANG=C "$REDOUBT" --vault "$VAULT" "$@" >"$T/c.json" \
	    2>"$T/c.err"
	want=$?
	env -u LC_ALL -u LANGUAGE LANG=pl_PL.UTF-8 "$REDOUBT" --vault \
	    "$VAULT" "$@" >"$T/pl.json" 2>"$T/pl.err"
	got=$?
	if cmp -s "$T/c.json" "$T/pl.json" && [ "$want" -eq "$got" ] &&
	    [ -s "$T/c.json" ]; then
		pass "--json $*: the same bytes and exit $want in Polish"
	else
		fail "--json $*: C (exit $want) and pl_PL (exit $got) differ"
		diff "$T/c.json" "$T/pl.json" | sed 's/^/    |/'
	fi
}
same_json --json user show alice
same_json user show alice --json
same_json --json user list
same_json --json user show nobody
same_json --json user add carol --phone 12
same_json usr list --json
same_json --json user list --limit x
same_json --json audit list
same_json --json methods alice
same_json --json user show dave
same_json --json outbox list
same_json --json --config "$T/bad.conf" config --check
same_json --json help-me

# --- the TUI at 80x24 ---------------------------------------------------
# No line of the screen wider than 80 columns (tmux would wrap it).
fits_80() {
	local wide
	wide=$(screen | "$PY" -c 'import sys
for l in sys.stdin.read().split("\n"):
    if len(l.rstrip()) > 80:
        print(l)')
	if [ -z "$wide" ] && [ "$(screen | wc -l)" -le 24 ]; then
		pass "$1: every line within 80 columns"
	else
		fail "$1: lines wider than 80 columns"
		show_screen
	fi
}

TUI_ENV="LC_ALL= LANG=pl_PL.UTF-8 REDOUBT_OPERATOR=jan" tui_start \
    --vault "$VAULT"
wait_for "redoubt"
fits_80 "the unlock screen"
type_text "$REDOUBT_PASSPHRASE"
keys Enter
wait_for "alice"
fits_80 "the user list"
keys Enter
wait_for "alice"
keys a
wait_for "redoubt · Aktywacja metody dla: alice"
wait_for "Metoda              Obsługa         Rodzaj  Nazwa wyświetlana"
fits_80 "the method picker"
type_text app
keys Enter
wait_for "Zeskanuj ten kod aplikacją"
wait_for "[ Potwierdź ]"
wait_for "s pokazuje zamiast tego sekret i URI; i"
not_on_screen "Scan this code"
fits_80 "the enrolment wizard (QR code)"
keys s
wait_for "Sekret"
wait_for "Wpisz sekret w aplikacji (albo skopiuj URI), a potem wpisz kod"
wait_for "s wraca do kodu QR."
fits_80 "the enrolment wizard (secret)"
# Back to the user list (bob is on it), then the audit log.
keys Escape
wait_gone "Sekret"
keys Escape
wait_for "bob"
keys g
wait_for "redoubt · Dziennik audytu"
wait_for "pracujesz jako tui:jan"
wait_for "Kiedy            Użytkownik   Działanie    Wynik          Szczegóły"
wait_for "activate     oczekuje"
wait_for "wpisów, od najnowszych"
fits_80 "the audit log"
keys Enter
wait_for "redoubt · Wpis dziennika"
wait_for "od najnowszych; strzałki w górę i w dół przechodzą między nimi"
wait_for "Użytkownik  "
wait_for "Operator    tui:jan"
fits_80 "an audit entry"
keys Escape
keys /
wait_for "Enter stosuje, Esc usuwa"
type_text alice
keys Enter
wait_for "6 wpisów o użytkowniku alice, od najnowszych"
fits_80 "the filtered audit log"

# --- make deps and the locale -------------------------------------------
mkdir -p "$T/mk" "$T/bin" && cp "$E2E_TOP/Makefile" "$T/mk/" &&
    chmod -R a+rX "$T"
cat >"$T/bin/localedef" <<EOS
#!/bin/sh
echo "localedef \$*" >>"$T/localedef.log"
EOS
chmod +x "$T/bin/localedef"
if [ "$(id -u)" -eq 0 ]; then
	PATH="$T/bin:$PATH" make --no-print-directory -C "$T/mk" deps \
	    DEBS=make LOCALES="xx_XX.UTF-8" >"$T/out" 2>&1
	check "deps as root: a locale that stays missing fails" test $? -ne 0
	check "deps as root generates a missing locale with localedef" \
	    grep -q 'localedef -i xx_XX -c -f UTF-8 .* xx_XX.UTF-8' \
	    "$T/localedef.log"
	: >"$T/localedef.log"
	PATH="$T/bin:$PATH" make --no-print-directory -C "$T/mk" deps \
	    DEBS=make >"$T/out" 2>&1
	check "deps as root: pl_PL.UTF-8 is there" test $? -eq 0
	check_not "deps as root leaves an existing locale alone" \
	    test -s "$T/localedef.log"
else
	fail "deps as root: this test runs as root (as make test does)"
fi
if id nobody >/dev/null 2>&1 && command -v runuser >/dev/null 2>&1 &&
    [ "$(id -u)" -eq 0 ]; then
	runuser -u nobody -- make --no-print-directory -C "$T/mk" deps \
	    DEBS=make LOCALES="xx_XX.UTF-8" >"$T/out" 2>&1
	check "deps without root exits non-zero when a locale is missing" \
	    test $? -ne 0
	check "deps without root prints the localedef command" \
	    grep -q '^  localedef -i xx_XX -c -f UTF-8 .* xx_XX.UTF-8$' "$T/out"
else
	fail "cannot test deps as an unprivileged user (no nobody/runuser," \
	    "or not root)"
fi

finish
