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
              colors_used=0, rle=None, height=None):
    """rows: list of per-row byte strings (unpadded pixel bytes, top row first); or rle: the whole compressed
    stream (written unpadded) with height rows."""
    h = len(rows) if rle is None else height
    if rle is None:
        pitch = (len(rows[0]) + 3) & ~3
        body = b"".join(r + b"\0" * (pitch - len(r)) for r in (rows if top_down else rows[::-1]))
    else:
        body = rle
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


def rle8_rows(indices, eol=True):
    """RLE8 codes for each row (list of bytes): runs of 3 or more as (count, index), other stretches of 3 or
    more as absolute mode (0, count, indices, pad to a word), 1-2 leftovers as short runs; EOL after each row."""
    out = []
    for row in indices:
        row = [int(v) for v in row]
        code = bytearray()
        i = 0
        while i < len(row):
            run = 1
            while i + run < len(row) and run < 255 and row[i + run] == row[i]:
                run += 1
            if run >= 3:
                code += bytes([run, row[i]])
                i += run
                continue
            j = i
            while j < len(row) and j - i < 255 and not (j + 2 < len(row) and row[j] == row[j + 1] == row[j + 2]):
                j += 1
            lit = row[i:j]
            if len(lit) >= 3:
                code += bytes([0, len(lit)]) + bytes(lit) + (b"\0" if len(lit) % 2 else b"")
            else:
                for v in lit:
                    code += bytes([1, v])
            i = j
        if eol:
            code += b"\0\0"
        out.append(bytes(code))
    return out


