#!/usr/bin/python3
"""Makes the TIFF fixtures and their golden hashes (run once with Debian's python3: opencv 4.6, numpy).

Variants are cut from a real cell image (zheng-jtsc 003.bmp, GPL-3.0, Zheng et al. 2018) and written by the
small TIFF writer below. golden.csv records SHA-256 of cv2.imread(path, IMREAD_COLOR) converted BGR->RGB
(row-major), or 'none' where OpenCV returns None.

Usage: /usr/bin/python3 make_fixtures.py /work/shared/datasets
"""
import hashlib
import os
import struct
import sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def packbits(row):
    out = bytearray()
    i = 0
    n = len(row)
    while i < n:
        run = 1
        while i + run < n and run < 128 and row[i + run] == row[i]:
            run += 1
        if run >= 3:
            out += bytes([(257 - run) & 0xFF, row[i]])
            i += run
            continue
        start = i
        while i < n and i - start < 128:
            if i + 2 < n and row[i] == row[i + 1] == row[i + 2]:
                break
            i += 1
        out += bytes([i - start - 1]) + bytes(row[start:i])
    return bytes(out)


def write_tiff(path, img, photometric, big_endian=False, compression=1, rows_per_strip=None, short_offsets=False,
               planar=1, bits=8, tiles=False):
    """img: (h, w) or (h, w, c) uint8/uint16 array of stored sample values."""
    e = ">" if big_endian else "<"
    h, w = img.shape[:2]
    spp = 1 if img.ndim == 2 else img.shape[2]
    rps = rows_per_strip or h
    planes = [img] if planar == 1 or spp == 1 else [img[..., c] for c in range(spp)]
    strips = []
    for plane in planes:
        for y in range(0, h, rps):
            block = plane[y:y + rps]
            rows = [np.ascontiguousarray(r).astype(e + ("u2" if bits == 16 else "u1")).tobytes() for r in block]
            strips.append(b"".join(packbits(r) for r in rows) if compression == 32773 else b"".join(rows))
    data = bytearray(8)
    offsets = []
    for s in strips:
        offsets.append(len(data))
        data += s
        if len(data) % 2:
            data += b"\0"
    entries = []
    extra = bytearray()

    def add(tag, typ, values):
        entries.append((tag, typ, list(values)))

    add(256, 3, [w])
    add(257, 3, [h])
    add(258, 3, [bits] * spp)
    add(259, 3, [compression])
    add(262, 3, [photometric])
    add(273 if not tiles else 324, 3 if short_offsets else 4, offsets)
    add(277, 3, [spp])
    if tiles:
        add(322, 3, [w])
        add(323, 3, [h])
        add(325, 4, [len(s) for s in strips])
    else:
        add(278, 3, [rps])
        add(279, 3 if short_offsets else 4, [len(s) for s in strips])
    add(284, 3, [planar])
    entries.sort()
    ifd_offset = len(data)
    ifd_size = 2 + 12 * len(entries) + 4
    blob_base = ifd_offset + ifd_size
    ifd = struct.pack(e + "H", len(entries))
    for tag, typ, values in entries:
        fmt = "H" if typ == 3 else "I"
        packed = struct.pack(e + fmt * len(values), *values)
        if len(packed) <= 4:
            ifd += struct.pack(e + "HHI", tag, typ, len(values)) + packed + b"\0" * (4 - len(packed))
        else:
            ifd += struct.pack(e + "HHII", tag, typ, len(values), blob_base + len(extra))
            extra += packed
    ifd += struct.pack(e + "I", 0)
    header = (b"MM" if big_endian else b"II") + struct.pack(e + "HI", 42, ifd_offset)
    data[0:8] = header
    with open(path, "wb") as f:
        f.write(bytes(data) + ifd + bytes(extra))


def main(datasets):
    bgr = cv2.imread(os.path.join(datasets, "zheng-jtsc/images/003.bmp"))[35:66, 30:67].copy()   # 37 x 31
    rgb = bgr[..., ::-1].copy()
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    flat = rgb.copy()
    flat[:, 10:30] = rgb[5, 5]          # long runs so PackBits uses repeat codes too
    T = lambda name: os.path.join(HERE, name)
    write_tiff(T("rgb_le_raw.tif"), rgb, 2)
    write_tiff(T("rgb_be_raw.tif"), rgb, 2, big_endian=True)
    write_tiff(T("rgb_le_packbits.tif"), flat, 2, compression=32773)
    write_tiff(T("rgb_be_packbits_strips.tif"), flat, 2, big_endian=True, compression=32773, rows_per_strip=4)
    write_tiff(T("rgb_le_raw_strips_short.tif"), rgb, 2, rows_per_strip=7, short_offsets=True)
    write_tiff(T("rgb_le_planar.tif"), rgb, 2, planar=2, rows_per_strip=8)
    write_tiff(T("gray_le_raw.tif"), gray, 1)
    write_tiff(T("gray_be_packbits_strips.tif"), gray, 1, big_endian=True, compression=32773, rows_per_strip=5)
    write_tiff(T("gray_whiteiszero.tif"), 255 - gray, 0)
    # Refused by TiffDecoder (OpenCV reads some of them): 16-bit samples, tiles.
    write_tiff(T("unsupported_rgb16.tif"), rgb.astype(np.uint16) * 257, 2, bits=16)
    write_tiff(T("unsupported_tiled.tif"), rgb[:16, :16], 2, tiles=True)
    cv2.imwrite(T("unsupported_opencv_lzw.tif"), bgr)   # OpenCV writes LZW

    lines = ["file,width,height,color_sha256"]
    for name in sorted(os.listdir(HERE)):
        if not name.endswith(".tif"):
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
