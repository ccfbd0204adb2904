"""The bad days: every fault kind the server can produce.

A fault runs either directly (GET /_fault/KIND?params) or in place of a
normal answer when a rule from POST /_control/fault (or the world's "faults")
matches the request.  Each kind is one function

    kind(h, req, params) -> Response | None | PASS

Response is sent normally; None means the function already wrote (and
usually broke) the connection itself through the handler `h`; PASS (only
`delay`) means "carry on and serve the request normally".  params values may be
strings (from a query string) or JSON numbers; num() accepts both.

Kinds and params (defaults in brackets):
  status        HTTP params.code [500] with a plausible body (456 is a short
                HTML block page); params.body overrides; params.retry_after
  429           HTTP 429 with Retry-After: params.retry_after [1]
  login_html    200 <!doctype html> login page (请先登录, passport.sina, 微博)
  code          200 黑猫 envelope with params.code [10005] and params.msg
                (known codes get their usual text); JSONP when ?callback=
  drift         200 envelope, code 0, data of an unknown shape ({"items_v2":…})
  html_drift    200 complaint page with a totally different layout
  empty         200 with a zero-length body
  truncated     Content-Length promises the whole body, params.bytes [half]
                are sent, then the connection closes (FIN)
  reset         headers + params.bytes [half] of the body, then RST (SO_LINGER 0)
  slow          headers at once, then the body in params.seconds/params.interval
                small pieces, one every params.interval s [1] for params.seconds
                [20] (capped at 600), then done; the body is valid JSON
  oversized     params.mib [20] MiB of valid-looking list JSON (exact
                Content-Length, streamed)
  gzip_bomb     Content-Encoding: gzip, ~1/1000 of params.mib [100] MiB of
                spaces once inflated (built once per size, cached)
  redirect_file 302 Location: file:///etc/passwd
  redirect_loop 302 to the very same URL
  redirect_ok   302 to params.to [/_fault/echo] (relative)
  invalid_utf8  200 envelope whose title has invalid UTF-8 bytes
  escapes       200 list page of one complaint (params.sn [17391234599],
                params.timestamp [1790000000]) whose title, merchant name
                (cotitle), summary and URL carry terminal escapes: ESC ]0;x BEL,
                ESC [2J, CR, BS, U+009B, U+202E, U+2066 (HOSTILE)
  waf403        HTTP 403 with the 创宇盾 (365cyd) block page
  icp_500       MIIT {"success":false,"code":500,"msg":"服务器异常"}
  icp_429       MIIT rate-limit body (code 429, HTTP 200)
  icp_token_expired  MIIT {"success":false,"code":401,"msg":"token过期,…"}
  gbk           a GBK-encoded home page with an ICP footer; params.number
                [粤ICP备2021123456号-1]; params.declare both|meta|header [both]
  etag          200 with ETag "v1" (params.etag), 304 on a matching If-None-Match
  echo          200 JSON of the request line and headers (tests check UA, Cookie…)
  delay         sleep params.seconds [2] (capped at 600); as a rule it then
                serves the request normally, at /_fault/delay a small JSON
聚投诉 kinds (jutousu.py; as rules use path_prefix /json/merchantPostList/,
/front/api/search/, /front/api/post/, /tousu/show/ …):
  jts_login     200 text/html login page containing 登录聚投诉
  jts_cursor_repeat  a valid, full merchant-list page (the merchant's first
                10 complaints, padded with synthetic ones) whose offset is the
                offset it was asked with, or on page 1 (empty offset) always
                the same cursor: a naive client asks for it forever
  jts_empty     {"offset":params.offset ["x"],"postList":[]} while the list
                is not at its end
  jts_drift     200 JSON with the fields renamed: {"data":{"posts":[{"postId",
                "subject","content","createdAt"}]},"cursor":…}
  jts_html_error  200 text/html 系统繁忙 error page
  jts_slow      like slow (params.seconds, params.interval) but the body is a
                valid 聚投诉 body: what the request would get from the world
                when that is JSON, else a one-item search list
  jts_escapes   a valid body whose title, topic/shortTopic, merchantname and
                username carry HOSTILE: a detail on getPostContent.do, a
                merchant list on /json/merchantPostList/, else a search list;
                params.id [2999999] is the complaint id
"""

