#!/usr/bin/python3
"""Regenerates the JPEG fixtures in this folder from two dataset images.

Needs /work/shared/datasets (or RAABIN_SHARED), libjpeg-turbo-progs 2.1.5 (cjpeg/djpeg) and python3-opencv/numpy
(Debian). Run from anywhere: python3 make_fixtures.py. Then run make_golden.py. See README.md for what each file is.
"""
import os
import struct
import subprocess
import tempfile

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("RAABIN_SHARED", "/work/shared/datasets")
PBC_444 = os.path.join(SHARED, "pbc/images/basophil/BA_100102.jpg")
PBC_420 = os.path.join(SHARED, "pbc/images/neutrophil/NEUTROPHIL_539412.jpg")
BCCD_420 = os.path.join(SHARED, "bccd/images/monocyte/BloodImage_00335_1.jpg")

TMP = tempfile.mkdtemp()


def out(name):
    return os.path.join(HERE, name)


def copy(src, name):
    with open(src, "rb") as f, open(out(name), "wb") as g:
        g.write(f.read())


def ppm_of(src):
    """Decoded pixels of a dataset JPEG (djpeg), as a BGR array."""
    ppm = os.path.join(TMP, "full.ppm")
    subprocess.run(["djpeg", "-ppm", "-outfile", ppm, src], check=True)
    return cv2.imread(ppm, cv2.IMREAD_COLOR)


def crop_ppm(image, x, y, w, h, tag):
    path = os.path.join(TMP, f"{tag}.ppm")
    cv2.imwrite(path, np.ascontiguousarray(image[y:y + h, x:x + w]))
    return path


def cjpeg(ppm, name, *options):
    subprocess.run(["cjpeg", *options, "-outfile", out(name), ppm], check=True)


def with_app1(src_name, name, payload, before_existing_app1=None):
    """Copies a JPEG, inserting APP1 segments right after SOI (+APP0 if present)."""
    with open(out(src_name), "rb") as f:
        data = f.read()
    insert_at = 2
    if data[2:4] == b"\xff\xe0":
        insert_at = 4 + struct.unpack(">H", data[4:6])[0]
    segments = b""
    for p in ([before_existing_app1] if before_existing_app1 else []) + [payload]:
        segments += b"\xff\xe1" + struct.pack(">H", len(p) + 2) + p
    with open(out(name), "wb") as g:
        g.write(data[:insert_at] + segments + data[insert_at:])


def exif_orientation(value, little_endian=True):
    e = "<" if little_endian else ">"
    tiff = (b"II" if little_endian else b"MM") + struct.pack(e + "HI", 0x2A, 8)
    ifd = struct.pack(e + "H", 1) + struct.pack(e + "HHIH", 0x0112, 3, 1, value) + b"\0\0" + struct.pack(e + "I", 0)
    return b"Exif\0\0" + tiff + ifd


