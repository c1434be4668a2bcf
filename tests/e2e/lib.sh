# tests/e2e/lib.sh: helpers for the end-to-end scripts (bash).
#
# Each t-*.sh sources this file, runs the real ./redoubt through whole
# flows and ends with `finish`, which prints
#     e2e t-NAME.sh: N passed, M failed
# and exits non-zero when a check failed.  Every script gets its own
# temporary folder under ${TMPDIR:-/tmp} (removed on exit) and a clean
# environment: no config, vault or passphrase of the operator's leaks in.
#
#   rd ARGS...            ./redoubt --json --vault $VAULT [--config $CONFIG]
#                         ARGS; stdout in $OUT, stderr in $ERR, status in $RC
#   rdh ARGS...           the same without --json (human output)
#   expect_exit N CMD...  run CMD (usually rd ...); N is the expected exit
#                         status; an exit >= 128 (a signal) is a crash
#   expect_err CODE N CMD...  exit N and {"error":{"code":CODE,...}}
#   expect_json KEY VAL   the value at KEY (dotted: error.code, methods.0.name,
#                         backup_codes.#) in $OUT is VAL
#   jget KEY [FILE]       print the value at KEY of $OUT (or FILE)
#   check DESC CMD...     CMD succeeds;  check_not DESC CMD...: it fails
#   nopass CMD...         run CMD without $REDOUBT_PASSPHRASE
#   not_grep STRING FILE  FILE does not contain STRING
#   vault_has STRING      the vault file (or its WAL) holds STRING in clear
#   vault_sql SQL         SQL on the vault without the key (sqlite3 or psql)
#   sql_of FILE_SQL PG_SQL  the SQL for this store when the dialects differ
#   vault_sum             a digest of what the vault holds (file or database)
#   vault_of NAME         where this script's other vault NAME lives
#   vault_blank NAME      no vault there (no file, an empty database)
#   vault_save/vault_load NAME  a copy of the vault there, put back later
#   fail MSG / pass       count a failed / passed check
#   finish                print the summary line and exit
#
# Set E2E_VERBOSE=1 to see every check.

set -u
# `echo PASSWORD | expect_exit 0 rd login USER`: the last command of a
# pipeline runs in this shell, so its counts and $RC are kept.
shopt -s lastpipe

E2E_SCRIPT=$(basename "$0")
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_TOP=$(cd "$E2E_DIR/../.." && pwd)
REDOUBT=${REDOUBT:-$E2E_TOP/redoubt}
PY=/usr/bin/python3
JSONPY=$E2E_DIR/json.py
# A later clock: libfaketime preloaded straight into redoubt.  Not the
# faketime command: it keeps a semaphore in /dev/shm named by its pid,
# which a killed run leaves behind, and a later run that gets the same
# pid then fails ("sem_open: File exists").
FAKELIB=$(dpkg -L libfaketime 2>/dev/null | grep '/libfaketime\.so\.1$' | head -1)
# fake_clock SPEC CMD...: CMD (a program) with FAKETIME=SPEC ("+600s").
fake_clock() {
	local spec=$1
	shift
	env LD_PRELOAD="$FAKELIB" FAKETIME="$spec" "$@"
}
PASSED=0
FAILED=0
E2E_FINISHED=0
E2E_STORE=file
E2E_PG_COPIES=	# the databases vault_save made

T=$(mktemp -d "${TMPDIR:-/tmp}/redoubt-e2e.XXXXXX") || {
	echo "e2e $E2E_SCRIPT: cannot make a temporary folder"
	exit 1
}