import json
import socket
import struct
import threading
import time
import zlib

import heimao
import icp
import jutousu
from common import Response, dumps_compact

PASS = object()
MiB = 1024 * 1024


def num(params, key, default, lo=None, hi=None):
    """A numeric param (string or number); bad values fall back to default."""
    try:
        v = float(params.get(key, default))
    except (TypeError, ValueError):
        v = float(default)
    if lo is not None:
        v = max(lo, v)
    if hi is not None:
        v = min(hi, v)
    return v


def _html(text, status=200, charset="utf-8", headers=None):
    return Response(status, text.encode(charset), "text/html; charset=%s" % charset, headers)


def _sample_json():
    """A realistic received_complaints body (~2 KiB) used by the transport faults."""
    items = []
    for i in range(3):
        items.append({"main": {"sn": str(17391234560 + i), "title": "卡密无效，客服不回",
                               "summary": "在平台购买的京东E卡卡密提示已被使用，联系客服一直不回复，要求退款。" * 3,
                               "cotitle": "示例卡盟", "couid": "7300000001", "appeal": "退款",
                               "issue": "卡密无效", "cost": "100", "status": 4,
                               "timestamp": str(1790000000 + i), "url": "//tousu.sina.com.cn/complaint/view/%d/" % (17391234560 + i)},
                      "author": {"title": "示例用户", "wb_profile": "//weibo.com/u/5000000001"}})
    return dumps_compact(heimao.envelope({"complaints": items, "pager": {
        "current": 1, "next": 0, "page_amount": 1, "item_count": 3}})).encode()


def _raw_head(h, status, headers):
    h.send_response(status)
    for k, v in headers:
        h.send_header(k, v)
    h.end_headers()
    h.wfile.flush()


# -- kinds -------------------------------------------------------------------

STATUS_BODIES = {
    # SYNTH: 黑猫's real 456 page was never captured; research §1.8 only says
    # "HTTP 456 = risk-control block".
    456: "<html><head><title>456</title></head><body><h1>访问受限</h1>"
         "<p>您的访问过于频繁，请稍后再试。</p></body></html>\n",
}


def k_status(h, req, p):
    code = int(num(p, "code", 500, 100, 599))
    body = p.get("body")
    if body is None:
        body = STATUS_BODIES.get(code) or (
            "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n"
            "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n" % (code, h.responses.get(code, ("Error",))[0],
                                                                      code, h.responses.get(code, ("Error",))[0]))
    headers = [("Retry-After", str(int(num(p, "retry_after", 0))))] if "retry_after" in p else []
    return _html(str(body), code, headers=headers)


def k_429(h, req, p):
    ra = int(num(p, "retry_after", 1, 0))
    return Response(429, "Too Many Requests\n", "text/plain; charset=utf-8", [("Retry-After", str(ra))])


LOGIN_HTML = """<!doctype html>
<html>
<head><meta charset="utf-8"><title>新浪通行证 - 登录</title>
<script src="https://passport.sina.cn/js/sso/ssologin.js"></script></head>
<body>
<div class="login-box">
<h2>请先登录</h2>
<p>登录后才能查看更多投诉内容</p>
<a class="btn" href="https://passport.sina.cn/signin/signin?entry=tousu&amp;r=https%3A%2F%2Ftousu.sina.com.cn%2F">使用新浪通行证登录</a>
<a class="btn-wb" href="https://api.weibo.com/oauth2/authorize?client_id=tousu">微博账号登录</a>
</div>
</body>
</html>
"""


def k_login_html(h, req, p):
    return _html(LOGIN_HTML)


def k_code(h, req, p):
    code = int(num(p, "code", heimao.CODE_LOGIN))
    return heimao.api_response(req, heimao.envelope(None, code, p.get("msg")))


def k_drift(h, req, p):
    data = {"items_v2": [{"id": "c_17391234567", "headline": "卡密无效", "state": "pending",
                          "created": "2026-11-20T10:00:00+08:00"}], "cursor": "eyJwIjoyfQ"}
    return heimao.api_response(req, heimao.envelope(data))


