#!/bin/sh
# tests/e2e/run.sh: run every tests/e2e/t-*.sh against ./redoubt.
#
# Usage (from anywhere; `make e2e` runs it from the top):
#     sh tests/e2e/run.sh [t-NAME.sh ...]
# Prints each failed check, each script's summary line (in name order), and
# at the end
#     e2e: N passed, M failed
# (checks counted across scripts); exits non-zero when anything failed.
#
# Scripts are self-contained (own temporary folder, own servers, own tmux
# socket), so they run E2E_JOBS at a time (default: the number of CPUs, at
# most 4; E2E_JOBS=1 runs them one by one).  A script that takes more than
# E2E_TIMEOUT seconds (default 150) is stopped and counted as failed.
# REDOUBT=/path/to/binary tests another build; E2E_VERBOSE=1 lists every
# check.

set -u
dir=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$dir/../.." && pwd)
cd "$top" || exit 1
REDOUBT=${REDOUBT:-$top/redoubt}
export REDOUBT

missing=
for tool in bash timeout xargs oathtool sqlite3 faketime /usr/bin/python3; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ ! -x "$REDOUBT" ]; then
	missing="$missing $REDOUBT (make redoubt)"
fi
if [ -n "$missing" ]; then
	echo "e2e: missing:$missing"
	echo "e2e: 0 passed, 1 failed"
	exit 1
fi

if [ $# -gt 0 ]; then
	scripts=
	for t in "$@"; do
		case $t in
		*/*) scripts="$scripts $t" ;;
		*) scripts="$scripts $dir/$t" ;;
		esac
	done
else
	scripts=$(ls "$dir"/t-*.sh 2>/dev/null)
fi
if [ -z "$scripts" ]; then
	echo "e2e: no tests/e2e/t-*.sh found"
	echo "e2e: 0 passed, 1 failed"
	exit 1
fi

jobs=${E2E_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
[ -n "${E2E_JOBS:-}" ] || [ "$jobs" -le 4 ] || jobs=4
limit=${E2E_TIMEOUT:-150}

logs=$(mktemp -d "${TMPDIR:-/tmp}/redoubt-e2e-logs.XXXXXX") || exit 1
trap 'rm -rf "$logs"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# One job: the script with no terminal on stdin (nothing may wait for a
# person), its output and exit status kept for the report below.
for t in $scripts; do
	echo "$t"
done | xargs -P "$jobs" -I{} sh -c '
	name=$(basename "$1")
	timeout -k 5 "$2" bash "$1" </dev/null >"$3/$name.log" 2>&1
	echo $? >"$3/$name.rc"
' sh {} "$limit" "$logs"

passed=0
failed=0
status=0
for t in $scripts; do
	name=$(basename "$t")
	log=$logs/$name.log
	rc=$(cat "$logs/$name.rc" 2>/dev/null || echo 127)
	grep -v '^e2e ' "$log" 2>/dev/null
	line=$(grep "^e2e $name: [0-9]* passed, [0-9]* failed\$" "$log" \
	    2>/dev/null | tail -n 1)
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "e2e $name: stopped after $limit s"
	fi
	if [ -z "$line" ]; then
		echo "e2e $name: no summary line (exit $rc)"
		failed=$((failed + 1))
		status=1
		continue
	fi
	echo "$line"
	p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/')
	f=$(echo "$line" | sed 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/')
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
		status=1
		if [ "$f" -eq 0 ]; then	# the exit status says failed
			echo "e2e $name: exit $rc with no failed check"
			failed=$((failed + 1))
		fi
	fi
done

# libfaketime keeps a semaphore and a segment in /dev/shm for each process
# it is loaded into, removed at exit: a process killed with -9 (t-faults)
# or one that exec'd leaves them.  Ours whose process is gone go.
for f in /dev/shm/sem.faketime_sem_* /dev/shm/faketime_shm_*; do
	[ -O "$f" ] || continue
	kill -0 "${f##*_}" 2>/dev/null || rm -f "$f"
done

echo "e2e: $passed passed, $failed failed"
exit $status
