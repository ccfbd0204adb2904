"""The progress line (issue 14, "Working as a person expects"): `kmrep check`
of a platform kmrep does not track yet refreshes it first and shows the same
line as `kmrep refresh` when stderr is a terminal.  The line moves per
request (pages and details done of known so far), shows the time the
politeness interval still takes, fits the terminal, is blanked before every
message and at the end, and is never drawn when stderr is not a terminal or
with -q.

kmrep runs with its stderr on a pseudo-terminal (os.openpty, 80 columns);
what it wrote there is replayed on a small screen model (\\r goes back to the
start of the line, a Chinese character takes two columns) to see what the
person is left looking at.  No assertion depends on how fast the machine is.

Run one case with `python3 tests/cli/test_progress.py CASE`."""
import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kmtest  # noqa: E402

NAME = "测试卡盟"        # worlds/test.json: 3 list pages, 23 complaints
DOMAIN = "test-km.com"
N_COMPLAINTS = 23
INTERVAL_MS = 100       # 黑猫's politeness interval in these runs: ~30 requests
DETAIL = "/complaint/view/"
HEIMAO_PAGES = ("/api/company/search", "/api/company/received_complaints", "/api/index/s")

# One frame of the line, English and Chinese.
PAGES = re.compile(r"黑猫 (\d+)/(\d+|\?) (?:pages|页)")
DETAILS = re.compile(r"(?:details|详情) (\d+)/(\d+)")
ESTIMATE = re.compile(r"(?:about|还需约) (?:(\d+) (?:h|小时) )?(?:(\d+) (?:min|分) )?"
                      r"(?:(\d+) (?:s|秒))?")


def setup(t, **sections):
    t.server  # started, config written
    conf = {"heimao": {"min_interval_ms": INTERVAL_MS}}
    conf.update(sections)
    t.write_config(**conf)


