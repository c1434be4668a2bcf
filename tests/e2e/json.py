#!/usr/bin/python3
"""json.py: read one JSON object from stdin for the e2e shell scripts.

  json.py PATH        print the value at PATH (exit 2 when it is not there)
  json.py --valid     exit 0 when stdin is exactly one JSON object
  json.py --has PATH  exit 0 when PATH exists

PATH is dotted: error.code, methods.0.name; a last part '#' prints the
length of an array or object (backup_codes.#).  Strings print raw, true,
false and null as in JSON, whole numbers without a fraction, arrays and
objects as compact JSON.  Stdin that is not exactly one JSON object (one
value, an object, nothing before or after it but white space) exits 3.
"""
import os
import sys

# This file is json.py: keep "import json" from importing itself.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != _here]
sys.dont_write_bytecode = True

import json  # noqa: E402


def load():
    text = sys.stdin.read()
    try:
        doc = json.loads(text)
    except ValueError as e:
        sys.stderr.write("json.py: not one JSON value: %s\n" % e)
        sys.exit(3)
    if not isinstance(doc, dict):
        sys.stderr.write("json.py: not a JSON object\n")
        sys.exit(3)
    return doc


def walk(doc, path):
    cur = doc
    for part in path.split(".") if path else []:
        if part == "#":
            if isinstance(cur, (list, dict)):
                return len(cur)
            raise KeyError(part)
        if isinstance(cur, list):
            cur = cur[int(part)]
        elif isinstance(cur, dict):
            cur = cur[part]
        else:
            raise KeyError(part)
    return cur


def show(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (int, float, str)):
        return str(v)
    return json.dumps(v, separators=(",", ":"))


def main(argv):
    if len(argv) == 2 and argv[1] == "--valid":
        load()
        return 0
    if len(argv) == 3 and argv[1] == "--has":
        try:
            walk(load(), argv[2])
        except (KeyError, IndexError, ValueError):
            return 2
        return 0
    if len(argv) != 2:
        sys.stderr.write("usage: json.py PATH | --valid | --has PATH\n")
        return 64
    try:
        v = walk(load(), argv[1])
    except (KeyError, IndexError, ValueError):
        sys.stderr.write("json.py: no %s\n" % argv[1])
        return 2
    print(show(v))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
