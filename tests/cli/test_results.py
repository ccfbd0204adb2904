"""Results that must not change (issue 14): every domain of a platform is
checked, the verdict does not depend on how often one refreshes, unknown is
said as unknown, a short or wrong name leaves no junk, and Ctrl-C stops a
run at once with the work done so far stored whole."""
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kmtest  # noqa: E402


def demo_setup(t, platforms):
    """The demo world (times relative to the real clock) with platforms
    added and refreshed."""
    t.world = "demo.json"
    t.now = None
    with open(os.path.join(kmtest.WORLDS, "demo.json"), encoding="utf-8") as f:
        cookie = json.load(f)["heimao"]["cookie"]
    k, v = cookie.split("=", 1)
    ck = os.path.join(t.dir, "demo-cookies.txt")
    with open(ck, "w") as f:
        f.write(f"127.0.0.1\tFALSE\t/\tFALSE\t0\t{k}\t{v}\n")
    t.config_extra = {"heimao": {"cookie_file": ck}}
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


kmtest.main(globals())
