#!/usr/bin/env python3
"""kmrep loopback sample server: 黑猫投诉, 聚投诉, the MIIT ICP registry and 卡盟
home pages, imitated in their real formats on one 127.0.0.1 port.

Used by the C fetch/CLI test suites and by the README demo.  Python 3.11
standard library only.

    python3 tests/server/sample_server.py --world FILE [--port 0]
            [--bind 127.0.0.1] [--port-file PATH] [--log-file PATH]

It listens on 127.0.0.1 only (any other --bind is refused), writes the port
to --port-file atomically (tmp + rename; digits and a newline) and prints
"listening on 127.0.0.1:PORT".  SIGTERM/SIGINT end it cleanly.  --log-file
gets one access-log line per request.

Paths (all on the one port)
---------------------------
黑猫 (research/complaint-sources.md §1), module heimao.py:
  GET /api/company/search?keywords=K              anonymous, unsigned
  GET /api/company/received_complaints?couid&type&page_size&page&ts&rs&signature
                                                  signed + login cookie
  GET /api/index/s?keywords&page_size&page&ts&rs&signature   signed + cookie
  GET /api/index/feed?type&page_size&page&ts&rs&signature    signed, anonymous
      (all four: JSONP with &callback=; page size is always 10)
  GET /complaint/view/{sn}/?sld=…                 detail page (ETag/304)
  GET /company/view/?couid=N                      merchant page
  GET /                                           home page
聚投诉 (research/complaint-sources.md §2), module jutousu.py; JSON is
application/json;charset=UTF-8, errors are {"code":400,"msg":…} with HTTP 400:
  GET /front/api/search/searchPostList.do?pageNo=N&title=KW&listType=1
      anonymous; {"postList":[{id (number),title,shortTopic,username,ctime
      (unix s)}],"pageNo":N}; title/topic/merchantname contain KW (plain
      substring), newest first, 10 a page, [] past the end; bad pageNo or
      missing title -> 400 参数错误
  GET /json/merchantPostList/merchantId/MID/listType/1/pageNo/N/offset/OFFSET
      login cookie needed, else HTTP 200 HTML login page (登录聚投诉);
      {"offset":cursor,"postList":[{id,title,shortTopic,shuqiu,ctime}]},
      10 a page newest first; page 1 has an empty OFFSET (path ends
      "/offset/"), page N>1 must carry page N-1's offset (else 400
      offset无效); a full page's offset is sha1("MID:last id")[:24], a short
      or empty page (the end) has offset ""; unknown MID -> {"offset":"",
      "postList":[]}
  GET /tousu/show/id/ID                           complaint page: <title>, <h1>,
      <input type="hidden" id="postKeyValue" value=KEY> (ETag/304); 404 if unknown
  GET /front/api/post/getPostContent.do?postKey=KEY   anonymous;
      {"post":{id,title,ctimeStr (Shanghai),merchantname,problemLabelList:
      [{name}],shuqiu,topic (HTML),username}}; unknown key -> {"post":null,
      "msg":"帖子不存在"}
  GET /merchant/show/id/MID                       merchant page; 404 if unknown
MIIT (research/icp-sources.md §2), module icp.py, all POST:
  /icpproject_query/api/auth                      form authKey, timeStamp
  /icpproject_query/api/auth/refresh?refreshToken (GET)
  /icpproject_query/api/icpAbbreviateInfo/queryByCondition
  /icpproject_query/api/icpAbbreviateInfo/queryDetailByServiceIdAndDomainId
  /icpproject_query/api/image/getCheckImagePoint
  /icpproject_query/api/image/checkImage
Platform home pages, module icp.py:
  GET /site/{domain}/                             (ETag/304; 404 if unknown)
Faults (module faults.py lists every kind and its params):
  GET /_fault/KIND?param=value…
Control (JSON):
  POST /_control/fault   {"path_prefix":"/api/…", "query_contains":"couid=1"?,
                          "method":"GET"?, "kind":"456", "times":2?, "params":{}?}
                          -> {"ok":true,"id":N}; matching requests get the
                          fault, `times` times (default: forever)
  GET  /_control/faults  the active rules, with "left" counts
  POST /_control/reset   clear all fault rules (world ones too) and the log,
                          and put the ICP switches back to the world's values
  GET  /_control/log     [{t, method, path, query, status, fault, headers:{
                          cookie, cookie_ok, jts_cookie_ok, token, if_none_match,
                          if_modified_since, user_agent, accept_encoding,
                          referer, content_type}}]  (no cookie values)
  GET  /_control/info    {now, now_epoch, world, cookie, jts_cookie, port}
  POST /_control/icp     {"require_captcha":true, "token_ttl_queries":2, …}
                          change the world's ICP switches at run time
  GET  /_control/captcha?uuid=U   {"gap": x} of a live slider challenge
Gzip: any normal response over 1 KiB is gzipped when the request says
Accept-Encoding: gzip.  Malformed parameters get HTTP 400 (JSON envelope
code 10001 on /api/, MIIT body code 400 on the MIIT paths, {"code":400,
"msg":"参数错误"} on 聚投诉's /front/api/ and /json/).

World file (JSON)
-----------------
{
  "description": "free text",
  "now": "2026-11-21T00:00:00Z",     optional; default: the real time at start
  "seed": 1,                         optional; seeds every random choice
  "heimao": {
    "cookie": "SUB=_2AkMtestcookie", a request is logged in when one of its
                                     Cookie headers contains this string
    "merchants": [{"couid": "7301845520", "title": "启慧卡盟"}],
    "complaints": [{
      "sn": "17390012345",           string of digits (11 in practice)
      "couid": "7301845520",         the merchant complained about
      "cotitle": "…",                optional; default: the merchant's title
      "title": "…", "summary": "…",  may contain HTML; summary is the full
                                     text (lists truncate it at 445 bytes + ...)
      "issue": "…", "appeal": "…",   optional (default "")
      "service": "…",                optional 使用服务 (omitted from the page when absent)
      "cost": "100",                 optional STRING; absent -> no "cost" key
      "status": 7,                   int, sent as is (1,3,4,6,7,8; others allowed)
      "status_label": "…",           optional page text for 投诉进度
      "filed": "2025-01-02T10:00:00+08:00"  or  "age_days": 3.5  (before now)
      "author": "昵称" | null,       null -> author has no "title"
      "author_uid": "5…",            optional; default derived from the nickname
      "evaluate_u": {"attitude":5,"process":4,"satisfaction":5,"evalContent":"…"},
      "sld": "32 hex",               optional; absent -> no ?sld= and any sld works
      "private": false,              true -> 当前投诉单只允许本人查看
      "unsettled": false,            true -> 投诉对象 carries 商家只有入驻… notice
      "posted_style": "dash"|"cn",   发布于 YYYY-MM-DD HH:MM or YYYY年MM月DD日 HH:MM
      "upvote_amount", "share_amount", "comment_amount": ints, "comment_id": str,
      "field": 114,                  industry id on feed items
      "timeline": [                  optional; default 发起投诉 + 审核通过
        {"actor": "user"|"merchant"|"platform", "name": "…" (optional),
         "event": "发起投诉"|"审核通过"|"商家处理中"|"回复"|"申请完成投诉"|
                  "确认完成"|"自动完成"|"评价"|…,
         "at": ISO | "age_days": d | "after_days": d (after filing),
         "text": "…" (发起投诉 defaults to the summary),
         "stars": [5,4,5]}           评价 only: 服务态度, 处理速度, 满意度
      ]}]                            steps later than `now` are dropped
  },
  "icp": {
    "require_captcha": false,        queries need live uuid+sign headers; challenges
                                     are drawn by slider_gen.py, answers within 5 px
                                     pass, a uuid is checked once
    "token_ttl_queries": 0,          >0: a token dies after N queries
    "token_ttl_seconds": 300,        token lifetime (wall clock)
    "sign_ttl_seconds": 60,          captcha sign lifetime
    "require_compact_json": true,    JSON bodies with whitespace -> 403 WAF
    "records": [{"domain","domainId","mainId","serviceId","unitName",
                 "natureName","mainLicence","serviceLicence","limitAccess",
                 "updateRecordTime","contentTypeName","leaderName",
                 "homeUrl"?, "serviceName"?}]   (detail endpoint only)
  },
  "jutousu": {
    "cookie": "jutous_session_id=…", a request is logged in when one of its
                                     Cookie headers contains this string
    "merchants": [{"id": "2352", "name": "功夫贷"}],
    "complaints": [{
      "id": "1445489",               string of digits (sent as a JSON number)
      "merchant": "2352",            optional; a complaint whose merchant is
                                     absent or not in merchants is found only
                                     by keyword search (merchantname required)
      "merchantname": "…",           optional; default: the merchant's name
      "title": "…",
      "topic": "…",                  full text, may contain HTML; the detail
                                     sends it as HTML: outside tags '"' ->
                                     &quot;, newline -> <br>, runs of 2+ spaces
                                     -> &nbsp; each
      "short_topic": "…",            optional; default: topic without tags,
                                     cut to 60 characters + "..." when longer
      "shuqiu": "停止骚扰,道歉",     optional 诉求, comma-joined (default "")
      "labels": ["高利贷"],          optional problemLabelList names
      "username": "…",
      "filed": ISO  or  "age_days": d,
      "post_key": "24 hex"           optional; default sha1(id)[:24]
    }]
  },
  "sites": {"qihui-km.com": {"title": "…", "meta_icp": "…"?, "body": "html"?,
            "footer": "html", "charset": "utf-8"|"gbk", "status": 200,
            "age_days"|"at": last-modified time (optional)}},
  "faults": [ same objects as POST /_control/fault ]
}
"""

