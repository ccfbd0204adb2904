#!/usr/bin/env python3
"""Self-test of the loopback sample server.

    python3 tests/server/test_sample_server.py [-v] [-k SUBSTRING]

Starts sample_server.py on port 0 with worlds/test.json and worlds/demo.json
(and two tiny throw-away worlds), checks every endpoint and every fault kind,
and prints "N passed, M failed".  Exit status 1 on any failure.  Runs in a
few seconds (slow/oversized/bomb params are kept small).
"""

import gzip
import http.client as httpclient
import hashlib
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "sample_server.py")
SECRET = "$d6eb7ff91ee257475%"
TEST_COOKIE = "SUB=_2AkMtestcookie"
A, B = "6384912431", "4294967297"

# samples/complaints/heimao/signature_test_vectors.json (copied so the test
# runs without ../shared; the file is preferred when present).
VECTORS = [
    ("/api/company/received_complaints", "1614340290475", "I66jvmc7WhlW1wOE",
     {"couid": "6384912431", "type": "1", "page_size": "10", "page": "1"},
     "a5c5f96f03b397bf45566a07faa959fa473b7ba65e1000dc6714ad12ab97d75f"),
    ("/api/index/feed", "1607185777743", "3Tim1wwOCNQSuK18", {"type": "1", "page_size": "10", "page": "6"},
     "1742f2a1fd003f87f0315cc2d305afd68dbb6227e35992d5f00879166084c660"),
    ("/api/index/feed", "1607185777743", "3Tim1wwOCNQSuK18", {"type": "1", "page_size": "10", "page": "7"},
     "cd9d07ab5c409e5bc735e2e0cb69b71d2c4e1d3b7b36602a0be2e1f011515bea"),
    ("/api/index/feed", "1607185777743", "3Tim1wwOCNQSuK18", {"type": "1", "page_size": "10", "page": "8"},
     "20cc84b8ddb7307ec69dd72e65035a7ff364eff7c0c4894f1fbbc23c6bcf0777"),
    ("/api/index/feed", "1744607532747", "oeSlvfKbEuDtmTI1", {"type": "1", "page_size": "10", "page": "1"},
     "f7b4bc98823f8e30005b10aa034603bb360d3e361c71222a40573f1ed2368b38"),
]
VECTOR_FILE = os.path.join(HERE, "..", "..", "..", "shared", "samples", "complaints", "heimao",
                           "signature_test_vectors.json")

# samples/icp/miit_query_ok_qq.com_compact__orzchen_icpApi_2023.json, byte for byte.
QQ_BODY = ('{"code":200,"msg":"操作成功","params":{"endRow":0,"firstPage":1,"hasNextPage":false,'
           '"hasPreviousPage":false,"isFirstPage":true,"isLastPage":true,"lastPage":1,"list":[{"contentTypeName":'
           '"宗教、宗教、出版、新闻、出版、出版、新闻、宗教、文化、宗教","domain":"qq.com","domainId":190000203203,'
           '"leaderName":"","limitAccess":"否","mainId":547280,"mainLicence":"粤B2-20090059","natureName":"企业",'
           '"serviceId":4134047,"serviceLicence":"粤B2-20090059-5","unitName":"深圳市腾讯计算机系统有限公司",'
           '"updateRecordTime":"2023-10-18 10:27:25"}],"navigatePages":8,"navigatepageNums":[1],"nextPage":1,'
           '"pageNum":1,"pageSize":10,"pages":1,"prePage":1,"size":1,"startRow":0,"total":1},"success":true}')


# -- harness ------------------------------------------------------------------------