HTML_DRIFT = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>投诉详情 - 黑猫投诉</title>
<script type="module" src="//n.sinaimg.cn/tousu/v3/assets/index-3f2a9c.js"></script></head>
<body>
<div id="app" data-server-rendered="true">
<main class="cp-detail">
<header class="cp-detail__head"><h2 class="cp-detail__title">卡密无效，客服不回</h2>
<div class="cp-detail__meta"><em>示例用户</em><time datetime="2026-11-20T10:00:00+08:00">11月20日</time></div></header>
<section class="cp-detail__facts"><dl><dt>编号</dt><dd>17391234567</dd><dt>商家</dt><dd>示例卡盟</dd><dt>状态</dt><dd>处理中</dd></dl></section>
<ol class="cp-timeline"><li data-kind="create">用户 发起投诉</li><li data-kind="audit">平台 审核通过</li></ol>
</main>
</div>
</body></html>
"""


def k_html_drift(h, req, p):
    return _html(HTML_DRIFT)


def k_empty(h, req, p):
    return Response(200, b"", "application/json; charset=utf-8", compress=False)


def _partial(h, p, rst):
    body = _sample_json()
    n = int(num(p, "bytes", len(body) // 2, 0, len(body) - 1))
    _raw_head(h, 200, [("Content-Type", "application/json; charset=utf-8"),
                       ("Content-Length", str(len(body)))])
    h.wfile.write(body[:n])
    h.wfile.flush()
    h.close_connection = True
    if rst:
        # SO_LINGER {on, 0 s}: close() sends RST instead of FIN.  rfile holds a
        # reference to the socket, so close it first or close() does nothing.
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.rfile.close()
        h.connection.close()
    return None


def k_truncated(h, req, p):
    return _partial(h, p, rst=False)


def k_reset(h, req, p):
    return _partial(h, p, rst=True)


def k_slow(h, req, p):
    return _drip(h, p, dumps_compact(heimao.envelope({"slow": True})).encode(),
                 "application/json; charset=utf-8")


def _drip(h, p, body, ctype):
    """Send body in params.seconds/params.interval pieces, one per interval."""
    interval = num(p, "interval", 1, 0.01, 60)
    seconds = num(p, "seconds", 20, 0, 600)
    steps = max(1, int(seconds / interval))
    body = b" " * max(0, steps - len(body)) + body           # leading spaces are valid JSON
    per = -(-len(body) // steps)
    _raw_head(h, 200, [("Content-Type", ctype), ("Content-Length", str(len(body)))])
    for i in range(0, len(body), per):
        time.sleep(interval)
        h.wfile.write(body[i:i + per])
        h.wfile.flush()
    return None


def k_oversized(h, req, p):
    size = int(num(p, "mib", 20, 0.001, 4096) * MiB)
    item = dumps_compact(json.loads(_sample_json())["result"]["data"]["complaints"][0]).encode()
    head = b'{"result":{"status":{"code":0,"msg":""},"data":{"complaints":['
    tail = b'],"pager":{"current":1,"next":2,"page_amount":99999,"item_count":999990}}}}'
    n = max(1, (size - len(head) - len(tail)) // (len(item) + 1))
    length = len(head) + n * len(item) + (n - 1) + len(tail)
    _raw_head(h, 200, [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(length))])
    h.wfile.write(head + item)
    block_items = 256
    block = (b"," + item) * block_items
    left = n - 1
    while left > 0:
        k = min(left, block_items)
        h.wfile.write(block if k == block_items else (b"," + item) * k)
        left -= k
    h.wfile.write(tail)
    return None


_bombs = {}
_bomb_lock = threading.Lock()


def gzip_bomb_bytes(mib):
    """gzip of `mib` MiB of spaces (~1000:1), built once per size."""
    with _bomb_lock:
        if mib not in _bombs:
            z = zlib.compressobj(9, zlib.DEFLATED, 31)       # 31 = gzip wrapper
            chunk = b" " * MiB
            out = [z.compress(chunk) for _ in range(mib)]
            out.append(z.flush())
            _bombs[mib] = b"".join(out)
        return _bombs[mib]


def k_gzip_bomb(h, req, p):
    body = gzip_bomb_bytes(int(num(p, "mib", 100, 1, 4096)))
    return Response(200, body, "application/json; charset=utf-8",
                    [("Content-Encoding", "gzip")], compress=False)


def _redirect(location):
    return Response(302, "", "text/html; charset=utf-8", [("Location", location)])


def k_redirect_file(h, req, p):
    return _redirect("file:///etc/passwd")


def k_redirect_loop(h, req, p):
    return _redirect(req.path + ("?" + req.raw_query if req.raw_query else ""))


def k_redirect_ok(h, req, p):
    return _redirect(str(p.get("to", "/_fault/echo")))


def k_invalid_utf8(h, req, p):
    # \xff is never valid; \xe7\x9b is a cut 3-byte sequence; \xc0\xaf an overlong "/".
    # The item belongs to the merchant asked about (params couid, else the
    # request's own couid=), as a list item would.
    couid = str(p.get("couid") or req.arg("couid", "7300000001")).encode()
    title = "卡盟".encode() + b"\xff" + "充值".encode() + b"\xe7\x9b" + b"\xc0\xaf" + "未到账".encode()
    body = (b'{"result":{"status":{"code":0,"msg":""},"data":{"complaints":[{"main":{"sn":"17391234567",'
            b'"title":"' + title + b'","summary":"ok","cotitle":"\xe7\xa4\xba\xe4\xbe\x8b","couid":"' + couid + b'",'
            b'"status":4,"timestamp":"1790000000","url":"//tousu.sina.com.cn/complaint/view/17391234567/"},'
            b'"author":{"title":"x"}}],"pager":{"current":1,"next":0,"page_amount":1,"item_count":1}}}}')
    return Response(200, body, "application/json; charset=utf-8")


# What a hostile page would put in any text field: retitle the terminal, clear
# the screen, overwrite the line, a C1 CSI, reverse and isolate the text.
HOSTILE = "\x1b]0;x\x07" + "\x1b[2J" + "\r" + "\b" + "\u009b" + "\u202e" + "\u2066"


def k_escapes(h, req, p):
    couid = str(p.get("couid") or req.arg("couid", "7300000001"))
    sn = str(p.get("sn", "17391234599"))
    main = {"sn": sn, "title": "卡密无效" + HOSTILE + "跑路",
            "summary": "客服不回" + HOSTILE + "。", "cotitle": "测试卡盟" + HOSTILE,
            "couid": couid, "status": 1, "issue": "卡密无效" + HOSTILE, "appeal": "退款",
            "cost": "100", "timestamp": str(int(num(p, "timestamp", 1790000000))),
            "url": "https://tousu.sina.com.cn/complaint/view/%s/?x=%s" % (sn, HOSTILE)}
    body = heimao.envelope({"complaints": [{"main": main, "author": {"title": "x"}}],
                            "pager": {"current": 1, "next": 0, "page_amount": 1, "item_count": 1}})
    return heimao.api_response(req, body)


def k_bad_detail_url(h, req, p):
    """A list page of two new complaints: the first's link is not a URL, the
    second's is (its detail page is whatever the world has for it)."""
    couid = str(p.get("couid") or req.arg("couid", "7300000001"))
    items = []
    for sn, url in (("17391234601", "http://[not a host]/complaint/view/17391234601/"),
                    ("17391234602", "//tousu.sina.com.cn/complaint/view/17391234602/")):
        items.append({"main": {"sn": sn, "title": "卡密无效", "summary": "充值未到账",
                               "cotitle": "测试卡盟", "couid": couid, "status": 1,
                               "issue": "卡密无效", "appeal": "退款", "cost": "50",
                               "timestamp": str(int(num(p, "timestamp", 1790000000))),
                               "url": url},
                      "author": {"title": "buyer" + sn[-1]}})
    body = heimao.envelope({"complaints": items,
                            "pager": {"current": 1, "next": 0, "page_amount": 1, "item_count": 2}})
    return heimao.api_response(req, body)


