#!/usr/bin/env python3
"""kmrep discover against the sample worlds (worlds/test.json):

- card platforms nobody tracks: 闪电发卡网 (黑猫 7100000001, one 跑路 of 3),
  速发卡盟 (聚投诉 38002), 搜索卡盟 and the look-alike 搜索卡盟官方店 (聚投诉
  keyword hits without a merchant id), 测试卡盟旗舰店 (黑猫, named like the
  tracked 测试卡盟);
- not card platforms: 腾讯游戏官方旗舰店 (点卡 complaints, an official store),
  招商银行信用卡中心 (a bank), 中国移动在线营业厅 (a carrier, 话费代充);
- 老牌点卡网: a card platform whose complaints are all 400+ days old.
"""

import csv
import io

import kmtest

CARD_90 = {"闪电发卡网", "速发卡盟", "搜索卡盟", "测试卡盟旗舰店", "搜索卡盟官方店"}
NOT_CARD = {"腾讯游戏官方旗舰店", "招商银行信用卡中心", "中国移动在线营业厅"}


def start(t):
    t.jutousu = True
    t.add("测试卡盟")


def listed(t, *args):
    r = t.kmrep("discover", "--format", "json", *args)
    return r, r.json() if r.out else []


def test_lists_exactly_the_card_platforms(t):
    start(t)
    before = t.sql("SELECT (SELECT count(*) FROM platforms), (SELECT count(*) FROM complaints),"
                   " (SELECT count(*) FROM merchants)")
    r, items = listed(t)
    t.check_eq(r.code, 0, r)
    names = [i["name"] for i in items]
    t.check_eq(set(names), CARD_90, r)
    t.check(not NOT_CARD & set(names), names)
    t.check_eq(names[0], "闪电发卡网", "riskiest (跑路) first")
    top = items[0]
    t.check_eq((top["source"], top["merchant_id"], top["complaints"], top["severe"]),
               ("heimao", "7100000001", 3, 1), top)
    t.check(top["evidence"].startswith("https://tousu.sina.com.cn/complaint/view/"), top)
    sister = next(i for i in items if i["name"] == "测试卡盟旗舰店")
    t.check_eq(sister["similar_to"], "测试卡盟", sister)
    t.check_eq(t.sql("SELECT (SELECT count(*) FROM platforms), (SELECT count(*) FROM complaints),"
                     " (SELECT count(*) FROM merchants)"), before,
               "without --add discover changes nothing")
    text = t.kmrep("discover")
    t.check("闪电发卡网" in text.out and "腾讯游戏官方旗舰店" not in text.out, text)


def test_window_and_minimum(t):
    start(t)
    _, items = listed(t, "--since", "1095")
    t.check("老牌点卡网" in [i["name"] for i in items], items)
    _, items = listed(t, "--min-complaints", "3")
    t.check_eq([i["name"] for i in items], ["闪电发卡网"], items)
    r = t.kmrep("discover", "--since", "0")
    t.check_eq(r.code, 2, r)


def test_ignore_list_and_patterns_from_config(t):
    start(t)
    t.config_extra = {"discover": {"ignore": "闪电发卡网, 速发卡盟"}}
    t.write_config()
    _, items = listed(t)
    t.check(not {"闪电发卡网", "速发卡盟"} & {i["name"] for i in items}, items)
    t.config_extra = {"discover": {"name_pattern": "(unclosed"}}
    t.write_config()
    r = t.kmrep("discover")
    t.check(r.code in (2, 3) and "name_pattern" in r.err, r)


def test_add_then_refresh_scores_them(t):
    start(t)
    r = t.kmrep("discover", "--add", "--format", "csv")
    t.check_eq(r.code, 0, r)
    rows = list(csv.DictReader(io.StringIO(r.out)))
    t.check_eq({row["name"] for row in rows}, CARD_90, r.out)
    t.check("not added" in r.err and "搜索卡盟" in r.err,
            f"a merchant without an id is not added by name guess\n{r}")
    pins = t.sql("SELECT p.name, m.source, m.merchant_id, m.pinned FROM merchants m"
                 " JOIN platforms p ON p.id = m.platform_id ORDER BY p.name")
    t.check_eq(pins, [("测试卡盟旗舰店", "heimao", "4294967297", 1),
                      ("速发卡盟", "jutousu", "38002", 1),
                      ("闪电发卡网", "heimao", "7100000001", 1)], pins)
    r = t.kmrep("refresh")
    # 速发卡盟 is on 聚投诉 only: 黑猫's name search finds no merchant, which
    # is a failure (never "no complaints"), the only one.
    fails = [ln for ln in r.err.splitlines() if ln.startswith("kmrep: ") and ": heimao: " in ln]
    t.check_eq((r.code, len(fails)), (1, 1), r)
    t.check("速发卡盟: heimao: no 黑猫 merchant" in fails[0], fails)
    j = t.kmrep("check", "闪电发卡网", "--format", "json").json()
    t.check_eq(j["complaints"]["by_source"], {"heimao": 3}, j["complaints"])
    j = t.kmrep("check", "速发卡盟", "--format", "json").json()
    t.check_eq(j["complaints"]["by_source"], {"jutousu": 3}, j["complaints"])
    # Tracked now: the next discover does not list them again.
    _, items = listed(t)
    t.check(not {"闪电发卡网", "速发卡盟", "测试卡盟旗舰店"} & {i["name"] for i in items}, items)


def test_failing_search_is_named_never_nothing_new(t):
    start(t)
    t.server.fault("/front/api/search/searchPostList.do", "status", params={"code": 503})
    r, items = listed(t)
    t.check_eq(r.code, 1, r)
    t.check(any(ln.startswith("kmrep: discover: jutousu: keyword search for") and "503" in ln
                for ln in r.err.splitlines()), r)
    t.check_eq({i["name"] for i in items}, {"闪电发卡网", "测试卡盟旗舰店"},
               "what the other site found is still listed")
    text = t.kmrep("discover")
    t.check("not searched whole: jutousu" in text.out, text)


def test_hostile_text_is_never_printed_raw(t):
    # A 黑猫 search page whose merchant name, title and link carry terminal
    # escapes and bidi overrides: listed (its name says 卡盟), shown escaped.
    start(t)
    t.server.fault("/api/index/s", "escapes")
    raw = ("\x1b", "\x07", "\x08", "\r", "\u009b", "\u202e", "\u2066")
    for args in ((), ("--format", "csv"), ("--format", "json"), ("--add",)):
        r = t.kmrep("discover", *args)
        t.check(r.code in (0, 1), r)
        t.check(not [c for c in raw if c in r.out + r.err], f"raw control text printed\n{r!r}")
    listed = t.kmrep("discover", "--format", "json").json()
    t.check(any(i["name"].startswith("测试卡盟") and i["name"] != "测试卡盟" for i in listed),
            listed)


def test_refresh_discover_says_one_line(t):
    start(t)
    r = t.kmrep("-q", "refresh", "--discover")
    t.check_eq(r.code, 0, r)
    lines = [ln for ln in r.err.splitlines() if "suggested" in ln]
    t.check_eq(lines, ["kmrep: 5 new platforms suggested; see kmrep discover"], r)
    t.check_eq(r.out, "", r)
    t.config_extra = {"discover": {"ignore": ",".join(CARD_90)}}
    t.write_config()
    r = t.kmrep("-q", "refresh", "--discover")
    t.check_eq((r.code, r.err), (0, ""), r)


kmtest.main(globals())
