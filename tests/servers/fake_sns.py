#!/usr/bin/python3
"""A fake Amazon SNS: the Query API's Publish to a phone number.

POST / with a form body Action=Publish&PhoneNumber=...&Message=...&
Version=2010-03-31, signed with AWS Signature Version 4.  It checks the
Authorization header (AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/sns/
aws4_request, SignedHeaders, Signature), that X-Amz-Date is there, and the
signature itself, recomputed from the request and --secret-key, so a
request signed with the wrong secret fails as at AWS.  Answers are the
Query API's XML: PublishResponse/PublishResult/MessageId, or
ErrorResponse/Error/{Type,Code,Message} with a 4xx or 5xx.

Modes: ok, auth401 (403 InvalidClientTokenId whatever the key: AWS says
403 where others say 401), bad_number (400 InvalidParameter), throttled
(400 Throttling), server500 (500 InternalError), hang, slow, malformed,
truncated.
"""
import hashlib
import hmac
import os
import re
import sys
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakehttp  # noqa: E402

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
AUTH = re.compile(r"^AWS4-HMAC-SHA256 Credential=([^/]+)/([0-9]{8})/([^/]+)/"
                  r"([^/]+)/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?"
                  r"Signature=([0-9a-f]{64})$")
PARAMS = {"Action", "Version", "PhoneNumber", "Message", "Subject",
          "TopicArn", "TargetArn", "MessageStructure",
          "MessageDeduplicationId", "MessageGroupId"}
NS = "https://sns.amazonaws.com/doc/2010-03-31/"
EXTRA = [("--access-key", {"default": "AKIDEXAMPLE0123456789"}),
         ("--secret-key", {"default": "sns-secret/0123456789+abcdefghij"}),
         ("--region", {"default": "eu-west-1"})]
XML = {"Content-Type": "text/xml"}


def esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("'", "&apos;"))


def error(status, kind, code, message):
    body = ('<ErrorResponse xmlns="%s">\n  <Error>\n    <Type>%s</Type>\n'
            '    <Code>%s</Code>\n    <Message>%s</Message>\n  </Error>\n'
            '  <RequestId>%s</RequestId>\n</ErrorResponse>\n'
            % (NS, kind, code, esc(message), uuid.uuid4()))
    return status, XML, body.encode()


def hm(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def signature_ok(req, date, scope, signed, sig, secret):
    """Recompute the SigV4 signature of req as AWS does."""
    names = signed.split(";")
    headers = ""
    for n in names:
        v = req.headers.get(n)
        if v is None:
            return False
        headers += "%s:%s\n" % (n, " ".join(v.split()))
    raw_query = "&".join(sorted(
        "%s=%s" % (urllib.parse.quote(k, safe="-_.~"),
                   urllib.parse.quote(v, safe="-_.~"))
        for k, vs in req.query.items() for v in vs))
    canonical = "\n".join([req.method, req.path, raw_query, headers, signed,
                           hashlib.sha256(req.body).hexdigest()])
    amz_date = req.headers.get("X-Amz-Date", "")
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                     hashlib.sha256(canonical.encode()).hexdigest()])
    k = hm(("AWS4" + secret).encode(), date)
    for part in scope.split("/")[1:]:
        k = hm(k, part)
    return hmac.compare_digest(
        hmac.new(k, sts.encode(), hashlib.sha256).hexdigest(), sig)


def authorised(req):
    """An error answer when the request is not signed right, else None."""
    args = req.state["args"]
    auth = req.headers.get("Authorization")
    if auth is None:
        return error(403, "Sender", "MissingAuthenticationToken",
                     "Request is missing Authentication Token")
    if not req.headers.get("X-Amz-Date"):
        return error(403, "Sender", "IncompleteSignature",
                     "Authorization header requires existence of either a "
                     "'X-Amz-Date' or a 'Date' header.")
    m = AUTH.match(auth)
    if not m:
        return error(403, "Sender", "IncompleteSignature",
                     "Authorization header is not AWS4-HMAC-SHA256")
    key, date, region, service, signed, sig = m.groups()
    if key != args.access_key or req.mode == "auth401":
        return error(403, "Sender", "InvalidClientTokenId",
                     "The security token included in the request is invalid.")
    if region != args.region or service != "sns":
        return error(403, "Sender", "SignatureDoesNotMatch",
                     "Credential should be scoped to a valid region and to "
                     "service sns.")
    if "host" not in signed.split(";") or \
            not req.headers.get("X-Amz-Date", "").startswith(date):
        return error(403, "Sender", "IncompleteSignature",
                     "host must be signed and the dates must agree")
    scope = "%s/%s/%s/aws4_request" % (date, region, service)
    if not signature_ok(req, date, scope, signed, sig, args.secret_key):
        return error(403, "Sender", "SignatureDoesNotMatch",
                     "The request signature we calculated does not match "
                     "the signature you provided.")
    return None


def handle(req):
    if req.mode == "slow":
        time.sleep(2)
    if req.method != "POST" or req.path != "/":
        return error(400, "Sender", "InvalidAction",
                     "fake: %s %s instead of POST /" % (req.method, req.path))
    bad = authorised(req)
    if bad:
        return bad
    if not req.headers.get("Content-Type", "").startswith(
            "application/x-www-form-urlencoded"):
        return error(400, "Sender", "InvalidParameter",
                     "fake: Content-Type is not a form")
    for k, v in req.form.items():
        if k not in PARAMS or len(v) != 1:
            return error(400, "Sender", "InvalidParameter",
                         "fake: unknown or repeated parameter %s" % k)
    if req.one("Action") != "Publish":
        return error(400, "Sender", "InvalidAction",
                     "Could not find operation %s for version %s"
                     % (req.one("Action"), req.one("Version")))
    if req.one("Version") != "2010-03-31":
        return error(400, "Sender", "InvalidParameter",
                     "fake: Version must be 2010-03-31")
    phone, message = req.one("PhoneNumber"), req.one("Message")
    if not message:
        return error(400, "Sender", "InvalidParameter",
                     "Invalid parameter: Message too short")
    if phone is None or not E164.match(phone) or req.mode == "bad_number":
        return error(400, "Sender", "InvalidParameter",
                     "Invalid parameter: PhoneNumber Reason: %s is not "
                     "valid to publish to" % phone)
    if req.mode == "throttled":
        return error(400, "Sender", "Throttling", "Rate exceeded")
    if req.mode == "server500":
        return error(500, "Receiver", "InternalError",
                     "An internal error occurred & we're sorry")
    body = ('<PublishResponse xmlns="%s">\n  <PublishResult>\n'
            '    <MessageId>%s</MessageId>\n  </PublishResult>\n'
            '  <ResponseMetadata>\n    <RequestId>%s</RequestId>\n'
            '  </ResponseMetadata>\n</PublishResponse>\n'
            % (NS, uuid.uuid4(), uuid.uuid4())).encode()
    if req.mode == "hang":
        time.sleep(20)
        return None
    if req.mode == "malformed":
        return 200, XML, b'<PublishResponse xmlns="%s"><PublishResult>' % \
            NS.encode()
    if req.mode == "truncated":
        return 200, {"Content-Type": "text/xml",
                     "Content-Length": str(len(body)),
                     "Connection": "close"}, body[:len(body) // 2]
    return 200, XML, body


if __name__ == "__main__":
    fakehttp.serve(handle, EXTRA)
