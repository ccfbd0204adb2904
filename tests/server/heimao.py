"""黑猫投诉 (tousu.sina.com.cn) imitation: JSON APIs and server-rendered pages.

Formats follow research/complaint-sources.md §1.2-1.8.  Where the real value
is unknown the choice is marked SYNTH.

World strings (title, summary, cotitle, timeline text) are "HTML-capable":
they go into JSON unchanged and into pages unescaped, exactly like the real
site, which returns `<span class="code-red">` highlights and `&quot;` entities
in its JSON.  Newlines in timeline text become <br>.
"""

import hashlib
import re

from common import BadRequest, Response, cst, dumps_compact, html_escape, html_response

SECRET = "$d6eb7ff91ee257475%"
HOST = "//tousu.sina.com.cn"
PAGE_SIZE = 10               # the server ignores page_size (research §1.2)
FEED_MAX_PAGE = 50           # page 51+ of the anonymous feed -> 10017
SUMMARY_BUDGET = 445         # bytes of summary before "..." (research §1.4)

STATUS_LABEL = {1: "通过审核", 3: "待分配", 4: "处理中", 6: "已回复", 7: "已完成", 8: "已关闭"}

# Envelope codes.  10005 and 10017 are real; the others are SYNTH.
CODE_LOGIN = 10005           # "login needed / blocked"
CODE_MORE_PAGES = 10017      # "log in to see more" (feed page > 50)
CODE_BAD_SIGNATURE = 10002   # SYNTH: real code unknown
CODE_BAD_PARAM = 10001       # SYNTH
MESSAGES = {
    CODE_LOGIN: "请先登录",
    CODE_MORE_PAGES: "登录后可查看更多内容",
    CODE_BAD_SIGNATURE: "签名错误",
    CODE_BAD_PARAM: "参数错误",
}

# The values each signed endpoint adds to [ts, rs, SECRET] (research §1.3).
SIGNED_VALUES = {
    "/api/company/received_complaints": ("couid", "type", "page_size", "page"),
    "/api/index/s": ("keywords", "page_size", "page"),
    "/api/index/feed": ("type", "page_size", "page"),
}


# -- envelope, JSONP, signature --------------------------------------------

def envelope(data, code=0, msg=None):
    return {"result": {"status": {"code": code, "msg": MESSAGES.get(code, "") if msg is None else msg},
                       "data": data}}


def api_response(req, obj, status=200):
    """Plain UTF-8 JSON, or JSONP when the request has ?callback= (the real
    wrapper, with \\uXXXX escapes and \\/ slashes)."""
    cb = req.arg("callback")
    if cb:
        if not re.fullmatch(r"[A-Za-z_$][\w$.]{0,127}", cb):
            raise BadRequest("bad callback name")
        js = dumps_compact(obj, ensure_ascii=True).replace("/", "\\/")
        return Response(status, "try{%s(%s);}catch(e){};" % (cb, js),
                        "application/javascript; charset=utf-8")
    return Response(status, dumps_compact(obj), "application/json; charset=utf-8")


def api_error(req, code, msg=None, status=200):
    return api_response(req, envelope(None, code, msg), status)


def sign(values):
    """signature = sha256(join(sorted(values))) in lowercase hex."""
    return hashlib.sha256("".join(sorted(values)).encode("utf-8")).hexdigest()


def signature_ok(req, names):
    ts, rs, sig = req.arg("ts"), req.arg("rs"), req.arg("signature")
    if not ts or not rs or not sig:
        return False
    return sign([ts, rs, SECRET] + [req.arg(n, "") for n in names]) == sig


def has_cookie(req):
    cookies = req.headers.get_all("Cookie") or []
    return any(req.state.world.cookie in c for c in cookies)


# -- list items ------------------------------------------------------------

def truncate_summary(s):
    b = s.encode("utf-8")
    if len(b) <= SUMMARY_BUDGET:
        return s
    return b[:SUMMARY_BUDGET].decode("utf-8", "ignore") + "..."


