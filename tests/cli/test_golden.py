"""Golden outputs: what a buyer and a spreadsheet see, byte for byte, for the
test world at a pinned time (text with colour off in English and in Chinese,
kmrep.check/1 JSON, the report CSV, the complaints CSV and text).  A change to any of them must be deliberate:
regenerate with `python3 tests/cli/test_golden.py --update` and review the
diff."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kmtest  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
UPDATE = "--update" in sys.argv
if UPDATE:
    sys.argv.remove("--update")


def build(t):
    t.add("测试卡盟", "--domain", "test-km.com")
    t.add("个人卡盟", "--domain", "geren-km.cn")
    t.add("盗号卡盟", "--domain", "stolen-km.com")
    r = t.kmrep("refresh")
    t.check(r.code in (0, 1), r)


def compare(t, name, args, env=None):
    r = t.kmrep(*args, env=env)
    t.check(r.code in (0, 1), r)
    path = os.path.join(GOLDEN, name)
    if UPDATE:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(r.out)
        return
    with open(path, encoding="utf-8", newline="") as f:
        want = f.read()
    if r.out != want:
        import difflib
        diff = "".join(difflib.unified_diff(want.splitlines(True), r.out.splitlines(True),
                                            "golden/" + name, "kmrep " + " ".join(args)))
        raise kmtest.Failure("output differs from the golden file:\n" + diff[:6000])


def test_check_text(t):
    build(t)
    compare(t, "check_test.txt", ["check", "测试卡盟"])


ZH = {"LANG": "zh_CN.UTF-8"}


def test_check_text_zh(t):
    build(t)
    compare(t, "check_test.zh.txt", ["check", "测试卡盟"], env=ZH)


def test_check_stolen_text_zh(t):
    build(t)
    compare(t, "check_stolen.zh.txt", ["check", "盗号卡盟"], env=ZH)


def test_list_text(t):
    build(t)
    compare(t, "list.txt", ["list"])


def test_list_text_zh(t):
    build(t)
    compare(t, "list.zh.txt", ["list"], env=ZH)


def test_json_and_csv_do_not_change_with_the_language(t):
    """Scripts read JSON and CSV: keys, headers and values stay English."""
    build(t)
    for args in (["check", "测试卡盟", "--format", "json"], ["report", "--format", "csv"],
                 ["complaints", "测试卡盟", "--format", "csv"], ["list", "--format", "json"]):
        en = t.kmrep(*args)
        zh = t.kmrep(*args, env=ZH)
        t.check_eq(zh.out, en.out, " ".join(args))


def test_check_json(t):
    build(t)
    compare(t, "check_test.json", ["check", "测试卡盟", "--format", "json"])


def test_check_stolen_text(t):
    build(t)
    compare(t, "check_stolen.txt", ["check", "盗号卡盟"])


def test_report_csv(t):
    build(t)
    compare(t, "report.csv", ["report", "--format", "csv"])


def test_complaints_csv(t):
    build(t)
    compare(t, "complaints_test.csv", ["complaints", "测试卡盟", "--format", "csv"])


def test_complaints_text(t):
    build(t)
    compare(t, "complaints_test.txt", ["complaints", "测试卡盟", "--format", "text"])


def test_complaints_text_zh(t):
    build(t)
    compare(t, "complaints_test.zh.txt", ["complaints", "测试卡盟", "--format", "text"],
            env=ZH)


def test_check_and_report_agree(t):
    """check reads the complaints' rows, report only the index of their
    scoring facts: every platform must get the same score either way."""
    build(t)
    t.add("空白卡盟", "--heimao-couid", "7000000003")
    t.kmrep("refresh", "空白卡盟")
    rows = t.kmrep("report", "--format", "json").json()
    t.check_eq(len(rows), 4, rows)
    for row in rows:
        j = t.kmrep("check", row["name"], "--format", "json").json()
        for field in ("score", "grade", "verdict", "confidence", "trend"):
            got = j[field] if field != "trend" else j["trend"]["level"]
            if field == "trend" and not j["complaints"]["known"]:
                got = None  # the report's cell is empty when no complaint source was read
            t.check_eq(row[field], got, f"{row['name']}: {field}")
        want = j["complaints"]["total"] if j["complaints"]["known"] else None
        t.check_eq(row["complaints"], want, f"{row['name']}: complaints")


kmtest.main(globals())
