#!/usr/bin/env python3
"""聚投诉 (jutousu), the second complaint source, against the sample server's
imitation (tests/server/jutousu.py; worlds/test.json "jutousu"):

- merchant 38001 测试卡盟: 6 complaints; 2250101-2250103 tell the same
  stories as 黑猫 17390000102/106/107 (merged, counted once);
- 搜索卡盟: no merchant bound; 2250201/2250202 found by keyword search and
  named 搜索卡盟 in their details; 2250203 names 搜索卡盟官方店 (a look-alike);
- merchant 2352 功夫贷: the 100 real sample texts, 10 pages (cursor walks).

Each bad day ends in exit 1 with the failure named, nothing stored before
lost, and `check` showing the source failed (never "no complaints").
"""

import csv as csvmod
import io
import os
import sqlite3

import kmtest

NAME = "测试卡盟"
MID = "38001"
MERGED = {"2250101", "2250102", "2250103"}
LONG = "功夫贷"               # merchant 2352, 100 complaints, 10 pages
LONG_MID = "2352"
NOW1 = kmtest.TEST_NOW
NOW2 = "2026-11-21T06:00:00Z"
LIST = "/json/merchantPostList/"
PAGE = "/tousu/show/id/"
DETAIL = "/front/api/post/getPostContent.do"
SEARCH = "/front/api/search/searchPostList.do"
DATA = os.path.join(os.environ.get("KMREP_SRCDIR", "."), "tests", "data", "jutousu")


def on(t, **sections):
    t.jutousu = True
    t.server  # starts it
    t.write_config(**sections)


def refresh(t, *args, now=NOW1):
    return t.kmrep("refresh", *args, env={"KMREP_NOW": now})


def check_json(t, name=NAME, now=NOW1):
    r = t.kmrep("check", name, "--format", "json", env={"KMREP_NOW": now})
    t.check(r.code in (0, 1), r)
    return r.json()


def source(t, j, name="jutousu"):
    for s in j["sources"]:
        if s["source"] == name:
            return s
    raise kmtest.Failure(f"no {name} in sources: {j['sources']}")


def rows(t, where="1"):
    return t.sql("SELECT source_id, platform_id, excluded_reason, merchant_name, status"
                 " FROM complaints WHERE source = 'jutousu' AND " + where +
                 " ORDER BY source_id")


def snapshot(t):
    con = sqlite3.connect(t.db)
    try:
        return con.execute("SELECT source, source_id, platform_id, merchant_id, merchant_name,"
                           " title, summary, status,"
                           " category, filed_at, excluded_reason FROM complaints"
                           " ORDER BY source, source_id").fetchall()
    finally:
        con.close()


def assert_kept(t, before):
    after = snapshot(t)
    lost = [r for r in before if r not in after]
    t.check(not lost, f"{len(lost)} stored complaints lost or changed, e.g. {lost[:1]}")


def named(needle, text):
    """needle, or one of a tuple of them, is in text (case-insensitive)."""
    alts = needle if isinstance(needle, tuple) else (needle,)
    return any(a.lower() in (text or "").lower() for a in alts)


def fail_line(t, r, platform, needle):
    t.check_eq(r.code, 1, r)
    lines = [ln for ln in r.err.splitlines() if ln.startswith(f"kmrep: {platform}: jutousu: ")]
    t.check(len(lines) == 1, f"one jutousu failure line for {platform}\n{r}")
    t.check(named(needle, lines[0]), f"the line names {needle}: {lines[0]}")
    return lines[0]


# -- the happy paths -------------------------------------------------------------

