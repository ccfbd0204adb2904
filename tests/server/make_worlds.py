#!/usr/bin/env python3
"""Write worlds/demo.json and worlds/test.json for the sample server.

Deterministic (seeded): running it twice gives byte-identical files, so the
JSON files are committed and this script is only needed to change them.

    python3 tests/server/make_worlds.py            # rewrite both
    python3 tests/server/make_worlds.py --check    # exit 1 if they are stale

demo.json: the README demo and the scoring scenarios.  Ages are relative
(age_days), so the world stays fresh whatever the date.  Every text is
invented but written the way 卡盟 complaints on 黑猫 read.

test.json: a small fixed world (now = 2026-11-21T00:00:00Z, absolute times)
for the C tests.  Every edge case there is deliberate; see test_world().
"""

import datetime
import hashlib
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SERVICE = "黑猫消费者服务平台"
CST = datetime.timezone(datetime.timedelta(hours=8))

# -- text pools -------------------------------------------------------------------

PRODUCTS = [("京东E卡", ["100", "200", "500"]), ("腾讯Q币", ["10", "50", "100"]),
            ("移动话费快充", ["50", "100", "200"]), ("联通话费", ["50", "100"]),
            ("王者荣耀点券", ["60", "300", "648"]), ("和平精英UC", ["60", "300"]),
            ("爱奇艺黄金会员年卡", ["178"]), ("腾讯视频VIP年卡", ["198"]),
            ("网易一卡通", ["50", "100"]), ("骏网一卡通", ["100", "300"]),
            ("Steam充值卡", ["100", "200"]), ("App Store充值卡", ["100", "500"]),
            ("中石化加油卡", ["500", "1000"]), ("原神创世结晶", ["328", "648"])]

NICKS = ["晚风不吹喵", "清欢渡喵", "南巷旧人", "一只咸鱼喵", "橘子汽水", "夜航船喵", "山川河流",
         "小鹿乱撞喵", "阿北不北", "星河滚烫", "木子李喵", "凉城半夏", "追光者", "糖醋排骨喵",
         "等风来", "不吃香菜喵", "柠檬不萌", "海盐芝士", "奶茶三分糖", "逆风飞翔喵", "白开水",
         "路人甲乙丙", "岁月静好喵", "大橘为重", "夏末微凉", "打工人小王", "游戏宅老张",
         "陈先生喵", "刘女士", "林深时见鹿", "月亮邮递员", "沉默的羔羊喵", "风吹麦浪",
         "宝宝巴士", "九月初九喵", "半糖主义", "孤独的美食家", "十一月的肖邦", "北方的狼",
         "云淡风轻喵", "小熊饼干", "代理小周", "代理阿明", "充值老用户", "萌新求助喵",
         "蓝色大海", "番茄炒蛋", "七里香喵", "天天向上", "微光", "黄小姐喵", "周一见",
         "吃土少年", "一颗柚子", "熬夜冠军喵", "雨后彩虹", "王同学", "赵先生喵", "老实人",
         "暴躁小孙", "钱包空空喵", "卡盟受害者", "追风少年", "匿名的猫"]


def order_no(rng):
    return "%s****%04d" % (rng.choice(["2024", "2025", "2026", "KM", "DD"]), rng.randrange(10000))


def acct(rng):
    return "1%d*****%03d" % (rng.choice([3, 5, 8, 9]) * 10 + rng.randrange(10), rng.randrange(1000))


def when(rng):
    return rng.choice(["上周", "前几天", "本月初", "月中", "前天", "大前天"])


CATEGORY_TEXT = {
    "卡密无效": (
        ["在{m}购买的{p}卡密提示已被使用", "{p}卡密无效，{m}迟迟不补发", "{m}出售的{p}卡密兑换失败",
         "{m}卡密错误，面额不符"],
        "本人{w}在{m}购买{p}{a}元{n}张，订单号{o}。提取卡密后到官方平台兑换，提示“卡密已被使用”。"
        "联系在线客服，客服让等供货商核实，已经过去{d}天没有结果。要求{m}补发有效卡密或者全额退款。",
        ["卡密无效", "卡密已被使用,兑换失败", "卡密无效，补发拖延"], ["退款", "退款,补发卡密", "补发,道歉"]),
    "未发货": (
        ["{p}充值显示成功但一直未到账", "{m}{p}{d}天未到账", "{m}下单后不发货也不退款"],
        "{w}在{m}下单充值{p}{a}元，充值账号{c}，订单状态显示“充值成功”，但实际一直没有到账。"
        "客服说是渠道延迟让继续等，到现在{d}天了，既不到账也不给退款。",
        ["充值未到账", "未到账，不退款", "订单未发货"], ["退款", "退款,赔偿"]),
    "退款难": (
        ["{m}充值失败拒绝退款", "{p}订单取消后{m}不退款", "{m}以各种理由拖延退款"],
        "{w}在{m}购买{p}{a}元，订单提示充值失败。申请退款后客服说要扣除{f}%手续费才能退，"
        "平台规则里根本没有写。要求按原价全额退款。",
        ["拒绝退款", "退款难,乱扣手续费"], ["退款", "退款,道歉"]),
    "客服失联": (
        ["{m}客服不回消息，订单一直处理中", "{m}客服失联，问题无人理睬", "联系不到{m}客服"],
        "{w}在{m}购买{p}{a}元，订单一直“处理中”。在线客服、QQ客服都不回复，提交工单后无人理睬，"
        "打平台留的电话也是空号。钱已经付了，东西没收到，请平台督促处理。",
        ["客服不回", "客服失联,订单未处理", "无人理睬"], ["退款", "退款,作出处罚"]),
    "提现": (
        ["{m}代理余额提现审核{d}天不到账", "{m}冻结账户拒绝提现", "{m}提现一直审核中"],
        "本人在{m}做代理，{w}申请提现{a}元到支付宝，一直显示“审核中”。客服先说系统维护，"
        "后来说需要再充值{f}00元“激活通道”才能提现，明显不合理。要求立即处理提现。",
        ["无法提现", "提现不到账,余额冻结", "提现审核拖延"], ["退款", "退款,作出处罚"]),
    "跑路": (
        ["{m}跑路了，账户余额无法使用", "{m}网站打不开，客服群解散", "{m}卷款跑路，代理余额全没了"],
        "本人是{m}的代理，{w}充值余额{a}元用于进货。{d}天前网站突然打不开，QQ客服把我拉黑，"
        "代理群也解散了，账户里还有{a}元余额。平台明显是卷款跑路，请黑猫帮忙督促退款，已向当地公安报案。",
        ["平台跑路,余额无法退还", "网站打不开，联系不上老板"], ["退款,作出处罚"]),
    "诈骗": (
        ["{m}以升级代理为名诈骗", "{m}客服诱导充值后拉黑", "{m}是骗子平台，骗钱后不认账"],
        "{w}{m}客服主动联系我，说升级高级代理可以享受更低进货价，让我转账{a}元“开通费”。"
        "转账后对方又以“保证金”为由要求继续转账，我拒绝后就被拉黑。这是典型的诈骗。",
        ["诈骗,虚假宣传", "诱导充值后拉黑"], ["退款,作出处罚,道歉"]),
    "虚假宣传": (
        ["{m}宣传秒到账实际延迟两天", "{m}返利活动不兑现"],
        "{m}首页写着“秒到账，不到账全额赔付”，{w}购买{p}{a}元，两天后才到账。找客服要求按承诺赔付，"
        "客服说活动解释权归平台所有。",
        ["虚假宣传", "返利不兑现"], ["赔偿,道歉"]),
}

