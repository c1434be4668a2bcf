#!/usr/bin/python3
"""ssh-login.py: log in with the real ssh client on a pseudo-terminal.

  ssh-login.py PORT USER PASSWORD CODE

Runs `ssh -p PORT USER@127.0.0.1 echo redoubt-login-ok` with
keyboard-interactive only, answers "Password:" with PASSWORD and
"Verification code:" with CODE, and exits 0 when the remote command ran,
1 when the login was refused, 2 on anything else (a timeout, a prompt
never seen).  What ssh showed goes to stdout, for the log.
"""
import os
import pty
import select
import sys
import time

port, user, password, code = sys.argv[1:5]
argv = ["ssh", "-p", port, "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
        "-o", "PreferredAuthentications=keyboard-interactive",
        "-o", "PubkeyAuthentication=no", "-o", "NumberOfPasswordPrompts=1",
        "-o", "BatchMode=no", "-F", "/dev/null",
        "%s@127.0.0.1" % user, "echo", "redoubt-login-ok"]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
seen = b""
answered = set()
deadline = time.time() + 30
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.5)
    if not r:
        continue
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    seen += data
    tail = seen.split(b"\n")[-1]
    if tail.rstrip().endswith(b"Password:") and "pw" not in answered:
        answered.add("pw")
        os.write(fd, password.encode() + b"\n")
    elif tail.rstrip().endswith(b"Verification code:") and \
            "code" not in answered:
        answered.add("code")
        os.write(fd, code.encode() + b"\n")
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
if b"redoubt-login-ok" in seen and os.WEXITSTATUS(status) == 0:
    sys.exit(0)
if "code" in answered or b"Permission denied" in seen:
    sys.exit(1)
sys.exit(2)
