"""MIIT ICP registry imitation (/icpproject_query/api/...) and the platforms'
own home pages (/site/{domain}/).

Formats follow research/icp-sources.md §2.1-2.7 and the real bodies in
samples/icp/: compact JSON, keys in alphabetical order (as the real server
sends them), errors with HTTP 200.  Captcha bodies are SYNTH (no real
slider-era capture exists).
"""

import base64
import hashlib
import json
import re
import threading
import time
from urllib.parse import parse_qs

from common import BadRequest, Response, dumps_compact, html_escape
import slider_gen

BASE = "/icpproject_query/api/"
MAX_PAGE_SIZE = 10                      # server-side cap (research §2.5: sizes conflict)
CAPTCHA_TOLERANCE = 5                   # px; SYNTH (research says about ±3)
MD5_TEST = hashlib.md5(b"test").hexdigest()

# Error bodies: real ones are copied byte for byte from samples/icp/.
TOKEN_EXPIRED = '{"success":false,"code":401,"msg":"token过期,请及时刷新页面"}'
AUTH_FAILED = '{"code":401,"msg":"没有通过身份验证","success":false}'
SERVER_ERROR = '{"success":false,"code":500,"msg":"服务器异常"}'
BAD_CONTENT_TYPE = '{"success":false,"code":415,"msg":"参数异常,content_type_not_supported"}'
RATE_LIMITED = '{"success":false,"code":429,"msg":"您目前访问频次过高[访问ip：127.0.0.1], 请稍后再试。"}'
CAPTCHA_MISMATCH = '{"success":false,"code":500,"msg":"请求非法,验证码不匹配!!"}'   # SYNTH status (text is real)
CAPTCHA_FAILED = '{"code":200,"success":false,"msg":"验证失败"}'                       # SYNTH
BAD_PARAMS = '{"success":false,"code":400,"msg":"参数异常"}'                           # SYNTH

