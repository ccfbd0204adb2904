"""Results that must not change (issue 14): every domain of a platform is
checked, the verdict does not depend on how often one refreshes, unknown is
said as unknown, a short or wrong name leaves no junk, and Ctrl-C stops a
run at once with the work done so far stored whole."""
import csv
import io
import datetime
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kmtest  # noqa: E402


def demo_setup(t, platforms):
    """The demo world (times relative to the real clock) with platforms
    added and refreshed."""
    t.use_demo_world()
    t.server
    for name, dom in platforms:
        t.add(name, "--domain", dom)
    r = t.kmrep("refresh")
    t.check_eq(r.code, 0, r)


def check_json(t, name, *args, env=None, codes=(0,)):
    r = t.kmrep("check", name, "--format", "json", *args, env=env)
    t.check(r.code in codes, r)
    return r.json()


def gates(j):
    return [g["gate"] for g in j["gates"]]


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- 2. the verdict does not depend on how often one refreshes ---------------

def test_trend_two_refreshes_seconds_apart_same_verdict(t):
    demo_setup(t, [("速达卡盟", "suda-km.net")])
    first = check_json(t, "速达卡盟", "--refresh")
    t.check_eq(first["trend"]["level"], "warning", first["trend"])
    t.check_eq(first["formula"], "km-risk/2", first)
    second = check_json(t, "速达卡盟", "--refresh")
    t.check_eq((second["verdict"], second["score"], second["trend"]["level"], gates(second)),
               (first["verdict"], first["score"], first["trend"]["level"], gates(first)),
               second)
    third = check_json(t, "速达卡盟", "--refresh")
    t.check_eq(third["trend"]["level"], "warning", third["trend"])


def test_trend_warning_held_20_hours_apart_is_critical(t):
    demo_setup(t, [("速达卡盟", "suda-km.net")])
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    first = check_json(t, "速达卡盟", "--refresh", env={"KMREP_NOW": iso(now)})
    t.check_eq(first["trend"]["level"], "warning", first["trend"])
    # 19 hours later: not yet
    j = check_json(t, "速达卡盟", "--refresh",
                   env={"KMREP_NOW": iso(now + datetime.timedelta(hours=19))})
    t.check_eq(j["trend"]["level"], "warning", j["trend"])
    # 21 hours after the first: the warning held at two refreshes 20 h apart
    j = check_json(t, "速达卡盟", "--refresh",
                   env={"KMREP_NOW": iso(now + datetime.timedelta(hours=21))})
    t.check_eq(j["trend"]["level"], "critical", j["trend"])
    t.check("trend_critical" in gates(j), j["gates"])

# -- 1. every domain of a platform is checked ---------------------------------

def test_dead_mirror_keeps_the_stolen_number_gate(t):
    demo_setup(t, [("金盾卡盟", "jindun-km.com")])
    before = check_json(t, "金盾卡盟")
    t.check("stolen_icp" in gates(before), before["gates"])
    t.add("金盾卡盟", "--domain", "jindun-shop.com")      # a dead mirror
    r = t.kmrep("refresh", "金盾卡盟")
    t.check_eq(r.code, 1, r)                              # the mirror's page failed
    after = check_json(t, "金盾卡盟")
    t.check_eq(after["icp"]["claim"], "mismatch", after["icp"])
    t.check("stolen_icp" in gates(after), after["gates"])
    t.check_eq((after["score"], after["grade"]), (before["score"], before["grade"]), after)
    sites = {s["domain"]: s for s in after["icp"]["sites"]}
    t.check_eq(sites["jindun-shop.com"]["state"], "dead", sites)
    t.check_eq(sites["jindun-km.com"]["state"], "live", sites)
    t.check_eq(sites["jindun-km.com"]["claim"], "mismatch", sites)
    text = t.kmrep("check", "金盾卡盟")
    t.check("jindun-shop.com: dead" in text.out, text)
    # dropping the mirror again leaves the platform as it was
    r = t.kmrep("remove", "金盾卡盟", "--domain", "https://www.jindun-shop.com/")
    t.check_eq(r.code, 0, r)
    j = check_json(t, "金盾卡盟")
    t.check_eq(j["platform"]["domains"], ["jindun-km.com"], j["platform"])
    t.check_eq([s["domain"] for s in j["icp"]["sites"]], ["jindun-km.com"], j["icp"])


