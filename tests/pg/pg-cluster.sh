#!/bin/sh
# pg-cluster.sh: a throwaway PostgreSQL cluster for the tests of the
# PostgreSQL store (vault/store-pg.c), reachable only through a unix
# socket in its own folder.
#
#   sh tests/pg/pg-cluster.sh start DIR [SECONDS]
#	make a cluster under DIR (missing or empty), start it, create the
#	least-privilege role redoubt and its database redoubt, and print
#	PGHOST=DIR PGPORT=N PGUSER=redoubt PGDATABASE=redoubt
#	for the caller to eval (nothing is exported here).  A watchdog
#	stops the cluster and removes DIR after SECONDS (900) even when the
#	caller is killed.
#   sh tests/pg/pg-cluster.sh newdb DIR NAME
#	create database NAME owned by redoubt (a fresh empty one per test).
#   sh tests/pg/pg-cluster.sh dropdb DIR NAME
#	drop database NAME (its connections are ended first).
#   sh tests/pg/pg-cluster.sh stop DIR
#	stop the cluster and its watchdog, remove DIR.
#
# initdb refuses root: run as root, DIR is handed to an unprivileged system
# user (postgres, else nobody) and the server tools run through runuser.
# Trust authentication and no fsync: for tests only.  PG_DURABLE=on keeps
# fsync and synchronous commits (make bench: figures beside SQLite's
# synchronous=FULL).  shared_buffers is 32MB, as many clusters may run at
# once; PG_SHARED_BUFFERS sets it (make bench: PostgreSQL's own default,
# 128MB, so a 100k-user vault is not measured through a cache smaller
# than itself).
set -u

die() {
	echo "pg-cluster: $*" >&2
	exit 1
}

# The server's programs: pg_config's bindir when it holds initdb, else the
# newest /usr/lib/postgresql/*/bin.
bindir() {
	b=$(pg_config --bindir 2>/dev/null)
	if [ -n "$b" ] && [ -x "$b/initdb" ]; then
		echo "$b"
		return 0
	fi
	b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n |
	    tail -n 1)
	[ -n "$b" ] && [ -x "$b/initdb" ] || return 1
	echo "$b"
}

# The user that owns and runs the cluster: ourselves, or when root an
# unprivileged system user.
owner() {
	if [ "$(id -u)" -ne 0 ]; then
		id -un
	elif id -u postgres >/dev/null 2>&1; then
		echo postgres
	else
		echo nobody
	fi
}

# as CMD...: run a server tool as the cluster's owner, from a folder it can
# read (initdb and pg_ctl look at the current one).
as() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u "$OWNER" -- "$@")
	else
		(cd / && "$@")
	fi
}

# A port no TCP socket listens on (the socket file is named after it).
free_port() {
	i=0
	while [ $i -lt 50 ]; do
		p=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000 ))
		hex=$(printf '%04X' "$p")
		if ! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		    awk '{ print $2 }' | grep -q ":$hex\$"; then
			echo "$p"
			return 0
		fi
		i=$((i + 1))
	done
	return 1
}

# psql as the superuser, stopping at the first error (and no NOTICE
# that a database to drop was not there).
su_psql() {	# su_psql DB SQL
	PGOPTIONS="-c client_min_messages=warning" \
	    "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$PORT" \
	    -U postgres -d "$1" -c "$2"
}

# The folder of a cluster this script made (the marker file says so).
ours() {
	[ -f "$DIR/pg-cluster.port" ] ||
	    die "$DIR holds no cluster made by pg-cluster.sh"
	PORT=$(cat "$DIR/pg-cluster.port")
}

