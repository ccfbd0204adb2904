"""Small helpers shared by the sample server's modules.

`Request` is what a route function receives; `Response` is what it returns (a
complete, well-formed HTTP response).  Faults that must misbehave at the socket
level (truncation, resets, slow drips) do not use `Response`: they write to the
handler directly, see faults.py.
"""

import json
from datetime import datetime, timedelta, timezone

SHANGHAI = timezone(timedelta(hours=8))     # Asia/Shanghai: UTC+8, no DST


class BadRequest(Exception):
    """Raised by route code for malformed input; the server answers 400."""


class Request:
    """One parsed HTTP request.

    query maps each parameter to its FIRST value (decoded as UTF-8; an
    undecodable query is rejected with 400 before routing).  headers is the
    email.message.Message from http.server (case-insensitive get()).
    """

    def __init__(self, method, path, raw_query, query, headers, body, state):
        self.method = method
        self.path = path
        self.raw_query = raw_query
        self.query = query
        self.headers = headers
        self.body = body
        self.state = state

    def arg(self, name, default=None):
        return self.query.get(name, default)

    def int_arg(self, name, default=None, lo=None, hi=None):
        """An integer query parameter; missing -> default, malformed -> BadRequest."""
        v = self.query.get(name)
        if v is None or v == "":
            if default is None:
                raise BadRequest("missing parameter %s" % name)
            return default
        try:
            n = int(v, 10)
        except ValueError:
            raise BadRequest("parameter %s is not an integer" % name)
        if (lo is not None and n < lo) or (hi is not None and n > hi):
            raise BadRequest("parameter %s out of range" % name)
        return n

    def header(self, name, default=None):
        return self.headers.get(name, default)


class Response:
    """A complete HTTP response.

    last_modified (unix seconds) turns on validators: the server adds ETag
    (derived from the body) and Last-Modified, and answers 304 to a matching
    If-None-Match / If-Modified-Since.  compress=False keeps the body as is even
    when the client accepts gzip.
    """

    def __init__(self, status=200, body=b"", ctype="text/html; charset=utf-8",
                 headers=None, last_modified=None, compress=True):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.status = status
        self.body = body
        self.ctype = ctype
        self.headers = list(headers or [])
        self.last_modified = last_modified
        self.compress = compress


def dumps_compact(obj, ensure_ascii=False, sort_keys=False):
    return json.dumps(obj, ensure_ascii=ensure_ascii, sort_keys=sort_keys,
                      separators=(",", ":"))


def json_response(obj, status=200, sort_keys=False, headers=None,
                  ctype="application/json; charset=utf-8"):
    return Response(status, dumps_compact(obj, sort_keys=sort_keys), ctype, headers)


def html_response(text, status=200, charset="utf-8", **kw):
    return Response(status, text.encode(charset), "text/html; charset=%s" % charset, **kw)


def text_response(text, status=200):
    return Response(status, text, "text/plain; charset=utf-8")


def parse_iso(s, what):
    """ISO 8601 -> unix seconds (float).  A value without an offset is taken as
    Asia/Shanghai time, like every time the real sites print."""
    try:
        dt = datetime.fromisoformat(s)
    except (TypeError, ValueError):
        raise ValueError("%s: not an ISO 8601 time: %r" % (what, s))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=SHANGHAI)
    return dt.timestamp()


def iso_utc(ts):
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def cst(ts):
    """unix seconds -> aware datetime in Asia/Shanghai."""
    return datetime.fromtimestamp(ts, SHANGHAI)


def html_escape(s):
    """Escape text for HTML element content / attribute values."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
