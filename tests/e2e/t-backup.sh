#!/usr/bin/env bash
# t-backup.sh: backup FILE of a vault that another process is writing,
# the copy (passphrase, audit verify, a prefix of the writes, mode 0600),
# refusals that change nothing, restore [--force], and restores killed
# with SIGKILL that leave the old vault or the new one.
. "$(dirname "$0")/lib.sh"

new_vault
add_user alice 'alice pw' || true

# The users w1..wN of FILE, as "N" when they are exactly w1..wN, else "gap".
writes_of() {
	"$REDOUBT" --json --vault "$1" user list --prefix w --limit 100000 |
	    "$PY" -c 'import json, sys
n = sorted(int(u["name"][1:]) for u in json.load(sys.stdin)["users"])
print(len(n) if n == list(range(1, len(n) + 1)) else "gap")'
}
sum() { sha256sum "$1" | cut -d' ' -f1; }
no_temp() { test -z "$(ls -A "$1" | grep -E '\.(backup|restore)-')"; }

# --- backup while another process writes ---------------------------------
# A writer adds w1, w2, ... one process each until told to stop; $T/done
# holds the last one committed.
: >"$T/done"
(
	i=1
	while [ ! -e "$T/stop" ] && [ $i -le 400 ]; do
		# Renamed into place, so a reader never sees it half written.
		"$REDOUBT" --vault "$VAULT" user add "w$i" >/dev/null 2>&1 &&
		    echo $i >"$T/done.new" && mv "$T/done.new" "$T/done"
		i=$((i + 1))
	done
) &
writer=$!
# wait_done N: until the writer has committed wN (30 s at most).
wait_done() {
	local _
	for _ in $(seq 600); do
		[ "$(cat "$T/done")" -ge "$1" ] 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
wait_done 5
before=$(cat "$T/done")
expect_exit 0 rd backup "$T/b1.db"
after=$(cat "$T/done")
expect_json file "$T/b1.db"
# Let the writer add more after the copy, then stop it.
wait_done $((${after:-0} + 2))
touch "$T/stop"
wait $writer
final=$(cat "$T/done")
check "the writer ran before, during and after the backup ($before, $after, $final)" \
    test "${before:-0}" -ge 5 -a "$final" -gt "${after:-0}"
check "the copy is a regular file of mode 0600" \
    test "$(stat -c %a "$T/b1.db")" = 600 -a -f "$T/b1.db"
check "no temporary file is left in the folder" no_temp "$T"
n=$(writes_of "$T/b1.db")
check "the copy opens with the same passphrase and holds w1..w$n, a prefix of the writes ($before <= $n <= $after)" \
    test "$n" != gap -a "$n" -ge "${before:-0}" -a "$n" -le "${after:-0}"
check "the live vault holds every write (w1..w$final)" \
    test "$(writes_of "$VAULT")" = "$final"
VAULT=$T/b1.db expect_exit 0 rd audit verify
expect_json ok true
VAULT=$T/b1.db expect_exit 0 rd user show alice
expect_json user alice
# The live vault's log names the backup; the copy's ends before that row.
expect_exit 0 rd audit list --action backup
expect_json entries.0.detail "$T/b1.db"
expect_json entries.0.outcome ok
VAULT=$T/b1.db expect_exit 0 rd audit list --action backup
expect_json entries '[]'
expect_exit 0 rd audit verify

# --- backup refusals -------------------------------------------------------
s=$(sum "$T/b1.db")
expect_err exists 1 rd backup "$T/b1.db"
check "an existing file is left as it was" test "$(sum "$T/b1.db")" = "$s"
expect_err vault_missing 3 rd backup "$T/no/such/dir/b.db"
check "nothing is made when the folder is missing" test ! -e "$T/no"
# Cron's way: the passphrase from a file, a relative name made absolute.
printf 'e2e passphrase\n' >"$T/pass"
chmod 600 "$T/pass"
mkdir "$T/nightly"
( cd "$T/nightly" && nopass "$REDOUBT" --passphrase-file "$T/pass" \
    --vault "$VAULT" backup "redoubt-$(date +%F).db" >"$OUT" 2>"$ERR" )
check "backup with --passphrase-file, human output names the file" \
    grep -qF "$T/nightly/redoubt-$(date +%F).db" "$OUT"
REDOUBT_PASSPHRASE=wrong expect_err bad_passphrase 3 rd backup "$T/b2.db"
check "a wrong passphrase makes no file" test ! -e "$T/b2.db"
expect_err bad_passphrase 3 nopass rd backup "$T/b2.db"
check "no passphrase, no session: no file" test ! -e "$T/b2.db"
# Under a session (no passphrase anywhere) as any command.
export XDG_RUNTIME_DIR=$T/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
expect_exit 0 rdh unlock --sh
eval "$(cat "$OUT")"
expect_exit 0 nopass rd backup "$T/b3.db"
# restore takes the passphrase, not the session: what opens is the file.
# A database is not restored into (backup --to loads one): usage.
if store_file; then
	expect_err bad_passphrase 3 nopass rd restore "$T/b3.db" --force
else
	expect_err usage 2 nopass rd restore "$T/b3.db" --force
fi
unset REDOUBT_SESSION
VAULT=$T/b3.db expect_exit 0 rd audit verify

# --- restore refusals change nothing ----------------------------------------
# (Restore puts a file back into a file vault: the SQLite store only.)
if store_file; then
	add_user carol 'carol pw' || true	# in the vault, not in b1.db
	live=$(sum "$VAULT")
	expect_err exists 1 rd restore "$T/b1.db"
	check "restore without --force: vault unchanged" test "$(sum "$VAULT")" = "$live"
	printf 'not the passphrase\n' >"$T/wrong"
	expect_err bad_passphrase 3 nopass rd --passphrase-file "$T/wrong" \
	    restore "$T/b1.db" --force
	check "wrong passphrase file: vault unchanged" test "$(sum "$VAULT")" = "$live"
	echo 'just text' >"$T/text.db"
	expect_err vault_corrupt 3 rd restore "$T/text.db" --force
	check "not a vault: vault unchanged" test "$(sum "$VAULT")" = "$live"
	cp "$T/b1.db" "$T/edited.db"
	sqlite3 "$T/edited.db" "UPDATE audit SET detail = 'edited' WHERE id = 2"
	expect_err vault_corrupt 3 rd restore "$T/edited.db" --force
	check "a copy with an edited audit row: vault unchanged" \
	    test "$(sum "$VAULT")" = "$live"
	head -c 20000 "$T/b1.db" >"$T/cut.db"
	expect_err vault_corrupt 3 rd restore "$T/cut.db" --force
	check "a cut copy: vault unchanged" test "$(sum "$VAULT")" = "$live"
	expect_err not_found 1 rd restore "$T/none.db" --force
	check "the refused files are left as they were" \
	    test "$(sum "$T/b1.db")" = "$s"
	check "no temporary file is left beside the vault" no_temp "$T"
	expect_exit 0 rd user show carol

	# --- restore --force ----------------------------------------------------------
	expect_exit 0 rd audit head
	head=$(jget head)
	expect_exit 0 rd restore "$T/b1.db" --force
	expect_json replaced true
	expect_json restored_from "$T/b1.db"
	check "the restored vault holds the copy's writes" \
	    test "$(writes_of "$VAULT")" = "$n"
	expect_err not_found 1 rd user show carol
	expect_exit 0 rd audit verify
	expect_json ok true
	expect_exit 0 rd audit list --action restore
	expect_json entries.0.detail "restored from $T/b1.db"
	# A head taken after the backup: to verify --head the restore is a rollback.
	expect_err vault_corrupt 3 rd audit verify --head "$head"
	check "the restored vault keeps mode 0600" test "$(stat -c %a "$VAULT")" = 600
	check "the backup file itself is unchanged" test "$(sum "$T/b1.db")" = "$s"
	# The vault works on: a write after the restore.
	add_user dave 'dave pw' || true
	echo 'dave pw' | expect_exit 0 rd login dave
	expect_json status ok
fi

# A vault file that is no database at all is replaced too (into files, so
# with either store).
head -c 8192 /dev/urandom >"$T/junk.db"
VAULT=$T/junk.db expect_exit 0 rd restore "$T/b1.db" --force
VAULT=$T/junk.db expect_exit 0 rd audit verify

# --- restore where there is no vault ------------------------------------------
VAULT=$T/fresh/sub/vault.db expect_exit 0 rd restore "$T/b1.db"
expect_json replaced false
check "the new vault is mode 0600" \
    test "$(stat -c %a "$T/fresh/sub/vault.db")" = 600
check "its folders are private" test "$(stat -c %a "$T/fresh")" = 700
check "the new vault holds the copy's writes" \
    test "$(writes_of "$T/fresh/sub/vault.db")" = "$n"
VAULT=$T/fresh/sub/vault.db expect_exit 0 rd audit verify

# --- restores killed half way ------------------------------------------------
# The old vault has "old" and "dave", the backup neither.  Whenever the
# kill lands, the vault is one or the other, whole.
if store_file; then
	expect_exit 0 rd user add old
	mixed=0
	for d in 0 0.02 0.05 0.08 0.1 0.12 0.14 0.16 0.18 0.2 0.22 0.25 0.3; do
		cp "$VAULT" "$T/old.db"
		"$REDOUBT" --vault "$VAULT" restore "$T/b1.db" --force \
		    >/dev/null 2>&1 &
		pid=$!
		sleep "$d"
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		"$REDOUBT" --json --vault "$VAULT" audit verify >"$T/v.json" 2>&1
		got=
		for u in old dave; do
			"$REDOUBT" --vault "$VAULT" user show $u >/dev/null 2>&1 &&
			    got="$got$u "
		done
		if [ "$(jget ok "$T/v.json")" != true ] ||
		    [ "$(writes_of "$VAULT")" != "$n" ] ||
		    { [ "$got" != "old dave " ] && [ -n "$got" ]; }; then
			mixed=$((mixed + 1))
			echo "    after a kill at ${d}s: $(cat "$T/v.json"), users: $got"
		fi
		[ -n "${E2E_VERBOSE:-}" ] && echo "    kill at ${d}s: users: ${got:-none}"
		# Back to the old vault for the next round.
		rd restore "$T/old.db" --force || fail "restore of old.db: $(cat "$ERR")"
	done
	check "every killed restore left the old vault or the new one" test $mixed = 0
fi

finish