def k_foreign_item(h, req, p):
    """A merchant's list page that also holds another merchant's complaint."""
    couid = str(p.get("couid") or req.arg("couid", "7300000001"))
    items = []
    for sn, who, name in (("17391234621", couid, "测试卡盟"), ("17391234622", "999", "别家卡盟")):
        items.append({"main": {"sn": sn, "title": "未发货", "summary": "充值未到账",
                               "cotitle": name, "couid": who, "status": 1,
                               "timestamp": str(int(num(p, "timestamp", 1790000000))),
                               "url": "//tousu.sina.com.cn/complaint/view/%s/" % sn},
                      "author": {"title": "buyer" + sn[-1]}})
    body = heimao.envelope({"complaints": items,
                            "pager": {"current": 1, "next": 0, "page_amount": 1, "item_count": 2}})
    return heimao.api_response(req, body)


def k_waf403(h, req, p):
    return icp.waf_403()


def k_icp_500(h, req, p):
    return icp.miit_json(icp.SERVER_ERROR)


def k_icp_429(h, req, p):
    return icp.miit_json(icp.RATE_LIMITED)


def k_icp_token_expired(h, req, p):
    return icp.miit_json(icp.TOKEN_EXPIRED)


def k_gbk(h, req, p):
    number = str(p.get("number", "粤ICP备2021123456号-1"))
    declare = p.get("declare", "both")
    meta = '<meta charset="gbk">\n' if declare in ("both", "meta") else ""
    html = """<!DOCTYPE html>
<html>
<head>
%s<title>龙腾卡盟 - 自动发卡平台</title>
</head>
<body>
<div class="main"><h1>龙腾卡盟</h1><p>点卡、话费、游戏充值，自动发货，售后无忧。</p></div>
<div class="footer">Copyright &copy; 2019-2026 龙腾网络 版权所有 |
<a href="https://beian.miit.gov.cn/" target="_blank">%s</a> |
<span class="police-record">粤公网安备 44010602001234号</span></div>
</body>
</html>
""" % (meta, number)
    ctype = "text/html; charset=gbk" if declare in ("both", "header") else "text/html"
    return Response(200, html.encode("gbk"), ctype)


