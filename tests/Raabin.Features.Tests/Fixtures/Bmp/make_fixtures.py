#!/usr/bin/python3
"""Makes the BMP fixtures and their golden hashes (run once with Debian's python3: opencv 4.6, numpy).

Variants are cut from a real cell image (zheng-jtsc 002.bmp, GPL-3.0, Zheng et al. 2018) and written by the
small BMP writer below; one real file is copied unchanged. golden.csv records SHA-256 of
cv2.imread(path, IMREAD_COLOR) converted BGR->RGB (row-major), or 'none' where OpenCV returns None.

Usage: /usr/bin/python3 make_fixtures.py /work/shared/datasets
"""
import hashlib
import os
import shutil
import struct
import sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = np.random.default_rng(20240602)


def write_bmp(path, rows, bpp, top_down=False, palette=None, compression=0, header_size=40, masks=None,
              colors_used=0):
    """rows: list of per-row byte strings (unpadded pixel bytes, top row first)."""
    h = len(rows)
    pitch = (len(rows[0]) + 3) & ~3
    body = b"".join((r if top_down else r) + b"\0" * (pitch - len(r)) for r in (rows if top_down else rows[::-1]))
    width = WIDTH[0]
    info = struct.pack("<IiiHHIIiiII", header_size, width, -h if top_down else h, 1, bpp, compression,
                       len(body), 2835, 2835, colors_used, 0)
    extra = b""
    if header_size > 40:
        tail = bytearray(header_size - 40)
        if masks is not None:
            tail[0:12] = struct.pack("<III", *masks[:3])
            if len(masks) > 3:
                tail[12:16] = struct.pack("<I", masks[3])
        info += bytes(tail)
    elif masks is not None:
        extra = struct.pack("<III", *masks[:3])
    pal = b"" if palette is None else bytes(np.asarray(palette, dtype=np.uint8).reshape(-1))
    offset = 14 + len(info) + len(extra) + len(pal)
    head = b"BM" + struct.pack("<IHHI", offset + len(body), 0, 0, offset)
    with open(path, "wb") as f:
        f.write(head + info + extra + pal + body)


WIDTH = [0]


def pack_bits(indices, bits):
    s = "".join(format(int(i), "0%db" % bits) for i in indices)
    s += "0" * (-len(s) % 8)
    return bytes(int(s[i:i + 8], 2) for i in range(0, len(s), 8))


def main(datasets):
    src = os.path.join(datasets, "zheng-jtsc/images/002.bmp")
    shutil.copyfile(src, os.path.join(HERE, "zheng_jtsc_002.bmp"))
    bgr = cv2.imread(src)[40:69, 37:70].copy()     # 33 x 29: 24-bit rows need 1 padding byte
    h, w, _ = bgr.shape
    WIDTH[0] = w
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    alpha = RNG.integers(0, 256, size=(h, w, 1), dtype=np.uint8)
    rows24 = [bytes(r) for r in bgr.reshape(h, -1)]
    rows32 = [bytes(r) for r in np.concatenate([bgr, alpha], axis=2).reshape(h, -1)]

    write_bmp(os.path.join(HERE, "bgr24_bottom_up.bmp"), rows24, 24)
    write_bmp(os.path.join(HERE, "bgr24_top_down.bmp"), rows24, 24, top_down=True)
    write_bmp(os.path.join(HERE, "bgr24_v4_header.bmp"), rows24, 24, header_size=108)
    write_bmp(os.path.join(HERE, "bgra32_rgb.bmp"), rows32, 32)
    write_bmp(os.path.join(HERE, "bgra32_bitfields.bmp"), rows32, 32, compression=3,
              masks=(0xFF0000, 0xFF00, 0xFF))
    write_bmp(os.path.join(HERE, "bgra32_bitfields_v5_top_down.bmp"), rows32, 32, compression=3, header_size=124,
              masks=(0xFF0000, 0xFF00, 0xFF, 0xFF000000), top_down=True)
    # 16-bit: 5-5-5 (BI_RGB) and 5-6-5 (BI_BITFIELDS).
    b, g, r = [bgr[..., i].astype(np.uint16) for i in range(3)]
    v555 = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3)
    v565 = ((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3)
    write_bmp(os.path.join(HERE, "bgr555.bmp"), [row.astype("<u2").tobytes() for row in v555], 16)
    write_bmp(os.path.join(HERE, "bgr565_bitfields.bmp"), [row.astype("<u2").tobytes() for row in v565], 16,
              compression=3, masks=(0xF800, 0x7E0, 0x1F))
    # Palettes (B, G, R, 0 entries).
    cube = (bgr.astype(np.int32) * 6) // 256
    index8 = cube[..., 2] * 36 + cube[..., 1] * 6 + cube[..., 0]
    pal8 = [(bb * 51, gg * 51, rr * 51, 0) for rr in range(6) for gg in range(6) for bb in range(6)]
    pal8 += [(0, 0, 0, 0)] * (256 - len(pal8))
    write_bmp(os.path.join(HERE, "pal8.bmp"), [bytes(row.astype(np.uint8)) for row in index8], 8, palette=pal8)
    write_bmp(os.path.join(HERE, "pal8_top_down.bmp"), [bytes(row.astype(np.uint8)) for row in index8], 8,
              palette=pal8, top_down=True)
    write_bmp(os.path.join(HERE, "pal8_clrused_100.bmp"), [bytes(row.astype(np.uint8)) for row in index8], 8,
              palette=pal8[:100], colors_used=100)
    graypal = [(i, i, i, 0) for i in range(256)]
    write_bmp(os.path.join(HERE, "gray8.bmp"), [bytes(row) for row in gray], 8, palette=graypal)
    ramp16 = [(40 + 13 * i, 200 - 12 * i, 17 * i, 0) for i in range(16)]
    write_bmp(os.path.join(HERE, "pal4.bmp"), [pack_bits(row >> 4, 4) for row in gray], 4, palette=ramp16)
    write_bmp(os.path.join(HERE, "pal1.bmp"), [pack_bits(row >> 7, 1) for row in gray], 1,
              palette=[(30, 60, 90, 0), (250, 240, 200, 0)])
    # Refused by our decoder: RLE8 (OpenCV reads it); kept to check the message.
    write_bmp(os.path.join(HERE, "unsupported_rle8.bmp"), [b"\x21\x07\x00\x01"], 8,
              palette=graypal, compression=1)
    cv2.imwrite(os.path.join(HERE, "opencv_bgr.bmp"), bgr)
    cv2.imwrite(os.path.join(HERE, "opencv_gray.bmp"), gray)

    lines = ["file,width,height,color_sha256"]
    for name in sorted(os.listdir(HERE)):
        if not name.endswith(".bmp"):
            continue
        img = cv2.imread(os.path.join(HERE, name), cv2.IMREAD_COLOR)
        if img is None:
            lines.append("%s,0,0,none" % name)
            continue
        digest = hashlib.sha256(np.ascontiguousarray(img[..., ::-1]).tobytes()).hexdigest()
        lines.append("%s,%d,%d,%s" % (name, img.shape[1], img.shape[0], digest))
    with open(os.path.join(HERE, "golden.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/datasets")
