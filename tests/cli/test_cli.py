"""CLI behaviour: commands, exit codes, outputs (SPEC §2, §5a)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kmtest  # noqa: E402


def test_version_lists_libraries(t):
    r = t.kmrep("--version", server=False)
    t.check_eq(r.code, 0, r)
    for lib in ("kmrep", "libcurl", "libxml2", "SQLite", "PCRE2"):
        t.check(lib in r.out, r)


kmtest.main(globals())