e2e_exit() {
	local rc=$? db
	if [ "$E2E_FINISHED" -eq 0 ]; then
		echo "FAIL $E2E_SCRIPT: the script stopped early (exit $rc)"
		FAILED=$((FAILED + 1))
		echo "e2e $E2E_SCRIPT: $PASSED passed, $FAILED failed"
		rc=1
	fi
	if [ "$E2E_STORE" = pg ]; then
		for db in "$E2E_DB" $E2E_PG_COPIES; do
			sh "$E2E_PGCTL" dropdb "$E2E_PG" "$db" >/dev/null 2>&1
		done
	fi
	rm -rf "$T"
	exit $rc
}
trap e2e_exit EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# Nothing of the operator's: no config, vault, passphrase or name from outside.
unset REDOUBT_CONFIG REDOUBT_VAULT REDOUBT_PASSPHRASE REDOUBT_NEW_PASSPHRASE \
    REDOUBT_OPERATOR TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN
export HOME=$T/home XDG_CONFIG_HOME=$T/xdg-config XDG_DATA_HOME=$T/xdg-data
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
export LC_ALL=C
export REDOUBT_PASSPHRASE="e2e passphrase"

# The store: a file, or with $E2E_PG (the folder of a cluster that
# tests/pg/pg-cluster.sh started) a database of this script's own, made
# afresh by new_vault and dropped at the end.
E2E_PGCTL="$E2E_TOP/tests/pg/pg-cluster.sh"
if [ -n "${E2E_PG:-}" ]; then
	E2E_STORE=pg
	E2E_DB=rd_$(echo "$E2E_SCRIPT" | tr -c 'a-z0-9\n' _ | sed 's/_sh$//')_$$
	VAULT="postgresql:///$E2E_DB?host=$E2E_PG&port=$(cat "$E2E_PG/pg-cluster.port")&user=redoubt"
else
	E2E_STORE=file
	E2E_DB=
	VAULT=$T/vault.db
fi
CONFIG=
OUT=$T/stdout
ERR=$T/stderr
RC=0
: >"$OUT"
: >"$ERR"

if [ ! -x "$REDOUBT" ]; then
	echo "FAIL $E2E_SCRIPT: no binary at $REDOUBT (run make redoubt)"
	FAILED=1
	E2E_FINISHED=1
	echo "e2e $E2E_SCRIPT: $PASSED passed, $FAILED failed"
	exit 1
fi

