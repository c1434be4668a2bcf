#!/usr/bin/python3
"""Show a stored e-mail (an .eml of smtp_server.py) as the tests see it.

Python's email package is the independent reader: it undoes libcurl's
quoted-printable and our RFC 2047 words.  Prints one key=value a line
(content types, transfer encodings, decoded headers, checks of the raw
header lines), then each part decoded under a --type-- line.  A subject
word that is not whole UTF-8 on its own ends the script with an error.
"""
import base64
import email
import email.header
import email.policy
import re
import sys

DAYS = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
MONTHS = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"


def main():
    raw = open(sys.argv[1], "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    # RFC 2047 decoding as written: policy.default keeps the folding
    # space between the encoded words of an address's display name.
    c = email.message_from_bytes(raw, policy=email.policy.compat32)
    parts = list(m.iter_parts())
    print("type=" + m.get_content_type())
    print("parts=" + ",".join(p.get_content_type() for p in parts))
    print("cte=" + ",".join(str(p["Content-Transfer-Encoding"])
                            for p in parts))
    for h in ("From", "To", "Subject", "Date", "Message-ID",
              "MIME-Version"):
        v = email.header.decode_header(c.get(h, ""))
        print("%s=%s" % (h.lower(), email.header.make_header(v)))
    print("date_ok=%d" % bool(re.fullmatch(
        DAYS + r", \d\d " + MONTHS + r" \d{4} \d\d:\d\d:\d\d \+0000",
        str(m["Date"]))))

    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")

    def field(name):
        return re.search("^" + name + r":[^\r\n]*(?:\r\n[ \t][^\r\n]*)*",
                         head, re.M).group(0)
    subject = field("Subject")
    words = re.findall(r"=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=", subject)
    for w in words:
        base64.b64decode(w).decode("utf-8")
    print("words=%d" % len(words))
    print("words_short=%d" % all(len(w) + 12 <= 75 for w in words))
    lines = (subject + "\r\n" + field("From")).split("\r\n")
    print("lines_short=%d" % all(len(line) <= 76 for line in lines))
    print("crlf=%d" % (b"\n" not in raw.replace(b"\r\n", b"")))
    print("ascii=%d" % all(b < 128 for b in raw))
    for p in parts:
        print("--" + p.get_content_type() + "--")
        print(p.get_content().replace("\r\n", "\n"), end="")


if __name__ == "__main__":
    main()
