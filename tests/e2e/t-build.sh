#!/bin/bash
# t-build.sh: the build contract.  `make deps` installs only what
# `dpkg -s` says is missing, and without root prints the exact apt-get
# command instead of running it; `make lint` fails on every rule of
# tests/lint.sh (a system library outside its layer, a project header
# across a forbidden edge, a transaction or a kind outside its one place,
# an option read by position, a fallible function without RD_CHECK); the
# README gives the two set-up commands and .ci/run runs the test command.
. "$(dirname "$0")/lib.sh"

MK="make --no-print-directory -s"

# --- deps as root, with apt-get replaced by a recorder on PATH ---------------
mkdir -p "$T/bin"
cat >"$T/bin/apt-get" <<EOS
#!/bin/sh
echo "apt-get \$*" >>"$T/apt.log"
EOS
chmod +x "$T/bin/apt-get"
if [ "$(id -u)" -eq 0 ]; then
	PATH="$T/bin:$PATH" $MK -C "$E2E_TOP" deps >"$T/out" 2>&1
	check "deps with nothing missing succeeds" test $? -eq 0
	check_not "deps with nothing missing calls apt-get" test -e "$T/apt.log"
	PATH="$T/bin:$PATH" $MK -C "$E2E_TOP" deps \
	    DEBS="make redoubt-no-such-package" >"$T/out" 2>&1
	check "deps installs what dpkg -s lacks" \
	    grep -q 'apt-get install -y -q redoubt-no-such-package$' "$T/apt.log"
	check "deps runs apt-get update first" \
	    grep -q '^apt-get update' "$T/apt.log"
	check_not "deps asks for packages that are installed" \
	    grep -q 'install.* make' "$T/apt.log"
else
	fail "deps as root: this test runs as root (as make test does)"
fi

# --- deps: one package missing, without root: the command, not an install ----
# The Makefile alone, readable by an unprivileged user.
mkdir -p "$T/mk" && cp "$E2E_TOP/Makefile" "$T/mk/" && chmod -R a+rX "$T"
if id nobody >/dev/null 2>&1 && command -v runuser >/dev/null 2>&1 &&
    [ "$(id -u)" -eq 0 ]; then
	runuser -u nobody -- make --no-print-directory -C "$T/mk" deps \
	    DEBS="make redoubt-no-such-package" >"$T/out" 2>&1
	rc=$?
	check "deps without root exits non-zero when a package is missing" \
	    test "$rc" -ne 0
	check "deps without root prints the apt-get command for what is missing" \
	    grep -q 'apt-get install -y redoubt-no-such-package' "$T/out"
	check_not "deps without root names installed packages too" \
	    grep -q 'install -y.*make' "$T/out"
else
	fail "cannot test deps as an unprivileged user (no nobody/runuser, or not root)"
fi

# --- lint: layers hold, and one violation of each rule is caught ------------
# Each probe is FILE|LINE; LINE takes \n.  A FILE that exists gets the line
# appended (src/cli.c), any other is made.
check "make lint passes on the tree" sh -c "$MK -C '$E2E_TOP' lint >/dev/null"
while IFS='|' read -r file line; do
	[ -n "$file" ] || continue
	rm -rf "$T/tree" && mkdir -p "$T/tree/tests"
	cp -r "$E2E_TOP/src" "$E2E_TOP/ui" "$E2E_TOP/vault" "$E2E_TOP/backends" \
	    "$T/tree/" && cp "$E2E_TOP/tests/lint.sh" "$T/tree/tests/"
	printf '%b\n' "$line" >>"$T/tree/$file"
	(cd "$T/tree" && sh tests/lint.sh) >"$T/out" 2>&1
	rc=$?
	check "lint fails on '$line' in $file" test "$rc" -ne 0
	check "lint names $file for '$line'" grep -q "$file" "$T/out"
done <<'EOF'
src/probe.c|#include <ncurses.h>
src/probe.c|#include <curl/curl.h>
ui/probe.c|#include <sqlite3.h>
vault/probe.c|#include <curses.h>
src/probe.c|#include <libpq-fe.h>
vault/vault-user.c|#include <sqlite3.h>
vault/store-sqlite.c|#include <libpq-fe.h>
vault/header.c|#include <libpq-fe.h>
vault/probe.c|#include <security/pam_modules.h>
src/cmd-probe.c|#include <cairo.h>
ui/probe.c|#include <cairo-pdf.h>
src/probe.c|#include <pskc/pskc.h>
ui/probe.c|#include <libxml/xmlerror.h>
ui/probe.c|#include "../vault/vault.h"
ui/probe.c|#include "../backends/backend.h"
ui/probe.c|#include "../src/config.h"
src/cli.c|#include "../vault/vault.h"
vault/probe.c|#include "../backends/backend.h"
vault/probe.c|#include "../ui/screen.h"
backends/probe.c|#include "../vault/vault.h"
backends/probe.c|#include "../ui/ui.h"
backends/probe.c|#include "../src/config.h"
src/config-probe.c|#include "../backends/backend.h"
src/probe.c|#include "cmd.h"
src/probe.c|#include "cli.h"
src/probe.c|#include "../ui/ui.h"
src/cmd-probe.c|static int f(struct vault *v) { return vault_begin(v, 0); }
ui/probe.c|static int f(const struct backend *be) { return be->kind == BE_APP; }
src/probe.c|static int f(const struct method_cfg *mc) { return strcmp(mc->handler->name, "totp"); }
src/cmd-probe.c|static const char *f(const struct cmd_input *in) { return in->opt[2]; }
src/probe.h|enum rd_code\tprobe(int x,\n\t    struct rd_err *err);
vault/probe.h|\tenum rd_code\t(*probe)(int x);
src/probe.c|static enum rd_code\nprobe(void)\n{\n\treturn RD_OK;\n}
EOF

# --- README and CI --------------------------------------------------------------
quick=$(sed -n '/^## Quick start/,/^## /p' "$E2E_TOP/README.md")
check "README quick start gives make run" grep -q '^ *make run' <<<"$quick"
check "README quick start gives make test" grep -q '^ *make test' <<<"$quick"
check ".ci/run runs make test" grep -qx 'make test' "$E2E_TOP/.ci/run"
check ".ci/run is executable" test -x "$E2E_TOP/.ci/run"

finish
