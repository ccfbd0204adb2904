"""Hostile or odd input: contradictory pages, times in the future, read-only
databases, configuration values, platform names, cookie files, cookies per
source (issue 10, item 5).

Each test_* function is one meson test (`python3 tests/cli/test_input.py CASE`)."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kmtest  # noqa: E402

NAME = "测试卡盟"
DOMAIN = "test-km.com"
COUID = "6384912431"


def offline(t, text=""):
    """A config file without a server, for tests that make no requests."""
    with open(t.config, "w", encoding="utf-8") as f:
        f.write(text)


def save(t, name, body):
    path = os.path.join(t.dir, name)
    with open(path, "wb") as f:
        f.write(body if isinstance(body, bytes) else body.encode())
    return path


def kmrep_lines(err):
    return [line for line in err.splitlines() if line.startswith("kmrep: ")]


def check_usage_error(t, r, what=""):
    t.check_eq(r.code, 2, r)
    t.check(r.out == "", r)
    t.check(r.err.startswith("kmrep: "), r)
    if what:
        t.check(what in r.err, f"{what!r} not in stderr\n{r}")


def list_page(entries):
    """A received_complaints answer (research §1.4 shape); entries: (sn, ts)."""
    items = [{"main": {"sn": sn, "title": "手工导入的投诉" + sn[-1], "summary": "卡密无效",
                       "cotitle": NAME, "couid": COUID, "status": 1, "timestamp": str(ts),
                       "cost": "12.5",
                       "url": f"//tousu.sina.com.cn/complaint/view/{sn}/"},
              "author": {"title": "导入用户" + sn[-1]}} for sn, ts in entries]
    return json.dumps({"result": {"status": {"code": 0, "msg": ""}, "data": {
        "complaints": items, "pager": {"current": 1, "next": 2, "page_amount": 1,
                                       "item_count": len(items)}}}})


# -- item: a complaint filed in the future --------------------------------

def test_future_complaint_is_skipped(t):
    offline(t)
    t.add(NAME, "--domain", DOMAIN, "--heimao-couid", COUID)
    # KMREP_NOW is 2026-11-21T00:00:00Z; 99999999999 is in the year 5138.
    now = 1795219200
    path = save(t, "list.json", list_page([
        ("17391111111", 1790000000), ("17391111112", 99999999999),
        ("17391111113", now + 3600), ("17391111114", now + 2 * 86400)]))
    r = t.kmrep("import", "--source", "heimao", "--platform", NAME, path, server=False)
    t.check_eq(r.code, 0, r)
    rows = t.sql("SELECT source_id FROM complaints ORDER BY source_id")
    # an hour ahead is a clock difference; a day or more is not a real time
    t.check_eq([x[0] for x in rows], ["17391111111", "17391111113"], r)
    lines = kmrep_lines(r.err)
    for sn, when in (("17391111112", "5138-"), ("17391111114", "2026-11-23")):
        hit = [line for line in lines if sn in line]
        t.check_eq(len(hit), 1, r)
        t.check(when in hit[0] and "not recognised" in hit[0], r)



# -- item: a read-only database ---------------------------------------------

def as_other_user(t, *args):
    """Runs kmrep as nobody when we are root (root ignores file modes), else
    as ourselves; returns a kmtest.Result."""
    import shutil
    import subprocess
    prefix = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        t.check(setpriv, "setpriv(1) is needed to drop root for this test")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    wrapper = os.environ.get("KMREP_WRAPPER", "").split()
    p = subprocess.run([*prefix, *wrapper, kmtest.KMREP, *args], capture_output=True,
                       text=True, env=t.env(), timeout=120)
    return kmtest.Result(list(args), p.returncode, p.stdout, p.stderr)


def test_read_only_database_is_readable(t):
    t.add(NAME, "--domain", DOMAIN)
    r = t.kmrep("refresh")
    t.check_eq(r.code, 0, r)
    want = {cmd: t.kmrep(*cmd) for cmd in
            (("list",), ("check", NAME), ("check", DOMAIN, "--format", "json"),
             ("report", "--format", "csv"), ("complaints", NAME))}
    for cmd, r in want.items():
        t.check_eq(r.code, 0, r)
    os.chmod(t.config, 0o644)
    try:
        # without -wal and -shm files (the last writer to close removes
        # them), and with empty ones left behind
        for state in ("clean", "leftovers"):
            os.chmod(t.dir, 0o700)
            os.chmod(t.db, 0o644)
            t.check(not os.path.exists(t.db + "-wal"), os.listdir(t.dir))
            t.check(not os.path.exists(t.db + "-shm"), os.listdir(t.dir))
            if state == "leftovers":
                for f in (t.db + "-wal", t.db + "-shm"):
                    open(f, "wb").close()
                    os.chmod(f, 0o444)
            os.chmod(t.db, 0o444)
            os.chmod(t.dir, 0o555)
            for cmd, before in want.items():
                r = as_other_user(t, *cmd)
                t.check_eq((r.code, r.out), (0, before.out), f"{state}: {r}")
                t.check("readonly" not in r.err, r)
        # writing still needs a writable database, and says why
        r = as_other_user(t, "add", "新卡盟")
        t.check_eq(r.code, 3, r)
        r = as_other_user(t, "check", "未知卡盟")
        t.check_eq(r.code, 3, r)
    finally:
        os.chmod(t.dir, 0o700)
        os.chmod(t.db, 0o644)
    # nothing was written: the database answers as before
    for cmd, before in want.items():
        t.check_eq(t.kmrep(*cmd).out, before.out)


def test_read_only_database_with_empty_wal(t):
    """An empty -wal file without its -shm (which the read-only directory
    cannot get) holds nothing: the database is read as it is."""
    t.add(NAME, "--domain", DOMAIN)
    open(t.db + "-wal", "wb").close()
    os.chmod(t.config, 0o644)
    for f in (t.db, t.db + "-wal"):
        os.chmod(f, 0o444)
    os.chmod(t.dir, 0o555)
    try:
        r = as_other_user(t, "list")
        t.check_eq(r.code, 0, r)
        t.check(NAME in r.out, r)
    finally:
        os.chmod(t.dir, 0o700)


# -- item: a 0-byte database file --------------------------------------------

def test_empty_database_file_warns(t):
    offline(t)
    open(t.db, "wb").close()
    r = t.kmrep("list", server=False)
    t.check_eq(r.code, 0, r)
    t.check_eq([line for line in kmrep_lines(r.err) if "empty" in line],
               [f"kmrep: warning: {t.db}: empty file, creating a new database"], r)
    r = t.kmrep("list", server=False)
    t.check_eq(r.code, 0, r)
    t.check("empty file" not in r.err, r)
    t.check(os.path.getsize(t.db) > 0)


# -- items: [score] ranges, number syntax, NUL bytes in the config ----------

def config_error(t, text, line, *words):
    """kmrep with config text refuses it: exit 2, one message naming
    config.ini:LINE and each of words."""
    with open(t.config, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode())
    r = t.kmrep("list", server=False)
    t.check_eq(r.code, 2, r)
    t.check_eq(r.out, "", r)
    msgs = kmrep_lines(r.err)
    t.check_eq(len(msgs), 1, r)
    t.check(msgs[0].startswith(f"kmrep: {t.config}:{line}: "), r)
    for w in words:
        t.check(w in msgs[0], f"{w!r} not in the message\n{r}")


def test_config_score_ranges(t):
    for key, value, words in (
            ("half_life_days", "0", ("above 0",)),
            ("window_days", "-1", ()),
            ("trend_base_days", "36501", ("36500",)),
            ("reply_fast_hours", "0", ()),
            ("mu_reply", "1.5", ("0 to 1",)),
            ("w_sat", "1", ("less than 1",)),
            ("trend_p", "1", ("probability",)),
            ("trend_p", "0", ("probability",)),
            ("severity_full", "0", ("above 0",)),
            ("service_max", "101", ("0 to 100",)),
            ("min_rated", "-2", ()),
            ("m", "1e7", ())):
        config_error(t, f"[general]\ntimeout_s = 10\n[score]\n{key} = {value}\n", 4,
                     key, *words)


def test_config_score_number_syntax(t):
    for value in ("0x1p4", "0x10", "inf", "-inf", "nan", "infinity", "1e999", "1,5", "5 days",
                  "", "."):
        config_error(t, f"[score]\n\nhalf_life_days = {value}\n", 3, "half_life_days")
    # plain decimals, with or without an exponent, are fine
    offline(t, "[score]\nhalf_life_days = 1.8e2\nmu_reply = .5\nw_sat = 0\nm = 0\n")
    r = t.kmrep("list", server=False)
    t.check_eq(r.code, 0, r)


def test_config_score_order(t):
    config_error(t, "[score]\nreply_fast_hours = 200\n", 2, "reply_fast_hours",
                 "reply_slow_hours")
    config_error(t, "[score]\ncaution_below = 50\n\navoid_below = 55\n", 4, "avoid_below",
                 "caution_below")


def test_config_half_life_zero_stops_check(t):
    """The reproduction of the issue: check used to exit 3 without FILE:LINE."""
    t.add(NAME, "--domain", DOMAIN)
    t.kmrep("refresh")
    with open(t.config, "a") as f:
        f.write("[score]\nhalf_life_days = 0\n")
    r = t.kmrep("check", NAME)
    t.check_eq(r.code, 2, r)
    t.check(f"{t.config}:" in r.err and "half_life_days" in r.err, r)


def test_config_nul_byte_refused(t):
    config_error(t, b"[general]\ntimeout_s = 10\x00max_retries = 9\n", 2, "NUL")
    config_error(t, b"[heimao]\nmax_pages = 5\n\x00[icp]\nenabled = maybe\n", 3, "NUL")
    # a NUL in a long line is still one line: the next line keeps its number
    config_error(t, b"[general]\nuser_agent = " + b"a" * 150 + b"\x00" + b"b" * 100 +
                 b"\ntimeout_s = 10\n", 2)


# -- items: names and aliases; what add says it did --------------------------

def test_names_that_fold_to_nothing_are_usage_errors(t):
    offline(t)
    for bad in ("_", "-", "·", "\u200b", "_-_", "\u3000_\u3000"):
        for args in (("add", bad), ("add", "好卡盟", "--alias", bad), ("check", bad)):
            r = t.kmrep(*args, server=False)
            check_usage_error(t, r)
            t.check("Try 'kmrep" in r.err, r)
    t.check_eq(t.sql("SELECT count(*) FROM platforms")[0][0], 0)


def test_names_keep_no_control_or_bidi_characters(t):
    offline(t)
    for bad in ("坏\x7f卡盟", "坏\u009b卡盟", "坏\u202e盟卡", "坏\u2066卡盟", "坏\u200f卡盟",
                "坏\x1b[2J卡盟", "坏\u200b卡盟", "\ufeff坏卡盟"):
        for args in (("add", bad), ("add", "好卡盟", "--alias", bad), ("check", bad)):
            r = t.kmrep(*args, server=False)
            check_usage_error(t, r, "character")
    t.check_eq(t.sql("SELECT count(*) FROM platforms")[0][0], 0)
    # ordinary names with separators inside are fine
    r = t.kmrep("add", "好-卡盟 Pro", "--alias", "Hao_KM", server=False)
    t.check_eq(r.code, 0, r)


def test_add_says_when_it_merges(t):
    offline(t)
    r = t.kmrep("add", "启慧卡盟", "--domain", "qihui-km.com", "--alias", "启慧", server=False)
    t.check_eq((r.code, kmrep_lines(r.err)), (0, ["kmrep: tracking 启慧卡盟"]), r)
    r = t.kmrep("add", "新名字", "--domain", "qihui-km.com", server=False)
    t.check_eq((r.code, kmrep_lines(r.err)),
               (0, ["kmrep: added 新名字 as an alias of 启慧卡盟, which owns qihui-km.com"]), r)
    r = t.kmrep("add", "又一个", "--alias", "启慧", server=False)
    t.check_eq(kmrep_lines(r.err),
               ["kmrep: added 又一个 as an alias of 启慧卡盟, also called 启慧"], r)
    r = t.kmrep("add", "启慧卡盟", "--domain", "qihui-km.net", server=False)
    t.check_eq(kmrep_lines(r.err), ["kmrep: updated 启慧卡盟"], r)
    r = t.kmrep("add", "新名字", server=False)
    t.check_eq(kmrep_lines(r.err), ["kmrep: updated 启慧卡盟 (新名字 is one of its names)"], r)
    t.check_eq(t.sql("SELECT name FROM platforms"), [("启慧卡盟",)])


# -- item: the 黑猫 cookie goes to 黑猫 requests only ------------------------

def test_heimao_cookie_only_on_heimao_requests(t):
    """The site probe and the ICP client never send the 黑猫 login cookie,
    not even when a redirect brings them to the 黑猫 host (here the sample
    server is every source's host, so only the cookie engine can tell)."""
    t.add(NAME, "--domain", DOMAIN)
    t.add("另一个卡盟", "--domain", "another-km.com")
    srv = t.server
    srv.fault("/site/", "redirect_ok", params={"to": "/?from=site"})
    srv.fault("/icpproject_query/api/auth", "redirect_ok", params={"to": "/?from=icp"})
    t.kmrep("refresh")
    log = srv.requests()
    heimao = [e for e in log if e["path"].startswith("/api/company/")]
    t.check(heimao and all(e["headers"]["cookie_ok"] for e in heimao), heimao)
    others = [e for e in log if e["path"].startswith(("/site/", "/icpproject_query/"))
              or (e["path"] == "/" and e["query"].startswith("from="))]
    t.check(any(e["path"] == "/" and e["query"] == "from=site" for e in others), log)
    t.check(any(e["path"] == "/" and e["query"] == "from=icp" for e in others), log)
    for e in others:
        t.check(not e["headers"]["cookie_ok"], e)


# -- item: a cookie file that cannot log kmrep in says why ---------------------

def cookie_lines(r):
    return [line for line in kmrep_lines(r.err) if line.startswith("kmrep: heimao: cookie_file")]


def test_cookie_file_problems_are_named_once(t):
    t.add(NAME, "--domain", DOMAIN)
    t.add("空白卡盟")     # a merchant of the world with no complaints
    host = "127.0.0.1"
    cookie = os.path.join(t.dir, "cookies.txt")
    cases = [
        ("missing", None, "not readable (No such file or directory)"),
        ("a directory", "DIR", "not readable (Is a directory)"),
        ("empty", "", "empty, no SUB cookie in it"),
        ("malformed", "this is not a cookie file\n\x00\x01garbage\n", "no SUB cookie in it"),
        ("no SUB", f"{host}\tFALSE\t/\tFALSE\t0\tSUBP\tabc\n", "no SUB cookie in it"),
        ("other domain", ".sina.com.cn\tTRUE\t/\tTRUE\t0\tSUB\tabc\n",
         f"its SUB cookie is for .sina.com.cn, not {host}"),
        ("expired", f"{host}\tFALSE\t/\tFALSE\t1700000000\tSUB\tabc\n",
         "its SUB cookie expired on 2023-11-14"),
    ]
    for what, content, reason in cases:
        for p in (cookie,):
            if os.path.isdir(p):
                os.rmdir(p)
            elif os.path.exists(p):
                os.remove(p)
        if content == "DIR":
            os.mkdir(cookie)
        elif content is not None:
            with open(cookie, "w") as f:
                f.write(content)
        r = t.kmrep("refresh", "--source", "heimao")
        t.check_eq(r.code, 1, r)
        walls = [line for line in kmrep_lines(r.err) if "10005" in line]
        t.check(len(walls) >= 2, f"{what}: both platforms hit the login wall\n{r}")
        t.check_eq(cookie_lines(r), [f"kmrep: heimao: cookie_file {cookie}: {reason}"],
                   f"{what}: {r}")
        # the diagnosis comes just before the first login-wall line
        lines = kmrep_lines(r.err)
        i = lines.index(cookie_lines(r)[0])
        t.check("10005" in lines[i + 1], f"{what}: {r}")
    if os.path.isdir(cookie):
        os.rmdir(cookie)


def test_cookie_file_refused_by_the_site(t):
    t.add(NAME, "--domain", DOMAIN)
    t.server.fault("/api/company/", "code", params={"code": 10005})
    r = t.kmrep("refresh", "--source", "heimao")
    t.check_eq(r.code, 1, r)
    cookie = os.path.join(t.dir, "cookies.txt")
    t.check_eq(cookie_lines(r), [f"kmrep: heimao: cookie_file {cookie}: 黑猫 did not accept "
                                 "its SUB cookie; export it again"], r)
    t.check(kmtest.TEST_COOKIE[1] not in r.err, r)


def test_no_cookie_file_no_cookie_line(t):
    t.add(NAME, "--domain", DOMAIN)
    t.server
    t.write_config(heimao={"cookie_file": ""})
    r = t.kmrep("refresh", "--source", "heimao")
    t.check_eq(r.code, 1, r)
    t.check(any("10005" in line for line in kmrep_lines(r.err)), r)
    t.check_eq(cookie_lines(r), [], r)


kmtest.main(globals())
