"""聚投诉 (ts.21cn.com) imitation: JSON APIs and server-rendered pages.

Formats follow research/complaint-sources.md §2, which was read out of
scraper code from 2019-2020: no raw 聚投诉 body exists in the stored public
material, so every envelope here is SYNTH around the field names the research
confirms (postList, id, title, shortTopic, shuqiu, username, ctime in Unix
seconds, offset cursor, post.ctimeStr, post.merchantname,
post.problemLabelList[].name, post.topic as HTML, postKeyValue, 登录聚投诉).

Paths:
  GET /front/api/search/searchPostList.do?pageNo=N&title=KW&listType=1
      anonymous keyword search over title, topic and merchantname (plain
      substring), newest first, 10 a page; past the end postList is [].
  GET /json/merchantPostList/merchantId/MID/listType/1/pageNo/N/offset/OFFSET
      one merchant's complaints, login cookie needed (else the login page),
      10 a page newest first, paged by an opaque cursor (cursor()).
  GET /tousu/show/id/ID                 complaint page (title + postKeyValue)
  GET /front/api/post/getPostContent.do?postKey=KEY   complaint detail JSON
  GET /merchant/show/id/MID             merchant page
"""

import hashlib
import re

from common import Response, cst, dumps_compact, html_escape, html_response

PAGE_SIZE = 10
JSON_CTYPE = "application/json;charset=UTF-8"
SEARCH = "/front/api/search/searchPostList.do"
DETAIL = "/front/api/post/getPostContent.do"
MERCHANT_LIST_RE = re.compile(r"^/json/merchantPostList/merchantId/([^/]*)/listType/([^/]*)"
                              r"/pageNo/([^/]*)/offset/([^/]*)$")
PAGE_RE = re.compile(r"^/tousu/show/id/(\d{1,19})/?$")
MERCHANT_PAGE_RE = re.compile(r"^/merchant/show/id/(\d{1,19})/?$")
BAD_PARAM = {"code": 400, "msg": "参数错误"}           # SYNTH
BAD_OFFSET = {"code": 400, "msg": "offset无效"}          # SYNTH
NO_POST = {"post": None, "msg": "帖子不存在"}           # SYNTH


def jts_json(obj, status=200):
    return Response(status, dumps_compact(obj), JSON_CTYPE)


def has_cookie(req):
    cookies = req.headers.get_all("Cookie") or []
    return any(req.state.world.jts_cookie in c for c in cookies)


def cursor(mid, last_id):
    """The opaque offset a full merchant-list page returns: 24 hex of
    sha1(MID:last id on the page)."""
    return hashlib.sha1(("%s:%s" % (mid, last_id)).encode()).hexdigest()[:24]


def page_number(s):
    """A 1-based page number from a string, or None."""
    if s is None or not re.fullmatch(r"[0-9]{1,6}", s) or int(s) < 1:
        return None
    return int(s)


def topic_html(topic):
    """The detail's topic as the real site sends it: tags kept; in the text
    between them '"' -> &quot;, newline -> <br>, and each space of a run of
    two or more -> &nbsp;."""
    out = []
    for part in re.split(r"(<[^>]*>)", topic):
        if part.startswith("<"):
            out.append(part)
            continue
        part = part.replace('"', "&quot;").replace("\r\n", "\n").replace("\n", "<br>")
        out.append(re.sub(r" {2,}", lambda m: "&nbsp;" * len(m.group(0)), part))
    return "".join(out)


def ctime_str(ts):
    return cst(ts).strftime("%Y-%m-%d %H:%M:%S")


# -- list items ------------------------------------------------------------

def search_item(c):
    return {"id": int(c["id"]), "title": c["title"], "shortTopic": c["short_topic"],
            "username": c["username"], "ctime": c["ts"]}


def merchant_item(c):
    return {"id": int(c["id"]), "title": c["title"], "shortTopic": c["short_topic"],
            "shuqiu": c["shuqiu"], "ctime": c["ts"]}


def detail_obj(c):
    return {"post": {"id": int(c["id"]), "title": c["title"], "ctimeStr": ctime_str(c["ts"]),
                     "merchantname": c["merchantname"],
                     "problemLabelList": [{"name": x} for x in c["labels"]],
                     "shuqiu": c["shuqiu"], "topic": topic_html(c["topic"]),
                     "username": c["username"]}}


