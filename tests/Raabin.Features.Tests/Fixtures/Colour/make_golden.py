#!/usr/bin/python3
"""Makes the golden files for the colour-conversion and GaussianBlur tests.

Run once with Debian's python3-opencv 4.6.0 (and python3-numpy) from this folder:
    /usr/bin/python3 make_golden.py /path/to/shared/datasets
It writes the raw input fixtures (only if absent) and the golden digests. The C# tests read these files and
never run Python. A golden file is never regenerated to make a test pass.
"""
import hashlib
import os
import struct
import sys

import cv2
import numpy as np

assert cv2.__version__ == "4.6.0", cv2.__version__
HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/datasets"

CONVERSIONS = [
    ("gray", cv2.COLOR_RGB2GRAY),
    ("hsv", cv2.COLOR_RGB2HSV),
    ("hls_full", cv2.COLOR_RGB2HLS_FULL),
    ("lab", cv2.COLOR_RGB2Lab),
    ("ycrcb", cv2.COLOR_RGB2YCrCb),
    ("bgr", cv2.COLOR_RGB2BGR),
]


def sha(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def write_once(path, data):
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
    with open(path, "rb") as f:
        return f.read()


def colour_inputs():
    """Raw RGB24 inputs, named name_WxH.rgb; widths not multiples of any SIMD width."""
    rng = np.random.default_rng(20240601)
    rand = rng.integers(0, 256, size=(61, 67, 3), dtype=np.uint8)
    bgr = cv2.imread(os.path.join(DATASETS, "pbc/images/neutrophil/BNE_100878.jpg"), cv2.IMREAD_COLOR)
    crop = np.ascontiguousarray(bgr[130:227, 130:231, ::-1])  # 101 wide, 97 high, R,G,B
    out = {}
    for name, img in [("random_67x61", rand), ("pbc_BNE_100878_crop_101x97", crop)]:
        h, w = img.shape[:2]
        raw = write_once(os.path.join(HERE, name + ".rgb"), img.tobytes())
        out[name] = np.frombuffer(raw, np.uint8).reshape(h, w, 3)
    return out


def cube():
    i = np.arange(1 << 24, dtype=np.uint32)
    rgb = np.stack([(i >> 16) & 255, (i >> 8) & 255, i & 255], axis=1).astype(np.uint8)
    return rgb.reshape(4096, 4096, 3)


def colour_golden():
    lines = ["# input conversion sha256-of-OpenCV-output (interleaved channels, row-major)"]
    c = cube()
    for name, code in CONVERSIONS:
        lines.append(f"cube_4096x4096 {name} {sha(cv2.cvtColor(c, code))}")
    for iname, img in colour_inputs().items():
        for name, code in CONVERSIONS:
            lines.append(f"{iname} {name} {sha(cv2.cvtColor(img, code))}")
    with open(os.path.join(HERE, "colour_digests.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")

    # Per-pixel samples: a readable table for hand checks and for diagnosing a failing digest.
    samples = [(0, 0, 0), (255, 255, 255), (128, 128, 128), (255, 0, 0), (0, 255, 0), (0, 0, 255),
               (255, 255, 0), (0, 255, 255), (255, 0, 255), (1, 2, 3), (200, 30, 90), (17, 250, 101),
               (90, 60, 150), (230, 200, 210), (160, 80, 120), (254, 1, 127), (12, 12, 13), (64, 32, 16),
               (100, 149, 237), (255, 128, 0)]
    px = np.array(samples, np.uint8).reshape(1, -1, 3)
    res = {name: cv2.cvtColor(px, code).reshape(len(samples), -1) for name, code in CONVERSIONS}
    rows = ["r,g,b,gray,hsv_h,hsv_s,hsv_v,hls_h,hls_l,hls_s,lab_l,lab_a,lab_b,y,cr,cb"]
    for k, (r, g, b) in enumerate(samples):
        vals = [r, g, b, res["gray"][k][0], *res["hsv"][k], *res["hls_full"][k], *res["lab"][k], *res["ycrcb"][k]]
        rows.append(",".join(str(int(v)) for v in vals))
    with open(os.path.join(HERE, "colour_samples.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")


def blur_inputs():
    """Raw 8-bit single-channel inputs, named name_WxH.gray."""
    blur_dir = os.path.join(HERE, "Blur")
    jtsc = cv2.imread(os.path.join(DATASETS, "zheng-jtsc/images/001.bmp"), cv2.IMREAD_COLOR)[:, :, 1]
    pbc = cv2.imread(os.path.join(DATASETS, "pbc/images/lymphocyte/LY_100275.jpg"), cv2.IMREAD_COLOR)[:, :, 1]
    rng = np.random.default_rng(7)
    items = [("jtsc_001_green", jtsc), ("pbc_LY_100275_green", pbc)]
    for w, h in [(1, 1), (2, 3), (3, 2), (1, 7), (7, 1), (4, 4), (5, 5), (13, 11), (31, 29), (40, 3), (3, 40)]:
        items.append(("random", rng.integers(0, 256, size=(h, w), dtype=np.uint8)))
    out = {}
    for name, img in items:
        h, w = img.shape
        fname = f"{name}_{w}x{h}.gray"
        raw = write_once(os.path.join(blur_dir, fname), np.ascontiguousarray(img).tobytes())
        out[fname] = np.frombuffer(raw, np.uint8).reshape(h, w)
    return out


def blur_golden():
    lines = ["# file kernel-size sigma sha256-of-cv2.GaussianBlur(x,(k,k),sigma) output"]
    for fname, img in blur_inputs().items():
        cases = [(k, 0.0) for k in (1, 3, 5, 7, 9, 11, 13, 15, 21, 31)]
        cases += [(3, 0.8), (5, 1.5), (7, 0.5), (9, 3.0), (15, 2.2), (25, 4.0)]
        for k, s in cases:
            lines.append(f"{fname} {k} {s!r} {sha(cv2.GaussianBlur(img, (k, k), s))}")
    with open(os.path.join(HERE, "Blur", "blur_digests.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")

    # The bit-exact double kernels (IEEE bits in hex) that cv2.getGaussianKernel returns.
    lines = ["# kernel-size sigma then each coefficient's IEEE-754 double bits"]
    for k in range(1, 33, 2):
        for s in (0.0, 0.5, 1.5, 2.2, 3.0, 4.0):
            ker = cv2.getGaussianKernel(k, s, ktype=cv2.CV_64F).ravel()
            bits = " ".join(struct.pack(">d", float(v)).hex() for v in ker)
            lines.append(f"{k} {s!r} {bits}")
    with open(os.path.join(HERE, "Blur", "kernels.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")

    # A single 255 in a 7x7 zero image: output is the fixed-point kernel outer product.
    img = np.zeros((7, 7), np.uint8)
    img[3, 3] = 255
    out = cv2.GaussianBlur(img, (7, 7), 0)
    with open(os.path.join(HERE, "Blur", "impulse_7x7_k7.txt"), "w") as f:
        f.write("\n".join(" ".join(str(int(v)) for v in row) for row in out) + "\n")


if __name__ == "__main__":
    colour_golden()
    blur_golden()