def test_pinned_merchant_counted_once_across_sites(t):
    on(t)
    t.add(NAME, "--jutousu-id", "https://ts.21cn.com/merchant/show/id/" + MID)
    r = refresh(t)
    t.check_eq(r.code, 0, r)
    got = rows(t)
    t.check_eq([x[0] for x in got], ["2250101", "2250102", "2250103", "2250104", "2250105",
                                     "2250106"])
    t.check(all(x[1] and x[2] is None and x[4] == "unknown" for x in got),
            f"the merchant's list is the platform's, status never guessed: {got}")
    t.check(all(x[3] == NAME for x in got), f"merchantname from the details: {got}")
    j = check_json(t)
    c = j["complaints"]
    t.check_eq(c["merged"], 3, c)
    t.check_eq(c["merged_from"], {"jutousu": 3}, c)
    t.check_eq(c["by_source"].get("jutousu"), 3, c)
    t.check_eq(len(c["merged_links"]), 3, c)
    t.check(all(a.startswith("https://tousu.sina.com.cn/") and
                b.startswith("https://ts.21cn.com/tousu/show/id/") for a, b in c["merged_links"]),
            c["merged_links"])
    t.check_eq(source(t, j)["state"], "ok", j["sources"])
    # 黑猫's 23 + 聚投诉's 6 − 3 merged
    t.check_eq(c["total"], 26, c)
    text = t.kmrep("check", NAME, env={"KMREP_NOW": NOW1})
    t.check("counted once" in text.out and "https://ts.21cn.com/tousu/show/id/2250101" in text.out,
            text)
    csv = t.kmrep("report", "--format", "csv", env={"KMREP_NOW": NOW1})
    header, row = list(csvmod.reader(io.StringIO(csv.out)))[:2]
    cols = dict(zip(header, row))
    t.check_eq(cols.get("merged"), "3", csv)
    # The shared page says it too, in its language.
    html = t.kmrep("report", "--format", "html", env={"KMREP_NOW": NOW1}).out
    t.check("两站重复、只计一次：3" in html, "the HTML page counts the merged stories")
    html = t.kmrep("report", "--format", "html", "--lang", "en", env={"KMREP_NOW": NOW1}).out
    t.check("on two sites, counted once: 3" in html, "the English page too")
    t.check("jutousu:3" in cols.get("complaints_by_source", ""), csv)
    # The merchant's name is learnt from its complaints.
    t.check_eq(t.sql("SELECT name FROM merchants WHERE source = 'jutousu'"), [(NAME,)])


def test_keyword_hits_count_only_when_named(t):
    on(t)
    t.add("搜索卡盟")
    r = refresh(t, "--source", "jutousu")
    t.check_eq(r.code, 0, r)
    got = {x[0]: x for x in rows(t)}
    t.check(got["2250201"][1] and got["2250201"][2] is None, got)
    t.check(got["2250202"][1] and got["2250202"][2] is None, got)
    t.check(got["2250203"][1] is None and got["2250203"][2] is None,
            f"the look-alike's complaint is not adopted: {got['2250203']}")
    t.check("搜索卡盟官方店" in r.err, f"the look-alike is named in a hint\n{r}")
    j = check_json(t, "搜索卡盟")
    t.check_eq(j["complaints"]["by_source"], {"jutousu": 2}, j["complaints"])
    t.check_eq(source(t, j)["state"], "ok", j["sources"])
    # A second refresh adds nothing and adopts nothing.
    before = snapshot(t)
    r = refresh(t, "--source", "jutousu", now=NOW2)
    t.check_eq(r.code, 0, r)
    t.check_eq(snapshot(t), before, "a second refresh changes nothing")
    t.check(not [e for e in t.server.requests(DETAIL)][3:],
            "details are read once")


def test_let_go_hit_adopted_by_a_new_alias(t):
    # The hint says "if it is the platform's, kmrep add NAME --alias
    # MERCHANT": doing so counts the let-go complaint at once (a refresh
    # would not read a known complaint's detail again), and a rename to the
    # merchant's name does too.
    on(t)
    t.add("搜索卡盟")
    r = refresh(t, "--source", "jutousu")
    t.check_eq(r.code, 0, r)
    t.check_eq(check_json(t, "搜索卡盟")["complaints"]["by_source"], {"jutousu": 2})
    t.add("搜索卡盟", "--alias", "搜索卡盟官方店")
    got = {x[0]: x for x in rows(t)}
    t.check(got["2250203"][1] is not None and got["2250203"][2] is None,
            f"adopted by the alias: {got['2250203']}")
    t.check_eq(check_json(t, "搜索卡盟")["complaints"]["by_source"], {"jutousu": 3})
    # Only complaints no platform owns are adopted: another platform added
    # later does not take it.
    t.add("搜索卡盟官方店二号")
    t.check_eq(check_json(t, "搜索卡盟")["complaints"]["by_source"], {"jutousu": 3})


