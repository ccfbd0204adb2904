#!/usr/bin/env python3
"""A stand-in captcha solver for the tests: reads kmrep's challenge JSON on
stdin and asks the sample server (KMREP_TEST_SERVER) where the gap of that
challenge is, as a real solver would find it in the images.  It exercises
kmrep's captcha plug-in path; it solves nothing in the real world."""
import json
import os
import sys
import urllib.request

challenge = json.load(sys.stdin)
url = os.environ["KMREP_TEST_SERVER"] + "/_control/captcha?uuid=" + challenge["uuid"]
with urllib.request.urlopen(url, timeout=10) as resp:
    print(json.loads(resp.read())["gap"] + int(os.environ.get("KMREP_ORACLE_SKEW", "0")))