def detail_url(c):
    url = "%s/complaint/view/%s/" % (HOST, c["sn"])
    return url + "?sld=" + c["sld"] if c["sld"] else url


def list_item(c, title=None, with_field=False):
    """One {"main":…, "author":…} item as the list endpoints return it."""
    main = {
        "sn": c["sn"],
        "title": c["title"] if title is None else title,
        "summary": truncate_summary(c["summary"]),
        "cotitle": c["cotitle"],
        "couid": c["couid"],
        "appeal": c["appeal"],
        "issue": c["issue"],
    }
    if c["cost"] is not None:
        main["cost"] = c["cost"]
    main.update({
        "status": c["status"],
        "timestamp": str(c["ts"]),
        "url": detail_url(c),
        "comment_id": c["comment_id"],
        "upvote_amount": c["upvote_amount"],
        "share_amount": c["share_amount"],
        "comment_amount": c["comment_amount"],
    })
    if with_field:
        main["field"] = c["field"]
    if c["evaluate_u"] is not None:
        main["evaluate_u"] = c["evaluate_u"]
    author = {}
    if c["author"] is not None:
        author["title"] = c["author"]
    author["wb_profile"] = "//weibo.com/u/" + c["author_uid"]
    return {"main": main, "author": author}


def page_of(items, page):
    """(slice, pager) for 1-based `page` over `items`, 10 per page."""
    n = len(items)
    pages = (n + PAGE_SIZE - 1) // PAGE_SIZE
    chunk = items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    # SYNTH: next is 0 on the last page (real behaviour unknown).
    pager = {"current": page, "next": page + 1 if page < pages else 0,
             "page_amount": pages, "item_count": n}
    return chunk, pager


# -- JSON endpoints --------------------------------------------------------

def company_search(req):
    """GET /api/company/search?keywords=K: anonymous, unsigned.  Merchants
    whose title contains K, the exact match first (look-alikes come back too)."""
    kw = (req.arg("keywords") or "").strip()
    w = req.state.world
    found = [m for m in w.merchants if kw and kw.lower() in m["title"].lower()]
    found.sort(key=lambda m: m["title"] != kw)
    month_ago = w.now - 30 * 86400
    lists = []
    for m in found:
        mine = [c for c in w.complaints if c["couid"] == m["couid"]]
        lists.append({"title": m["title"], "uid": m["couid"],
                      "valid30d": sum(1 for c in mine if c["ts"] >= month_ago),
                      "complaint_amount": len(mine)})
    return api_response(req, envelope({"lists": lists}))


def _signed_common(req, login):
    """Checks shared by the signed endpoints, in the server's order:
    parameters -> login cookie -> signature.  Returns an error Response or None."""
    for name in SIGNED_VALUES[req.path]:
        if req.arg(name) in (None, ""):
            return api_error(req, CODE_BAD_PARAM, None, 400)
    req.int_arg("page", lo=1)
    req.int_arg("page_size", lo=1)
    if login and not has_cookie(req):
        return api_error(req, CODE_LOGIN)
    if not signature_ok(req, SIGNED_VALUES[req.path]):
        return api_error(req, CODE_BAD_SIGNATURE)
    return None


def received_complaints(req):
    """GET /api/company/received_complaints: one merchant's complaints, newest
    first.  `complaints` is null past the last page (and for no complaints)."""
    err = _signed_common(req, login=True)
    if err:
        return err
    couid = req.arg("couid")
    if not couid.isdigit():
        return api_error(req, CODE_BAD_PARAM, None, 400)
    mine = [c for c in req.state.world.complaints if c["couid"] == couid]
    chunk, pager = page_of(mine, req.int_arg("page"))
    data = {"complaints": [list_item(c) for c in chunk] or None, "pager": pager}
    return api_response(req, envelope(data))