# Merchant answers by category (fast and slow), and the 申请完成投诉 solutions.
REPLY_GOOD = {
    "卡密无效": ["您好，这里是{m}售后。已核实您的订单{o}，卡密为供货渠道重复出卡导致，已为您补发新卡密，请查收。",
               "您好，经核实该批次卡密异常，已为您更换卡密并测试可正常兑换，给您带来不便深表歉意。"],
    "未发货": ["您好，经核实订单充值失败，款项{a}元已原路退回，预计1-3个工作日到账，请留意。",
            "您好，订单因上游渠道维护延迟，现已重新提交并充值成功，请查看账户。"],
    "退款难": ["您好，已按原价为您全额退款{a}元，不收取手续费，给您带来不便深表歉意。"],
    "*": ["您好，已联系您核实情况，问题已处理，感谢您的耐心等待。"],
}
REPLY_SLOW = ["您好，您反馈的问题已提交技术部门核查，请耐心等待。",
              "您好，我们已收到您的投诉，正在与供货商核实，请保持电话畅通。",
              "您好，订单情况需要进一步核实，请提供付款截图发送至客服邮箱。"]
SOLUTION = {
    "卡密无效": ["解决方案：已补发有效卡密，用户确认可正常兑换。", "最终解决方案：已更换卡密并补偿5元余额。"],
    "未发货": ["解决方案：已全额退款{a}元至用户原支付账户。", "最终解决方案：订单已重新充值成功。"],
    "退款难": ["解决方案：已全额退款{a}元至用户原支付账户。"],
    "*": ["解决方案：已与用户协商处理完毕。"],
}
EVAL_TEXT = ["处理及时，客服态度好。", "问题解决了，还算满意。", "退款到账了，谢谢黑猫。", "比较慢，但最后解决了。"]


class Gen:
    """Builds complaints for one world, keeping sns and nicknames unique."""

    def __init__(self, seed, relative=True):
        self.rng = random.Random(seed)
        self.relative = relative
        self.used_sn = set()
        self.nicks = list(NICKS)
        self.rng.shuffle(self.nicks)
        self.complaints = []

    def nick(self):
        if self.nicks:
            return self.nicks.pop()
        return "黑猫用户%05d" % self.rng.randrange(100000)

    def sn_for_age(self, age):
        """Complaint numbers grow with time (~1739xxxxxxx in 2025-26)."""
        sn = 17395200000 - int(age * 3100) + self.rng.randrange(0, 90)
        while sn in self.used_sn or sn + 1 in self.used_sn:
            sn += 2
        self.used_sn.add(sn)
        return sn

    def text(self, cat, m):
        titles, summary, issues, appeals = CATEGORY_TEXT[cat]
        rng = self.rng
        p, amounts = rng.choice(PRODUCTS)
        a = rng.choice(amounts)
        fill = dict(m=m, p=p, a=a, n=rng.choice(["一", "两", "三"]), o=order_no(rng), c=acct(rng),
                    d=rng.randrange(3, 16), f=rng.choice([5, 10, 20]), w=when(rng))
        fill["cat"] = cat
        return (rng.choice(titles).format(**fill), summary.format(**fill), rng.choice(issues),
                rng.choice(appeals), a, fill)

    def complaint(self, couid, m, cat, age, status, reply_days=None, completion=None,
                  rating=None, author=True, cost=True):
        """One complaint with a timeline consistent with its status.

        reply_days: merchant 回复 this many days after filing (None = never);
        completion: "user" (确认完成 + 评价), "auto" (自动完成) or None."""
        rng = self.rng
        title, summary, issue, appeal, amount, fill = self.text(cat, m)
        sn = self.sn_for_age(age)
        c = {"sn": str(sn), "couid": couid, "title": title, "summary": summary, "issue": issue,
             "appeal": appeal, "status": status, "age_days": round(age, 4)}
        if cost:
            c["cost"] = amount
        c["author"] = self.nick() if author else None
        if age < 700:          # links carry sld only from late 2024 on (research §1.4)
            c["sld"] = "%032x" % rng.getrandbits(128)
        if rng.random() < 0.4:
            c["service"] = m + rng.choice(["官网", "代理后台", "APP"])
        tl = [{"actor": "user", "event": "发起投诉", "after_days": 0},
              {"actor": "platform", "event": "审核通过", "after_days": round(rng.uniform(0.2, 0.9), 3),
               "text": "您的投诉已通过审核，已转交商家处理。"}]
        if status in (4, 6, 7, 8):
            tl.append({"actor": "platform", "event": "商家处理中", "after_days": round(rng.uniform(0.95, 1.0), 3),
                       "text": "商家已收到投诉，正在处理中，请耐心等待。"})
        if reply_days is not None:
            pool = REPLY_GOOD.get(cat, REPLY_GOOD["*"]) if reply_days <= 2.5 else REPLY_SLOW
            tl.append({"actor": "merchant", "event": "回复", "after_days": reply_days,
                       "text": rng.choice(pool).format(**fill)})
        if completion:
            t = (reply_days or 1) + rng.uniform(0.3, 2.0)
            tl.append({"actor": "merchant", "event": "申请完成投诉", "after_days": round(t, 3),
                       "text": rng.choice(SOLUTION.get(cat, SOLUTION["*"])).format(**fill)})
            if completion == "user":
                tl.append({"actor": "user", "event": "确认完成", "after_days": round(t + 0.5, 3),
                           "text": "问题已解决，感谢处理。"})
                stars = rating or [5, 5, 5]
                ev_text = rng.choice(EVAL_TEXT)
                tl.append({"actor": "user", "event": "评价", "after_days": round(t + 0.52, 3),
                           "text": ev_text, "stars": stars})
                c["evaluate_u"] = {"attitude": stars[0], "process": stars[1], "satisfaction": stars[2],
                                   "evalContent": ev_text}
            else:
                tl.append({"actor": "platform", "event": "自动完成", "after_days": round(t + 7, 3),
                           "text": "商家已申请完成投诉，用户超时未确认，系统自动完成。"})
        if status == 8:
            tl.append({"actor": "platform", "event": "回复", "after_days": 20,
                       "text": "经核实，该投诉长时间未补充材料，平台已关闭。"})
        c["timeline"] = tl
        self.complaints.append(c)
        return c


