"""Evidence a person can use (issue 14): each deduction and gate of `check`
lists its own evidence, chosen for what it measures (service: the unanswered
complaints; unresolved: the unresolved ones; recent and trend: those of their
windows; a gate: what fired it), at most 3 a line as date + title above the
whole link, all of them with --explain; and "where to complain" adds the
payment channel's dispute route and the MIIT report only when they apply.
The facts are read from the database the run filled, never from kmrep's own
text."""
import datetime
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kmtest  # noqa: E402

ZH = {"LANG": "zh_CN.UTF-8"}
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def demo_setup(t, platforms):
    """The demo world (times relative to the real clock) with platforms
    added and refreshed (聚投诉 on, as in scripts/demo)."""
    t.use_demo_world()
    t.jutousu = True
    t.server
    for args in platforms:
        t.add(*args)
    r = t.kmrep("refresh")
    t.check(r.code in (0, 1), r)


DEMO = [("金盾卡盟", "--domain", "jindun-km.com"),
        ("鑫源卡盟", "--domain", "xinyuan-km.com", "--jutousu-id", "38011"),
        ("速达卡盟", "--domain", "suda-km.net"),
        ("启慧卡盟", "--domain", "qihui-km.com"),
        ("诚信卡盟", "--domain", "chengxin-km.com")]


def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def rows(t):
    """url -> the stored complaint's facts."""
    out = {}
    for url, status, filed, reply, title in t.sql(
            "SELECT url, status, filed_at, first_reply_at, title FROM complaints"):
        out[url] = {"status": status, "filed": filed, "reply": reply, "title": title}
    return out


def check_json(t, name, *args, env=None):
    r = t.kmrep("check", name, "--format", "json", *args, env=env)
    t.check(r.code in (0, 1), r)
    return r.json()


def utc(s):
    return int(datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")
               .replace(tzinfo=datetime.timezone.utc).timestamp())


def lines_of(j):
    """{("gate", id) | ("deduction", component): evidence_items}."""
    out = {}
    for g in j["gates"]:
        out[("gate", g["gate"])] = g["evidence_items"]
    for d in j["deductions"]:
        out[("deduction", d["component"])] = d["evidence_items"]
    return out


HEAD = re.compile(r"^  (?:✗ |\s*-\d+\.\d  )")
DATED = re.compile(r"^ {8}(\d{4}-\d\d-\d\d)  (.*)$")
LINK = re.compile(r"^ {10}(https?://\S+)$")
PAGE = re.compile(r"^ {8}(https?://\S+)$")
MORE = re.compile(r"^ {8}(?:\+(\d+) more: |还有 (\d+) 件，查看全部：)kmrep complaints (\S+)$")


def text_blocks(out):
    """The gates and deductions of check's text, in order: each a dict with
    its head, its evidence [(date, title, url)] and its '+N more' count."""
    blocks, cur, section = [], None, None
    pending = None
    for line in out.split("\n"):
        if line and not line.startswith(" "):
            section = line
            cur = None
            continue
        if section is None or not (section.startswith(("Deal-breakers", "Deductions", "一票否决",
                                                        "扣分"))):
            continue
        if HEAD.match(line):
            cur = {"head": line, "items": [], "more": 0}
            blocks.append(cur)
            continue
        if cur is None:
            continue
        m = DATED.match(line)
        if m:
            pending = (m.group(1), m.group(2))
            continue
        m = LINK.match(line)
        if m and pending:
            cur["items"].append((pending[0], pending[1], m.group(1)))
            pending = None
            continue
        m = PAGE.match(line)
        if m:
            cur["items"].append((None, None, m.group(1)))
            continue
        m = MORE.match(line)
        if m:
            cur["more"] = int(m.group(1) or m.group(2))
    return blocks


