"""What `meson install` puts where, against what the man page's FILES and the
README's nightly-refresh section tell a user: every FILES path is installed,
the systemd unit names the installed kmrep by its full path and has no
directive a user manager ignores, and the README's crontab line works with
cron's PATH (/usr/bin:/bin)."""
import json
import os
import re
import subprocess
import sys
import tempfile

SRC = os.environ.get("KMREP_SRCDIR") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BUILD = os.environ["KMREP_BUILDDIR"]
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def man_files():
    """The paths under .SH FILES of doc/kmrep.1, roff escapes undone."""
    text = open(os.path.join(SRC, "doc", "kmrep.1"), encoding="utf-8").read()
    section = text.split(".SH FILES", 1)[1].split(".SH ", 1)[0]
    paths = []
    for line in section.splitlines():
        m = re.match(r'^\.IR? (\S+)(?: ", " (\S+))?', line)
        if m:
            first = m.group(1).replace("\\-", "-")
            paths.append(first)
            if m.group(2):
                paths.append(os.path.join(os.path.dirname(first), m.group(2).replace("\\-", "-")))
    return paths


def main():
    opts = {o["name"]: o["value"] for o in json.loads(subprocess.run(
        ["meson", "introspect", "--buildoptions", BUILD], check=True,
        capture_output=True, text=True).stdout)}
    prefix = opts["prefix"]
    bindir = os.path.join(prefix, opts["bindir"])
    with tempfile.TemporaryDirectory() as dest:
        r = subprocess.run(["meson", "install", "-C", BUILD, "--no-rebuild", "--quiet",
                            "--destdir", dest], capture_output=True, text=True)
        check(r.returncode == 0, f"meson install failed: {r.stdout}{r.stderr}")
        # Every installed path the man page names (the per-user ones under ~
        # are created at run time).
        for path in man_files():
            if path.startswith("~"):
                continue
            if prefix != "/usr/local":  # FILES speaks of the default prefix
                path = prefix + path[len("/usr/local"):]
            check(os.path.exists(dest + path), f"man FILES names {path}, not installed")
        unit_path = os.path.join(dest + prefix, "lib/systemd/user/kmrep-refresh.service")
        unit = open(unit_path, encoding="utf-8").read() if os.path.exists(unit_path) else ""
        check(unit, "kmrep-refresh.service not installed")
        m = re.search(r"^ExecStart=(\S+)", unit, re.M)
        check(m and m.group(1) == os.path.join(bindir, "kmrep"),
              f"ExecStart is not the installed kmrep: {m and m.group(1)}")
        check(m and os.access(dest + m.group(1), os.X_OK), "ExecStart's kmrep is not installed")
        # Directives a user manager cannot honour: the system's network
        # targets and user/group switching.
        for directive in ("network-online.target", "User=", "Group=", "DynamicUser="):
            check(not re.search(r"^[^#]*" + re.escape(directive), unit, re.M),
                  f"the user unit has {directive}, which does nothing there")
        check(os.path.exists(os.path.join(dest + prefix, "lib/systemd/user/kmrep-refresh.timer")),
              "kmrep-refresh.timer not installed")
    readme = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    cron = [ln for ln in readme.splitlines() if re.match(r"^\d+ \d+ \* \* \* ", ln)]
    check(cron, "the README has no crontab line")
    for line in cron:
        cmd = line.split()[5]
        check(cmd.startswith("/"), f"the crontab line's command is not a full path: {line}")
        check(cmd == "/usr/local/bin/kmrep", f"the crontab line names {cmd}, not where "
              "meson install puts kmrep by default")
    nightly = readme.split("## Nightly refresh", 1)[1].split("\n## ", 1)[0]
    check("loginctl enable-linger" in nightly, "the README's systemd section lacks enable-linger")
    check("sudo meson install" not in readme, "the README assumes sudo")
    print("1 passed" if not failures else f"{len(failures)} failures", file=sys.stderr)
    return 1 if failures else 0


sys.exit(main())
