#!/usr/bin/python3
"""Shared plumbing of the fake provider servers in tests/servers/.

Each server binds 127.0.0.1 on a port the OS picks, writes that port (and a
newline) to --port-file, records every request as one JSON line in --log,
and ends itself after --lifetime seconds so a failed test never leaves a
listener behind.  --mode picks the behaviour under test (ok, an error the
provider documents, or a fault: hang, slow, malformed, truncated...).

A server module defines handle(req) -> (status, headers, body) or None to
drop the connection; req has method, path, query (dict of lists), form
(dict of lists, for form bodies), headers, body (bytes) and mode.
"""
import argparse
import base64
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Request:
    def __init__(self, method, path, query, headers, body, mode, state):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.mode = mode
        self.state = state  # dict shared across requests of one server
        ctype = headers.get("Content-Type", "")
        self.form = {}
        if ctype.startswith("application/x-www-form-urlencoded"):
            self.form = urllib.parse.parse_qs(body.decode("utf-8", "replace"),
                                              keep_blank_values=True)

    def basic_auth(self):
        """(user, password) of an HTTP Basic header, or None."""
        h = self.headers.get("Authorization", "")
        if not h.startswith("Basic "):
            return None
        try:
            user, _, pw = base64.b64decode(h[6:]).decode().partition(":")
        except Exception:
            return None
        return user, pw

    def one(self, name, source=None):
        """The single value of a form (or query) field, or None."""
        vals = (source if source is not None else self.form).get(name)
        return vals[0] if vals and len(vals) == 1 else None


def json_body(obj):
    return json.dumps(obj).encode()


def serve(handle, extra_args=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", default=None)
    ap.add_argument("--mode", default="ok")
    ap.add_argument("--lifetime", type=float, default=120.0)
    ap.add_argument("--tls-cert", default=None)
    ap.add_argument("--tls-key", default=None)
    for a in extra_args or []:
        ap.add_argument(a[0], **a[1])
    args = ap.parse_args()
    state = {"args": args}
    lock = threading.Lock()

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *a):
            pass

        def _do(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            u = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(u.query, keep_blank_values=True)
            req = Request(self.command, u.path, query, self.headers, body,
                          args.mode, state)
            if args.log:
                with lock, open(args.log, "a") as f:
                    f.write(json.dumps({
                        "method": self.command, "path": u.path,
                        "raw_query": u.query, "query": query,
                        "headers": dict(self.headers.items()),
                        "body": body.decode("utf-8", "replace")}) + "\n")
            with lock:
                out = handle(req)
            if out is None:      # drop the connection without an answer
                self.close_connection = True
                return
            status, headers, payload = out
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()

        do_GET = _do
        do_POST = _do

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    srv.daemon_threads = True
    if args.tls_cert:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.replace(tmp, args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)
