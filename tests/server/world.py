"""Load a world file (JSON) into plain Python objects the routes can serve.

The schema is documented in sample_server.py's docstring.  Everything here is
validation and normalisation: relative ages become unix seconds, missing
optional fields get their defaults, timelines get a default shape.  Errors are
raised as WorldError with a path to the bad value, so a broken world file fails
at start-up with a clear message instead of a traceback mid-test.
"""

import hashlib
import json
import re
import time

from common import parse_iso, iso_utc

DAY = 86400.0
PLATFORM_NAME = "黑猫消费者服务平台"
ACTORS = ("user", "merchant", "platform")
JTS_SHORT = 60               # 聚投诉 shortTopic default: 60 characters + "..."


class WorldError(Exception):
    pass


def _req(obj, key, types, where):
    if key not in obj:
        raise WorldError("%s: missing %r" % (where, key))
    v = obj[key]
    if not isinstance(v, types) or isinstance(v, bool) and bool not in _tuple(types):
        raise WorldError("%s.%s: wrong type %s" % (where, key, type(v).__name__))
    return v


def _opt(obj, key, types, where, default=None):
    if key not in obj or obj[key] is None:
        return default
    return _req(obj, key, types, where)


def _tuple(t):
    return t if isinstance(t, tuple) else (t,)


def _digits(obj, key, where):
    v = _req(obj, key, str, where)
    if not re.fullmatch(r"[0-9]{1,19}", v):
        raise WorldError("%s.%s: must be a string of digits, got %r" % (where, key, v))
    return v


