#!/usr/bin/env python3
"""Writes SYNTH_search_from_real_2025-05-13.{json,jsonp}: an /api/index/s body
in the documented API shape (research/complaint-sources.md §1.4) rebuilt from
real records of samples/complaints/heimao/universal-scraper-auto_heimao_data_
2025-05-13.json (a scraper OUTPUT, not a server body).

Mapping back (PROVENANCE.md): id -> main.sn, company -> main.cotitle,
content -> main.summary, url -> main.url without "https:", status/issue/
appeal/cost as they were.  timestamp: the scraper wrote local time of its
runner, taken here as UTC.  The search hit 帮宝适 is wrapped in the
<span class="code-red"> highlight the search API adds; couid and author are
invented (not in the sample) and marked so by their values.

Usage: make_synth_from_real.py SAMPLE.json OUTDIR"""
import calendar, datetime, json, sys

WANT = ["17382167486", "17382167485", "17381255754", "17381882171",
        "17375466711", "17375466712", "17382016179", "17382201839",
        "17371408736", "17368331402"]

def hl(s):
    return s.replace("帮宝适", '<span class="code-red">帮宝适</span>')

def main():
    real = {r["id"]: r for r in json.load(open(sys.argv[1]))["complaints"]}
    items = []
    for n, sn in enumerate(WANT):
        r = real[sn]
        ts = calendar.timegm(datetime.datetime.fromisoformat(r["timestamp"]).timetuple())
        items.append({
            "main": {
                "sn": r["id"], "title": hl(r["title"]), "summary": hl(r["content"]),
                "cotitle": r["company"], "couid": str(9000000001 + n),
                "issue": r["issue"], "appeal": r["appeal"], "cost": r["cost"],
                "status": r["status"], "timestamp": str(ts),
                "url": r["url"][len("https:"):],
            },
            "author": {"title": "SYNTH用户%d喵" % n},
        })
    body = {"result": {"status": {"code": 0, "msg": ""}, "data": {
        "lists": items,
        "pager": {"current": 1, "next": 2, "page_amount": 5, "item_count": 50}}}}
    out = sys.argv[2]
    with open(out + "/SYNTH_search_from_real_2025-05-13.json", "w") as f:
        json.dump(body, f, ensure_ascii=False, indent=1)
        f.write("\n")
    # JSONP as the site sends it: \uXXXX escapes and \/ slashes.
    payload = json.dumps(body, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")
    with open(out + "/SYNTH_search_from_real_2025-05-13.jsonp", "w") as f:
        f.write("try{jQuery111208038698781774218_1602671921456(%s);}catch(e){};" % payload)

main()
