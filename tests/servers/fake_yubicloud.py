#!/usr/bin/python3
"""A fake YubiCloud: GET /wsapi/2.0/verify, validation protocol 2.0.

It checks a request as the reference server ykval does (id digits, otp
32-48 modhex, nonce 16-40 alphanumeric, and with --api-key the request
signature h), except that it does not translate a Dvorak-typed OTP as
ykval does: the client must send modhex, and a test sees that it did.  It
answers CRLF lines
h, t, otp, nonce, sl, timestamp, sessioncounter, sessionuse, status and an
empty line, signed with the API key (with an empty key when none is
given, as ykval signs its early errors).  It cannot decrypt OTPs: any
well-formed one is OK once and REPLAYED_OTP afterwards, and the counters
it reports grow with each OK.

Modes: ok, bad_otp, forged (signed with another key), wrong_nonce,
wrong_otp_echo, no_such_client, backend_error, http500, hang, malformed,
two_status.
"""
import base64
import hashlib
import hmac
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakehttp  # noqa: E402

MODHEX = re.compile(r"^[cbdefghijklnrtuv]{32,48}$")
NONCE = re.compile(r"^[A-Za-z0-9]{16,40}$")
CLIENT_ID = re.compile(r"^[0-9]{1,10}$")
FORGED_KEY = b"not-the-real-api-key"


def sign(pairs, key):
    """h over every pair but h: sorted by key, k=v joined by '&'."""
    msg = "&".join("%s=%s" % (k, v) for k, v in
                   sorted((p for p in pairs if p[0] != "h"),
                          key=lambda p: p[0].encode()))
    mac = hmac.new(key, msg.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def answer(pairs, key, status=200):
    t = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    t += "Z0%03d" % (int(time.time() * 1000) % 1000)
    pairs = [("t", t)] + pairs
    pairs = [("h", sign(pairs, key))] + pairs
    body = "".join("%s=%s\r\n" % p for p in pairs) + "\r\n"
    return status, {"Content-Type": "text/plain"}, body.encode()


def handle(req):
    args = req.state["args"]
    key = base64.b64decode(args.api_key) if args.api_key else b""
    if req.method != "GET" or req.path != "/wsapi/2.0/verify":
        return 404, {"Content-Type": "text/plain"}, b"not found\n"
    if req.mode == "hang":
        time.sleep(args.lifetime)
        return None
    if req.mode == "http500":
        return 500, {"Content-Type": "text/html"}, b"<h1>oops</h1>\n"
    if req.mode == "malformed":
        return 200, {"Content-Type": "text/html"}, \
            b"<html><body>Service Unavailable</body></html>\r\n"

    q = {k: v[0] for k, v in req.query.items() if len(v) == 1}
    if any(len(v) != 1 for v in req.query.values()):
        return answer([("status", "MISSING_PARAMETER")], key)
    if req.mode == "no_such_client":
        return answer([("status", "NO_SUCH_CLIENT")], key)
    if req.mode == "backend_error":
        return answer([("status", "BACKEND_ERROR")], key)
    if not CLIENT_ID.match(q.get("id", "")) or q["id"].strip("0") == "":
        return answer([("status", "MISSING_PARAMETER")], key)
    otp = q.get("otp", "")
    if not MODHEX.match(otp):
        return answer([("status", "BAD_OTP")], key)
    nonce = q.get("nonce", "")
    if not NONCE.match(nonce):
        return answer([("status", "MISSING_PARAMETER")], key)
    if args.api_key and "h" in q:
        # A '+' of base64 sent raw arrives here as a space: it must come
        # as %2B (the test checks the raw query in --log for the rest).
        given = [(k, v) for k, v in q.items() if k != "h"]
        if not hmac.compare_digest(q["h"], sign(given, key)):
            return answer([("status", "BAD_SIGNATURE")], key)
    if req.mode == "bad_otp":
        return answer([("status", "BAD_OTP")], key)

    seen = req.state.setdefault("seen", set())
    if otp in seen:
        return answer([("otp", otp), ("nonce", nonce),
                       ("status", "REPLAYED_OTP")], key)
    seen.add(otp)
    use = req.state["use"] = req.state.get("use", 0) + 1
    echo_otp, echo_nonce = otp, nonce
    if req.mode == "wrong_otp_echo":
        echo_otp = otp[:-32] + "c" * 32
    if req.mode == "wrong_nonce":
        echo_nonce = "someOtherNonce0123456789abcdef"
    pairs = [("otp", echo_otp), ("nonce", echo_nonce), ("sl", "100")]
    if q.get("timestamp") == "1":
        pairs += [("timestamp", str(8917344 + use)),
                  ("sessioncounter", "19"), ("sessionuse", str(use))]
    pairs.append(("status", "OK"))
    if req.mode == "two_status":
        pairs.append(("status", "BAD_OTP"))
    return answer(pairs, FORGED_KEY if req.mode == "forged" else key)


if __name__ == "__main__":
    fakehttp.serve(handle, [("--api-key", {"default": None})])
