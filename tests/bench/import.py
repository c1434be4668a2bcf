#!/usr/bin/python3
"""import.py: how fast `redoubt import users` creates users.

  import.py REDOUBT [ROWS]

Makes a test-KDF vault in a temporary folder, writes a CSV of ROWS users
(default 100,000: user, email, phone, active; no passwords, no methods)
in random name order, so the name index and the keyed e-mail and phone
indexes take random inserts as a real directory export would give them,
times `redoubt import users` on it and prints users per second.  The
targets: at least 20,000 users/s, and 100,000 users in under 10 s.  The
import's own summary (its rows per second) is printed beside the wall
time, which includes starting the process and unlocking the vault, and
so is users per CPU second, which a loaded machine does not change.
"""
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from benchenv import bench_env


def run(argv, env):
    p = subprocess.run(argv, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise SystemExit("import.py: %s: exit %d: %s" % (
            " ".join(argv[1:]), p.returncode, p.stderr.decode()))
    return p.stdout


def main():
    rd = os.path.abspath(sys.argv[1])
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    tmp = tempfile.mkdtemp(prefix="redoubt-bench-import.")
    try:
        env = bench_env(tmp, passphrase=True)
        vault = os.path.join(tmp, "vault.db")
        csv = os.path.join(tmp, "users.csv")
        names = ["user%07d" % i for i in range(rows)]
        random.shuffle(names)
        with open(csv, "w") as f:
            f.write("user,email,phone,active\n")
            for i, n in enumerate(names):
                f.write("%s,%s@example.com,+4850%07d,true\n" % (n, n, i))
        run([rd, "--vault", vault, "init", "--kdf", "test"], env)
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        out = run([rd, "--json", "--vault", vault, "import", "users", csv],
                  env)
        dt = time.perf_counter() - t
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        res = json.loads(out)
        if res.get("users_created") != rows:
            raise SystemExit("import.py: %s users created, not %d" % (
                res.get("users_created"), rows))
        print("          import users: %d users in %.2f s: %.0f users/s "
              "(target >= 20000 users/s, 100k in < 10 s); the import's "
              "own count: %.0f rows/s" % (rows, dt, rows / dt,
                                          res.get("rows_per_second", 0)))
        # A loaded machine stretches the wall time, not the CPU time.
        print("          import users: %.2f s of CPU: %.0f users per CPU "
              "second" % (cpu, rows / cpu if cpu > 0 else 0))
    finally:
        shutil.rmtree(tmp)


main()