def k_etag(h, req, p):
    tag = '"%s"' % str(p.get("etag", "v1")).strip('"')
    inm = req.header("If-None-Match") or ""
    if tag in [t.strip() for t in inm.split(",")] or inm.strip() == "*":
        return Response(304, b"", None, [("ETag", tag)], compress=False)
    return Response(200, dumps_compact(heimao.envelope({"etag": tag.strip('"')})),
                    "application/json; charset=utf-8", [("ETag", tag)])


def k_echo(h, req, p):
    headers = {}
    for k, v in req.headers.items():
        headers[k] = headers[k] + ", " + v if k in headers else v
    return Response(200, dumps_compact({"method": req.method, "path": req.path, "query": req.raw_query,
                                        "headers": headers, "body_length": len(req.body)}),
                    "application/json; charset=utf-8")


def k_delay(h, req, p):
    time.sleep(num(p, "seconds", 2, 0, 600))
    if req.path.startswith("/_fault/"):
        return Response(200, dumps_compact({"delayed": True}), "application/json; charset=utf-8")
    return PASS


# -- 聚投诉 kinds ---------------------------------------------------------------

def k_jts_login(h, req, p):
    return jutousu.login_page()


def _jts_mid_page_offset(req):
    """(MID, page, offset) of a merchant-list path, or ("2352", 1, "")."""
    m = jutousu.MERCHANT_LIST_RE.match(req.path)
    if not m:
        return "2352", 1, ""
    mid, _lt, page, offset = m.groups()
    return mid, jutousu.page_number(page) or 1, offset


def _jts_synthetic(i, mid="0"):
    return {"id": str(2999900 + i), "merchant": mid, "merchantname": "示例卡盟",
            "title": "卡密无效，客服不回%d" % i, "topic": "在示例卡盟购买的卡密提示已被使用，联系客服不回复。",
            "short_topic": "在示例卡盟购买的卡密提示已被使用，联系客服不回复。", "shuqiu": "退款",
            "labels": ["卡密无效"], "username": "示例用户%d" % i, "ts": 1790000000 - i * 3600,
            "post_key": "%024x" % (0xabc000 + i)}


def k_jts_cursor_repeat(h, req, p):
    mid, _page, offset = _jts_mid_page_offset(req)
    items = jutousu.merchant_complaints(req.state.world, mid)[:jutousu.PAGE_SIZE]
    items += [_jts_synthetic(i, mid) for i in range(jutousu.PAGE_SIZE - len(items))]
    return jutousu.jts_json({"offset": offset or jutousu.cursor(mid, "repeat"),
                             "postList": [jutousu.merchant_item(c) for c in items]})