import argparse
import collections
import email.utils
import gzip
import hashlib
import json
import os
import random
import signal
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import faults
import heimao
import icp
import jutousu
from common import BadRequest, Request, Response, dumps_compact, iso_utc
from world import WorldError, load_world

MAX_BODY = 8 * 1024 * 1024


class State:
    """Everything the handlers share.  `lock` guards rules and log."""

    def __init__(self, world, log_path=None):
        self.world = world
        self.miit = icp.MiitSessions(world, random.Random(world.seed))
        self.lock = threading.Lock()
        self.rules = []
        self.next_id = 1
        self.log = collections.deque(maxlen=50000)
        self.log_fh = open(log_path, "a", encoding="utf-8") if log_path else None
        self.port = None
        self.icp_defaults = {k: v for k, v in world.icp.items() if k != "records"}
        for i, f in enumerate(world.faults):
            err = self.add_rule(f)
            if isinstance(err, str):
                raise WorldError("faults[%d]: %s" % (i, err))

    def add_rule(self, spec):
        """Validate and add a fault rule; returns its id or an error string."""
        if not isinstance(spec, dict):
            return "a fault rule must be an object"
        kind = spec.get("kind")
        params = spec.get("params", {})
        if not isinstance(kind, str) or not isinstance(params, dict):
            return "kind (string) and params (object) expected"
        fn, params = faults.resolve(kind, params)
        if fn is None:
            return "unknown fault kind %r" % kind
        times = spec.get("times")
        if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
            return "times must be a positive integer"
        for key in ("path_prefix", "query_contains", "method"):
            if spec.get(key) is not None and not isinstance(spec[key], str):
                return key + " must be a string"
        with self.lock:
            rule = {"id": self.next_id, "path_prefix": spec.get("path_prefix") or "/",
                    "query_contains": spec.get("query_contains"), "method": spec.get("method"),
                    "kind": kind, "params": spec.get("params", {}), "left": times,
                    "_fn": fn, "_params": params}
            self.next_id += 1
            self.rules.append(rule)
        return rule["id"]

    def match_rule(self, req):
        """The first rule matching req (its count used up by one), or None."""
        with self.lock:
            for rule in self.rules:
                if not req.path.startswith(rule["path_prefix"]):
                    continue
                if rule["method"] and rule["method"].upper() != req.method:
                    continue
                qc = rule["query_contains"]
                if qc and qc not in req.raw_query and qc not in unquote(req.raw_query):
                    continue
                if rule["left"] is not None:
                    rule["left"] -= 1
                    if rule["left"] == 0:
                        self.rules.remove(rule)
                return rule
        return None