# The 创宇盾 block page from samples/icp/miit_waf_403_chuangyudun_PARTIAL__….html.
# The sample stops at `client_ip`; the tail below (from the <span> on) and the
# script that fills in the message are SYNTH completions.
WAF_403_HTML = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8" />
<style>
body{ background:#eff1f0; font-family: microsoft yahei; color:#969696; font-size:12px;}
.online-desc-con { text-align:center; }
.r-tip01 { color: #969696; font-size: 16px; display: block; text-align: center; width: 600px; padding: 0 10px; overflow: hidden; text-overflow: ellipsis; margin: 0 auto 15px; }
.r-tip02 { color: #b1b0b0; font-size: 12px; display: block; margin-top: 20px; margin-bottom: 20px; }
.r-tip02 a:visited { text-decoration: underline; color: #0088CC; }
.r-tip02 a:link { text-decoration: underline; color: #0088CC; }
img { border: 0; }
</style>
</head>
<body>
<div class="online-desc-con" style="width:650px;padding-top:15px;margin:34px auto;">
    <a id="official_site" href="http://www.365cyd.com" target="_blank">
        <img id="wafblock" alt="" style="margin: 0 auto 17px auto;" />
    </a>
    <span class="r-tip01" id="error_403"></span>
    <span class="r-tip01" id="error_403_en"></span>
    <span class="r-tip02">如果您是网站管理员<a href="http://help.365cyd.com/cyd-error-help.html?code=403" target="_blank">点击这里</a>查看详情</span>
    <hr/>
    <center>client: <span id="client_ip">127.0.0.1</span>, server: <span id="server_ip">hlwicpfwc</span>, time: <span id="time"></span></center>
</div>
<script>
document.getElementById("error_403").innerText = "当前访问疑似黑客攻击，已被创宇盾拦截。";
document.getElementById("error_403_en").innerText = "The current access is suspected to be a hacker attack and has been intercepted by Chuangyudun.";
</script>
</body>
</html>
"""


def miit_json(text_or_obj, status=200, headers=None):
    """MIIT bodies: compact JSON with sorted keys, Content-Type as Spring sends it."""
    body = text_or_obj if isinstance(text_or_obj, str) else dumps_compact(text_or_obj, sort_keys=True)
    return Response(status, body, "application/json;charset=UTF-8", headers)


def waf_403():
    return Response(403, WAF_403_HTML, "text/html; charset=utf-8")


class MiitSessions:
    """Tokens, captcha challenges and signs.  Real time (not the world's
    `now`) drives expiry, because clients cache tokens by the wall clock."""

    def __init__(self, world, rng):
        self.world = world
        self.rng = rng
        self.lock = threading.Lock()
        self.tokens = {}        # token -> {"expires": t, "queries": n}
        self.refresh = {}       # refresh token -> expires
        self.captchas = {}      # uuid -> {"gap": x, "expires": t}
        self.signs = {}         # uuid -> (sign, expires)

    def _jwt_like(self, payload):
        """header-less "JWT" as MIIT issues them: b64url(payload).b64url(sig)."""
        b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
        sig = bytes(self.rng.getrandbits(8) for _ in range(32))
        return b64(dumps_compact(payload).encode()) + "." + b64(sig)

    def new_token(self):
        now_ms = int(time.time() * 1000)
        ttl = self.world.icp["token_ttl_seconds"]
        with self.lock:
            tok = self._jwt_like({"type": 1, "u": MD5_TEST, "s": now_ms, "e": now_ms + 480000})
            ref = self._jwt_like({"type": 2, "u": MD5_TEST, "s": now_ms, "e": now_ms + 780000})
            self.tokens[tok] = {"expires": time.time() + ttl, "queries": 0}
            self.refresh[ref] = time.time() + ttl + 180
        return {"code": 200, "msg": "操作成功", "success": True,
                "params": {"bussiness": tok, "expire": ttl * 1000, "refresh": ref}}

    def token_ok(self, token, count_query=False):
        limit = self.world.icp["token_ttl_queries"]
        with self.lock:
            t = self.tokens.get(token or "")
            if t is None or t["expires"] < time.time() or (limit and t["queries"] >= limit):
                return False
            if count_query:
                t["queries"] += 1
            return True


# -- the slider captcha's pictures: slider_gen.py ---------------------------------

# -- endpoints -----------------------------------------------------------------

def auth(req):
    """POST auth: form authKey=md5("testtest"+timeStamp)&timeStamp=..."""
    if req.method != "POST":
        return Response(405, "", "text/plain", [("Allow", "POST")])
    form = parse_qs(req.body.decode("utf-8", "replace"), keep_blank_values=True)
    ts = form.get("timeStamp", [""])[0]
    key = form.get("authKey", [""])[0]
    if not ts or key.lower() != hashlib.md5(("testtest" + ts).encode()).hexdigest():
        return miit_json(AUTH_FAILED)
    return miit_json(req.state.miit.new_token())


def auth_refresh(req):
    """GET auth/refresh?refreshToken=R: a new token pair for a live refresh token."""
    s = req.state.miit
    with s.lock:
        ok = s.refresh.get(req.arg("refreshToken") or "", 0) > time.time()
    return miit_json(s.new_token() if ok else AUTH_FAILED)


def _json_body(req):
    """The request's JSON object, or an error Response.  Order of checks:
    content type (415) -> token (401) is done by the caller; this adds the
    compact-body rule (research §2.5: spaces -> 403) and parsing."""
    try:
        text = req.body.decode("utf-8")
    except UnicodeDecodeError:
        return None, miit_json(BAD_PARAMS, 400)
    if req.state.world.icp["require_compact_json"] and not is_compact(text):
        return None, waf_403()          # SYNTH: the 403 is reported, its body is not
    try:
        obj = json.loads(text) if text.strip() else {}
    except ValueError:
        return None, miit_json(BAD_PARAMS, 400)
    if not isinstance(obj, dict):
        return None, miit_json(BAD_PARAMS, 400)
    return obj, None


def is_compact(text):
    """True when the JSON text has no whitespace outside string literals."""
    in_str = esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in " \t\r\n":
            return False
    return True


def _json_preamble(req):
    """Method, content type and token checks shared by the JSON endpoints."""
    if req.method != "POST":
        return None, Response(405, "", "text/plain", [("Allow", "POST")])
    if not (req.header("Content-Type") or "").lower().startswith("application/json"):
        return None, miit_json(BAD_CONTENT_TYPE)
    if not req.state.miit.token_ok(req.header("token")):
        return None, miit_json(TOKEN_EXPIRED)
    return _json_body(req)


def _licence_prefix(lic, q):
    return lic.startswith(q) and (len(lic) == len(q) or not lic[len(q)].isdigit())


def find_records(world, q):
    """Records for unitName=q: a domain (exact, case-insensitive), a unit name
    (exact) or a licence number (prefix: a main number lists every site)."""
    q = q.strip()
    is_lic = "ICP" in q.upper() or "B2" in q.upper()
    out = []
    for r in world.icp["records"]:
        if (r["domain"].lower() == q.lower() or r["unitName"] == q
                or is_lic and (_licence_prefix(r["serviceLicence"], q) or _licence_prefix(r["mainLicence"], q))):
            out.append(r)
    return out


def page_info(rows, page_num, page_size):
    """A PageHelper PageInfo shaped like samples/icp/miit_query_ok_qq.com_compact…
    (firstPage/lastPage variant; startRow/endRow are 0 as in every real body).
    Reconstructed (SYNTH) for not-found and multi-page results."""
    total = len(rows)
    pages = (total + page_size - 1) // page_size
    chunk = rows[(page_num - 1) * page_size: page_num * page_size]
    if pages <= 8:
        nums = list(range(1, pages + 1))
    else:
        start = min(max(1, page_num - 4), pages - 7)
        nums = list(range(start, start + 8))
    has_next, has_prev = page_num < pages, page_num > 1 and pages > 0
    return {
        "endRow": 0, "startRow": 0,
        "firstPage": nums[0] if nums else 0, "lastPage": nums[-1] if nums else 0,
        "hasNextPage": has_next, "hasPreviousPage": has_prev,
        "isFirstPage": page_num == 1, "isLastPage": page_num >= pages,
        "list": [{k: v for k, v in r.items() if not k.startswith("_")} for r in chunk],
        "navigatePages": 8, "navigatepageNums": nums,
        "nextPage": page_num + 1 if has_next else pages,
        "prePage": page_num - 1 if has_prev else (1 if pages else 0),
        "pageNum": page_num, "pageSize": page_size, "pages": pages,
        "size": len(chunk), "total": total,
    }


def _int_field(obj, key, default):
    v = obj.get(key, "")
    if v == "" or v is None:
        return default
    try:
        return int(v)
    except (TypeError, ValueError):
        raise BadRequest("%s is not a number" % key)


def query_by_condition(req):
    """POST icpAbbreviateInfo/queryByCondition."""
    obj, err = _json_preamble(req)
    if err:
        return err
    s = req.state.miit
    if req.state.world.icp["require_captcha"]:
        uuid, sign = req.header("uuid") or "", req.header("sign") or ""
        with s.lock:
            good = s.signs.get(uuid)
        if not good or good[0] != sign or good[1] < time.time():
            return miit_json(CAPTCHA_MISMATCH)
    unit = obj.get("unitName")
    if not isinstance(unit, str) or not unit.strip():
        return miit_json(BAD_PARAMS, 400)
    page_num = max(1, _int_field(obj, "pageNum", 1))
    page_size = min(MAX_PAGE_SIZE, max(1, _int_field(obj, "pageSize", 10)))
    if not s.token_ok(req.header("token"), count_query=True):
        return miit_json(TOKEN_EXPIRED)
    rows = find_records(req.state.world, unit) if _int_field(obj, "serviceType", 1) == 1 else []
    body = {"code": 200, "msg": "操作成功", "success": True,
            "params": page_info(rows, page_num, page_size)}
    rci = "%032x" % s.rng.getrandbits(128)
    return miit_json(body, headers=[("rci", rci)])


def query_detail(req):
    """POST icpAbbreviateInfo/queryDetailByServiceIdAndDomainId."""
    obj, err = _json_preamble(req)
    if err:
        return err
    for r in req.state.world.icp["records"]:
        if str(r["serviceId"]) == str(obj.get("serviceId")) and str(r["domainId"]) == str(obj.get("domainId")):
            rec = {k: v for k, v in r.items() if not k.startswith("_")}
            rec.pop("limitAccess", None)
            rec["homeUrl"], rec["serviceName"] = r["_homeUrl"], r["_serviceName"]
            return miit_json({"code": 200, "msg": "操作成功", "params": rec, "success": True})
    return miit_json(SERVER_ERROR)     # SYNTH: real answer for an unknown id unknown


def get_check_image(req):
    """POST image/getCheckImagePoint: a slider challenge (SYNTH body shape
    from client code: uuid, bigImage, smallImage, height, secretKey; the
    pictures from slider_gen.py: a flat-filled gap, the piece as RGBA PNG)."""
    obj, err = _json_preamble(req)
    if err:
        return err
    s = req.state.miit
    with s.lock:
        uuid = "%032x" % s.rng.getrandbits(128)
        c = slider_gen.challenge(s.rng)
        big, small, gap, top = c["big"], c["small"], c["gap"], c["top"]
        secret = "".join(s.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(16))
        s.captchas[uuid] = {"gap": gap, "expires": time.time() + 120}
    return miit_json({"code": 200, "msg": "操作成功", "success": True, "params": {
        "uuid": uuid, "bigImage": base64.b64encode(big).decode(),
        "smallImage": base64.b64encode(small).decode(), "height": top, "secretKey": secret}})


def check_image(req):
    """POST image/checkImage {"key":uuid,"value":"<x>"}: params = the sign
    string when |x - gap| <= 5.  One attempt per uuid (a failed check expires it)."""
    obj, err = _json_preamble(req)
    if err:
        return err
    s = req.state.miit
    uuid = str(obj.get("key", ""))
    with s.lock:
        ch = s.captchas.pop(uuid, None)
    try:
        x = float(obj.get("value"))
    except (TypeError, ValueError):
        x = None
    if ch is None or ch["expires"] < time.time() or x is None or abs(x - ch["gap"]) > CAPTCHA_TOLERANCE:
        return miit_json(CAPTCHA_FAILED)
    ttl = req.state.world.icp["sign_ttl_seconds"]
    with s.lock:
        sign = s._jwt_like({"type": 3, "extData": {"vafycode_image_key": uuid},
                            "e": int((time.time() + ttl) * 1000)})
        s.signs[uuid] = (sign, time.time() + ttl)
    return miit_json({"code": 200, "msg": "操作成功", "params": sign, "success": True})


def captcha_gap(state, uuid):
    """Test hook (GET /_control/captcha?uuid=): the answer of a live challenge."""
    with state.miit.lock:
        ch = state.miit.captchas.get(uuid)
    return None if ch is None else ch["gap"]


MIIT_API = {
    "auth": auth,
    "auth/refresh": auth_refresh,
    "icpAbbreviateInfo/queryByCondition": query_by_condition,
    "icpAbbreviateInfo/queryDetailByServiceIdAndDomainId": query_detail,
    "image/getCheckImagePoint": get_check_image,
    "image/checkImage": check_image,
}


# -- platform home pages ---------------------------------------------------------

SITE_RE = re.compile(r"^/site/([A-Za-z0-9.-]{1,253})(/.*)?$")
DEFAULT_BODY = """<div class="banner">自动发卡 · 24小时营业 · 秒到账</div>
<ul class="goods">
<li><a href="/goods/1">腾讯Q币 10元</a><span class="price">9.80</span></li>
<li><a href="/goods/2">京东E卡 100元</a><span class="price">98.50</span></li>
<li><a href="/goods/3">移动话费 50元 快充</a><span class="price">49.20</span></li>
<li><a href="/goods/4">王者荣耀点券 60</a><span class="price">5.90</span></li>
<li><a href="/goods/5">骏网一卡通 100元</a><span class="price">96.00</span></li>
</ul>
<div class="notice">本站商品均为虚拟商品，付款后自动发货，请核对充值账号后下单。</div>"""


def site_page(req, domain, rest):
    """GET /site/{domain}/: the platform's home page from the world."""
    s = req.state.world.sites.get(domain.lower())
    if s is None or rest not in (None, "", "/", "/index.html"):
        return Response(404, "<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
                             "<body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>\n")
    cs = s["charset"]
    meta = '<meta name="icp" content="%s">\n' % html_escape(s["meta_icp"]) if s["meta_icp"] else ""
    html = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="%s">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<meta name="keywords" content="卡盟,点卡,充值,自动发卡">
%s</head>
<body>
<div class="header"><div class="logo"><a href="/">%s</a></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/goods">商品分类</a></li><li><a href="/order">订单查询</a></li><li><a href="/agent">代理加盟</a></li></ul></div>
<div class="main">
%s
</div>
<div class="footer">
%s
</div>
</body>
</html>
""" % (cs, s["title"], meta, s["title"], s["body"] or DEFAULT_BODY, s["footer"])
    return Response(s["status"], html.encode(cs), "text/html; charset=%s" % cs,
                    last_modified=s["updated"] if s["status"] == 200 else None)


def route(req):
    """The Response for a MIIT or /site/ path, or None."""
    if req.path.startswith(BASE):
        fn = MIIT_API.get(req.path[len(BASE):].rstrip("/"))
        if fn is None:
            return miit_json({"timestamp": req.state.world.now_iso, "status": 404, "error": "Not Found",
                              "path": req.path}, 404)
        return fn(req)
    m = SITE_RE.match(req.path)
    if m and req.method in ("GET", "HEAD"):
        return site_page(req, m.group(1), m.group(2))
    return None
