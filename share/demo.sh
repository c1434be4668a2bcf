#!/bin/sh
# share/demo.sh: what `make run` does.  The first time, it makes a demo
# vault under ./demo/ (ignored by git) with the redoubt command line only:
# alice with e-mail and SMS active on outbox channels (their codes land in
# the vault's outbox, readable with o in the TUI), bob with an
# authenticator app left pending to finish enrolling on screen, and carol
# inactive.  Then it says how to log in and opens the TUI on that vault.
set -eu
cd "$(dirname "$0")/.."
DEMO=demo
PASSFILE=$DEMO/passphrase
rd() {
	./redoubt --vault "$DEMO/vault.db" --passphrase-file "$PASSFILE" "$@"
}
# The code in the newest outbox message: the JSON is one line, and the
# greedy .* leaves the last "code is N" for the group.
newest_code() {
	rd --json outbox list | sed -n 's/.*code is \([0-9][0-9]*\).*/\1/p'
}

if [ ! -f "$DEMO/vault.db" ]; then
	umask 077
	mkdir -p "$DEMO"
	printf 'demo passphrase\n' >"$PASSFILE"
	echo "making a demo vault in $DEMO/ ..."
	rd init --kdf interactive >/dev/null
	printf 'alice demo\n' | rd user add alice --email alice@example.com \
	    --phone +15551230001 --password-stdin >/dev/null
	printf 'bob demo\n' | rd user add bob --email bob@example.com \
	    --password-stdin >/dev/null
	rd user add carol --email carol@example.com --inactive >/dev/null
	# alice: e-mail first (it brings the backup codes), then SMS, which
	# needs a code from an active method, as any second method does: a
	# backup code here, since a fresh e-mail code waits out the resend
	# cooldown.
	rd activate alice email >/dev/null
	rd --json confirm alice email "$(newest_code)" |
	    sed -n 's/.*"backup_codes":\[\([^]]*\)\].*/\1/p' | tr -d '"' |
	    tr ',' '\n' >"$DEMO/codes.tmp"
	rd activate alice sms "$(tail -n 1 "$DEMO/codes.tmp")" >/dev/null
	rd confirm alice sms "$(newest_code)" >/dev/null
	sed '$d' "$DEMO/codes.tmp" >"$DEMO/alice-backup-codes.txt"
	rm -f "$DEMO/codes.tmp"
	# bob: an app, pending: open bob and press Enter on it to scan.
	rd activate bob app >/dev/null
fi

cat <<'TEXT'
redoubt demo: vault demo/vault.db, passphrase in demo/passphrase
  alice  password "alice demo": e-mail (primary) and SMS, on outbox
         channels; o on the user list shows the codes sent;
         backup codes in demo/alice-backup-codes.txt
  bob    password "bob demo": an authenticator app, pending: open bob,
         Enter on "app" shows the QR code to scan
  carol  inactive
Open a user with Enter; l is the login tester, a activates a method,
? lists the keys of every screen, q goes back and quits.
TEXT
if [ -t 0 ] && [ -t 1 ]; then
	printf 'Press Enter to start. '
	read -r _
fi
exec ./redoubt --vault "$DEMO/vault.db" --passphrase-file "$PASSFILE"
