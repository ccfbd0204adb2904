"""What a person reads and saves (issue 14, "Working as a person expects"):
`complaints --format text` and `--bom`, `import`'s merchant check, archive
and summary line, the Asia/Shanghai times, order and alignment of `list` and
`report`, and `report --headers zh`."""
import json
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kmtest  # noqa: E402

NAME = "测试卡盟"
DOMAIN = "test-km.com"
COUID = "6384912431"               # 测试卡盟 on 黑猫 in worlds/test.json
OTHER = "个人卡盟"
OTHER_COUID = "7100000001"
ZH = {"LANG": "zh_CN.UTF-8"}
BOM = b"\xef\xbb\xbf"


def width(s):
    """Terminal columns, as kmrep counts them (wide and full-width: 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def offline(t):
    with open(t.config, "w", encoding="utf-8") as f:
        f.write("")


def save(t, name, body):
    path = os.path.join(t.dir, name)
    with open(path, "wb") as f:
        f.write(body)
    return path


def handmade_list(entries, couid=COUID, cotitle=NAME):
    """A 黑猫 received_complaints answer (the shape of research §1.4) of one
    merchant; entries: dicts with sn, status, ts and an optional title."""
    items = [{"main": {
        "sn": e["sn"], "title": e.get("title", "手工导入的投诉" + e["sn"][-1]),
        "summary": "卡密无效，客服不回", "cotitle": cotitle, "couid": couid,
        "appeal": "退款", "issue": "卡密无效", "cost": "12.5", "status": e["status"],
        "timestamp": str(e["ts"]),
        "url": f"//tousu.sina.com.cn/complaint/view/{e['sn']}/?sld=" + "ab" * 16,
        "comment_id": "", "upvote_amount": 0, "share_amount": 0, "comment_amount": 0},
        "author": {"title": "导入用户"}} for e in entries]
    body = {"result": {"status": {"code": 0, "msg": ""}, "data": {
        "complaints": items, "pager": {"current": 1, "next": 2, "page_amount": 1,
                                       "item_count": len(items)}}}}
    return json.dumps(body, ensure_ascii=False).encode()


def lines(err):
    return [x for x in err.splitlines() if x.startswith("kmrep: ")]


def complaints_of(t, name):
    return t.sql("SELECT c.source_id FROM complaints c JOIN platforms p ON p.id = c.platform_id"
                 " WHERE p.name = ? ORDER BY 1", name)


def build(t):
    t.add(NAME, "--domain", DOMAIN)
    t.add("个人卡盟", "--domain", "geren-km.cn")
    t.add("盗号卡盟", "--domain", "stolen-km.com")
    r = t.kmrep("refresh")
    t.check(r.code in (0, 1), r)


# --------------------------------------------------------------------------
# complaints --bom and --format text

LONG_TITLE = "充值了五百元的游戏点卡结果卡密全部无效客服一直不回复要求退款也没有任何结果"
TEXT_EN = """\
FILED             STATUS      CATEGORY             TITLE
2026-11-20 08:00  unanswered  support unreachable  充值了五百元的游戏点卡结果...
  https://tousu.sina.com.cn/complaint/view/17395555553/?sld=abababababababababababababababab
2026-11-19 08:00  resolved    support unreachable  手工导入的投诉2
  https://tousu.sina.com.cn/complaint/view/17395555552/?sld=abababababababababababababababab
2026-11-18 08:00  closed      support unreachable  手工导入的投诉1
  https://tousu.sina.com.cn/complaint/view/17395555551/?sld=abababababababababababababababab
3 complaints, newest first
"""
TEXT_ZH = """\
投诉时间          状态    类别      标题
2026-11-20 08:00  未回复  客服失联  充值了五百元的游戏点卡结果卡密全部无效客...
  https://tousu.sina.com.cn/complaint/view/17395555553/?sld=abababababababababababababababab
