#!/usr/bin/env python3
"""Deterministic generator of saved 黑猫投诉 complaint-list pages (SYNTH data).

Writes N pages of the /api/company/received_complaints answer, 10 complaints
each, in the envelope of research/complaint-sources.md §1.4:

  {"result":{"status":{"code":0,"msg":""},
             "data":{"complaints":[{"main":{...},"author":{"title":...}}, ...],
                     "pager":{"current":p,"next":p+1,"page_amount":N,"item_count":10N}}}}

Every value follows the documented shape: sn and couid as decimal strings
(> 2^32), title/summary/cotitle with occasional <span class="code-red">
highlights and HTML entities, summaries up to ~445 UTF-8 bytes (44% cut and
ending in "..."), issue/appeal lists joined by ',' or '，', cost as a yuan
string, status from {1,3,4,6,7,8}, timestamp as a string of Unix seconds over
the 3 years before --now, protocol-relative URLs (with ?sld= from 2024-09 on),
author nicknames (sometimes missing, repeat complainants).  By default the
bytes are what the PHP API sends (non-ASCII as \\uXXXX, '/' as '\\/');
--utf8 writes raw UTF-8 instead.

Same arguments, same bytes: every page draws from its own RNG seeded with
(seed, platform, page), so any page can be made alone (gen_db.py relies on it).

  gen_pages.py N OUTDIR [--seed S] [--platform-index K] [--utf8]
"""
import argparse
import calendar
import hashlib
import json
import os
import random
import sys

PER_PAGE = 10
DEFAULT_NOW = "2026-01-01T00:00:00Z"
SPAN_S = 3 * 365 * 86400
SN_BASE = 17340000000
SLD_FROM = calendar.timegm((2024, 9, 1, 0, 0, 0))  # older links lack ?sld=

NAME_HEAD = list("启慧星辰云海龙腾天宇飞鹏金石鑫源聚宝盛达恒通博汇优品乐享极速闪电火凤凰银河万象")
NAME_TAIL = ["卡盟", "卡盟网", "发卡网", "卡盟平台", "自动发卡", "游戏卡盟", "点卡商城", "充值网"]

GOODS = ["王者荣耀点券", "腾讯Q币", "和平精英UC", "原神创世结晶", "Steam充值卡", "京东E卡",
         "话费充值", "爱奇艺会员卡密", "网易一卡通", "骏网一卡通", "迅雷会员", "优酷会员",
         "QQ音乐绿钻", "抖音币", "快手快币", "英雄联盟点券", "穿越火线CF点", "梦幻西游点卡",
         "Apple礼品卡", "腾讯视频VIP", "百度网盘超级会员", "CDK激活码", "游戏账号", "流量包"]

# Phrases by SCORING §1 category; each contains one of the keywords.
PROBLEMS = {
    "runaway": ["平台跑路了", "疑似卷款跑路", "网站打不开了", "平台关闭无法登录", "联系不上老板",
                "售后群解散了", "突然关站"],
    "fraud": ["是诈骗平台", "遇到骗子商家", "被骗钱", "钓鱼网站盗号", "假冒官方", "账户被盗刷"],
    "withdraw": ["余额无法提现", "账户被冻结", "余额不退", "不给提现", "提现一直审核"],
    "contact": ["客服不回消息", "客服失联", "无人理睬", "客服不理人", "被客服拉黑"],
    "invalid": ["卡密无效", "卡密错误", "卡密已被使用", "激活失败", "面额不符", "兑换失败"],
    "undelivered": ["付款后未发货", "一直不发货", "充值未到账", "迟迟不到账", "延迟到账三天"],
    "refund": ["申请退款被拒", "拒绝退款", "说好的七天无理由不退"],
    "falsead": ["虚假宣传", "商品描述不符", "返利不兑现"],
    "other": ["售后处理太慢", "订单状态异常", "价格临时上涨", "页面一直转圈", "服务态度差",
              "商品与预期有差距"],
}
CAT_WEIGHTS = {"runaway": 4, "fraud": 8, "withdraw": 6, "contact": 8, "invalid": 14,
               "undelivered": 22, "refund": 16, "falsead": 5, "other": 17}
CATS = list(CAT_WEIGHTS)
CAT_W = [CAT_WEIGHTS[c] for c in CATS]

DEMANDS = ["要求全额退款", "希望尽快处理", "请平台给个说法", "要求补发卡密", "要求赔偿损失",
           "请求退回余额", "希望平台核实"]
