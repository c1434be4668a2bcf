#!/usr/bin/python3
"""A fake Twilio: Programmable Messaging and Verify v2 (protocols.md §1-2).

Serves both hosts' paths on one port:
  POST /2010-04-01/Accounts/{AccountSid}/Messages.json
  POST /v2/Services/{ServiceSid}/Verifications
  POST /v2/Services/{ServiceSid}/VerificationCheck
It checks each request as Twilio does (HTTP Basic with --account-sid and
--auth-token, form body, PascalCase parameter names, E.164 numbers, so a
'+' sent unescaped arrives as a space and is refused) and answers with
Twilio's bodies and error objects.  A parameter Twilio does not know is
answered with code 99999 "fake: ...", so a misspelt name fails loudly.
Verify accepts --code only; five wrong checks lock a verification.

Modes: ok, auth401 (20003 whatever the credentials), bad_number (21211,
or 60200 on a Verify start), trial (21608), server500, max_sends (60203 on
start), wrong_code (every check stays pending), max_attempts (60202 on
check), expired (20404 on check), hang, slow, malformed, truncated.
"""
import os
import re
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakehttp  # noqa: E402

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
MSG_PATH = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages\.json$")
VER_PATH = re.compile(r"^/v2/Services/([^/]+)/(Verifications|VerificationCheck)$")
MSG_PARAMS = {"To", "From", "MessagingServiceSid", "Body", "StatusCallback",
              "ValidityPeriod", "MediaUrl", "MaxPrice", "ProvideFeedback",
              "Attempt", "ContentSid", "ContentVariables"}
START_PARAMS = {"To", "Channel", "Locale", "CustomCode", "CustomFriendlyName",
                "CustomMessage", "SendDigits", "TemplateSid",
                "TemplateCustomSubstitutions", "ChannelConfiguration",
                "RateLimits", "AppHash", "DeviceIp", "Tags", "RiskCheck",
                "Amount", "Payee"}
CHECK_PARAMS = {"Code", "To", "VerificationSid", "Amount", "Payee"}
CHANNELS = {"sms", "call", "email", "whatsapp", "sna", "auto"}
EXTRA = [("--account-sid", {"default": "AC" + "a" * 32}),
         ("--auth-token", {"default": "tw-token-0123456789abcdef"}),
         ("--service-sid", {"default": "VA" + "b" * 32}),
         ("--code", {"default": "123456"})]


def error(status, code, message, **more):
    body = {"code": code, "message": message,
            "more_info": "https://www.twilio.com/docs/errors/%d" % code,
            "status": status}
    body.update(more)
    return status, {"Content-Type": "application/json"}, fakehttp.json_body(body)


def fake_error(msg):
    return error(400, 99999, "fake: " + msg)


def ok(status, obj):
    return status, {"Content-Type": "application/json"}, fakehttp.json_body(obj)


