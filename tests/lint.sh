#!/bin/sh
# The layer rules of DESIGN.md §1 and the seams of the code, checked by
# grep so they cannot erode.  Exits 1 and names every file that breaks one.
# Run from the top of the tree (make lint); tests/e2e/t-build.sh plants one
# violation of each rule in a copy of the tree and sees this name the file.
fail=0

say() {	# say RULE FILES...
	rule=$1
	shift
	echo "lint: $rule:" "$@"
	fail=1
}

# Every C file of the layers, one per line.
files() {
	for d in "$@"; do
		[ -d "$d" ] && find "$d" -name '*.[ch]'
	done | sort
}

# System libraries, each in its own layer.
system() {	# system NAME HEADER_REGEX ALLOWED_PATH_REGEX
	hits=$(files src ui vault backends pam tests/bench |
	    xargs grep -lE "#[[:space:]]*include[[:space:]]*<($2)" \
	    2>/dev/null | grep -vE "$3")
	[ -z "$hits" ] || say "$1 is included outside its layer" $hits
}
system ncurses 'n?curses(w)?(/n?curses)?\.h|term\.h' '^ui/term\.c$'
system libcurl 'curl/' '^backends/'
# Inside vault/ each database library stays with its driver (store.h is
# the seam): SQLite in store-sqlite.* (and backup.c, SQLite's own online
# backup), libpq in store-pg*.
system sqlite3 'sqlite3\.h' '^vault/(store-sqlite\.[ch]|backup\.c)$'
system libpq 'libpq-fe\.h' '^vault/store-pg(-[a-z]+)?\.[ch]$'
system libpam 'security/pam_' '^pam/'
# cairo draws the enrolment sheet and nothing else (src/sheet.h).
system cairo 'cairo(-pdf)?\.h' '^src/sheet\.c$'
# PSKC (and the libxml2 under it) in one file of the core.
system libpskc 'pskc/' '^src/tok-pskc\.c$'
system libxml2 'libxml/' '^src/tok-pskc\.c$'

# Project headers across a forbidden edge.  FILES is a list of files, one
# per line; an include is "path" relative to the including file.
edge() {	# edge RULE FILES INCLUDE_REGEX
	hits=$(echo "$2" | grep . |
	    xargs grep -lE "#[[:space:]]*include[[:space:]]*\"($3)" \
	    2>/dev/null)
	[ -z "$hits" ] || say "$1" $hits
}
src_all=$(files src)
ui_all=$(files ui)
vault_all=$(files vault)
be_all=$(files backends)
# The core: src/ but the command layer (cmd*, cli*) and main.c.
core=$(echo "$src_all" | grep -vE '^src/(cmd[-.].*|cmd\.[ch]|cli[-.].*|main\.c)$')

edge "ui/ includes vault/ or backends/ (go through the session and the commands)" \
    "$ui_all" '\.\./(vault|backends)/'
edge "ui/ reads the config (the commands' answers say what a screen needs)" \
    "$ui_all" '\.\./src/(config|cfg|kind)\.h'
edge "src/cli.c includes vault/ or backends/ (go through the session)" \
    "$(echo "$src_all" | grep -E '^src/cli[-.].*$')" '\.\./(vault|backends)/'
edge "vault/ includes backends/ or ui/" \
    "$vault_all" '\.\./(backends|ui)/'
edge "backends/ include vault/ or ui/ (channels get data from the core)" \
    "$be_all" '\.\./(vault|ui)/'
edge "the core includes the command layer (cmd.h, cli.h)" \
    "$core" '(cmd|cli)\.h'
edge "src/ includes ui/ (only main.c picks a face)" \
    "$(echo "$src_all" | grep -v '^src/main\.c$')" '\.\./ui/'
edge "backends/ include the config module (cfg.h is theirs)" \
    "$be_all" '\.\./src/config(-int)?\.h'
edge "the config module includes backends/ (it asks cfg_handler_find)" \
    "$(echo "$src_all" | grep -E '^src/(config|cfg)')" '\.\./backends/'

# Code that must live in one place.
code() {	# code RULE FILES REGEX
	hits=$(echo "$2" | grep . | xargs grep -lE -e "$3" 2>/dev/null)
	[ -z "$hits" ] || say "$1" $hits
}
code "a transaction begun, committed or rolled back outside src/tx.c (the runner owns it)" \
    "$(files src ui pam | grep -v '^src/tx\.c$')" \
    'vault_(begin|commit|rollback|savepoint|release|rollback_to)[[:space:]]*\('
code "a method kind looked at outside src/kind.c (call the kind's table)" \
    "$(files src ui pam | grep -v '^src/kind\.c$')" \
    '->kind[^_a-z]|BE_(CODE|VERIFY|APP|DEVICE)[^_A-Z]'
code "a handler named in the core (ask the kind, not the name)" \
    "$core" '(handler|be)(->|\.)name[^;]*"[a-z_]+"|"[a-z_]+"[^;]*(handler|be)(->|\.)name'
code "an option read by position (use cmd_opt with the command's enum)" \
    "$(files src ui pam | grep -v '^src/cmd\.c$')" 'in->opt\['

# Every fallible function says so: prototypes returning enum rd_code end in
# RD_CHECK, and so do function pointers; static definitions carry it too.
unchecked=$(files src vault backends pam | grep '\.h$' | xargs awk '
	FNR == 1 { stmt = ""; on = 0 }
	/^(static )?enum rd_code[ \t]/ || /^\t*enum rd_code[ \t]+\(\*/ { on = 1; stmt = "" }
	on { stmt = stmt $0 }
	on && /;/ {
		# rd_err_set only builds an error: its result may go.
		if (stmt ~ /\(/ && stmt !~ /RD_CHECK[ \t]*;/ &&
		    stmt !~ /rd_err_set\(/)
			print FILENAME
		on = 0
	}' | sort -u)
[ -z "$unchecked" ] || say "a fallible function without RD_CHECK" $unchecked
unchecked=$(files src vault backends pam ui | grep '\.c$' |
    xargs grep -lE '^static enum rd_code[[:space:]]*$' 2>/dev/null)
[ -z "$unchecked" ] || say "a static fallible function without RD_CHECK" $unchecked

[ $fail -eq 0 ] && echo "lint: layers and seams ok"
exit $fail
