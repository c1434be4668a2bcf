#!/usr/bin/python3
"""tui-latency.py: how fast the TUI answers, measured on a pseudo-terminal.

  tui-latency.py REDOUBT

Makes a vault (--kdf test) in a temporary folder, starts the TUI on a
pty at 80x24 with the passphrase in the environment, and prints:
  - start to first frame of the user list (unlock included),
  - Esc to the next output: the help screen closing (median and worst
    of 20), which ESCDELAY and the key loop decide,
  - '?' (help opens) to the next output, for comparison (median of 20).
"""
import os
import pty
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def read_until(fd, text, limit=10.0):
    buf = b""
    end = time.monotonic() + limit
    while text.encode() not in buf:
        left = end - time.monotonic()
        if left <= 0:
            raise SystemExit("tui-latency: no '%s' on the screen" % text)
        r, _, _ = select.select([fd], [], [], left)
        if r:
            buf += os.read(fd, 65536)
    return buf


def drain(fd, quiet=0.15):
    while select.select([fd], [], [], quiet)[0]:
        os.read(fd, 65536)


def first_output(fd, send):
    t0 = time.monotonic()
    os.write(fd, send)
    select.select([fd], [], [], 5.0)
    t = time.monotonic() - t0
    drain(fd)
    return t * 1000


def main():
    rd = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="redoubt-bench-")
    env = dict(os.environ, REDOUBT_PASSPHRASE="bench pass", TERM="xterm-256color",
               LC_ALL="C.UTF-8", HOME=tmp, XDG_CONFIG_HOME=tmp, XDG_DATA_HOME=tmp)
    env.pop("ESCDELAY", None)
    vault = os.path.join(tmp, "v.db")
    try:
        subprocess.run([rd, "--vault", vault, "init", "--kdf", "test"], env=env,
                       check=True, capture_output=True)
        subprocess.run([rd, "--vault", vault, "user", "add", "alice"], env=env,
                       check=True, capture_output=True)
        t0 = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(rd, [rd, "--vault", vault], env)
        os.set_blocking(fd, True)
        import fcntl
        import struct
        import termios
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        read_until(fd, "alice")
        start = (time.monotonic() - t0) * 1000
        drain(fd)
        esc, key = [], []
        for _ in range(20):
            key.append(first_output(fd, b"?"))
            esc.append(first_output(fd, b"\x1b"))
        os.write(fd, b"q")
        os.waitpid(pid, 0)
        print("tui: start to first frame (unlock included)  %7.1f ms" % start)
        print("tui: Esc to redraw, median / worst of 20      %7.1f / %.1f ms"
              % (statistics.median(esc), max(esc)))
        print("tui: '?' to redraw, median of 20              %7.1f ms"
              % statistics.median(key))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
