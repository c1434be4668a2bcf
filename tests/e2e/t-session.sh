#!/bin/bash
# t-session.sh: `redoubt unlock` and `redoubt lock`: the token's three
# forms (text, --sh for eval, --json), commands under a session with no
# passphrase anywhere, the file 0600 in a 0700 folder, lock and lock
# --all, idle and absolute expiry on a later clock, a passphrase change
# ending every session, a tampered token and a foreign vault refused, and
# the TUI starting from a session without its unlock screen.
. "$(dirname "$0")/tui-lib.sh"

export XDG_RUNTIME_DIR=$T/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
SDIR=$XDG_RUNTIME_DIR/redoubt

new_vault
rd user add alice || fail "user add alice"

# The three forms.
expect_exit 0 rdh unlock
check "text form is REDOUBT_SESSION=..." grep -qE \
    '^REDOUBT_SESSION=[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$' "$OUT"
expect_exit 0 rdh unlock --sh
check "--sh form ends in export" grep -qE \
    '^REDOUBT_SESSION=[^ ;]+; export REDOUBT_SESSION$' "$OUT"
eval "$(cat "$OUT")"
check "eval of --sh sets the token" [ -n "${REDOUBT_SESSION:-}" ]
check "eval of --sh exports it" sh -c '[ -n "$REDOUBT_SESSION" ]'
SESS1=$REDOUBT_SESSION
unset REDOUBT_SESSION
NOW=$(date +%s)
expect_exit 0 rd unlock --idle 60 --max 120
S2=$(jget session)
EXP=$(jget expires_at)
check "--json expires_at is the idle limit from now" \
    [ "$EXP" -ge $((NOW + 60)) -a "$EXP" -le $((NOW + 62)) ]
check "--json session has the token's form" sh -c \
    "echo '$S2' | grep -qE '^[0-9a-f]{32}\\.[A-Za-z0-9_-]{43}\$'"

# Files and folder.
check "the folder is 0700" [ "$(stat -c %a "$SDIR")" = 700 ]
check "each session file is 0600" [ "$(stat -c %a "$SDIR"/* | sort -u)" = 600 ]
check "no file holds the token's key" not_grep "${SESS1#*.}" "$SDIR/${SESS1%%.*}"
check_not "the vault holds no token" vault_has "${SESS1#*.}"

# Commands under a session, no passphrase anywhere.
export REDOUBT_SESSION=$SESS1
nopass expect_exit 0 rd user show alice
expect_json user alice
nopass expect_exit 0 rd user add bob
nopass expect_exit 0 rd user show bob
# Without the session, the same command needs the passphrase.
REDOUBT_SESSION= nopass expect_err bad_passphrase 3 rd user show alice