2026-11-19 08:00  已完成  客服失联  手工导入的投诉2
  https://tousu.sina.com.cn/complaint/view/17395555552/?sld=abababababababababababababababab
2026-11-18 08:00  已关闭  客服失联  手工导入的投诉1
  https://tousu.sina.com.cn/complaint/view/17395555551/?sld=abababababababababababababababab
共 3 件投诉，最新的在前
"""


def three_complaints(t):
    offline(t)
    t.add(NAME, "--heimao-couid", COUID)
    day = 86400
    base = 1794960000          # 2026-11-18T00:00:00Z, 08:00 in Shanghai
    path = save(t, "list.json", handmade_list([
        {"sn": "17395555551", "status": 8, "ts": base},
        {"sn": "17395555552", "status": 7, "ts": base + day},
        {"sn": "17395555553", "status": 1, "ts": base + 2 * day, "title": LONG_TITLE}]))
    r = t.kmrep("import", "--source", "heimao", "--platform", NAME, path, server=False)
    t.check_eq(r.code, 0, r)


def test_complaints_text(t):
    three_complaints(t)
    r = t.kmrep("complaints", NAME, "--format", "text", server=False)
    t.check_eq(r.code, 0, r)
    t.check_eq(r.out, TEXT_EN)
    r = t.kmrep("complaints", NAME, "--format", "text", server=False, env=ZH)
    t.check_eq(r.code, 0, r)
    t.check_eq(r.out, TEXT_ZH)
    for text in (TEXT_EN, TEXT_ZH):
        for line in text.splitlines():
            t.check(line.startswith("  https://") or width(line) <= 80, line)
    # --since still applies; nothing left is said so
    r = t.kmrep("complaints", NAME, "--format", "text", "--since", "2026-11-21",
                server=False)
    t.check_eq(r.code, 0, r)
    t.check_eq(r.out.splitlines()[1:], ["no complaints"])
    # the default stays SPEC's CSV
    r = t.kmrep("complaints", NAME, server=False)
    t.check(r.out.startswith("source,id,filed,"), r)
    # a complaint that does not count says so, and the last line counts it
    import sqlite3
    con = sqlite3.connect(t.db)
    con.execute("UPDATE complaints SET excluded_reason = 'duplicate', excluded_at = 1"
                " WHERE source_id = '17395555552'")
    con.execute("UPDATE complaints SET excluded_reason = 'unconfirmed', excluded_at = 1"
                " WHERE source_id = '17395555551'")
    con.commit()
    con.close()
    out = t.kmrep("complaints", NAME, "--format", "text", server=False).out.splitlines()
    t.check_eq(out[5], "  not counted: duplicate", out)
    t.check_eq(out[8], "  not counted: its merchant is not confirmed yet", out)
    t.check_eq(out[-1], "3 complaints, newest first; 2 not counted in the score")
    out = t.kmrep("complaints", NAME, "--format", "text", server=False, env=ZH).out
    t.check_eq(out.splitlines()[-1], "共 3 件投诉，最新的在前；其中 2 件不计分")


def test_complaints_bom(t):
    three_complaints(t)
    env = t.env()
    import subprocess
    plain = subprocess.run([kmtest.KMREP, "complaints", NAME, "--format", "csv"],
                           capture_output=True, env=env).stdout
    bom = subprocess.run([kmtest.KMREP, "complaints", NAME, "--format", "csv", "--bom"],
                         capture_output=True, env=env)
    t.check_eq(bom.returncode, 0, bom)
    t.check(not plain.startswith(BOM), plain[:10])
    t.check_eq(bom.stdout, BOM + plain)
    for fmt in ("json", "text"):
        r = t.kmrep("complaints", NAME, "--format", fmt, "--bom", server=False)
        t.check_eq(r.code, 2, r)
        t.check("--bom" in r.err, r)


# --------------------------------------------------------------------------
# import: the merchant check, the archive, the summary line

def two_platforms(t):
    offline(t)
    t.add(NAME, "--heimao-couid", COUID)
    t.add(OTHER, "--heimao-couid", OTHER_COUID)
    t.add("新卡盟")                                   # no merchant at all
    mine = save(t, "mine.json", handmade_list([
        {"sn": "17396666661", "status": 1, "ts": 1790000000},
        {"sn": "17396666662", "status": 7, "ts": 1790003600}]))
    stray = save(t, "stray.json", handmade_list([
        {"sn": "17396666671", "status": 1, "ts": 1790000000}],
        couid="7777000001", cotitle="某某卡盟"))
    return mine, stray


def test_import_refuses_another_merchants_page(t):
    mine, stray = two_platforms(t)
    # 测试卡盟's merchant list imported for 个人卡盟: refused, one line naming both
    r = t.kmrep("import", "--source", "heimao", "--platform", OTHER, mine, server=False)
    t.check_eq(r.code, 1, r)
    t.check_eq(len(lines(r.err)), 1, r)
    for word in ("mine.json", COUID, NAME, OTHER, "--force"):
        t.check(word in r.err, (word, r))
    t.check_eq(t.sql("SELECT count(*) FROM complaints")[0][0], 0)
    # ... also for a platform bound to no merchant
    r = t.kmrep("import", "--source", "heimao", "--platform", "新卡盟", mine, server=False)
    t.check_eq(r.code, 1, r)
    t.check(COUID in r.err and NAME in r.err and "新卡盟" in r.err, r)
    # a merchant nobody has, for a platform bound to another merchant
    r = t.kmrep("import", "--source", "heimao", "--platform", OTHER, stray, server=False)
    t.check_eq(r.code, 1, r)
    t.check_eq(len(lines(r.err)), 1, r)
    t.check("7777000001" in r.err and OTHER in r.err, r)
    # in Chinese too, naming both
    r = t.kmrep("import", "--source", "heimao", "--platform", OTHER, mine, server=False,
                env=ZH)
    t.check_eq(r.code, 1, r)
    t.check_eq(len(lines(r.err)), 1, r)
    t.check(COUID in r.err and NAME in r.err and OTHER in r.err and "不属于" in r.err, r)
    t.check_eq(t.sql("SELECT count(*) FROM complaints")[0][0], 0)
    # the right platform, and a merchant nobody has for a platform with none: stored
    r = t.kmrep("import", "--source", "heimao", "--platform", NAME, mine, server=False)
    t.check_eq(r.code, 0, r)
    r = t.kmrep("import", "--source", "heimao", "--platform", "新卡盟", stray, server=False)
    t.check_eq(r.code, 0, r)
    t.check_eq(complaints_of(t, "新卡盟"), [("17396666671",)])
    # --force: the user's word, every complaint of the page for the platform
    stray2 = save(t, "stray2.json", handmade_list([
        {"sn": "17396666681", "status": 1, "ts": 1790000000}],
        couid="7777000002", cotitle="某某卡盟"))
    r = t.kmrep("import", "--source", "heimao", "--platform", OTHER, "--force", stray2,
                server=False)
    t.check_eq(r.code, 0, r)
    t.check_eq(complaints_of(t, OTHER), [("17396666681",)])
    # --force means nothing without --platform
    r = t.kmrep("import", "--source", "heimao", "--force", stray, server=False)
    t.check_eq(r.code, 2, r)
    # The stray merchant becomes 个人卡盟's: reparse replays 新卡盟's archived
    # import of it as the import it was, and refuses it now, saying so
    # (not as a page it could not read).
    r = t.kmrep("add", OTHER, "--heimao-couid", "7777000001", server=False)
    t.check_eq(r.code, 0, r)
    r = t.kmrep("reparse", server=False)
    t.check_eq(r.code, 1, r)
    t.check("0 not recognised" in r.err and "1 archived import refused" in r.err, r)


def delete_complaints(t):
    import sqlite3
    con = sqlite3.connect(t.db)
    con.execute("DELETE FROM complaints")
    con.commit()
    con.close()


def test_import_archives_for_reparse(t):
    mine, stray = two_platforms(t)
    r = t.kmrep("import", "--source", "heimao", "--platform", NAME, mine, server=False)
    t.check_eq(r.code, 0, r)
    t.check_eq(t.sql("SELECT r.source, r.kind, r.url, p.name FROM raw_responses r"
                     " JOIN platforms p ON p.id = r.platform_id ORDER BY r.id"),
               [("heimao", "import", "import:" + mine, NAME)])
    cols = "source_id, status, raw_status, filed_at, title, url, platform_id, category"
    before = t.sql(f"SELECT {cols} FROM complaints ORDER BY source_id")
    t.check_eq(len(before), 2)
    delete_complaints(t)
    r = t.kmrep("reparse", server=False)
    t.check_eq(r.code, 0, r)
    t.check_eq(t.sql(f"SELECT {cols} FROM complaints ORDER BY source_id"), before,
               "reparse redid the import")
    # a forced import is redone as forced; a refused page is not archived
    r = t.kmrep("import", "--source", "heimao", "--platform", OTHER, "--force", stray,
                server=False)
    t.check_eq(r.code, 0, r)
    r = t.kmrep("import", "--source", "heimao", "--platform", "新卡盟", mine, server=False)
    t.check_eq(r.code, 1, r)
    t.check_eq(t.sql("SELECT r.kind, r.url, p.name FROM raw_responses r"
                     " JOIN platforms p ON p.id = r.platform_id ORDER BY r.id")[1:],
               [("import_forced", "import:" + stray, OTHER)])
    before = t.sql(f"SELECT {cols} FROM complaints ORDER BY source_id")
    delete_complaints(t)
    r = t.kmrep("reparse", "--source", "heimao", server=False)
    t.check_eq(r.code, 0, r)
    t.check_eq(t.sql(f"SELECT {cols} FROM complaints ORDER BY source_id"), before)
    t.check_eq(complaints_of(t, OTHER), [("17396666671",)], "the forced import redone")


def test_import_says_what_it_imported(t):
    mine, stray = two_platforms(t)
    r = t.kmrep("import", "--source", "heimao", "--platform", NAME, mine, server=False)
    t.check_eq(r.code, 0, r)
    t.check_eq(lines(r.err), ["kmrep: 测试卡盟: imported 1 page: 2 new complaints, 0 updated"])
    again = save(t, "again.json", handmade_list([
        {"sn": "17396666661", "status": 6, "ts": 1790000000},
        {"sn": "17396666663", "status": 1, "ts": 1790007200}]))
    # without --platform: per platform the merchant is bound to
    r = t.kmrep("import", "--source", "heimao", mine, again, server=False, env=ZH)
    t.check_eq(r.code, 0, r)
    t.check_eq(lines(r.err), ["kmrep: 测试卡盟：导入 2 页：新增投诉 1 件，更新 1 件"])
    r = t.kmrep("import", "--source", "heimao", "--platform", "新卡盟", stray, server=False)
    t.check_eq(lines(r.err), ["kmrep: 新卡盟: imported 1 page: 1 new complaint, 0 updated"])
    # -q: nothing
    r = t.kmrep("-q", "import", "--source", "heimao", mine, server=False)
    t.check_eq((r.code, r.err), (0, ""))


# --------------------------------------------------------------------------
# list and report: times, order, alignment, Chinese headers

def test_report_csv_times_in_shanghai(t):
    build(t)
    r = t.kmrep("report", "--format", "csv")
    t.check_eq(r.code, 0, r)
    import csv
    import io
    rows = list(csv.reader(io.StringIO(r.out)))
    col = rows[0].index("last_refresh")
    t.check_eq({row[col] for row in rows[1:]}, {"2026-11-21T08:00:00+08:00"})
    # JSON keeps UTC
    j = t.kmrep("report", "--format", "json").json()
    t.check_eq({x["last_refresh"] for x in j}, {kmtest.TEST_NOW})
    # list: text in Asia/Shanghai, JSON in UTC
    r = t.kmrep("list")
    t.check("2026-11-21 08:00" in r.out, r)
    t.check_eq({x["last_refresh"] for x in t.kmrep("list", "--format", "json").json()},
               {kmtest.TEST_NOW})


def test_order_of_chinese_names(t):
    offline(t)
    names = ["测试卡盟", "阿里卡盟", "Zeta卡盟", "abc卡盟", "个人卡盟", "一号卡盟"]
    for n in names:
        t.add(n)
    want = sorted(names, key=lambda s: s.encode())       # code point order
    r = t.kmrep("list", server=False)
    got = [line.split()[0] for line in r.out.splitlines()[1:]]
    t.check_eq(got, want)
    r = t.kmrep("list", "--format", "json", server=False)
    t.check_eq([x["name"] for x in r.json()], want)
    # report: the same verdict and score (none refreshed): then by name
    r = t.kmrep("report", "--format", "json", server=False)
    t.check_eq([x["name"] for x in r.json()], want)


def test_list_columns_stay_aligned(t):
    offline(t)
    long_domain = "a-very-long-mirror-domain-of-a-card-shop.com"     # 44 columns
    long_name = "超长名字的卡盟平台官方旗舰店铺二号店"                   # 36 columns
    t.add(long_name, "--domain", long_domain, "--domain", "short-km.com")
    t.add("测试卡盟", "--domain", "test-km.com", "--domain", "another-long-mirror-of-test-km.net")
    t.add("甲卡盟", "--domain", "jia-km.com")
    for env in ({}, ZH):
        r = t.kmrep("list", server=False, env=env)
        t.check_eq(r.code, 0, r)
        out = r.out.splitlines()
        header = out[0]
        refresh_col = width(header[:header.index("最近刷新" if env else "LAST REFRESH")])
        for line in out[1:]:
            m = re.search(r"never|从未", line)
            if m:      # a row's first line: the date column where the header says
                t.check_eq(width(line[:m.start()]), refresh_col, (line, r.out))
                t.check(width(line) <= 80, line)
            else:      # continuation: a name's rest, then a domain whole at its column
                m = re.search(r"[a-z]", line)
                if m:
                    t.check_eq(width(line[:m.start()]), 21, (line, r.out))
                    t.check(" " not in line[m.start():], line)
                t.check(width(line[:m.start()].rstrip() if m else line) <= 20, line)
        shown = r.out.split()
        for d in (long_domain, "short-km.com", "another-long-mirror-of-test-km.net"):
            t.check(d in shown, (d, r.out))


def test_report_headers_zh(t):
    build(t)
    en = t.kmrep("report", "--format", "csv")
    zh = t.kmrep("report", "--format", "csv", "--headers", "zh")
    t.check_eq(zh.code, 0, zh)
    t.check_eq(zh.out.splitlines()[1:], en.out.splitlines()[1:])
    head = zh.out.splitlines()[0].split(",")
    t.check_eq(len(head), len(en.out.splitlines()[0].split(",")))
    t.check_eq(head[:4], ["名称", "域名", "结论代码", "结论"])
    t.check_eq(head[17], "最近刷新")
    # the default stays SPEC's English, whatever the language
    t.check_eq(t.kmrep("report", "--format", "csv", env=ZH).out.splitlines()[0],
               en.out.splitlines()[0])
    t.check(en.out.startswith("name,domains,verdict,verdict_zh,"), en)
    # JSON keys stay English; a header language kmrep does not have is refused
    for args in (["--format", "json", "--headers", "zh"], ["--headers", "fr"]):
        r = t.kmrep("report", *args)
        t.check_eq(r.code, 2, r)


kmtest.main(globals())
