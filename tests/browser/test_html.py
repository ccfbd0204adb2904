"""The HTML report (report/render_html.c) from the demo world, plus one
platform whose name, merchant and complaint titles and summaries are hostile
markup (the page shows the name; titles are stored but shown nowhere yet).

dom_* cases read the page with Python's html.parser (no browser needed).
chromium_* cases open it in headless Chromium (Debian's `chromium`) with
networking off (a proxy to nowhere, every host unresolvable): no console
message and no request from the page, the rendered DOM's rows and charts
carry the JSON report's numbers, screenshots at 1280 and 360 px are not
blank, the 360 px page does not scroll sideways, and the hostile text is
text.  Without chromium they print "skipped: no chromium" and exit 77.

Test-only wrapper pages (with script, which the report never has) measure
the report inside an iframe, read through --allow-file-access-from-files."""
import copy
import html
import html.parser
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
import kmtest  # noqa: E402

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
EVIL_NAME = HOSTILE
EVIL_DOMAIN = "eyi-km.com"
EVIL_COUID = "7999999999"
DEMO = [("启慧卡盟", "qihui-km.com"), ("星辰卡盟", "xingchen-km.com"),
        ("云端卡盟", "yunduan-km.cn"), ("鑫源卡盟", "xinyuan-km.com"),
        ("速达卡盟", "suda-km.net"), ("诚信卡盟", "chengxin-km.com"),
        ("金盾卡盟", "jindun-km.com")]


def hostile_world(world):
    """The demo world plus a merchant called HOSTILE with six complaints whose
    titles and summaries are HOSTILE too."""
    hm = world["heimao"]
    hm["merchants"].append({"couid": EVIL_COUID, "title": HOSTILE})
    src = [c for c in hm["complaints"] if c["couid"] == "7355120846"][:6]
    for i, c in enumerate(src):
        c = copy.deepcopy(c)
        c["couid"] = EVIL_COUID
        c["sn"] = str(29990000000 + i)
        c["title"] = HOSTILE + " %d" % i
        c["summary"] = HOSTILE
        hm["complaints"].append(c)


def setup(t):
    """The demo database with the hostile platform; returns the report's
    HTML text and its JSON rows."""
    t.use_demo_world()
    t.extra_world = hostile_world
    for name, dom in DEMO:
        t.add(name, "--domain", dom)
    t.add(EVIL_NAME, "--domain", EVIL_DOMAIN, "--heimao-couid", EVIL_COUID)
    r = t.kmrep("refresh")
    t.check(r.code in (0, 1), r)   # the hostile platform has no home page
    t.page = os.path.join(t.dir, "report.html")
    r = t.kmrep("report", "--format", "html", "--output", t.page)
    t.check_eq((r.code, r.out), (0, ""), r)
    r = t.kmrep("report", "--format", "json")
    t.check_eq(r.code, 0, r)
    with open(t.page, encoding="utf-8") as f:
        return f.read(), r.json()


