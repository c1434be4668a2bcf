#!/usr/bin/python3
"""A fake SMSAPI: POST /sms.do (protocols.md §3).

It checks the request as SMSAPI does: Authorization: Bearer --token, a
form body (a JSON body is accepted too, as the Go client sends one), known
parameter names only, format=json (without it SMSAPI answers the legacy
plain text "ERROR:8"), numbers as digits without '+' (else error 13 in an
HTTP 200, as in the official fixtures), a registered sender (--sender).
A bad token is error 101 with HTTP 401.

Modes: ok, auth401 (101 whatever the token), bad_number (13),
no_points (103), ip_filter (105), server500, hang, slow, malformed,
truncated, huge (a 100 kB answer).
"""
import json
import os
import re
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakehttp  # noqa: E402

NUMBER = re.compile(r"^[0-9]{9,15}$")
PARAMS = {"to", "group", "message", "from", "format", "encoding", "test",
          "details", "fast", "flash", "date", "date_validate", "idx",
          "check_idx", "max_parts", "expiration_date", "notify_url",
          "nounicode", "normalize", "skip_foreign", "allow_duplicates",
          "template", "param1", "param2", "param3", "param4", "partner_id",
          "discount_group", "datacoding", "udh"}
ENCODINGS = {"iso-8859-1", "iso-8859-2", "iso-8859-3", "iso-8859-4",
             "iso-8859-5", "iso-8859-7", "windows-1250", "windows-1251",
             "utf-8"}
EXTRA = [("--token", {"default": "smsapi-token-0123456789"}),
         ("--sender", {"default": "Test"})]
JSON = {"Content-Type": "application/json"}


def error(code, message, status=200, **more):
    body = {"error": code, "message": message}
    body.update(more)
    return status, JSON, fakehttp.json_body(body)


def params(req):
    """The parameters as a dict of single values, or an error answer."""
    ctype = req.headers.get("Content-Type", "")
    if ctype.startswith("application/x-www-form-urlencoded"):
        out = {}
        for k, v in req.form.items():
            if len(v) != 1:
                return error(18, "fake: parameter %s given %d times"
                             % (k, len(v)))
            out[k] = v[0]
    elif ctype.startswith("application/json"):
        try:
            out = {k: str(v) for k, v in json.loads(req.body).items()}
        except (ValueError, AttributeError):
            return error(8, "Error in request")
        for k, v in req.query.items():
            out[k] = v[0]
    else:
        return error(8, "fake: Content-Type %r is neither form nor JSON"
                     % ctype)
    for k in out:
        if k not in PARAMS:
            return error(18, "fake: unknown parameter %s" % k)
    return out


def send(req, p):
    args = req.state["args"]
    if p.get("format") != "json":
        return 200, {"Content-Type": "text/plain"}, b"ERROR:8"
    if p.get("encoding", "windows-1250") not in ENCODINGS:
        return error(8, "fake: unknown encoding %r" % p.get("encoding"))
    if not p.get("message"):
        return error(11, "Message is empty")
    if "from" in p and p["from"] != args.sender:
        return error(14, "Invalid sender name")
    numbers = [n for n in p.get("to", "").split(",") if n]
    bad = [n for n in numbers if not NUMBER.match(n)]
    if req.mode == "bad_number":
        bad = numbers
    if not numbers or bad:
        return error(13, "No correct phone numbers", invalid_numbers=[
            {"number": n, "submitted_number": n,
             "message": "Invalid phone number"} for n in bad])
    if req.mode == "no_points":
        return error(103, "Not enough points")
    if req.mode == "ip_filter":
        return error(105, "Authorization failed: IP address not allowed",
                     status=401)
    if req.mode == "server500":
        return error(201, "Internal system error", status=500)
    items = [{"id": uuid.uuid4().hex[:24].upper(), "points": 0.16,
              "number": n, "date_sent": int(time.time()),
              "submitted_number": n, "status": "QUEUE", "error": None,
              "idx": None, "parts": 1} for n in numbers]
    obj = {"count": len(items), "list": items}
    if req.mode == "hang":
        time.sleep(20)
        return None
    if req.mode == "malformed":
        return 200, JSON, b'{"count":1,"list":[{"id":'
    if req.mode == "truncated":
        full = fakehttp.json_body(obj)
        return 200, {"Content-Type": "application/json",
                     "Content-Length": str(len(full)),
                     "Connection": "close"}, full[:len(full) // 2]
    if req.mode == "huge":
        # The client hangs up midway: do not wait for a next request.
        obj["padding"] = "x" * 100000
        return 200, {"Content-Type": "application/json",
                     "Connection": "close"}, fakehttp.json_body(obj)
    return 200, JSON, fakehttp.json_body(obj)


def handle(req):
    args = req.state["args"]
    if req.mode == "slow":
        time.sleep(2)
    if req.path != "/sms.do":
        return error(8, "fake: no such path %s" % req.path, status=404)
    if req.method != "POST":
        return error(8, "fake: %s instead of POST" % req.method, status=405)
    if req.headers.get("Authorization") != "Bearer " + args.token or \
            req.mode == "auth401":
        return error(101, "Authorization failed", status=401)
    p = params(req)
    if isinstance(p, tuple):
        return p
    return send(req, p)


if __name__ == "__main__":
    fakehttp.serve(handle, EXTRA)