# -- 聚投诉 --------------------------------------------------------------------------

JTS_SAMPLES = os.path.join(HERE, "..", "data", "jutousu", "nengqiang-test_jutousu_DERIVED.json")
JTS_COOKIE = "jutous_session_id=8f1c2d3e4a5b6c7d"
JTS_LABELS = (("高利贷", "高利贷"), ("暴力催收", "威胁"), ("暴力催收", "恐吓"), ("骚扰", "骚扰"),
              ("欺诈", "欺诈"), ("砍头息", "砍头息"))


def jts_username(seed):
    """A synthetic masked-phone username, stable per seed."""
    h = int(hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12], 16)
    return "1%d%d****%04d" % (3 + h % 7, h // 7 % 10, h // 70 % 10000)


def jts_samples():
    """SAMPLE: the 100 real 聚投诉 complaints about 功夫贷 (Nov 2019) in
    tests/data/jutousu/nengqiang-test_jutousu_DERIVED.json (a byte copy of
    ../shared/samples/complaints/jutousu/, see PROVENANCE.md there): id from
    the link, title, short_topic = topic = overview ($.shortTopic), shuqiu =
    appeal, filed = time / 1000.  labels are derived from the text and the
    usernames are synthetic (neither is in the sample)."""
    with open(JTS_SAMPLES, encoding="utf-8") as f:
        rows = json.load(f)
    out = []
    for r in rows:
        cid = r["link"].rsplit("/", 1)[1]
        text = r["title"] + r["overview"]
        labels = []
        for label, word in JTS_LABELS:
            if word in text and label not in labels:
                labels.append(label)
        out.append({"id": cid, "merchant": "2352", "title": r["title"], "topic": r["overview"],
                    "short_topic": r["overview"], "shuqiu": r["appeal"], "labels": labels,
                    "username": jts_username(cid),
                    "filed": datetime.datetime.fromtimestamp(r["time"] // 1000, CST).isoformat()})
    return out


def jts_dup(hm, cid, mid, later_hours, shuqiu, labels):
    """A 聚投诉 complaint telling the same story as 黑猫 complaint hm: same
    title and text, filed later_hours after it, by the same person."""
    c = {"id": cid, "merchant": mid, "title": hm["title"], "topic": hm["summary"], "shuqiu": shuqiu,
         "labels": labels, "username": hm.get("author") or jts_username(cid)}
    if "age_days" in hm:
        c["age_days"] = round(hm["age_days"] - later_hours / 24.0, 4)
    else:
        dt = datetime.datetime.fromisoformat(hm["filed"]) + datetime.timedelta(hours=later_hours)
        c["filed"] = dt.isoformat()
    return c


def jts_card_platform(mid, first_id, when):
    """(d) An untracked card platform, 速发卡盟, for a later `discover`: three
    complaints about 卡密.  when(i) gives each one's time fields."""
    texts = [
        ("速发卡盟卡密无效，客服不补发", "在速发卡盟购买的京东E卡200元，提取的卡密兑换时提示“卡密已被使用”。"
         "联系客服只说核实中，三天没有结果，要求补发有效卡密或者退款。", "退款,补发卡密", ["卡密无效"]),
        ("速发卡盟卖重复卡密", "速发卡盟发给我的两张腾讯Q币卡密是同一组，第二张根本无法充值，客服不承认。",
         "退款,道歉", ["卡密无效", "虚假宣传"]),
        ("速发卡盟下单扣款不发卡密", "在速发卡盟下单网易一卡通100元，支付成功后订单一直显示处理中，没有发卡密，"
         "客服QQ不回复。", "退款", ["未发货"]),
    ]
    out = []
    for i, (title, topic, shuqiu, labels) in enumerate(texts):
        c = {"id": str(first_id + i), "merchant": mid, "title": title, "topic": topic, "shuqiu": shuqiu,
             "labels": labels, "username": jts_username("sufa%d" % i)}
        c.update(when(i))
        out.append(c)
    return out


# -- discover: untracked card platforms and what must not be taken for one ----------

DISCOVER_MERCHANTS = [("7100000001", "闪电发卡网"), ("7100000002", "腾讯游戏官方旗舰店"),
                      ("7100000003", "招商银行信用卡中心"), ("7100000004", "老牌点卡网")]

# (couid, title, summary, issue, appeal, status, author); the order is the
# order of the `when` argument of discover_heimao.
DISCOVER_TEXTS = [
    # (1) 闪电发卡网: an untracked card platform, 卡密/自动发卡 and one 跑路.
    ("7100000001", "闪电发卡网卡密无效，客服不补发",
     "在闪电发卡网购买腾讯Q币100元，自动发卡发出的卡密兑换时提示“卡密已被使用”。联系客服一直说核实中，"
     "三天没有结果，要求补发有效卡密或者全额退款。", "卡密无效", "退款,补发卡密", 4, "夜猫子阿杰"),
    ("7100000001", "闪电发卡网自动发卡付款后不发货",
     "在闪电发卡网下单京东E卡200元，付款成功后自动发卡页面一直显示“等待发货”，没有收到卡密，"
     "客服QQ不回复，订单号DD****3321。", "付款后未发卡密", "退款", 3, "小林同学喵"),
    ("7100000001", "闪电发卡网卷款跑路，网站打不开",
     "本人是闪电发卡网的代理，账户里还有1500元余额。三天前网站突然打不开，客服群解散，老板把我拉黑了，"
     "明显是卷款跑路，已向当地公安报案。", "平台跑路,余额无法退还", "退款,作出处罚", 3, "代理老郑"),
    # (2) 腾讯游戏官方旗舰店: 点卡 and 卡密 in the text, not a card platform.
    ("7100000002", "点卡充值未到账",
     "在腾讯游戏官方旗舰店购买的游戏点卡100元，用卡密充值后一直未到账，客服让等待24小时，已经三天了。",
     "充值未到账", "退款", 4, "王者玩家小赵"),
    ("7100000002", "购买的点卡卡密无法使用",
     "在腾讯游戏官方旗舰店买了两张游戏点卡，其中一张卡密提示无效，联系客服要求补发，一直没有处理。",
     "卡密无效", "补发", 4, "原神旅行者"),
    # (3) 招商银行信用卡中心: a bank; 代充 once.
    ("7100000003", "信用卡年费未经同意被扣",
     "招商银行信用卡中心在我不知情的情况下扣除年费300元，办卡时业务员承诺首年免年费，要求退还年费。",
     "乱收年费", "退款", 4, "上班族李女士"),
    ("7100000003", "信用卡出现不明扣款",
     "我的招商银行信用卡被扣款200元，账单显示为某代充话费平台的消费，本人从未办理过，要求银行调查并退款。",
     "不明扣款", "退款,道歉", 3, "退休老周"),
    # (4) 老牌点卡网: an untracked card platform whose complaints are 400+ days old.
    ("7100000004", "老牌点卡网卡密无效不退款",
     "在老牌点卡网购买的骏网一卡通100元卡密无效，客服说是供货商的问题，拒绝退款。", "卡密无效", "退款",
     4, "老玩家阿飞"),
    ("7100000004", "老牌点卡网话费充值不到账",
     "在老牌点卡网充值移动话费100元，显示成功但一直没有到账，客服不回复。", "充值未到账", "退款", 4,
     "学生党小陈"),
]


def discover_heimao(sns, when):
    """The 黑猫 merchants and complaints `kmrep discover` must find or must not
    list: (1) untracked card platform 闪电发卡网 7100000001 (3 complaints within
    60 days, distinct authors, one 跑路); (2) 腾讯游戏官方旗舰店 7100000002 (2,
    点卡 and 卡密 in the text); (3) 招商银行信用卡中心 7100000003 (2, 代充
    once); (4) the old card platform 老牌点卡网 7100000004 (2, 400+ days old).
    sns[i] and when(i) give complaint i's number and time fields."""
    out = []
    for i, (couid, title, summary, issue, appeal, status, author) in enumerate(DISCOVER_TEXTS):
        c = {"sn": sns[i], "couid": couid, "title": title, "summary": summary, "issue": issue,
             "appeal": appeal, "status": status, "author": author,
             "sld": hashlib.md5(("sld-discover-%d" % i).encode()).hexdigest()}
        c.update(when(i))
        out.append(c)
    return [{"couid": k, "title": v} for k, v in DISCOVER_MERCHANTS], out


def jts_noncard(mid, cid, when):
    """(e) A keyword hit that is not a card platform: 中国移动在线营业厅, whose
    complaint says 代充 (and neither 卡盟 nor 卡密)."""
    c = {"id": cid, "merchant": mid, "title": "话费代充订单未到账",
         "topic": "在中国移动在线营业厅办理话费代充100元，订单显示已支付，但手机号一直没有到账，客服让等待72小时。",
         "shuqiu": "退款", "labels": ["未到账"], "username": jts_username("yidong0")}
    c.update(when)
    return c


# -- demo world ---------------------------------------------------------------------

# Ages (days) of the discover complaints in DISCOVER_TEXTS' order.
DEMO_DISCOVER_AGES = (3.2, 11.6, 26.4, 8.3, 35.7, 14.9, 52.1, 431.5, 612.25)
TEST_DISCOVER_FILED = ("2026-11-17T13:20:00+08:00", "2026-11-06T09:45:00+08:00", "2026-10-14T22:10:00+08:00",
                       "2026-11-12T19:30:00+08:00", "2026-10-25T11:00:00+08:00",
                       "2026-11-03T08:15:00+08:00", "2026-09-28T16:40:00+08:00",
                       "2025-08-14T10:00:00+08:00", "2025-05-20T15:00:00+08:00")

M = {  # name -> couid (all > 2^32)
    "启慧卡盟": "7301845520", "启慧卡盟官方旗舰店": "7301845537", "新启慧卡盟": "7302210018",
    "星辰卡盟": "6938201174", "云端卡盟": "6817736502", "鑫源卡盟": "7355120846",
    "速达卡盟": "7012458893", "诚信卡盟": "6590011235", "金盾卡盟": "7120984467",
}


def footer(licence, police=None, company="", link=True):
    num = '<a href="https://beian.miit.gov.cn/" target="_blank">%s</a>' % licence if link else licence
    s = '<p>Copyright &copy; 2019-2026 %s 版权所有</p>\n<p>%s' % (company, num)
    if police:
        s += ' | <span class="police-record"><img src="/static/police.png" alt="">%s</span>' % police
    return s + "</p>"


def icp_rec(domain, did, mid, sid, unit, nature, main, n, updated, content=""):
    return {"contentTypeName": content, "domain": domain, "domainId": did, "leaderName": "",
            "limitAccess": "否", "mainId": mid, "mainLicence": main, "natureName": nature,
            "serviceId": sid, "serviceLicence": "%s-%d" % (main, n), "unitName": unit,
            "updateRecordTime": updated}


def demo_world():
    g = Gen(20261121)
    r = g.rng

    # 启慧卡盟: safe.  25 complaints over 3 years, answered in 1-2 days, mostly 已完成.
    ages = sorted([r.uniform(200, 1080) for _ in range(12)] + [r.uniform(20, 190) for _ in range(12)], reverse=True)
    cats = ["卡密无效", "未发货", "退款难", "卡密无效", "未发货"]
    for i, age in enumerate(ages):
        status = 6 if i == 5 else 8 if i == 9 else 7
        g.complaint(M["启慧卡盟"], "启慧卡盟", cats[i % 5], age, status,
                    reply_days=round(r.uniform(0.6, 1.9), 3),
                    completion=None if status != 7 else ("user" if i % 3 else "auto"),
                    rating=r.choice([[5, 5, 5], [5, 4, 5], [4, 4, 4], [5, 5, 4]]))
    g.complaint(M["启慧卡盟"], "启慧卡盟", "未发货", 9.3, 6, reply_days=1.1)

    # Look-alikes that a name search also returns.
    for age, status in ((45, 4), (88, 3), (130, 4), (210, 3)):
        g.complaint(M["启慧卡盟官方旗舰店"], "启慧卡盟官方旗舰店", "诈骗", age + r.random(), status)
    g.complaint(M["新启慧卡盟"], "新启慧卡盟", "未发货", 60.4, 6, reply_days=4.2)
    g.complaint(M["新启慧卡盟"], "新启慧卡盟", "退款难", 300.7, 7, reply_days=3.1, completion="auto")

    # 星辰卡盟: middling.  15 complaints, slow replies (3-6 days), mixed 6/7/4.
    plan = [(700, 7, "user"), (610, 6, None), (560, 7, "auto"), (470, 4, None), (430, 6, None),
            (380, 7, "user"), (300, 7, "auto"), (260, 6, None), (200, 7, "auto"), (150, 6, None),
            (120, 7, "auto"), (95, 7, "user"), (70, 4, None), (40, 6, None)]
    for age, status, comp in plan:
        g.complaint(M["星辰卡盟"], "星辰卡盟", r.choice(["卡密无效", "未发货", "退款难"]),
                    age + r.random(), status, reply_days=None if status == 4 else round(r.uniform(2.6, 5.5), 3),
                    completion=comp, rating=[3, 3, 3])

    # One complaint filed against two merchants (星辰 resold 云端's cards): consecutive sns,
    # same text and time, different couid/status.
    pair = g.complaint(M["星辰卡盟"], "星辰卡盟", "卡密无效", 33.25, 6, reply_days=4.8)
    twin = dict(pair, sn=str(int(pair["sn"]) + 1), couid=M["云端卡盟"], status=4,
                sld="%032x" % r.getrandbits(128),
                timeline=[s for s in pair["timeline"] if s["actor"] != "merchant"])
    twin.pop("cotitle", None)
    g.used_sn.add(int(twin["sn"]))
    g.complaints.append(twin)

    # 云端卡盟: ignoring.  20 complaints (incl. the twin), all 处理中/待分配, never answered.
    for i in range(19):
        age = r.uniform(3, 540) if i > 3 else r.uniform(16, 85)
        g.complaint(M["云端卡盟"], "云端卡盟", r.choice(["未发货", "客服失联", "卡密无效", "退款难"]),
                    age, 4 if i % 3 else 3, author=(i != 7))

    # 鑫源卡盟: defrauding.  Fine until recently, then 跑路/诈骗 by distinct users in the last 30 days.
    for age in (420.5, 333.2, 250.8):
        g.complaint(M["鑫源卡盟"], "鑫源卡盟", "未发货", age, 7, reply_days=2.2, completion="auto")
    for age, cat in ((1.4, "跑路"), (2.6, "跑路"), (4.1, "跑路"), (5.8, "跑路"), (9.5, "诈骗"), (21.0, "提现")):
        g.complaint(M["鑫源卡盟"], "鑫源卡盟", cat, age, 3 if age < 5 else 4)

    # 速达卡盟: spiking.  Quiet, resolved history; then 7 提现/客服失联 complaints in 14 days.
    for age in (1010.5, 870.2, 690.3, 540.6, 410.2, 300.9, 215.4, 160.8, 130.1):
        g.complaint(M["速达卡盟"], "速达卡盟", r.choice(["未发货", "卡密无效"]), age, 7,
                    reply_days=round(r.uniform(0.8, 2.0), 3), completion="user", rating=[5, 4, 5])
    for age, cat in ((0.8, "提现"), (2.2, "客服失联"), (3.9, "提现"), (6.1, "提现"),
                     (8.7, "客服失联"), (12.6, "提现")):
        g.complaint(M["速达卡盟"], "速达卡盟", cat, age, 3 if age < 4 else 4)

    # 诚信卡盟: the merchant exists on 黑猫 with no complaints at all.

    # 金盾卡盟: some complaints; its footer shows another domain's ICP number.
    for age, status, comp in ((380.4, 7, "user"), (290.1, 7, "auto"), (205.6, 6, None), (150.3, 7, "user"),
                              (88.8, 6, None), (47.2, 4, None), (23.9, 4, None), (11.5, 3, None)):
        g.complaint(M["金盾卡盟"], "金盾卡盟", r.choice(["卡密无效", "未发货", "虚假宣传"]), age, status,
                    reply_days=None if status in (3, 4) else round(r.uniform(1.5, 3.0), 3), completion=comp)

    # For `discover` (no random draws, so everything above stays as it was).
    ages = DEMO_DISCOVER_AGES
    sns = []
    for age in ages:
        sn = 17395200000 - int(age * 3100) + 45
        while sn in g.used_sn or sn + 1 in g.used_sn:
            sn += 2
        g.used_sn.add(sn)
        sns.append(str(sn))
    discover_merchants, discover_complaints = discover_heimao(sns, lambda i: {"age_days": ages[i]})
    g.complaints += discover_complaints

    records = [
        icp_rec("qihui-km.com", 990012340001, 330000123456, 990012345001, "杭州启慧网络科技有限公司", "企业",
                "浙ICP备19034567号", 1, "2025-06-12 14:22:31"),
        icp_rec("qihuika.cn", 990012340002, 330000123456, 990012345002, "杭州启慧网络科技有限公司", "企业",
                "浙ICP备19034567号", 2, "2025-06-12 14:22:31"),
        icp_rec("xingchen-km.com", 990023450001, 440000234567, 990023456001, "深圳市星辰数码科技有限公司", "企业",
                "粤ICP备2020087654号", 2, "2024-03-08 09:41:05"),
        icp_rec("yunduan-km.cn", 990034560001, 430000345678, 990034567001, "刘建华", "个人",
                "湘ICP备2023012345号", 1, "2023-11-20 16:03:44"),
        icp_rec("suda-km.net", 990045670001, 510000456789, 990045678001, "成都速达网络科技有限公司", "企业",
                "蜀ICP备2026004512号", 1, "2026-02-27 10:15:09"),
        icp_rec("chengxin-km.com", 990056780001, 320000567890, 990056789001, "南京诚信电子商务有限公司", "企业",
                "苏ICP备17023456号", 3, "2025-09-30 11:30:00"),
        # The number 金盾卡盟 prints belongs to this unrelated company.
        icp_rec("shxinda-data.com", 990067890001, 310000678901, 990067890101, "上海信达数据服务有限公司", "企业",
                "沪ICP备18023456号", 1, "2024-07-15 15:47:22"),
    ]
    sites = {
        "qihui-km.com": {"title": "启慧卡盟 - 专业虚拟商品自动发卡平台", "meta_icp": "浙ICP备19034567号-1",
                         "footer": footer("浙ICP备19034567号-1", "浙公网安备 33010602011234号", "杭州启慧网络科技有限公司")},
        "xingchen-km.com": {"title": "星辰卡盟 - 点卡话费游戏充值", "charset": "gbk",
                            "footer": footer("粤ICP备2020087654号", None, "深圳市星辰数码科技有限公司")},
        "yunduan-km.cn": {"title": "云端卡盟", "footer": footer("湘ICP备2023012345号-1", None, "云端卡盟", link=False)},
        "xinyuan-km.com": {"title": "鑫源卡盟 - 代理招募中", "footer": "<p>Copyright &copy; 鑫源卡盟 本站服务器位于香港</p>",
                           "body": '<div class="notice">系统升级维护中，充值、提现功能暂停使用，恢复时间另行通知。</div>'},
        "suda-km.net": {"title": "速达卡盟 - 秒到账", "meta_icp": "蜀ICP备2026004512号-1",
                        "footer": footer("蜀ICP备2026004512号-1", None, "成都速达网络科技有限公司")},
        "chengxin-km.com": {"title": "诚信卡盟 - 诚信经营 放心充值",
                            "footer": footer("苏ICP备17023456号-3", "苏公网安备 32010502010987号", "南京诚信电子商务有限公司")},
        "jindun-km.com": {"title": "金盾卡盟 - 安全 快速 稳定", "footer": footer("沪ICP备18023456号-1", None, "金盾网络")},
    }
    return {
        "description": "kmrep README demo and scoring scenarios. Generated by make_worlds.py; "
                       "times are relative to now (age_days), so the world never goes stale.",
        "seed": 20261121,
        "heimao": {"cookie": "SUB=_2AkMdemo",
                   "merchants": [{"couid": v, "title": k} for k, v in M.items()] + discover_merchants,
                   "complaints": g.complaints},
        "icp": {"require_captcha": False, "token_ttl_queries": 0, "records": records},
        "sites": sites,
        "jutousu": demo_jutousu(g.complaints),
        "faults": [],
    }


def demo_jutousu(heimao_complaints):
    """(a) 功夫贷 2352 with the 100 SAMPLE texts; (b) 鑫源卡盟 (the riskiest
    demo platform) as 聚投诉 merchant 38011: its three newest 黑猫 complaints
    told again (2260101-2260103, filed 3 h after each) and three new ones
    (2260104-2260106); (c) 云端卡盟: no merchant, two complaints found only by
    keyword (2260201, 2260202) and the look-alike 云端卡盟官方店 (2260203);
    (d) untracked 速发卡盟 38012 (2260301-2260303); (e) the non-card keyword
    hit 中国移动在线营业厅 38013 (2260401, 话费代充)."""
    xinyuan = sorted((c for c in heimao_complaints if c["couid"] == M["鑫源卡盟"]),
                     key=lambda c: c["age_days"])[:3]
    cs = jts_samples()
    for i, hm in enumerate(xinyuan):
        cs.append(jts_dup(hm, str(2260101 + i), "38011", 3, "退款,作出处罚", ["跑路"]))
    for i, (age, title, topic, shuqiu) in enumerate((
            (0.6, "鑫源卡盟跑路，代理余额无法提现", "本人是鑫源卡盟的代理，账户余额3200元，网站公告说系统升级维护，"
             "充值提现全部暂停，客服群已经解散，老板电话关机。", "退款,作出处罚"),
            (3.3, "鑫源卡盟关站卷款", "鑫源卡盟前天开始网站打不开，之前充值的1000元余额没有用，客服QQ把我拉黑了。",
             "退款"),
            (12.4, "鑫源卡盟提现要交“激活费”", "在鑫源卡盟申请提现500元，客服说要先充值200元激活提现通道，"
             "充值后又说要再交保证金，明显是骗局。", "退款,道歉"))):
        cs.append({"id": str(2260104 + i), "merchant": "38011", "title": title, "topic": topic,
                   "shuqiu": shuqiu, "labels": ["跑路"], "username": jts_username("xinyuan%d" % i),
                   "age_days": age})
    for i, (age, name, title, topic) in enumerate((
            (18.2, "云端卡盟", "云端卡盟充值不到账客服不理", "在云端卡盟充值移动话费100元，一周了没到账，客服一直不回复。"),
            (47.5, "云端卡盟", "云端卡盟卡密无效不退款", "云端卡盟买的京东E卡卡密无效，申请退款没人处理。"),
            (9.8, "云端卡盟官方店", "云端卡盟官方店发货慢", "在云端卡盟官方店买的Q币两天才到账。"))):
        cs.append({"id": str(2260201 + i), "merchantname": name, "title": title, "topic": topic,
                   "shuqiu": "退款", "labels": ["未到账"], "username": jts_username("yunduan%d" % i),
                   "age_days": age})
    cs += jts_card_platform("38012", 2260301, lambda i: {"age_days": (2.5, 15.25, 40.75)[i]})
    cs.append(jts_noncard("38013", "2260401", {"age_days": 6.7}))
    return {"cookie": JTS_COOKIE,
            "merchants": [{"id": "2352", "name": "功夫贷"}, {"id": "38011", "name": "鑫源卡盟"},
                          {"id": "38012", "name": "速发卡盟"}, {"id": "38013", "name": "中国移动在线营业厅"}],
            "complaints": cs}


# -- test world -------------------------------------------------------------------------

def test_world():
    """Small, fixed and hand-checked: every value below is what a C test may
    assert on.  now = 2026-11-21T00:00:00Z (= 08:00 in Shanghai)."""
    A, B, Z = "6384912431", "4294967297", "7000000003"       # B is 2^32 + 1
    cs = []

    def add(i, filed, status, title, **kw):
        c = {"sn": "173900001%02d" % i, "couid": A, "title": title, "status": status, "filed": filed,
             "summary": kw.pop("summary", "在测试卡盟购买的京东E卡100元卡密无效，订单号2026****0%02d。" % i),
             "issue": kw.pop("issue", "卡密无效"), "appeal": kw.pop("appeal", "退款"),
             "cost": kw.pop("cost", "100"), "author": kw.pop("author", "测试用户%02d" % i),
             "sld": kw.pop("sld", hashlib.md5(b"sld-%d" % i).hexdigest())}
        if c["cost"] is None:
            del c["cost"]
        if c["sld"] is None:
            del c["sld"]
        c.update(kw)
        cs.append(c)
        return c

    long_text = ("本人于2026年10月3日在测试卡盟购买“王者荣耀点券648”三份，订单号202*****CE005，付款手机"
                 "138****5678。提取卡密后兑换提示卡密无效，客服称“系统已发货不予处理”。之后多次联系客服，"
                 "对方先让提供截图，又让等待供货商核实，拖了十几天没有结果，最后直接不回复消息。要求平台退还"
                 "全部货款1944元，并对商家作出处罚。补充：同批次购买的朋友也遇到同样的问题，已一并截图留证。")
    full_timeline = [
        {"actor": "user", "event": "发起投诉", "at": "2025-12-30T23:50:00+08:00"},
        {"actor": "platform", "event": "审核通过", "at": "2025-12-31T10:00:00+08:00",
         "text": "您的投诉已通过审核，已转交商家处理。"},
        {"actor": "platform", "event": "商家处理中", "at": "2025-12-31T10:00:05+08:00",
         "text": "商家已收到投诉，正在处理中，请耐心等待。"},
        {"actor": "merchant", "event": "回复", "at": "2026-01-02T09:30:00+08:00",
         "text": "您好，已核实，正在为您补发卡密。"},
        {"actor": "merchant", "event": "申请完成投诉", "at": "2026-01-02T15:00:00+08:00",
         "text": "解决方案：已补发卡密。"},
        {"actor": "merchant", "event": "申请完成投诉", "at": "2026-01-03T11:00:00+08:00",
         "text": "最终解决方案：已补发有效卡密并退还差价10元。"},
        {"actor": "user", "event": "确认完成", "at": "2026-01-03T20:00:00+08:00", "text": "已解决。"},
        {"actor": "user", "event": "评价", "at": "2026-01-03T20:01:00+08:00",
         "text": "处理及时", "stars": [5, 4, 5]},
    ]
    # Newest first = page 1.  Statuses cover 1,3,4,6,7,8 and the unseen 9.
    add(1, "2026-11-20T21:15:00+08:00", 1, "&quot;双11&quot;活动卡密无效 &amp; 客服不回",
        issue="卡密无效，客服不回", appeal="退款,道歉,退款")
    add(2, "2026-11-19T12:00:00+08:00", 3, "话费充值未到账", cost="", issue="充值未到账，不退款")
    add(3, "2026-11-18T08:30:00+08:00", 4, "<span class=\"code-red\">卡密</span>无效", cost=None)
    add(4, "2026-11-15T16:45:10+08:00", 9, "未知状态的投诉", status_label="审核中")
    add(5, "2026-11-10T10:00:00+08:00", 4, "仅本人可见的投诉", private=True)
    add(6, "2026-11-01T09:00:00+08:00", 6, "客服回复后没有下文", author=None,
        timeline=[{"actor": "user", "event": "发起投诉", "at": "2026-11-01T09:00:00+08:00"},
                  {"actor": "platform", "event": "审核通过", "at": "2026-11-01T15:00:00+08:00",
                   "text": "您的投诉已通过审核，已转交商家处理。"},
                  {"actor": "merchant", "event": "回复", "at": "2026-11-02T09:00:00+08:00",
                   "text": "您好，已收到，正在核实。"}])
    add(7, "2026-10-20T11:11:00+08:00", 7, "卡密无效，要求退款，全额退款", summary=long_text,
        cost="1944", service="测试卡盟官网", appeal="道歉赔偿/解释,作出处罚",
        evaluate_u={"attitude": 4, "process": 3, "satisfaction": 4, "evalContent": "还行"},
        timeline=[{"actor": "user", "event": "发起投诉", "at": "2026-10-20T11:11:00+08:00"},
                  {"actor": "platform", "event": "审核通过", "at": "2026-10-20T17:00:00+08:00",
                   "text": "您的投诉已通过审核，已转交商家处理。"},
                  {"actor": "merchant", "event": "申请完成投诉", "at": "2026-10-22T10:00:00+08:00",
                   "text": "解决方案：已全额退款1944元。"},
                  {"actor": "platform", "event": "自动完成", "at": "2026-10-29T10:00:00+08:00",
                   "text": "商家已申请完成投诉，用户超时未确认，系统自动完成。"}])
    audit = {"actor": "platform", "event": "审核通过", "after_days": 0.25, "text": "您的投诉已通过审核，已转交商家处理。"}
    add(8, "2026-10-01T00:00:00+08:00", 8, "平台已关闭的投诉", cost="0",
        timeline=[{"actor": "user", "event": "发起投诉", "after_days": 0}, audit,
                  {"actor": "platform", "event": "回复", "after_days": 20,
                   "text": "经核实，该投诉长时间未补充材料，平台已关闭。"}])
    for i in range(9, 21):      # filler, one per 2 weeks, alternating statuses
        filed = "2026-%02d-%02dT14:00:00+08:00" % (9 - (i - 9) // 2, 15 if i % 2 else 1)
        status = (4, 6, 7, 3)[i % 4]
        tl = [{"actor": "user", "event": "发起投诉", "after_days": 0},
              {"actor": "platform", "event": "审核通过", "after_days": 0.25,
               "text": "您的投诉已通过审核，已转交商家处理。"}]
        if status in (6, 7):
            tl.append({"actor": "merchant", "event": "回复", "after_days": 1.5, "text": "您好，已为您处理。"})
        if status == 7:
            tl.append({"actor": "user", "event": "确认完成", "after_days": 2, "text": "已解决。"})
        add(i, filed, status, "测试投诉%02d：%s" % (i, ("充值未到账", "卡密无效", "客服不回", "拒绝退款")[i % 4]),
            timeline=tl)
    add(21, "2025-12-30T23:50:00+08:00", 7, "跨年投诉：卡密无效", posted_style="cn", unsettled=True,
        service="测试卡盟APP", evaluate_u={"attitude": 5, "process": 4, "satisfaction": 5, "evalContent": "处理及时"},
        timeline=full_timeline)
    add(22, "2024-08-01T09:00:00+08:00", 7, "旧投诉没有sld", sld=None, evaluate_u={},
        timeline=[{"actor": "user", "event": "发起投诉", "after_days": 0}, audit,
                  {"actor": "merchant", "event": "回复", "after_days": 3, "text": "您好，已退款。"},
                  {"actor": "merchant", "event": "申请完成投诉", "after_days": 3.1, "text": "解决方案：已退款。"},
                  {"actor": "platform", "event": "自动完成", "after_days": 10.1,
                   "text": "商家已申请完成投诉，用户超时未确认，系统自动完成。"}])
    add(23, "2024-06-01T09:00:00+08:00", 4, "最旧的投诉", sld=None,
        summary="王者荣耀点券未到账，联系电话13800138000。")
    # The multi-merchant pair: #3's twin against B (consecutive sn, same text/time).
    twin = dict(cs[2], sn="17390000104", couid=B, status=6, sld=hashlib.md5(b"sld-twin").hexdigest())
    twin.pop("cost", None)
    cs[3]["sn"] = "17390000124"      # keep sns unique: #4 moves up
    cs.append(twin)
    cs.append({"sn": "17390000200", "couid": B, "title": "旗舰店的另一条投诉", "summary": "未发货。",
               "status": 7, "filed": "2026-05-05T05:05:05+08:00", "author": "旗舰店用户", "cost": "50",
               "timeline": [{"actor": "user", "event": "发起投诉", "after_days": 0}, audit,
                            {"actor": "merchant", "event": "回复", "after_days": 0.5, "text": "已补发。"},
                            {"actor": "user", "event": "确认完成", "after_days": 1, "text": "收到了。"}]})
    # For `discover`: see discover_heimao().
    discover_merchants, discover_complaints = discover_heimao(
        ["173900003%02d" % (i + 1) for i in range(len(TEST_DISCOVER_FILED))],
        lambda i: {"filed": TEST_DISCOVER_FILED[i]})
    cs += discover_complaints

    records = [
        icp_rec("test-km.com", 990000000001, 330000000001, 990000000101, "测试网络科技有限公司", "企业",
                "浙ICP备2024001234号", 1, "2025-05-20 10:00:00", "文化、文化"),
        icp_rec("geren-km.cn", 990000000002, 430000000002, 990000000102, "张三", "个人",
                "湘ICP备2025005678号", 1, "2025-08-08 08:08:08"),
        dict(icp_rec("limited-km.com", 990000000003, 110000000003, 990000000103, "受限科技有限公司", "企业",
                     "京ICP备12000003号", 2, "2022-01-01 12:00:00"), limitAccess="是"),
        icp_rec("bigco-km.com", 190000998877, 547999, 4139999, "大公司计算机系统有限公司", "企业",
                "粤B2-20120001", 3, "2023-10-18 10:27:25"),
    ]
    # The real qq.com record of samples/icp/miit_query_ok_qq.com_compact__orzchen_icpApi_2023.json:
    # querying "qq.com" must give that body byte for byte.
    records.append(icp_rec("qq.com", 190000203203, 547280, 4134047, "深圳市腾讯计算机系统有限公司", "企业",
                           "粤B2-20090059", 5, "2023-10-18 10:27:25",
                           "宗教、宗教、出版、新闻、出版、出版、新闻、宗教、文化、宗教"))
    for n in range(1, 13):      # one filer with 12 sites: 2 pages of 10
        records.append(icp_rec("multi%02d.example.cn" % n, 990000001000 + n, 110000000099, 990000002000 + n,
                               "多站点网络技术有限公司", "企业", "京ICP证030173号", 100 + n, "2024-04-01 09:00:00"))
    sites = {
        "test-km.com": {"title": "测试卡盟", "meta_icp": "浙ICP备2024001234号-1", "at": "2026-11-01T00:00:00Z",
                        "footer": footer("浙ICP备2024001234号-1", "浙公网安备 33010602009001号", "测试网络科技有限公司")},
        "gbk-km.com": {"title": "编码卡盟", "charset": "gbk", "at": "2026-11-01T00:00:00Z",
                       "footer": footer("湘ICP备2025005678号-1", None, "编码卡盟")},
        "stolen-km.com": {"title": "盗号卡盟", "at": "2026-11-01T00:00:00Z",
                          "footer": footer("浙ICP备2024001234号-1", None, "盗号卡盟")},
        "geren-km.cn": {"title": "个人卡盟", "footer": "<p>&copy; 2026 个人卡盟</p>", "at": "2026-11-01T00:00:00Z"},
        "spaced-km.com": {"title": "空格卡盟", "at": "2026-11-01T00:00:00Z",
                          "footer": "<p>备案号：京ICP备 12000003号-2 &nbsp;| 京公网安备\n 11010502030001号</p>"},
        "down-km.com": {"title": "维护中", "status": 503, "footer": ""},
    }
    return {
        "description": "Deterministic world for the C fetch/CLI tests. Generated by make_worlds.py; "
                       "every value is fixed (now, times, sld).",
        "now": "2026-11-21T00:00:00Z",
        "seed": 7,
        "heimao": {"cookie": "SUB=_2AkMtestcookie",
                   "merchants": [{"couid": A, "title": "测试卡盟"}, {"couid": B, "title": "测试卡盟旗舰店"},
                                 {"couid": Z, "title": "空白卡盟"}] + discover_merchants,
                   "complaints": cs},
        "icp": {"require_captcha": False, "token_ttl_queries": 0, "records": records},
        "sites": sites,
        "jutousu": test_jutousu({c["sn"]: c for c in cs}),
        "faults": [],
    }


def test_jutousu(by_sn):
    """(a) 功夫贷 2352 with the 100 SAMPLE texts (10 full pages, then an empty
    11th); (b) 测试卡盟 as 聚投诉 merchant 38001: 2250101-2250103 retell 黑猫
    17390000102, 17390000106 and 17390000107 (same title and text, filed 2, 4
    and 5 h later), 2250104-2250106 are new; (c) 搜索卡盟: no merchant, two
    complaints found only by keyword (2250201, 2250202) and the look-alike
    搜索卡盟官方店 (2250203); (d) untracked 速发卡盟 38002 (2250301-2250303);
    (e) the non-card keyword hit 中国移动在线营业厅 38003 (2250401, 话费代充)."""
    cs = jts_samples()
    for i, (sn, hours, shuqiu) in enumerate((("17390000102", 2, "退款"), ("17390000106", 4, ""),
                                              ("17390000107", 5, "退款,作出处罚"))):
        cs.append(jts_dup(by_sn[sn], str(2250101 + i), "38001", hours, shuqiu, ["卡密无效"]))
    cs.append({"id": "2250104", "merchant": "38001", "title": "测试卡盟\"秒到账\"是假的",
               "topic": "测试卡盟首页写着\"秒到账\"。\n实际等了两天  才到账，客服说活动解释权归平台。",
               "shuqiu": "赔偿,道歉", "labels": ["虚假宣传"], "username": "138****0104",
               "filed": "2026-11-16T09:20:00+08:00"})
    cs.append({"id": "2250105", "merchant": "38001", "title": "测试卡盟代理提现审核十天不到账",
               "topic": "本人在测试卡盟做代理，11月1日申请提现800元到支付宝，一直显示审核中。客服先说系统维护，"
                        "后来又说需要再充值300元激活通道才能提现，明显不合理，要求立即处理提现并退还余额。",
               "shuqiu": "退款,作出处罚", "labels": ["无法提现", "诈骗"], "username": "139****0105",
               "filed": "2026-11-12T22:05:00+08:00"})
    cs.append({"id": "2250106", "merchant": "38001", "title": "测试卡盟<b>卡密</b>重复",
               "topic": "<p>两张卡密是同一组 &amp; 第二张无法兑换。</p>", "short_topic": "两张卡密是同一组 & 第二张无法兑换。",
               "shuqiu": "退款", "labels": [], "username": "137****0106",
               "filed": "2026-09-03T08:00:00+08:00", "post_key": "0123456789abcdef01234567"})
    for i, (filed, name, title, topic) in enumerate((
            ("2026-11-10T12:00:00+08:00", "搜索卡盟", "搜索卡盟充值不到账", "在搜索卡盟充值联通话费50元，三天没到账，客服不回复。"),
            ("2026-10-02T12:00:00+08:00", "搜索卡盟", "搜索卡盟卡密无效", "搜索卡盟买的Q币卡密无效，要求退款。"),
            ("2026-11-05T12:00:00+08:00", "搜索卡盟官方店", "搜索卡盟官方店发货慢", "在搜索卡盟官方店买的点券两天才到账。"))):
        cs.append({"id": str(2250201 + i), "merchantname": name, "title": title, "topic": topic,
                   "shuqiu": "退款", "labels": ["未到账"], "username": "136****02%02d" % (i + 1), "filed": filed})
    cs += jts_card_platform("38002", 2250301, lambda i: {"filed": ("2026-11-19T10:00:00+08:00",
                                                                  "2026-11-02T15:30:00+08:00",
                                                                  "2026-07-21T18:45:00+08:00")[i]})
    cs.append(jts_noncard("38003", "2250401", {"filed": "2026-11-08T20:00:00+08:00"}))
    return {"cookie": "jutous_session_id=testsession",
            "merchants": [{"id": "2352", "name": "功夫贷"}, {"id": "38001", "name": "测试卡盟"},
                          {"id": "38002", "name": "速发卡盟"}, {"id": "38003", "name": "中国移动在线营业厅"}],
            "complaints": cs}


def render(world):
    return json.dumps(world, ensure_ascii=False, indent=1) + "\n"


def main():
    out = {"demo.json": render(demo_world()), "test.json": render(test_world())}
    stale = False
    for name, text in out.items():
        path = os.path.join(HERE, "worlds", name)
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if "--check" in sys.argv:
            if old != text:
                print("stale: " + path)
                stale = True
        elif old != text:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print("wrote " + path)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