def test_www_and_url_fold_to_one_domain(t):
    t.add("启慧卡盟", "--domain", "qihui-km.com")
    r = t.kmrep("add", "启慧卡盟", "--domain", "https://www.qihui-km.com/")
    t.check_eq(r.code, 0, r)
    t.check_eq(t.sql("SELECT domain FROM platform_domains"), [("qihui-km.com",)])
    t.add("星辰卡盟", "--domain", "https://WWW.xingchen-km.com/shop")
    t.check_eq(sorted(t.sql("SELECT domain FROM platform_domains")),
               [("qihui-km.com",), ("xingchen-km.com",)])
    r = t.kmrep("add", "别的卡盟", "--domain", "www.qihui-km.com")
    t.check_eq(r.code, 0, r)   # merges: the domain is 启慧卡盟's
    t.check_eq(t.sql("SELECT COUNT(*) FROM platforms")[0][0], 2)


def test_remove_domain_and_alias_keep_the_platform(t):
    t.add("启慧卡盟", "--domain", "qihui-km.com", "--domain", "qihui-km.net",
          "--alias", "启慧", "--alias", "QH")
    r = t.kmrep("remove", "启慧卡盟", "--domain", "www.qihui-km.net", "--alias", "qh")
    t.check_eq(r.code, 0, r)
    t.check_eq(t.sql("SELECT domain FROM platform_domains"), [("qihui-km.com",)])
    t.check_eq(t.sql("SELECT value FROM platform_names"), [("启慧",)])
    t.check_eq(t.sql("SELECT tracked FROM platforms"), [(1,)])
    # one wrong item: nothing is removed, exit 2
    r = t.kmrep("remove", "启慧卡盟", "--alias", "启慧", "--domain", "nope.com")
    t.check_eq(r.code, 2, r)
    t.check("nope.com" in r.err, r)
    t.check_eq(t.sql("SELECT value FROM platform_names"), [("启慧",)])
    r = t.kmrep("remove", "没有卡盟", "--alias", "x")
    t.check_eq(r.code, 2, r)
    r = t.kmrep("remove", "启慧卡盟", "--colour")
    t.check_eq(r.code, 2, r)
    r = t.kmrep("remove", "启慧卡盟")
    t.check_eq(r.code, 0, r)
    t.check_eq(t.sql("SELECT tracked FROM platforms"), [(0,)])


def test_rename(t):
    t.add("星辰", "--domain", "xingchen-km.com", "--alias", "星辰卡盟官方")
    t.add("启慧卡盟", "--alias", "启慧")
    r = t.kmrep("rename", "星辰", "星辰卡盟")
    t.check_eq(r.code, 0, r)
    t.check_eq(t.sql("SELECT name FROM platforms ORDER BY id"), [("星辰卡盟",), ("启慧卡盟",)])
    r = t.kmrep("check", "xingchen-km.com", "--format", "json", "--explain")
    # the domain still leads to it (its data is whatever it was)
    t.check_eq(r.json()["platform"]["name"], "星辰卡盟", r)
    # name or alias of another platform: conflict, exit 2, nothing changed
    for taken in ("启慧卡盟", "启慧"):
        r = t.kmrep("rename", "星辰卡盟", taken)
        t.check_eq(r.code, 2, r)
        t.check("启慧卡盟" in r.err, r)
    t.check_eq(t.sql("SELECT name FROM platforms ORDER BY id"), [("星辰卡盟",), ("启慧卡盟",)])
    # an alias of the same platform becomes its name
    r = t.kmrep("rename", "星辰卡盟", "星辰卡盟官方")
    t.check_eq(r.code, 0, r)
    t.check_eq(t.sql("SELECT value FROM platform_names ORDER BY value"), [("启慧",)])
    r = t.kmrep("rename", "没有", "新名")
    t.check_eq(r.code, 2, r)
    r = t.kmrep("rename", "星辰卡盟官方")
    t.check_eq(r.code, 2, r)
    r = t.kmrep("rename", "--help")
    t.check_eq(r.code, 0, r)
    t.check("OLD NEW" in r.out, r)

# -- 3. unknown is said as unknown --------------------------------------------

