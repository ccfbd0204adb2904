"""Nightly refresh in production: the bad days (SPEC §2 exit codes, §4 storage
rules, §5 "Unknown is never good", politeness and safety).

Every fault case follows the same plan:
  1. a clean `kmrep refresh` at NOW1 stores the world's data (exit 0);
  2. the complaint, ICP and site tables are snapshotted;
  3. one fault rule is installed on the sample server;
  4. `kmrep refresh --full` runs again at NOW2 (a later night, so "the last
     attempt failed" is not a tie with the last success);
  5. we assert the exit status (1 = partly done), the one-line failure message
     (platform, source, reason; a hint for login walls and blocks), that
     everything stored before is still there unchanged, and that
     `kmrep check NAME --format json` shows the source as failed with the
     reason in sources[] — never as ok with zero complaints.

ICP and home-page requests go to http://localhost:PORT while 黑猫 stays on
http://127.0.0.1:PORT: in production they are different hosts, and a block
by one site must not be charged to another.

Then the refresh lock, kill -9 and SIGTERM/SIGINT in the middle of a refresh,
-q, the summary line and idempotence.  Run one case with
`python3 tests/cli/test_faults.py CASE`."""
import calendar
import json
import os
import random
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kmtest  # noqa: E402

NAME = "测试卡盟"            # worlds/test.json: couid 6384912431, 23 complaints, 3 pages
SISTER = "测试卡盟旗舰店"     # couid 4294967297, 2 complaints
DOMAIN = "test-km.com"       # filed: 浙ICP备2024001234号-1, home page claims the same
N_COMPLAINTS = 23
NOW1 = kmtest.TEST_NOW                 # the clean refresh
NOW2 = "2026-11-21T06:00:00Z"          # the faulty one, a few hours later
LIST = "/api/company/received_complaints"
SEARCH = "/api/company/search"
DETAIL = "/complaint/view/"
ICP_AUTH = "/icpproject_query/api/auth"
ICP_QUERY = "/icpproject_query/api/icpAbbreviateInfo/queryByCondition"
SITE = "/site/" + DOMAIN + "/"

# What a snapshot holds.  icp_answers.queried_at is left out: a later query
# that gets the same answer legitimately moves it forward (store/icp.c).
SNAPSHOT = {
    "complaints": "SELECT * FROM complaints ORDER BY source, source_id",
    "complaint_events": "SELECT c.source, c.source_id, e.seq, e.actor, e.actor_key, e.event,"
                        " e.at, e.text FROM complaint_events e"
                        " JOIN complaints c ON c.id = e.complaint_id"
                        " ORDER BY c.source, c.source_id, e.seq",
    "merchants": "SELECT platform_id, source, merchant_id, name, pinned FROM merchants"
                 " ORDER BY 1, 2, 3",
    "icp_answers": "SELECT id, domain, state, reason, fingerprint, first_at FROM icp_answers"
                   " ORDER BY id",
    "icp_records": "SELECT * FROM icp_records ORDER BY answer_id, ord",
    "site_probes": "SELECT * FROM site_probes ORDER BY id",
}
# Tables a failed refresh of the same world must leave exactly as they were;
# the others keep history (a new ICP answer or site probe is a new row), so
# there every earlier row must still be there, unchanged.
EXACT = ("complaints", "complaint_events", "merchants")


# -- helpers -------------------------------------------------------------------

def setup(t, **sections):
    """Starts the server and writes the config: ICP and site on `localhost`,
    黑猫 on 127.0.0.1, plus `sections` (kept for later rewrites)."""
    t._fault_sections = sections
    write_config(t)


def write_config(t, **more):
    base = t.server.base.replace("127.0.0.1", "localhost")
    conf = {"icp": {"base_url": base + "/icpproject_query/api"},
            "site": {"url_template": base + "/site/{domain}/"}}
    for merge in (getattr(t, "_fault_sections", {}), more):
        for sec, kv in merge.items():
            conf.setdefault(sec, {}).update(kv)
    t.write_config(**conf)


def restart_server(t, extra_world=None):
    """A new server (fresh log, no rules) on a world modified by extra_world."""
    t._server.stop()
    os.remove(os.path.join(t.dir, "port"))
    t._server = None
    t.extra_world = extra_world
    write_config(t)


def refresh(t, *args, now=NOW2, **kw):
    return t.kmrep("refresh", *args, env={"KMREP_NOW": now}, **kw)


def check_json(t, name=NAME, now=NOW2):
    r = t.kmrep("check", name, "--format", "json", env={"KMREP_NOW": now})
    t.check(r.code in (0, 1), r)
    try:
        return r.json()
    except ValueError:
        raise kmtest.Failure(f"check --format json did not print JSON\n{r}")


def source_entry(t, j, source):
    for s in j["sources"]:
        if s["source"] == source:
            return s
    raise kmtest.Failure(f"no {source} in sources[]: {j['sources']}")


def snapshot(t):
    con = sqlite3.connect(t.db)
    con.text_factory = bytes            # compare bytes; never trip on bad UTF-8
    try:
        return {name: con.execute(q).fetchall() for name, q in SNAPSHOT.items()}
    finally:
        con.close()


def assert_kept(t, before, exact=EXACT):
    """Everything stored before is still there, unchanged; `exact` tables
    have not changed at all."""
    after = snapshot(t)
    for name, rows in before.items():
        if name in exact:
            if after[name] != rows:
                lost = [r for r in rows if r not in after[name]]
                new = [r for r in after[name] if r not in rows]
                raise kmtest.Failure(f"{name} changed by a failed refresh: "
                                     f"{len(lost)} rows lost/changed, {len(new)} new\n"
                                     f"first lost: {lost[:1]!r}\nfirst new: {new[:1]!r}")
        else:
            missing = [r for r in rows if r not in after[name]]
            t.check(not missing, f"{name}: {len(missing)} earlier rows lost or changed, "
                                 f"e.g. {missing[:1]!r}")
    return after


def error_lines(r):
    return [ln for ln in r.err.splitlines() if ln.strip()]


def failure_lines(r, source=None, platform=NAME):
    """The stderr lines of failures of `platform`/`source`."""
    prefix = f"kmrep: {platform}: " + (f"{source}: " if source else "")
    return [ln for ln in error_lines(r) if ln.startswith(prefix)]


def summary_lines(r):
    return [ln for ln in error_lines(r) if re.match(r"kmrep: refreshed \d+ platforms?: ", ln)]


def assert_no_secrets(t, *results):
    for r in results:
        t.check(kmtest.TEST_COOKIE[1] not in r.out + r.err, f"the cookie was printed\n{r}")


def assert_partial(t, r, source, needles, hint=None, platform=NAME):
    """exit 1, exactly one failure line for platform/source naming the
    reason (every needle, case-insensitive, one of each tuple), and the hint."""
    t.check_eq(r.code, 1, r)
    t.check_eq(r.out, "", r)
    lines = failure_lines(r, source, platform)
    t.check(len(lines) == 1, f"want one '{platform}: {source}:' failure line\n{r}")
    line = lines[0]
    for n in needles:
        alts = n if isinstance(n, tuple) else (n,)
        t.check(any(a.lower() in line.lower() for a in alts),
                f"the failure line should name the reason ({' or '.join(alts)}): {line}\n{r}")
    if hint:
        t.check(re.search(r"\(.*(" + hint + r").*\)\s*$", line, re.I),
                f"the failure line should end with a hint mentioning {hint}: {line}")
    for ln in error_lines(r):
        t.check(ln.startswith("kmrep: "), f"every message line starts 'kmrep: ': {ln!r}")
    t.check(len(summary_lines(r)) == 1, f"one summary line without -q\n{r}")
    assert_no_secrets(t, r)
    return line