# The line of the test script's top level that led here.
e2e_where() {
	local i n=${#BASH_SOURCE[@]} line="?"
	for ((i = 0; i + 1 < n; i++)); do
		if [ "${BASH_SOURCE[i + 1]}" = "$0" ]; then
			line=${BASH_LINENO[i]}
		fi
	done
	echo "$line"
}

pass() {
	PASSED=$((PASSED + 1))
	if [ "${E2E_VERBOSE:-0}" = 1 ]; then
		echo "ok $((PASSED + FAILED)) $E2E_SCRIPT:$(e2e_where) ${1:-}"
	fi
	return 0
}

fail() {
	FAILED=$((FAILED + 1))
	echo "FAIL $E2E_SCRIPT:$(e2e_where): $*"
	return 1
}

# Show what the last command printed, after a failure.
e2e_show() {
	if [ -s "$OUT" ]; then
		echo "    stdout: $(head -c 600 "$OUT" | tr '\n' ' ')"
	fi
	if [ -s "$ERR" ]; then
		echo "    stderr: $(head -c 600 "$ERR" | tr '\n' ' ')"
	fi
}

rd() {
	local clock=
	# The clock moves on with libfaketime (later N): the vault's rows are
	# under MACs, so a test cannot move time by editing them.
	[ -n "${LATER:-}" ] && clock="fake_clock +${LATER}s"
	if [ -n "$CONFIG" ]; then
		$clock "$REDOUBT" --json --vault "$VAULT" --config "$CONFIG" "$@"
	else
		$clock "$REDOUBT" --json --vault "$VAULT" "$@"
	fi >"$OUT" 2>"$ERR"
	RC=$?
	return $RC
}

# later SECONDS CMD...: CMD with the clock that many seconds ahead.
later() { local LATER=$1; shift; "$@"; }

rdh() {
	if [ -n "$CONFIG" ]; then
		"$REDOUBT" --vault "$VAULT" --config "$CONFIG" "$@"
	else
		"$REDOUBT" --vault "$VAULT" "$@"
	fi >"$OUT" 2>"$ERR"
	RC=$?
	return $RC
}

expect_exit() {
	local want=$1 got
	shift
	"$@"
	got=$?
	RC=$got
	if [ "$got" -ge 128 ]; then
		fail "$*: CRASHED (exit $got, signal $((got - 128)))"
		e2e_show
		return 1
	fi
	if [ "$got" -ne "$want" ]; then
		fail "$*: exit $got, expected $want"
		e2e_show
		return 1
	fi
	pass "$*: exit $want"
}

jget() {
	"$PY" "$JSONPY" "$1" <"${2:-$OUT}" 2>/dev/null
}

expect_json() {
	local got r
	got=$("$PY" "$JSONPY" "$1" <"$OUT" 2>&1)
	r=$?
	if [ $r -ne 0 ]; then
		fail "JSON $1: missing or stdout not one JSON object ($got)"
		e2e_show
		return 1
	fi
	if [ "$got" != "$2" ]; then
		fail "JSON $1 is '$got', expected '$2'"
		e2e_show
		return 1
	fi
	pass "JSON $1 = $2"
}

# expect_err CODE EXIT CMD...: a refusal with this code and exit status.
expect_err() {
	local code=$1 want=$2
	shift 2
	expect_exit "$want" "$@" || return 1
	expect_json error.code "$code"
}

check() {
	local desc=$1
	shift
	if "$@" 2>/dev/null; then
		pass "$desc"
	else
		fail "$desc"
	fi
}

check_not() {
	local desc=$1
	shift
	if "$@" 2>/dev/null; then
		fail "$desc"
	else
		pass "$desc"
	fi
}

# not_grep STRING FILE: FILE does not contain STRING.
not_grep() {
	! grep -qF -- "$1" "$2"
}

# vault_dump: the files that hold the vault: the file and its WAL, or a
# pg_dump of the database (binary columns as the server stores them).
vault_dump() {
	if store_file; then
		echo "$VAULT" "$VAULT-wal"
		return
	fi
	pg_dump -h "$E2E_PG" -p "$(cat "$E2E_PG/pg-cluster.port")" \
	    -U postgres --format=plain "$E2E_DB" >"$T/pg.dump" 2>/dev/null
	# bytea in the dump is hex: the raw bytes too, for the b32 check.
	"$PY" -c 'import re, sys
d = open(sys.argv[1]).read()
with open(sys.argv[2], "wb") as o:
    for m in re.finditer(r"\\\\x([0-9a-f]+)", d):
        o.write(bytes.fromhex(m.group(1)))' "$T/pg.dump" "$T/pg.bytes"
	echo "$T/pg.dump" "$T/pg.bytes"
}

# vault_has STRING: the vault's files (with its WAL) hold STRING in clear.
vault_has() {
	local f
	for f in $(vault_dump); do
		[ -f "$f" ] && grep -qaF -- "$1" "$f" && return 0
	done
	return 1
}

# vault_has_b32 SECRET: the vault's files hold the raw bytes of a base32
# secret.
vault_has_b32() {
	"$PY" -c 'import base64, sys
key = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
for f in sys.argv[2:]:
    try:
        if key in open(f, "rb").read():
            sys.exit(0)
    except OSError:
        pass
sys.exit(1)' "$1" $(vault_dump)
}

# nopass CMD...: run CMD with no $REDOUBT_PASSPHRASE in the environment.
nopass() {
	local save=$REDOUBT_PASSPHRASE r
	unset REDOUBT_PASSPHRASE
	"$@"
	r=$?
	export REDOUBT_PASSPHRASE="$save"
	return $r
}

# Whether the last stdout is exactly one JSON object.
stdout_is_one_json() {
	"$PY" "$JSONPY" --valid <"$OUT" 2>/dev/null
}

# The secret= parameter of the otpauth_uri in the last stdout.
otp_secret() {
	"$PY" -c 'import json, sys, urllib.parse as u
q = u.parse_qs(u.urlparse(json.load(sys.stdin)["otpauth_uri"]).query)
print(q["secret"][0])' <"$OUT"
}

totp_at() {	# SECRET UNIXTIME [more oathtool options]
	local s=$1 t=$2
	shift 2
	oathtool --totp -b "$s" --now "@$t" "$@"
}

hotp_at() {	# SECRET COUNTER
	oathtool --hotp -b "$1" -c "$2"
}

# The code in the newest outbox message of METHOD (without touching $OUT).
outbox_code() {
	local f=$T/outbox.json
	if [ -n "$CONFIG" ]; then
		"$REDOUBT" --json --vault "$VAULT" --config "$CONFIG" outbox list
	else
		"$REDOUBT" --json --vault "$VAULT" outbox list
	fi >"$f" 2>/dev/null || return 1
	"$PY" -c 'import json, re, sys
m = [x for x in json.load(sys.stdin)["messages"] if x["method"] == sys.argv[1]]
if not m:
    sys.exit(1)
m.sort(key=lambda x: x["id"])
print(re.search(r"\d{6,}", m[-1]["body"]).group())' "$1" <"$f"
}

# How many outbox messages METHOD has.
outbox_count() {
	local f=$T/outbox.json
	if [ -n "$CONFIG" ]; then
		"$REDOUBT" --json --vault "$VAULT" --config "$CONFIG" outbox list
	else
		"$REDOUBT" --json --vault "$VAULT" outbox list
	fi >"$f" 2>/dev/null || { echo -1; return 1; }
	"$PY" -c 'import json, sys
print(len([x for x in json.load(sys.stdin)["messages"]
    if x["method"] == sys.argv[1]]))' "$1" <"$f"
}

# store_file: the vault is a file (not a database under $E2E_PG); for the
# checks that read or edit the file itself.
store_file() {
	[ "$E2E_STORE" = file ]
}

# e2e_psql DB ARGS...: psql on database DB as the cluster's superuser,
# stopping at the first error (and no NOTICE of a database not there).
e2e_psql() {
	local db=$1
	shift
	PGOPTIONS="-c client_min_messages=warning" \
	    psql -X -q -v ON_ERROR_STOP=1 -h "$E2E_PG" \
	    -p "$(cat "$E2E_PG/pg-cluster.port")" -U postgres -d "$db" "$@"
}

# e2e_db_of VAULT: the database a URI of this cluster names.
e2e_db_of() {
	local d=${1#postgresql:///}
	echo "${d%%\?*}"
}

# pg_sql SQL: SQL as the superuser on the database of $VAULT (PG mode
# only); rows as sqlite3 prints them (unaligned, '|' between columns), a
# non-zero exit at the first error.
pg_sql() {
	e2e_psql "$(e2e_db_of "$VAULT")" -A -t -c "$1"
}

# vault_sql SQL: SQL on the vault $VAULT without its key, whichever the
# store: the sqlite3 shell on the file or psql on the database.  For SQL
# both dialects take; sql_of picks between two that differ.
vault_sql() {
	if store_file; then
		sqlite3 "$VAULT" "$1"
	else
		pg_sql "$1"
	fi
}

# sql_of FILE_SQL PG_SQL: the one for this script's store (the header is
# meta(k, v) in SQLite, meta(k, i bigint, b bytea) in PostgreSQL;
# randomblob and zeroblob are SQLite's).
sql_of() {
	if store_file; then echo "$1"; else echo "$2"; fi
}

# vault_sum: a digest of what the vault holds: the file's bytes, or a
# pg_dump of the database (for "left unchanged" checks).
vault_sum() {
	if store_file; then
		sha256sum "$VAULT"
	else
		# (Without the random key of pg_dump's \restrict lines.)
		pg_dump -h "$E2E_PG" -p "$(cat "$E2E_PG/pg-cluster.port")" \
		    -U postgres --format=plain "$(e2e_db_of "$VAULT")" |
		    grep -v '^\\\(un\)\{0,1\}restrict ' | sha256sum
	fi | cut -d' ' -f1
}

# vault_of NAME: where this script's other vault NAME lives: $T/NAME.db,
# or the database ${E2E_DB}_NAME of the cluster (dropped at the end).
vault_of() {
	if store_file; then
		echo "$T/$1.db"
	else
		echo "postgresql:///${E2E_DB}_$1?host=$E2E_PG&port=$(cat "$E2E_PG/pg-cluster.port")&user=redoubt"
	fi
}

# vault_blank NAME: no vault at vault_of NAME (no file, an empty database).
vault_blank() {
	if store_file; then
		rm -f "$T/$1.db" "$T/$1.db-wal" "$T/$1.db-shm"
	else
		e2e_pg_keep "${E2E_DB}_$1"
		e2e_psql postgres \
		    -c "DROP DATABASE IF EXISTS ${E2E_DB}_$1 WITH (FORCE)" \
		    -c "CREATE DATABASE ${E2E_DB}_$1 OWNER redoubt" >/dev/null
	fi || fail "cannot make the empty store $1"
}

# vault_save NAME: a copy of the vault as it is now at vault_of NAME (for
# the file, after a checkpoint, without a WAL); vault_load NAME puts it
# back in place of the vault.  No redoubt may be running on either.
vault_save() {
	if store_file; then
		sqlite3 "$VAULT" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null &&
		    rm -f "$T/$1.db" "$T/$1.db-wal" "$T/$1.db-shm" &&
		    cp "$VAULT" "$T/$1.db"
	else
		e2e_pg_keep "${E2E_DB}_$1"
		e2e_pg_copy "$(e2e_db_of "$VAULT")" "${E2E_DB}_$1"
	fi || fail "cannot save a copy of the vault ($1)"
}
vault_load() {
	if store_file; then
		rm -f "$VAULT" "$VAULT-wal" "$VAULT-shm" &&
		    cp "$T/$1.db" "$VAULT"
	else
		e2e_pg_copy "${E2E_DB}_$1" "$(e2e_db_of "$VAULT")"
	fi || fail "cannot put back the copy of the vault ($1)"
}

# e2e_pg_keep DB: drop DB at the end too.
e2e_pg_keep() {
	case " $E2E_PG_COPIES " in
	*" $1 "*) ;;
	*) E2E_PG_COPIES="$E2E_PG_COPIES $1" ;;
	esac
}