def dead_config(t):
    """Every source pointed at a closed port on 127.0.0.1, no retries."""
    dead = "http://127.0.0.1:1"
    with open(t.config, "w", encoding="utf-8") as f:
        f.write("[general]\ntimeout_s = 5\nmax_retries = 0\n"
                f"[heimao]\nbase_url = {dead}\nmin_interval_ms = 0\n"
                f"[jutousu]\nbase_url = {dead}\nmin_interval_ms = 0\n"
                f"[icp]\nbase_url = {dead}/icpproject_query/api\nmin_interval_ms = 0\n"
                f"[site]\nurl_template = {dead}/site/{{domain}}/\nmin_interval_ms = 0\n")


def test_every_source_failed_says_no_source_could_be_read(t):
    dead_config(t)
    r = t.kmrep("check", "https://www.example-km.com/", "-y", server=False)
    t.check_eq(r.code, 1, r)
    head = r.out.splitlines()[:2]
    t.check("no source could be read" in head[1], r)
    zh = t.kmrep("check", "https://www.example-km.com/", "--lang", "zh", server=False)
    t.check("无法读取任何数据来源" in zh.out.splitlines()[1], zh)
    # The headline names every source and says why in words, not the
    # technical errors (those are under Sources); so does the Chinese one.
    head = r.out.split("\n  domains:")[0]
    for src in ("heimao", "jutousu", "icp", "site"):
        t.check(src in head, f"names {src}\n{r}")
    t.check("the site could not be reached" in head and "Failed to connect" not in head, r)
    zh_head = zh.out.split("\n  域名：")[0]
    t.check("黑猫、聚投诉、ICP、官网：连不上网站" in zh_head, zh)
    t.check("连不上网站（merchant search:" in zh.out, zh)  # the detail under 数据来源
    # No trend and no months for complaints nobody could read.
    t.check("trend normal" not in r.out and "12 months" not in r.out, r)
    t.check("趋势正常" not in zh.out, zh)
    t.check("窗口内投诉 0 件" not in r.out and "0 complaints in the window" not in r.out, r)
    t.check("no ICP filing on record" not in r.out, r)
    t.check("the registry was not asked or did not answer" in r.out, r)
    t.check("Complaints in the last 1095 days: unknown" in r.out, r)
    j = check_json(t, "example-km.com", codes=(0,))
    t.check("no source could be read" in j["verdict_reason"], j)
    t.check_eq(j["verdict"], "not_rated", j)
    # Nor as "no complaints" or 0 anywhere else a person or a sheet reads it.
    name = j["platform"]["name"]
    c = t.kmrep("complaints", name, "--format", "text", server=False)
    t.check("complaints unknown" in c.out and "no complaints" not in c.out, c)
    c = t.kmrep("complaints", name, "--format", "text", "--lang", "zh", server=False)
    t.check("投诉数量未知" in c.out and "没有投诉" not in c.out, c)
    rows = list(csv.DictReader(io.StringIO(t.kmrep("report", server=False).out)))
    t.check_eq([row["complaints"] for row in rows], [""], rows)
    rep = t.kmrep("report", "--format", "json", server=False).json()
    t.check_eq(rep[0]["complaints"] if isinstance(rep, list) else rep, None, rep)
    for lang, unknown, trend in (("en", "unknown", "stable"), ("zh", "未知", "平稳")):
        page = t.kmrep("report", "--format", "html", "--lang", lang, server=False).out
        t.check('data-complaints=""' in page, page[:2000])
        overview = page.split("</table>")[0]
        t.check(f'class="num">{unknown}' in overview and trend not in overview, overview)
        t.check("0 / " not in overview, overview)


def test_icp_never_queried_is_not_sources_healthy(t):
    demo_setup(t, [])
    t.add("启慧卡盟", "--domain", "qihui-km.com")
    r = t.kmrep("refresh", "--source", "heimao")
    t.check_eq(r.code, 0, r)
    j = check_json(t, "启慧卡盟")
    t.check_eq(j["icp"]["status"], "unknown", j["icp"])
    t.check("sources healthy" not in j["verdict_reason"], j["verdict_reason"])
    t.check("数据来源正常" not in j["verdict_reason"], j["verdict_reason"])
    t.check("could not be checked" in j["verdict_reason"], j["verdict_reason"])
    text = t.kmrep("check", "启慧卡盟")
    t.check("sources healthy" not in text.out and "数据来源正常" not in text.out, text)
    t.check("no ICP filing on record" not in text.out, text)
    # once every source is read the headline may say so
    r = t.kmrep("refresh")
    t.check_eq(r.code, 0, r)
    j = check_json(t, "启慧卡盟")
    t.check_eq(j["verdict"], "recommend", j)
    t.check("sources healthy" in j["verdict_reason"], j["verdict_reason"])


