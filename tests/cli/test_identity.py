"""Identity evidence end to end (issue 5): the registry's three states, the
captcha plug-in, and the home page's claim checked against the registry."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kmtest  # noqa: E402

ORACLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "captcha_oracle.py")


def check_json(t, name):
    r = t.kmrep("check", name, "--format", "json")
    t.check(r.code in (0, 1), r)
    return r.json()


def identity_points(j):
    return sum(d["points"] for d in j["deductions"] if d["component"] == "identity")


def test_filed_enterprise_claim_matches(t):
    t.add("测试卡盟", "--domain", "test-km.com")
    r = t.kmrep("refresh", "--source", "icp,site")
    t.check_eq(r.code, 0, r)
    icp = check_json(t, "测试卡盟")["icp"]
    t.check_eq(icp["status"], "filed", icp)
    t.check_eq(icp["nature"], "企业", icp)
    t.check_eq(icp["licence"], "浙ICP备2024001234号-1", icp)
    t.check_eq(icp["claim"], "match", icp)


def test_individual_filer_costs_points(t):
    t.add("个人卡盟", "--domain", "geren-km.cn")
    t.kmrep("refresh", "--source", "icp,site")
    j = check_json(t, "个人卡盟")
    t.check_eq(j["icp"]["nature"], "个人", j["icp"])
    # 个人 (8) + no number on a filed site (2) + filed this year or last (3)
    t.check_eq(identity_points(j), 13.0, j["deductions"])


def test_stolen_number_is_a_gate(t):
    t.add("测试卡盟", "--domain", "test-km.com")
    t.add("盗号卡盟", "--domain", "stolen-km.com")
    t.kmrep("refresh", "--source", "icp,site")
    j = check_json(t, "盗号卡盟")
    t.check_eq(j["icp"]["claim"], "mismatch", j["icp"])
    t.check("test-km.com" in j["icp"].get("claim_detail", ""), j["icp"])
    t.check_eq([g["gate"] for g in j["gates"]], ["stolen_icp"], j["gates"])
    t.check_eq(j["verdict"], "avoid", j)


def test_captcha_wall_is_unknown_without_points(t):
    # With the solver switched off (the built-in one answers by default).
    t.add("测试卡盟", "--domain", "test-km.com")
    t.server.control("icp", {"require_captcha": True})
    t.write_config(icp={"captcha": "off"})
    r = t.kmrep("refresh", "--source", "icp")
    t.check_eq(r.code, 1, r)
    t.check("captcha" in r.err, r)
    j = check_json(t, "测试卡盟")
    t.check_eq(j["icp"]["status"], "unknown", j["icp"])
    t.check_eq(identity_points(j), 0, j["deductions"])
    t.check_eq([s["state"] for s in j["sources"] if s["source"] == "icp"], ["blocked"])


def test_captcha_solver_plugin(t):
    t.add("测试卡盟", "--domain", "test-km.com")
    t.server.control("icp", {"require_captcha": True})
    t.write_config(icp={"captcha_command": f"{sys.executable} {ORACLE}"})
    r = t.kmrep("refresh", "--source", "icp", env={"KMREP_TEST_SERVER": t.server.base})
    t.check_eq(r.code, 0, r)
    t.check_eq(check_json(t, "测试卡盟")["icp"]["status"], "filed")
    paths = [e["path"].rsplit("/", 1)[-1] for e in t.server.requests("/icpproject_query")]
    t.check("getCheckImagePoint" in paths and "checkImage" in paths, paths)


def test_captcha_wrong_answers_give_up(t):
    t.add("测试卡盟", "--domain", "test-km.com")
    t.server.control("icp", {"require_captcha": True})
    t.write_config(icp={"captcha_command": f"{sys.executable} {ORACLE}"})
    r = t.kmrep("refresh", "--source", "icp",
                env={"KMREP_TEST_SERVER": t.server.base, "KMREP_ORACLE_SKEW": "40"})
    t.check_eq(r.code, 1, r)
    t.check("refused" in r.err, r)
    checks = [e for e in t.server.requests("/icpproject_query") if e["path"].endswith("checkImage")]
    t.check_eq(len(checks), 3, checks)    # CAPTCHA_TRIES
    t.check_eq(check_json(t, "测试卡盟")["icp"]["status"], "unknown")


def icp_calls(t, endpoint):
    return [e for e in t.server.requests("/icpproject_query") if e["path"].endswith(endpoint)]


def test_builtin_solver_gets_every_record(t):
    # No captcha_command: the built-in solver reads the sample server's
    # pictures; one solved challenge's sign serves the following queries.
    t.add("测试卡盟", "--domain", "test-km.com")
    t.add("个人卡盟", "--domain", "geren-km.cn")
    t.add("盗号卡盟", "--domain", "stolen-km.com")
    t.add("无备案卡盟", "--domain", "nofiling-km.com")
    t.server.control("icp", {"require_captcha": True})
    r = t.kmrep("refresh", "--source", "icp")
    t.check_eq(r.code, 0, r)
    want = {"测试卡盟": "filed", "个人卡盟": "filed", "盗号卡盟": "not_filed", "无备案卡盟": "not_filed"}
    for name, status in want.items():
        t.check_eq(check_json(t, name)["icp"]["status"], status, name)
    checks = icp_calls(t, "checkImage")
    t.check(1 <= len(checks) <= 3, f"the sign is reused across queries: {len(checks)} checks")
    t.check_eq(len(icp_calls(t, "getCheckImagePoint")), len(checks), "one check per challenge")


def test_builtin_solver_sign_refused_gets_new_challenge(t):
    # A sign the registry stops accepting (TTL 0) is dropped: every query
    # then needs its own challenge, and each uuid is checked once.
    t.add("测试卡盟", "--domain", "test-km.com")
    t.add("个人卡盟", "--domain", "geren-km.cn")
    t.server.control("icp", {"require_captcha": True, "sign_ttl_seconds": 0})
    r = t.kmrep("refresh", "--source", "icp")
    t.check_eq(r.code, 1, r)
    t.check("refused" in r.err or "captcha" in r.err, r)
    t.check_eq(check_json(t, "测试卡盟")["icp"]["status"], "unknown")
    challenges = icp_calls(t, "getCheckImagePoint")
    t.check_eq(len(challenges), 6, "three challenges per query, no more")


def test_captcha_command_mode_without_command(t):
    t.add("测试卡盟", "--domain", "test-km.com")
    t.server.control("icp", {"require_captcha": True})
    t.write_config(icp={"captcha": "command"})
    r = t.kmrep("refresh", "--source", "icp")
    t.check_eq(r.code, 1, r)
    t.check("captcha = command" in r.err, r)
    t.check_eq(icp_calls(t, "getCheckImagePoint"), [], "no challenge without a solver")
    t.check_eq(check_json(t, "测试卡盟")["icp"]["status"], "unknown")


def test_captcha_setting_is_checked(t):
    t.write_config(icp={"captcha": "maybe"})
    r = t.kmrep("list")
    t.check_eq(r.code, 2, r)
    t.check("builtin, command or off" in r.err, r)


def test_builtin_solver_waf_block_page(t):
    # 创宇盾's block page on the challenge: unknown, with "blocked" as the
    # reason — never "not filed".
    t.add("无备案卡盟", "--domain", "nofiling-km.com")
    t.server.control("icp", {"require_captcha": True})
    t.server.fault("/icpproject_query/api/image/getCheckImagePoint", "waf403")
    r = t.kmrep("refresh", "--source", "icp")
    t.check_eq(r.code, 1, r)
    t.check("blocked" in r.err and "403" in r.err, r)
    j = check_json(t, "无备案卡盟")
    t.check_eq(j["icp"]["status"], "unknown", j["icp"])
    src = [s for s in j["sources"] if s["source"] == "icp"][0]
    t.check_eq(src["state"], "blocked", src)
    t.check("blocked" in src.get("error", ""), src)


def test_builtin_solver_waf_on_check(t):
    t.add("无备案卡盟", "--domain", "nofiling-km.com")
    t.server.control("icp", {"require_captcha": True})
    t.server.fault("/icpproject_query/api/image/checkImage", "waf403")
    r = t.kmrep("refresh", "--source", "icp")
    t.check_eq(r.code, 1, r)
    t.check("blocked by the site (HTTP 403)" in r.err, r)
    t.check_eq(check_json(t, "无备案卡盟")["icp"]["status"], "unknown")


def test_builtin_solver_rate_limited_check(t):
    t.add("无备案卡盟", "--domain", "nofiling-km.com")
    t.server.control("icp", {"require_captcha": True})
    t.server.fault("/icpproject_query/api/image/checkImage", "icp_429")
    r = t.kmrep("refresh", "--source", "icp")
    t.check_eq(r.code, 1, r)
    t.check("rate_limited" in r.err, r)
    t.check_eq(check_json(t, "无备案卡盟")["icp"]["status"], "unknown")


def test_builtin_solver_token_expired_at_challenge(t):
    # "token过期" on getCheckImagePoint: a new token, the query again, a new
    # challenge, and the record.
    t.add("测试卡盟", "--domain", "test-km.com")
    t.server.control("icp", {"require_captcha": True})
    t.server.fault("/icpproject_query/api/image/getCheckImagePoint", "icp_token_expired", times=1)
    r = t.kmrep("refresh", "--source", "icp")
    t.check_eq(r.code, 0, r)
    t.check_eq(len(icp_calls(t, "/auth")), 2, "the token was renewed")
    t.check_eq(check_json(t, "测试卡盟")["icp"]["status"], "filed")


def test_token_expiry_renews_once(t):
    t.add("测试卡盟", "--domain", "test-km.com")
    t.add("个人卡盟", "--domain", "geren-km.cn")
    t.server.control("icp", {"token_ttl_queries": 1})
    r = t.kmrep("refresh", "--source", "icp")
    t.check_eq(r.code, 0, r)
    auths = [e for e in t.server.requests("/icpproject_query") if e["path"].endswith("/auth")]
    t.check_eq(len(auths), 2, auths)
    t.check_eq(check_json(t, "个人卡盟")["icp"]["status"], "filed")


def test_not_filed_and_cache(t):
    t.add("无备案卡盟", "--domain", "nofiling-km.com")
    r = t.kmrep("refresh", "--source", "icp")
    t.check_eq(r.code, 0, r)
    t.check_eq(check_json(t, "无备案卡盟")["icp"]["status"], "not_filed")
    t.server.control("reset", {})
    r = t.kmrep("refresh", "--source", "icp")
    t.check_eq(r.code, 0, r)
    t.check_eq(t.server.requests("/icpproject_query"), [], "cache_days ignored")


def test_gbk_home_page_decodes(t):
    t.add("编码卡盟", "--domain", "gbk-km.com")
    r = t.kmrep("refresh", "--source", "site")
    t.check_eq(r.code, 0, r)
    icp = check_json(t, "编码卡盟")["icp"]
    t.check_eq(icp["site_claim"], "湘ICP备2025005678号-1", icp)


kmtest.main(globals())