FILLER = ["我于{d}在{p}购买了{n}张{g}，支付{a}元，订单号{o}。",
          "下单后页面显示支付成功，但{prob}，联系在线客服只回复“请耐心等待”。",
          "客服让我提供付款截图和订单号，我都发了，之后就再也没有消息。",
          "已经等了{k}天，多次在工单里催促，平台始终没有给出处理结果。",
          "同一批购买的还有其他人也遇到这个问题，在群里反映后被移出群聊。",
          "平台首页写着“秒发货、假一赔十”，实际完全不是这样。",
          "我要求退回{a}元货款，对方以“卡密已售出概不退换”为由拒绝。",
          "现在网站偶尔能打开，充值入口还在，担心更多人上当。",
          "附上聊天记录和支付宝账单截图，请黑猫帮忙协调。"]
ISSUES = ["未发货", "卡密无效", "拒绝退款", "客服不回", "虚假宣传", "无法提现", "账户冻结",
          "充值未到账", "售后服务差", "商品质量问题", "乱扣费", "诱导消费"]
APPEALS = ["退款", "赔偿", "道歉", "作出处罚", "解释说明", "补发商品", "退货退款", "其他"]
NICK_A = ["快乐的", "不开心的", "努力的", "路过的", "认真的", "倒霉的", "游戏", "充值", "小"]
NICK_B = ["小猫", "玩家", "学生党", "打工人", "宝妈", "程序员", "阿伟", "小明", "大橘"]
ENTITIES = ["&quot;", "&amp;", "&nbsp;", "&lt;", "&gt;", "&#39;"]
STATUSES = [1, 3, 4, 6, 7, 8]
STATUS_W = [5, 10, 20, 25, 30, 10]


def parse_now(s):
    import time
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))