def test_each_line_lists_its_own_evidence(t):
    demo_setup(t, DEMO)
    facts = rows(t)
    for name in ("金盾卡盟", "鑫源卡盟", "速达卡盟"):
        j = check_json(t, name)
        now = utc(j["generated_at"])
        lines = lines_of(j)
        for (kind, what), items in lines.items():
            t.check(items, f"{name}: {what} has no evidence")
            urls = [e["url"] for e in items]
            t.check_eq(len(set(urls)), len(urls), f"{name} {what}: a link twice")
            if what in ("identity", "stolen_icp"):
                t.check_eq(urls, [f"https://{j['platform']['domains'][0]}/"], f"{name} {what}")
                t.check(items[0]["filed_at"] is None and items[0]["title"] is None, items)
                continue
            for e in items:
                c = facts[e["url"]]
                t.check_eq(utc(e["filed_at"]), c["filed"], e)
                t.check_eq(e["title"], c["title"], e)
                age = now - c["filed"]
                if what == "service":
                    t.check_eq(c["status"], "unanswered", f"{name} service: {e}")
                elif what in ("severity", "fraud_cluster"):
                    t.check(c["status"] != "resolved", f"{name} {what}: {e}")
                if what == "volume":
                    t.check(c["status"] != "resolved" and age <= 90 * 86400,
                            f"{name} recent: {e}")
                if what in ("trend", "trend_critical"):
                    t.check(age <= 14 * 86400, f"{name} {what} outside 14 days: {e}")
                if what == "fraud_cluster":
                    t.check(age <= 30 * 86400, f"{name} fraud_cluster: {e}")
            # every qualifying complaint, not five: all unanswered ones
            if what == "service":
                want = {u for u, filed in t.sql(
                    "SELECT url, filed_at FROM complaints c JOIN platforms p ON "
                    "p.id = c.platform_id WHERE p.name = ? AND c.status = 'unanswered' "
                    "AND c.excluded_reason IS NULL", name) if now - filed <= 1095 * 86400}
                t.check_eq(set(urls), want, f"{name} service")
            # "evidence" stays SPEC's list of URLs: the first five of them
            dj = [d for d in j["deductions"] + j["gates"]
                  if d.get("component", d.get("gate")) == what][0]
            t.check_eq(dj["evidence"], urls[:5], f"{name} {what}")
        # the lines measure different things: their evidence differs
        if name == "金盾卡盟":
            sets = [frozenset(e["url"] for e in items) for (_, w), items in lines.items()
                    if w in ("service", "severity", "volume")]
            t.check_eq(len(set(sets)), 3, sets)


def test_service_without_unanswered_shows_the_slowest_replies(t):
    demo_setup(t, DEMO[3:4])
    facts = rows(t)
    j = check_json(t, "启慧卡盟")
    t.check(all(c["status"] != "unanswered" for c in facts.values()), "premise")
    items = lines_of(j)[("deduction", "service")]
    t.check(items, j["deductions"])
    delays = [facts[e["url"]]["reply"] - facts[e["url"]]["filed"] for e in items]
    t.check(all(facts[e["url"]]["reply"] for e in items), items)
    t.check_eq(delays, sorted(delays, reverse=True), "slowest first")


def test_text_shows_three_a_line_each_its_own(t):
    demo_setup(t, DEMO)
    for env in (None, ZH):
        for name in ("金盾卡盟", "鑫源卡盟", "速达卡盟"):
            j = check_json(t, name)
            lines = list(lines_of(j).values())
            r = t.kmrep("check", name, env=env)
            t.check(r.code in (0, 1), r)
            blocks = text_blocks(r.out)
            t.check_eq(len(blocks), len(lines), r.out)
            shown_sets = []
            for b, items in zip(blocks, lines):
                t.check(1 <= len(b["items"]) <= 3, b)
                t.check_eq(b["more"], len(items) - len(b["items"]), b)
                urls = [e["url"] for e in items]
                for date, title, url in b["items"]:
                    t.check(url in urls, f"{url} is not this line's: {b['head']}")
                    e = items[urls.index(url)]
                    if date is None:
                        continue
                    day = datetime.datetime.fromtimestamp(utc(e["filed_at"]), SHANGHAI)
                    t.check_eq(date, day.strftime("%Y-%m-%d"), b)
                    t.check(title == e["title"] or
                            (title.endswith("…") and e["title"].startswith(title[:-1])),
                            (title, e["title"]))
                if b["more"]:
                    t.check(r.out.count(f"kmrep complaints {name}") >= 1, r.out)
                shown_sets.append(frozenset(u for _, _, u in b["items"]))
            # no two lines show the same complaints where another choice exists
            if name in ("金盾卡盟", "鑫源卡盟"):
                dated = [s for s in shown_sets if len(s) > 1]
                t.check_eq(len(set(dated)), len(dated), r.out)
            for line in r.out.split("\n"):
                if DATED.match(line):
                    t.check(width(line) <= 80, f"wider than 80 columns: {line!r}")
            t.check("+" in r.out or "还有" in r.out, r.out)


def test_explain_shows_every_piece_of_evidence(t):
    demo_setup(t, DEMO[:2])
    for name in ("金盾卡盟", "鑫源卡盟"):
        j = check_json(t, name)
        lines = list(lines_of(j).values())
        r = t.kmrep("check", name, "--explain")
        t.check(r.code in (0, 1), r)
        blocks = text_blocks(r.out)
        t.check_eq(len(blocks), len(lines), r.out)
        for b, items in zip(blocks, lines):
            t.check_eq([u for _, _, u in b["items"]], [e["url"] for e in items], b)
            t.check_eq(b["more"], 0, b)
        t.check(any(len(b["items"]) > 3 for b in blocks), r.out)


