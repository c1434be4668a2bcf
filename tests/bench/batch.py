#!/usr/bin/python3
"""batch.py: how many operations a second `redoubt batch` runs.

  batch.py REDOUBT [USERS] [OPS]

Makes a test-KDF vault (synchronous=FULL, as every vault) in a temporary
folder, fills it with USERS users (100000) through `redoubt batch`
itself, then times OPS (10000) `user add` lines and OPS `user show`
lines, each set through one batch run fed by a pipe as fast as it
reads.  Prints operations a second for the fill and for each set (and
a second of the batch's own CPU time, which a busy machine does not
change); the target is at least 5000 a second for both.  Every answer is checked to
be ok, with its line number, so a fast wrong run does not count.
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from benchenv import bench_env


def batch(rd, vault, env, lines):
    data = ("\n".join(lines) + "\n").encode()
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run([rd, "--vault", vault, "batch"], input=data,
                       env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    dt = time.perf_counter() - t
    ru2 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru2.ru_utime - ru.ru_utime) + (ru2.ru_stime - ru.ru_stime)
    answers = p.stdout.decode().splitlines()
    if p.returncode != 0 or len(answers) != len(lines):
        raise SystemExit("batch.py: exit %d, %d answers for %d lines: %s" % (
            p.returncode, len(answers), len(lines),
            (answers[-1:] or [p.stderr.decode()])[0]))
    for no, a in enumerate(answers, 1):
        a = json.loads(a)
        if a["line"] != no or not a["ok"]:
            raise SystemExit("batch.py: line %d: %r" % (no, a))
    return dt, cpu


def main():
    rd = os.path.abspath(sys.argv[1])
    users = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    ops = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    tmp = tempfile.mkdtemp(prefix="redoubt-bench-batch.")
    try:
        env = bench_env(tmp, passphrase=True)
        vault = os.path.join(tmp, "vault.db")
        p = subprocess.run([rd, "--vault", vault, "init", "--kdf", "test"],
                           env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        if p.returncode != 0:
            raise SystemExit("batch.py: init: " + p.stderr.decode())
        fill = ["user add u%06d --email u%06d@example.org" % (i, i)
                for i in range(users)]
        t_fill = batch(rd, vault, env, fill)
        adds = ["user add n%06d" % i for i in range(ops)]
        t_add = batch(rd, vault, env, adds)
        shows = ["user show u%06d" % ((i * 7919) % users)
                 for i in range(ops)]
        t_show = batch(rd, vault, env, shows)
        # Wall time is what the target means; the CPU time the process
        # took says how much of it a busy machine stole.
        print("          batch fill: %d users in %.1f s, %.0f ops/s "
              "(%.0f per CPU second)" % (users, t_fill[0],
                                         users / t_fill[0],
                                         users / t_fill[1]))
        print("          batch user add: %d on %d users, %.0f ops/s "
              "(target >= 5000; %.0f per CPU second)" % (
                  ops, users, ops / t_add[0], ops / t_add[1]))
        print("          batch user show: %d on %d users, %.0f ops/s "
              "(target >= 5000; %.0f per CPU second)" % (
                  ops, users + ops, ops / t_show[0], ops / t_show[1]))
    finally:
        shutil.rmtree(tmp)


main()
