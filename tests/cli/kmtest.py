"""Shared harness of the CLI test suites: a private sample server, a
temporary config and database, and a way to run the real kmrep binary.

A suite file defines test functions named test_* and ends with
`kmtest.main(globals())`; meson asks it for `--list` at configure time and
registers each case as its own test (`file.py CASE`).

    def test_refresh_stores_complaints(t):
        t.add("测试卡盟", "--domain", "ceshi-km.com")
        r = t.kmrep("refresh")
        t.check(r.code == 0, r)

Everything lives in a fresh temporary directory that is removed afterwards;
nothing touches the network beyond 127.0.0.1 or the user's files."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

SRCDIR = os.environ.get("KMREP_SRCDIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
BUILDDIR = os.environ.get("KMREP_BUILDDIR") or os.path.join(SRCDIR, "build")
KMREP = os.environ.get("KMREP_BIN") or os.path.join(BUILDDIR, "cli", "kmrep")
SERVER = os.path.join(SRCDIR, "tests", "server", "sample_server.py")
WORLDS = os.path.join(SRCDIR, "tests", "server", "worlds")
TEST_NOW = "2026-11-21T00:00:00Z"   # the `now` of worlds/test.json
TEST_COOKIE = ("SUB", "_2AkMtestcookie")
JUTOUSU_COOKIE = ("jutous_session_id", "testsession")


class Failure(Exception):
    pass


class Result:
    def __init__(self, args, code, out, err):
        self.args, self.code, self.out, self.err = args, code, out, err

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return (f"kmrep {' '.join(self.args)} -> exit {self.code}\n"
                f"--- stdout ---\n{self.out[:4000]}\n--- stderr ---\n{self.err[:4000]}")


class Server:
    """The loopback sample server with one world, on an ephemeral port."""

    def __init__(self, workdir, world="test.json", extra_world=None):
        path = os.path.join(WORLDS, world)
        if extra_world is not None:     # a modified copy of a world
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            extra_world(data)
            path = os.path.join(workdir, "world.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False)
        port_file = os.path.join(workdir, "port")
        self.log = open(os.path.join(workdir, "server.log"), "w")
        self.proc = subprocess.Popen(
            [sys.executable, SERVER, "--world", path, "--port", "0",
             "--port-file", port_file],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 15
        while not (os.path.exists(port_file) and open(port_file).read().strip()):
            if self.proc.poll() is not None or time.time() > deadline:
                raise Failure("the sample server did not start: " +
                              open(os.path.join(workdir, "server.log")).read())
            time.sleep(0.05)
        self.port = int(open(port_file).read())
        self.base = f"http://127.0.0.1:{self.port}"

    def control(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + "/_control/" + path, data=data,
                                     method="POST" if data is not None else "GET",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read() or b"null")

    def fault(self, path_prefix, kind, **kw):
        body = {"path_prefix": path_prefix, "kind": kind}
        body.update(kw)
        return self.control("fault", body)

    def requests(self, path_prefix=""):
        return [e for e in self.control("log") if e["path"].startswith(path_prefix)]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


class Case:
    """One test's world: temp dir, server (started on first use), config, db."""

    def __init__(self, name):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="kmrep-cli-")
        self.db = os.path.join(self.dir, "kmrep.db")
        self.config = os.path.join(self.dir, "config.ini")
        self._server = None
        self.world = "test.json"
        self.extra_world = None
        self.config_extra = {}
        self.cookie = True
        self.now = TEST_NOW
        # 聚投诉 is off unless a test turns it on: the older suites are about
        # 黑猫, and the test world's 测试卡盟 is on 聚投诉 too (test_jutousu.py).
        self.jutousu = False

    def use_demo_world(self):
        """The demo world of scripts/demo (times relative to the real clock),
        with both sites' login cookies from it; call before the server starts."""
        self.world = "demo.json"
        self.now = None
        with open(os.path.join(WORLDS, "demo.json"), encoding="utf-8") as f:
            world = json.load(f)
        path = os.path.join(self.dir, "demo-cookies.txt")
        with open(path, "w") as f:
            for cookie in (world["heimao"]["cookie"], world["jutousu"]["cookie"]):
                k, v = cookie.split("=", 1)
                f.write(f"127.0.0.1\tFALSE\t/\tFALSE\t0\t{k}\t{v}\n")
        self.config_extra = {"heimao": {"cookie_file": path}, "jutousu": {"cookie_file": path}}

    @property
    def server(self):
        if self._server is None:
            self._server = Server(self.dir, self.world, self.extra_world)
            self.write_config()
        return self._server

    def write_config(self, **sections):
        """(Re)writes config.ini pointing every source at the server.
        sections: {"heimao": {"max_pages": 2}} overrides."""
        base = self.server.base
        cookie_file = os.path.join(self.dir, "cookies.txt")
        with open(cookie_file, "w") as f:
            if self.cookie:
                f.write("127.0.0.1\tFALSE\t/\tFALSE\t0\t%s\t%s\n" % TEST_COOKIE)
                f.write("127.0.0.1\tFALSE\t/\tFALSE\t0\t%s\t%s\n" % JUTOUSU_COOKIE)
        conf = {
            "general": {"timeout_s": 10, "retry_base_ms": 20, "retry_max_ms": 2000,
                        "max_retries": 2, "low_speed_time_s": 2},
            "heimao": {"base_url": base, "cookie_file": cookie_file, "min_interval_ms": 0},
            "jutousu": {"base_url": base, "cookie_file": cookie_file, "min_interval_ms": 0,
                        "enabled": "true" if self.jutousu else "false"},
            "icp": {"base_url": base + "/icpproject_query/api", "min_interval_ms": 0},
            "site": {"url_template": base + "/site/{domain}/", "min_interval_ms": 0},
        }
        for merge in (self.config_extra, sections):
            for sec, kv in merge.items():
                conf.setdefault(sec, {}).update(kv)
        with open(self.config, "w", encoding="utf-8") as f:
            for sec, kv in conf.items():
                f.write(f"[{sec}]\n")
                for k, v in kv.items():
                    f.write(f"{k} = {v}\n")

    def env(self, **extra):
        env = dict(os.environ)
        env.update({"KMREP_DB": self.db, "KMREP_CONFIG": self.config, "NO_COLOR": "1",
                    "HOME": self.dir, "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": ""})
        # English unless a test asks for another language (LANG=zh_CN.UTF-8 or
        # --lang zh); the catalogue is the build tree's.
        for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
            env.pop(var, None)
        env["LANG"] = "C.UTF-8"
        env["KMREP_LOCALEDIR"] = os.path.join(BUILDDIR, "po")
        if self.now:
            env["KMREP_NOW"] = self.now
        else:
            env.pop("KMREP_NOW", None)
        env.update(extra)
        return env

    def kmrep(self, *args, env=None, timeout=120, input=None, server=True):
        if server:
            self.server  # starts it and writes the config
        # KMREP_WRAPPER (e.g. "valgrind -q --error-exitcode=9") runs kmrep under
        # a checker: scripts/test --valgrind sets it for this suite.
        wrapper = os.environ.get("KMREP_WRAPPER", "").split()
        proc = subprocess.run([*wrapper, KMREP, *args], capture_output=True, text=True,
                              env=self.env(**(env or {})), timeout=timeout, input=input)
        return Result(list(args), proc.returncode, proc.stdout, proc.stderr)

    def add(self, *args):
        r = self.kmrep("add", *args)
        self.check(r.code == 0, r)
        return r

    def check(self, cond, what=""):
        if not cond:
            raise Failure(str(what))

    def check_eq(self, got, want, what=""):
        if got != want:
            raise Failure(f"got {got!r}, want {want!r}\n{what}")

    def sql(self, query, *params):
        import sqlite3
        con = sqlite3.connect(self.db)
        try:
            rows = con.execute(query, params).fetchall()
            con.commit()  # a DELETE or UPDATE happens (sqlite3 opened a transaction)
            return rows
        finally:
            con.close()

    def close(self):
        if self._server is not None:
            self._server.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def main(namespace):
    cases = {k[5:]: v for k, v in namespace.items() if k.startswith("test_") and callable(v)}
    if sys.argv[1:] == ["--list"]:
        print("\n".join(cases))
        return
    if not os.path.exists(KMREP):
        print(f"kmrep binary not found at {KMREP}", file=sys.stderr)
        sys.exit(1)
    names = sys.argv[1:] or list(cases)
    failed = 0
    for name in names:
        if name not in cases:
            print(f"no test case named {name}", file=sys.stderr)
            sys.exit(1)
        t = Case(name)
        try:
            cases[name](t)
            print(f"ok: {name}", file=sys.stderr)
        except Exception:
            failed += 1
            print(f"FAIL: {name}", file=sys.stderr)
            traceback.print_exc()
        finally:
            t.close()
    sys.exit(1 if failed else 0)
