#!/usr/bin/env python3
"""The comparison for `kmrep import`: what a user would write in plain Python.

Reads saved 黑猫 complaint-list pages (JSON or JSONP), strips tags and
entities, NFKC/case folds, classifies each complaint by the SCORING §1
keyword rules (first matching rule over title + summary + issue + appeal),
normalises status and cost, and upserts into one SQLite table keyed on sn,
one transaction per page (WAL, synchronous=NORMAL, as kmrep).

  baseline.py DB FILE...
"""
import html
import json
import re
import sqlite3
import sys
import unicodedata

RULES = [  # SCORING §1, in order; 'other' when none matches
    ("runaway", "跑路|卷款|关站|网站打不开|平台关闭|联系不上老板|群解散"),
    ("fraud", "诈骗|骗子|骗钱|钓鱼|假冒|盗刷"),
    ("withdraw", "提现|冻结|余额不退|不给提|无法提现"),
    ("support_lost", "客服不回|失联|无人理睬|不理人|拉黑"),
    ("invalid_key", "卡密无效|卡密错误|已被使用|激活失败|面额不符|兑换失败"),
    ("undelivered", "未发货|不发货|未到账|不到账|充值未到|延迟到账"),
    ("refund", "退款|不退|拒绝退款|七天无理由"),
    ("false_ad", "虚假宣传|描述不符|返利不兑现"),
]
RULES = [(k, re.compile(p)) for k, p in RULES]
STATUS = {1: "unanswered", 3: "unanswered", 4: "unanswered", 6: "answered", 7: "resolved",
          8: "closed"}
TAG = re.compile(r"<[^>]*>")
JSONP = re.compile(r"^\s*(?:try\s*\{\s*)?[\w.$]+\s*\((.*)\)\s*;?\s*(?:\}\s*catch.*)?$", re.S)

SCHEMA = """
CREATE TABLE IF NOT EXISTS complaints (
 sn TEXT PRIMARY KEY, platform TEXT, couid TEXT, merchant TEXT, title TEXT, summary TEXT,
 issue TEXT, appeal TEXT, amount_fen INTEGER, raw_status INTEGER, status TEXT,
 category TEXT, filed_at INTEGER, url TEXT, author TEXT, updated_at INTEGER);
CREATE INDEX IF NOT EXISTS complaints_platform ON complaints(platform, filed_at);
"""
UPSERT = """
INSERT INTO complaints VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,strftime('%s','now'))
ON CONFLICT(sn) DO UPDATE SET platform=excluded.platform, couid=excluded.couid,
 merchant=excluded.merchant, title=excluded.title, summary=excluded.summary,
 issue=excluded.issue, appeal=excluded.appeal, amount_fen=excluded.amount_fen,
 raw_status=excluded.raw_status, status=excluded.status, category=excluded.category,
 filed_at=excluded.filed_at, url=excluded.url, author=excluded.author,
 updated_at=excluded.updated_at
"""


def clean(s):
    if s is None:
        return None
    return html.unescape(TAG.sub("", str(s))).strip() or None


def fold(s):
    return unicodedata.normalize("NFKC", s).lower()


def split_list(s):
    s = clean(s)
    if not s:
        return None
    return ",".join(p.strip() for p in re.split("[,，]", s) if p.strip())


def classify(*texts):
    t = fold(" ".join(x for x in texts if x))
    for key, rx in RULES:
        if rx.search(t):
            return key
    return "other"


def fen(cost):
    try:
        return int(round(float(cost) * 100))
    except (TypeError, ValueError):
        return None


def rows(doc, platform):
    data = doc["result"]["data"]
    items = data.get("complaints") or data.get("lists") or []
    for it in items:
        m = it.get("main") or {}
        if not m.get("sn"):
            continue
        title, summary = clean(m.get("title")), clean(m.get("summary"))
        issue, appeal = split_list(m.get("issue")), split_list(m.get("appeal"))
        try:
            raw = int(m.get("status"))
        except (TypeError, ValueError):
            raw = None
        url = m.get("url")
        if url and url.startswith("//"):
            url = "https:" + url
        yield (str(m["sn"]), platform, str(m.get("couid") or ""), clean(m.get("cotitle")),
               title, summary, issue, appeal, fen(m.get("cost")), raw,
               STATUS.get(raw, "unknown"), classify(title, summary, issue, appeal),
               int(m.get("timestamp") or 0), url, clean((it.get("author") or {}).get("title")))


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: baseline.py DB FILE...")
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    n = 0
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
        if not text.lstrip().startswith("{"):
            m = JSONP.match(text)
            text = m.group(1) if m else text
        doc = json.loads(text)
        batch = list(rows(doc, "bench"))
        db.execute("BEGIN IMMEDIATE")
        db.executemany(UPSERT, batch)
        db.execute("COMMIT")
        n += len(batch)
    db.close()
    print("baseline: %d complaints" % n, file=sys.stderr)


if __name__ == "__main__":
    main()
