"""One language at a time: text output, messages and --help in Chinese when
the locale (or --lang zh) says so, English otherwise; lines that fit an
80-column terminal; no internal enum values in the text."""
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kmtest  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
NAME = "测试卡盟"
CJK = re.compile(r"[\u4e00-\u9fff]")
# Words only the English text uses, and only the Chinese one.
EN_WORDS = ("Deductions", "Complaints", "Where to complain", "Sources")
ZH_WORDS = ("扣分", "投诉渠道", "数据来源")
COMMANDS = ("add", "list", "remove", "refresh", "check", "report", "complaints", "import",
            "reparse")


def columns(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def too_wide(text):
    """Lines wider than 80 columns, except one that is a single word (a URL):
    a link cut in two no longer works."""
    return [line for line in text.splitlines()
            if columns(line) > 80 and len(line.split()) > 1]


def build(t):
    t.add(NAME, "--domain", "test-km.com")
    t.add("盗号卡盟", "--domain", "stolen-km.com")
    r = t.kmrep("refresh")
    t.check(r.code in (0, 1), r)


def is_english(t, r):
    t.check(all(w in r.out for w in EN_WORDS), f"not the English text\n{r}")
    t.check(not any(w in r.out for w in ZH_WORDS), f"Chinese in the English text\n{r}")


def is_chinese(t, r):
    t.check(all(w in r.out for w in ZH_WORDS), f"not the Chinese text\n{r}")
    t.check(not any(w in r.out for w in EN_WORDS), f"English in the Chinese text\n{r}")


def test_locale_chooses_the_language(t):
    """LANG=zh_CN.UTF-8 is Chinese even where that locale is not generated (a
    minimal Debian: only C.UTF-8 exists); C, en_US and an unset LANG are English;
    LC_ALL and LC_MESSAGES come before LANG, LANGUAGE before all."""
    build(t)
    for env in ({"LANG": "zh_CN.UTF-8"}, {"LANG": "zh_CN"}, {"LANG": "C", "LC_ALL": "zh_CN.UTF-8"},
                {"LANG": "C", "LC_MESSAGES": "zh_TW.UTF-8"},
                {"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}):
        is_chinese(t, t.kmrep("check", NAME, env=env))
    for env in ({"LANG": "C"}, {"LANG": "en_US.UTF-8"}, {"LANG": ""}, {"LANG": "POSIX"},
                {"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}):
        is_english(t, t.kmrep("check", NAME, env=env))


def test_lang_option_overrides_the_locale(t):
    build(t)
    is_english(t, t.kmrep("check", NAME, "--lang", "en", env={"LANG": "zh_CN.UTF-8"}))
    is_english(t, t.kmrep("--lang=en", "check", NAME, env={"LC_ALL": "zh_CN.UTF-8"}))
    is_chinese(t, t.kmrep("check", NAME, "--lang", "zh", env={"LANG": "C"}))
    is_chinese(t, t.kmrep("--lang=zh", "check", NAME))
    # The same text whichever way Chinese was asked for.
    t.check_eq(t.kmrep("check", NAME, "--lang", "zh").out,
               t.kmrep("check", NAME, env={"LANG": "zh_CN.UTF-8"}).out)
    r = t.kmrep("check", NAME, "--lang", "fr")
    t.check_eq(r.code, 2, r)
    t.check("--lang" in r.err and "fr" in r.err, r)
    r = t.kmrep("check", NAME, "--lang")
    t.check_eq(r.code, 2, r)


def test_messages_in_one_language(t):
    """stderr follows the language too: usage errors and their hint."""
    r = t.kmrep("frobnicate", env={"LANG": "zh_CN.UTF-8"}, server=False)
    t.check_eq(r.code, 2, r)
    t.check("未知命令 'frobnicate'" in r.err and "kmrep --help" in r.err, r)
    t.check("unknown" not in r.err and "Try" not in r.err, r)
    r = t.kmrep("frobnicate", server=False)
    t.check(r.err == "kmrep: unknown command 'frobnicate'\nTry 'kmrep --help'.\n", r)
    r = t.kmrep("list", "--lang", "zh")
    t.check("还没有跟踪任何平台" in r.err, r)


def test_catalogue_found_from_the_build_tree(t):
    """Without KMREP_LOCALEDIR, a kmrep run from its build tree uses the
    build tree's catalogue; a directory without one gives English."""
    build(t)
    env = t.env(LANG="zh_CN.UTF-8")
    env.pop("KMREP_LOCALEDIR")
    import subprocess
    out = subprocess.run([kmtest.KMREP, "check", NAME], env=env, capture_output=True,
                         text=True).stdout
    t.check("扣分" in out, out)
    empty = os.path.join(t.dir, "no-locale")
    os.mkdir(empty)
    r = t.kmrep("check", NAME, env={"LANG": "zh_CN.UTF-8", "KMREP_LOCALEDIR": empty})
    is_english(t, r)


def test_help_in_both_languages(t):
    for lang in ("en", "zh"):
        r = t.kmrep("--help", "--lang", lang, server=False)
        t.check_eq(r.code, 0, r)
        t.check(r.out.startswith("Usage: kmrep" if lang == "en" else "用法：kmrep"), r)
        t.check(("--lang zh|en" in r.out), r)
        t.check_eq(too_wide(r.out), [], f"--help ({lang}) wider than 80 columns")
        for cmd in COMMANDS:
            t.check(re.search(r"^\s+%s\s+\S" % cmd, r.out, re.M), f"{cmd} not listed\n{r}")
            c = t.kmrep(cmd, "--help", "--lang", lang, server=False)
            t.check_eq(c.code, 0, c)
            t.check(c.out.startswith(("Usage: kmrep " if lang == "en" else "用法：kmrep ") + cmd), c)
            t.check_eq(too_wide(c.out), [], f"{cmd} --help ({lang}) wider than 80 columns")
    en = t.kmrep("--help", server=False).out
    zh = t.kmrep("--help", env={"LANG": "zh_CN.UTF-8"}, server=False).out
    t.check("Exit status" in en and "退出码" in zh and "Exit status" not in zh, zh)
    t.check("全局选项" in t.kmrep("check", "--help", "--lang", "zh", server=False).out)


def test_golden_text_fits_80_columns(t):
    """Every golden text output (both languages) fits an 80-column terminal."""
    names = [n for n in os.listdir(GOLDEN) if n.endswith(".txt")]
    t.check(any(".zh." in n for n in names) and any(".zh." not in n for n in names), names)
    for n in names:
        with open(os.path.join(GOLDEN, n), encoding="utf-8") as f:
            t.check_eq(too_wide(f.read()), [], f"golden/{n}")


# The enum values of JSON and CSV (verdicts, confidence, trend levels, gates,
# ICP states, claims, source states, categories, components, statuses).
RAW = ("recommend", "not_rated", "trend_critical", "fraud_cluster", "stolen_icp",
       "not_filed", "mismatch", "no_claim", "stolen_number", "recent_filing", "support_lost",
       "invalid_key", "false_ad", "undelivered", "withdraw", "confidence medium",
       "confidence low", "confidence high", "claim: match", "severity", "volume", "critical")
RAW_ZH = RAW + ("avoid", "caution", "unanswered", "answered", "resolved", "closed", "unknown",
                "runaway", "fraud", "warning", "watch", "filed", "ok", "failed", "stale",
                "partial", "blocked", "never", "service", "identity", "trend", "medium",
                "low", "high", "none")


def demo(t):
    """The demo world, refreshed twice so the surging platform's warning holds
    (a runaway alert), with every kind of verdict."""
    t.use_demo_world()
    names = []
    for name, dom in (("启慧卡盟", "qihui-km.com"), ("星辰卡盟", "xingchen-km.com"),
                      ("云端卡盟", "yunduan-km.cn"), ("鑫源卡盟", "xinyuan-km.com"),
                      ("速达卡盟", "suda-km.net"), ("诚信卡盟", "chengxin-km.com"),
                      ("金盾卡盟", "jindun-km.com")):
        t.add(name, "--domain", dom)
        names.append(name)
    for _ in range(2):
        r = t.kmrep("refresh")
        t.check(r.code in (0, 1), r)
    return names


def test_no_raw_values_in_the_text(t):
    """A buyer reads words, not the enum values scripts read in JSON and CSV:
    none in the English text, and no English word at all in the Chinese
    text's own words (site text, URLs, source names and formula ids aside)."""
    names = demo(t)
    seen_gates = set()
    for name in names:
        j = t.kmrep("check", name, "--format", "json").json()
        seen_gates |= {g["gate"] for g in j["gates"]}
        for lang, raw in (("en", RAW), ("zh", RAW_ZH)):
            r = t.kmrep("check", name, "--lang", lang)
            t.check(r.code in (0, 1), r)
            text = r.out
            # What is not kmrep's own words: links, site errors, [score] keys.
            text = re.sub(r"https?://\S+", "", text)
            text = re.sub(r"(error: |错误：).*", "", text)
            text = re.sub(r"^  (heimao|icp|site) ", "", text, flags=re.M)
            for token in raw:
                t.check(not re.search(r"(?<![A-Za-z_])%s(?![A-Za-z_])" % re.escape(token), text),
                        f"{name} ({lang}): raw value {token!r} in the text\n{r.out}")
            t.check_eq(too_wide(r.out), [], f"{name} ({lang}) wider than 80 columns")
            r = t.kmrep("check", name, "--lang", lang, "--explain")
            t.check_eq(too_wide(r.out), [], f"{name} --explain ({lang}) wider than 80 columns")
            if lang == "en":
                t.check(not re.search(r"\b[a-z]+_[a-z_]+\b", text),
                        f"{name}: a snake_case key in the text\n{r.out}")
    t.check({"stolen_icp", "trend_critical"} <= seen_gates, seen_gates)
    for lang in ("en", "zh"):
        r = t.kmrep("list", "--lang", lang)
        t.check(not re.search(r"not_rated|\brecommend\b", r.out), r)


def test_plurals(t):
    """ngettext: 1 platform, 2 platforms; 1 failure, 2 failures."""
    t.add(NAME, "--domain", "test-km.com")
    t.add("盗号卡盟", "--domain", "stolen-km.com")
    r = t.kmrep("refresh", NAME)
    t.check(re.search(r"^kmrep: refreshed 1 platform: .*, 0 failures, ", r.err, re.M), r)
    r = t.kmrep("refresh")
    t.check(re.search(r"^kmrep: refreshed 2 platforms: .*, 1 failure, ", r.err, re.M), r)
    r = t.kmrep("refresh", "--lang", "zh")
    t.check(re.search(r"^kmrep: 已刷新 2 个平台：.*1 个失败", r.err, re.M), r)
    for out in (t.kmrep("check", NAME).out, t.kmrep("check", "盗号卡盟").out):
        t.check(not re.search(r"(?<![\d.])1 (complaints|people)\b", out), out)
        t.check(not re.search(r"(?<![\d.])([02-9]|\d\d+) complaint\b", out), out)


def test_explain_in_the_chosen_language(t):
    """check --explain says what each [score] constant means in Chinese too
    (the keys themselves stay, they are what the config file uses)."""
    build(t)
    zh = t.kmrep("check", NAME, "--explain", "--lang", "zh").out
    consts = [ln for ln in zh.split("计算明细", 1)[1].splitlines()
              if re.match(r"^  [a-z_0-9]+ +[-0-9.e]+ ", ln)]
    t.check(len(consts) > 40, zh)
    for ln in consts:
        t.check(CJK.search(ln), f"an English constant description: {ln!r}")
    t.check("早于此天数的投诉只保存、不计分" in zh, zh)
    en = t.kmrep("check", NAME, "--explain", "--lang", "en").out
    t.check("age at which a complaint's weight halves" in en, en)


kmtest.main(globals())
