#!/bin/bash
# t-tui-i18n.sh: the TUI in Polish (LANG=pl_PL.UTF-8) at 80x24 and
# 100x40: the unlock screen, the user list, a user's detail, a method's
# detail, the help (keys and sections in Polish), the login tester's code
# step and its Switch method picker, the outbox, the configuration, the
# passphrase screen and a code dialog show Polish words, Polish key hints,
# and no line wider than the terminal; the unlock screen names no option
# or environment variable.  DUMP=1 prints every screen checked.
. "$(dirname "$0")/tui-lib.sh"

export TZ=UTC
CONFIG=$T/redoubt.conf
printf '[redoubt]\nresend_cooldown = 0\n' >"$CONFIG"
new_vault
rd user add dave --email dave@example.com --phone +15550001111
echo 'dave pw' | rd user set dave --password-stdin
rd user add eve
rd activate dave email
rd confirm dave email "$(outbox_code)"
rd request-code dave email
rd activate dave sms "$(outbox_code)"
rd confirm dave sms "$(outbox_code)"
rd methods dave
expect_json methods.# 2

if ! locale -a 2>/dev/null | grep -qx 'pl_PL.utf8'; then
	fail "the pl_PL.UTF-8 locale is missing (make deps generates it)"
fi

# fits NAME: no line of the screen wider than the terminal, none more.
fits() {
	local wide
	wide=$(screen | "$PY" -c 'import sys
w = int(sys.argv[1])
for l in sys.stdin.read().split("\n"):
    if len(l.rstrip()) > w:
        print(l)' "$TUI_W")
	if [ -z "$wide" ] && [ "$(screen | wc -l)" -le "$TUI_H" ]; then
		pass "$TUI_W x $TUI_H, $1: every line within $TUI_W columns"
	else
		fail "$TUI_W x $TUI_H, $1: lines wider than $TUI_W columns"
		show_screen
	fi
	[ -n "${DUMP:-}" ] && show_screen
	return 0
}

# polish W H: the screens in Polish in a W x H terminal.
polish() {
	TUI_W=$1
	TUI_H=$2
	TUI_ENV="LC_ALL=pl_PL.UTF-8 LANG=pl_PL.UTF-8 REDOUBT_OPERATOR=jan" \
	    tui_start --vault "$VAULT" --config "$CONFIG"
	wait_for "redoubt · Otwarcie sejfu"
	wait_for "Otwórz sejf"
	wait_for "Hasło sejfu:"
	wait_for "zob. stronę"
	not_on_screen "passphrase-file"
	not_on_screen "REDOUBT_PASSPHRASE"
	wait_for "F1 pomoc  Esc wróć"
	fits "the unlock screen"
	type_text "$REDOUBT_PASSPHRASE"
	keys Enter
	wait_for "redoubt · Użytkownicy"
	wait_for "Stan"
	wait_for "dave"
	wait_for "aktywny"
	wait_for "? pomoc  / szukaj  n nowy"
	fits "the user list"

	keys Enter
	wait_for "redoubt · Użytkownik dave"
	wait_for "Kody zapasowe"
	wait_for "nie zablokowany"
	wait_for "Metoda              Obsługa         Stan      Główna"
	wait_for "aktywna"
	wait_for "? pomoc  a dodaj"
	fits "the user detail"

	keys '?'
	wait_for "redoubt · Pomoc: użytkownik"
	wait_for "Wszędzie"
	wait_for "pomoc: klawisze tego ekranu"
	wait_for "Użytkownik"
	wait_for "aktywuj metodę"
	wait_for "↑ k"
	not_on_screen "move up"
	fits "the help"
	# A help text longer than its column goes on below, not cut.
	keys End
	wait_for "reset po utracie urządzenia: usuń wszystkie metody i"
	if [ "$TUI_W" -eq 80 ]; then
		wait_for "                     zapasowe (najpierw pyta)"
	else
		wait_for "                     pyta)"
	fi
	fits "the end of the help"
	keys Escape
	wait_gone "Pomoc:"

	keys Enter
	wait_for "redoubt · Metoda email użytkownika dave"
	wait_for "Rodzaj"
	wait_for "Ostatnie użycie"
	wait_for "Sekret metody nigdy"
	wait_for "p główna"
	fits "the method detail"
	keys Escape
	wait_for "redoubt · Użytkownik dave"

	keys b
	wait_for "redoubt · Nowe kody zapasowe"
	wait_for "Nowy zestaw kodów zapasowych dla dave"
	wait_for "[ Anuluj ]"
	fits "the code dialog"
	keys Escape
	wait_for "redoubt · Użytkownik dave"

	keys l
	wait_for "redoubt · Test logowania"
	wait_for "Prawdziwe logowanie"
	type_text 'dave pw'
	keys Enter
	wait_for "Kod wysłano do d***@example.com."
	wait_for "Krok 2: drugi składnik"
	wait_for "(główna)"
	wait_for "Albo użyj: "
	wait_for "[ Sprawdź ]"
	wait_for "[ Od nowa ]"
	fits "the login tester's code step"
	keys Tab Tab Tab Enter
	wait_for "Zmiana z "
	wait_for "Po wybraniu wysyła kod."
	wait_for "Enter wybiera; Esc wraca i niczego nie wysyła."
	fits "the login tester's picker"
	keys Escape
	wait_gone "Zmiana z "
	keys Escape
	wait_for "redoubt · Użytkownik dave"
	keys Escape
	wait_for "redoubt · Użytkownicy"

	keys o
	wait_for "redoubt · Skrzynka nadawcza"
	wait_for "Wysłano (UTC)"
	wait_for "Wiadomość"
	fits "the outbox"
	keys Escape
	wait_for "redoubt · Użytkownicy"

	keys c
	wait_for "redoubt · Konfiguracja"
	wait_for "Brak problemów."
	wait_for "Metoda              Obsługa         Rodzaj  Nazwa wyświetlana"
	fits "the configuration"
	keys Escape
	wait_for "redoubt · Użytkownicy"

	keys P
	wait_for "redoubt · Hasło sejfu"
	wait_for "Zmiana hasła sejfu"
	wait_for "Obecne hasło:"
	wait_for "Powtórz:"
	wait_for "[ Zmień ]"
	fits "the passphrase screen"
	keys Escape
	wait_for "redoubt · Użytkownicy"

	# The first run: no vault yet.
	TUI_ENV="LC_ALL=pl_PL.UTF-8 LANG=pl_PL.UTF-8" tui_start \
	    --vault "$T/new-$TUI_W.db" --config "$CONFIG"
	wait_for "redoubt · Nowy sejf"
	wait_for "Utwórz nowy sejf"
	wait_for "Nie ma tu jeszcze sejfu."
	wait_for "Koszt otwarcia:  ( ) szybki       ok. 0,1 s i 64 MiB pamięci"
	wait_for "(*) umiarkowany  ok. 1 s i 256 MiB (zwykły wybór)"
	wait_for "( ) mocny        ok. 4 s i 1 GiB"
	wait_for "Powtórz:"
	wait_for "[ Utwórz ]  [ Anuluj ]"
	fits "the first run"
}

polish 80 24
polish 100 40

finish