class World:
    """The parsed world.  Attributes:

    now            unix seconds (int) that all relative ages refer to
    seed           integer seed for every random choice the server makes
    cookie         the 黑猫 login cookie value required by signed-in endpoints
    merchants      list of {"couid","title"}; merchant_by_couid for lookups
    complaints     list of complaint dicts, newest first (see _complaint())
    by_sn          sn -> complaint
    icp            {"require_captcha","token_ttl_queries","token_ttl_seconds",
                    "sign_ttl_seconds","require_compact_json","records"}
    sites          domain -> site dict
    jts_cookie     the 聚投诉 login cookie (jutous_session_id=…)
    jts_merchants  list of {"id","name"}; jts_merchant_by_id for lookups
    jts_complaints list of 聚投诉 complaint dicts, newest first (_jts_complaint())
    jts_by_id, jts_by_key   id -> complaint, post_key -> complaint
    faults         list of fault dicts (same shape as POST /_control/fault)
    """

    def __init__(self, data, path="<world>", real_now=None):
        if not isinstance(data, dict):
            raise WorldError("%s: top level must be an object" % path)
        self.path = path
        now = data.get("now")
        if now is None:
            self.now = int(real_now if real_now is not None else time.time())
        else:
            try:
                self.now = int(parse_iso(now, "now"))
            except ValueError as e:
                raise WorldError(str(e))
        self.now_iso = iso_utc(self.now)
        self.seed = _opt(data, "seed", int, "world", 1)
        self.description = _opt(data, "description", str, "world", "")

        hm = _opt(data, "heimao", dict, "world", {})
        self.cookie = _opt(hm, "cookie", str, "heimao", "SUB=_2AkMtestcookie")
        self.merchants = []
        self.merchant_by_couid = {}
        for i, m in enumerate(_opt(hm, "merchants", list, "heimao", [])):
            where = "heimao.merchants[%d]" % i
            if not isinstance(m, dict):
                raise WorldError(where + ": must be an object")
            mm = {"couid": _digits(m, "couid", where), "title": _req(m, "title", str, where)}
            if mm["couid"] in self.merchant_by_couid:
                raise WorldError(where + ": duplicate couid " + mm["couid"])
            self.merchants.append(mm)
            self.merchant_by_couid[mm["couid"]] = mm

        self.complaints = []
        self.by_sn = {}
        for i, c in enumerate(_opt(hm, "complaints", list, "heimao", [])):
            cc = self._complaint(c, "heimao.complaints[%d]" % i)
            if cc["sn"] in self.by_sn:
                raise WorldError("heimao.complaints[%d]: duplicate sn %s" % (i, cc["sn"]))
            self.by_sn[cc["sn"]] = cc
            self.complaints.append(cc)
        # Newest first, like every 黑猫 list; ties broken by the larger sn.
        self.complaints.sort(key=lambda c: (c["ts"], int(c["sn"])), reverse=True)

        icp = _opt(data, "icp", dict, "world", {})
        self.icp = {
            "require_captcha": _opt(icp, "require_captcha", bool, "icp", False),
            "token_ttl_queries": _opt(icp, "token_ttl_queries", int, "icp", 0),
            "token_ttl_seconds": _opt(icp, "token_ttl_seconds", int, "icp", 300),
            "sign_ttl_seconds": _opt(icp, "sign_ttl_seconds", int, "icp", 60),
            "require_compact_json": _opt(icp, "require_compact_json", bool, "icp", True),
            "records": [self._icp_record(r, "icp.records[%d]" % i)
                        for i, r in enumerate(_opt(icp, "records", list, "icp", []))],
        }

        self.sites = {}
        sites = _opt(data, "sites", dict, "world", {})
        for domain, s in sites.items():
            self.sites[domain.lower()] = self._site(s, "sites[%r]" % domain)

        self._jutousu(_opt(data, "jutousu", dict, "world", {}))

        self.faults = _opt(data, "faults", list, "world", [])

    # -- 黑猫 complaints ---------------------------------------------------

    def _time(self, obj, where, base=None):
        """Resolve one of at/filed (absolute), age_days (before now) or
        after_days (after `base`, the filing time) to unix seconds."""
        for key in ("at", "filed"):
            if key in obj:
                try:
                    return parse_iso(_req(obj, key, str, where), where + "." + key)
                except ValueError as e:
                    raise WorldError(str(e))
        if "age_days" in obj:
            return self.now - float(_req(obj, "age_days", (int, float), where)) * DAY
        if "after_days" in obj and base is not None:
            return base + float(_req(obj, "after_days", (int, float), where)) * DAY
        raise WorldError(where + ": needs a time (filed/at, age_days%s)"
                         % (" or after_days" if base is not None else ""))

    def _complaint(self, c, where):
        if not isinstance(c, dict):
            raise WorldError(where + ": must be an object")
        couid = _digits(c, "couid", where)
        m = self.merchant_by_couid.get(couid)
        sn = _digits(c, "sn", where)
        ts = int(self._time(c, where))
        author = c.get("author")
        if author is not None and not isinstance(author, str):
            raise WorldError(where + ".author: must be a string or null")
        cost = c.get("cost")
        if cost is not None and not isinstance(cost, str):
            raise WorldError(where + ".cost: must be a string (the API sends a string)")
        sld = _opt(c, "sld", str, where)
        if sld is not None and not re.fullmatch(r"[0-9a-f]{32}", sld):
            raise WorldError(where + ".sld: must be 32 lowercase hex digits")
        ev = _opt(c, "evaluate_u", dict, where)
        summary = _req(c, "summary", str, where)
        cc = {
            "sn": sn,
            "couid": couid,
            "cotitle": _opt(c, "cotitle", str, where, m["title"] if m else "未知商家"),
            "title": _req(c, "title", str, where),
            "summary": summary,
            "issue": _opt(c, "issue", str, where, ""),
            "appeal": _opt(c, "appeal", str, where, ""),
            "service": _opt(c, "service", str, where),
            "cost": cost,
            "status": _req(c, "status", int, where),
            "status_label": _opt(c, "status_label", str, where),
            "ts": ts,
            "author": author,
            "author_uid": _opt(c, "author_uid", str, where,
                               _fake_uid(author if author is not None else sn)),
            "evaluate_u": ev,
            "sld": sld,
            "private": _opt(c, "private", bool, where, False),
            "unsettled": _opt(c, "unsettled", bool, where, False),
            "posted_style": _opt(c, "posted_style", str, where, "dash"),
            "field": _opt(c, "field", int, where, 114),
            "upvote_amount": _opt(c, "upvote_amount", int, where, int(sn) % 7),
            "comment_amount": _opt(c, "comment_amount", int, where, 0),
            "share_amount": _opt(c, "share_amount", int, where, 0),
            "comment_id": _opt(c, "comment_id", str, where, "ts:complaint:" + sn),
        }
        tl = c.get("timeline")
        if tl is None:
            tl = [{"actor": "user", "event": "发起投诉", "after_days": 0},
                  {"actor": "platform", "event": "审核通过", "after_days": 0.3,
                   "text": "您的投诉已通过审核，已转交商家处理。"}]
        elif not isinstance(tl, list):
            raise WorldError(where + ".timeline: must be a list")
        steps = []
        for j, s in enumerate(tl):
            sw = "%s.timeline[%d]" % (where, j)
            if not isinstance(s, dict):
                raise WorldError(sw + ": must be an object")
            actor = _req(s, "actor", str, sw)
            if actor not in ACTORS:
                raise WorldError(sw + ".actor: one of " + "/".join(ACTORS))
            event = _req(s, "event", str, sw)
            sts = int(self._time(s, sw, base=ts)) if s.keys() & {"at", "age_days", "after_days"} else ts
            if sts > self.now:
                continue        # a relative world never shows steps from the future
            text = _opt(s, "text", str, sw)
            if text is None and event == "发起投诉":
                text = summary
            stars = _opt(s, "stars", list, sw)
            if stars is not None and (len(stars) != 3 or not all(isinstance(x, int) for x in stars)):
                raise WorldError(sw + ".stars: three integers (服务态度, 处理速度, 满意度)")
            if actor == "user":
                default_name = author if author is not None else "匿名"
            elif actor == "merchant":
                default_name = cc["cotitle"]
            else:
                default_name = PLATFORM_NAME
            steps.append({"actor": actor, "event": event, "ts": sts, "text": text or "",
                          "name": _opt(s, "name", str, sw, default_name), "stars": stars})
        steps.sort(key=lambda s: s["ts"])
        cc["steps"] = steps
        cc["updated"] = max([ts] + [s["ts"] for s in steps])
        return cc

    # -- 聚投诉 ------------------------------------------------------------

    def _jutousu(self, jt):
        self.jts_cookie = _opt(jt, "cookie", str, "jutousu", "jutous_session_id=testsession")
        self.jts_merchants = []
        self.jts_merchant_by_id = {}
        for i, m in enumerate(_opt(jt, "merchants", list, "jutousu", [])):
            where = "jutousu.merchants[%d]" % i
            if not isinstance(m, dict):
                raise WorldError(where + ": must be an object")
            mm = {"id": _digits(m, "id", where), "name": _req(m, "name", str, where)}
            if mm["id"] in self.jts_merchant_by_id:
                raise WorldError(where + ": duplicate id " + mm["id"])
            self.jts_merchants.append(mm)
            self.jts_merchant_by_id[mm["id"]] = mm
        self.jts_complaints = []
        self.jts_by_id = {}
        self.jts_by_key = {}
        for i, c in enumerate(_opt(jt, "complaints", list, "jutousu", [])):
            where = "jutousu.complaints[%d]" % i
            cc = self._jts_complaint(c, where)
            if cc["id"] in self.jts_by_id:
                raise WorldError("%s: duplicate id %s" % (where, cc["id"]))
            if cc["post_key"] in self.jts_by_key:
                raise WorldError("%s: duplicate post_key %s" % (where, cc["post_key"]))
            self.jts_by_id[cc["id"]] = cc
            self.jts_by_key[cc["post_key"]] = cc
            self.jts_complaints.append(cc)
        # Newest first; ties broken by the larger id.
        self.jts_complaints.sort(key=lambda c: (c["ts"], int(c["id"])), reverse=True)

    def _jts_complaint(self, c, where):
        if not isinstance(c, dict):
            raise WorldError(where + ": must be an object")
        cid = _digits(c, "id", where)
        merchant = _digits(c, "merchant", where) if c.get("merchant") is not None else ""
        m = self.jts_merchant_by_id.get(merchant)
        name = _opt(c, "merchantname", str, where, m["name"] if m else None)
        if name is None:
            raise WorldError(where + ": merchantname is required when merchant is not in jutousu.merchants")
        topic = _req(c, "topic", str, where)
        short = _opt(c, "short_topic", str, where)
        if short is None:
            plain = re.sub(r"<[^>]*>", "", topic)
            short = plain[:JTS_SHORT] + "..." if len(plain) > JTS_SHORT else plain
        labels = _opt(c, "labels", list, where, [])
        if not all(isinstance(x, str) for x in labels):
            raise WorldError(where + ".labels: a list of strings")
        key = _opt(c, "post_key", str, where, hashlib.sha1(cid.encode()).hexdigest()[:24])
        if not re.fullmatch(r"[0-9a-f]{24}", key):
            raise WorldError(where + ".post_key: must be 24 lowercase hex digits")
        return {
            "id": cid,
            "merchant": merchant,
            "merchantname": name,
            "title": _req(c, "title", str, where),
            "topic": topic,
            "short_topic": short,
            "shuqiu": _opt(c, "shuqiu", str, where, ""),
            "labels": labels,
            "username": _req(c, "username", str, where),
            "ts": int(self._time(c, where)),
            "post_key": key,
        }

    # -- ICP ---------------------------------------------------------------

    def _icp_record(self, r, where):
        if not isinstance(r, dict):
            raise WorldError(where + ": must be an object")
        rec = {}
        for key in ("domain", "unitName", "natureName", "mainLicence", "serviceLicence"):
            rec[key] = _req(r, key, str, where)
        for key in ("domainId", "mainId", "serviceId"):
            rec[key] = _req(r, key, int, where)
        rec["limitAccess"] = _opt(r, "limitAccess", str, where, "否")
        rec["updateRecordTime"] = _req(r, "updateRecordTime", str, where)
        if not re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", rec["updateRecordTime"]):
            raise WorldError(where + ".updateRecordTime: YYYY-MM-DD HH:MM:SS")
        rec["contentTypeName"] = _opt(r, "contentTypeName", str, where, "")
        rec["leaderName"] = _opt(r, "leaderName", str, where, "")
        # Only the detail endpoint returns these two (as in the 2022+ API).
        rec["_homeUrl"] = _opt(r, "homeUrl", str, where, "www." + rec["domain"])
        rec["_serviceName"] = _opt(r, "serviceName", str, where, rec["unitName"])
        return rec

    # -- platform home pages -----------------------------------------------

    def _site(self, s, where):
        if not isinstance(s, dict):
            raise WorldError(where + ": must be an object")
        charset = _opt(s, "charset", str, where, "utf-8").lower()
        if charset not in ("utf-8", "gbk"):
            raise WorldError(where + ".charset: utf-8 or gbk")
        site = {
            "title": _req(s, "title", str, where),
            "meta_icp": _opt(s, "meta_icp", str, where),
            "body": _opt(s, "body", str, where, ""),
            "footer": _opt(s, "footer", str, where, ""),
            "charset": charset,
            "status": _opt(s, "status", int, where, 200),
            "updated": int(self._time(s, where)) if s.keys() & {"at", "age_days"} else self.now,
        }
        try:
            "".join(site[k] or "" for k in ("title", "meta_icp", "body", "footer")).encode(charset)
        except UnicodeEncodeError as e:
            raise WorldError("%s: text not encodable in %s: %s" % (where, charset, e))
        return site


def _fake_uid(seed):
    """A stable 10-digit Weibo-like uid derived from a nickname (same author ->
    same profile, so distinct-complainant counting works)."""
    h = hashlib.sha1(seed.encode("utf-8")).hexdigest()
    return str(5000000000 + int(h[:12], 16) % 2999999999)


def load_world(path, real_now=None):
    try:
        with open(path, "rb") as f:
            data = json.loads(f.read().decode("utf-8"))
    except OSError as e:
        raise WorldError("%s: %s" % (path, e.strerror))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise WorldError("%s: not valid UTF-8 JSON: %s" % (path, e))
    return World(data, path, real_now)