class Page(html.parser.HTMLParser):
    """Every element with its attributes, the section it is in, and the text."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements = []      # (tag, attrs, section index or -1)
        self.section = -1
        self.text = []
        self.th_text = {}       # overview row index -> its row header's text
        self._row = -1
        self._in_row_th = False
        self._tbody = False
        self._overview = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "section" and "platform" in cls:
            self.section += 1
        if tag == "table":
            self._overview = "overview" in cls
        if tag == "tbody" and self._overview:
            self._tbody = True
        if tag == "tr" and self._tbody:
            self._row += 1
            self.th_text[self._row] = ""
        if tag == "th" and self._tbody and a.get("scope") == "row":
            self._in_row_th = True
        self.elements.append((tag, a, self.section))

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_row_th = False
        if tag == "tbody":
            self._tbody = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_row_th:
            self.th_text[self._row] += data

    def find(self, tag, cls=None):
        return [(a, s) for t, a, s in self.elements
                if t == tag and (cls is None or cls in (a.get("class") or "").split())]


def overview_rows(page):
    return [a for t, a, s in page.elements if t == "tr" and "data-verdict" in a and s == -1]


def check_numbers(t, page, rows):
    """One overview row and one chart per platform, in the JSON's order and
    with its numbers."""
    got = overview_rows(page)
    t.check_eq(len(got), len(rows), "overview rows vs JSON rows")
    t.check_eq(len(rows), len(DEMO) + 1, "platforms")
    sections = page.find("section", "platform")
    t.check_eq(len(sections), len(rows), "sections")
    charts = page.find("svg", "months")
    t.check_eq(len(charts), len(rows), "one chart per platform")
    for i, (a, j) in enumerate(zip(got, rows)):
        t.check_eq(page.th_text[i], j["name"], "row %d name" % i)
        t.check_eq(a["data-verdict"], j["verdict"], j["name"])
        want_score = "" if j["score"] is None else "%.1f" % float(j["score"])
        t.check_eq(a["data-score"], want_score, j["name"])
        t.check_eq(a["data-grade"], j["grade"], j["name"])
        t.check_eq(int(a["data-complaints"]), int(j["complaints"]), j["name"])
        chart, sec = charts[i]
        t.check_eq(sec, i, "chart %d is in section %d" % (i, sec))
        t.check_eq(int(chart["data-total"]), int(j["complaints"]), j["name"] + " chart total")
        bars = sum(int(a2["data-n"]) for t2, a2, s2 in page.elements
                   if t2 == "rect" and s2 == i and "data-n" in a2)
        t.check_eq(bars, int(j["complaints"]), j["name"] + " sum of the chart's bars")
        t.check_eq(sections[i][0]["data-verdict"], j["verdict"], j["name"])
    t.check(any(int(j["complaints"]) > 0 for j in rows), "no complaints at all")


def check_inert(t, page, raw):
    """Nothing that runs or fetches: no script, no event handler, no
    embedded or linked resource, links only to http(s) or the page itself."""
    for tag, a, _ in page.elements:
        t.check(tag not in ("script", "img", "iframe", "object", "embed", "link", "base",
                            "form", "image"), "element <%s> %r" % (tag, a))
        for k, v in a.items():
            t.check(not k.startswith("on"), "event handler %s=%r on <%s>" % (k, v, tag))
            if k in ("src", "srcset", "action", "xlink:href", "poster", "background"):
                raise kmtest.Failure("<%s %s=%r>" % (tag, k, v))
            if k == "href":
                t.check(v.startswith(("http://", "https://", "#")), "href %r" % v)
            if k == "style":
                t.check("url(" not in v, "style %r" % v)
    t.check("url(" not in raw and "@import" not in raw, "a CSS fetch")
    t.check("Content-Security-Policy" in raw and "default-src 'none'" in raw, "no CSP")


def test_dom_report(t):
    raw, rows = setup(t)
    page = Page(raw)
    check_numbers(t, page, rows)
    check_inert(t, page, raw)
    text = "".join(page.text)
    t.check(HOSTILE in text, "the hostile platform name is not shown as text")
    t.check(html.escape(HOSTILE, quote=False) in raw, "not escaped")
    t.check(HOSTILE not in raw, "raw hostile markup in the page")
    t.check('<html lang="zh-CN">' in raw and "所有跟踪的平台" in raw, "not Chinese")
    t.check("风险从高到低" in raw, "the order is not stated")
    for needle in ("<caption>", 'scope="col"', 'scope="row"', "@media print", "size:A4",
                   "<title id=", "<desc id=", 'role="img"'):
        t.check(needle in raw, "missing " + needle)


def test_dom_lang_en(t):
    setup(t)
    out = os.path.join(t.dir, "en.html")
    r = t.kmrep("--lang", "en", "report", "--format", "html", "--output", out)
    t.check_eq(r.code, 0, r)
    with open(out, encoding="utf-8") as f:
        raw = f.read()
    t.check('<html lang="en">' in raw, "lang")
    for word in ("Every tracked platform", "riskiest first", "Where to complain",
                 "Complaints per month"):
        t.check(word in raw, "missing " + word)
    t.check("所有跟踪的平台" not in raw, "Chinese label in the English page")
    r = t.kmrep("report", "--format", "html", "--lang=en")
    t.check_eq((r.code, r.out), (0, raw), "--lang=en after the command, to stdout")
    r = t.kmrep("--lang", "fr", "report", "--format", "html")
    t.check_eq(r.code, 2, r)
    t.check("--lang takes zh or en" in r.err, r)
    # The page's words come from the gettext catalogue: without it the
    # Chinese page falls back to the English source strings.
    empty = os.path.join(t.dir, "no-catalogue")
    os.mkdir(empty)
    r = t.kmrep("report", "--format", "html", env={"KMREP_LOCALEDIR": empty})
    t.check_eq(r.code, 0, r)
    t.check("Every tracked platform" in r.out and "所有跟踪的平台" not in r.out, r.out[:400])
    r = t.kmrep("report", "--format", "html")
    t.check("所有跟踪的平台" in r.out, "the catalogue gives the Chinese page")


def test_dom_check_page(t):
    setup(t)
    out = os.path.join(t.dir, "check.html")
    r = t.kmrep("check", "鑫源卡盟", "--format", "html", "--output", out)
    t.check_eq((r.code, r.out), (0, ""), r)
    t.check_eq(sorted(os.listdir(t.dir)).count("check.html"), 1, os.listdir(t.dir))
    t.check(not [f for f in os.listdir(t.dir) if f.startswith("check.html.tmp")],
            "temp file left")
    with open(out, encoding="utf-8") as f:
        raw = f.read()
    page = Page(raw)
    j = t.kmrep("check", "鑫源卡盟", "--format", "json").json()
    t.check_eq(len(page.find("section", "platform")), 1, "sections")
    t.check_eq(page.find("table", "overview"), [], "a check page has no overview")
    charts = page.find("svg", "months")
    t.check_eq(len(charts), 1, "charts")
    t.check_eq(int(charts[0][0]["data-total"]), j["complaints"]["total"], "chart total")
    bar = {a["data-component"]: float(a["data-points"]) for a, _ in page.find("rect")
           if "data-component" in a}
    t.check_eq(bar, {d["component"]: d["points"] for d in j["deductions"]}, "deductions bar")
    gates = {a["data-gate"] for a, _ in page.find("li") if "data-gate" in a}
    t.check_eq(gates, {g["gate"] for g in j["gates"]}, "gates")
    check_inert(t, page, raw)
    t.check("95%" in raw and "https://www.12315.cn/" in raw and "km-risk/2" in raw, raw[:300])
    # The hostile platform's page: its merchant name is text.
    r = t.kmrep("check", EVIL_NAME, "--format", "html")
    t.check_eq(r.code, 0, r)
    page = Page(r.out)
    check_inert(t, page, r.out)
    t.check(HOSTILE in "".join(page.text), "hostile name not shown")


# --------------------------------------------------------------------------
# Headless Chromium

def chromium_path():
    for name in ("chromium", "chromium-browser"):
        p = shutil.which(name)
        if p:
            return p
    return None


def chromium(t, url, *args, timeout=90):
    """Runs headless chromium offline on url; returns (stdout, stderr, netlog)."""
    profile = tempfile.mkdtemp(prefix="chromium-", dir=t.dir)
    netlog = os.path.join(profile, "netlog.json")
    cmd = [chromium_path(), "--headless=new", "--no-sandbox", "--disable-gpu",
           "--user-data-dir=" + profile, "--proxy-server=127.0.0.1:9",
           "--host-resolver-rules=MAP * ~NOTFOUND", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run",
           "--disable-default-apps", "--disable-extensions", "--enable-logging=stderr",
           "--v=0", "--log-level=0", "--hide-scrollbars", "--log-net-log=" + netlog,
           *args, url]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                       env=dict(os.environ, LANG="C.UTF-8"))
    events = []
    if os.path.exists(netlog):
        with open(netlog, encoding="utf-8", errors="replace") as f:
            text = f.read().rstrip().rstrip(",")
        if not text.endswith("}"):
            text += "]}"
        try:
            log = json.loads(text)
            names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
            events = [(names.get(e["type"]), e.get("params", {})) for e in log["events"]]
        except (ValueError, KeyError):
            events = []
    return p.stdout, p.stderr, events


def page_requests(events):
    """The URLs the page asked for: requests with an origin (Chromium's own
    update and account checks have none) or isolated under file://."""
    out = []
    for name, p in events:
        if name != "URL_REQUEST_START_JOB" or "url" not in p:
            continue   # the job's end (phase END) carries only net_error
        if p.get("initiator") != "not an origin" or "file://" in p.get("network_isolation_key", ""):
            out.append(p.get("url"))
    return out