def test_failed_site_probe_is_not_sources_healthy(t):
    demo_setup(t, [("启慧卡盟", "qihui-km.com")])
    t.server.fault("/site/", "status", params={"code": 503})
    r = t.kmrep("refresh", "--source", "site")
    t.check_eq(r.code, 1, r)
    j = check_json(t, "启慧卡盟")
    t.check("sources healthy" not in j["verdict_reason"], j["verdict_reason"])
    t.check("site:" in j["verdict_reason"], j["verdict_reason"])


def test_complaint_source_failed_is_not_zero_complaints(t):
    t.add("测试卡盟", "--domain", "test-km.com")
    t.server.fault("/api/company/", "status", params={"code": 503})
    t.write_config(general={"max_retries": 0})
    r = t.kmrep("refresh", "--source", "heimao")
    t.check_eq(r.code, 1, r)
    j = check_json(t, "测试卡盟")
    t.check_eq(j["verdict"], "not_rated", j)
    t.check("no complaint source could be read" in j["verdict_reason"], j["verdict_reason"])
    t.check("heimao:" in j["verdict_reason"], j["verdict_reason"])
    t.check_eq(j["complaints"]["known"], False, j["complaints"])

# -- 4. a short or wrong name leaves no junk ----------------------------------

def platform_names(t):
    return sorted(r[0] for r in t.sql("SELECT name FROM platforms"))


def test_check_short_name_suggests_and_creates_nothing(t):
    demo_setup(t, [("星辰卡盟", "xingchen-km.com")])
    t.add("启慧卡盟", "--alias", "启慧")
    before = platform_names(t)
    r = t.kmrep("check", "星辰")
    t.check_eq(r.code, 2, r)
    t.check("星辰 is not tracked" in r.out, r)
    t.check("kmrep check 星辰卡盟" in r.out, r)
    t.check("kmrep add NAME --alias 星辰" in r.out, r)
    t.check("kmrep check 星辰 --add" in r.out, r)
    t.check("启慧" not in r.out, r)
    t.check_eq(platform_names(t), before, "nothing was created")
    # by an alias, and by a domain with the same stem
    r = t.kmrep("check", "启慧卡盟官方")
    t.check_eq(r.code, 2, r)
    t.check("kmrep check 启慧卡盟" in r.out, r)
    r = t.kmrep("check", "https://www.xingchen-km.net/")
    t.check_eq(r.code, 2, r)
    t.check("星辰卡盟 (tracked; by its domain)" in r.out, r)
    t.check_eq(platform_names(t), before)
    # the alias can now be added, as the hint says
    r = t.kmrep("add", "星辰卡盟", "--alias", "星辰")
    t.check_eq(r.code, 0, r)
    r = t.kmrep("check", "星辰", "--format", "json")
    t.check_eq(r.code, 0, r)
    t.check_eq(r.json()["platform"]["name"], "星辰卡盟", r)


def test_check_add_tracks_a_look_alike_on_purpose(t):
    demo_setup(t, [("星辰卡盟", "xingchen-km.com")])
    for flag in ("--add", "-y"):
        name = "星辰" if flag == "--add" else "星辰网"
        r = t.kmrep("check", name, flag)
        t.check(r.code in (0, 1), r)
        t.check(name in platform_names(t), f"{flag} keeps {name}\n{r}")


def test_check_that_finds_nothing_is_not_kept(t):
    demo_setup(t, [("启慧卡盟", "qihui-km.com")])
    before = platform_names(t)
    r = t.kmrep("check", "无此卡盟")
    t.check(r.code in (0, 1), r)
    t.check(r.out.startswith("not rated"), r)
    t.check("not kept" in r.err and "kmrep check 无此卡盟 --add" in r.err, r)
    t.check_eq(platform_names(t), before)
    t.check_eq(t.sql("SELECT COUNT(*) FROM fetch_state WHERE platform_id NOT IN"
                     " (SELECT id FROM platforms)")[0][0], 0)
    r = t.kmrep("check", "无此卡盟", "--add")
    t.check(r.code in (0, 1), r)
    t.check("无此卡盟" in platform_names(t), r)