# A tampered token: another key, and nonsense.
# The key's first character: all six of its bits are key (the last
# character's low bits are padding, so changing it may change nothing).
K=${SESS1#*.}
C=A
[ "${K:0:1}" = A ] && C=B
BAD=${SESS1%%.*}.$C${K:1}
REDOUBT_SESSION=$BAD nopass expect_err bad_passphrase 3 rd user show alice
check "a wrong key is named" grep -q "does not open this vault" "$OUT"
REDOUBT_SESSION=garbage nopass expect_err bad_passphrase 3 rd user show alice
check "garbage is named" grep -q "not a session" "$OUT"

# Another vault refuses it.
OTHER=$(vault_of other)
vault_blank other
REDOUBT_PASSPHRASE=other "$REDOUBT" --vault "$OTHER" init --kdf test \
    >/dev/null 2>&1
nopass expect_exit 3 "$REDOUBT" --json --vault "$OTHER" user list \
    >"$OUT" 2>"$ERR"
check "another vault's session is named" grep -q "another vault" "$OUT"

# Idle expiry on a later clock (60 s idle), and the file goes.
REDOUBT_SESSION=$S2 nopass later 30 expect_exit 0 rd user show alice
REDOUBT_SESSION=$S2 nopass later 95 expect_err bad_passphrase 3 rd user show alice
check "idle expiry is named" grep -q "idle for 1 minute" "$OUT"
check "the expired file is deleted" [ ! -e "$SDIR/${S2%%.*}" ]

# Absolute expiry: used every 50 s, still over after --max 120.
expect_exit 0 rd unlock --idle 60 --max 120
S3=$(jget session)
REDOUBT_SESSION=$S3 nopass later 50 expect_exit 0 rd user show alice
REDOUBT_SESSION=$S3 nopass later 100 expect_exit 0 rd user show alice
REDOUBT_SESSION=$S3 nopass later 130 expect_err bad_passphrase 3 rd user show alice
check "the absolute limit is named" grep -q "at most 2 minutes" "$OUT"

# The TUI starts from a session: no unlock screen.
TUI_ENV="REDOUBT_SESSION=$SESS1" tui_start --vault "$VAULT"
wait_for "redoubt · Users"
wait_for "alice"
not_on_screen "Unlock the vault"
keys q
tmux -L "$TMUX_L" kill-server 2>/dev/null
# A bad session in the TUI: the unlock screen says why.
TUI_ENV="REDOUBT_SESSION=garbage" tui_start --vault "$VAULT"
wait_for "Unlock the vault"
wait_for "not a session"
tmux -L "$TMUX_L" kill-server 2>/dev/null

# lock ends this one; the other stays.
expect_exit 0 rdh unlock
SESS4=$(sed 's/^REDOUBT_SESSION=//' "$OUT")
REDOUBT_SESSION=$SESS4 expect_exit 0 rd lock
expect_json ended 1
REDOUBT_SESSION=$SESS4 nopass expect_err bad_passphrase 3 rd user show alice
check "a locked session is named" grep -q "has ended" "$OUT"
nopass expect_exit 0 rd user show alice
REDOUBT_SESSION= expect_err not_found 1 rd lock

# lock --all ends every session of this vault, none of another's.
expect_exit 0 rd unlock
S5=$(jget session)
REDOUBT_PASSPHRASE=other "$REDOUBT" --json --vault "$OTHER" unlock \
    >"$OUT" 2>"$ERR"
SO=$(jget session)
nopass expect_exit 0 rd lock --all
check "lock --all counts this vault's sessions" [ "$(jget ended)" -ge 2 ]
REDOUBT_SESSION=$S5 nopass expect_err bad_passphrase 3 rd user show alice
REDOUBT_SESSION=$SO nopass expect_exit 0 "$REDOUBT" --json --vault \
    "$OTHER" user list >"$OUT" 2>"$ERR"

# A passphrase change ends every session, the one it ran under too.
expect_exit 0 rd unlock
S6=$(jget session)
expect_exit 0 rd unlock
S7=$(jget session)
REDOUBT_SESSION=$S6 REDOUBT_NEW_PASSPHRASE="new one" nopass \
    expect_exit 0 rd passphrase
REDOUBT_SESSION=$S7 nopass expect_err bad_passphrase 3 rd user show alice
check "the passphrase change is named" grep -q "passphrase changed" "$OUT"
REDOUBT_SESSION=$S6 nopass expect_err bad_passphrase 3 rd user show alice
REDOUBT_SESSION= REDOUBT_PASSPHRASE="new one" expect_exit 0 rd user show alice

# No XDG_RUNTIME_DIR: a 0700 folder in /tmp named for the uid.
unset REDOUBT_SESSION
env -u XDG_RUNTIME_DIR REDOUBT_PASSPHRASE="new one" "$REDOUBT" --json \
    --vault "$VAULT" unlock >"$OUT" 2>"$ERR"
S8=$(jget session)
TD=/tmp/redoubt-$(id -u)
check "the /tmp folder is 0700" [ "$(stat -c %a "$TD")" = 700 ]
check "its file is 0600" [ "$(stat -c %a "$TD/${S8%%.*}")" = 600 ]
REDOUBT_SESSION=$S8 nopass env -u XDG_RUNTIME_DIR "$REDOUBT" --vault \
    "$VAULT" lock >/dev/null
check "lock removed it" [ ! -e "$TD/${S8%%.*}" ]

finish