def console_lines(stderr):
    return [ln for ln in stderr.splitlines() if ":CONSOLE" in ln]


def needs_chromium(fn):
    def run(t):
        if not chromium_path():
            print("skipped: no chromium", file=sys.stderr)
            sys.exit(77)
        fn(t)
    run.__name__ = fn.__name__
    return run


def file_url(path):
    return "file://" + os.path.abspath(path)


@needs_chromium
def test_chromium_offline(t):
    # The detectors work: a page that logs and fetches is caught by both.
    ctl = os.path.join(t.dir, "control.html")
    with open(ctl, "w") as f:
        f.write('<!DOCTYPE html><meta charset="utf-8"><p>x</p>'
                '<img src="http://example.com/x.png"><script>console.error("boom")</script>')
    _, err, events = chromium(t, file_url(ctl), "--dump-dom")
    t.check(any("boom" in ln for ln in console_lines(err)), "console not seen:\n" + err[-3000:])
    t.check("http://example.com/x.png" in page_requests(events),
            "request not seen: %r" % page_requests(events))

    raw, rows = setup(t)
    dom, err, events = chromium(t, file_url(t.page), "--dump-dom")
    t.check_eq(console_lines(err), [], "console messages")
    t.check_eq(page_requests(events), [], "requests from the page")
    t.check("<html" in dom[:200], dom[:200])
    check_numbers(t, Page(dom), rows)


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ft == 1:
                line[x] = (line[x] + a) & 255
            elif ft == 2:
                line[x] = (line[x] + b) & 255
            elif ft == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ft == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pr) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def check_not_blank(t, path, want_width):
    w, h, bpp, rows = png_pixels(path)
    t.check_eq(w, want_width, path)
    lum = []
    for y in range(0, h, 4):
        r = rows[y]
        for x in range(0, w, 2):
            i = x * bpp
            lum.append((r[i] * 299 + r[i + 1] * 587 + r[i + 2] * 114) // 1000)
    mean = sum(lum) / len(lum)
    var = sum((v - mean) ** 2 for v in lum) / len(lum)
    dark = sum(1 for v in lum if v < 160) / len(lum)
    t.check(var > 100 and dark > 0.01, "%s looks blank: variance %.1f, dark %.3f"
            % (path, var, dark))


WRAPPER = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<iframe id="f" src="%s" style="width:%dpx;height:900px;border:0"></iframe>
<script>
document.getElementById('f').addEventListener('load', function () {
  var d = this.contentDocument, e = d.documentElement;
  document.body.setAttribute('data-scroll-width', e.scrollWidth);
  document.body.setAttribute('data-client-width', e.clientWidth);
  document.body.setAttribute('data-scripts', d.querySelectorAll('script').length);
  document.body.setAttribute('data-images', d.querySelectorAll('img').length);
  document.body.setAttribute('data-alerted', e.getAttribute('data-alerted') || 'no');
  var found = 0;
  d.querySelectorAll('section.platform').forEach(function (s) {
    if (s.textContent.indexOf(%s) >= 0) found++;
  });
  document.body.setAttribute('data-hostile-text', found);
});
</script></body></html>
"""


def wrapped(t, page, width):
    """Opens page in a width-px iframe of a test-only page; returns what the
    wrapper's script wrote on its body."""
    path = os.path.join(os.path.dirname(page), "wrap-%d.html" % width)
    with open(path, "w", encoding="utf-8") as f:
        # "<" escaped: a literal </script> would end the wrapper's own script.
        f.write(WRAPPER % (os.path.basename(page), width,
                           json.dumps(HOSTILE).replace("<", "\\u003c")))
    dom, err, events = chromium(t, file_url(path), "--allow-file-access-from-files",
                                "--virtual-time-budget=10000", "--dump-dom")
    bodies = [a for tag, a, _ in Page(dom).elements if tag == "body"]
    attrs = bodies[0] if bodies else {}
    t.check("data-scroll-width" in attrs, "the wrapper did not run:\n" + dom[:2000] + err[-2000:])
    return attrs, console_lines(err)


@needs_chromium
def test_chromium_screenshots(t):
    setup(t)
    for width in (1280, 360):
        shot = os.path.join(t.dir, "shot-%d.png" % width)
        chromium(t, file_url(t.page), "--window-size=%d,1600" % width, "--screenshot=" + shot)
        t.check(os.path.exists(shot), "no screenshot at %d" % width)
        check_not_blank(t, shot, width)
    attrs, console = wrapped(t, t.page, 360)
    t.check(int(attrs["data-scroll-width"]) <= 360,
            "the 360 px page scrolls sideways: %r" % attrs)
    attrs, _ = wrapped(t, t.page, 1280)
    t.check(int(attrs["data-scroll-width"]) <= 1280, attrs)


@needs_chromium
def test_chromium_hostile(t):
    setup(t)
    # The detector works: the same text pasted unescaped makes an image.
    bad = os.path.join(t.dir, "bad.html")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html><meta charset="utf-8"><script>window.alert = function (n) {'
                ' document.documentElement.setAttribute("data-alerted", n); };</script>'
                '<section class="platform">%s</section>' % HOSTILE)
    attrs, _ = wrapped(t, bad, 800)
    t.check_eq((attrs["data-images"], attrs["data-scripts"], attrs["data-alerted"]),
               ("1", "2", "2"), attrs)

    attrs, console = wrapped(t, t.page, 800)
    # (An alert() would also hang the dump: a JavaScript dialog waits forever.)
    t.check_eq((attrs["data-images"], attrs["data-scripts"], attrs["data-alerted"]),
               ("0", "0", "no"), attrs)
    t.check(int(attrs["data-hostile-text"]) >= 1, "the hostile text is not shown: %r" % attrs)
    dom, err, _ = chromium(t, file_url(t.page), "--dump-dom")
    t.check_eq(console_lines(err), [], "console messages")
    t.check("<script" not in dom and "<img" not in dom, "markup got in")
    t.check(html.escape(HOSTILE, quote=False) in dom, "the text is not in the DOM")


if __name__ == "__main__":
    kmtest.main(globals())