def main():
    # Real files, unchanged.
    copy(PBC_444, "pbc-444-baseline.jpg")
    copy(PBC_420, "pbc-420-baseline-366x369.jpg")
    copy(BCCD_420, "bccd-420-baseline.jpg")

    image = ppm_of(PBC_444)
    crop = crop_ppm(image, 120, 130, 120, 90, "crop")
    odd = crop_ppm(image, 150, 160, 37, 23, "odd")

    cjpeg(crop, "crop-444.jpg", "-sample", "1x1")
    cjpeg(crop, "crop-422.jpg", "-sample", "2x1")
    cjpeg(crop, "crop-440.jpg", "-sample", "1x2")
    cjpeg(crop, "crop-420.jpg", "-sample", "2x2")
    cjpeg(crop, "crop-progressive-420.jpg", "-progressive")
    cjpeg(crop, "crop-progressive-444.jpg", "-progressive", "-sample", "1x1")
    cjpeg(crop, "crop-progressive-422-optimize.jpg", "-progressive", "-sample", "2x1", "-optimize")
    cjpeg(crop, "crop-restart-1row.jpg", "-restart", "1")
    cjpeg(crop, "crop-restart-1block-420.jpg", "-restart", "1B", "-sample", "2x2")
    cjpeg(crop, "crop-progressive-restart.jpg", "-progressive", "-restart", "1B")
    cjpeg(crop, "crop-grayscale.jpg", "-grayscale")
    cjpeg(crop, "crop-grayscale-progressive.jpg", "-grayscale", "-progressive")
    cjpeg(crop, "crop-optimize.jpg", "-optimize")
    cjpeg(crop, "crop-q100-444.jpg", "-quality", "100", "-sample", "1x1")
    cjpeg(crop, "crop-q100-420-progressive.jpg", "-quality", "100", "-progressive")
    cjpeg(crop, "crop-rgb.jpg", "-rgb")
    cjpeg(crop, "crop-sample-4x2.jpg", "-sample", "4x2,1x1,1x1")
    cjpeg(crop, "crop-sample-3x1.jpg", "-sample", "3x1,1x1,1x1")
    cjpeg(crop, "crop-sample-2x2-2x1-1x1.jpg", "-sample", "2x2,2x1,1x1")
    cjpeg(crop, "crop-sample-1x1-1x2-2x1.jpg", "-sample", "2x2,1x2,2x1")

    # Sequential multi-scan (one non-interleaved scan per component) and a custom successive-approximation script.
    scans = os.path.join(TMP, "scans.txt")
    with open(scans, "w") as f:
        f.write("0;\n2;\n1;\n")
    cjpeg(crop, "crop-sequential-3scans.jpg", "-scans", scans)
    with open(scans, "w") as f:
        f.write("0,1,2: 0-0, 0, 2;\n0: 1-9, 0, 3;\n0: 10-63, 0, 2;\n1: 1-63, 0, 0;\n2: 1-63, 0, 0;\n"
                "0,1,2: 0-0, 2, 1;\n0,1,2: 0-0, 1, 0;\n0: 1-9, 3, 2;\n0: 1-63, 2, 1;\n0: 1-63, 1, 0;\n")
    cjpeg(crop, "crop-progressive-custom.jpg", "-progressive", "-scans", scans, "-sample", "1x1")

    # Odd sizes: partial MCUs and edge columns/rows in every upsampler.
    cjpeg(odd, "odd-37x23-444.jpg", "-sample", "1x1")
    cjpeg(odd, "odd-37x23-422.jpg", "-sample", "2x1")
    cjpeg(odd, "odd-37x23-440.jpg", "-sample", "1x2")
    cjpeg(odd, "odd-37x23-420.jpg", "-sample", "2x2")
    cjpeg(odd, "odd-37x23-progressive-420.jpg", "-progressive")
    cjpeg(odd, "odd-37x23-sample-4x2.jpg", "-sample", "4x2,1x1,1x1")
    cjpeg(crop_ppm(image, 10, 10, 1, 1, "t1"), "tiny-1x1-420.jpg", "-sample", "2x2")
    cjpeg(crop_ppm(image, 10, 10, 4, 4, "t4"), "tiny-4x4-420.jpg", "-sample", "2x2")
    cjpeg(crop_ppm(image, 10, 10, 4, 3, "t43"), "tiny-4x3-422.jpg", "-sample", "2x1")
    cjpeg(crop_ppm(image, 10, 10, 5, 3, "t53"), "tiny-5x3-420.jpg", "-sample", "2x2")
    cjpeg(crop_ppm(image, 10, 10, 3, 17, "t317"), "tiny-3x17-440.jpg", "-sample", "1x2")

    # EXIF orientation 1..8 (little-endian), one big-endian, and one where an XMP APP1 comes first.
    for value in range(1, 9):
        with_app1("odd-37x23-420.jpg", f"exif-orientation-{value}.jpg", exif_orientation(value))
    with_app1("odd-37x23-420.jpg", "exif-orientation-6-bigendian.jpg", exif_orientation(6, little_endian=False))
    with_app1("odd-37x23-420.jpg", "exif-orientation-6-after-xmp.jpg", exif_orientation(6),
              before_existing_app1=b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>")

    # Refused variants (no golden hash: the decoder must throw).
    cjpeg(odd, "unsupported-arithmetic.jpg", "-arithmetic")


if __name__ == "__main__":
    main()
