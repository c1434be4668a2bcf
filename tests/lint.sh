#!/bin/sh
# Layer rules of DESIGN.md §1, checked by grep so they cannot erode:
# ncurses only in ui/term.c, libcurl only in backends/, SQLite only in
# vault/.  Exits 1 and names every file that breaks one.
fail=0
check() {	# check NAME HEADER_REGEX ALLOWED_PATH_REGEX
	hits=$(grep -rlE "#[[:space:]]*include[[:space:]]*<($2)" \
	    --include='*.c' --include='*.h' src ui vault backends tests/bench \
	    2>/dev/null | grep -vE "$3")
	if [ -n "$hits" ]; then
		echo "lint: $1 is included outside its layer:" $hits
		fail=1
	fi
}
check ncurses 'n?curses(w)?(/n?curses)?\.h|term\.h' '^ui/term\.c$'
check libcurl 'curl/' '^backends/'
check sqlite3 'sqlite3\.h' '^vault/'
# The core (src/) must not reach into the UI either.
hits=$(grep -rlE '#[[:space:]]*include[[:space:]]*"\.\./ui/' src vault backends 2>/dev/null)
if [ -n "$hits" ]; then
	echo "lint: ui/ is included from a lower layer:" $hits
	fail=1
fi
[ $fail -eq 0 ] && echo "lint: layers ok"
exit $fail