def rle4_rows(indices, eol=True):
    """RLE4 codes: runs of 4 or more of one index as (count, index * 17), stretches of 3 or more as absolute
    mode (0, count, packed nibbles, pad to a word), 1-2 leftovers as (count, a << 4 | b); EOL after each row."""
    out = []
    for row in indices:
        row = [int(v) for v in row]
        code = bytearray()
        i = 0
        while i < len(row):
            run = 1
            while i + run < len(row) and run < 255 and row[i + run] == row[i]:
                run += 1
            if run >= 4:
                code += bytes([run, row[i] * 17])
                i += run
                continue
            j = i
            while j < len(row) and j - i < 255 and not all(j + k < len(row) and row[j + k] == row[j] for k in range(4)):
                j += 1
            lit = row[i:j]
            if len(lit) >= 3:
                packed = pack_bits(lit, 4)
                code += bytes([0, len(lit)]) + packed + (b"\0" if len(packed) % 2 else b"")
            else:
                code += bytes([len(lit), (lit[0] << 4) | (lit[-1] if len(lit) > 1 else 0)])
            i = j
        if eol:
            code += b"\0\0"
        out.append(bytes(code))
    return out


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
    # RLE8 / RLE4. A 33-pixel run of index 7, then End of Bitmap (once refused, now read).
    write_bmp(os.path.join(HERE, "rle8_tiny_eob.bmp"), [b"\x21\x07\x00\x01"], 8,
              palette=graypal, compression=1)
    poster = (bgr.astype(np.int32) // 64)                    # 4 levels per channel: runs in the background
    index64 = poster[..., 2] * 16 + poster[..., 1] * 4 + poster[..., 0]
    pal64 = [(bb * 85, gg * 85, rr * 85, 0) for rr in range(4) for gg in range(4) for bb in range(4)]
    pal64[0] = (30, 200, 90, 0)                              # what skipped pixels are filled with
    rows8 = rle8_rows(index64)
    B = lambda name: os.path.join(HERE, name)
    write_bmp(B("rle8_bottom_up.bmp"), None, 8, palette=pal64, colors_used=64, compression=1,
              rle=b"".join(rows8[::-1]) + b"\0\1", height=h)
    write_bmp(B("rle8_top_down.bmp"), None, 8, palette=pal64, colors_used=64, compression=1, top_down=True,
              rle=b"".join(rows8) + b"\0\1", height=h)
    write_bmp(B("rle8_no_eob.bmp"), None, 8, palette=pal64, colors_used=64, compression=1,
              rle=b"".join(rows8[::-1]), height=h)
    write_bmp(B("rle8_no_eol.bmp"), None, 8, palette=pal64, colors_used=64, compression=1,
              rle=b"".join(rle8_rows(index64, eol=False)[::-1]) + b"\0\1", height=h)
    write_bmp(B("rle8_palette_short.bmp"), None, 8, palette=pal64[:20], colors_used=20, compression=1,
              rle=b"".join(rows8[::-1]) + b"\0\1", height=h)
    # Escapes on a 6 x 5 image (bottom-up). OpenCV moves a delta (dx, dy) as dy * width + dx pixels in raster
    # order, filling with palette entry 0. Row 0: a run of 3, a delta (+1, +1) that ends at column 4 of row 1; a
    # run of 2 ends row 1 (and wraps), EOL (ignored right after a wrapping run); an absolute run fills row 2
    # (no wrap), EOL (moves on); a run fills row 3, EOL (ignored), EOL (fills row 4 with entry 0). The trailing
    # EOB is never read.
    WIDTH[0] = 6
    escapes = bytes([3, 9, 0, 2, 1, 1, 2, 21, 0, 0, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 6, 42, 0, 0, 0, 0, 0, 1])
    write_bmp(B("rle8_escapes.bmp"), None, 8, palette=pal64, colors_used=64, compression=1, rle=escapes, height=5)
    # A delta (+2, +1) from column 3 lands on column 5 of the next row, so the run of 2 after it crosses the row end.
    write_bmp(B("rle8_bad_run_after_delta.bmp"), None, 8, palette=pal64, colors_used=64, compression=1,
              rle=bytes([3, 9, 0, 2, 2, 1, 2, 21, 0, 1]), height=5)
    # EOB after two pixels: the rest of the image is palette entry 0.
    write_bmp(B("rle8_early_eob.bmp"), None, 8, palette=pal64, colors_used=64, compression=1,
              rle=bytes([2, 33, 0, 1]), height=5)
    # Damaged: a run past the row end, an absolute run past the row end, a delta past the image end, a stream
    # cut short (no EOB), and a stream that ends inside an absolute run.
    write_bmp(B("rle8_bad_run_past_row.bmp"), None, 8, palette=pal64, colors_used=64, compression=1,
              rle=bytes([4, 9, 3, 10, 0, 1]), height=2)
    write_bmp(B("rle8_bad_absolute_past_row.bmp"), None, 8, palette=pal64, colors_used=64, compression=1,
              rle=bytes([0, 7, 1, 2, 3, 4, 5, 6, 7, 0, 0, 1]), height=2)
    write_bmp(B("rle8_delta_past_end.bmp"), None, 8, palette=pal64, colors_used=64, compression=1,
              rle=bytes([2, 9, 0, 2, 1, 9, 3, 3]), height=3)
    WIDTH[0] = w
    write_bmp(B("rle8_bad_truncated.bmp"), None, 8, palette=pal64, colors_used=64, compression=1,
              rle=b"".join(rows8[::-1])[:200], height=h)
    write_bmp(B("rle8_bad_truncated_absolute.bmp"), None, 8, palette=pal64, colors_used=64, compression=1,
              rle=bytes([0, 20, 1, 2, 3]), height=h)

    index16 = gray >> 4
    ramp16b = [(40 + 13 * i, 200 - 12 * i, 17 * i, 0) for i in range(16)]
    rows4 = rle4_rows(index16)
    write_bmp(B("rle4_bottom_up.bmp"), None, 4, palette=ramp16b, compression=2,
              rle=b"".join(rows4[::-1]) + b"\0\1", height=h)
    write_bmp(B("rle4_top_down.bmp"), None, 4, palette=ramp16b, compression=2, top_down=True,
              rle=b"".join(rows4) + b"\0\1", height=h)
    write_bmp(B("rle4_no_eol.bmp"), None, 4, palette=ramp16b, compression=2,
              rle=b"".join(rle4_rows(index16, eol=False)[::-1]) + b"\0\1", height=h)
    # Escapes on a 6 x 4 image, as OpenCV reads them: a two-colour run of 2, a delta (+1, dy ignored), an
    # absolute run of 3 ending row 0 (encoded and absolute runs never wrap), EOL (moves on), EOB (which OpenCV
    # treats as end of line: row 1 becomes palette entry 0), a run of 6, EOL, EOL (fills row 3).
    WIDTH[0] = 6
    escapes4 = bytes([2, 0x5A, 0, 2, 1, 2, 0, 3, 0x12, 0x30, 0, 0, 0, 1, 6, 0x77, 0, 0, 0, 0, 0, 1])
    write_bmp(B("rle4_escapes.bmp"), None, 4, palette=ramp16b, compression=2, rle=escapes4, height=4)
    write_bmp(B("rle4_bad_absolute_past_row.bmp"), None, 4, palette=ramp16b, compression=2,
              rle=bytes([3, 0x5A, 0, 2, 1, 2, 0, 3, 0x12, 0x30, 0, 1]), height=4)
    write_bmp(B("rle4_bad_run_past_row.bmp"), None, 4, palette=ramp16b, compression=2,
              rle=bytes([7, 0x12, 0, 1]), height=2)
    write_bmp(B("rle4_bad_eob_then_nothing.bmp"), None, 4, palette=ramp16b, compression=2,
              rle=bytes([6, 0x12, 0, 1]), height=3)
    WIDTH[0] = w
    write_bmp(B("rle4_bad_truncated.bmp"), None, 4, palette=ramp16b, compression=2,
              rle=b"".join(rows4[::-1])[:150], height=h)
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
