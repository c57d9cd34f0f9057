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
import zlib

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


def horizontal_difference(block):
    """TIFF predictor 2 on 8-bit samples: each sample minus the same sample of the pixel to its left, mod 256."""
    a = block.astype(np.int16)
    d = a.copy()
    d[:, 1:] = a[:, 1:] - a[:, :-1]
    return (d & 0xFF).astype(np.uint8)


def pack_nibbles(row):
    row = [int(v) for v in row] + ([0] if len(row) % 2 else [])
    return bytes((row[i] << 4) | row[i + 1] for i in range(0, len(row), 2))


def lzw_encode(data, compat=False, eoi=True):
    """TIFF LZW. New style: codes packed most significant bit first, the code width grows one code early
    (after entry 2^n - 2 is made, as libtiff writes it). compat: the pre-6.0 'old-style' variant libtiff still
    reads, least significant bit first and growing only after entry 2^n - 1. Clear is sent when the table nears
    4094 entries."""
    out = bytearray()
    acc = 0
    nacc = 0
    width = 9

    def emit(code):
        nonlocal acc, nacc
        if compat:
            acc |= code << nacc
            nacc += width
            while nacc >= 8:
                out.append(acc & 0xFF)
                acc >>= 8
                nacc -= 8
        else:
            acc = (acc << width) | code
            nacc += width
            while nacc >= 8:
                out.append((acc >> (nacc - 8)) & 0xFF)
                nacc -= 8
                acc &= (1 << nacc) - 1

    late = 1 if compat else 0
    table = {bytes([i]): i for i in range(256)}
    free = 258
    emit(256)
    w = b""
    for c in data:
        wc = w + bytes([c])
        if wc in table:
            w = wc
            continue
        emit(table[w])
        table[wc] = free
        free += 1
        if free == (1 << width) + late:
            width += 1
        if free >= 4093:
            emit(256)
            table = {bytes([i]): i for i in range(256)}
            free = 258
            width = 9
        w = bytes([c])
    if w:
        emit(table[w])
    if eoi:
        free += 1
        if free == (1 << width) + late:
            width += 1
        emit(257)
    if nacc:
        out.append(((acc << (8 - nacc)) & 0xFF) if not compat else (acc & 0xFF))
    return bytes(out)


