#!/usr/bin/python3
"""Makes the PNG fixtures and their golden hashes (run once with Debian's python3: opencv 4.6, numpy).

Every variant is cut from one real cell image (zheng-jtsc 001.bmp, GPL-3.0, Zheng et al. 2018) and written by
the small PNG writer below, which can produce every colour type, bit depth, filter, interlace and chunk layout.
golden.csv then records what OpenCV 4.6 returns: SHA-256 of cv2.imread(path, IMREAD_COLOR) converted BGR->RGB
(row-major bytes) and of cv2.imread(path, IMREAD_GRAYSCALE), or 'none' where OpenCV returns None.

Usage: /usr/bin/python3 make_fixtures.py /work/shared/datasets
"""
import hashlib
import os
import struct
import sys
import zlib

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = np.random.default_rng(20240601)


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_row(kind, row, prev, bpp):
    out = bytearray(len(row))
    for i in range(len(row)):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][kind]
        out[i] = (row[i] - pred) & 0xFF
    return bytes([kind]) + bytes(out)


def pack_row(samples, depth):
    """samples: 1-D uint array of one row's samples (all channels interleaved)."""
    if depth == 8:
        return bytes(np.asarray(samples, dtype=np.uint8))
    if depth == 16:
        return np.asarray(samples, dtype=">u2").tobytes()
    bits = "".join(format(int(s), "0%db" % depth) for s in samples)
    bits += "0" * (-len(bits) % 8)
    return bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def write_png(path, samples, color_type, depth, interlace=0, palette=None, trns=None, idat_pieces=1,
              extra_chunks=(), filters=(0, 1, 2, 3, 4)):
    """samples: array (h, w, channels) of sample values at the given depth."""
    h, w, ch = samples.shape
    bpp = max(1, ch * depth // 8)
    raw = bytearray()
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    row_index = 0
    for (x0, y0, dx, dy) in passes:
        sub = samples[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        prev = bytes(len(pack_row(sub[0].reshape(-1), depth)))
        for r in sub:
            row = pack_row(r.reshape(-1), depth)
            raw += filter_row(filters[row_index % len(filters)], row, prev, bpp)
            prev = row
            row_index += 1
    data = zlib.compress(bytes(raw), 9)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, interlace))
    for kind, body in extra_chunks:
        out += chunk(kind, body)
    if palette is not None:
        out += chunk(b"PLTE", bytes(np.asarray(palette, dtype=np.uint8).reshape(-1)))
    if trns is not None:
        out += chunk(b"tRNS", trns)
    step = -(-len(data) // idat_pieces)
    for i in range(0, len(data), step):
        out += chunk(b"IDAT", data[i:i + step])
    out += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(out)


def main(datasets):
    bgr = cv2.imread(os.path.join(datasets, "zheng-jtsc/images/001.bmp"))
    rgb = bgr[30:67, 35:76, ::-1].copy()          # 41 x 37: odd sizes exercise partial Adam7 blocks and bit packing
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    low = RNG.integers(0, 256, size=(h, w, 4), dtype=np.uint16)   # random low bytes for 16-bit samples
    alpha = RNG.integers(0, 256, size=(h, w, 1), dtype=np.uint16)
    g1 = gray[..., None].astype(np.uint16)
    c3 = rgb.astype(np.uint16)

    variants = {}

    def add(name, *args, **kwargs):
        variants[name] = (args, kwargs)

    for depth in (1, 2, 4, 8):
        add("gray%d" % depth, g1 >> (8 - depth), 0, depth)
        add("gray%d_adam7" % depth, g1 >> (8 - depth), 0, depth, interlace=1)
    add("gray16", g1 * 256 + low[..., :1], 0, 16)
    add("gray16_adam7", g1 * 256 + low[..., :1], 0, 16, interlace=1)
    add("gray8_trns", g1, 0, 8, trns=struct.pack(">H", int(gray[0, 0])))
    add("rgb8", c3, 2, 8)
    add("rgb8_adam7", c3, 2, 8, interlace=1)
    add("rgb8_trns", c3, 2, 8, trns=struct.pack(">HHH", *[int(v) for v in rgb[0, 0]]))
    add("rgb8_multi_idat", c3, 2, 8, idat_pieces=7)
    add("rgb8_gama", c3, 2, 8, extra_chunks=[(b"gAMA", struct.pack(">I", 45455))])
    add("rgb16", c3 * 256 + low[..., :3], 2, 16)
    add("rgb16_adam7", c3 * 256 + low[..., :3], 2, 16, interlace=1)
    add("graya8", np.concatenate([g1, alpha], axis=2), 4, 8)
    add("graya16", np.concatenate([g1 * 256 + low[..., :1], alpha * 257], axis=2), 4, 16)
    add("graya8_adam7", np.concatenate([g1, alpha], axis=2), 4, 8, interlace=1)
    add("rgba8", np.concatenate([c3, alpha], axis=2), 6, 8)
    add("rgba8_adam7", np.concatenate([c3, alpha], axis=2), 6, 8, interlace=1)
    add("rgba16", np.concatenate([c3 * 256 + low[..., :3], alpha * 257 + 1], axis=2), 6, 16)
    # Palettes: 8-bit from a 6x6x6 colour cube; 1/2/4-bit from a colour ramp indexed by grey level.
    cube = (c3 * 6) // 256
    index8 = (cube[..., 0] * 36 + cube[..., 1] * 6 + cube[..., 2])[..., None]
    palette8 = [(r * 51, g * 51, b * 51) for r in range(6) for g in range(6) for b in range(6)]
    add("pal8", index8, 3, 8, palette=palette8)
    add("pal8_adam7", index8, 3, 8, palette=palette8, interlace=1)
    add("pal8_trns", index8, 3, 8, palette=palette8, trns=bytes(range(0, 256, 7)))
    for depth in (1, 2, 4):
        n = 1 << depth
        ramp = [(255 * i // (n - 1), 200 - 150 * i // (n - 1), 60 + 100 * i // (n - 1)) for i in range(n)]
        add("pal%d" % depth, g1 >> (8 - depth), 3, depth, palette=ramp)
        add("pal%d_adam7" % depth, g1 >> (8 - depth), 3, depth, palette=ramp, interlace=1)
    # Indices above the palette length (only 100 of 216 entries given).
    add("pal8_short_palette", index8, 3, 8, palette=palette8[:100])
    # Tiny images: Adam7 with empty passes.
    add("rgb8_1x1_adam7", c3[:1, :1], 2, 8, interlace=1)
    add("rgb8_3x2_adam7", c3[:2, :3], 2, 8, interlace=1)
    add("gray1_5x9_adam7", (g1 >> 7)[:9, :5], 0, 1, interlace=1)

    os.makedirs(HERE, exist_ok=True)
    lines = ["file,width,height,color_sha256,gray_sha256"]
    for name, (args, kwargs) in variants.items():
        path = os.path.join(HERE, name + ".png")
        write_png(path, *args, **kwargs)

    # Files written by OpenCV itself and two real ground-truth masks, unchanged.
    cv2.imwrite(os.path.join(HERE, "opencv_rgb.png"), bgr[30:67, 35:76])
    for mask in ("001.png", "002.png"):
        with open(os.path.join(datasets, "zheng-jtsc/masks", mask), "rb") as f:
            data = f.read()
        with open(os.path.join(HERE, "mask_jtsc_" + mask), "wb") as f:
            f.write(data)

    for name in sorted(os.listdir(HERE)):
        if not name.endswith(".png"):
            continue
        path = os.path.join(HERE, name)
        color = cv2.imread(path, cv2.IMREAD_COLOR)
        grey = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
        if color is None:
            lines.append("%s,0,0,none,none" % name)
            continue
        color_hash = hashlib.sha256(np.ascontiguousarray(color[..., ::-1]).tobytes()).hexdigest()
        grey_hash = hashlib.sha256(np.ascontiguousarray(grey).tobytes()).hexdigest() if grey is not None else "none"
        lines.append("%s,%d,%d,%s,%s" % (name, color.shape[1], color.shape[0], color_hash, grey_hash))
    with open(os.path.join(HERE, "golden.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/datasets")