# -- 5. Ctrl-C ----------------------------------------------------------------

DETAIL = "/complaint/view/"


def spawn(t, *args):
    t.server  # started, config written
    return subprocess.Popen([kmtest.KMREP, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=t.env())


def wait_for_fault_taken(t, rule_id, timeout=20):
    """Until the request that gets fault rule_id has started (the log has a
    request only once it ends)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if not [r for r in t.server.control("faults") if r.get("id") == rule_id and r.get("left")]:
            return
        time.sleep(0.02)
    raise kmtest.Failure(f"fault {rule_id} not taken within {timeout} s")


def interrupted_run(t, *args, signals=1):
    """Runs kmrep ARGS, sends SIGINT while it reads a detail page that drips
    for 20 s; returns (process result, seconds to exit, 0, requests started
    after the signal)."""
    t.add("测试卡盟", "--domain", "test-km.com")
    # The drip (20 bytes a second) stays under [general] low_speed_bps, so
    # the low-speed limit must not end it before the signal does.
    t.write_config(general={"low_speed_time_s": 60})
    rule = t.server.fault(DETAIL, "slow", times=1, params={"seconds": 20, "interval": 0.05})
    t.check(rule.get("ok"), "fault")
    p = spawn(t, *args)
    wait_for_fault_taken(t, rule["id"])
    time.sleep(0.3)                       # the slow page is half-way
    t0 = time.time()
    for _ in range(signals):
        p.send_signal(signal.SIGINT)
        time.sleep(0.01)
    try:
        out, err = p.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise kmtest.Failure("still running 10 s after SIGINT")
    took = time.time() - t0
    time.sleep(0.2)
    # Requests the server saw start after the signal (a request already in
    # flight is logged when it ends, so a count at the signal would not do).
    after = len([e for e in t.server.requests() if e["t"] > t0])
    return kmtest.Result(list(args), p.returncode, out, err), took, 0, after


def test_ctrl_c_during_refresh_stops_within_a_second(t):
    r, took, seen, after = interrupted_run(t, "refresh")
    t.check_eq(r.code, 130, r)
    t.check(took < 1.0, f"exits within 1 s of Ctrl-C ({took:.2f} s)\n{r}")
    t.check_eq(after, seen, f"no request after the signal\n{r}")
    lines = [ln for ln in r.err.splitlines() if ln.strip()]
    t.check_eq(len(lines), 1, f"a one-line summary\n{r}")
    t.check(lines[0].startswith("kmrep: interrupted:") and "stored" in lines[0], r)
    t.check_eq(t.sql("PRAGMA integrity_check"), [("ok",)])
    # the dripping page was dropped whole: its complaint has no detail yet,
    # and a plain refresh completes the run
    nodetail = t.sql("SELECT COUNT(*) FROM complaints WHERE detail_fetched_at IS NULL")[0][0]
    t.check(nodetail >= 1, "the page in flight is not stored half")
    r2 = t.kmrep("refresh")
    t.check_eq(r2.code, 0, r2)
    t.check_eq(t.sql("SELECT COUNT(*) FROM complaints WHERE detail_fetched_at IS NULL")[0][0],
               0)


def test_ctrl_c_during_check_exits_130(t):
    r, took, seen, after = interrupted_run(t, "check", "测试卡盟", "--refresh")
    t.check_eq(r.code, 130, r)
    t.check(took < 1.0, f"exits within 1 s of Ctrl-C ({took:.2f} s)\n{r}")
    t.check_eq(r.out, "", "no verdict from a half-read platform")
    t.check_eq(after, seen, r)


def test_second_ctrl_c_exits_at_once(t):
    r, took, seen, after = interrupted_run(t, "refresh", signals=2)
    t.check_eq(r.code, 130, r)
    t.check(took < 1.0, f"{took:.2f} s\n{r}")
    t.check_eq(t.sql("PRAGMA integrity_check"), [("ok",)])


kmtest.main(globals())