def write_tiff(path, img, photometric, big_endian=False, compression=1, rows_per_strip=None, short_offsets=False,
               planar=1, bits=8, tiles=False, predictor=None, extra_samples=None, colormap=None, damage=None,
               lzw_compat=False, lzw_eoi=True):
    """img: (h, w) or (h, w, c) uint8/uint16 array of stored sample values (palette indices for photometric 3;
    4-bit indices are packed two to a byte, high nibble first). damage(index, strip_bytes) may corrupt a strip."""
    e = ">" if big_endian else "<"
    h, w = img.shape[:2]
    spp = 1 if img.ndim == 2 else img.shape[2]
    rps = rows_per_strip or h
    planes = [img] if planar == 1 or spp == 1 else [img[..., c] for c in range(spp)]
    strips = []
    for plane in planes:
        for y in range(0, h, rps):
            block = plane[y:y + rps]
            if predictor == 2:
                block = horizontal_difference(block)
            if bits == 4:
                rows = [pack_nibbles(r) for r in block]
            else:
                rows = [np.ascontiguousarray(r).astype(e + ("u2" if bits == 16 else "u1")).tobytes() for r in block]
            raw = b"".join(rows)
            if compression == 32773:
                strip = b"".join(packbits(r) for r in rows)
            elif compression == 5:
                strip = lzw_encode(raw, compat=lzw_compat, eoi=lzw_eoi)
            elif compression in (8, 32946):
                strip = zlib.compress(raw, 9)
            else:
                strip = raw
            strips.append(damage(len(strips), strip) if damage else strip)
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
    if predictor is not None:
        add(317, 3, [predictor])
    if colormap is not None:
        add(320, 3, list(colormap[:, 0]) + list(colormap[:, 1]) + list(colormap[:, 2]))
    if extra_samples is not None:
        add(338, 3, extra_samples)
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
    cv2.imwrite(T("opencv_lzw.tif"), bgr)   # OpenCV writes LZW with the horizontal predictor

    # LZW (5) and Deflate (8, and the old code 32946), with and without the horizontal predictor.
    noise = np.random.default_rng(20261127).integers(0, 256, size=(64, 80), dtype=np.uint8)
    write_tiff(T("lzw_rgb.tif"), rgb, 2, compression=5)
    write_tiff(T("lzw_rgb_be_pred_strips.tif"), rgb, 2, big_endian=True, compression=5, predictor=2, rows_per_strip=5)
    write_tiff(T("lzw_rgb_planar_pred.tif"), rgb, 2, compression=5, predictor=2, planar=2, rows_per_strip=8)
    write_tiff(T("lzw_gray_pred_strips.tif"), gray, 1, compression=5, predictor=2, rows_per_strip=6)
    write_tiff(T("lzw_gray_noise_clear.tif"), noise, 1, compression=5)          # 9- to 12-bit codes and a Clear
    write_tiff(T("lzw_gray_no_eoi.tif"), gray, 1, compression=5, lzw_eoi=False)  # strip filled, no EOI: fine
    write_tiff(T("lzw_compat_rgb.tif"), rgb, 2, compression=5, lzw_compat=True)
    write_tiff(T("lzw_compat_gray_noise_pred.tif"), noise, 1, compression=5, lzw_compat=True, predictor=2,
               rows_per_strip=20)
    write_tiff(T("zip_rgb.tif"), rgb, 2, compression=8)
    write_tiff(T("zip_rgb_pred_strips.tif"), rgb, 2, compression=8, predictor=2, rows_per_strip=7)
    write_tiff(T("zip_old_gray_be_pred.tif"), gray, 1, big_endian=True, compression=32946, predictor=2)
    write_tiff(T("zip_rgb_planar.tif"), rgb, 2, compression=8, planar=2, rows_per_strip=16)
    write_tiff(T("raw_rgb_predictor_ignored.tif"), rgb, 2, predictor=2)  # libtiff applies predictors only to codecs that use them
    # Alpha (ExtraSamples 0 unspecified, 1 associated, 2 unassociated; none with 4 samples) and grey + alpha.
    alpha = np.random.default_rng(7).integers(0, 256, size=rgb.shape[:2] + (1,), dtype=np.uint8)
    alpha[:, :6] = 255
    alpha[:, 6:9] = 0
    rgba = np.concatenate([rgb, alpha], axis=2)
    graya = np.concatenate([gray[..., None], alpha], axis=2)
    write_tiff(T("rgba_unassoc.tif"), rgba, 2, extra_samples=[2])
    write_tiff(T("rgba_assoc.tif"), rgba, 2, extra_samples=[1])
    write_tiff(T("rgba_unspecified.tif"), rgba, 2, extra_samples=[0])
    write_tiff(T("rgba_no_extrasamples.tif"), rgba, 2)
    write_tiff(T("rgba_unassoc_lzw_pred_strips.tif"), rgba, 2, compression=5, predictor=2, rows_per_strip=4,
               extra_samples=[2])
    write_tiff(T("rgba_unassoc_planar.tif"), rgba, 2, planar=2, rows_per_strip=10, extra_samples=[2])
    write_tiff(T("graya_unassoc_zip.tif"), graya, 1, compression=8, extra_samples=[2])
    write_tiff(T("graya_assoc_whiteiszero.tif"), graya, 0, extra_samples=[1])
    # Palettes: 8-bit with a 16-bit colour map, 8-bit with all entries below 256 (libtiff then reads them as
    # 8-bit), 4-bit packed.
    cube = (bgr.astype(np.int32) * 6) // 256
    index8 = (cube[..., 2] * 36 + cube[..., 1] * 6 + cube[..., 0]).astype(np.uint8)
    levels = np.array([0, 51, 102, 153, 204, 255])
    cmap = np.zeros((256, 3), dtype=np.int64)
    for i in range(216):
        cmap[i] = [levels[i // 36], levels[(i // 6) % 6], levels[i % 6]]
    write_tiff(T("pal8_cmap16.tif"), index8, 3, colormap=np.minimum(cmap * 257 + np.array([0, 100, 200]), 65535))
    write_tiff(T("pal8_cmap8_lzw.tif"), index8, 3, compression=5, colormap=cmap)
    ramp = np.array([[40 + 13 * i, 200 - 12 * i, 17 * i] for i in range(16)]) * 256
    write_tiff(T("pal4_packbits.tif"), (gray >> 4).astype(np.uint8), 3, bits=4, compression=32773, colormap=ramp)

    # Damaged streams: OpenCV's libtiff reads each strip into a zeroed buffer, keeps whatever the codec wrote
    # before it failed, skips the predictor for that strip, and carries on (TIFFReadRGBAStrip does not stop on
    # errors), so these decode to partial images.
    half = lambda i, s: s[:len(s) // 2]
    write_tiff(T("bad_lzw_truncated.tif"), rgb, 2, compression=5, damage=half)
    write_tiff(T("bad_lzw_truncated_pred_strips.tif"), rgb, 2, compression=5, predictor=2, rows_per_strip=8,
               damage=lambda i, s: s[:len(s) * 2 // 3] if i == 1 else s)
    write_tiff(T("bad_lzw_compat_truncated.tif"), rgb, 2, compression=5, lzw_compat=True, damage=half)

    def bad_code(i, s):                  # after a few codes, a 9-bit code far above the next free entry
        b = bytearray(s)
        b[6] = 0xFF
        b[7] = 0xF0
        return bytes(b)
    write_tiff(T("bad_lzw_code.tif"), gray, 1, compression=5, damage=bad_code)
    write_tiff(T("bad_lzw_no_clear.tif"), gray, 1, compression=5, damage=lambda i, s: s[1:])
    write_tiff(T("bad_lzw_compat_code.tif"), gray, 1, compression=5, lzw_compat=True, damage=bad_code)
    write_tiff(T("bad_zip_truncated.tif"), rgb, 2, compression=8, damage=half)
    write_tiff(T("bad_zip_truncated_pred.tif"), rgb, 2, compression=8, predictor=2, rows_per_strip=10,
               damage=lambda i, s: s[:len(s) // 2] if i == 2 else s)

    def flip_middle(i, s):
        b = bytearray(s)
        for k in range(len(b) // 2, len(b) // 2 + 8):
            b[k] ^= 0x5A
        return bytes(b)
    write_tiff(T("bad_zip_corrupt.tif"), rgb, 2, compression=8, damage=flip_middle)
    write_tiff(T("bad_zip_checksum.tif"), gray, 1, compression=8, damage=lambda i, s: s[:-1] + bytes([s[-1] ^ 1]))
    write_tiff(T("bad_zip_header.tif"), gray, 1, compression=8, damage=lambda i, s: b"\x00\x00" + s[2:])
    # PackBits: a strip cut short (rest zero), and a run longer than the strip (libtiff cuts it and goes on).
    write_tiff(T("bad_packbits_truncated.tif"), flat, 2, compression=32773, rows_per_strip=8,
               damage=lambda i, s: s[:len(s) // 3] if i == 1 else s)
    write_tiff(T("bad_packbits_run_overflows_strip.tif"), gray, 1, compression=32773, rows_per_strip=5,
               damage=lambda i, s: bytes([0x81, 40 + 30 * i, 0x81, 200 - 20 * i]))   # 2 x 128 bytes for 185
    # Refused: the floating-point predictor (3) on 8-bit samples, which libtiff itself rejects.
    write_tiff(T("unsupported_float_predictor.tif"), rgb, 2, compression=8, predictor=3)

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