class Server:
    """sample_server.py on port 0 for one world; use as a context manager."""

    def __init__(self, world, extra=()):
        self.world = world
        self.extra = list(extra)

    def __enter__(self):
        self.tmp = tempfile.mkdtemp(prefix="kmrep-ss-")
        self.port_file = os.path.join(self.tmp, "port")
        self.proc = subprocess.Popen([sys.executable, SERVER, "--world", self.world, "--port", "0",
                                      "--port-file", self.port_file,
                                      "--log-file", os.path.join(self.tmp, "access.log")] + self.extra,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 10
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("server did not start: " + self.proc.stderr.read())
            time.sleep(0.02)
        self.port_text = open(self.port_file).read()
        self.port = int(self.port_text)
        self.stdout_line = self.proc.stdout.readline()
        self.base = "http://127.0.0.1:%d" % self.port
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class Resp:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


def fetch(srv, path, headers=None, data=None, method=None, raw=False):
    """One request; HTTP errors are returned, not raised.  Bodies are
    gunzipped unless raw=True."""
    req = urllib.request.Request(srv.base + path, data=data, headers=headers or {}, method=method)
    try:
        with OPENER.open(req, timeout=20) as f:
            r = Resp(f.status, f.headers, f.read())
    except urllib.error.HTTPError as e:
        r = Resp(e.code, e.headers, e.read())
    if not raw and r.headers.get("Content-Encoding") == "gzip":
        r.body = gzip.decompress(r.body)
    return r


def signed_path(path, params, names, ts="1700000000000", rs="0aZbYcXdWeVfUgTh", extra=None):
    sig = hashlib.sha256("".join(sorted([ts, rs, SECRET] + [str(params[n]) for n in names])).encode()).hexdigest()
    q = dict(params, ts=ts, rs=rs, signature=sig)
    q.update(extra or {})
    return path + "?" + urllib.parse.urlencode(q)


def received(srv, couid, page, cookie=TEST_COOKIE, **kw):
    p = signed_path("/api/company/received_complaints", {"couid": couid, "type": 1, "page_size": 10, "page": page},
                    ("couid", "type", "page_size", "page"), **kw)
    return fetch(srv, p, {"Cookie": cookie} if cookie else {})


def all_received(srv, couid, cookie=TEST_COOKIE):
    items, page = [], 1
    while True:
        d = received(srv, couid, page, cookie).json()["result"]["data"]
        if not d["complaints"]:
            return items, d["pager"]
        items += d["complaints"]
        page += 1


def search(srv, kw, page=1, cookie=TEST_COOKIE):
    p = signed_path("/api/index/s", {"keywords": kw, "page_size": 10, "page": page},
                    ("keywords", "page_size", "page"))
    return fetch(srv, p, {"Cookie": cookie} if cookie else {})


def feed(srv, page, **kw):
    return fetch(srv, signed_path("/api/index/feed", {"type": 2, "page_size": 10, "page": page},
                                 ("type", "page_size", "page"), **kw))


def control(srv, what, obj=None):
    data = None if obj is None else json.dumps(obj).encode()
    return fetch(srv, "/_control/" + what, data=data, method="POST" if obj is not None else "GET")


MIIT = "/icpproject_query/api/"


def miit_token(srv):
    ts = str(int(time.time() * 1000))
    key = hashlib.md5(("testtest" + ts).encode()).hexdigest()
    r = fetch(srv, MIIT + "auth", {"Content-Type": "application/x-www-form-urlencoded"},
             ("authKey=%s&timeStamp=%s" % (key, ts)).encode())
    return r.json()["params"]["bussiness"]


def miit_post(srv, endpoint, obj, token, headers=None, ctype="application/json", compact=True):
    body = json.dumps(obj, ensure_ascii=False, separators=(",", ":") if compact else None).encode()
    h = {"Content-Type": ctype, "token": token}
    h.update(headers or {})
    return fetch(srv, MIIT + endpoint, h, body, "POST")


def query(srv, unit, token, page="", size="", headers=None):
    return miit_post(srv, "icpAbbreviateInfo/queryByCondition",
                     {"pageNum": page, "pageSize": size, "unitName": unit, "serviceType": 1}, token, headers)


def solve_slider(params):
    """The gap of a challenge, read exactly from its PNGs (slider_gen.find_gap)."""
    import base64
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import slider_gen
    return slider_gen.find_gap(base64.b64decode(params["bigImage"]),
                               base64.b64decode(params["smallImage"]), params["height"])


# -- tests -----------------------------------------------------------------------------

TESTS = []


def test(world):
    def deco(fn):
        TESTS.append((world, fn))
        return fn
    return deco


def eq(a, b, what=""):
    if a != b:
        raise AssertionError("%s: %r != %r" % (what, a, b))


def ok(cond, what):
    if not cond:
        raise AssertionError(what)


# ---- start-up, transport ----

@test("test")
def startup_port_file_and_banner(s):
    ok(re.fullmatch(r"\d+\n", s.port_text), "port file is digits + newline: %r" % s.port_text)
    eq(s.stdout_line, "listening on 127.0.0.1:%d\n" % s.port, "banner")


@test("test")
def keep_alive_and_head(s):
    c = httpclient.HTTPConnection("127.0.0.1", s.port, timeout=5)
    for _ in range(3):
        c.request("GET", "/api/company/search?keywords=x")
        r = c.getresponse()
        eq(r.status, 200)
        eq(len(r.read()), int(r.getheader("Content-Length")), "content-length")
    c.request("HEAD", "/")
    r = c.getresponse()
    eq(r.status, 200)
    eq(r.read(), b"", "HEAD body")
    ok(int(r.getheader("Content-Length")) > 0, "HEAD content-length")
    c.close()


@test("test")
def bad_requests_are_400_without_tracebacks(s):
    eq(fetch(s, "/api/company/search?keywords=%ff%fe").status, 400, "bad utf-8")
    r = fetch(s, "/api/company/received_complaints?couid=1&type=1&page_size=10&page=abc&ts=1&rs=2&signature=3",
             {"Cookie": TEST_COOKIE})
    eq(r.status, 400)
    eq(r.json()["result"]["status"]["code"], 10001, "SYNTH bad-param code")
    r = fetch(s, "/api/company/received_complaints?couid=1", {"Cookie": TEST_COOKIE})
    eq(r.status, 400, "missing params")
    eq(fetch(s, "/nope").status, 404)
    eq(fetch(s, "/api/nope").status, 404)
    eq(fetch(s, "/api/index/feed", data=b"x", method="POST").status, 405)
    r = miit_post(s, "icpAbbreviateInfo/queryByCondition", {}, miit_token(s))
    eq(r.status, 400, "MIIT without unitName")
    r = fetch(s, MIIT + "icpAbbreviateInfo/queryByCondition",
             {"Content-Type": "application/json", "token": miit_token(s)}, b"{not", "POST")
    eq(r.status, 400, "MIIT bad json")


# ---- 黑猫 ----

@test("test")
def company_search_lookalikes(s):
    d = fetch(s, "/api/company/search?keywords=" + urllib.parse.quote("测试卡盟")).json()
    eq(d["result"]["status"], {"code": 0, "msg": ""})
    lists = d["result"]["data"]["lists"]
    eq([m["title"] for m in lists], ["测试卡盟", "测试卡盟旗舰店"], "exact first, look-alike too")
    eq(lists[0], {"title": "测试卡盟", "uid": A, "valid30d": 6, "complaint_amount": 23})
    eq(fetch(s, "/api/company/search?keywords=zzz").json()["result"]["data"]["lists"], [])


@test("test")
def signature_vectors(s):
    import heimao
    vecs = VECTORS
    if os.path.exists(VECTOR_FILE):
        data = json.load(open(VECTOR_FILE))
        eq(data["secret"], SECRET)
        vecs = [(v["endpoint"], v["ts"], v["rs"], v["signed_params"], v["signature"]) for v in data["vectors"]]
    eq(len(vecs), 5)
    for ep, ts, rs, params, sig in vecs:
        eq(heimao.sign([ts, rs, SECRET] + list(params.values())), sig, "vector " + ep)
        q = dict(params, ts=ts, rs=rs, signature=sig, callback="jQuery111208245159009774539_1607185777706",
                 _="1607185777718")
        r = fetch(s, ep + "?" + urllib.parse.urlencode(q), {"Cookie": TEST_COOKIE})
        ok(r.text.startswith("try{jQuery111208245159009774539_1607185777706("), "jsonp")
        ok('"code":0' in r.text, "server accepts vector %s: %s" % (ep, r.text[:80]))


@test("test")
def received_complaints_auth_and_signature(s):
    eq(received(s, A, 1, cookie=None).json()["result"]["status"], {"code": 10005, "msg": "请先登录"})
    eq(received(s, A, 1, cookie="SUB=wrong").json()["result"]["status"]["code"], 10005)
    r = fetch(s, "/api/company/received_complaints?couid=%s&type=1&page_size=10&page=1&ts=1&rs=a&signature=%s"
             % (A, "0" * 64), {"Cookie": TEST_COOKIE})
    eq(r.json()["result"]["status"], {"code": 10002, "msg": "签名错误"})
    # rs sorting before ts (starts with 0) still signs correctly
    eq(received(s, A, 1, rs="0000abcdefghijkl").json()["result"]["status"]["code"], 0)


@test("test")
def received_complaints_paging_and_fields(s):
    d1 = received(s, A, 1).json()["result"]["data"]
    eq(d1["pager"], {"current": 1, "next": 2, "page_amount": 3, "item_count": 23})
    items, pager = all_received(s, A)
    eq(len(items), 23, "3 pages: 10+10+3")
    d4 = received(s, A, 4).json()["result"]["data"]
    eq(d4["complaints"], None, "past the last page")
    ts = [int(i["main"]["timestamp"]) for i in items]
    eq(ts, sorted(ts, reverse=True), "newest first")
    eq({i["main"]["status"] for i in items}, {1, 3, 4, 6, 7, 8, 9}, "statuses")
    by = {i["main"]["sn"]: i for i in items}
    for i in items:
        m = i["main"]
        ok(re.fullmatch(r"\d{11}", m["sn"]) and isinstance(m["timestamp"], str), "sn/timestamp strings")
        eq(m["couid"], A)
        ok(m["url"].startswith("//tousu.sina.com.cn/complaint/view/%s/" % m["sn"]), "url")
        ok(len(m["summary"].encode()) <= 448, "summary budget")
    eq(by["17390000103"]["main"].get("cost", "MISSING"), "MISSING", "cost missing")
    eq(by["17390000102"]["main"]["cost"], "", "cost empty")
    ok("title" not in by["17390000106"]["author"] and "wb_profile" in by["17390000106"]["author"], "no nick")
    ok("?sld=" not in by["17390000122"]["main"]["url"], "old complaint has no sld")
    ok(re.search(r"\?sld=[0-9a-f]{32}$", by["17390000101"]["main"]["url"]), "sld")
    eq(by["17390000101"]["main"]["title"], "&quot;双11&quot;活动卡密无效 &amp; 客服不回", "entities kept")
    ok("，" in by["17390000101"]["main"]["issue"], "full-width comma")
    s7 = by["17390000107"]["main"]
    ok(s7["summary"].endswith("...") and len(s7["summary"].encode()) <= 448, "truncated summary")
    eq(s7["evaluate_u"]["satisfaction"], 4)
    ok("evaluate_u" not in by["17390000101"]["main"], "no evaluate_u")
    eq(by["17390000122"]["main"]["evaluate_u"], {}, "empty evaluate_u")
    # page_size is ignored
    p = signed_path("/api/company/received_complaints", {"couid": A, "type": 1, "page_size": 50, "page": 1},
                    ("couid", "type", "page_size", "page"))
    eq(len(fetch(s, p, {"Cookie": TEST_COOKIE}).json()["result"]["data"]["complaints"]), 10, "fixed size")
    # merchant with no complaints: null, item_count 0
    eq(received(s, "7000000003", 1).json()["result"]["data"],
       {"complaints": None, "pager": {"current": 1, "next": 0, "page_amount": 0, "item_count": 0}})


@test("test")
def multi_merchant_pair(s):
    a = {i["main"]["sn"]: i["main"] for i in all_received(s, A)[0]}
    b = {i["main"]["sn"]: i["main"] for i in all_received(s, B)[0]}
    x, y = a["17390000103"], b["17390000104"]
    eq((x["title"], x["summary"], x["timestamp"]), (y["title"], y["summary"], y["timestamp"]), "same text")
    ok(x["couid"] != y["couid"] and x["status"] != y["status"], "different merchant/status")


@test("test")
def jsonp_matches_plain_json(s):
    plain = received(s, A, 1).json()
    r = received(s, A, 1, extra={"callback": "jQuery1112038_1602671921456", "_": "1602671921457"})
    m = re.fullmatch(rb"try\{jQuery1112038_1602671921456\((.*)\);\}catch\(e\)\{\};", r.body, re.S)
    ok(m, "JSONP wrapper")
    ok(all(b < 0x80 for b in r.body), "ASCII only (\\uXXXX)")
    ok(b"\\/\\/tousu.sina.com.cn" in r.body, "escaped slashes")
    eq(json.loads(m.group(1)), plain, "same payload")
    eq(received(s, A, 1, extra={"callback": "a(b)"}).status, 400, "bad callback")


@test("test")
def keyword_search(s):
    d = search(s, "卡密").json()["result"]["data"]
    ok(d["pager"]["item_count"] > 3, "hits")
    ok(all('<span class="code-red">卡密</span>' in i["main"]["title"] for i in d["lists"]
           if "卡密" in re.sub("<[^>]+>", "", i["main"]["title"])), "highlight")
    eq(search(s, "卡密", cookie=None).json()["result"]["status"]["code"], 10005)
    d = search(s, "跨年投诉 卡密").json()["result"]["data"]     # CJK + space, raw UTF-8 signed
    eq([i["main"]["sn"] for i in d["lists"]], ["17390000121"])
    eq(search(s, "不存在的词").json()["result"]["data"], {"lists": [], "pager": {
        "current": 1, "next": 0, "page_amount": 0, "item_count": 0}})


@test("test")
def feed_anonymous_and_page_cap(s):
    d = feed(s, 1).json()["result"]["data"]
    eq(len(d["lists"]), 10)
    eq(d["lists"][0]["main"]["field"], 114)
    eq(d["pager"]["item_count"], 34)
    eq(feed(s, 51).json()["result"]["status"]["code"], 10017)
    r = fetch(s, "/api/index/feed?type=2&page_size=10&page=1&ts=1&rs=2&signature=bad")
    eq(r.json()["result"]["status"]["code"], 10002)


def detail(s, sn, sld=None, headers=None):
    return fetch(s, "/complaint/view/%s/%s" % (sn, "?sld=" + sld if sld else ""), headers)


def sld_of(s, sn):
    for i in all_received(s, A)[0] + all_received(s, B)[0]:
        if i["main"]["sn"] == sn:
            m = re.search(r"sld=([0-9a-f]{32})", i["main"]["url"])
            return m.group(1) if m else None


@test("test")
def detail_page_structure(s):
    r = detail(s, "17390000121", sld_of(s, "17390000121"))
    eq(r.status, 200)
    h = r.text
    for needle in ['<div class="ts-d-question">', '<h1 class="article">跨年投诉：卡密无效</h1>',
                   '<div class="ts-q-user clearfix">', '<span class="u-name">测试用户21</span>',
                   '<span class="u-date">发布于 2025年12月30日 23:50</span>', '<ul class="ts-q-list">',
                   '<li><label>投诉编号：</label>17390000121</li>',
                   '<a suda-uatrack="key=complaint_company" href="//tousu.sina.com.cn/company/view/?couid=6384912431"',
                   '商家只有入驻', '<li><label>投诉问题：</label>卡密无效</li>', '<li><label>涉诉金额：</label>100元</li>',
                   '<li><label>投诉进度：</label><b>已完成</b></li>', '<div class="ts-d-steplist">']:
        ok(needle in h, "detail has " + needle)
    ok(re.search(r"<li><label>使用服务：</label>测试卡盟APP\n<li>", h), "使用服务 li left unclosed")
    eq(h.count('<div class="ts-d-item">'), 8, "steps")
    eq(re.findall(r'<span class="u-status">([^<]+)</span>', h),
       ["发起投诉", "审核通过", "商家处理中", "回复", "申请完成投诉", "申请完成投诉", "确认完成", "评价"])
    dates = re.findall(r'<div class="ts-d-user">.*?<span class="u-date">([^<]+)</span>', h, re.S)
    ok(all(re.fullmatch(r"\d\d-\d\d \d\d:\d\d:\d\d", d) for d in dates), "MM-DD HH:MM:SS")
    eq((dates[0], dates[3]), ("12-30 23:50:00", "01-02 09:30:00"), "crosses New Year, Shanghai time")
    eq(re.findall(r'<span class="star(\d)"></span>', h), ["5", "4", "5"], "stars")
    # status labels and the dash date style
    h1 = detail(s, "17390000101", sld_of(s, "17390000101")).text
    ok("<b>通过审核</b>" in h1 and "发布于 2026-11-20 21:15" in h1 and "使用服务" not in h1, "status 1 page")
    ok("<b>审核中</b>" in detail(s, "17390000124", sld_of(s, "17390000124")).text, "status_label")
    ok("<li><label>涉诉金额：</label></li>" in detail(s, "17390000102", sld_of(s, "17390000102")).text, "empty cost")


@test("test")
def detail_error_pages(s):
    for sld in (None, "0" * 32):
        r = detail(s, "17390000121", sld)
        eq(r.status, 200)
        ok("页面不存在" in r.text and "3秒后将返回黑猫投诉首页" in r.text, "bad sld page")
    ok('<div class="error">当前投诉单只允许本人查看</div>' in detail(s, "17390000105", sld_of(s, "17390000105")).text,
       "private")
    ok('<div class="error">投诉单不存在</div>' in detail(s, "17399999999").text, "unknown sn")
    ok('<h1 class="article">旧投诉没有sld</h1>' in detail(s, "17390000122").text, "no sld needed")
    ok('<h1 class="article">旧投诉没有sld</h1>' in detail(s, "17390000122", "ab" * 16).text, "any sld ok")


@test("test")
def detail_validators_and_gzip(s):
    sld = sld_of(s, "17390000121")
    r = detail(s, "17390000121", sld)
    etag, lm = r.headers["ETag"], r.headers["Last-Modified"]
    ok(etag and lm, "validators")
    eq(lm, "Sat, 03 Jan 2026 12:01:00 GMT", "Last-Modified = last step")
    eq(detail(s, "17390000121", sld, {"If-None-Match": etag}).status, 304)
    eq(detail(s, "17390000121", sld, {"If-None-Match": '"other"'}).status, 200)
    eq(detail(s, "17390000121", sld, {"If-Modified-Since": lm}).status, 304)
    eq(detail(s, "17390000121", sld, {"If-Modified-Since": "Thu, 01 Jan 2026 00:00:00 GMT"}).status, 200)
    r = fetch(s, "/complaint/view/17390000121/?sld=" + sld, {"Accept-Encoding": "gzip"}, raw=True)
    eq(r.headers["Content-Encoding"], "gzip")
    eq(gzip.decompress(r.body).decode(), detail(s, "17390000121", sld).text, "gzip body")
    r = fetch(s, "/api/company/search?keywords=x", {"Accept-Encoding": "gzip"}, raw=True)
    eq(r.headers.get("Content-Encoding"), None, "small bodies stay plain")
    r = fetch(s, "/complaint/view/17390000121/?sld=" + sld, {"Accept-Encoding": "gzip;q=0"}, raw=True)
    eq(r.headers.get("Content-Encoding"), None, "q=0")


@test("test")
def home_and_company_pages(s):
    r = fetch(s, "/")
    eq(r.status, 200)
    ok("黑猫投诉" in r.text and "Set-Cookie" in r.headers, "home")
    r = fetch(s, "/company/view/?couid=" + A)
    ok("<h1 class=\"company-name\">测试卡盟</h1>" in r.text, "company page")
    ok("商家不存在" in fetch(s, "/company/view/?couid=1").text, "unknown merchant")


# ---- MIIT ----

@test("test")
def miit_auth(s):
    ts = "1697606314111"
    key = hashlib.md5(("testtest" + ts).encode()).hexdigest()
    r = fetch(s, MIIT + "auth", {"Content-Type": "application/x-www-form-urlencoded"},
             ("authKey=%s&timeStamp=%s" % (key, ts)).encode())
    eq(r.headers["Content-Type"], "application/json;charset=UTF-8")
    d = r.json()
    eq(list(d), ["code", "msg", "params", "success"])
    eq((d["code"], d["msg"], d["success"], d["params"]["expire"]), (200, "操作成功", True, 300000))
    eq(list(d["params"]), ["bussiness", "expire", "refresh"])
    ok(re.fullmatch(r"eyJ[\w-]+\.[\w-]+", d["params"]["bussiness"]), "JWT-like token")
    r = fetch(s, MIIT + "auth", data=("authKey=bad&timeStamp=" + ts).encode())
    eq(r.text, '{"code":401,"msg":"没有通过身份验证","success":false}')
    r = fetch(s, MIIT + "auth/refresh?refreshToken=" + urllib.parse.quote(d["params"]["refresh"]))
    eq(r.json()["code"], 200, "refresh")


@test("test")
def miit_query_formats(s):
    t = miit_token(s)
    r = query(s, "qq.com", t)
    eq(r.text, QQ_BODY, "byte-exact real qq.com body")
    ok(re.fullmatch(r"[0-9a-f]{32}", r.headers["rci"]), "rci header")
    d = query(s, "nope-km.com", t).json()
    eq((d["params"]["total"], d["params"]["list"], d["params"]["pages"]), (0, [], 0), "not found")
    d = query(s, "京ICP证030173号", t, 1, 40).json()["params"]
    eq((d["total"], d["pages"], d["pageSize"], d["size"], d["hasNextPage"], d["isLastPage"]),
       (12, 2, 10, 10, True, False), "licence prefix page 1, size capped")
    d2 = query(s, "京ICP证030173号", t, 2, 10).json()["params"]
    eq((d2["size"], d2["isLastPage"], d2["pageNum"]), (2, True, 2))
    eq(query(s, "京ICP证030173号-105", t).json()["params"]["list"][0]["domain"], "multi05.example.cn")
    eq(query(s, "TEST-KM.COM", t).json()["params"]["list"][0]["domain"], "test-km.com", "domain ci")
    eq(query(s, "张三", t).json()["params"]["list"][0]["natureName"], "个人", "by unit name")
    eq(query(s, "limited-km.com", t).json()["params"]["list"][0]["limitAccess"], "是")
    eq(query(s, "test-km", t).json()["params"]["total"], 0, "no partial domain match")
    rec = query(s, "test-km.com", t).json()["params"]["list"][0]
    d = miit_post(s, "icpAbbreviateInfo/queryDetailByServiceIdAndDomainId",
                  {"mainId": rec["mainId"], "domainId": rec["domainId"], "serviceId": rec["serviceId"]}, t).json()
    eq((d["params"]["homeUrl"], d["params"]["serviceLicence"]), ("www.test-km.com", "浙ICP备2024001234号-1"))


@test("test")
def miit_errors(s):
    t = miit_token(s)
    eq(query(s, "qq.com", "not-a-token").text, '{"success":false,"code":401,"msg":"token过期,请及时刷新页面"}')
    r = miit_post(s, "icpAbbreviateInfo/queryByCondition", {"unitName": "qq.com"}, t, ctype="text/plain")
    eq(r.text, '{"success":false,"code":415,"msg":"参数异常,content_type_not_supported"}')
    r = miit_post(s, "icpAbbreviateInfo/queryByCondition", {"unitName": "qq.com"}, t, compact=False)
    eq(r.status, 403)
    ok("创宇盾" in r.text and "365cyd" in r.text and "wafblock" in r.text, "WAF page")
    eq(control(s, "icp", {"token_ttl_queries": 2}).status, 200)
    t = miit_token(s)
    eq([query(s, "qq.com", t).json()["code"] for _ in range(3)], [200, 200, 401], "token dies after 2")
    eq(control(s, "icp", {"bogus": 1}).status, 400)
    control(s, "reset", {})
    eq(query(s, "qq.com", miit_token(s)).json()["code"], 200, "reset restores switches")


@test("test")
def miit_captcha(s):
    control(s, "icp", {"require_captcha": True})
    t = miit_token(s)
    eq(query(s, "qq.com", t).text, '{"success":false,"code":500,"msg":"请求非法,验证码不匹配!!"}')
    ch = miit_post(s, "image/getCheckImagePoint", {"clientUid": "point-1"}, t).json()
    eq((ch["code"], ch["success"]), (200, True))
    p = ch["params"]
    ok(set(p) == {"uuid", "bigImage", "smallImage", "height", "secretKey"}, "challenge keys")
    gap = solve_slider(p)
    eq(control(s, "captcha?uuid=" + p["uuid"]).json()["gap"], gap, "test hook agrees with the image")
    r = miit_post(s, "image/checkImage", {"key": p["uuid"], "value": str(gap + 20)}, t).json()
    eq(r, {"code": 200, "success": False, "msg": "验证失败"})
    r = miit_post(s, "image/checkImage", {"key": p["uuid"], "value": str(gap)}, t).json()
    eq(r["success"], False, "a failed uuid is dead")
    p = miit_post(s, "image/getCheckImagePoint", {"clientUid": "point-2"}, t).json()["params"]
    r = miit_post(s, "image/checkImage", {"key": p["uuid"], "value": str(solve_slider(p) + 3)}, t).json()
    eq((r["code"], r["success"]), (200, True))
    sign = r["params"]
    ok(isinstance(sign, str) and sign.count(".") == 1, "sign is a string")
    eq(query(s, "qq.com", t, headers={"uuid": p["uuid"], "sign": sign}).text, QQ_BODY, "query with sign")
    eq(query(s, "qq.com", t, headers={"uuid": p["uuid"], "sign": sign + "x"}).json()["code"], 500)
    control(s, "reset", {})


# ---- sites ----

@test("test")
def site_pages(s):
    r = fetch(s, "/site/test-km.com/")
    eq(r.headers["Content-Type"], "text/html; charset=utf-8")
    ok('<meta name="icp" content="浙ICP备2024001234号-1">' in r.text and "<title>测试卡盟</title>" in r.text, "meta")
    ok('浙ICP备2024001234号-1</a>' in r.text and "浙公网安备" in r.text, "footer")
    eq(fetch(s, "/site/test-km.com/", {"If-None-Match": r.headers["ETag"]}).status, 304)
    eq(fetch(s, "/site/test-km.com/", {"If-Modified-Since": r.headers["Last-Modified"]}).status, 304)
    r = fetch(s, "/site/gbk-km.com/")
    eq(r.headers["Content-Type"], "text/html; charset=gbk")
    html = r.body.decode("gbk")
    ok('<meta charset="gbk">' in html and "湘ICP备2025005678号-1" in html, "gbk page")
    try:
        r.body.decode("utf-8")
        ok(False, "gbk body must not be valid UTF-8")
    except UnicodeDecodeError:
        pass
    eq(fetch(s, "/site/unknown-km.com/").status, 404)
    eq(fetch(s, "/site/test-km.com/other").status, 404)
    eq(fetch(s, "/site/down-km.com/").status, 503)
    ok("京ICP备 12000003号-2" in fetch(s, "/site/spaced-km.com/").text, "spaced footer")


# ---- faults ----

def fault(s, kind, **params):
    return fetch(s, "/_fault/%s?%s" % (kind, urllib.parse.urlencode(params)), raw=True)


@test("test")
def fault_status_kinds(s):
    r = fault(s, "status", code=456)
    eq(r.status, 456)
    ok(r.text.startswith("<html>") and "访问" in r.text, "456 html")
    for code in (403, 500, 502, 503):
        eq(fault(s, "status", code=code).status, code)
    eq(fault(s, "456").status, 456, "numeric shorthand")
    r = fault(s, "429", retry_after=7)
    eq((r.status, r.headers["Retry-After"]), (429, "7"))
    eq(fault(s, "429").headers["Retry-After"], "1")
    r = fault(s, "login_html")
    ok(r.status == 200 and r.text.startswith("<!doctype html>") and "请先登录" in r.text
       and "passport.sina" in r.text and "微博" in r.text, "login page")


@test("test")
def fault_json_kinds(s):
    eq(fault(s, "code", code=10005).json()["result"]["status"], {"code": 10005, "msg": "请先登录"})
    eq(fault(s, "code", code=10017, msg="x").json()["result"]["status"], {"code": 10017, "msg": "x"})
    ok(fault(s, "code", code=10005, callback="cb").text.startswith("try{cb("), "code as JSONP")
    d = fault(s, "drift").json()["result"]
    ok(d["status"]["code"] == 0 and "items_v2" in d["data"], "drift")
    h = fault(s, "html_drift").text
    ok("<html" in h and "ts-d-question" not in h and "ts-q-list" not in h, "html drift")
    r = fault(s, "empty")
    eq((r.status, r.body, r.headers["Content-Length"]), (200, b"", "0"))
    r = fault(s, "invalid_utf8")
    eq(r.status, 200)
    try:
        r.body.decode("utf-8")
        ok(False, "must be invalid UTF-8")
    except UnicodeDecodeError:
        pass
    ok(b'"code":0' in r.body, "still an envelope")
    eq(fault(s, "icp_500").text, '{"success":false,"code":500,"msg":"服务器异常"}')
    eq(fault(s, "icp_429").json()["code"], 429)
    r = fault(s, "waf403")
    ok(r.status == 403 and "当前访问疑似黑客攻击，已被创宇盾拦截" in r.text, "waf")


@test("test")
def fault_html_kinds(s):
    r = fault(s, "gbk")
    eq(r.headers["Content-Type"], "text/html; charset=gbk")
    ok("粤ICP备2021123456号-1" in r.body.decode("gbk"), "gbk footer")
    eq(fault(s, "gbk", declare="meta").headers["Content-Type"], "text/html")
    ok('<meta charset' not in fault(s, "gbk", declare="header").body.decode("gbk"), "header only")
    r = fault(s, "etag")
    eq(r.headers["ETag"], '"v1"')
    eq(fetch(s, "/_fault/etag", {"If-None-Match": '"v1"'}).status, 304)
    eq(fetch(s, "/_fault/etag", {"If-None-Match": '"v0"'}).status, 200)
    d = fetch(s, "/_fault/echo", {"User-Agent": "kmrep-test/1", "Cookie": "SUB=abc", "Accept-Encoding": "gzip"}).json()
    eq((d["headers"]["User-Agent"], d["headers"]["Cookie"], d["headers"]["Accept-Encoding"]),
       ("kmrep-test/1", "SUB=abc", "gzip"))
    eq(fault(s, "nope").status, 404)


@test("test")
def fault_redirects(s):
    r = fault(s, "redirect_file")
    eq((r.status, r.headers["Location"]), (302, "file:///etc/passwd"))
    r = fetch(s, "/_fault/redirect_loop?x=1")
    eq((r.status, r.headers["Location"]), (302, "/_fault/redirect_loop?x=1"))
    r = fault(s, "redirect_ok", to="/api/company/search?keywords=x")
    eq((r.status, r.headers["Location"]), (302, "/api/company/search?keywords=x"))
    eq(fault(s, "redirect_ok").headers["Location"], "/_fault/echo")


def raw_get(s, path, timeout=10):
    """(head bytes, body bytes, how it ended) read straight off a socket."""
    c = socket.create_connection(("127.0.0.1", s.port), timeout=timeout)
    c.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode())
    data, end = b"", "eof"
    try:
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        end = "reset"
    except socket.timeout:
        end = "timeout"
    c.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body, end


