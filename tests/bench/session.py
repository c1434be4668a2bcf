#!/usr/bin/python3
"""session.py: what a command costs under `redoubt unlock`.

  session.py REDOUBT [RUNS]

Makes two vaults in a temporary folder: one with the default (moderate)
KDF, used through a session ($REDOUBT_SESSION, no passphrase anywhere),
and one with the test KDF (Argon2id at its minimum), opened with its
passphrase.  Runs `user show` on each RUNS times, interleaved, and prints
both medians and their ratio: the session's target is at most 1.2x, i.e.
no KDF paid at all.  Also prints the moderate vault's cost without a
session, for scale.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from benchenv import PASSPHRASE, bench_env


def run(argv, env):
    t = time.perf_counter()
    p = subprocess.run(argv, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    dt = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit("session.py: %s: exit %d: %s" % (
            " ".join(argv[1:]), p.returncode, p.stderr.decode()))
    return dt, p.stdout


def main():
    rd = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    tmp = tempfile.mkdtemp(prefix="redoubt-bench-session.")
    try:
        env = bench_env(tmp, runtime=True)
        penv = dict(env, REDOUBT_PASSPHRASE=PASSPHRASE)
        slow = os.path.join(tmp, "moderate.db")
        fast = os.path.join(tmp, "test.db")
        for path, kdf in ((slow, "moderate"), (fast, "test")):
            run([rd, "--vault", path, "init", "--kdf", kdf], penv)
            run([rd, "--vault", path, "user", "add", "alice"], penv)
        _, out = run([rd, "--vault", slow, "--json", "unlock"], penv)
        tok = out.decode().split('"session":"')[1].split('"')[0]
        senv = dict(env, REDOUBT_SESSION=tok)
        s_times, t_times = [], []
        for _ in range(runs):
            s_times.append(run([rd, "--vault", slow, "user", "show",
                                "alice"], senv)[0])
            t_times.append(run([rd, "--vault", fast, "user", "show",
                                "alice"], penv)[0])
        m_times = [run([rd, "--vault", slow, "user", "show", "alice"],
                       penv)[0] for _ in range(3)]
        s, t = statistics.median(s_times), statistics.median(t_times)
        print("          user show under a session (moderate vault): "
              "%.1f ms median of %d" % (s * 1e3, runs))
        print("          user show on a test-KDF vault, passphrase: "
              "%.1f ms median of %d" % (t * 1e3, runs))
        print("          session / test KDF: %.2fx (target <= 1.2x); "
              "moderate vault without a session: %.0f ms" % (
                  s / t, statistics.median(m_times) * 1e3))
    finally:
        shutil.rmtree(tmp)


main()
