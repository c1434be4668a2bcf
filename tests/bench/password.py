#!/usr/bin/python3
"""password.py: what one password check costs, by password_kdf.

  password.py REDOUBT [RUNS]

Makes a vault with the interactive KDF in a temporary folder and opens
it through a session ($REDOUBT_SESSION), so `redoubt login` pays for the
user's password hash and nothing else.  For each password_kdf setting it
adds a user under that setting (so no login rehashes) and times RUNS
logins: the median wall time and CPU time (which a busy machine disturbs
less) and the largest resident set of one login process (Argon2id's
memory is most of it).  The issue's figures: about
380 ms and 266 MiB under moderate, the old cost; about 60 ms is the aim
under interactive.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from benchenv import PASSPHRASE, bench_env


def run(argv, env, stdin=b""):
    t = time.perf_counter()
    p = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate(stdin)
    dt = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit("password.py: %s: exit %d: %s" % (
            " ".join(argv[1:]), p.returncode, err.decode()))
    return dt, out


def login_rss(argv, env, stdin):
    """One login: wall time, CPU time and peak resident set (KiB)."""
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        r, w = os.pipe()
        os.write(w, stdin)
        os.close(w)
        os.dup2(r, 0)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.execve(argv[0], argv, env)
    _, status, ru = os.wait4(pid, 0)
    dt = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("password.py: login failed (exit %d)" %
                         os.waitstatus_to_exitcode(status))
    return dt, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def main():
    rd = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    tmp = tempfile.mkdtemp(prefix="redoubt-bench-password.")
    try:
        env = bench_env(tmp, runtime=True)
        penv = dict(env, REDOUBT_PASSPHRASE=PASSPHRASE)
        vault = os.path.join(tmp, "vault.db")
        run([rd, "--vault", vault, "init", "--kdf", "interactive"], penv)
        _, out = run([rd, "--vault", vault, "--json", "unlock"], penv)
        tok = out.decode().split('"session":"')[1].split('"')[0]
        senv = dict(env, REDOUBT_SESSION=tok)
        for kdf in ("interactive", "moderate"):
            conf = os.path.join(tmp, kdf + ".conf")
            with open(conf, "w") as f:
                f.write("[redoubt]\npassword_kdf = %s\n" % kdf)
            base = [rd, "--vault", vault, "--config", conf]
            run(base + ["user", "add", kdf, "--password-stdin"], senv,
                b"bench password\n")
            times, cpu, rss = [], [], []
            for _ in range(runs):
                dt, c, kib = login_rss(base + ["login", kdf], senv,
                                       b"bench password\n")
                times.append(dt)
                cpu.append(c)
                rss.append(kib)
            print("          login under a session, password_kdf = %-11s "
                  "%.0f ms median of %d (CPU %.0f ms), %.0f MiB peak RSS" % (
                      kdf + ":", statistics.median(times) * 1e3, runs,
                      statistics.median(cpu) * 1e3, max(rss) / 1024))
    finally:
        shutil.rmtree(tmp)


main()