def index_search(req):
    """GET /api/index/s: keyword search over title/summary/cotitle.  Every
    space-separated term must match; hits in the title are wrapped in
    <span class="code-red">."""
    err = _signed_common(req, login=True)
    if err:
        return err
    terms = [t for t in req.arg("keywords").split() if t]
    hits = []
    for c in req.state.world.complaints:
        hay = (c["title"] + "\n" + c["summary"] + "\n" + c["cotitle"]).lower()
        if terms and all(t.lower() in hay for t in terms):
            hits.append(c)
    chunk, pager = page_of(hits, req.int_arg("page"))
    pat = re.compile("|".join(re.escape(t) for t in terms), re.I) if terms else None
    lists = [list_item(c, title=pat.sub(lambda m: '<span class="code-red">%s</span>' % m.group(0),
                                        c["title"])) for c in chunk]
    return api_response(req, envelope({"lists": lists, "pager": pager}))


def feed(req):
    """GET /api/index/feed: latest complaints, anonymous; page > 50 -> 10017."""
    err = _signed_common(req, login=False)
    if err:
        return err
    page = req.int_arg("page")
    if page > FEED_MAX_PAGE and not has_cookie(req):
        return api_error(req, CODE_MORE_PAGES)
    chunk, pager = page_of(req.state.world.complaints, page)
    return api_response(req, envelope({"lists": [list_item(c, with_field=True) for c in chunk],
                                       "pager": pager}))


# -- pages -----------------------------------------------------------------

PAGE_HEAD = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>%s</title>
<meta name="keywords" content="黑猫投诉,消费者服务平台,投诉">
<link rel="stylesheet" href="//n.sinaimg.cn/tousu/pc/css/index.css">
</head>
<body>
<div class="tousu-top"><div class="blk-w clearfix"><a class="logo" href="//tousu.sina.com.cn/">黑猫投诉</a>
<ul class="nav"><li><a href="//tousu.sina.com.cn/">首页</a></li><li><a href="//tousu.sina.com.cn/index/search/">搜索</a></li><li><a href="//tousu.sina.com.cn/complaint/">我要投诉</a></li></ul>
<span class="login"><a href="https://login.sina.com.cn/signup/signin.php?entry=general">登录</a></span></div></div>
"""
PAGE_FOOT = """<div class="tousu-footer"><p>Copyright &copy; 1996-2026 SINA Corporation, All Rights Reserved</p><p>新浪公司 版权所有</p></div>
</body>
</html>
"""


def page(title, inner, **kw):
    return html_response(PAGE_HEAD % title + inner + PAGE_FOOT, **kw)


def not_found_page():
    """What a bad or missing sld gets: HTTP 200, a page that redirects home."""
    return page("页面不存在_黑猫投诉", """<div class="page-404 blk-w">
<div class="err-img"></div>
<p class="err-tit">页面不存在</p>
<p class="err-txt">3秒后将返回黑猫投诉首页</p>
<a href="//tousu.sina.com.cn/">立即返回</a>
</div>
<script>setTimeout(function(){location.href="//tousu.sina.com.cn/";},3000);</script>
""")


def error_page(text):
    return page("黑猫投诉", '<div class="blk-w"><div class="error">%s</div></div>\n' % text)


STEP_HEADER = {
    "发起投诉": "投诉内容", "补充投诉": "补充内容", "审核通过": "审核结果",
    "审核未通过": "审核结果", "商家处理中": "处理进度", "回复": "回复内容",
    "申请完成投诉": "处理结果", "确认完成": "用户确认", "自动完成": "处理结果",
    "评价": "用户评价", "商家未入驻": "处理进度",
}
STEP_CLASS = {"user": "u-user", "merchant": "u-company", "platform": "u-platform"}


def _text_html(s):
    return s.replace("\r\n", "\n").replace("\n", "<br>")


def step_html(s, c):
    paras = ["<p>%s</p>" % STEP_HEADER.get(s["event"], s["event"])]
    stars = s["stars"]
    if stars is None and s["event"] == "评价" and c["evaluate_u"]:
        ev = c["evaluate_u"]
        stars = [int(ev.get("attitude", 0)), int(ev.get("process", 0)), int(ev.get("satisfaction", 0))]
    if stars is not None:
        paras.append('<p>服务态度：<span class="star%d"></span>处理速度：<span class="star%d"></span>'
                     '满意度：<span class="star%d"></span></p>' % tuple(stars))
        if s["text"]:
            paras.append("<p>%s</p>" % _text_html(s["text"]))
    else:
        paras.append("<p>%s</p>" % _text_html(s["text"]))
    return """<div class="ts-d-item">