def assert_check_failed(t, source, needles, name=NAME, state="failed"):
    """check --format json: the source is failed (or `state`: blocked,
    partial) with the reason, and the complaints stored before still count."""
    j = check_json(t, name)
    s = source_entry(t, j, source)
    t.check_eq(s["state"], state, f"sources[]: {s}")
    err = s.get("error") or ""
    for n in needles:
        alts = n if isinstance(n, tuple) else (n,)
        t.check(any(a.lower() in err.lower() for a in alts),
                f"sources[{source}].error should name the reason ({' or '.join(alts)}): {s}")
    if name == NAME:
        t.check_eq(j["complaints"]["total"], N_COMPLAINTS, "earlier complaints still count")
    return j


def clean_start(t, *platforms, **sections):
    """Setup, add the platforms (default: 测试卡盟 with its domain), a clean
    refresh at NOW1, a snapshot; the server log and rules are cleared."""
    setup(t, **sections)
    for p in platforms or ((NAME, "--domain", DOMAIN),):
        t.add(*p)
    r = refresh(t, now=NOW1)
    t.check_eq(r.code, 0, r)
    t.check_eq(t.sql("SELECT COUNT(*) FROM complaints WHERE platform_id ="
                     " (SELECT id FROM platforms WHERE name = ?)", NAME)[0][0],
               N_COMPLAINTS, "the clean refresh stores the world")
    before = snapshot(t)
    t.server.control("reset", {})
    return before


def fault(t, path, kind, times=None, params=None, query_contains=None):
    kw = {}
    if times is not None:
        kw["times"] = times
    if params is not None:
        kw["params"] = params
    if query_contains is not None:
        kw["query_contains"] = query_contains
    t.check(t.server.fault(path, kind, **kw).get("ok"), "fault rule accepted")


def heimao_fault_case(t, kind, needles, hint=None, params=None, times=None, path=LIST,
                      check_needles=None, state="failed", **sections):
    """Plan steps 1-5 for a fault on 黑猫; returns (result, check json)."""
    before = clean_start(t, **sections)
    fault(t, path, kind, times=times, params=params)
    r = refresh(t, "--full")
    assert_partial(t, r, "heimao", needles, hint)
    assert_kept(t, before)
    j = assert_check_failed(t, "heimao", check_needles or needles, state=state)
    return r, j


def dump(t, db=None):
    """The complaint tables as text, ids replaced by the source ids (for
    comparing two databases)."""
    con = sqlite3.connect(db or t.db)
    try:
        cols = [c[1] for c in con.execute("PRAGMA table_info(complaints)") if c[1] != "id"]
        rows = con.execute("SELECT " + ", ".join(cols) + " FROM complaints"
                           " ORDER BY source, source_id").fetchall()
        events = con.execute(SNAPSHOT["complaint_events"]).fetchall()
        return "\n".join(map(repr, rows)) + "\n--\n" + "\n".join(map(repr, events))
    finally:
        con.close()


def raw_dump(t):
    """SELECT * of the complaint tables, as bytes."""
    con = sqlite3.connect(t.db)
    con.text_factory = bytes
    try:
        return repr([con.execute("SELECT * FROM complaints ORDER BY id").fetchall(),
                     con.execute("SELECT * FROM complaint_events"
                                 " ORDER BY complaint_id, seq").fetchall()]).encode()
    finally:
        con.close()


def assert_consistent(t):
    t.check_eq(t.sql("PRAGMA integrity_check"), [("ok",)], "integrity_check")
    dups = t.sql("SELECT source, source_id, COUNT(*) FROM complaints"
                 " GROUP BY source, source_id HAVING COUNT(*) > 1")
    t.check_eq(dups, [], "duplicate complaints")
    orphans = t.sql("SELECT COUNT(*) FROM complaint_events WHERE complaint_id NOT IN"
                    " (SELECT id FROM complaints)")[0][0]
    t.check_eq(orphans, 0, "timeline events without their complaint")


