#!/usr/bin/env python3
"""Builds benchmark databases through kmrep itself (no hand-written SQL).

1. A template with P platforms (default 1,000): `kmrep add NAME --domain D
   --heimao-couid C` for each, names/couids/domains from gen_pages.py.
2. For each size S: a copy of the template, then S/P complaints per platform
   (S/P/10 list pages each, made by gen_pages.py with the platform's couid)
   imported with `kmrep import --source heimao FILE...` *without* --platform,
   so every page goes through the real parser, categorizer, the couid ->
   platform mapping and the upsert, one transaction per page.

Because the data goes through the binary, the schema (tables, indexes, the
user_version) is always exactly the one the current code creates.  A cached
database is reused only when its schema (sqlite_master) matches what the
current binary creates and its parameters (size, platforms, seed, generator
version) are the same; otherwise it is rebuilt.

Writing is staged in a scratch directory (--scratch, default /dev/shm when
present: `kmrep add` pays one fsync per process on a slow disk) and the
finished file is moved to OUTDIR/complaints-S.db.

  gen_db.py --kmrep BIN --config INI --out OUTDIR [--sizes 10000,100000,1000000]
            [--platforms 1000] [--seed 1] [--jobs 2]
"""
import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_pages  # noqa: E402

GEN_VERSION = hashlib.sha256(open(gen_pages.__file__, "rb").read()).hexdigest()[:12]
FILES_PER_IMPORT = 2000
LAYOUT = "round-robin"  # the order pages are imported in; see build_size


def log(msg):
    print("gen_db: " + msg, file=sys.stderr, flush=True)


def schema_of(path):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        rows = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        ver = db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()
    return hashlib.sha256(json.dumps([ver, rows]).encode()).hexdigest()[:16]