def test_candidates_wait_for_their_detail(t):
    # Killed between the search page and the details: the hits are stored
    # unconfirmed (counted nowhere), and the next run reads their details.
    on(t)
    t.add("搜索卡盟")
    t.server.fault(PAGE, "status", params={"code": 503})
    r = refresh(t, "--source", "jutousu")
    t.check_eq(r.code, 1, r)
    got = rows(t)
    t.check(got and all(x[2] == "unconfirmed" for x in got), f"unconfirmed: {got}")
    j = check_json(t, "搜索卡盟")
    t.check_eq(j["complaints"]["total"], 0, "unconfirmed hits count nowhere")
    t.check(source(t, j)["state"] in ("failed", "partial"), j["sources"])
    t.check(j["verdict"] != "recommend", j["verdict"])
    t.server.control("reset", {})
    r = refresh(t, "--source", "jutousu", now=NOW2)
    t.check_eq(r.code, 0, r)
    got = {x[0]: x for x in rows(t)}
    t.check(got["2250201"][2] is None and got["2250201"][1], got)
    t.check(got["2250203"][1] is None, got)


def test_keyword_search_finding_nothing_is_ok(t):
    on(t)
    t.add("空白卡盟")
    r = refresh(t, "--source", "jutousu")
    t.check_eq(r.code, 0, r)
    j = check_json(t, "空白卡盟")
    t.check_eq(source(t, j)["state"], "ok", j["sources"])
    t.check_eq(j["complaints"]["total"], 0)


def test_never_tried_is_shown_and_not_recommended(t):
    on(t)
    t.add(NAME)
    r = refresh(t, "--source", "heimao")
    t.check_eq(r.code, 0, r)
    j = check_json(t)
    t.check_eq(source(t, j)["state"], "never", j["sources"])
    t.check(j["verdict"] != "recommend", j["verdict"])


def test_failed_source_holds_the_verdict_unless_not_required(t):
    # The demo's 启慧卡盟 is recommended on 黑猫 + ICP + home page; while
    # 聚投诉 has never been read it is caution at best (SCORING §7), unless
    # the user declares 聚投诉 not required.
    t.use_demo_world()
    on(t)
    t.add("启慧卡盟", "--domain", "qihui-km.com")
    r = t.kmrep("refresh", "--source", "heimao,icp,site")
    t.check_eq(r.code, 0, r)
    j = t.kmrep("check", "启慧卡盟", "--format", "json").json()
    t.check_eq(j["verdict"], "caution", j["verdict_reason"])
    t.check("complaint source" in j["verdict_reason"], j["verdict_reason"])
    t.check_eq(source(t, j)["state"], "never", j["sources"])
    t.write_config(jutousu={"required": "false"})
    j = t.kmrep("check", "启慧卡盟", "--format", "json").json()
    t.check_eq(j["verdict"], "recommend", j["verdict_reason"])
    t.check_eq(source(t, j)["state"], "never", "the state is still shown")
    t.write_config()
    r = t.kmrep("refresh", "--source", "jutousu")
    t.check_eq(r.code, 0, r)
    j = t.kmrep("check", "启慧卡盟", "--format", "json").json()
    t.check_eq(j["verdict"], "recommend", j["verdict_reason"])


def test_pin_option(t):
    on(t)
    r = t.kmrep("add", "甲卡盟", "--jutousu-id", "12ab")
    t.check_eq(r.code, 2, r)
    t.check("--jutousu-id" in r.err, r)
    r = t.kmrep("add", "甲卡盟", "--jutousu-id", "https://ts.21cn.com/merchant/show/id/77/")
    t.check_eq(r.code, 0, r)
    t.check_eq(t.sql("SELECT merchant_id, pinned FROM merchants WHERE source = 'jutousu'"),
               [("77", 1)])


def test_cursor_walk_reads_every_page_and_resumes(t):
    on(t)
    t.add(LONG, "--jutousu-id", LONG_MID)
    # Page 4 fails: pages 1-3 are kept with the cursor of page 4.
    t.server.fault(LIST + "merchantId/" + LONG_MID + "/listType/1/pageNo/4/", "status",
                   params={"code": 503})
    r = refresh(t, "--source", "jutousu")
    fail_line(t, r, LONG, "page 4")
    t.check_eq(t.sql("SELECT count(*) FROM complaints WHERE source = 'jutousu'"
                     " AND merchant_id = ?", LONG_MID)[0][0], 30)
    t.server.control("reset", {})
    r = refresh(t, "--source", "jutousu", now=NOW2)
    t.check_eq(r.code, 0, r)
    t.check_eq(t.sql("SELECT count(*) FROM complaints WHERE source = 'jutousu'"
                     " AND merchant_id = ?", LONG_MID)[0][0], 100)
    bad = [e for e in t.server.requests(LIST) if e["status"] != 200]
    t.check_eq(bad, [], "every cursor the client passed back was the right one")
    pages = [e["path"].split("/pageNo/")[1].split("/")[0] for e in t.server.requests(LIST)]
    t.check_eq(pages[0], "1", pages)
    t.check("4" in pages and "2" not in pages, f"resumed at page 4, not from 2: {pages}")