<div class="ts-d-user">
<span class="u-img %s"><img src="//n.sinaimg.cn/tousu/pc/img/avatar.png" alt=""></span>
<span class="u-name">%s</span>
<span class="u-status">%s</span>
<span class="u-date">%s</span>
</div>
<div class="ts-d-cont">
<div class="ts-reply">
%s
</div>
</div>
</div>
""" % (STEP_CLASS[s["actor"]], s["name"], s["event"], cst(s["ts"]).strftime("%m-%d %H:%M:%S"),
       "\n".join(paras))


def detail_page(req, sn):
    """GET /complaint/view/{sn}/?sld=: the detail page reconstructed from the
    selectors in research §1.7 (there is no real snapshot)."""
    c = req.state.world.by_sn.get(sn)
    if c is None:
        return error_page("投诉单不存在")
    if c["private"]:
        return error_page("当前投诉单只允许本人查看")
    if c["sld"] and req.arg("sld") != c["sld"]:
        return not_found_page()
    posted = cst(c["ts"])
    posted = posted.strftime("%Y年%m月%d日 %H:%M") if c["posted_style"] == "cn" else posted.strftime("%Y-%m-%d %H:%M")
    label = c["status_label"] or STATUS_LABEL.get(c["status"], "未知")
    company = '<a suda-uatrack="key=complaint_company" href="%s/company/view/?couid=%s" target="_blank">%s</a>' % (
        HOST, c["couid"], c["cotitle"])
    if c["unsettled"]:
        company += '<span class="tips">商家只有入驻黑猫投诉，才能处理投诉</span>'
    facts = ["<li><label>投诉编号：</label>%s</li>" % c["sn"],
             "<li><label>投诉对象：</label>%s</li>" % company]
    if c["service"] is not None:
        facts.append("<li><label>使用服务：</label>%s" % c["service"])   # unclosed, as on the real page
    if c["issue"]:
        facts.append("<li><label>投诉问题：</label>%s</li>" % c["issue"])
    facts.append("<li><label>投诉要求：</label>%s</li>" % c["appeal"])
    facts.append("<li><label>涉诉金额：</label>%s</li>" % (c["cost"] + "元" if c["cost"] else ""))
    facts.append("<li><label>投诉进度：</label><b>%s</b></li>" % label)
    author = html_escape(c["author"]) if c["author"] is not None else "匿名"
    inner = """<div class="blk-w clearfix">
