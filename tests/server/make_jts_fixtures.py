#!/usr/bin/env python3
"""Write the 聚投诉 parser fixtures in tests/data/jutousu/ from worlds/test.json.

Each fixture is the exact body the sample server sends for one request (see
FIXTURES), so the C parser tests read what the fetch tests will get.
Deterministic; the files are committed.

    python3 tests/server/make_jts_fixtures.py            # rewrite them
    python3 tests/server/make_jts_fixtures.py --check    # exit 1 if stale
"""

import email.message
import os
import sys
import types
from urllib.parse import parse_qs, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import faults     # noqa: E402
import jutousu    # noqa: E402
from common import Request   # noqa: E402
from world import load_world  # noqa: E402

OUT = os.path.join(HERE, "..", "data", "jutousu")
WORLD = os.path.join(HERE, "worlds", "test.json")
S = jutousu.SEARCH + "?pageNo=%d&title=%s&listType=1"
M = "/json/merchantPostList/merchantId/%s/listType/1/pageNo/%d/offset/%s"

# name -> request path (and query); "fault:KIND" runs that fault kind instead.
FIXTURES = [
    ("search_p1.json", S % (1, "功夫贷")),
    ("search_short.json", S % (1, "超出本金")),
    ("search_empty.json", S % (11, "功夫贷")),
    ("merchant_p1.json", M % ("2352", 1, "")),
    ("merchant_last.json", M % ("38001", 1, "")),
    ("detail.json", jutousu.DETAIL + "?postKey=%s"),            # 2250104, filled in below
    ("detail_sample.json", jutousu.DETAIL + "?postKey=%s"),     # 1440679
    ("detail_null.json", jutousu.DETAIL + "?postKey=ffffffffffffffffffffffff"),
    ("complaint_page.html", "/tousu/show/id/1440679"),
    ("login_wall.html", "fault:jts_login"),
    ("drift.json", "fault:jts_drift"),
    ("html_error.html", "fault:jts_html_error"),
]


def request(world, target, cookie):
    split = urlsplit(target)
    q = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
    headers = email.message.Message()
    if cookie:
        headers["Cookie"] = cookie
    return Request("GET", split.path, split.query, q, headers, b"", types.SimpleNamespace(world=world))


def bodies():
    world = load_world(WORLD)
    keys = {"detail.json": world.jts_by_id["2250104"]["post_key"],
            "detail_sample.json": world.jts_by_id["1440679"]["post_key"]}
    out = {}
    for name, target in FIXTURES:
        if name in keys:
            target = target % keys[name]
        if target.startswith("fault:"):
            kind = target[len("fault:"):]
            resp = faults.KINDS[kind](None, request(world, "/", None), {})
        else:
            resp = jutousu.route(request(world, target, world.jts_cookie))
        assert resp.status == 200, (name, resp.status)
        body = resp.body
        if not body.endswith(b"\n") and name.endswith(".html"):
            body += b"\n"
        out[name] = body
    return out


def main():
    stale = False
    for name, body in bodies().items():
        path = os.path.join(OUT, name)
        old = open(path, "rb").read() if os.path.exists(path) else None
        if old == body:
            continue
        if "--check" in sys.argv:
            print("stale: " + path)
            stale = True
        else:
            with open(path, "wb") as f:
                f.write(body)
            print("wrote " + path)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
