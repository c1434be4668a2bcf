#!/usr/bin/python3
"""A real SMTP server on loopback for the e-mail handler's tests (aiosmtpd).

Binds 127.0.0.1 on a port the OS picks, writes the port (and a newline) to
--port-file once it is serving, and ends itself after --lifetime seconds.
Each accepted message is stored in --maildir as N.eml (the bytes as
received, CRLF line ends) with N.env beside it: a JSON object holding the
envelope (mail_from, rcpt_tos) and how the session went (tls, auth).

  --tls-cert/--tls-key  offer STARTTLS and refuse MAIL before it (530);
                        with --smtps the same pair is used for implicit TLS
  --auth USER:PASS      accept AUTH PLAIN/LOGIN with exactly these, 535
                        otherwise (over TLS only when TLS is configured)
  --mode ok             deliver
         reject_rcpt    550 on RCPT
         reject_data    450 on the DATA command
         reject_message 554 after the message (as a content filter does)
         hang           accept TCP connections and never say a word
"""
import argparse
import json
import logging
import os
import socket
import ssl
import threading
import time

MODES = ("ok", "reject_rcpt", "reject_data", "reject_message", "hang")


def free_port():
    # aiosmtpd's Controller wants a port number up front; let the OS pick.
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def write_port(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def serve_hang(args):
    """Accept and hold connections without a greeting, for timeout tests."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    write_port(args.port_file, srv.getsockname()[1])
    held = []
    while True:
        conn, _ = srv.accept()
        held.append(conn)


class Handler:
    def __init__(self, args):
        self.args = args
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        if self.args.mode == "reject_rcpt":
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.args.mode == "reject_message":
            return "554 5.7.1 message refused by content filter"
        if self.args.maildir:
            with self.lock:
                self.count += 1
                n = self.count
            base = os.path.join(self.args.maildir, str(n))
            meta = {
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                # session.ssl is set by STARTTLS only; smtps shows in the
                # transport.
                "tls": (session.ssl is not None or
                        server.transport.get_extra_info("sslcontext")
                        is not None),
                "auth": bool(session.authenticated),
            }
            with open(base + ".eml.tmp", "wb") as f:
                f.write(envelope.original_content)
            with open(base + ".env", "w") as f:
                json.dump(meta, f)
            # The .eml appears last, whole: the test waits for nothing.
            os.replace(base + ".eml.tmp", base + ".eml")
        return "250 OK message accepted"


def make_authenticator(userpass):
    from aiosmtpd.smtp import AuthResult, LoginPassword
    user, _, password = userpass.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and
              auth_data.login == user.encode() and
              auth_data.password == password.encode())
        # handled=False: aiosmtpd itself answers 235 or 535.
        return AuthResult(success=ok, handled=False)
    return authenticate


def serve_smtp(args):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    class RefuseData(SMTP):
        # aiosmtpd's DATA hook runs after the message; refuse the command.
        async def smtp_DATA(self, arg):
            await self.push("450 4.3.0 try again later")

    class Ctl(Controller):
        def factory(self):
            if args.mode == "reject_data":
                return RefuseData(self.handler, **self.SMTP_kwargs)
            return super().factory()

    # aiosmtpd logs a deprecation warning on every AUTH and a traceback for
    # every failed TLS handshake (the untrusted-certificate tests).
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)

    ctx = None
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
    kw = {"server_hostname": "smtp.test", "ready_timeout": 10.0}
    if ctx is not None and args.smtps:
        kw["ssl_context"] = ctx
    elif ctx is not None:
        kw["tls_context"] = ctx
        kw["require_starttls"] = True
    if args.auth:
        kw["authenticator"] = make_authenticator(args.auth)
        kw["auth_require_tls"] = ctx is not None
        kw["auth_exclude_mechanism"] = []
    port = free_port()
    ctl = Ctl(Handler(args), hostname="127.0.0.1", port=port, **kw)
    ctl.start()
    write_port(args.port_file, port)
    while True:
        time.sleep(3600)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--maildir", default=None)
    ap.add_argument("--tls-cert", default=None)
    ap.add_argument("--tls-key", default=None)
    ap.add_argument("--smtps", action="store_true")
    ap.add_argument("--auth", default=None, metavar="USER:PASS")
    ap.add_argument("--mode", default="ok", choices=MODES)
    ap.add_argument("--lifetime", type=float, default=120.0)
    args = ap.parse_args()
    if args.smtps and not args.tls_cert:
        ap.error("--smtps needs --tls-cert and --tls-key")
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    try:
        if args.mode == "hang":
            serve_hang(args)
        else:
            serve_smtp(args)
    except KeyboardInterrupt:
        pass
    os._exit(0)


if __name__ == "__main__":
    main()