def k_jts_empty(h, req, p):
    return jutousu.jts_json({"offset": str(p.get("offset", "x")), "postList": []})


def k_jts_drift(h, req, p):
    return jutousu.jts_json({"data": {"posts": [{"postId": 2999901, "subject": "卡密无效，客服不回",
                                                 "content": "在示例卡盟购买的卡密提示已被使用。",
                                                 "createdAt": "2026-11-20 10:00:00"}]},
                             "cursor": "eyJwIjoyfQ"})


JTS_HTML_ERROR = """<!DOCTYPE html>
<html>
<head><meta charset="UTF-8"><title>聚投诉</title></head>
<body>
<div class="error-wrap"><h2>系统繁忙</h2><p>系统繁忙，请稍后再试！</p>
<a href="//ts.21cn.com/">返回首页</a></div>
</body>
</html>
"""


def k_jts_html_error(h, req, p):
    return _html(JTS_HTML_ERROR)


def k_jts_slow(h, req, p):
    body = None
    if req.path.startswith("/front/api/") or req.path.startswith("/json/"):
        resp = jutousu.route(req)
        if resp is not None and resp.status == 200 and resp.ctype == jutousu.JSON_CTYPE:
            body = resp.body
    if body is None:
        body = dumps_compact({"postList": [jutousu.search_item(_jts_synthetic(1))], "pageNo": 1}).encode()
    return _drip(h, p, body, jutousu.JSON_CTYPE)


def k_jts_escapes(h, req, p):
    mid, _page, _offset = _jts_mid_page_offset(req)
    c = {"id": str(int(num(p, "id", 2999999, 1))), "merchant": mid, "merchantname": "测试卡盟" + HOSTILE,
         "title": "卡密无效" + HOSTILE + "跑路", "topic": "客服不回" + HOSTILE + "。",
         "short_topic": "客服不回" + HOSTILE + "。", "shuqiu": "退款", "labels": ["卡密无效" + HOSTILE],
         "username": "用户" + HOSTILE, "ts": int(num(p, "timestamp", 1790000000)),
         "post_key": "%024x" % 0xe5c}
    if req.path == jutousu.DETAIL:
        return jutousu.jts_json(jutousu.detail_obj(c))
    if jutousu.MERCHANT_LIST_RE.match(req.path):
        return jutousu.jts_json({"offset": "", "postList": [jutousu.merchant_item(c)]})
    return jutousu.jts_json({"postList": [jutousu.search_item(c)], "pageNo": 1})


KINDS = {
    "status": k_status, "429": k_429, "login_html": k_login_html, "code": k_code,
    "drift": k_drift, "html_drift": k_html_drift, "empty": k_empty,
    "truncated": k_truncated, "reset": k_reset, "slow": k_slow,
    "oversized": k_oversized, "gzip_bomb": k_gzip_bomb,
    "redirect_file": k_redirect_file, "redirect_loop": k_redirect_loop,
    "redirect_ok": k_redirect_ok, "invalid_utf8": k_invalid_utf8, "escapes": k_escapes,
    "bad_detail_url": k_bad_detail_url, "foreign_item": k_foreign_item,
    "waf403": k_waf403, "icp_500": k_icp_500, "icp_429": k_icp_429,
    "icp_token_expired": k_icp_token_expired,
    "gbk": k_gbk, "etag": k_etag, "echo": k_echo, "delay": k_delay,
    "jts_login": k_jts_login, "jts_cursor_repeat": k_jts_cursor_repeat, "jts_empty": k_jts_empty,
    "jts_drift": k_jts_drift, "jts_html_error": k_jts_html_error, "jts_slow": k_jts_slow,
    "jts_escapes": k_jts_escapes,
}
# Numeric kinds as shorthands: {"kind": "456"} == {"kind": "status", "params": {"code": 456}}
# (429 has its own kind because of Retry-After).


def resolve(kind, params):
    """(function, params) for a kind name, or (None, None) if unknown."""
    if kind in KINDS:
        return KINDS[kind], params
    if kind.isdigit() and 100 <= int(kind) <= 599:
        return k_status, dict(params, code=int(kind))
    return None, None
