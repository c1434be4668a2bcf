#!/usr/bin/python3
"""A fake Vonage (Nexmo) Verify v1 (protocols.md §4).

  POST /verify/json        api_key, api_secret, number, brand, ...
  POST /verify/check/json  api_key, api_secret, request_id, code
Form bodies, credentials inside (--api-key, --api-secret).  As at Vonage,
API errors come in an HTTP 200 as {"status": "N", "error_text": ...}:
2 missing parameter, 3 bad value (a number with '+' or spaces, a brand
over 18 characters, a code_length other than 4 or 6), 4 bad credentials,
6 unknown or finished request, 16 wrong code, 17 third wrong code (the
request is then failed).  Only --code is the right code.  Unknown
parameter names are refused with status 3 "fake: ...".

Modes: ok, auth401 (status 4 whatever the credentials), bad_number
(status 3 on start), concurrent (10 on start), throttled (1), wrong_code
(16 on check), expired (6 on check), max_attempts (17 on check),
server500, hang, slow, malformed, truncated.
"""
import os
import re
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakehttp  # noqa: E402

NUMBER = re.compile(r"^[0-9]{7,15}$")
START = {"api_key", "api_secret", "number", "brand", "country", "sender_id",
         "code_length", "lg", "pin_expiry", "next_event_wait", "workflow_id",
         "pin_code"}
CHECK = {"api_key", "api_secret", "request_id", "code", "ip_address"}
EXTRA = [("--api-key", {"default": "abcd1234"}),
         ("--api-secret", {"default": "vonage-Secret+0123/x"}),
         ("--code", {"default": "123456"})]
JSON = {"Content-Type": "application/json"}


def status(code, text, request_id=None):
    body = {"status": str(code), "error_text": text}
    if request_id is not None:
        body["request_id"] = request_id
    return 200, JSON, fakehttp.json_body(body)


def faulty(req, obj):
    if req.mode == "hang":
        time.sleep(20)
        return None
    if req.mode == "malformed":
        return 200, JSON, b'{"request_id":"abc","status":'
    if req.mode == "truncated":
        full = fakehttp.json_body(obj)
        return 200, {"Content-Type": "application/json",
                     "Content-Length": str(len(full)),
                     "Connection": "close"}, full[:len(full) // 2]
    return 200, JSON, fakehttp.json_body(obj)


def common(req, allowed, required):
    args = req.state["args"]
    if req.method != "POST":
        return status(3, "fake: %s instead of POST" % req.method)
    if not req.headers.get("Content-Type", "").startswith(
            "application/x-www-form-urlencoded"):
        return status(3, "fake: Content-Type is not a form")
    for k, v in req.form.items():
        if k not in allowed or len(v) != 1:
            return status(3, "fake: unknown or repeated parameter %s" % k)
    for k in required:
        if not req.one(k):
            return status(2, "Your request is incomplete and missing the "
                          "mandatory parameter `%s`" % k)
    if (req.one("api_key"), req.one("api_secret")) != \
            (args.api_key, args.api_secret) or req.mode == "auth401":
        return status(4, "Bad Credentials")
    if req.mode == "throttled":
        return status(1, "Throttled")
    if req.mode == "server500":
        return 500, {"Content-Type": "text/html"}, \
            b"<html><body>500 Internal Server Error</body></html>"
    return None


def start(req):
    bad = common(req, START, ("api_key", "api_secret", "number", "brand"))
    if bad:
        return bad
    if not NUMBER.match(req.one("number")) or req.mode == "bad_number":
        return status(3, "Invalid value for param: number", "")
    if len(req.one("brand")) > 18:
        return status(3, "Invalid value for param: brand", "")
    if req.one("code_length") not in (None, "4", "6"):
        return status(3, "Invalid value for param: code_length", "")
    if req.mode == "concurrent":
        return status(10, "Concurrent verifications to the same number are "
                      "not allowed", "")
    rid = uuid.uuid4().hex
    req.state.setdefault("requests", {})[rid] = {"wrong": 0}
    return faulty(req, {"request_id": rid, "status": "0"})


def check(req):
    args = req.state["args"]
    bad = common(req, CHECK, ("api_key", "api_secret", "request_id", "code"))
    if bad:
        return bad
    rid = req.one("request_id")
    r = req.state.setdefault("requests", {}).get(rid)
    if r is None or req.mode == "expired":
        return status(6, "The Nexmo platform was unable to process this "
                      "message for the following reason: Request '%s' was "
                      "not found or it has been verified already." % rid, rid)
    if req.mode == "max_attempts":
        return status(17, "The wrong code was provided too many times", rid)
    if req.mode == "wrong_code":
        return status(16, "The code provided does not match the expected "
                      "value", rid)
    if req.one("code") != args.code:
        r["wrong"] += 1
        if r["wrong"] >= 3:
            del req.state["requests"][rid]
            return status(17, "The wrong code was provided too many times",
                          rid)
        return status(16, "The code provided does not match the expected "
                      "value", rid)
    del req.state["requests"][rid]
    return faulty(req, {"request_id": rid, "event_id": uuid.uuid4().hex,
                        "status": "0", "price": "0.10000000",
                        "currency": "EUR",
                        "estimated_price_messages_sent": "0.04675"})


def handle(req):
    if req.mode == "slow":
        time.sleep(2)
    if req.path == "/verify/json":
        return start(req)
    if req.path == "/verify/check/json":
        return check(req)
    return 404, JSON, fakehttp.json_body({"type": "not_found",
                                          "title": "Not Found",
                                          "detail": req.path})


if __name__ == "__main__":
    fakehttp.serve(handle, EXTRA)