# e2e_pg_copy FROM TO: database TO made afresh as a copy of FROM.
e2e_pg_copy() {
	e2e_psql postgres -c "DROP DATABASE IF EXISTS $2 WITH (FORCE)" \
	    -c "CREATE DATABASE $2 TEMPLATE $1 OWNER redoubt STRATEGY FILE_COPY" \
	    >/dev/null
}

# new_store: no vault at $VAULT, for an init: no file, or its database
# (this script's, or one of vault_of) dropped and made afresh, empty.
new_store() {
	local db
	if store_file; then
		rm -f "$VAULT" "$VAULT-wal" "$VAULT-shm"
	else
		db=$(e2e_db_of "$VAULT")
		[ "$db" = "$E2E_DB" ] || e2e_pg_keep "$db"
		sh "$E2E_PGCTL" dropdb "$E2E_PG" "$db" >/dev/null &&
		    sh "$E2E_PGCTL" newdb "$E2E_PG" "$db" >/dev/null || {
			fail "cannot make the database $db"
			return 1
		}
	fi
}

# A new vault at $VAULT with the test KDF.
new_vault() {
	new_store || return 1
	rd init --kdf test || {
		fail "init --kdf test failed (exit $RC)"
		e2e_show
		return 1
	}
}

# add_user NAME PASSWORD [user add options]
add_user() {
	local name=$1 pw=$2
	shift 2
	printf '%s\n' "$pw" | rd user add "$name" --password-stdin "$@" || {
		fail "user add $name failed (exit $RC)"
		e2e_show
		return 1
	}
}

finish() {
	E2E_FINISHED=1
	echo "e2e $E2E_SCRIPT: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit $?
}