@test("test")
def fault_broken_transfers(s):
    head, body, end = raw_get(s, "/_fault/truncated")
    n = int(re.search(rb"Content-Length: (\d+)", head).group(1))
    ok(len(body) < n and end == "eof", "truncated: %d of %d, %s" % (len(body), n, end))
    head, body, end = raw_get(s, "/_fault/truncated?bytes=10")
    eq(len(body), 10)
    head, body, end = raw_get(s, "/_fault/reset")
    ok(end == "reset" and len(body) < int(re.search(rb"Content-Length: (\d+)", head).group(1)), "RST: " + end)
    # urllib sees them as errors too
    for kind, exc in (("truncated", httpclient.IncompleteRead), ("reset", (ConnectionResetError, httpclient.IncompleteRead))):
        try:
            fault(s, kind)
            ok(False, kind + " should fail")
        except exc:
            pass


@test("test")
def fault_slow(s):
    t0 = time.time()
    c = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    c.sendall(b"GET /_fault/slow?seconds=1.2&interval=0.3 HTTP/1.1\r\nHost: x\r\n\r\n")
    first = c.recv(4096)
    t_head = time.time() - t0
    data = first
    arrivals = []
    while True:
        chunk = c.recv(4096)
        if not chunk:
            break
        arrivals.append(time.time() - t0)
        data += chunk
        if data.partition(b"\r\n\r\n")[2] and len(data.partition(b"\r\n\r\n")[2]) >= int(
                re.search(rb"Content-Length: (\d+)", data).group(1)):
            break
    c.close()
    body = data.partition(b"\r\n\r\n")[2]
    ok(t_head < 0.25, "headers at once (%.2fs)" % t_head)
    ok(len(arrivals) >= 3 and 1.0 < arrivals[-1] < 3, "drips: %s" % arrivals)
    eq(json.loads(body)["result"]["data"], {"slow": True}, "valid JSON in the end")