def accepts_gzip(req):
    """True when Accept-Encoding lists gzip (or *) with a non-zero q."""
    for part in (req.header("Accept-Encoding") or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if fields[0].lower() in ("gzip", "x-gzip", "*") and q > 0:
            return True
    return False


def not_modified(req, etag, last_modified):
    inm = req.header("If-None-Match")
    if inm is not None:
        tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
        return "*" in tags or etag in tags
    ims = req.header("If-Modified-Since")
    if ims:
        try:
            return int(last_modified) <= email.utils.parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
    return False


def bad_request(path, msg):
    if path.startswith("/api/"):
        return Response(400, dumps_compact(heimao.envelope(None, heimao.CODE_BAD_PARAM)),
                        "application/json; charset=utf-8")
    if path.startswith(icp.BASE):
        return icp.miit_json(icp.BAD_PARAMS, 400)
    if jutousu.is_jts_api(path):
        return jutousu.jts_json(jutousu.BAD_PARAM, 400)
    return Response(400, "400 Bad Request: %s\n" % msg, "text/plain; charset=utf-8")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes: with Nagle's algorithm the
    # body waits for the client's delayed ACK of the headers, 40 ms a
    # request on loopback (most of the CLI suite's time).  The slow-drip and
    # truncation faults still control their own pacing.
    disable_nagle_algorithm = True
    timeout = 30                 # idle keep-alive connections and stuck writes end

    def version_string(self):
        return "nginx"

    def do_GET(self):
        self.handle_one()

    do_POST = do_HEAD = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_GET

    def send_response(self, code, message=None):
        self._status = code
        super().send_response(code, message)

    def log_request(self, code="-", size="-"):
        pass                     # record() writes the access log line

    def log_message(self, fmt, *args):
        fh = self.server.state.log_fh
        if fh:
            with self.server.state.lock:
                fh.write("%s %s\n" % (iso_utc(time.time()), fmt % args))
                fh.flush()

    # -- one request ---------------------------------------------------------

    def handle_one(self):
        state = self.server.state
        self._status = None
        self._pending_record, self._recorded = None, False
        t0 = time.time()
        split = urlsplit(self.path)
        path, raw_query = split.path or "/", split.query
        req, fault_kind = None, None
        try:
            body = self.read_body()
            try:
                q = parse_qs(raw_query, keep_blank_values=True, encoding="utf-8", errors="strict")
            except (UnicodeDecodeError, ValueError):
                raise BadRequest("query is not valid UTF-8")
            req = Request(self.command, path, raw_query, {k: v[0] for k, v in q.items()},
                          self.headers, body, state)
            resp, fault_kind = self.dispatch(req)
            if resp is not None:
                # Logged just before its answer goes out, so a client that
                # has its answer finds it in the log, in the order answered.
                if not path.startswith("/_control/"):
                    self._pending_record = (t0, path, raw_query, fault_kind)
                self.send(req, resp)
        except BadRequest as e:
            self.close_connection = True
            self.send(req, bad_request(path, str(e)))
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True
        except Exception:
            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            if self._status is None:
                try:
                    self.send(req, Response(500, "500 Internal Server Error\n", "text/plain"))
                except OSError:
                    pass
        finally:
            if self._pending_record is not None:
                self.record(*self._pending_record)
            elif not self._recorded and not path.startswith("/_control/"):
                # Answers a fault writes itself (drips, truncations) are
                # logged when they end.
                self.record(t0, path, raw_query, fault_kind)

    def read_body(self):
        if (self.headers.get("Transfer-Encoding") or "").lower() == "chunked":
            raise BadRequest("chunked request bodies are not supported")
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise BadRequest("bad Content-Length")
        if n < 0 or n > MAX_BODY:
            raise BadRequest("body too large")
        return self.rfile.read(n) if n else b""

    def dispatch(self, req):
        """(Response or None, fault kind or None)."""
        if req.path.startswith("/_control/"):
            return control(req), None
        if req.path.startswith("/_fault/"):
            kind = req.path[len("/_fault/"):].strip("/")
            fn, params = faults.resolve(kind, req.query)
            if fn is None:
                return Response(404, "unknown fault kind %s\n" % kind, "text/plain; charset=utf-8"), None
            return fn(self, req, params), kind
        rule = req.state.match_rule(req)
        if rule is not None:
            resp = rule["_fn"](self, req, rule["_params"])
            if resp is not faults.PASS:
                return resp, rule["kind"]
        resp = heimao.route(req) or icp.route(req) or jutousu.route(req)
        if resp is None:
            resp = Response(404, "<html><head><title>404 Not Found</title></head><body><center>"
                                 "<h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>\n")
        return resp, (rule["kind"] if rule else None)

    def send(self, req, resp):
        status, body, headers = resp.status, resp.body, list(resp.headers)
        if resp.last_modified is not None and status == 200:
            etag = '"%s"' % hashlib.sha1(body).hexdigest()[:20]
            headers += [("ETag", etag), ("Last-Modified", email.utils.formatdate(resp.last_modified, usegmt=True))]
            if req is not None and not_modified(req, etag, resp.last_modified):
                status, body = 304, b""
        if resp.compress:
            headers.append(("Vary", "Accept-Encoding"))
            if status != 304 and len(body) > 1024 and req is not None and accepts_gzip(req):
                body = gzip.compress(body, mtime=0)
                headers.append(("Content-Encoding", "gzip"))
        self.send_response(status)
        if resp.ctype and status != 304:
            self.send_header("Content-Type", resp.ctype)
        for k, v in headers:
            self.send_header(k, v)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        if self._pending_record is not None:
            self.record(*self._pending_record)
            self._pending_record, self._recorded = None, True
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)
        self.wfile.flush()

    def record(self, t0, path, raw_query, fault_kind):
        h = self.headers
        state = self.server.state
        if h is None:
            return
        cookies = h.get_all("Cookie") or []
        entry = {
            "t": t0, "method": self.command, "path": path, "query": raw_query,
            "status": self._status, "fault": fault_kind,
            "headers": {
                "cookie": bool(cookies),
                "cookie_ok": any(state.world.cookie in c for c in cookies),
                "jts_cookie_ok": any(state.world.jts_cookie in c for c in cookies),
                "token": h.get("token") is not None,
                "if_none_match": h.get("If-None-Match"),
                "if_modified_since": h.get("If-Modified-Since"),
                "user_agent": h.get("User-Agent"),
                "accept_encoding": h.get("Accept-Encoding"),
                "referer": h.get("Referer"),
                "content_type": h.get("Content-Type"),
            },
        }
        with state.lock:
            state.log.append(entry)
        if state.log_fh:
            self.log_message('"%s %s%s" %s%s', self.command, path, "?" + raw_query if raw_query else "",
                             self._status, " fault=" + fault_kind if fault_kind else "")