def run_pty(t, *args, cols=80, env=None, on_start=None):
    """kmrep ARGS with stderr on a pseudo-terminal of `cols` columns and
    stdout on a pipe; on_start(process), if given, runs while a thread reads
    the terminal.  Returns (exit code, stdout, what the terminal got)."""
    t.server
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    p = subprocess.Popen([kmtest.KMREP, *args], stdout=subprocess.PIPE, stderr=slave,
                         stdin=subprocess.DEVNULL, env=t.env(**(env or {})))
    os.close(slave)
    got = []

    def read():
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:     # EIO: every writer closed the terminal
                break
            if not chunk:
                break
            got.append(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    if on_start:
        on_start(p)
    out = p.stdout.read()
    p.stdout.close()
    code = p.wait(timeout=60)
    reader.join(10)
    os.close(master)
    return code, out.decode(), b"".join(got).decode()


def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def screen(tty):
    """The lines a terminal shows after `tty` (a pty turns \\n into \\r\\n)."""
    lines, cells, col = [], [], 0
    for c in tty:
        if c == "\r":
            col = 0
        elif c == "\n":
            lines.append(cells)
            cells, col = [], 0
        else:
            w = width(c)
            while len(cells) < col + w:
                cells.append(" ")
            cells[col] = c
            if w == 2:
                cells[col + 1] = ""
            col += w
    lines.append(cells)
    return ["".join(line).rstrip() for line in lines]


def frames(tty):
    """Every state of the progress line drawn, in order (the pieces between
    carriage returns and newlines that hold a 黑猫 count)."""
    return [f for f in re.split(r"[\r\n]", tty) if PAGES.search(f) or DETAILS.search(f)]


def estimate_s(frame):
    m = ESTIMATE.search(frame)
    if not m or not any(m.groups()):
        return None
    h, mi, s = (int(g) if g else 0 for g in m.groups())
    return h * 3600 + mi * 60 + s


def counts(frame):
    """(pages done, pages known or None for ?, details done, details known)."""
    p, d = PAGES.search(frame), DETAILS.search(frame)
    return (int(p.group(1)) if p else None,
            (None if p.group(2) == "?" else int(p.group(2))) if p else None,
            int(d.group(1)) if d else None, int(d.group(2)) if d else None)


def heimao_requests(t):
    log = t.server.requests()
    pages = [e for e in log if e["path"].startswith(HEIMAO_PAGES)]
    details = [e for e in log if e["path"].startswith(DETAIL)]
    return len(pages), len(details)


def assert_moves_per_request(t, tty, cols=80):
    """The frames count pages and details up to what the server saw asked,
    one state per answer, never backwards, each within the width."""
    fs = frames(tty)
    n_pages, n_details = heimao_requests(t)
    t.check(n_pages >= 3 and n_details == N_COMPLAINTS, f"requests {n_pages}, {n_details}")
    for f in fs:
        t.check(width(f) <= cols - 1, f"frame wider than {cols - 1} columns: {f!r}")
    states = [counts(f) for f in fs]
    pages_done = [s[0] for s in states if s[0] is not None]
    details_done = [s[2] for s in states if s[2] is not None]
    t.check(pages_done == sorted(pages_done), f"pages done never go back: {pages_done}")
    t.check(details_done == sorted(details_done), f"details done never go back: {details_done}")
    for s in states:
        if s[1] is not None:
            t.check(s[0] <= s[1], f"pages done within known: {s}")
        if s[2] is not None:
            t.check(s[2] <= s[3], f"details done within known: {s}")
    # Per request, not per job (one job here): every answer is a new state.
    distinct = {(s[0] or 0, s[2] or 0) for s in states}
    t.check(len(distinct) >= n_pages + n_details,
            f"{len(distinct)} distinct states for {n_pages + n_details} requests:\n"
            + "\n".join(fs))
    t.check(max(pages_done) == n_pages, f"pages counted up to {n_pages}: {pages_done}")
    t.check(max(details_done) == n_details, f"details up to {n_details}: {details_done}")
    last = states[-1]
    t.check(last[0] == last[1] == n_pages and last[2] == last[3] == n_details,
            f"the last frame is the totals: {fs[-1]!r}")
    return fs


def assert_estimate_counts_down(t, fs):
    est = [e for e in (estimate_s(f) for f in fs) if e is not None]
    t.check(est, "the politeness time is shown:\n" + "\n".join(fs))
    # 23 details at 100 ms: a few seconds at the start, counting down.
    t.check(max(est) >= 2, f"the estimate counts the requests ahead: {est}")
    t.check(est[-1] < max(est), f"the estimate decreases: {est}")
    t.check(any(b < a for a, b in zip(est, est[1:])), f"a frame shows less than the one before: {est}")


def assert_no_leftover(t, tty, last_line):
    lines = [line for line in screen(tty) if line.strip()]
    for line in lines:
        t.check(not PAGES.search(line) and not DETAILS.search(line),
                f"a progress line left on the screen: {line!r}\n{lines}")
    t.check(lines and lines[-1] == last_line or (lines and re.fullmatch(last_line, lines[-1])),
            f"the last line on the screen is {last_line!r}:\n" + "\n".join(lines))
    # Ends blanked: the line the cursor is left on shows nothing.
    t.check_eq(screen(tty)[-1], "", f"ends blank: {tty[-200:]!r}")


# -- cases ---------------------------------------------------------------------

def test_check_of_an_unknown_platform_shows_progress(t):
    setup(t)
    code, out, tty = run_pty(t, "check", NAME)
    t.check_eq(code, 0, tty)
    t.check(NAME in out and "score" in out, f"the verdict on stdout: {out}")
    fs = assert_moves_per_request(t, tty)
    assert_estimate_counts_down(t, fs)
    assert_no_leftover(t, tty, f"kmrep: {NAME} is new to kmrep: tracking it and fetching "
                               "its data first")


def test_check_progress_in_chinese(t):
    setup(t)
    code, out, tty = run_pty(t, "--lang", "zh", "check", NAME)
    t.check_eq(code, 0, tty)
    fs = assert_moves_per_request(t, tty)
    t.check(all("pages" not in f and "details" not in f and "about" not in f for f in fs),
            f"one language: {fs[:3]}")
    t.check(any("页" in f and "详情" in f and "还需约" in f and "秒" in f for f in fs), fs)
    assert_estimate_counts_down(t, fs)
    assert_no_leftover(t, tty, f"kmrep: kmrep 还不认识 {NAME}：先跟踪并抓取它的数据")


def test_refresh_shows_the_same_line_and_ends_on_its_summary(t):
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    code, out, tty = run_pty(t, "refresh")
    t.check_eq((code, out), (0, ""), tty)
    fs = assert_moves_per_request(t, tty)
    assert_estimate_counts_down(t, fs)
    t.check(any(re.search(r"ICP \d/1", f) for f in fs), f"ICP's job on the line: {fs}")
    assert_no_leftover(t, tty, r"kmrep: refreshed 1 platform: 23 new and 0 updated "
                               r"complaints, \d+ requests, 0 failures, [\d.]+ s")


def test_a_message_blanks_the_line_first(t):
    # A second platform whose home page answers 404: its failure line comes
    # while the progress line is shown, and must stand alone on its line.
    setup(t)
    t.add(NAME, "--domain", DOMAIN)
    t.add("无名卡盟", "--domain", "abc-km.com")
    code, out, tty = run_pty(t, "refresh")
    t.check_eq(code, 1, tty)
    lines = [line for line in screen(tty) if line.strip()]
    failure = [line for line in lines if "abc-km.com" in line]
    t.check_eq(failure, ["kmrep: 无名卡盟: site: abc-km.com: HTTP 404"], "\n".join(lines))
    t.check(frames(tty), "the line was drawn")
    for line in lines:
        t.check(line.startswith("kmrep: ") and not PAGES.search(line),
                f"a message mixed with the progress line: {line!r}")
    t.check(re.match(r"kmrep: refreshed 2 platforms: ", lines[-1]), lines)


def test_narrow_terminal(t):
    setup(t, jutousu={"enabled": "true", "min_interval_ms": INTERVAL_MS})
    t.add(NAME, "--domain", DOMAIN)
    code, out, tty = run_pty(t, "refresh", cols=40)
    t.check_eq(code, 0, tty)
    lines = [f for f in re.split(r"[\r\n]", tty) if f.strip() and not f.startswith("kmrep:")]
    t.check(lines, "the line was drawn")
    for f in lines:
        t.check(width(f) <= 39, f"frame wider than 39 columns: {f!r}")
    t.check(any(estimate_s(f) for f in lines), f"the estimate is kept when cut: {lines}")


def test_nothing_without_a_terminal_or_with_q(t):
    setup(t)
    r = t.kmrep("check", NAME)            # stderr is a pipe
    t.check_eq(r.code, 0, r)
    t.check("\r" not in r.err and not PAGES.search(r.err) and not DETAILS.search(r.err), r)
    t.check_eq(r.err, f"kmrep: {NAME} is new to kmrep: tracking it and fetching its data "
                      "first\n", r)
    code, out, tty = run_pty(t, "-q", "check", "测试卡盟旗舰店", "--add")
    t.check_eq(code, 0, tty)
    t.check_eq(tty, "", "nothing on the terminal under -q")
    t.check(out, "the verdict still on stdout")


def test_ctrl_c_blanks_the_line(t):
    # Ctrl-C while the line is shown: exit 130, the one-line summary alone
    # on its line, nothing of the progress line left.
    setup(t)
    t.server.fault("/", "delay", params={"seconds": 0.1})

    def interrupt(p):
        deadline = time.time() + 20
        while not [e for e in t.server.requests(DETAIL)]:
            if time.time() > deadline or p.poll() is not None:
                return
            time.sleep(0.02)
        p.send_signal(signal.SIGINT)

    code, out, tty = run_pty(t, "check", NAME, on_start=interrupt)
    t.check_eq(code, 130, tty)
    t.check(frames(tty), "the line was drawn before the signal")
    lines = [line for line in screen(tty) if line.strip()]
    for line in lines:
        t.check(not PAGES.search(line), f"a progress line left on the screen: {line!r}")
    t.check(lines[-1].startswith("kmrep: interrupted: "), "\n".join(lines))



def pty_available():
    try:
        master, slave = os.openpty()
    except OSError:
        return False
    os.close(master)
    os.close(slave)
    return True


# A machine without pseudo-terminals (a chroot without /dev/pts) cannot show
# a terminal line at all: skipped (exit 77) and counted as skipped, not
# passed.
if "--list" not in sys.argv and not pty_available():
    print("skipped: no pseudo-terminal here (is /dev/pts mounted?)", file=sys.stderr)
    sys.exit(77)

kmtest.main(globals())