def faulty(req, status, obj):
    """The faults every mode shares; None when the mode is not a fault."""
    if req.mode == "hang":
        time.sleep(20)
        return None
    if req.mode == "malformed":
        return status, {"Content-Type": "application/json"}, b'{"sid": "SM1'
    if req.mode == "truncated":
        full = fakehttp.json_body(obj)
        return status, {"Content-Type": "application/json",
                        "Content-Length": str(len(full)),
                        "Connection": "close"}, full[:len(full) // 2]
    return None


def common(req, params):
    """Checks every endpoint makes; an error answer or None."""
    args = req.state["args"]
    if req.method != "POST":
        return error(405, 20004, "Method not allowed")
    if req.basic_auth() != (args.account_sid, args.auth_token) or \
            req.mode == "auth401":
        return error(401, 20003, "Authenticate",
                     detail="Your AccountSid or AuthToken was incorrect.")
    if not req.headers.get("Content-Type", "").startswith(
            "application/x-www-form-urlencoded"):
        return fake_error("Content-Type is not a form")
    if req.headers.get("Accept") != "application/json":
        return fake_error("Accept is not application/json")
    for k, v in req.form.items():
        if k not in params:
            return fake_error("unknown parameter " + k)
        if len(v) != 1 and k != "MediaUrl":
            return fake_error("parameter %s given %d times" % (k, len(v)))
    return None


def message(req, sid):
    args = req.state["args"]
    if sid != args.account_sid:
        return error(404, 20404, "The requested resource %s was not found"
                     % req.path)
    bad = common(req, MSG_PARAMS)
    if bad:
        return bad
    to, body = req.one("To"), req.one("Body")
    frm, mg = req.one("From"), req.one("MessagingServiceSid")
    if to is None:
        return error(400, 21604, "A 'To' phone number is required.")
    if not E164.match(to) or req.mode == "bad_number":
        return error(400, 21211, "The 'To' number %s is not a valid phone "
                     "number." % to)
    if frm is None and mg is None:
        return error(400, 21603, "A 'From' phone number is required.")
    if not body:
        return error(400, 21602, "Message body is required.")
    if req.mode == "trial":
        return error(400, 21608, "The number %s is unverified. Trial "
                     "accounts cannot send messages to unverified numbers; "
                     "verify %s at twilio.com/user/account/phone-numbers/"
                     "verified, or purchase a Twilio number to send "
                     "messages to unverified numbers" % (to, to))
    if req.mode == "server500":
        return error(500, 20500, "Internal Server Error")
    msid = "SM" + uuid.uuid4().hex
    now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
    obj = {"sid": msid, "account_sid": sid, "to": to, "from": frm,
           "messaging_service_sid": mg, "body": body,
           "status": "queued" if frm else "accepted",
           "num_segments": "1", "num_media": "0",
           "direction": "outbound-api", "api_version": "2010-04-01",
           "price": None, "price_unit": None, "error_code": None,
           "error_message": None, "date_created": now, "date_updated": now,
           "date_sent": None,
           "uri": "/2010-04-01/Accounts/%s/Messages/%s.json" % (sid, msid)}
    return faulty(req, 201, obj) if req.mode in ("hang", "malformed",
                                                 "truncated") else ok(201, obj)


def verification(sid, v, status):
    iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return {"sid": sid, "service_sid": v["service"], "account_sid": v["account"],
            "to": v["to"], "channel": v["channel"], "status": status,
            "valid": status == "approved", "amount": None, "payee": None,
            "date_created": iso, "date_updated": iso}


def start(req, service):
    args = req.state["args"]
    bad = common(req, START_PARAMS)
    if bad:
        return bad
    to, channel = req.one("To"), req.one("Channel")
    if channel not in CHANNELS:
        return error(400, 60200, "Invalid parameter: Channel")
    if to is None or req.mode == "bad_number" or \
            not (E164.match(to) or (channel == "email" and "@" in to)):
        return error(400, 60200, "Invalid parameter: To")
    if req.mode == "max_sends":
        return error(429, 60203, "Max send attempts reached")
    if req.mode == "server500":
        return error(500, 20500, "Internal Server Error")
    vsid = "VE" + uuid.uuid4().hex
    v = {"to": to, "channel": channel, "wrong": 0, "service": service,
         "account": args.account_sid}
    req.state.setdefault("verifs", {})[vsid] = v
    obj = verification(vsid, v, "pending")
    obj["send_code_attempts"] = [{"time": obj["date_created"],
                                  "channel": channel.upper(),
                                  "attempt_sid": "VL" + uuid.uuid4().hex}]
    obj["url"] = "https://verify.twilio.com/v2/Services/%s/Verifications/%s" \
        % (service, vsid)
    if req.mode in ("hang", "malformed", "truncated"):
        return faulty(req, 201, obj)
    return ok(201, obj)


def check(req, service):
    args = req.state["args"]
    bad = common(req, CHECK_PARAMS)
    if bad:
        return bad
    code, to, vsid = req.one("Code"), req.one("To"), req.one("VerificationSid")
    if code is None or not 4 <= len(code) <= 10:
        return error(400, 60200, "Invalid parameter: Code")
    if (to is None) == (vsid is None):
        return error(400, 60200, "Invalid parameter: To or VerificationSid "
                     "(give exactly one)")
    verifs = req.state.setdefault("verifs", {})
    if vsid is None:
        vsid = next((s for s, v in verifs.items() if v["to"] == to), None)
    v = verifs.get(vsid)
    if v is None or req.mode == "expired":
        return error(404, 20404, "The requested resource /Services/%s/"
                     "VerificationCheck was not found" % service)
    if req.mode == "max_attempts" or v["wrong"] >= 5:
        return error(429, 60202, "Max check attempts reached")
    if req.mode == "server500":
        return error(500, 20500, "Internal Server Error")
    if code == args.code and req.mode != "wrong_code":
        del verifs[vsid]
        obj = verification(vsid, v, "approved")
    else:
        v["wrong"] += 1
        obj = verification(vsid, v, "pending")
    obj["sna_attempts_error_codes"] = []
    if req.mode in ("hang", "malformed", "truncated"):
        return faulty(req, 200, obj)
    return ok(200, obj)


def handle(req):
    if req.mode == "slow":
        time.sleep(2)
    m = MSG_PATH.match(req.path)
    if m:
        return message(req, m.group(1))
    m = VER_PATH.match(req.path)
    if m and m.group(1) == req.state["args"].service_sid:
        return (start if m.group(2) == "Verifications" else check)(
            req, m.group(1))
    return error(404, 20404, "The requested resource %s was not found"
                 % req.path)


if __name__ == "__main__":
    fakehttp.serve(handle, EXTRA)