# -- control API ------------------------------------------------------------------

def control(req):
    state = req.state
    what = req.path[len("/_control/"):].strip("/")

    def reply(obj, status=200):
        return Response(status, dumps_compact(obj), "application/json; charset=utf-8", compress=False)

    if what == "fault" and req.method == "POST":
        try:
            spec = json.loads(req.body.decode("utf-8") or "null")
        except (UnicodeDecodeError, ValueError):
            return reply({"ok": False, "error": "body must be JSON"}, 400)
        rid = state.add_rule(spec)
        if isinstance(rid, str):
            return reply({"ok": False, "error": rid}, 400)
        return reply({"ok": True, "id": rid})
    if what == "faults" and req.method == "GET":
        with state.lock:
            rules = [{k: v for k, v in r.items() if not k.startswith("_")} for r in state.rules]
        return reply(rules)
    if what == "reset" and req.method == "POST":
        with state.lock:
            state.rules.clear()
            state.log.clear()
            state.world.icp.update(state.icp_defaults)
        return reply({"ok": True})
    if what == "log" and req.method == "GET":
        with state.lock:
            return reply(list(state.log))
    if what == "info" and req.method == "GET":
        w = state.world
        return reply({"now": w.now_iso, "now_epoch": w.now, "world": w.path, "cookie": w.cookie,
                      "jts_cookie": w.jts_cookie, "port": state.port})
    if what == "icp" and req.method == "POST":
        try:
            switches = json.loads(req.body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):
            return reply({"ok": False, "error": "body must be JSON"}, 400)
        icp_cfg = state.world.icp
        for k, v in (switches.items() if isinstance(switches, dict) else [(None, None)]):
            if k not in icp_cfg or k == "records" or type(v) is not type(icp_cfg[k]):
                return reply({"ok": False, "error": "unknown switch or wrong type: %r" % k}, 400)
        icp_cfg.update(switches)
        return reply({"ok": True, "icp": {k: v for k, v in icp_cfg.items() if k != "records"}})
    if what == "captcha" and req.method == "GET":
        gap = icp.captcha_gap(state, req.arg("uuid") or "")
        return reply({"gap": gap}, 200 if gap is not None else 404)
    return reply({"ok": False, "error": "unknown control call"}, 404)