@test("test")
def fault_oversized_and_bomb(s):
    r = fault(s, "oversized", mib=1)
    ok(1000000 < len(r.body) <= 1048576, "about 1 MiB: %d" % len(r.body))
    eq(len(r.body), int(r.headers["Content-Length"]))
    ok(len(json.loads(r.body)["result"]["data"]["complaints"]) > 100, "valid JSON")
    r = fault(s, "gzip_bomb", mib=3)
    eq(r.headers["Content-Encoding"], "gzip")
    ok(len(r.body) < 10000, "compressed small: %d" % len(r.body))
    eq(len(gzip.decompress(r.body)), 3 * 1024 * 1024, "inflates to 3 MiB")


@test("test")
def fault_delay(s):
    t0 = time.time()
    eq(fault(s, "delay", seconds=0.3).json(), {"delayed": True})
    ok(time.time() - t0 >= 0.3, "delayed")


# ---- control ----

@test("test")
def control_rules_times_and_log(s):
    eq(control(s, "reset", {}).json(), {"ok": True})
    r = control(s, "fault", {"path_prefix": "/api/company/received_complaints", "query_contains": "couid=" + A,
                             "kind": "500", "times": 2})
    eq(r.json()["ok"], True)
    eq(len(control(s, "faults").json()), 1)
    eq([received(s, A, 1).status for _ in range(3)], [500, 500, 200], "500 twice then success")
    eq(control(s, "faults").json(), [], "used up")
    control(s, "fault", {"path_prefix": "/api/index/s", "query_contains": "keywords=卡密", "kind": "code",
                         "params": {"code": 10005}})
    eq(search(s, "卡密").json()["result"]["status"]["code"], 10005, "unquoted query_contains")
    eq(search(s, "跨年").json()["result"]["status"]["code"], 0, "other keyword unaffected")
    control(s, "fault", {"path_prefix": "/site/", "kind": "delay", "params": {"seconds": 0.05}, "times": 1})
    eq(fetch(s, "/site/test-km.com/").status, 200, "delay passes through")
    eq(control(s, "fault", {"kind": "nope"}).status, 400)
    eq(control(s, "fault", {"kind": "500", "times": 0}).status, 400)
    log = control(s, "log").json()
    eq(len(log), 6, "log entries")
    eq([e["status"] for e in log[:3]], [500, 500, 200])
    eq(log[0]["fault"], "500")
    eq((log[0]["headers"]["cookie"], log[0]["headers"]["cookie_ok"]), (True, True))
    ok(TEST_COOKIE not in json.dumps(log) and "_2AkM" not in json.dumps(log), "no cookie values in the log")
    ok(all(e["path"].startswith("/_control") is False for e in log), "control calls not logged")
    control(s, "reset", {})
    eq(control(s, "log").json(), [], "reset clears the log")
    info = control(s, "info").json()
    eq((info["now"], info["port"], info["cookie"]), ("2026-11-21T00:00:00Z", s.port, TEST_COOKIE))


