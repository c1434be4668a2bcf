"""benchenv.py: the environment every bench script runs redoubt in.

A temporary HOME and config folder, so no file of the person running the
bench is read; C messages; a private runtime folder for sessions when
asked; the vault passphrase of the bench's vaults.
"""
import os

PASSPHRASE = "bench passphrase"


def bench_env(tmp, runtime=False, passphrase=False):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "HOME": tmp, "LC_ALL": "C",
           "XDG_CONFIG_HOME": os.path.join(tmp, "cfg")}
    if runtime:
        env["XDG_RUNTIME_DIR"] = os.path.join(tmp, "run")
        os.mkdir(env["XDG_RUNTIME_DIR"], 0o700)
    if passphrase:
        env["REDOUBT_PASSPHRASE"] = PASSPHRASE
    return env