<div class="blk-l">
<div class="ts-d-question">
<h1 class="article">%s</h1>
<div class="ts-q-user clearfix">
<span class="u-img"><img src="//n.sinaimg.cn/tousu/pc/img/avatar.png" alt=""></span>
<span class="u-name">%s</span>
<span class="u-date">发布于 %s</span>
</div>
<ul class="ts-q-list">
%s
</ul>
<div class="ts-d-ctrl">
<span suda-uatrack="key=complaint_move&amp;value=dianzan" class="dianzan">点赞 <i>%d</i></span>
<span class="new_msg">%d</span>
<span suda-uatrack="key=complaint_move&amp;value=fenxiang" class="fenxiang">分享 <i>%d</i></span>
</div>
</div>
<div class="ts-d-steplist">
%s</div>
</div>
<div class="blk-r"><div class="ts-side"><h3>相关投诉</h3></div></div>
</div>
""" % (c["title"], author, posted, "\n".join(facts), c["upvote_amount"], c["comment_amount"],
       c["share_amount"], "".join(step_html(s, c) for s in c["steps"]))
    title = re.sub(r"<[^>]*>", "", c["title"])
    return page("%s_黑猫投诉" % title, inner, last_modified=c["updated"])


def company_page(req):
    """GET /company/view/?couid=N: a merchant page whose list loads by JS."""
    couid = req.arg("couid") or ""
    m = req.state.world.merchant_by_couid.get(couid)
    if m is None:
        return error_page("商家不存在")
    mine = [c for c in req.state.world.complaints if c["couid"] == couid]
    replied = sum(1 for c in mine if c["status"] in (6, 7, 8))
    done = sum(1 for c in mine if c["status"] == 7)
    inner = """<div class="blk-w clearfix"><div class="company-head">
<h1 class="company-name">%s</h1>
<ul class="company-num"><li><span>投诉量</span><b>%d</b></li><li><span>已回复</span><b>%d</b></li><li><span>已完成</span><b>%d</b></li></ul>
</div>
<div class="myts-list" id="complaint-list" data-couid="%s"></div>
<script src="//n.sinaimg.cn/tousu/pc/js/company.js"></script>
</div>
""" % (m["title"], len(mine), replied, done, couid)
    return page("%s_黑猫投诉" % m["title"], inner, last_modified=max([c["updated"] for c in mine] or [req.state.world.now]))


def home_page(req):
    """GET /: a small server-rendered home page with the latest complaints."""
    cards = []
    for c in req.state.world.complaints[:10]:
        if c["private"]:
            continue
        cards.append("""<div class="blackcat-con">
<a href="%s" target="_blank"><h1>%s</h1></a>
<p class="date">%s 于黑猫投诉平台发起</p>
<p class="summary">%s</p>
<ul class="list"><li><span>[投诉对象]</span>%s</li><li><span>[投诉要求]</span>%s</li></ul>
</div>""" % (detail_url(c), c["title"], cst(c["ts"]).strftime("%Y-%m-%d"),
             truncate_summary(c["summary"]), c["cotitle"], c["appeal"]))
    inner = '<div class="blk-w"><div class="tousu-list" id="index-list">\n%s\n</div></div>\n' % "\n".join(cards)
    resp = page("黑猫投诉_新浪旗下消费者服务平台", inner)
    # Site cookies a browser picks up on its first visit (research §1.8).
    resp.headers.append(("Set-Cookie", "TOUSU-SINA-CN=1; Path=/"))
    resp.headers.append(("Set-Cookie", "UOR=,tousu.sina.com.cn,; Path=/"))
    return resp


# -- routing ---------------------------------------------------------------

API = {
    "/api/company/search": company_search,
    "/api/company/received_complaints": received_complaints,
    "/api/index/s": index_search,
    "/api/index/feed": feed,
}
DETAIL_RE = re.compile(r"^/complaint/view/(\d{1,19})/?$")


def route(req):
    """The Response for a 黑猫 path, or None when the path is not 黑猫's."""
    path = req.path
    if path.startswith("/api/"):
        fn = API.get(path)
        if fn is None:
            return api_response(req, envelope(None, 404, "接口不存在"), 404)
        if req.method not in ("GET", "HEAD"):
            return Response(405, "Method Not Allowed\n", "text/plain; charset=utf-8", [("Allow", "GET")])
        return fn(req)
    if req.method not in ("GET", "HEAD"):
        return None
    m = DETAIL_RE.match(path)
    if m:
        return detail_page(req, m.group(1))
    if path.startswith("/complaint/view/"):
        return error_page("投诉单不存在")
    if path in ("/company/view/", "/company/view"):
        return company_page(req)
    if path in ("/", "/index.html"):
        return home_page(req)
    return None