def platform_name(k):
    """The k-th platform name (k >= 0), unique for k < 2,000,000."""
    n = len(NAME_HEAD)
    a, b, c = k % n, (k // n) % n, (k // (n * n)) % len(NAME_TAIL)
    name = NAME_HEAD[a] + NAME_HEAD[b] + NAME_TAIL[c]
    rest = k // (n * n * len(NAME_TAIL))
    return name if rest == 0 else "%s%d" % (name, rest)


def platform_couid(k):
    return str(6384900000 + k * 17)


def platform_domain(k):
    return "km%05d-example.com" % k


def cut_utf8(s, limit):
    b = s.encode("utf-8")
    if len(b) <= limit:
        return s
    return b[:limit].decode("utf-8", "ignore")


def highlight(rng, s, word):
    if word in s:
        return s.replace(word, '<span class="code-red">%s</span>' % word, 1)
    return s


class Gen:
    def __init__(self, seed, now, total_complaints, platform_index=0):
        self.seed = seed
        self.now = now
        self.total = total_complaints
        self.k = platform_index
        self.name = platform_name(platform_index)
        self.couid = platform_couid(platform_index)
        # A pool of repeat complainants: about 3 complaints per nickname.
        self.nick_pool = max(1, total_complaints // 3)

    def nickname(self, rng):
        i = rng.randrange(self.nick_pool) + self.k * 1000003
        r = random.Random(i)
        return r.choice(NICK_A) + r.choice(NICK_B) + str(i % 99991) + "喵"

    def title(self, rng, cat, goods, prob):
        forms = ["{p}{g}{prob}", "在{p}购买{g}{prob}，{d}", "{p}充值{g}后{prob}",
                 "{g}{prob}，{p}{d}", "【{p}】{g}订单{prob}{d}"]
        t = rng.choice(forms).format(p=self.name, g=goods, prob=prob, d=rng.choice(DEMANDS))
        while len(t) < 20:
            t += rng.choice(DEMANDS)
        if len(t) > 40:
            t = t[:40]
        r = rng.random()
        if r < 0.15:
            t = highlight(rng, t, self.name)
        elif r < 0.20:
            t = t.replace("，", rng.choice(ENTITIES), 1) if "，" in t else t + "&quot;"
        return t

    def summary(self, rng, goods, prob, filed):
        import time
        d = time.strftime("%Y年%m月%d日", time.gmtime(filed + 8 * 3600))
        a = rng.choice(["%d" % rng.randint(10, 3000), "%.2f" % rng.uniform(1, 5000)])
        parts = []
        long_one = rng.random() < 0.44
        target = 446 if long_one else rng.randint(60, 400)
        fill = list(FILLER)
        rng.shuffle(fill)
        fill.insert(0, FILLER[0])
        for f in fill:
            parts.append(f.format(d=d, p=self.name, n=rng.randint(1, 20), g=goods, a=a,
                                  o=rng.randint(10**17, 10**18 - 1), prob=prob,
                                  k=rng.randint(2, 60)))
            if len("".join(parts).encode("utf-8")) >= target:
                break
        s = "".join(parts)
        if len(s.encode("utf-8")) > 445:
            s = cut_utf8(s, 442) + "..."
        r = rng.random()
        if r < 0.10:
            s = highlight(rng, s, goods)
        elif r < 0.15:
            s = s.replace("“", "&ldquo;", 1).replace("”", "&rdquo;", 1)
        return s

    def complaint(self, rng, j, m):
        """The j-th newest of this platform's m complaints."""
        age = (j + rng.random()) / max(m, 1) * SPAN_S
        filed = int(self.now - age)
        global_idx = self.k * 10_000_000 + (m - 1 - j)  # older: smaller sn
        sn = str(SN_BASE + global_idx * 5 + rng.randrange(5))
        cat = rng.choices(CATS, CAT_W)[0]
        goods = rng.choice(GOODS)
        prob = rng.choice(PROBLEMS[cat])
        sep = "，" if rng.random() < 0.3 else ","
        issue = sep.join(rng.sample(ISSUES, rng.randint(1, 3)))
        appeal = ",".join(rng.sample(APPEALS, rng.randint(1, 3)))
        cost = rng.choice(["%d" % rng.randint(1, 2000), "%.2f" % rng.lognormvariate(4, 1.2),
                           "0"])
        url = "//tousu.sina.com.cn/complaint/view/%s/" % sn
        if filed >= SLD_FROM:
            url += "?sld=" + hashlib.md5(sn.encode()).hexdigest()
        main = {
            "sn": sn,
            "title": self.title(rng, cat, goods, prob),
            "summary": self.summary(rng, goods, prob, filed),
            "cotitle": self.name if rng.random() < 0.9 else
            '<span class="code-red">%s</span>官方' % self.name,
            "couid": self.couid,
            "appeal": appeal,
            "issue": issue,
            "cost": cost,
            "status": rng.choices(STATUSES, STATUS_W)[0],
            "timestamp": str(filed),
            "url": url,
        }
        author = {} if rng.random() < 0.05 else {"title": self.nickname(rng)}
        return {"main": main, "author": author}

    def page(self, p, n_pages, utf8=False):
        """Page p (1 = newest) of n_pages, as bytes."""
        rng = random.Random("%d/%d/%d" % (self.seed, self.k, p))
        m = n_pages * PER_PAGE
        items = [self.complaint(rng, (p - 1) * PER_PAGE + i, m) for i in range(PER_PAGE)]
        doc = {"result": {"status": {"code": 0, "msg": ""}, "data": {
            "complaints": items,
            "pager": {"current": p, "next": p + 1 if p < n_pages else p,
                      "page_amount": n_pages, "item_count": m}}}}
        if utf8:
            return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return json.dumps(doc, separators=(",", ":")).replace("/", "\\/").encode("ascii")


def page_path(outdir, p):
    return os.path.join(outdir, "%06d.json" % p)


def write_pages(outdir, n_pages, seed=1, now=DEFAULT_NOW, platform_index=0, utf8=False):
    """Writes pages 1..n_pages of one platform; returns the list of paths."""
    os.makedirs(outdir, exist_ok=True)
    g = Gen(seed, parse_now(now), n_pages * PER_PAGE, platform_index)
    paths = []
    for p in range(1, n_pages + 1):
        path = page_path(outdir, p)
        with open(path, "wb") as f:
            f.write(g.page(p, n_pages, utf8))
        paths.append(path)
    return paths


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="number of pages (10 complaints each)")
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--now", default=DEFAULT_NOW, help="newest possible filing time (UTC)")
    ap.add_argument("--platform-index", type=int, default=0)
    ap.add_argument("--utf8", action="store_true", help="raw UTF-8 instead of \\u escapes")
    a = ap.parse_args()
    write_pages(a.outdir, a.n, a.seed, a.now, a.platform_index, a.utf8)
    print("%s: %d pages, %d complaints of %s (couid %s)" % (
        a.outdir, a.n, a.n * PER_PAGE, platform_name(a.platform_index),
        platform_couid(a.platform_index)), file=sys.stderr)


if __name__ == "__main__":
    main()
