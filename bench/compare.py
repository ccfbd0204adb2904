#!/usr/bin/env python3
"""Compares two bench/run results: which numbers moved, and how much.

  compare.py OLD.json NEW.json [--threshold PCT]

Prints one line per metric present in both runs: old, new, the change in
percent and a verdict (better / WORSE / ~ when within the threshold, default
10%: runs on a shared 2-core machine wobble by that much).  Exits 1 when any
metric is WORSE, so a script can gate on it.
"""
import argparse
import json
import sys

# (path in the results, label, True when higher is better)


def metrics(res):
    out = {}
    for r in res.get("ingest", []):
        n = r["pages"]
        out["ingest %6d pages  kmrep complaints/s" % n] = (r["kmrep"]["cps"], True)
        out["ingest %6d pages  kmrep us/complaint" % n] = (r["kmrep"]["us_per_complaint"], False)
        out["ingest %6d pages  kmrep user s" % n] = (r["kmrep"]["user_s"], False)
        out["ingest %6d pages  kmrep RSS KB" % n] = (r["kmrep"]["rss_kb"], False)
        out["ingest %6d pages  re-import s" % n] = (r["kmrep_reimport"]["wall_s"], False)
        out["ingest %6d pages  baseline complaints/s" % n] = (r["baseline"]["cps"], True)
        out["ingest %6d pages  speedup vs baseline" % n] = (r["speedup"], True)
    for r in res.get("reparse", []):
        n = r["pages"]
        out["reparse %5d pages  complaints/s" % n] = (r["kmrep"]["cps"], True)
        out["reparse %5d pages  cpu s" % n] = (r["kmrep"]["user_s"] + r["kmrep"]["sys_s"], False)
        out["reparse %5d pages  RSS KB" % n] = (r["kmrep"]["rss_kb"], False)
    for k in ("import", "reparse"):
        if k in res.get("instructions", {}):
            out["instructions per complaint, %s" % k] = (res["instructions"][k], False)
    for c in res.get("check", []):
        n = c["db_complaints"]
        out["check  %8d db    median ms" % n] = (c["median_ms"], False)
        out["check  %8d db    min ms" % n] = (c["min_ms"], False)
        out["check  %8d db    cpu ms" % n] = (c["cpu_ms"], False)
        out["check  %8d db    RSS KB" % n] = (c["rss_kb"], False)
    for c in res.get("report", []):
        n = c["db_complaints"]
        out["report %8d db    median s" % n] = (c["median_s"], False)
        out["report %8d db    cpu s" % n] = (c["cpu_s"], False)
        out["report %8d db    RSS KB" % n] = (c["rss_kb"], False)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--threshold", type=float, default=10.0, help="percent (default 10)")
    a = ap.parse_args()
    with open(a.old) as f:
        old = json.load(f)
    with open(a.new) as f:
        new = json.load(f)
    mo, mn = metrics(old), metrics(new)
    for run, label in ((old, "old"), (new, "new")):
        m = run.get("meta", {})
        print("%s: %s  git %s  build %s  load %s" % (
            label, m.get("started"), m.get("git"), m.get("build", {}).get("buildtype"),
            m.get("loadavg_start", ["?"])[0]))
    print()
    print("%-44s %14s %14s %9s" % ("metric", "old", "new", "change"))
    worse = 0
    for key in mo:
        if key not in mn:
            continue
        (vo, hib), (vn, _) = mo[key], mn[key]
        if not vo:
            continue
        pct = (vn - vo) / vo * 100
        good = pct > 0 if hib else pct < 0
        verdict = "~" if abs(pct) < a.threshold else ("better" if good else "WORSE")
        worse += verdict == "WORSE"
        print("%-44s %14s %14s %+8.1f%% %s" % (key, vo, vn, pct, verdict))
    for label, run in (("old", old), ("new", new)):
        t = run.get("targets", [])
        print("%s targets: %s" % (label, ", ".join(
            "%s %s" % ("PASS" if x["pass"] else "MISS", x["target"]) for x in t)))
    sys.exit(1 if worse else 0)


if __name__ == "__main__":
    main()