# -- main ------------------------------------------------------------------------------

class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64


def write_port_file(path, port):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description="kmrep loopback sample server (黑猫, 聚投诉, MIIT ICP, 卡盟 sites)")
    ap.add_argument("--world", required=True, help="world file (JSON); schema in this file's docstring")
    ap.add_argument("--port", type=int, default=0, help="TCP port; 0 = ephemeral (default)")
    ap.add_argument("--bind", default="127.0.0.1", help="must be 127.0.0.1")
    ap.add_argument("--port-file", help="write the chosen port here (atomically)")
    ap.add_argument("--log-file", help="append an access log here")
    args = ap.parse_args(argv)
    if args.bind != "127.0.0.1":
        ap.error("--bind: this server only ever listens on 127.0.0.1")
    try:
        state = State(load_world(args.world), args.log_file)
    except WorldError as e:
        print("sample_server: bad world: %s" % e, file=sys.stderr)
        return 2
    try:
        server = Server(("127.0.0.1", args.port), Handler)
    except OSError as e:
        print("sample_server: cannot listen on 127.0.0.1:%d: %s" % (args.port, e.strerror), file=sys.stderr)
        return 1
    server.state = state
    state.port = server.server_address[1]

    def stop(signum, frame):
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    if args.port_file:
        write_port_file(args.port_file, state.port)
    print("listening on 127.0.0.1:%d" % state.port, flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except SystemExit:
        pass
    finally:
        server.server_close()
        if state.log_fh:
            state.log_fh.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