@test("test")
def log_records_conditional_and_token_headers(s):
    control(s, "reset", {})
    fetch(s, "/site/test-km.com/", {"If-None-Match": '"x"'})
    query(s, "qq.com", miit_token(s))
    log = control(s, "log").json()
    eq(log[0]["headers"]["if_none_match"], '"x"')
    eq((log[-1]["headers"]["token"], log[-1]["headers"]["content_type"]), (True, "application/json"))
    control(s, "reset", {})


# ---- 聚投诉 ----

JTS_COOKIE = "jutous_session_id=testsession"
JTS_SEARCH = "/front/api/search/searchPostList.do"
JTS_DETAIL = "/front/api/post/getPostContent.do"
JTS_CTYPE = "application/json;charset=UTF-8"
GFD = "2352"                     # 功夫贷: the 100 sample complaints


def jts_search(s, kw, page=1):
    return fetch(s, "%s?pageNo=%s&title=%s&listType=1" % (JTS_SEARCH, page, urllib.parse.quote(kw)))


def jts_mlist(s, mid, page, offset="", cookie=JTS_COOKIE):
    path = "/json/merchantPostList/merchantId/%s/listType/1/pageNo/%s/offset/%s" % (mid, page, offset)
    return fetch(s, path, {"Cookie": "SSON=x; " + cookie} if cookie else {})


def jts_all(s, mid, cookie=JTS_COOKIE):
    """Every item of a merchant list, following the cursor; (items, pages)."""
    items, page, offset = [], 1, ""
    while True:
        r = jts_mlist(s, mid, page, offset, cookie)
        eq((r.status, r.headers["Content-Type"]), (200, JTS_CTYPE), "page %d" % page)
        d = r.json()
        items += d["postList"]
        if len(d["postList"]) < 10:
            return items, page
        ok(re.fullmatch(r"[0-9a-f]{24}", d["offset"]), "a full page has a cursor: %r" % d["offset"])
        page, offset = page + 1, d["offset"]


def jts_key(cid):
    return hashlib.sha1(cid.encode()).hexdigest()[:24]


def jts_samples():
    with open(os.path.join(HERE, "..", "data", "jutousu", "nengqiang-test_jutousu_DERIVED.json"),
              encoding="utf-8") as f:
        return json.load(f)