def spawn_refresh(t, *args, now=NOW1):
    t.server  # started, config written
    return subprocess.Popen([kmtest.KMREP, "refresh", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env=t.env(KMREP_NOW=now))


def wait_for_request(t, prefix, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if t.server.requests(prefix):
            return
        time.sleep(0.02)
    raise kmtest.Failure(f"no request to {prefix} within {timeout} s")


def assert_same_as_clean(t, ref, r):
    got = dump(t)
    if got != ref:
        n = t.sql("SELECT COUNT(*) FROM complaints")[0][0]
        nodetail = t.sql("SELECT source_id FROM complaints WHERE detail_fetched_at IS NULL"
                         " ORDER BY source_id")
        raise kmtest.Failure(
            f"the complaint tables differ from a clean refresh: {n} of {N_COMPLAINTS}"
            f" complaints stored, {len(nodetail)} without their detail page"
            f" ({', '.join(x[0] for x in nodetail)})\n{r}")


def reference_dump(t):
    """The complaint tables of a clean refresh into a separate database."""
    ref = os.path.join(t.dir, "reference.db")
    if os.path.exists(ref):
        return dump(t, ref)
    r = t.kmrep("add", NAME, "--domain", DOMAIN, env={"KMREP_DB": ref})
    t.check_eq(r.code, 0, r)
    r = t.kmrep("refresh", env={"KMREP_DB": ref, "KMREP_NOW": NOW1})
    t.check_eq(r.code, 0, r)
    return dump(t, ref)


# -- blocks --------------------------------------------------------------------

def test_456_block_stops_heimao_for_the_run(t):
    before = clean_start(t, (NAME, "--domain", DOMAIN), (SISTER,))
    fault(t, LIST, "456")
    r = refresh(t, "--full")
    t.check_eq(r.code, 1, r)
    line = failure_lines(r, "heimao")
    t.check(len(line) == 1 and "456" in line[0], f"a 456 line for {NAME}\n{r}")
    t.check(re.search(r"\(.*(wait|min_interval_ms|risk).*\)\s*$", line[0]),
            f"a hint on what to do about a block: {line[0]}")
    t.check(len(failure_lines(r, "heimao", SISTER)) == 1,
            f"the other platform's 黑猫 job is reported as not done\n{r}")
    t.check(not failure_lines(r, "icp") and not failure_lines(r, "site"),
            f"a 黑猫 block does not fail the other hosts' sources\n{r}")
    # Not hammered: after the first 456, nothing more is sent to 黑猫.
    log = t.server.requests()
    first = next(i for i, e in enumerate(log) if e["status"] == 456)
    later = [e["path"] for e in log[first + 1:]
             if e["path"].startswith(("/api/", DETAIL, "/company/"))]
    t.check_eq(later, [], "黑猫 requests after the 456 block")
    assert_kept(t, before)
    assert_check_failed(t, "heimao", ["456"], state="blocked")
    assert_check_failed(t, "heimao", [("456", "blocked", "not tried")], name=SISTER,
                        state="blocked")


def test_403_block(t):
    r, _ = heimao_fault_case(t, "403", ["403"], hint="wait|min_interval_ms|risk",
                             state="blocked")
    t.check_eq(len(t.server.requests(LIST)), 1, "a 403 is not retried")


# -- retries -------------------------------------------------------------------

def test_429_retry_after_then_success(t):
    before = clean_start(t)
    fault(t, LIST, "429", times=1, params={"retry_after": 1})
    r = refresh(t, "--full")
    t.check_eq(r.code, 0, r)
    t.check_eq(failure_lines(r), [], r)
    log = t.server.requests(LIST)
    t.check(len(log) >= 2 and log[0]["status"] == 429 and log[1]["status"] == 200,
            f"429 then 200: {[e['status'] for e in log]}")
    waited = log[1]["t"] - log[0]["t"]
    t.check(waited >= 0.95, f"Retry-After: 1 honoured; the retry came after {waited:.3f} s")
    assert_kept(t, before)
    t.check_eq(source_entry(t, check_json(t), "heimao")["state"], "ok")


def test_500_twice_then_success(t):
    before = clean_start(t)
    fault(t, LIST, "500", times=2)
    r = refresh(t, "--full")
    t.check_eq(r.code, 0, r)
    statuses = [e["status"] for e in t.server.requests(LIST)]
    t.check_eq(statuses, [500, 500, 200, 200, 200],
               "page 1 retried after two 500s, then pages 2 and 3")
    assert_kept(t, before)
    j = check_json(t)
    t.check_eq(source_entry(t, j, "heimao")["state"], "ok")
    t.check_eq(j["complaints"]["total"], N_COMPLAINTS)


def test_500_forever(t):
    heimao_fault_case(t, "500", ["500"])
    n = len(t.server.requests(LIST))
    t.check_eq(n, 3, "max_retries = 2: three attempts, then give up")


# -- broken transfers ---------------------------------------------------------

def assert_transport_reason(t, r):
    """A broken transfer is described by what broke — not as 'HTTP 200'
    (the status line was fine) — and says its attempt count once."""
    line = failure_lines(r, "heimao")[0]
    t.check("HTTP 200" not in line, f"a broken transfer reported as 'HTTP 200': {line}")
    t.check(len(re.findall(r"attempt", line)) <= 1, f"the attempts are counted twice: {line}")


def test_connection_reset_mid_body(t):
    r, _ = heimao_fault_case(t, "reset", [("reset", "recv", "connection")])
    assert_transport_reason(t, r)


def test_truncated_transfer(t):
    # Content-Length promises more than is sent, then FIN.
    r, _ = heimao_fault_case(t, "truncated", [("closed", "partial", "truncat", "remaining",
                                              "incomplete", "short")])
    assert_transport_reason(t, r)


def test_truncated_json_body(t):
    # A complete HTTP 200 whose JSON stops half-way.
    body = ('{"result":{"status":{"code":0,"msg":""},"data":{"complaints":[{"main":'
            '{"sn":"17390000101","title":"卡密')
    heimao_fault_case(t, "status", ["json"], params={"code": 200, "body": body})


def test_slow_drip_hits_low_speed_limit(t):
    t0 = time.time()
    r, _ = heimao_fault_case(t, "slow", [("slow", "speed", "timeout", "timed out")],
                             params={"seconds": 30, "interval": 0.5},
                             general={"low_speed_time_s": 1, "max_retries": 1})
    t.check(time.time() - t0 < 15, "the low-speed limit ends a drip long before its 30 s")
    assert_transport_reason(t, r)


def test_empty_body(t):
    heimao_fault_case(t, "empty", [("empty", "json")])


# -- login walls ---------------------------------------------------------------

def test_login_page_instead_of_json(t):
    # The anonymous feed stands in: partial coverage.
    heimao_fault_case(t, "login_html", ["login"], hint="cookie_file", state="partial")


def test_login_required_code_10005(t):
    heimao_fault_case(t, "code", [("login", "10005")], hint="cookie_file",
                      params={"code": 10005}, state="partial")


def test_no_cookie_at_all(t):
    t.cookie = False
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    r = refresh(t, now=NOW1)
    assert_partial(t, r, "heimao", [("login", "10005")], hint="cookie_file")
    t.check(all(not e["headers"]["cookie"] for e in t.server.requests("/api/")),
            "no Cookie header without a cookie file entry")
    # The anonymous feed stands in (partial coverage), and what it finds gets
    # its detail pages, which need no login.
    t.check("partial coverage" in r.err, r)
    found, detailed = t.sql("SELECT count(*), count(detail_kind) FROM complaints")[0]
    t.check(found > 0, "the feed found the platform's complaints")
    t.check_eq(detailed, found, "feed-found complaints get their detail pages")
    j = check_json(t, now=NOW1)
    s = source_entry(t, j, "heimao")
    t.check_eq(s["state"], "partial", f"the feed is partial coverage, never 'ok': {s}")
    t.check("login" in (s["error"] or "").lower()
            or "10005" in (s["error"] or ""), f"the error names the login wall: {s}")
    t.check_eq(s["last_success"], None, f"the complaint source never succeeded: {s}")
    t.check(j["verdict"] != "recommend",
            f"a platform whose complaint source never worked is not 建议下单: {j['verdict']}")


# -- layout drift --------------------------------------------------------------

def test_list_layout_drift(t):
    # SPEC §5: a 200 that yields no records and matches no known empty shape
    # is an error "page layout changed".
    heimao_fault_case(t, "drift", ["layout"])


def test_detail_page_layout_drift(t):
    # The clean refresh runs on a world without the newest complaint; the
    # next one sees it, so its detail page is requested — and has drifted.
    newest = "17390000101"

    def without_newest(world):
        world["heimao"]["complaints"] = [c for c in world["heimao"]["complaints"]
                                         if c["sn"] != newest]
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    restart_server(t, without_newest)
    r = refresh(t, now=NOW1)
    t.check_eq(r.code, 0, r)
    before = snapshot(t)
    t.check_eq(len(before["complaints"]), N_COMPLAINTS - 1)
    restart_server(t, None)
    fault(t, DETAIL, "html_drift")
    r = refresh(t)
    line = assert_partial(t, r, "heimao", ["layout changed"])
    t.check(newest in line, f"the line names the complaint: {line}")
    t.check_eq([e["path"] for e in t.server.requests(DETAIL)], [DETAIL + newest + "/"],
               "only the new complaint's detail page is read")
    # The earlier rows are untouched; the new complaint is stored from the list.
    after = assert_kept(t, before, exact=())
    t.check_eq(len(after["complaints"]), N_COMPLAINTS)
    t.check_eq(t.sql("SELECT COUNT(*) FROM complaint_events e JOIN complaints c"
                     " ON c.id = e.complaint_id WHERE c.source_id = ?", newest)[0][0], 0,
               "no timeline from an unrecognised page")
    j = check_json(t)
    s = source_entry(t, j, "heimao")
    t.check_eq(s["state"], "partial", f"the lists were read, a detail page was not: {s}")
    t.check("layout" in (s["error"] or ""), f"the reason is kept: {s}")


# -- size limits ---------------------------------------------------------------

def test_oversized_body(t):
    heimao_fault_case(t, "oversized", [("cap", "too large", "size", "limit")],
                      params={"mib": 1}, general={"max_body_kib": 64})


def test_gzip_bomb(t):
    # ~16 KiB on the wire, 16 MiB inflated; the cap applies after decompression.
    t0 = time.time()
    heimao_fault_case(t, "gzip_bomb", [("cap", "too large", "size", "limit")],
                      params={"mib": 16}, general={"max_body_kib": 1024})
    t.check(time.time() - t0 < 20, "the bomb is stopped early")


# -- redirects -----------------------------------------------------------------

def test_redirect_to_file_url(t):
    heimao_fault_case(t, "redirect_file", [("file", "protocol", "scheme", "redirect")])
    t.check_eq(t.sql("SELECT COUNT(*) FROM raw_responses WHERE url LIKE 'file:%'")[0][0], 0,
               "nothing archived from a file: URL")
    t.check_eq(t.sql("SELECT COUNT(*) FROM raw_bodies WHERE CAST(body AS TEXT) LIKE '%root:x:0:0%'")
               [0][0], 0, "no local file content archived")
    t.check_eq(len(t.server.requests(LIST)), 1, "a forbidden redirect is not retried")


def test_redirect_loop(t):
    heimao_fault_case(t, "redirect_loop", ["redirect"])
    n = len(t.server.requests(LIST))
    t.check(n <= 6, f"at most 5 redirects followed, and no retry of the loop: {n} requests")


# -- text ----------------------------------------------------------------------

def test_invalid_utf8_title(t):
    before = clean_start(t)
    fault(t, LIST, "invalid_utf8")
    r = refresh(t, "--full")
    t.check(r.code in (0, 1), f"no crash\n{r}")
    assert_no_secrets(t, r)
    assert_kept(t, before, exact=())
    con = sqlite3.connect(t.db)
    con.text_factory = bytes
    rows = con.execute("SELECT title FROM complaints WHERE source_id = '17391234567'").fetchall()
    con.close()
    if r.code == 0:
        t.check_eq(len(rows), 1, "exit 0: the complaint is stored")
        title = rows[0][0].decode("utf-8")       # raises on invalid UTF-8
        t.check("\ufffd" in title and "充值" in title and "未到账" in title,
                f"bad bytes become U+FFFD, the rest is kept: {title!r}")
    else:
        t.check_eq(rows, [], "exit 1: nothing half-stored")
        assert_partial(t, r, "heimao", [("utf", "encoding")])
        t.check_eq(source_entry(t, check_json(t), "heimao")["state"], "failed")
    # Everything that reads the database still works.
    for args in (("check", NAME, "--format", "json"), ("complaints", NAME, "--format", "csv"),
                 ("report", "--format", "json")):
        rr = t.kmrep(*args, env={"KMREP_NOW": NOW2})
        t.check(rr.code in (0, 1), rr)


def test_gbk_home_page(t):
    before = clean_start(t)
    for declare in ("both", "meta", "header"):
        t.server.control("reset", {})
        fault(t, SITE, "gbk", params={"declare": declare})
        r = refresh(t, "--full", "--source", "site")
        t.check_eq(r.code, 0, r)
        probe = t.sql("SELECT title, icp_raw FROM site_probes ORDER BY id DESC LIMIT 1")[0]
        t.check_eq(probe, ("龙腾卡盟 - 自动发卡平台", "粤ICP备2021123456号-1"),
                   f"GBK decoded (charset declared in {declare})")
        j = check_json(t)
        t.check_eq(j["icp"]["site_claim"], "粤ICP备2021123456号-1", declare)
        t.check_eq(j["icp"]["claim"], "mismatch",
                   "the page claims another licence than the registry's 浙ICP备2024001234号")
    assert_kept(t, before)


# -- the ICP registry ----------------------------------------------------------

def assert_icp_unknown(t, r, needles, state="failed"):
    """A refresh whose ICP answer is unusable: exit 1, icp failed (blocked when
    the registry refused), never 'not_filed', no identity points."""
    line = assert_partial(t, r, "icp", needles)
    t.check("not_filed" not in line, line)
    j = check_json(t)
    s = source_entry(t, j, "icp")
    t.check_eq(s["state"], state, f"sources[]: {s}")
    t.check(s.get("error"), f"the reason is kept: {s}")
    t.check(j["icp"]["status"] != "not_filed", f"unknown is never not_filed: {j['icp']}")
    ident = [d for d in j["deductions"] if d["component"] == "identity"]
    t.check_eq(ident, [], "no identity deduction for an unknown answer")
    return j


def test_icp_captcha_wall_fresh(t):
    # No earlier answer: the status is unknown, not "not filed".  The
    # built-in solver is switched off, so the wall stays a wall.
    setup(t, icp={"captcha": "off"})
    t.add(NAME, "--domain", DOMAIN)
    t.server.control("icp", {"require_captcha": True})
    r = refresh(t)
    j = assert_icp_unknown(t, r, [("captcha", "verif", "unknown", "unusable", "refused")],
                           state="blocked")
    t.check_eq(j["icp"]["status"], "unknown")
    t.check_eq(t.sql("SELECT COUNT(*) FROM icp_answers WHERE state = 'not_filed'")[0][0], 0)


def test_icp_captcha_wall_keeps_earlier_answer(t):
    before = clean_start(t, icp={"captcha": "off"})
    t.server.control("icp", {"require_captcha": True})
    r = refresh(t, "--full")
    assert_icp_unknown(t, r, [("captcha", "verif", "unknown", "unusable", "refused")],
                       state="blocked")
    assert_kept(t, before)


def test_icp_waf_403(t):
    before = clean_start(t)
    fault(t, ICP_QUERY, "waf403")
    r = refresh(t, "--full")
    assert_icp_unknown(t, r, ["403"], state="blocked")
    assert_kept(t, before)


def test_icp_500_body(t):
    before = clean_start(t)
    fault(t, ICP_QUERY, "icp_500")
    r = refresh(t, "--full")
    assert_icp_unknown(t, r, [("500", "server", "服务器异常")])
    assert_kept(t, before)


def test_icp_429_body(t):
    before = clean_start(t)
    fault(t, ICP_QUERY, "icp_429")
    r = refresh(t, "--full")
    assert_icp_unknown(t, r, [("429", "rate", "频次")], state="blocked")
    assert_kept(t, before)


def test_icp_auth_500_fresh(t):
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    fault(t, ICP_AUTH, "icp_500")
    r = refresh(t)
    j = assert_icp_unknown(t, r, [("500", "server", "服务器异常", "token")])
    t.check_eq(j["icp"]["status"], "unknown")


# -- the refresh lock ----------------------------------------------------------

def test_refresh_lock(t):
    setup(t, general={"low_speed_time_s": 30})
    t.add(NAME, "--domain", DOMAIN)
    fault(t, LIST, "delay", times=1, params={"seconds": 3})
    first = spawn_refresh(t)
    try:
        wait_for_request(t, SEARCH)
        time.sleep(0.3)          # the list request is being delayed now
        t0 = time.time()
        r = t.kmrep("refresh", env={"KMREP_NOW": NOW1}, timeout=10)
        took = time.time() - t0
        t.check_eq(r.code, 4, r)
        t.check(took < 1.0, f"the second refresh gives up at once ({took:.2f} s)")
        t.check(re.search(r"\b%d\b" % first.pid, r.err), f"names the holder's pid {first.pid}\n{r}")
        t.check_eq(r.out, "", r)
        t.check(first.poll() is None, "the first refresh was still running")
    finally:
        out, err = first.communicate(timeout=30)
    t.check_eq(first.returncode, 0, err)
    r = t.kmrep("refresh", env={"KMREP_NOW": NOW1})
    t.check_eq(r.code, 0, r)


def test_stale_lock_never_blocks(t):
    setup(t, general={"low_speed_time_s": 30})
    t.add(NAME, "--domain", DOMAIN)
    fault(t, "/", "delay", params={"seconds": 5})
    p = spawn_refresh(t)
    time.sleep(0.5)                # it holds the lock and waits for the server
    t.check(p.poll() is None, "the refresh is still running")
    p.send_signal(signal.SIGKILL)
    p.communicate(timeout=10)
    t.server.control("reset", {})
    r = t.kmrep("refresh", env={"KMREP_NOW": NOW1}, timeout=30)
    t.check_eq(r.code, 0, f"a lock left by a killed refresh does not block\n{r}")
    # A lock file naming a pid that is not running (say, after a reboot).
    for path in (t.db + ".lock",):
        with open(path, "w") as f:
            f.write("999999\n")
    r = t.kmrep("refresh", env={"KMREP_NOW": NOW1}, timeout=30)
    t.check_eq(r.code, 0, r)


# -- text that would drive the terminal ---------------------------------------

HOSTILE = "\x1b]0;x\x07\x1b[2J\r\b\u009b\u202e\u2066"       # tests/server/faults.py
# Bytes that must never reach a terminal from a site: ESC, BEL, CR, BS, the
# C1 CSI as UTF-8, RLO and LRI as UTF-8 (LF and TAB are layout, allowed).
FORBIDDEN = [b"\x1b", b"\x07", b"\r", b"\x08", "\u009b".encode(), "\u202e".encode(),
             "\u2066".encode()]
HOSTILE_SN = "17391234599"


def run_bytes(t, *args, now=NOW2):
    """kmrep ARGS with stdout and stderr as bytes: (code, out, err)."""
    t.server
    p = subprocess.run([kmtest.KMREP, *args], capture_output=True, env=t.env(KMREP_NOW=now),
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


def assert_no_control(t, what, data):
    data = data.replace(b"\r\n", b"\n")      # CSV rows end in CRLF (RFC 4180)
    for b in FORBIDDEN:
        t.check(b not in data, f"{what}: {b!r} reached the output\n{data[:3000]!r}")


def test_escape_sequences_in_every_text_field(t):
    # A complaint (title, merchant name, summary, evidence URL), the ICP
    # unit name, a look-alike merchant's name and the site's error message
    # all carry terminal escapes; nothing kmrep prints passes them on, and
    # the database keeps them exactly as received.
    unit = "测试" + HOSTILE + "网络科技有限公司"

    def hostile_world(world):
        for rec in world["icp"]["records"]:
            if rec["domain"] == DOMAIN:
                rec["unitName"] = unit
        world["heimao"]["merchants"].append({"couid": "7000000099", "title": "测试卡盟" + HOSTILE})
    t.extra_world = hostile_world
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    ts = int(calendar.timegm(time.strptime(NOW1, "%Y-%m-%dT%H:%M:%SZ"))) - 3600   # the newest
    fault(t, LIST, "escapes", times=1, params={"sn": HOSTILE_SN, "timestamp": ts})
    code, out, err = run_bytes(t, "refresh", "-q", now=NOW1)
    t.check(code in (0, 1), err)
    assert_no_control(t, "refresh -q", out + err)
    code, out, err = run_bytes(t, "refresh", now=NOW1)
    assert_no_control(t, "refresh", out + err)
    # The stored text is what the sites sent (the raw archive is evidence).
    con = sqlite3.connect(t.db)
    try:
        row = con.execute("SELECT title, merchant_name, url, summary FROM complaints"
                          " WHERE source_id = ?", (HOSTILE_SN,)).fetchone()
        units = [x[0] for x in con.execute("SELECT unit_name FROM icp_records")]
    finally:
        con.close()
    t.check(row is not None, "the hostile complaint is stored")
    title, merchant, url, summary = row
    # (HTML text rules fold the CR of a title into a space; the rest stays.)
    for got, what in ((title, "title"), (merchant, "merchant"), (summary, "summary")):
        t.check(HOSTILE.replace("\r", " ") in got, f"stored {what} kept as received: {got!r}")
    t.check(url.endswith("?x=" + HOSTILE), f"stored URL kept as received: {url!r}")
    t.check(unit in units, f"stored ICP unit name kept as received: {units!r}")
    # The site's error message, on stderr (cron mails it) and in check.
    fault(t, LIST, "code", params={"code": 10001, "msg": "参数错误" + HOSTILE})
    code, out, err = run_bytes(t, "refresh", "-q", "--full")
    t.check_eq(code, 1, err)
    assert_no_control(t, "refresh -q with a hostile error message", out + err)
    t.check(b"\\x1b]0;x\\x07" in err, f"the message is shown, escaped: {err!r}")
    t.server.control("reset", {})
    outputs = {}
    for args in (("check", NAME), ("check", NAME, "--explain"), ("check", NAME, "--format", "json"),
                 ("check", NAME, "--lang", "zh"), ("check", NAME, "--explain", "--lang", "zh"),
                 ("complaints", NAME), ("complaints", NAME, "--format", "json"),
                 ("complaints", NAME, "--format", "text"),
                 ("complaints", NAME, "--format", "text", "--lang", "zh"),
                 ("list",), ("list", "--format", "json"),
                 ("report",), ("report", "--format", "json"), ("report", "--format", "html"),
                 ("report", "--format", "html", "--lang", "zh")):
        code, out, err = run_bytes(t, *args)
        t.check(code in (0, 1), f"{args}: exit {code}\n{err!r}")
        assert_no_control(t, " ".join(args), out + err)
        outputs[args] = out
    report = os.path.join(t.dir, "report.csv")
    code, out, err = run_bytes(t, "report", "--output", report)
    with open(report, "rb") as f:
        assert_no_control(t, "report --output", f.read() + out + err)
    # Shown, escaped: the text is there for a person to read.
    text = outputs[("check", NAME)].decode()
    t.check("测试\\x1b]0;x\\x07\\x1b[2J\\r\\x08\\u009b\\u202e\\u2066网络科技有限公司" in text,
            f"check shows the unit name escaped\n{text}")
    t.check("参数错误\\x1b]0;x" in text, f"check shows the error escaped\n{text}")
    # The complaint's title, where check lists it as evidence and in the
    # complaints table, is shown escaped too.
    explain = outputs[("check", NAME, "--explain")].decode()
    t.check("\\x1b]0;x\\x07\\x1b[2J" in explain and "\\u202e\\u2066跑路" in explain,
            f"check --explain lists the hostile complaint, escaped\n{explain}")
    table = outputs[("complaints", NAME, "--format", "text")].decode()
    t.check("卡密无效\\x1b]0;x\\x07" in table and "?x=\\x1b]0;x\\x07\\x1b[2J\\r" in table,
            f"the complaints table shows it escaped (the title cut to the width)\n{table}")
    csv = outputs[("complaints", NAME)].decode()
    t.check("卡密无效\\x1b]0;x\\x07\\x1b[2J \\x08\\u009b\\u202e\\u2066跑路" in csv, csv)
    t.check("?x=\\x1b]0;x\\x07\\x1b[2J\\r\\x08" in csv, f"the URL escaped\n{csv}")
    # JSON escapes them as JSON does: the values read back are the stored text.
    items = {c["id"]: c for c in json.loads(outputs[("complaints", NAME, "--format", "json")])}
    t.check_eq(items[HOSTILE_SN]["title"], title)
    t.check_eq(items[HOSTILE_SN]["url"], url)
    j = json.loads(outputs[("check", NAME, "--format", "json")])
    t.check_eq(j["icp"]["unit_name"], unit)
    t.check("参数错误" + HOSTILE.replace("\r", " ") in (source_entry(t, j, "heimao")["error"] or ""),
            j["sources"])


# -- files: the lock, --output, import ----------------------------------------

def offline_config(t, text=""):
    """A config without a server, for cases that make no requests."""
    with open(t.config, "w", encoding="utf-8") as f:
        f.write(text)


def plain_run(t, *args, input=None):
    p = subprocess.run([kmtest.KMREP, *args], capture_output=True, env=t.env(), input=input,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def kmrep_lines(err):
    return [ln for ln in err.decode(errors="replace").splitlines() if ln.strip()]


def test_lock_is_a_symlink(t):
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    lock = t.db + ".lock"
    precious = os.path.join(t.dir, "precious.txt")
    with open(precious, "w") as f:
        f.write("not a lock\n")
    os.symlink(precious, lock)
    r = refresh(t, now=NOW1)
    t.check(r.code not in (0, 1), f"refresh refuses a symlinked lock\n{r}")
    lines = error_lines(r)
    t.check(len(lines) == 1 and "symbolic link" in lines[0] and lock in lines[0],
            f"one line naming the lock and why\n{r}")
    with open(precious) as f:
        t.check_eq(f.read(), "not a lock\n", "the symlink's target is untouched")
    t.check(os.path.islink(lock), "the symlink is left as it was")
    t.check_eq(t.server.requests("/"), [], "nothing fetched without the lock")
    # A dangling symlink: its target is not created either.
    os.remove(lock)
    elsewhere = os.path.join(t.dir, "created-through-the-lock")
    os.symlink(elsewhere, lock)
    r = refresh(t, now=NOW1)
    t.check(r.code not in (0, 1), r)
    t.check(not os.path.exists(elsewhere), "a dangling symlink's target was created")
    # A FIFO is refused at once (no hang), a regular lock works.
    os.remove(lock)
    os.mkfifo(lock)
    r = refresh(t, now=NOW1)
    t.check(r.code not in (0, 1) and "not a regular file" in r.err, r)
    os.remove(lock)
    r = refresh(t, now=NOW1)
    t.check_eq(r.code, 0, r)


def report_setup(t):
    offline_config(t)
    r = t.kmrep("add", NAME, "--domain", DOMAIN, server=False)
    t.check_eq(r.code, 0, r)
    code, want, err = plain_run(t, "report")
    t.check_eq(code, 0, err)
    t.check(want.startswith(b"name,"), want)
    return want


def test_output_is_a_symlink(t):
    want = report_setup(t)
    d = os.path.join(t.dir, "out")
    os.mkdir(d)
    target = os.path.join(d, "real.csv")
    with open(target, "w") as f:
        f.write("old\n")
    os.chmod(target, 0o640)
    link = os.path.join(t.dir, "link.csv")
    os.symlink(target, link)
    code, out, err = plain_run(t, "report", "--output", link)
    t.check_eq((code, out, err), (0, b"", b""))
    t.check(os.path.islink(link) and os.readlink(link) == target, "the link stays a link")
    with open(target, "rb") as f:
        t.check_eq(f.read(), want, "the report went to the link's target")
    t.check_eq(os.stat(target).st_mode & 0o7777, 0o640, "the target's mode is kept")
    t.check_eq(sorted(os.listdir(d)), ["real.csv"], "no temporary file left beside the target")
    # A link to nothing is refused, and nothing is created.
    dangling = os.path.join(t.dir, "dangling.csv")
    os.symlink(os.path.join(d, "missing.csv"), dangling)
    code, out, err = plain_run(t, "report", "--output", dangling)
    t.check(code != 0 and len(kmrep_lines(err)) == 1, err)
    t.check(not os.path.exists(os.path.join(d, "missing.csv")))


def test_output_is_a_fifo(t):
    want = report_setup(t)
    fifo = os.path.join(t.dir, "pipe")
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", fifo], stdout=subprocess.PIPE)
    try:
        code, out, err = plain_run(t, "report", "--output", fifo)
        got, _ = reader.communicate(timeout=20)
    finally:
        if reader.poll() is None:
            reader.kill()
    t.check_eq((code, out, err), (0, b"", b""))
    t.check_eq(got, want, "the report is written into the FIFO")
    t.check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO is still a FIFO")
    t.check_eq(sorted(os.listdir(t.dir)).count("pipe"), 1)
    t.check(not [n for n in os.listdir(t.dir) if n.startswith("pipe.tmp")], "no temp file")


def test_output_is_dev_stdout(t):
    want = report_setup(t)
    before = os.lstat("/dev/stdout")
    code, out, err = plain_run(t, "report", "--output", "/dev/stdout")
    t.check_eq((code, err), (0, b""))
    t.check_eq(out, want, "the report is written to standard output")
    after = os.lstat("/dev/stdout")
    t.check(stat.S_ISLNK(after.st_mode) == stat.S_ISLNK(before.st_mode)
            and after.st_ino == before.st_ino, "/dev/stdout is left as it was")
    # Standard output redirected to a regular file: that file gets the report.
    path = os.path.join(t.dir, "redirected.csv")
    with open(path, "wb") as f:
        p = subprocess.run([kmtest.KMREP, "report", "--output", "/dev/stdout"], stdout=f,
                           stderr=subprocess.PIPE, env=t.env(), timeout=60)
    t.check_eq(p.returncode, 0, p.stderr)
    with open(path, "rb") as f:
        t.check_eq(f.read(), want)


def test_output_keeps_a_0600_file_0600(t):
    want = report_setup(t)
    path = os.path.join(t.dir, "private.csv")
    with open(path, "w") as f:
        f.write("old contents, longer than nothing\n" * 100)
    os.chmod(path, 0o600)
    code, out, err = plain_run(t, "report", "--output", path)
    t.check_eq((code, out, err), (0, b"", b""))
    t.check_eq(os.stat(path).st_mode & 0o7777, 0o600, "a 0600 file stays 0600")
    with open(path, "rb") as f:
        t.check_eq(f.read(), want)
    # A new file gets 0666 & ~umask.
    old = os.umask(0o027)
    try:
        fresh = os.path.join(t.dir, "fresh.csv")
        code, out, err = plain_run(t, "report", "--output", fresh)
    finally:
        os.umask(old)
    t.check_eq(code, 0, err)
    t.check_eq(os.stat(fresh).st_mode & 0o7777, 0o640, "0666 & ~027")


def test_import_over_the_body_cap(t):
    offline_config(t, "[general]\nmax_body_kib = 64\n")
    r = t.kmrep("add", NAME, "--domain", DOMAIN, "--heimao-couid", "6384912431", server=False)
    t.check_eq(r.code, 0, r)
    big = os.path.join(t.dir, "big.json")
    with open(big, "wb") as f:
        f.write(b" " * (65 * 1024) + b"{}")
    good = os.path.join(t.dir, "good.json")
    item = {"main": {"sn": "17393333331", "title": "卡密无效", "cotitle": NAME,
                     "couid": "6384912431", "status": 1, "timestamp": "1790000000",
                     "url": "//tousu.sina.com.cn/complaint/view/17393333331/"},
            "author": {"title": "x"}}
    with open(good, "w") as f:
        json.dump({"result": {"status": {"code": 0, "msg": ""}, "data": {
            "complaints": [item], "pager": {"current": 1, "next": 0, "page_amount": 1,
                                            "item_count": 1}}}}, f)
    for files in ((big, good), ("/dev/zero", good)):
        t.sql("DELETE FROM complaints")
        t0 = time.time()
        code, out, err = plain_run(t, "import", "--source", "heimao", *files)
        t.check_eq(code, 1, err)
        lines = kmrep_lines(err)
        over = [ln for ln in lines if files[0] in ln]
        t.check(len(over) == 1 and "max_body_kib" in over[0] and "64 KiB" in over[0],
                f"one line naming the file and the limit: {lines}")
        t.check(time.time() - t0 < 10, "the cap stops reading early")
        t.check_eq(t.sql("SELECT source_id FROM complaints"), [("17393333331",)],
                   "the other file is still imported")
    # From standard input too.
    code, out, err = plain_run(t, "import", "--source", "heimao", "-", input=b" " * (70 * 1024))
    t.check_eq(code, 1, err)
    t.check_eq(len(kmrep_lines(err)), 1, err)
    # A directory is no file: one line naming it, the other file still read.
    t.sql("DELETE FROM complaints")
    code, out, err = plain_run(t, "import", "--source", "heimao", t.dir, good)
    t.check_eq(code, 1, err)
    lines = [ln for ln in kmrep_lines(err) if "import: " in ln]
    t.check(len(lines) == 1 and t.dir in lines[0], f"one line naming the directory: {lines}")
    t.check_eq(t.sql("SELECT source_id FROM complaints"), [("17393333331",)])


# -- crashes and signals ------------------------------------------------------

def test_kill_9_at_random_points(t):
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    ref = reference_dump(t)
    fault(t, "/", "delay", params={"seconds": 0.1})
    rng = random.Random(20261121)
    mid_way = 0
    for i in range(5):
        p = spawn_refresh(*((t, "--full") if i % 2 else (t,)))
        time.sleep(rng.uniform(0.1, 1.2))
        mid_way += p.poll() is None
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=10)
        assert_consistent(t)
    t.check(mid_way >= 3, f"only {mid_way} of 5 refreshes were killed mid-way")
    t.server.control("reset", {})
    r = t.kmrep("refresh", env={"KMREP_NOW": NOW1}, timeout=60)
    t.check_eq(r.code, 0, r)
    assert_consistent(t)
    assert_same_as_clean(t, ref, r)


# -- walks that stop half-way (resumable lists) ----------------------------------

def heimao_state(t, name=NAME):
    return source_entry(t, check_json(t, name, now=NOW1), "heimao")["state"]


def test_page_2_fails_then_plain_refreshes_complete(t):
    # 黑猫 page 2 of the merchant's list fails through every retry during one
    # refresh.  That refresh is partial; the next plain refresh (which finds
    # nothing new on page 1) must go on from page 2 to the end of the list,
    # not stop at "nothing new" with a third of the record.
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    ref = reference_dump(t)
    fault(t, LIST, "500", query_contains="&page=2")
    r = refresh(t, now=NOW1)
    t.check_eq(r.code, 1, r)
    t.check(failure_lines(r, "heimao"), f"the failed page is reported\n{r}")
    n = t.sql("SELECT COUNT(*) FROM complaints")[0][0]
    t.check(0 < n < N_COMPLAINTS, f"page 1 stored, the rest not ({n})")
    t.check_eq(heimao_state(t), "partial", "a walk that stopped half-way")
    t.server.control("reset", {})
    r = refresh(t, now=NOW1)
    t.check_eq(r.code, 0, r)
    assert_same_as_clean(t, ref, r)
    t.check_eq(heimao_state(t), "ok", "the walk reached the end")
    t.check(t.server.requests(LIST), "the list was read again")
    t.server.control("reset", {})
    r = refresh(t, now=NOW1)
    t.check_eq(r.code, 0, r)
    pages = [e["query"] for e in t.server.requests(LIST) if "couid=6384912431" in e["query"]]
    t.check_eq(len(pages), 1, f"a complete list stops at the first page with nothing new: {pages}")
    assert_same_as_clean(t, ref, r)


def test_killed_between_pages_next_refresh_completes(t):
    # kill -9 while page 3 of the merchant's list is in flight (the server
    # holds it back); pages 1 and 2 are stored.  The next plain refresh finds
    # nothing new on page 1 and must still read on to the end.
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    ref = reference_dump(t)
    fault(t, LIST, "delay", params={"seconds": 3}, query_contains="&page=3")
    p = spawn_refresh(t)
    deadline = time.time() + 20
    n = 0
    while time.time() < deadline and n < 20:
        time.sleep(0.05)
        n = t.sql("SELECT COUNT(*) FROM complaints")[0][0]
    p.send_signal(signal.SIGKILL)
    p.communicate(timeout=10)
    assert_consistent(t)
    n = t.sql("SELECT COUNT(*) FROM complaints")[0][0]
    t.check_eq(n, 20, "killed with pages 1-2 stored")
    t.server.control("reset", {})
    r = t.kmrep("refresh", env={"KMREP_NOW": NOW1}, timeout=60)
    t.check_eq(r.code, 0, r)
    assert_same_as_clean(t, ref, r)


def test_feed_counts_distinct_complaints(t):
    # The anonymous feed repeats itself (the same page every time): the
    # coverage message counts each complaint once.
    t.cookie = False
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    items = [{"main": {"sn": sn, "title": "未发货", "summary": "未到账", "cotitle": NAME,
                       "couid": "6384912431", "status": 1, "timestamp": "1790000000",
                       "url": f"//tousu.sina.com.cn/complaint/view/{sn}/"},
              "author": {"title": "u" + sn[-1]}} for sn in ("17391234611", "17391234612")]
    page = {"result": {"status": {"code": 0, "msg": ""},
                       "data": {"lists": items, "pager": {"current": 1, "next": 2,
                                                          "page_amount": 3, "item_count": 30}}}}
    fault(t, "/api/index/feed", "status", params={"code": 200, "body": json.dumps(page)})
    r = refresh(t, now=NOW1)
    lines = failure_lines(r, "heimao")
    t.check(len(lines) == 1, r)
    t.check(re.search(r"\(\d+ pages\) had 2 of its complaints", lines[0]),
            f"the same page each time, two distinct complaints: {lines[0]}")


def test_malformed_detail_link_skips_only_that_detail(t):
    # One new complaint's link is not a URL: its detail page is skipped and
    # the refresh goes on (the other new complaint's detail is read), now and
    # on every later refresh.
    clean_start(t)
    fault(t, LIST, "bad_detail_url", times=1)
    r = refresh(t, "-v")
    t.check_eq(r.code, 0, r)
    t.check(any(e["path"] == DETAIL + "17391234602/" for e in t.server.requests(DETAIL)),
            f"the good link's detail page is read\n{r}")
    t.check("not a URL" in r.err, f"the skipped link is said under -v\n{r}")
    t.check_eq(t.sql("SELECT COUNT(*) FROM complaints WHERE source_id IN"
                     " ('17391234601', '17391234602')")[0][0], 2, "both complaints stored")
    r = refresh(t)
    t.check_eq(r.code, 0, f"a later refresh is not stopped by the bad link\n{r}")


def test_live_and_replay_store_the_same(t):
    # A merchant's list that also holds another merchant's complaint: the
    # refresh keeps only the merchant's; reparse of the archived page and an
    # import of the saved page for the platform give the same database.
    clean_start(t)
    fault(t, LIST, "foreign_item", times=1)
    r = refresh(t)
    t.check_eq(r.code, 0, r)
    ids = "SELECT source_id FROM complaints WHERE source_id IN ('17391234621', '17391234622')"
    t.check_eq(t.sql(ids), [("17391234621",)], "the refresh keeps the merchant's own")
    keys = "SELECT source, source_id, platform_id FROM complaints ORDER BY 1, 2"
    live = t.sql(keys)
    body = [e for e in t.sql("SELECT b.body FROM raw_responses r JOIN raw_bodies b"
                             " ON b.id = r.body_id WHERE r.kind = 'list'"
                             " ORDER BY r.id DESC LIMIT 1")][0][0]
    # reparse, on a copy
    copy = os.path.join(t.dir, "copy.db")
    con = sqlite3.connect(t.db)
    con.execute("VACUUM INTO ?", (copy,))
    con.close()
    r = t.kmrep("--db", copy, "reparse", env={"KMREP_NOW": NOW2}, server=False)
    t.check(r.code in (0, 1), r)
    con = sqlite3.connect(copy)
    got = con.execute(keys).fetchall()
    con.close()
    t.check(got == live, "reparse keeps the same complaints for the same platforms")
    # import of the saved page, into a database where the platform has its merchant
    fresh = os.path.join(t.dir, "fresh.db")
    r = t.kmrep("--db", fresh, "add", NAME, "--heimao-couid", "6384912431", server=False)
    t.check_eq(r.code, 0, r)
    page = os.path.join(t.dir, "page.json")
    with open(page, "wb") as f:
        f.write(body if isinstance(body, bytes) else body.encode())
    r = t.kmrep("--db", fresh, "import", "--source", "heimao", "--platform", NAME, page,
                env={"KMREP_NOW": NOW2}, server=False)
    t.check_eq(r.code, 0, r)
    con = sqlite3.connect(fresh)
    got = con.execute(ids).fetchall()
    con.close()
    t.check_eq(got, [("17391234621",)], "the import keeps the merchant's own too")


# -- every platform gets its probes -------------------------------------------

def test_cached_first_platform_does_not_stall_the_icp_queue(t):
    # The first platform's ICP answer is cached, so its job ends at once; the
    # platforms queued behind it must still be asked about.
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    r = refresh(t, "--source", "icp", now=NOW1)
    t.check_eq(r.code, 0, r)
    t.add(SISTER, "--domain", "sister-km.com")
    t.server.control("reset", {})
    r = refresh(t, "--source", "icp", now=NOW1)
    t.check_eq(r.code, 0, r)
    asked = [e for e in t.server.requests(ICP_QUERY)]
    t.check(len(asked) >= 1, f"the second platform's domain was queried\n{r}")
    j = check_json(t, SISTER, now=NOW1)
    t.check_eq(source_entry(t, j, "icp")["state"], "ok", j["sources"])
    t.check_eq(j["icp"]["status"], "not_filed", j["icp"])


def signal_case(t, sig):
    """A refresh on a fresh database gets `sig` while it reads detail pages."""
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    fault(t, "/", "delay", params={"seconds": 0.1})
    p = spawn_refresh(t)
    wait_for_request(t, DETAIL)            # mid-way: lists stored, details being read
    time.sleep(0.15)
    t0 = time.time()
    p.send_signal(sig)
    try:
        out, err = p.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise kmtest.Failure(f"refresh still running 10 s after {sig.name}")
    took = time.time() - t0
    # SPEC §6: exit 130 after Ctrl-C; SIGTERM (a stopped timer) stays partial
    t.check_eq(p.returncode, 130 if sig == signal.SIGINT else 1, err)
    t.check(took < 3, f"exits shortly after {sig.name} ({took:.2f} s)")
    t.check_eq(out, "", "nothing on stdout")
    t.check("interrupt" in err.lower(), f"says it was interrupted: {err}")
    assert_consistent(t)
    j = check_json(t, now=NOW1)
    t.check(source_entry(t, j, "heimao")["state"] != "ok",
            f"an interrupted source is not ok: {j['sources']}")
    n = t.sql("SELECT COUNT(*) FROM complaints")[0][0]
    t.check(0 < n <= N_COMPLAINTS, f"what was fetched before the signal is stored ({n})")
    t.server.control("reset", {})


def test_sigterm_during_refresh(t):
    signal_case(t, signal.SIGTERM)


def test_sigint_during_refresh(t):
    signal_case(t, signal.SIGINT)


def test_next_refresh_completes_an_interrupted_one(t):
    # A systemd timer stopped (SIGTERM) half-way through the detail pages;
    # the next nightly `kmrep refresh` (no --full) must leave the database as
    # a clean refresh would: every complaint with its detail page.
    signal_case(t, signal.SIGTERM)
    ref = reference_dump(t)
    r = t.kmrep("refresh", env={"KMREP_NOW": NOW1})
    t.check_eq(r.code, 0, r)
    assert_same_as_clean(t, ref, r)


# -- output and idempotence ---------------------------------------------------

def test_quiet_success_prints_nothing(t):
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    r = t.kmrep("-q", "refresh")
    t.check_eq((r.code, r.out, r.err), (0, "", ""), r)
    r = t.kmrep("refresh", "-q", "--full")
    t.check_eq((r.code, r.out, r.err), (0, "", ""), r)


def test_quiet_failure_prints_only_failure_lines(t):
    before = clean_start(t)
    fault(t, LIST, "500")
    fault(t, SITE, "503")
    r = refresh(t, "-q", "--full")
    t.check_eq(r.code, 1, r)
    t.check_eq(r.out, "", r)
    lines = error_lines(r)
    t.check_eq(summary_lines(r), [], "no summary with -q")
    t.check(len(lines) == 2, f"exactly the two failures\n{r}")
    t.check(len(failure_lines(r, "heimao")) == 1 and len(failure_lines(r, "site")) == 1, r)
    assert_kept(t, before)


def test_summary_line_without_quiet(t):
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    r = refresh(t, now=NOW1)
    t.check_eq(r.code, 0, r)
    t.check_eq(r.out, "", "messages go to stderr")
    s = summary_lines(r)
    t.check(len(s) == 1 and re.search(r"\b23 new\b", s[0]) and "0 failures" in s[0], r)
    t.check_eq(error_lines(r), s, "nothing but the summary on a clean run")
    r = refresh(t, now=NOW1)
    s = summary_lines(r)
    t.check(len(s) == 1 and re.search(r"\b0 new\b", s[0]), r)


def test_idempotent_refresh(t):
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    r = refresh(t, now=NOW1)
    t.check_eq(r.code, 0, r)
    first = raw_dump(t)
    snap = snapshot(t)
    for args in ((), ("--full",)):
        r = refresh(t, *args, now=NOW1)
        t.check_eq(r.code, 0, r)
        t.check(raw_dump(t) == first, f"refresh {' '.join(args)} changed the complaint tables")
        t.check(re.search(r"\b0 new and 0 updated\b", r.err), r)
    assert_kept(t, snap, exact=EXACT + ("icp_answers", "icp_records"))


def test_failure_in_the_same_second_is_not_ok(t):
    # KMREP_NOW pinned for both runs: the success and the failure carry the
    # same timestamp; the latest attempt failed, so the source is failed.
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    r = refresh(t, now=NOW1)
    t.check_eq(r.code, 0, r)
    fault(t, LIST, "456")
    r = refresh(t, "--full", now=NOW1)
    t.check_eq(r.code, 1, r)
    s = source_entry(t, check_json(t, now=NOW1), "heimao")
    t.check_eq(s["state"], "blocked", f"the last attempt was blocked: {s}")


kmtest.main(globals())