def search_hits(world, kw):
    return [c for c in world.jts_complaints
            if kw in c["title"] or kw in c["topic"] or kw in c["merchantname"]]


def merchant_complaints(world, mid):
    return [c for c in world.jts_complaints if c["merchant"] == mid]


def merchant_page_obj(world, mid, page):
    """(list body, the offset page `page` returns) for a known merchant.
    A full page returns a cursor; a short or empty one ends the list ("")."""
    mine = merchant_complaints(world, mid)
    chunk = mine[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    offset = cursor(mid, chunk[-1]["id"]) if len(chunk) == PAGE_SIZE else ""
    return {"offset": offset, "postList": [merchant_item(c) for c in chunk]}


def expected_offset(world, mid, page):
    """The offset a request for `page` must carry: "" on page 1, else what
    page-1 returned."""
    if page == 1:
        return ""
    return merchant_page_obj(world, mid, page - 1)["offset"]


# -- JSON endpoints --------------------------------------------------------

def search(req):
    """GET searchPostList.do: anonymous keyword search."""
    page = page_number(req.arg("pageNo"))
    kw = (req.arg("title") or "").strip()
    if page is None or not kw:
        return jts_json(BAD_PARAM, 400)
    hits = search_hits(req.state.world, kw)
    chunk = hits[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return jts_json({"postList": [search_item(c) for c in chunk], "pageNo": page})


def merchant_list(req, m):
    """GET /json/merchantPostList/…: login first, then parameters, then the cursor."""
    if not has_cookie(req):
        return login_page()
    mid, _list_type, page_s, offset = m.groups()
    page = page_number(page_s)
    if page is None or not mid.isdigit():
        return jts_json(BAD_PARAM, 400)
    w = req.state.world
    if mid not in w.jts_merchant_by_id:
        return jts_json({"offset": "", "postList": []})
    if offset != expected_offset(w, mid, page):
        return jts_json(BAD_OFFSET, 400)
    return jts_json(merchant_page_obj(w, mid, page))


def post_content(req):
    """GET getPostContent.do?postKey=: the complaint detail, anonymous."""
    key = req.arg("postKey")
    if not key:
        return jts_json(BAD_PARAM, 400)
    c = req.state.world.jts_by_key.get(key)
    if c is None:
        return jts_json(NO_POST)
    return jts_json(detail_obj(c))


# -- pages -----------------------------------------------------------------

PAGE_HEAD = """<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<title>%s</title>
<meta name="keywords" content="聚投诉,投诉,消费维权,21CN">
<link rel="stylesheet" href="//ts.21cn.com/front/css/pc/common.css">
</head>
<body>
<div class="header"><div class="w1200 clearfix"><a class="logo" href="//ts.21cn.com/">聚投诉</a>
<ul class="nav"><li><a href="//ts.21cn.com/">首页</a></li><li><a href="//ts.21cn.com/merchant/ranking">商家榜单</a></li><li><a href="//ts.21cn.com/home/search">搜索</a></li></ul>
<span class="user"><a href="//ts.21cn.com/front/login">登录</a></span></div></div>
"""
PAGE_FOOT = """<div class="footer"><p>Copyright &copy; 1999-2026 21CN.COM All Rights Reserved</p><p>世纪龙信息网络有限责任公司 版权所有</p></div>
</body>
</html>
"""


def page(title, inner, **kw):
    return html_response(PAGE_HEAD % html_escape(title) + inner + PAGE_FOOT, **kw)


def not_found_page():
    return page("页面不存在_聚投诉", """<div class="w1200 error-page">
<p class="err-tit">页面不存在</p>
<p class="err-txt">您访问的页面不存在或已被删除</p>
<a href="//ts.21cn.com/">返回首页</a>
</div>
""", status=404)


# SYNTH: what 聚投诉 answers instead of data when not logged in; research §2
# only says such a body contains 登录聚投诉.
LOGIN_HTML = """<!DOCTYPE html>
<html>
<head><meta charset="UTF-8"><title>登录聚投诉</title>
<link rel="stylesheet" href="//ts.21cn.com/front/css/pc/login.css"></head>
<body>
<div class="login-wrap">
<h2>登录聚投诉</h2>
<p>登录后可查看商家全部投诉</p>
<a class="btn-login" href="https://open.e.189.cn/api/logbox/oauth2/web/unifyAccountLogin.do?appId=8013407003">天翼账号登录</a>
<a class="btn-weibo" href="https://passport.21cn.com/weibo/login.do?returnUrl=https%3A%2F%2Fts.21cn.com%2Ffront%2Fwap%2FthirdLoginCallBack.do%3Furl%3Dhttps%3A%2F%2Fts.21cn.com%2F">微博账号登录</a>
</div>
</body>
</html>
"""


def login_page():
    return html_response(LOGIN_HTML)


def complaint_page(req, cid):
    """GET /tousu/show/id/ID: the text loads by JS from getPostContent.do with
    the page's postKeyValue (research §2); the page itself holds the title."""
    w = req.state.world
    c = w.jts_by_id.get(cid)
    if c is None:
        return not_found_page()
    m = w.jts_merchant_by_id.get(c["merchant"])
    who = html_escape(c["merchantname"])
    if m is not None:
        who = '<a href="//ts.21cn.com/merchant/show/id/%s" target="_blank">%s</a>' % (m["id"], who)
    inner = """<div class="w1200 clearfix">
<div class="tousu_detail">
<h1 class="tousu_title">%s</h1>
<div class="tousu_info"><span class="name">%s</span><span class="time">%s</span></div>
<ul class="tousu_attr"><li><label>投诉对象：</label>%s</li><li><label>投诉诉求：</label>%s</li></ul>
<input type="hidden" id="postKeyValue" value="%s">
<input type="hidden" id="postIdValue" value="%s">
<div class="tousu_content" id="postContent"></div>
</div>
<script src="//ts.21cn.com/front/js/pc/tousuDetail.js"></script>
</div>
""" % (html_escape(c["title"]), html_escape(c["username"]), ctime_str(c["ts"])[:16], who,
       html_escape(c["shuqiu"]), c["post_key"], c["id"])
    return page("%s_聚投诉" % c["title"], inner, last_modified=c["ts"])


def merchant_page(req, mid):
    """GET /merchant/show/id/MID: a merchant page whose list loads by JS."""
    w = req.state.world
    m = w.jts_merchant_by_id.get(mid)
    if m is None:
        return not_found_page()
    mine = merchant_complaints(w, mid)
    inner = """<div class="w1200 clearfix"><div class="merchant_head">
<h1 class="merchant_name">%s</h1>
<ul class="merchant_num"><li><span>投诉量</span><b>%d</b></li></ul>
</div>
<div class="merchant_list" id="postList" data-merchant-id="%s"></div>
<script src="//ts.21cn.com/front/js/pc/merchant.js"></script>
</div>
""" % (html_escape(m["name"]), len(mine), mid)
    return page("%s投诉_聚投诉" % m["name"], inner,
                last_modified=max([c["ts"] for c in mine] or [w.now]))


# -- routing ---------------------------------------------------------------

def is_jts_api(path):
    return path.startswith("/front/api/") or path.startswith("/json/")


def route(req):
    """The Response for a 聚投诉 path, or None when the path is not 聚投诉's."""
    path = req.path
    if is_jts_api(path):
        if req.method not in ("GET", "HEAD"):
            return Response(405, "Method Not Allowed\n", "text/plain; charset=utf-8", [("Allow", "GET")])
        if path == SEARCH:
            return search(req)
        if path == DETAIL:
            return post_content(req)
        m = MERCHANT_LIST_RE.match(path)
        if m:
            return merchant_list(req, m)
        return jts_json({"code": 404, "msg": "接口不存在"}, 404)
    if req.method not in ("GET", "HEAD"):
        return None
    m = PAGE_RE.match(path)
    if m:
        return complaint_page(req, m.group(1))
    m = MERCHANT_PAGE_RE.match(path)
    if m:
        return merchant_page(req, m.group(1))
    if path.startswith("/tousu/show/") or path.startswith("/merchant/show/"):
        return not_found_page()
    return None