@test("test")
def jts_search_anonymous(s):
    r = jts_search(s, "功夫贷")
    eq((r.status, r.headers["Content-Type"]), (200, JTS_CTYPE))
    d = r.json()
    eq(d["pageNo"], 1)
    eq(len(d["postList"]), 10)
    eq(sorted(d["postList"][0]), ["ctime", "id", "shortTopic", "title", "username"])
    samples = jts_samples()                       # newest first already
    for item, smp in zip(d["postList"], samples):
        eq((item["id"], item["title"], item["shortTopic"], item["ctime"]),
           (int(smp["link"].rsplit("/", 1)[1]), smp["title"], smp["overview"], smp["time"] // 1000), "sample")
        ok(isinstance(item["id"], int) and isinstance(item["ctime"], int), "numbers")
    seen = []
    for page in range(1, 12):
        seen += jts_search(s, "功夫贷", page).json()["postList"]
    eq(len(seen), 100, "10 pages of 功夫贷 and an empty 11th")
    eq(jts_search(s, "功夫贷", 11).json(), {"postList": [], "pageNo": 11})
    times = [i["ctime"] for i in seen]
    eq(times, sorted(times, reverse=True), "newest first")
    want = [int(x["link"].rsplit("/", 1)[1]) for x in samples if "超出本金" in x["title"] + x["overview"]]
    eq(len(want), 3)
    eq([i["id"] for i in jts_search(s, "超出本金").json()["postList"]], want, "plain substring over title and topic")
    # merchantname matches too, look-alikes included: 搜索卡盟 has no merchant
    eq([i["id"] for i in jts_search(s, "搜索卡盟").json()["postList"]], [2250201, 2250203, 2250202])
    eq(jts_search(s, "没有这个词").json(), {"postList": [], "pageNo": 1})
    ok("\\u" not in jts_search(s, "测试卡盟").text, "UTF-8, not \\u escapes")
    for q in ("pageNo=1&listType=1", "pageNo=1&title=&listType=1", "title=x", "pageNo=0&title=x",
              "pageNo=abc&title=x", "pageNo=-1&title=x", "pageNo=1&title=%ff"):
        r = fetch(s, JTS_SEARCH + "?" + q)
        eq((r.status, r.json()), (400, {"code": 400, "msg": "参数错误"}), q)
    eq(fetch(s, "/front/api/nope.do").status, 404)
    eq(fetch(s, JTS_SEARCH + "?pageNo=1&title=x", data=b"", method="POST").status, 405)


@test("test")
def jts_merchant_list_cookie_and_cursor(s):
    for cookie in (None, "jutous_session_id=wrong", TEST_COOKIE):
        r = jts_mlist(s, GFD, 1, cookie=cookie)
        eq(r.status, 200)
        ok(r.headers["Content-Type"].startswith("text/html") and "登录聚投诉" in r.text, "login wall: %s" % cookie)
    items, pages = jts_all(s, GFD)
    eq((len(items), pages), (100, 11), "10 full pages, then an empty one")
    eq([i["id"] for i in items], [int(x["link"].rsplit("/", 1)[1]) for x in jts_samples()])
    eq(sorted(items[0]), ["ctime", "id", "shortTopic", "shuqiu", "title"])
    eq(items[2]["shuqiu"], "停止骚扰,道歉,赔偿,销账")
    d1 = jts_mlist(s, GFD, 1).json()
    d2 = jts_mlist(s, GFD, 2, d1["offset"]).json()
    eq(d1["offset"], hashlib.sha1(("2352:%d" % d1["postList"][-1]["id"]).encode()).hexdigest()[:24])
    ok(d2["offset"] != d1["offset"] and d2["postList"][0]["id"] != d1["postList"][0]["id"], "page 2 moves on")
    last = jts_mlist(s, GFD, 11, jts_mlist(s, GFD, 10, jts_mlist(s, GFD, 9, "x").json().get("offset", "")).json()
                     .get("offset", "")).json()
    ok("code" in last, "a chain built on a bad cursor fails: %r" % last)
    # the cursor is checked: wrong, missing, stale, or one from another merchant
    for page, offset in ((2, ""), (2, "0" * 24), (3, d1["offset"]), (1, d1["offset"]), (2, d2["offset"])):
        r = jts_mlist(s, GFD, page, offset)
        eq((r.status, r.json()), (400, {"code": 400, "msg": "offset无效"}), "page %d offset %r" % (page, offset))
    for bad in ("0", "x", ""):
        eq(jts_mlist(s, GFD, bad).json(), {"code": 400, "msg": "参数错误"}, "pageNo %r" % bad)
    # a short page ends the list
    items, pages = jts_all(s, "38001")
    eq((len(items), pages), (6, 1))
    eq(jts_mlist(s, "38001", 1).json()["offset"], "")
    eq([i["id"] for i in items], [2250101, 2250104, 2250105, 2250102, 2250103, 2250106])
    eq(jts_mlist(s, "99999", 1).json(), {"offset": "", "postList": []}, "unknown merchant")
    eq(jts_mlist(s, "99999", 3, "abc").json(), {"offset": "", "postList": []}, "unknown merchant, any page")
    eq(fetch(s, "/json/merchantPostList/merchantId/2352/listType/1/pageNo/1/offset").status, 404, "path shape")
    log = control(s, "log").json()
    ok(any(e["headers"]["jts_cookie_ok"] for e in log) and not all(e["headers"]["jts_cookie_ok"] for e in log),
       "the log says which requests carried the 聚投诉 cookie")


@test("test")
def jts_complaint_page_and_detail(s):
    r = fetch(s, "/tousu/show/id/1440679")
    eq((r.status, r.headers["Content-Type"]), (200, "text/html; charset=utf-8"))
    ok("<title>功夫贷阶段性持续骚扰催收_聚投诉</title>" in r.text, "title")
    ok('<h1 class="tousu_title">功夫贷阶段性持续骚扰催收</h1>' in r.text, "h1")
    key = re.search(r'<input type="hidden" id="postKeyValue" value="([0-9a-f]{24})">', r.text).group(1)
    eq(key, jts_key("1440679"), "default post key")
    ok('/merchant/show/id/2352"' in r.text, "merchant link")
    eq(fetch(s, "/tousu/show/id/1440679", {"If-None-Match": r.headers["ETag"]}).status, 304)
    d = fetch(s, JTS_DETAIL + "?postKey=" + key)
    eq(d.headers["Content-Type"], JTS_CTYPE)
    post = d.json()["post"]
    eq(sorted(post), ["ctimeStr", "id", "merchantname", "problemLabelList", "shuqiu", "title", "topic", "username"])
    eq((post["id"], post["title"], post["ctimeStr"], post["merchantname"], post["shuqiu"]),
       (1440679, "功夫贷阶段性持续骚扰催收", "2019-11-12 10:28:38", "功夫贷", "停止骚扰,道歉,赔偿,销账"))
    eq(post["problemLabelList"], [{"name": "骚扰"}])
    eq(post["topic"], "其本金加利息已全部还完合同本金，app上最后一期已超出本金范围")
    # a topic with quotes, a newline and a run of spaces goes out as HTML
    post = fetch(s, JTS_DETAIL + "?postKey=" + jts_key("2250104")).json()["post"]
    eq(post["topic"], "测试卡盟首页写着&quot;秒到账&quot;。<br>实际等了两天&nbsp;&nbsp;才到账，客服说活动解释权归平台。")
    eq(post["title"], '测试卡盟"秒到账"是假的')
    eq(post["ctimeStr"], "2026-11-16 09:20:00")
    # HTML topics keep their tags; explicit post_key; empty labels
    post = fetch(s, JTS_DETAIL + "?postKey=0123456789abcdef01234567").json()["post"]
    eq((post["id"], post["topic"], post["problemLabelList"]), (2250106, "<p>两张卡密是同一组 &amp; 第二张无法兑换。</p>", []))
    ok('value="0123456789abcdef01234567"' in fetch(s, "/tousu/show/id/2250106").text, "explicit key on the page")
    # search-only complaints name their merchant without a link
    t = fetch(s, "/tousu/show/id/2250203").text
    ok("搜索卡盟官方店" in t and "/merchant/show/" not in t, "no merchant link")
    eq(fetch(s, JTS_DETAIL + "?postKey=" + "f" * 24).json(), {"post": None, "msg": "帖子不存在"})
    eq(fetch(s, JTS_DETAIL).status, 400)
    for path in ("/tousu/show/id/1", "/tousu/show/id/abc", "/merchant/show/id/1"):
        r = fetch(s, path)
        ok(r.status == 404 and "页面不存在" in r.text, path)
    r = fetch(s, "/merchant/show/id/38001")
    ok(r.status == 200 and '<h1 class="merchant_name">测试卡盟</h1>' in r.text and "<b>6</b>" in r.text, "merchant page")
    ok("<title>功夫贷投诉_聚投诉</title>" in fetch(s, "/merchant/show/id/2352").text, "功夫贷 page")
    r = fetch(s, "/tousu/show/id/1440679", {"Accept-Encoding": "gzip"}, raw=True)
    eq(r.headers["Content-Encoding"], "gzip")


def jts_same_story(s, cid, hm, name, max_hours):
    """聚投诉 complaint cid retells 黑猫 complaint hm (a world dict): same title
    and text, filed later by at most max_hours."""
    post = fetch(s, JTS_DETAIL + "?postKey=" + jts_key(cid)).json()["post"]
    eq((post["title"], post["topic"], post["merchantname"]), (hm["title"], hm["summary"], name), cid)
    item = [i for i in jts_search(s, hm["title"]).json()["postList"] if i["id"] == int(cid)][0]
    sn_item = [i["main"] for i in all_received(s, hm["couid"], cookie=s.hm_cookie)[0]
               if i["main"]["sn"] == hm["sn"]][0]
    lag = item["ctime"] - int(sn_item["timestamp"])
    ok(0 < lag <= max_hours * 3600, "%s filed %d s after %s" % (cid, lag, hm["sn"]))


@test("test")
def jts_world_facts(s):
    """The cross-site duplicates, the look-alike and the card platform, as
    make_worlds.py promises them."""
    world = json.load(open(os.path.join(HERE, "worlds", "test.json"), encoding="utf-8"))
    by_sn = {c["sn"]: c for c in world["heimao"]["complaints"]}
    s.hm_cookie = TEST_COOKIE
    for cid, sn in (("2250101", "17390000102"), ("2250102", "17390000106"), ("2250103", "17390000107")):
        jts_same_story(s, cid, by_sn[sn], "测试卡盟", 6)
    ok(not any(c["title"] == t for c in by_sn.values()
               for t in ("测试卡盟代理提现审核十天不到账",)), "the new ones are new")
    hits = jts_search(s, "速发卡盟").json()["postList"]
    eq(sorted(i["id"] for i in hits), [2250301, 2250302, 2250303])
    for i in hits:
        post = fetch(s, JTS_DETAIL + "?postKey=" + jts_key(str(i["id"]))).json()["post"]
        ok("卡密" in post["title"] + post["topic"] and post["merchantname"] == "速发卡盟", "卡密: %d" % i["id"])
    eq(jts_mlist(s, "38002", 1).json()["offset"], "")
    eq(len(jts_mlist(s, "38002", 1).json()["postList"]), 3)


@test("test")
def jts_fault_kinds(s):
    r = fault(s, "jts_login")
    ok(r.status == 200 and r.headers["Content-Type"].startswith("text/html") and "登录聚投诉" in r.text, "login")
    r = fault(s, "jts_html_error")
    ok(r.status == 200 and r.headers["Content-Type"].startswith("text/html") and "系统繁忙" in r.text, "busy")
    d = fault(s, "jts_drift").json()
    ok("postList" not in d and "offset" not in d and d["data"]["posts"][0]["postId"] and "cursor" in d, "drift")
    eq(fault(s, "jts_empty").json(), {"offset": "x", "postList": []})
    # as rules on the merchant list
    control(s, "reset", {})
    control(s, "fault", {"path_prefix": "/json/merchantPostList/", "kind": "jts_cursor_repeat"})
    d1 = jts_mlist(s, GFD, 1, cookie=None).json()
    d2 = jts_mlist(s, GFD, 2, d1["offset"], cookie=None).json()
    d3 = jts_mlist(s, GFD, 3, d2["offset"], cookie=None).json()
    ok(d1["offset"] and d1["offset"] == d2["offset"] == d3["offset"], "the cursor never moves")
    eq(len(d2["postList"]), 10, "full pages")
    eq(jts_mlist(s, GFD, 1, cookie=None).json()["offset"], d1["offset"], "page 1 always the same cursor")
    eq(jts_mlist(s, "38001", 1, cookie=None).json()["postList"][0]["id"], 2250101, "padded to a full page")
    eq(len(jts_mlist(s, "38001", 1, cookie=None).json()["postList"]), 10)
    control(s, "reset", {})
    control(s, "fault", {"path_prefix": "/json/merchantPostList/", "query_contains": "", "kind": "jts_empty",
                         "times": 1})
    eq(jts_mlist(s, GFD, 1).json(), {"offset": "x", "postList": []})
    eq(len(jts_mlist(s, GFD, 1).json()["postList"]), 10, "times: 1")
    for kind in ("jts_login", "jts_drift", "jts_html_error", "429", "500"):
        control(s, "reset", {})
        control(s, "fault", {"path_prefix": JTS_SEARCH, "kind": kind, "times": 1})
        eq(control(s, "log").json(), [])
        r = jts_search(s, "功夫贷")
        eq(control(s, "log").json()[0]["fault"], kind)
        ok(r.status != 200 or "postList" not in r.text, kind)
    control(s, "reset", {})
    # escapes: detail, merchant list, search
    hostile = "\x1b]0;x\x07"
    post = fault(s, "jts_escapes").json()["postList"][0]
    ok(all(hostile in post[k] for k in ("title", "shortTopic", "username")), "search item")
    control(s, "fault", {"path_prefix": "/", "kind": "jts_escapes", "times": 3})
    post = fetch(s, JTS_DETAIL + "?postKey=" + jts_key("1440679")).json()["post"]
    ok(all(hostile in post[k] for k in ("title", "topic", "merchantname", "username")), "detail")
    item = jts_mlist(s, GFD, 1).json()["postList"][0]
    ok(hostile in item["title"] and hostile in item["shortTopic"] and item["ctime"] == 1790000000, "merchant item")
    ok(hostile in jts_search(s, "x").json()["postList"][0]["title"], "search")
    control(s, "reset", {})


@test("test")
def jts_fault_slow(s):
    control(s, "reset", {})
    control(s, "fault", {"path_prefix": JTS_SEARCH, "kind": "jts_slow",
                         "params": {"seconds": 1, "interval": 0.25}, "times": 1})
    t0 = time.time()
    r = jts_search(s, "测试卡盟")
    ok(time.time() - t0 >= 0.7, "slow")
    eq(r.json(), json.loads(jts_search(s, "测试卡盟").body), "the world's own body, dripped")
    r = fault(s, "jts_slow", seconds=0.3, interval=0.1)
    eq(len(r.json()["postList"]), 1)
    control(s, "reset", {})


# ---- demo world ----

@test("demo")
def demo_jutousu(s):
    world = json.load(open(os.path.join(HERE, "worlds", "demo.json"), encoding="utf-8"))
    s.hm_cookie = DEMO_COOKIE
    cookie = world["jutousu"]["cookie"]
    xinyuan = sorted((c for c in world["heimao"]["complaints"] if c["couid"] == DEMO["鑫源卡盟"]),
                     key=lambda c: c["age_days"])[:3]
    for i, hm in enumerate(xinyuan):
        jts_same_story(s, str(2260101 + i), hm, "鑫源卡盟", 4)
    items, pages = jts_all(s, "38011", cookie)
    eq(sorted(i["id"] for i in items), list(range(2260101, 2260107)))
    eq(len(jts_all(s, GFD, cookie)[0]), 100)
    hits = jts_search(s, "云端卡盟").json()["postList"]
    eq(sorted(i["id"] for i in hits), [2260201, 2260202, 2260203])
    names = {i["id"]: fetch(s, JTS_DETAIL + "?postKey=" + jts_key(str(i["id"]))).json()["post"]["merchantname"]
             for i in hits}
    eq(names, {2260201: "云端卡盟", 2260202: "云端卡盟", 2260203: "云端卡盟官方店"})
    eq(sorted(i["id"] for i in jts_search(s, "速发卡盟").json()["postList"]), [2260301, 2260302, 2260303])
    ok(all(fetch(s, "/merchant/show/id/%s" % m).status == 200 for m in ("2352", "38011", "38012")), "pages")


DEMO = {"启慧卡盟": "7301845520", "启慧卡盟官方旗舰店": "7301845537", "新启慧卡盟": "7302210018",
        "星辰卡盟": "6938201174", "云端卡盟": "6817736502", "鑫源卡盟": "7355120846",
        "速达卡盟": "7012458893", "诚信卡盟": "6590011235", "金盾卡盟": "7120984467"}
DEMO_COOKIE = "SUB=_2AkMdemo"


def demo_items(s, name):
    return all_received(s, DEMO[name], DEMO_COOKIE)[0]


@test("demo")
def demo_search_returns_lookalikes(s):
    lists = fetch(s, "/api/company/search?keywords=" + urllib.parse.quote("启慧卡盟")).json()["result"]["data"]["lists"]
    eq([m["title"] for m in lists][0], "启慧卡盟")
    eq(set(m["title"] for m in lists), {"启慧卡盟", "启慧卡盟官方旗舰店", "新启慧卡盟"})
    eq(received(s, DEMO["启慧卡盟"], 1).json()["result"]["status"]["code"], 10005, "demo cookie differs")


@test("demo")
def demo_scenarios(s):
    now = control(s, "info").json()["now_epoch"]
    ok(abs(now - time.time()) < 60, "relative world: now is the real time")
    counts = {n: len(demo_items(s, n)) for n in DEMO}
    eq((counts["启慧卡盟"], counts["星辰卡盟"], counts["云端卡盟"], counts["诚信卡盟"]), (25, 15, 20, 0))
    ok(counts["金盾卡盟"] >= 5 and counts["启慧卡盟官方旗舰店"] >= 1, "look-alike and 金盾 have complaints")
    age = lambda i: (now - int(i["main"]["timestamp"])) / 86400
    qh = demo_items(s, "启慧卡盟")
    ok(sum(i["main"]["status"] == 7 for i in qh) >= 20 and max(map(age, qh)) > 1000, "启慧: 3 years, mostly 7")
    yd = demo_items(s, "云端卡盟")
    ok(all(i["main"]["status"] in (3, 4) for i in yd), "云端: all unanswered")
    xy = [i for i in demo_items(s, "鑫源卡盟") if age(i) < 30]
    runners = {i["author"].get("title") for i in xy if re.search("跑路|诈骗|骗", i["main"]["title"] + i["main"]["summary"])
               and i["main"]["status"] in (3, 4)}
    ok(len(runners) >= 3, "鑫源: 跑路/诈骗 by distinct authors in 30 days: %s" % runners)
    sd = demo_items(s, "速达卡盟")
    ok(sum(age(i) < 14 for i in sd) >= 6 and sum(14 <= age(i) < 104 for i in sd) == 0, "速达 spike")
    # the twin complaint: consecutive sns, same text, different merchants
    xc = {i["main"]["sn"]: i["main"] for i in demo_items(s, "星辰卡盟")}
    yds = {i["main"]["sn"]: i["main"] for i in yd}
    twins = [(a, str(int(a) + 1)) for a in xc if str(int(a) + 1) in yds]
    eq(len(twins), 1, "one twin pair")
    a, b = xc[twins[0][0]], yds[twins[0][1]]
    ok(a["title"] == b["title"] and a["timestamp"] == b["timestamp"] and a["status"] != b["status"], "twin")


@test("demo")
def demo_every_detail_page_renders(s):
    n = 0
    for name in list(DEMO) + list(DISCOVER):
        for i in all_received(s, DEMO.get(name) or DISCOVER[name], DEMO_COOKIE)[0]:
            url = i["main"]["url"].replace("//tousu.sina.com.cn", "")
            h = fetch(s, url).text
            ok('<h1 class="article">' in h and "ts-d-steplist" in h, "detail " + url)
            if i["main"]["status"] == 7:
                ok(re.search("确认完成|自动完成", h), "completed timeline " + url)
            n += 1
    total = len(json.load(open(os.path.join(HERE, "worlds", "demo.json")))["heimao"]["complaints"])
    eq(n, total, "every complaint belongs to a listed merchant")
    last = (total + 9) // 10
    d = feed(s, last).json()["result"]["data"]
    eq((d["pager"]["item_count"], len(d["lists"])), (total, total - 10 * (last - 1)))


@test("demo")
def demo_icp_and_sites(s):
    t = miit_token(s)
    q = lambda u: query(s, u, t).json()["params"]
    eq(q("qihui-km.com")["list"][0]["natureName"], "企业")
    eq(q("yunduan-km.cn")["list"][0]["natureName"], "个人")
    eq(q("xinyuan-km.com")["total"], 0)
    eq(q("jindun-km.com")["total"], 0)
    ok("浙ICP备19034567号-1</a>" in fetch(s, "/site/qihui-km.com/").text, "启慧 prints its own number")
    jd = fetch(s, "/site/jindun-km.com/").text
    stolen = re.search(r"沪ICP备\d+号-\d", jd).group(0)
    eq(q(stolen)["list"][0]["domain"], "shxinda-data.com", "金盾's number belongs to another domain")
    eq(q("浙ICP备19034567号")["total"], 2, "main number lists both 启慧 sites")
    r = fetch(s, "/site/xingchen-km.com/")
    ok(r.headers["Content-Type"].endswith("gbk") and "粤ICP备2020087654号" in r.body.decode("gbk"), "星辰 gbk")
    for d in ("suda-km.net", "chengxin-km.com", "yunduan-km.cn", "xinyuan-km.com"):
        eq(fetch(s, "/site/%s/" % d).status, 200)
    eq(len(demo_items(s, "诚信卡盟")), 0)
    ok(q("chengxin-km.com")["total"] == 1, "诚信 filed")


# ---- process-level ----

# ---- discover: untracked card platforms, look-alikes and non-card merchants ----

WORDS = ("卡盟", "发卡", "卡密", "点卡", "自动发卡", "代充")
DISCOVER = {"闪电发卡网": "7100000001", "腾讯游戏官方旗舰店": "7100000002",
            "招商银行信用卡中心": "7100000003", "老牌点卡网": "7100000004"}
# Which of the category's words find each merchant by 黑猫's /api/index/s.
DISCOVER_WORDS = {"闪电发卡网": {"发卡", "卡密", "自动发卡"}, "腾讯游戏官方旗舰店": {"点卡", "卡密"},
                  "招商银行信用卡中心": {"代充"}, "老牌点卡网": {"点卡", "卡密"}}
# A word that finds every complaint of the merchant (代充 finds one of 招商's two).
EVERY = {"闪电发卡网": "发卡", "腾讯游戏官方旗舰店": "点卡", "老牌点卡网": "点卡"}


def search_all(s, kw, cookie):
    items, page = [], 1
    while True:
        d = search(s, kw, page, cookie).json()["result"]["data"]
        items += [i["main"] for i in d["lists"]]
        if not d["pager"]["next"]:
            eq(len(items), d["pager"]["item_count"], kw)
            return items
        page += 1


def feed_all(s):
    items, page = [], 1
    while True:
        d = feed(s, page).json()["result"]["data"]
        items += [i["main"] for i in d["lists"]]
        if not d["pager"]["next"]:
            return items
        page += 1


def discover_checks(s, world_name, cookie, jts_mid, jts_cid, card_mid):
    """What `kmrep discover` must find in a world (make_worlds.py,
    discover_heimao and jts_noncard): each new 黑猫 merchant is found by
    exactly its words (title/summary/cotitle), is in the feed with every
    complaint, and has the promised ages; 聚投诉's 代充 hit names 中国移动在线营业厅
    and links its merchant page, as every complaint page with a merchant does."""
    world = json.load(open(os.path.join(HERE, "worlds", world_name + ".json"), encoding="utf-8"))
    now = control(s, "info").json()["now_epoch"]
    mine = {name: [c for c in world["heimao"]["complaints"] if c["couid"] == couid]
            for name, couid in DISCOVER.items()}
    eq({n: len(v) for n, v in mine.items()},
       {"闪电发卡网": 3, "腾讯游戏官方旗舰店": 2, "招商银行信用卡中心": 2, "老牌点卡网": 2})
    found = {name: set() for name in DISCOVER}
    for w in WORDS:
        hits = search_all(s, w, cookie)
        for name, couid in DISCOVER.items():
            got = {i["sn"] for i in hits if i["couid"] == couid}
            if got:
                ok(all(i["cotitle"] == name for i in hits if i["couid"] == couid), "cotitle " + name)
                found[name].add(w)
                if w == EVERY.get(name):
                    eq(got, {c["sn"] for c in mine[name]}, "%s finds every complaint of %s" % (w, name))
    eq(found, DISCOVER_WORDS, "the words that find each merchant")
    ok(not any("卡盟" in c["title"] + c["summary"] for cs in mine.values() for c in cs), "no 卡盟 in the texts")
    eq(sum((c["title"] + c["summary"]).count("代充") for c in mine["招商银行信用卡中心"]), 1, "代充 once")
    fed = {i["sn"]: i for i in feed_all(s)}
    eq(len(fed), len(world["heimao"]["complaints"]), "the feed has every complaint")
    for name, couid in DISCOVER.items():
        for c in mine[name]:
            ok(c["sn"] in fed and fed[c["sn"]]["couid"] == couid and fed[c["sn"]]["cotitle"] == name,
               "feed has %s %s" % (name, c["sn"]))
    age = {sn: (now - int(fed[sn]["timestamp"])) / 86400.0 for sn in fed}
    ok(all(age[c["sn"]] < 60 for c in mine["闪电发卡网"]), "闪电发卡网 within 60 days")
    eq(len({c["author"] for c in mine["闪电发卡网"]}), 3, "distinct authors")
    eq(sum("跑路" in c["title"] + c["summary"] for c in mine["闪电发卡网"]), 1, "one 跑路")
    eq(sum("自动发卡" in c["title"] + c["summary"] for c in mine["闪电发卡网"]), 2, "two 自动发卡")
    ok(all(age[c["sn"]] < 90 for n in ("腾讯游戏官方旗舰店", "招商银行信用卡中心") for c in mine[n]),
       "the false positives are within 90 days")
    ok(all(400 < age[c["sn"]] < 1095 for c in mine["老牌点卡网"]), "老牌点卡网 is 400+ days old")
    for name, couid in DISCOVER.items():
        r = fetch(s, "/api/company/search?keywords=" + urllib.parse.quote(name)).json()
        eq([(m["uid"], m["complaint_amount"]) for m in r["result"]["data"]["lists"]], [(couid, len(mine[name]))])
        h = fetch(s, fed[mine[name][0]["sn"]]["url"].replace("//tousu.sina.com.cn", "")).text
        ok(name in h, "detail page names " + name)
    # 聚投诉: 代充 finds 中国移动在线营业厅 (and 卡盟/卡密 do not); 速发卡盟 is found by 卡盟/发卡/卡密.
    hits = {w: {i["id"] for i in jts_search_all(s, w)} for w in WORDS}
    eq({w for w in WORDS if int(jts_cid) in hits[w]}, {"代充"}, "words finding " + jts_cid)
    card = {int(c["id"]) for c in world["jutousu"]["complaints"] if c.get("merchant") == card_mid}
    eq({w for w in WORDS if card <= hits[w]}, {"卡盟", "发卡", "卡密"}, "words finding 速发卡盟")
    post = fetch(s, JTS_DETAIL + "?postKey=" + jts_key(jts_cid)).json()["post"]
    ok(post["merchantname"] == "中国移动在线营业厅" and "代充" in post["title"], "detail " + jts_cid)
    eq(len(jts_mlist(s, jts_mid, 1, cookie=world["jutousu"]["cookie"]).json()["postList"]), 1)
    ok("中国移动在线营业厅" in fetch(s, "/merchant/show/id/" + jts_mid).text, "merchant page " + jts_mid)
    merchants = {m["id"] for m in world["jutousu"]["merchants"]}
    for c in world["jutousu"]["complaints"]:
        h = fetch(s, "/tousu/show/id/" + c["id"]).text
        link = 'href="//ts.21cn.com/merchant/show/id/%s"' % c.get("merchant")
        eq(link in h, c.get("merchant") in merchants, "投诉对象 link on " + c["id"])


def jts_search_all(s, kw):
    items, page = [], 1
    while True:
        got = jts_search(s, kw, page).json()["postList"]
        if not got:
            return items
        items += got
        page += 1


@test("test")
def discover_test_world(s):
    discover_checks(s, "test", TEST_COOKIE, "38003", "2250401", "38002")


@test("demo")
def discover_demo_world(s):
    discover_checks(s, "demo", DEMO_COOKIE, "38013", "2260401", "38012")


def standalone_checks():
    """Tests that start their own servers.  Returns a list of (name, error)."""
    results = []

    def run(name, fn):
        try:
            fn()
            results.append((name, None))
        except Exception:
            results.append((name, traceback.format_exc()))

    tmp = tempfile.mkdtemp(prefix="kmrep-ss-")

    def world_faults():
        path = os.path.join(tmp, "faulty.json")
        json.dump({"now": "2026-01-01T00:00:00+08:00", "heimao": {"merchants": [{"couid": "1", "title": "x"}]},
                   "faults": [{"path_prefix": "/api/company/search", "kind": "status", "params": {"code": 456},
                               "times": 1}]}, open(path, "w"))
        with Server(path) as s:
            eq(fetch(s, "/api/company/search?keywords=x").status, 456)
            eq(fetch(s, "/api/company/search?keywords=x").status, 200)
            eq(control(s, "info").json()["now"], "2025-12-31T16:00:00Z")
        eq(s.proc.returncode, 0, "SIGTERM exit status")
        eq(s.stderr, "", "nothing on stderr")

    def bad_world():
        path = os.path.join(tmp, "bad.json")
        json.dump({"heimao": {"complaints": [{"sn": "1", "couid": "x"}]}}, open(path, "w"))
        p = subprocess.run([sys.executable, SERVER, "--world", path], capture_output=True, text=True, timeout=10)
        eq(p.returncode, 2)
        ok("bad world" in p.stderr and "couid" in p.stderr, p.stderr)

    def bad_jts_worlds():
        for i, (jt, word) in enumerate((
                ({"complaints": [{"id": "1", "title": "t", "topic": "x", "username": "u", "age_days": 1}]},
                 "merchantname"),
                ({"complaints": [{"id": "1", "merchantname": "m", "title": "t", "topic": "x", "username": "u",
                                  "age_days": 1, "post_key": "ABC"}]}, "post_key"),
                ({"merchants": [{"id": "x", "name": "m"}]}, "id"))):
            path = os.path.join(tmp, "bad_jts%d.json" % i)
            json.dump({"jutousu": jt}, open(path, "w"))
            p = subprocess.run([sys.executable, SERVER, "--world", path], capture_output=True, text=True, timeout=10)
            eq(p.returncode, 2, word)
            ok("bad world" in p.stderr and "jutousu" in p.stderr and word in p.stderr, p.stderr)

    def bind_refused():
        p = subprocess.run([sys.executable, SERVER, "--world", os.path.join(HERE, "worlds", "test.json"),
                            "--bind", "0.0.0.0"], capture_output=True, text=True, timeout=10)
        eq(p.returncode, 2)

    def worlds_up_to_date():
        p = subprocess.run([sys.executable, os.path.join(HERE, "make_worlds.py"), "--check"],
                           capture_output=True, text=True, timeout=30)
        eq(p.returncode, 0, "worlds/*.json match make_worlds.py: " + p.stdout)

    def jts_fixtures_up_to_date():
        p = subprocess.run([sys.executable, os.path.join(HERE, "make_jts_fixtures.py"), "--check"],
                           capture_output=True, text=True, timeout=30)
        eq(p.returncode, 0, "tests/data/jutousu match make_jts_fixtures.py: " + p.stdout + p.stderr)

    def sigint_while_slow():
        with Server(os.path.join(HERE, "worlds", "test.json")) as s:
            c = socket.create_connection(("127.0.0.1", s.port))
            c.sendall(b"GET /_fault/slow?seconds=30 HTTP/1.1\r\nHost: x\r\n\r\n")
            time.sleep(0.3)
            s.proc.send_signal(signal.SIGINT)
            s.proc.wait(5)
            c.close()
        eq(s.proc.returncode, 0, "exits promptly even with a slow response in flight")

    for name, fn in (("world_faults_and_sigterm", world_faults), ("bad_world_exits_2", bad_world),
                     ("bad_jutousu_world_exits_2", bad_jts_worlds),
                     ("bind_other_than_loopback_refused", bind_refused), ("worlds_up_to_date", worlds_up_to_date),
                     ("jts_fixtures_up_to_date", jts_fixtures_up_to_date),
                     ("sigint_while_slow", sigint_while_slow)):
        run(name, fn)
    return results


def main():
    sys.path.insert(0, HERE)
    verbose = "-v" in sys.argv
    only = sys.argv[sys.argv.index("-k") + 1] if "-k" in sys.argv else ""
    t0 = time.time()
    results = []
    for world in ("test", "demo"):
        chosen = [fn for w, fn in TESTS if w == world and only in fn.__name__]
        if not chosen:
            continue
        with Server(os.path.join(HERE, "worlds", world + ".json")) as s:
            for fn in chosen:
                try:
                    fn(s)
                    results.append((world + ":" + fn.__name__, None))
                except Exception:
                    results.append((world + ":" + fn.__name__, traceback.format_exc()))
        if s.stderr:
            results.append((world + ":server_stderr_empty", "server wrote to stderr:\n" + s.stderr))
    if not only or only == "standalone":
        results += standalone_checks()
    failed = [(n, e) for n, e in results if e]
    for n, e in results:
        if e or verbose:
            print(("FAIL " if e else "ok   ") + n)
        if e:
            print(e)
    if verbose:
        print("%.1f s" % (time.time() - t0))
    print("%d passed, %d failed" % (len(results) - len(failed), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