cmd_start() {
	secs=${1:-900}
	case $secs in
	''|*[!0-9]*) die "SECONDS must be a number of seconds, not '$secs'" ;;
	esac
	# The folder goes into postgresql.conf between quotes and into
	# conninfo strings: plain characters only.
	case $DIR in
	/*) ;;
	*) DIR=$(pwd)/$DIR ;;
	esac
	case $DIR in
	*[!A-Za-z0-9/._-]*) die "DIR may hold only letters, digits and / . _ -: $DIR" ;;
	esac
	# A unix socket's path has at most 107 bytes.
	[ ${#DIR} -le 80 ] || die "DIR is too long for a socket path (80 characters at most): $DIR"
	if [ -e "$DIR" ]; then
		[ -d "$DIR" ] || die "$DIR exists and is not a folder"
		[ -z "$(ls -A "$DIR")" ] || die "$DIR is not empty"
	else
		mkdir -p "$DIR" || die "cannot create $DIR"
	fi
	BIN=$(bindir) || die "no PostgreSQL server programs (initdb) found; install postgresql"
	OWNER=$(owner)
	if [ "$(id -u)" -eq 0 ]; then
		chown "$OWNER" "$DIR" || die "cannot give $DIR to $OWNER"
	fi
	chmod 755 "$DIR" || die "cannot set the mode of $DIR"
	as test -w "$DIR" ||
	    die "$OWNER cannot write $DIR (every folder above it must be searchable)"
	PORT=$(free_port) || die "no free port number found"

	if ! as "$BIN/initdb" -D "$DIR/data" -A trust -U postgres --no-sync \
	    -E UTF8 --locale=C >"$DIR/initdb.log" 2>&1; then
		cat "$DIR/initdb.log" >&2
		die "initdb failed (log above)"
	fi
	cat >>"$DIR/data/postgresql.conf" <<EOF
# pg-cluster.sh: a throwaway test cluster.
listen_addresses = ''
unix_socket_directories = '$DIR'
port = $PORT
fsync = ${PG_DURABLE:-off}
synchronous_commit = ${PG_DURABLE:-off}
full_page_writes = ${PG_DURABLE:-off}
max_connections = 40
shared_buffers = ${PG_SHARED_BUFFERS:-32MB}
EOF
	[ $? -eq 0 ] || die "cannot write $DIR/data/postgresql.conf"
	echo "$PORT" >"$DIR/pg-cluster.port" || die "cannot write in $DIR"
	# The server's log is in a file the owner may write.
	as touch "$DIR/server.log"
	if ! as "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
	    start >/dev/null 2>&1; then
		tail -n 20 "$DIR/server.log" >&2
		die "the server did not start (log above)"
	fi
	# The watchdog: its own session (a kill of the caller's process group
	# misses it), no descriptor of the caller's (make does not wait).
	setsid sh -c '
		echo $$ >"$1/pg-cluster.watchdog"
		sleep "$2"
		if [ "$(id -u)" -eq 0 ]; then
			runuser -u "$4" -- "$3/pg_ctl" -D "$1/data" -m immediate stop
		else
			"$3/pg_ctl" -D "$1/data" -m immediate stop
		fi
		rm -rf "$1"' sh "$DIR" "$secs" "$BIN" "$OWNER" \
	    </dev/null >/dev/null 2>&1 &
	if ! su_psql postgres "CREATE ROLE redoubt LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE" ||
	    ! su_psql postgres "CREATE DATABASE redoubt OWNER redoubt"; then
		cmd_stop >/dev/null 2>&1
		die "cannot create the role or the database redoubt"
	fi
	echo "PGHOST=$DIR PGPORT=$PORT PGUSER=redoubt PGDATABASE=redoubt"
}

# db_sql NAME SQL...: SQL naming database NAME, run as the superuser; NAME
# is checked first (it is spliced into the statement).
db_sql() {
	name=${1:-}
	case $name in
	''|*[!a-z0-9_]*) die "NAME must be lower-case letters, digits and _: '$name'" ;;
	esac
	ours
	BIN=$(bindir) || die "no PostgreSQL programs found"
	su_psql postgres "$2 $name $3" || die "cannot run '$2 $name'"
}

cmd_newdb() {
	db_sql "${1:-}" "CREATE DATABASE" "OWNER redoubt"
}

cmd_dropdb() {
	db_sql "${1:-}" "DROP DATABASE IF EXISTS" "WITH (FORCE)"
}

cmd_stop() {
	ours
	BIN=$(bindir) || die "no PostgreSQL programs found"
	OWNER=$(stat -c %U "$DIR")
	if [ -f "$DIR/pg-cluster.watchdog" ]; then
		w=$(cat "$DIR/pg-cluster.watchdog")
		case $w in
		''|*[!0-9]*) ;;
		*) kill -15 "-$w" 2>/dev/null ;;	# its process group
		esac
	fi
	if [ -f "$DIR/data/postmaster.pid" ]; then
		as "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 ||
		    as "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1
	fi
	rm -rf "$DIR" || die "cannot remove $DIR"
}

[ $# -ge 2 ] || die "usage: pg-cluster.sh start DIR [SECONDS] | newdb|dropdb DIR NAME | stop DIR"
what=$1
DIR=$2
shift 2
case $what in
start)	cmd_start "$@" ;;
newdb)	cmd_newdb "$@" ;;
dropdb)	cmd_dropdb "$@" ;;
stop)	cmd_stop ;;
*)	die "unknown command '$what' (start, newdb, dropdb or stop)" ;;
esac
