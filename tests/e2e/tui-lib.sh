# tests/e2e/tui-lib.sh: tmux helpers for the TUI scripts (t-tui-*.sh),
# on top of lib.sh (its rd, check, pass, fail, finish and temporary
# folder).  The real binary runs in a detached tmux session on a private
# server (-L rdtest-PID, no config file), 100x40 unless told otherwise;
# keys go in with send-keys and the screen comes back with capture-pane.
# Waits poll the screen until text shows up, and print the screen when
# it does not; the server is killed on exit, whatever happened.
#
#   tui_start ARGS...     run `redoubt ARGS` in the session (UTF-8 locale,
#                         no $REDOUBT_PASSPHRASE unless TUI_PASS is set;
#                         TUI_ENV="NAME=VALUE ..." adds to the environment)
#   keys KEY...           tmux send-keys (names like Enter, Tab, Escape)
#   type_text TEXT        send TEXT literally
#   screen                the screen as text;  screen_e: with colours
#   wait_for TEXT [SECS]  until TEXT is on screen (default 10 s); counts
#                         a pass or a failure, prints the screen on failure
#   wait_gone TEXT [SECS] until TEXT is not on screen
#   tui_exited            the program ended (prints "TUI EXITED rc=N")
#   tui_summary           the "tui SCRIPT: N passed, M failed" line

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TMUX_L=rdtest-$$
TUI_W=100
TUI_H=40

tui_cleanup() {
	local rc=$?
	tmux -L "$TMUX_L" kill-server 2>/dev/null
	# tmux leaves its socket file behind.
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TMUX_L"
	(exit $rc)
	e2e_exit
}
trap tui_cleanup EXIT

tui_start() {
	local cmd q a
	cmd="LC_ALL=C.UTF-8 LANG=C.UTF-8 TERM=screen-256color"
	if [ -n "${TUI_ENV:-}" ]; then
		cmd="$cmd $TUI_ENV"
	fi
	if [ -n "${TUI_PASS:-}" ]; then
		cmd="$cmd REDOUBT_PASSPHRASE=$(printf %q "$TUI_PASS")"
	fi
	q=$(printf %q "$REDOUBT")
	for a in "$@"; do
		q="$q $(printf %q "$a")"
	done
	# A server of an earlier start must be gone before the next one.
	tmux -L "$TMUX_L" kill-server 2>/dev/null
	while tmux -L "$TMUX_L" list-sessions >/dev/null 2>&1; do
		sleep 0.1
	done
	# The shell stays after the program, so its exit status can be read.
	tmux -L "$TMUX_L" -f /dev/null new-session -d -x "$TUI_W" -y "$TUI_H" \
	    "env -u REDOUBT_PASSPHRASE $cmd $q; echo \"TUI EXITED rc=\$?\"; sleep 60"
}

keys() {
	tmux -L "$TMUX_L" send-keys "$@"
}

type_text() {
	tmux -L "$TMUX_L" send-keys -l -- "$1"
}

screen() {
	tmux -L "$TMUX_L" capture-pane -p 2>/dev/null
}

screen_e() {
	tmux -L "$TMUX_L" capture-pane -p -e -N 2>/dev/null
}

show_screen() {
	echo "---- screen ----"
	screen | sed 's/^/    |/'
	echo "----------------"
}

# wait_for TEXT [SECS]: a check that passes when TEXT appears.
wait_for() {
	local text=$1 secs=${2:-10} i=0
	while [ $i -lt $((secs * 10)) ]; do
		if screen | grep -qF -- "$text"; then
			pass "screen shows '$text'"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "screen did not show '$text' within $secs s"
	show_screen
	return 1
}

wait_gone() {
	local text=$1 secs=${2:-10} i=0
	while [ $i -lt $((secs * 10)) ]; do
		if ! screen | grep -qF -- "$text"; then
			pass "screen no longer shows '$text'"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "screen still shows '$text' after $secs s"
	show_screen
	return 1
}

# The screen has no TEXT right now.
not_on_screen() {
	if screen | grep -qF -- "$1"; then
		fail "screen shows '$1'"
		show_screen
		return 1
	fi
	pass "screen does not show '$1'"
}

tui_summary() {
	echo "tui $E2E_SCRIPT: $PASSED passed, $FAILED failed"
}

# The newest outbox message's code, through a second process.
outbox_code() {
	rd outbox list || return 1
	"$PY" -c 'import json, re, sys
m = json.load(open(sys.argv[1]))["messages"]
print(re.search(r"\b(\d{6})\b", m[-1]["body"]).group(1))' "$OUT"
}

# A list line of the screen holds TEXT first (after the '>' of the
# selected line, if it is that one).
screen_has_line() {
	screen | grep -q "^[ >]  $1"
}
