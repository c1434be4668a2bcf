# tests/e2e/backends-lib.sh: fake provider servers for t-backends.sh and
# t-verify-flow.sh (sourced after lib.sh).
#
#   start_fake NAME SCRIPT [server options...]
#       start tests/servers/SCRIPT (127.0.0.1, --port-file, --lifetime 170:
#       longer than run.sh gives a script, so a slow machine stops the
#       script, not its servers, halfway)
#       in the background; LOG_NAME=$T/NAME.log (pass --log "$LOG_NAME")
#   fakes_ready         wait (10 s at most) for all of them; sets PORT_NAME
#   free_port           print a port with nothing listening on it
#   no_secrets DESC FILE...  none of $SECRETS occurs in any FILE (one check)
#
# Every server started here is killed when the script exits.

SERVERS_DIR=$E2E_TOP/tests/servers
BACKENDS_PIDS=()
BACKENDS_NAMES=()
SECRETS=()

backends_cleanup() {
	local p
	for p in "${BACKENDS_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${BACKENDS_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	BACKENDS_PIDS=()
}
# Keep lib.sh's summary and clean-up: kill the servers first.
backends_exit() {
	local rc=$?
	backends_cleanup
	(exit $rc)
	e2e_exit
}
trap backends_exit EXIT

start_fake() {
	local name=$1 script=$2
	shift 2
	rm -f "$T/$name.port"
	/usr/bin/python3 "$SERVERS_DIR/$script" --port-file "$T/$name.port" \
	    --lifetime 170 "$@" >"$T/$name.out" 2>&1 &
	BACKENDS_PIDS+=($!)
	BACKENDS_NAMES+=("$name")
	printf -v "LOG_$name" '%s' "$T/$name.log"
}

# fakes_ready: wait up to 10 s for every started server's port file and
# set PORT_NAME for each; one failed check per server that did not start.
fakes_ready() {
	local name i port ok=0
	for ((i = 0; i < 100; i++)); do
		ok=1
		for name in "${BACKENDS_NAMES[@]}"; do
			[ -s "$T/$name.port" ] || ok=0
		done
		[ $ok = 1 ] && break
		sleep 0.1
	done
	for name in "${BACKENDS_NAMES[@]}"; do
		port=$(head -n 1 "$T/$name.port" 2>/dev/null)
		if [[ "$port" =~ ^[0-9]+$ ]]; then
			printf -v "PORT_$name" '%s' "$port"
		else
			printf -v "PORT_$name" '%s' 9
			fail "server $name did not start within 10 s: $(head -c 400 "$T/$name.out")"
		fi
	done
	return 0
}

# A loopback port nobody listens on (bound and released at once).
free_port() {
	/usr/bin/python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# no_secrets DESC FILE...: one check that no secret of $SECRETS is there.
no_secrets() {
	local desc=$1 s f bad=
	shift
	for s in "${SECRETS[@]}"; do
		for f in "$@"; do
			if grep -qF -- "$s" "$f"; then
				bad="$bad '$s' in $(basename "$f");"
			fi
		done
	done
	if [ -n "$bad" ]; then
		fail "$desc: secret leaked:$bad"
		e2e_show
		return 1
	fi
	pass "$desc: no secret"
}