# -- the bad days ---------------------------------------------------------------

def fault_case(t, kind, needle, state="failed", path=None, params=None, platform=LONG,
               mid=LONG_MID):
    on(t)
    t.add(platform, "--jutousu-id", mid)
    r = refresh(t, "--source", "jutousu")
    t.check_eq(r.code, 0, r)
    before = snapshot(t)
    t.server.control("reset", {})
    t.server.fault(path or LIST, kind, params=params or {})
    r = refresh(t, "--source", "jutousu", "--full", now=NOW2)
    line = fail_line(t, r, platform, needle)
    assert_kept(t, before)
    j = check_json(t, platform, now=NOW2)
    s = source(t, j)
    t.check_eq(s["state"], state, s)
    t.check(named(needle, s["error"]), s)
    t.check_eq(t.sql("SELECT count(*) FROM complaints WHERE source = 'jutousu' AND platform_id"
                     " IS NOT NULL")[0][0], 100, "the complaints stored before are all there")
    t.check(j["verdict"] != "recommend", j["verdict"])
    return r, line


def test_login_wall(t):
    r, _ = fault_case(t, "jts_login", "login", state="blocked")
    t.check("cookie_file" in r.err, r)


def test_cursor_that_repeats(t):
    fault_case(t, "jts_cursor_repeat", "cursor repeats", state="partial")


def test_empty_page_offering_a_cursor(t):
    fault_case(t, "jts_empty", "empty page", state="blocked")


def test_changed_field_names(t):
    fault_case(t, "jts_drift", "layout changed")


def test_html_error_page(t):
    fault_case(t, "jts_html_error", "HTML page")


def test_server_error(t):
    fault_case(t, "status", "503", params={"code": 503})


def test_slow_drip(t):
    t.config_extra = {"general": {"low_speed_time_s": 1, "max_retries": 1}}
    fault_case(t, "jts_slow", ("slow", "timed out"), params={"seconds": 30, "interval": 0.5})


def test_detail_layout_changed(t):
    on(t)
    t.add(NAME, "--jutousu-id", MID)
    t.server.fault(DETAIL, "jts_drift")
    r = refresh(t, "--source", "jutousu")
    fail_line(t, r, NAME, "layout changed")
    got = rows(t)
    t.check_eq(len(got), 6, "the list's complaints are stored")


def test_hostile_text_is_never_printed_raw(t):
    on(t)
    t.add(NAME, "--jutousu-id", MID)
    t.server.fault(LIST, "jts_escapes")
    r = refresh(t, "--source", "jutousu")
    out = t.kmrep("check", NAME, env={"KMREP_NOW": NOW1})
    for res in (r, out):
        t.check("\x1b" not in res.out + res.err and "\u202e" not in res.out + res.err, res)


# -- saved pages -------------------------------------------------------------------

def test_import_and_reparse(t):
    on(t)
    t.add(NAME, "--jutousu-id", MID)
    r = refresh(t, "--source", "jutousu")
    t.check_eq(r.code, 0, r)
    live = snapshot(t)
    r = t.kmrep("reparse", "--source", "jutousu")
    t.check_eq(r.code, 0, r)
    t.check_eq(snapshot(t), live, "reparse of the archive gives the same complaints")
    # Saved pages into a fresh database.
    t2 = kmtest.Case("import")
    try:
        t2.jutousu = True
        t2.add("功夫贷")
        files = [os.path.join(DATA, f) for f in ("merchant_p1.json", "detail_sample.json")]
        r = t2.kmrep("import", "--source", "jutousu", "--platform", "功夫贷", *files)
        t2.check_eq(r.code, 0, r)
        n = t2.sql("SELECT count(*), count(detail_kind) FROM complaints"
                   " WHERE source = 'jutousu'")[0]
        t2.check(n[0] >= 10 and n[1] >= 1, f"list and detail imported: {n}")
        r = t2.kmrep("import", "--source", "jutousu", "--platform", "功夫贷",
                     os.path.join(DATA, "drift.json"))
        t2.check_eq(r.code, 1, r)
        t2.check("layout" in r.err.lower() or "postlist" in r.err.lower(), r)
    finally:
        t2.close()


kmtest.main(globals())
