"""Slider captcha challenges drawn the way research/icp-sources.md §2.4 says
the registry's are (SYNTH: no real slider-era image was captured): a
background picture whose gap is filled with one flat colour, and the piece
(the picture's pixels under the piece's shape, transparent around it) as a
separate PNG; `height` is the piece's top row in the picture and the answer
is the x of the piece's left edge.

Backgrounds vary: linear gradients, per-pixel noise, photo-like textures
(smooth multi-scale value noise with soft blobs and flat rectangles that
look like a gap to a colour count) and low-contrast ones where the gap's
colour is 8-28 levels from its surroundings.  The gap's place, size,
shape (square, rounded, jigsaw knobs) and colour vary too.

Python stdlib only: PNG is written with zlib + struct (filter 0 on every
row, so the tests can read it back just as simply).

  python3 slider_gen.py N DIR [SEED]   writes DIR/NNNN.big.png, .small.png
                                       and DIR/index.tsv (name gap top kind)
  python3 slider_gen.py --bundle N FILE [SEED]
                                       one line per challenge: name gap top
                                       kind big-base64 small-base64
"""

import math
import os
import random
import struct
import sys
import zlib

KINDS = ("gradient", "noise", "texture", "lowcontrast")


def png(w, h, rows, alpha):
    """A PNG of 8-bit RGB (alpha False) or RGBA rows (bytes each)."""
    raw = b"".join(b"\x00" + r for r in rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ctype = 6 if alpha else 2
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, ctype, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def png_read(data):
    """(w, h, channels, rows) of a PNG written by png() (filter 0 only)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n = struct.unpack(">I", data[pos:pos + 4])[0]
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    ch = {0: 1, 2: 3, 6: 4}[ctype]
    raw = zlib.decompress(idat)
    stride = w * ch + 1
    rows = []
    for y in range(h):
        assert raw[y * stride] == 0, "filter 0 only"
        rows.append(raw[y * stride + 1:(y + 1) * stride])
    return w, h, ch, rows


def _clamp(v):
    return 0 if v < 0 else 255 if v > 255 else int(v)


def _value_noise(rng, w, h, cell):
    """Smooth noise in [-1, 1]: a random grid every `cell` px, bilinear."""
    gw, gh = w // cell + 2, h // cell + 2
    grid = [[rng.uniform(-1, 1) for _ in range(gw)] for _ in range(gh)]
    xs = [(x // cell, (x % cell) / cell) for x in range(w)]
    out = []
    for y in range(h):
        gy, fy = y // cell, (y % cell) / cell
        g0, g1 = grid[gy], grid[gy + 1]
        row = [(g0[i] * (1 - fx) + g0[i + 1] * fx) * (1 - fy) + (g1[i] * (1 - fx) + g1[i + 1] * fx) * fy
               for i, fx in xs]
        out.append(row)
    return out


def _background(rng, kind, w, h):
    """Rows of [r, g, b] lists (floats allowed) and a contrast hint."""
    if kind == "gradient":
        c0 = [rng.randrange(256) for _ in range(3)]
        c1 = [rng.randrange(256) for _ in range(3)]
        ang = rng.uniform(0, 2 * math.pi)
        dx, dy = math.cos(ang), math.sin(ang)
        span = abs(dx) * w + abs(dy) * h
        base = min(0, dx * w) + min(0, dy * h)
        noise = rng.choice((0, 2, 4))
        rows = []
        for y in range(h):
            row = []
            for x in range(w):
                t = (dx * x + dy * y - base) / span
                n = rng.uniform(-noise, noise) if noise else 0
                row.append([c0[c] + (c1[c] - c0[c]) * t + n for c in range(3)])
            rows.append(row)
        return rows
    if kind == "noise":
        base = [rng.randrange(40, 216) for _ in range(3)]
        amp = rng.choice((20, 40, 60))
        mono = rng.random() < 0.5
        rows = []
        for y in range(h):
            row = []
            for x in range(w):
                if mono:
                    n = rng.uniform(-amp, amp)
                    row.append([base[0] + n, base[1] + n, base[2] + n])
                else:
                    row.append([base[c] + rng.uniform(-amp, amp) for c in range(3)])
            rows.append(row)
        return rows
    # texture / lowcontrast: photo-like — multi-scale smooth noise mapped
    # through a random palette, with blobs and a horizon band.
    amp = 25 if kind == "lowcontrast" else rng.choice((60, 90, 120))
    coarse = _value_noise(rng, w, h, rng.choice((40, 60, 90)))
    fine = _value_noise(rng, w, h, rng.choice((6, 10, 16)))
    base = [rng.randrange(60, 196) for _ in range(3)]
    tint = [rng.uniform(0.4, 1.0) for _ in range(3)]
    tint2 = [rng.uniform(0.2, 1.0) for _ in range(3)]
    grain = 2 if kind == "lowcontrast" else rng.choice((3, 6, 10))
    rows = []
    for y in range(h):
        cr, fr = coarse[y], fine[y]
        row = []
        for x in range(w):
            a, b = cr[x] * amp, fr[x] * amp * 0.35
            g = rng.uniform(-grain, grain)
            row.append([base[0] + a * tint[0] + b * tint2[0] + g,
                        base[1] + a * tint[1] + b * tint2[1] + g,
                        base[2] + a * tint[2] + b * tint2[2] + g])
        rows.append(row)
    if kind == "texture":
        for _ in range(rng.randrange(0, 3)):          # distractors: flat rectangles
            rw, rh = rng.randrange(15, 90), rng.randrange(15, 90)
            rx, ry = rng.randrange(w - rw), rng.randrange(h - rh)
            col = [rng.randrange(256) for _ in range(3)]
            for y in range(ry, ry + rh):
                rows[y][rx:rx + rw] = [col] * rw
        for _ in range(rng.randrange(0, 5)):          # objects: soft-edged blobs
            cx, cy, r = rng.randrange(w), rng.randrange(h), rng.randrange(10, 50)
            col = [rng.randrange(256) for _ in range(3)]
            for y in range(max(0, cy - r), min(h, cy + r)):
                for x in range(max(0, cx - r), min(w, cx + r)):
                    d = math.hypot(x - cx, y - cy) / r
                    if d < 1:
                        k = 0.8 * (1 - d * d)
                        p = rows[y][x]
                        rows[y][x] = [p[c] * (1 - k) + col[c] * k for c in range(3)]
    return rows


def _mask(rng, size):
    """(pw, ph, rows of 0/1): the piece's shape in its bounding box."""
    shape = rng.choice(("square", "rounded", "jigsaw", "jigsaw"))
    if shape != "jigsaw":
        rad = size // 5 if shape == "rounded" else 0
        m = []
        for y in range(size):
            row = []
            for x in range(size):
                cx = min(max(x, rad), size - 1 - rad)
                cy = min(max(y, rad), size - 1 - rad)
                row.append(1 if (x - cx) ** 2 + (y - cy) ** 2 <= rad * rad else 0)
            m.append(row)
        return size, size, m
    # a square body with round knobs on the top and right, as jigsaw pieces
    r = size // 6
    pw, ph = size + 2 * r, size + 2 * r
    top_knob = (2 * r + size // 2, r + 1)   # centre (x, y) of the knob above the body
    right_knob = (size + r - 1, 2 * r + size // 2)
    m = []
    for y in range(ph):
        row = []
        for x in range(pw):
            body = r <= x < r + size and 2 * r <= y < 2 * r + size
            kt = (x - top_knob[0]) ** 2 + (y - top_knob[1]) ** 2 <= r * r
            kr = (x - right_knob[0]) ** 2 + (y - right_knob[1]) ** 2 <= r * r
            row.append(1 if body or kt or kr else 0)
        m.append(row)
    return pw, ph, m


def challenge(rng, kind=None):
    """One challenge: {"big": PNG bytes (RGB), "small": PNG bytes (RGBA),
    "gap": x, "top": y, "kind": ..., "big_rgb": rows, "small_rgba": rows}."""
    kind = kind or rng.choice(KINDS)
    w, h = rng.randrange(280, 361, 4), rng.randrange(140, 181, 4)
    pw, ph, m = _mask(rng, rng.randrange(38, 57, 2))
    bg = _background(rng, kind, w, h)
    gap = rng.randrange(pw + 10, w - pw - 2)
    top = rng.randrange(2, h - ph - 2)
    # the gap's flat colour: white-ish, a random colour, or (low contrast)
    # the local mean shifted a little
    inside = [bg[top + y][gap + x] for y in range(ph) for x in range(pw) if m[y][x]]
    mean = [sum(p[c] for p in inside) / len(inside) for c in range(3)]
    how = "near" if kind == "lowcontrast" else rng.choice(("white", "grey", "random", "near"))
    if how == "white":
        fill = [rng.randrange(225, 256)] * 3
    elif how == "grey":
        fill = [rng.randrange(60, 200)] * 3
    elif how == "random":
        fill = [rng.randrange(256) for _ in range(3)]
    else:
        d = rng.choice((-1, 1)) * rng.uniform(8, 28)
        fill = [_clamp(mean[c] + d) for c in range(3)]
    fill = [_clamp(v) for v in fill]
    small_rows = []
    for y in range(ph):
        row = bytearray()
        for x in range(pw):
            p = bg[top + y][gap + x]
            row += bytes((_clamp(p[0]), _clamp(p[1]), _clamp(p[2]), 255 if m[y][x] else 0))
        small_rows.append(bytes(row))
    for y in range(ph):
        for x in range(pw):
            if m[y][x]:
                bg[top + y][gap + x] = fill
    big_rows = [bytes(_clamp(v) for p in row for v in p) for row in bg]
    return {"big": png(w, h, big_rows, False), "small": png(pw, ph, small_rows, True),
            "gap": gap, "top": top, "kind": kind, "w": w, "h": h, "pw": pw, "ph": ph}


def find_gap(big_png, small_png, top):
    """The x where the piece's shape covers one flat colour in the picture
    (exact: for PNG challenges made here), or None."""
    w, h, ch, big = png_read(big_png)
    pw, ph, _, small = png_read(small_png)
    mask = [(y, x) for y in range(ph) for x in range(pw) if small[y][x * 4 + 3] >= 128]
    for gx in range(0, w - pw + 1):
        y0, x0 = mask[0]
        ref = big[top + y0][(gx + x0) * ch:(gx + x0) * ch + ch]
        if all(big[top + y][(gx + x) * ch:(gx + x) * ch + ch] == ref for y, x in mask):
            return gx
    return None


def main():
    if sys.argv[1] == "--bundle":
        # one line per challenge: name gap top kind big-base64 small-base64
        import base64
        n, out = int(sys.argv[2]), sys.argv[3]
        rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 13)
        with open(out, "w") as f:
            for i in range(n):
                c = challenge(rng, KINDS[i % len(KINDS)])
                f.write("%04d\t%d\t%d\t%s\t%s\t%s\n" % (
                    i, c["gap"], c["top"], c["kind"], base64.b64encode(c["big"]).decode(),
                    base64.b64encode(c["small"]).decode()))
        return
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 13)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "index.tsv"), "w") as idx:
        for i in range(n):
            c = challenge(rng, KINDS[i % len(KINDS)])
            name = "%04d" % i
            with open(os.path.join(out, name + ".big.png"), "wb") as f:
                f.write(c["big"])
            with open(os.path.join(out, name + ".small.png"), "wb") as f:
                f.write(c["small"])
            idx.write("%s\t%d\t%d\t%s\n" % (name, c["gap"], c["top"], c["kind"]))


if __name__ == "__main__":
    main()