def test_long_titles_are_cut_to_80_columns(t):
    long_title = "卡盟" * 60 + " and a long English tail that would never fit"

    def lengthen(world):
        for c in world["heimao"]["complaints"]:
            if c.get("couid") == "6384912431":
                c["title"] = long_title
    t.extra_world = lengthen
    t.add("测试卡盟", "--domain", "test-km.com")
    r = t.kmrep("refresh")
    t.check(r.code in (0, 1), r)
    for env in (None, ZH):
        r = t.kmrep("check", "测试卡盟", env=env)
        cut = [line for line in r.out.split("\n") if DATED.match(line)]
        t.check(cut, r.out)
        for line in cut:
            t.check(line.endswith("…"), line)
            t.check(76 <= width(line) <= 80, f"{width(line)}: {line!r}")
        # links stay whole, one to a line
        for line in r.out.split("\n"):
            m = LINK.match(line)
            if m:
                t.check(re.fullmatch(r"https://tousu\.sina\.com\.cn/complaint/view/\d+/\?sld=\w+",
                                     m.group(1)), line)


def where(out):
    """The "where to complain" list of check's text, its items' wrapped
    lines joined (the apps' menu paths break only at their spaces)."""
    for head in ("Where to complain", "投诉渠道"):
        if head in out:
            return re.sub(r"\n {5}", " ", out.split(head, 1)[1])
    raise kmtest.Failure("no where-to-complain list:\n" + out)


ALIPAY = {None: "paid with 支付宝 (Alipay)", "zh": "用支付宝付款的"}
WECHAT = {None: "paid with 微信支付 (WeChat Pay)", "zh": "用微信支付付款的"}
MIIT = "https://beian.miit.gov.cn/"


def test_payment_route_only_when_a_buyer_likely_lost_money(t):
    demo_setup(t, DEMO)
    for env, lang in ((None, None), (ZH, "zh")):
        # 金盾卡盟: not delivered and invalid card keys
        w = where(t.kmrep("check", "金盾卡盟", env=env).out)
        t.check(ALIPAY[lang] in w and WECHAT[lang] in w, w)
        t.check("我的 → 我的客服 → 投诉" in w and "钱包 → 账单" in w, w)
        # 诚信卡盟: no complaint at all
        w = where(t.kmrep("check", "诚信卡盟", env=env).out)
        t.check(ALIPAY[lang] not in w and WECHAT[lang] not in w, w)
        t.check("支付宝" not in w and "微信" not in w, w)
    html = t.kmrep("check", "金盾卡盟", "--format", "html").out
    t.check("用支付宝付款的" in html and "用微信支付付款的" in html, "html")
    html = t.kmrep("check", "诚信卡盟", "--format", "html").out
    t.check("支付宝" not in html, "html")


def test_no_payment_route_when_complaints_are_not_about_money(t):
    """Complaints only about unreachable support: nobody paid for nothing."""
    def support_only(world):
        for c in world["heimao"]["complaints"]:
            if c.get("couid") == "6384912431":
                c["title"] = "客服不回消息"
                c["summary"] = "客服不回，无人理睬"
                for k in ("issue", "appeal"):
                    c.pop(k, None)
    t.extra_world = support_only
    t.add("测试卡盟", "--domain", "test-km.com")
    r = t.kmrep("refresh")
    t.check(r.code in (0, 1), r)
    j = check_json(t, "测试卡盟")
    cats = {k: v for k, v in j["complaints"]["by_category"].items() if v}
    t.check_eq(list(cats), ["客服失联"], cats)
    for env, lang in ((None, None), (ZH, "zh")):
        w = where(t.kmrep("check", "测试卡盟", env=env).out)
        t.check(ALIPAY[lang] not in w and WECHAT[lang] not in w, w)


def test_miit_report_only_for_a_stolen_or_fake_icp_number(t):
    demo_setup(t, DEMO)
    j = check_json(t, "金盾卡盟")
    t.check("stolen_icp" in [g["gate"] for g in j["gates"]], j["gates"])
    for env in (None, ZH):
        w = where(t.kmrep("check", "金盾卡盟", env=env).out)
        t.check(MIIT in w and "工信部 ICP/IP地址/域名信息备案管理系统" in w, w)
        t.check(("举报" in w), w)
        # a clean platform, and one whose gates are not about its ICP number
        for other in ("启慧卡盟", "鑫源卡盟"):
            oj = check_json(t, other)
            t.check("stolen_icp" not in [g["gate"] for g in oj["gates"]], oj["gates"])
            w = where(t.kmrep("check", other, env=env).out)
            t.check(MIIT not in w and "举报" not in w, w)
    t.check(MIIT in t.kmrep("check", "金盾卡盟", "--format", "html").out, "html")
    t.check(MIIT not in t.kmrep("check", "启慧卡盟", "--format", "html").out, "html")


def test_html_shows_each_line_its_own_evidence(t):
    demo_setup(t, DEMO[:1])
    j = check_json(t, "金盾卡盟")
    html = t.kmrep("check", "金盾卡盟", "--format", "html", "--lang", "en").out
    lists = re.findall(r'<ul class="small" aria-label="evidence">(.*?)</ul>', html)
    t.check_eq(len(lists), len(lines_of(j)), html[:3000])
    for ul in lists:
        t.check(1 <= ul.count("<a href=") <= 3, ul)
    t.check('<time datetime="' in html, "no dates")
    t.check("more: kmrep complaints 金盾卡盟" in html, "no +N more")


kmtest.main(globals())