def kmrep(args, env, **kw):
    return subprocess.run([args.kmrep, "--db", kw.pop("db"), "-q"] + kw.pop("argv"), env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def current_schema(args, env, scratch):
    p = os.path.join(scratch, "schema-probe.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(p + suffix):
            os.remove(p + suffix)
    r = kmrep(args, env, db=p, argv=["list"])
    if r.returncode != 0:
        sys.exit("gen_db: kmrep list on an empty database failed: " + r.stderr.decode())
    s = schema_of(p)
    os.remove(p)
    return s


def meta_path(db):
    return db + ".meta.json"


def cached(db, want):
    """The database at db was built with want and nothing has changed it since
    (a `check` of an unknown name would have added a platform, say)."""
    try:
        with open(meta_path(db)) as f:
            have = json.load(f)
        if have != want or not os.path.exists(db):
            return False
        c = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        try:
            plats = c.execute("SELECT count(*) FROM platforms").fetchone()[0]
            n = c.execute("SELECT count(*) FROM complaints").fetchone()[0]
        finally:
            c.close()
        return plats == want["platforms"] and n == want.get("size", 0)
    except (OSError, ValueError, sqlite3.Error):
        return False


def checkpoint(path):
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def build_template(args, env, scratch, schema):
    out = os.path.join(args.out, "platforms-%d.db" % args.platforms)
    want = {"platforms": args.platforms, "schema": schema, "gen": GEN_VERSION}
    if cached(out, want):
        return out
    t0 = time.time()
    tmp = os.path.join(scratch, "platforms.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(tmp + suffix):
            os.remove(tmp + suffix)
    for k in range(args.platforms):
        r = kmrep(args, env, db=tmp, argv=[
            "add", gen_pages.platform_name(k), "--domain", gen_pages.platform_domain(k),
            "--heimao-couid", gen_pages.platform_couid(k)])
        if r.returncode != 0:
            sys.exit("gen_db: kmrep add failed: " + r.stderr.decode())
    checkpoint(tmp)
    shutil.move(tmp, out)
    with open(meta_path(out), "w") as f:
        json.dump(want, f)
    log("template with %d platforms in %.1f s" % (args.platforms, time.time() - t0))
    return out


def import_batch(args, env, db, files):
    r = kmrep(args, env, db=db, argv=["import", "--source", "heimao"] + files)
    if r.returncode != 0:
        sys.exit("gen_db: kmrep import failed (%d): %s" % (r.returncode, r.stderr.decode()[:500]))
    for f in files:
        os.remove(f)


def build_size(args, env, scratch, template, size, schema):
    out = os.path.join(args.out, "complaints-%d.db" % size)
    want = {"size": size, "platforms": args.platforms, "seed": args.seed, "schema": schema,
            "gen": GEN_VERSION, "now": args.now, "layout": LAYOUT}
    if cached(out, want):
        log("%s is up to date" % out)
        return out
    per = size // args.platforms
    if per % gen_pages.PER_PAGE or per == 0:
        sys.exit("gen_db: size/platforms must be a positive multiple of 10")
    n_pages = per // gen_pages.PER_PAGE
    t0 = time.time()
    tmp = os.path.join(scratch, "complaints-%d.db" % size)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(tmp + suffix):
            os.remove(tmp + suffix)
    shutil.copy(template, tmp)
    pages_dir = tempfile.mkdtemp(prefix="pages-", dir=scratch)
    now = gen_pages.parse_now(args.now)
    # Generation (Python) and import (kmrep) overlap: the pool imports the
    # previous batch while this thread writes the next one.
    pool = ThreadPoolExecutor(max_workers=1)
    pending = None
    batch, seq, done = [], 0, 0
    gens = [gen_pages.Gen(args.seed, now, per, k) for k in range(args.platforms)]
    # Round robin: page 1 of every platform, then page 2, ...  A platform's
    # rows end up spread over the whole table, as after months of nightly
    # refreshes, not stored side by side (which would flatter every per-
    # platform read).
    for p in range(1, n_pages + 1):
        for g in gens:
            seq += 1
            path = os.path.join(pages_dir, "%07d.json" % seq)
            with open(path, "wb") as f:
                f.write(g.page(p, n_pages))
            batch.append(path)
            if len(batch) >= FILES_PER_IMPORT:
                if pending:
                    pending.result()
                pending = pool.submit(import_batch, args, env, tmp, batch)
                done += len(batch)
                batch = []
                if done % (FILES_PER_IMPORT * 10) == 0:
                    log("%d: %d/%d pages (%.0f s)" % (size, done, size // 10,
                                                      time.time() - t0))
    if pending:
        pending.result()
    if batch:
        import_batch(args, env, tmp, batch)
    pool.shutdown()
    os.rmdir(pages_dir)
    checkpoint(tmp)
    db = sqlite3.connect("file:%s?mode=ro" % tmp, uri=True)
    n, orphans, plats = db.execute(
        "SELECT count(*), sum(platform_id IS NULL), count(DISTINCT platform_id)"
        " FROM complaints").fetchone()
    db.close()
    if n != size or orphans or plats != args.platforms:
        sys.exit("gen_db: %s has %d complaints (%s unmapped) over %d platforms, wanted %d/%d"
                 % (tmp, n, orphans, plats, size, args.platforms))
    shutil.move(tmp, out)
    with open(meta_path(out), "w") as f:
        json.dump(want, f)
    log("%s: %d complaints in %.1f s" % (out, size, time.time() - t0))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kmrep", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--platforms", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--now", default=gen_pages.DEFAULT_NOW)
    ap.add_argument("--scratch", default="/dev/shm" if os.path.isdir("/dev/shm") else None)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    env = dict(os.environ, KMREP_CONFIG=os.path.abspath(args.config),
               KMREP_NOW=args.now[:19] + "Z")
    scratch = tempfile.mkdtemp(prefix="kmrep-gen-db-", dir=args.scratch or args.out)
    try:
        schema = current_schema(args, env, scratch)
        template = build_template(args, env, scratch, schema)
        for s in (int(x) for x in args.sizes.split(",") if x):
            print(build_size(args, env, scratch, template, s, schema))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
