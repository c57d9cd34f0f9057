#!/usr/bin/python3
"""Makes the golden files for the HSV->RGB and JPEG-artefact tests.

Run once with Debian's python3-opencv 4.6.0 (and python3-numpy) from this folder:
    /usr/bin/python3 make_golden.py /path/to/shared/datasets
It writes the raw input fixtures (only if absent) and the golden outputs. The C# tests read these files and never
run Python. A golden file is never regenerated to make a test pass.
"""
import hashlib
import os
import sys

import cv2
import numpy as np

assert cv2.__version__ == "4.6.0", cv2.__version__
HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/datasets"
QUALITIES = [30, 60, 95]


def sha(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def write_once(path, data):
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
    with open(path, "rb") as f:
        return f.read()


def raw(name, img):
    """Writes img (H x W x 3, R,G,B) once as name_WxH.rgb and returns what the file holds."""
    h, w = img.shape[:2]
    data = write_once(os.path.join(HERE, f"{name}_{w}x{h}.rgb"), np.ascontiguousarray(img).tobytes())
    return np.frombuffer(data, np.uint8).reshape(h, w, 3)


def hsv_golden():
    # Every (h, s, v) byte triple, pixel i = (h << 16) | (s << 8) | v, in two layouts: 4096 x 4096 (every pixel on
    # OpenCV's 32-pixel AVX2 path, which truncates) and 16777216 x 1 (every pixel on the scalar path, which rounds).
    i = np.arange(1 << 24, dtype=np.uint32)
    cube = np.stack([(i >> 16) & 255, (i >> 8) & 255, i & 255], axis=1).astype(np.uint8)
    rng = np.random.default_rng(20240611)
    rand = rng.integers(0, 256, size=(61, 67, 3), dtype=np.uint8)
    rand[:, :, 0] %= 180
    rand = raw("hsv_random", rand)
    lines = ["# input sha256-of-cv2.cvtColor(x, COLOR_HSV2RGB) (interleaved R,G,B, row-major)",
             f"cube_4096x4096 {sha(cv2.cvtColor(cube.reshape(4096, 4096, 3), cv2.COLOR_HSV2RGB))}",
             f"cube_1x16777216 {sha(cv2.cvtColor(cube.reshape(1 << 24, 1, 3), cv2.COLOR_HSV2RGB))}",
             f"hsv_random_67x61 {sha(cv2.cvtColor(rand, cv2.COLOR_HSV2RGB))}"]
    with open(os.path.join(HERE, "hsv2rgb_digests.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")

    # A readable table: each triple alone (scalar path) and repeated over a 32-pixel row (vector path).
    samples = [(0, 0, 0), (0, 0, 255), (0, 255, 255), (60, 255, 255), (120, 255, 255), (30, 128, 200),
               (90, 200, 100), (179, 255, 255), (150, 77, 31), (10, 255, 1), (5, 3, 250), (100, 100, 100),
               (179, 1, 255), (180, 255, 255), (200, 128, 128), (255, 255, 255), (45, 255, 254), (15, 254, 255)]
    samples += [tuple(int(x) for x in t) for t in rng.integers(0, 256, size=(22, 3))]
    out = ["h,s,v,r_scalar,g_scalar,b_scalar,r_vector,g_vector,b_vector"]
    for t in samples:
        one = cv2.cvtColor(np.array([[t]], np.uint8), cv2.COLOR_HSV2RGB)[0, 0]
        row = cv2.cvtColor(np.array([[t] * 32], np.uint8), cv2.COLOR_HSV2RGB)[0, 0]
        out.append(",".join(str(int(x)) for x in (*t, *one, *row)))
    with open(os.path.join(HERE, "hsv2rgb_samples.csv"), "w") as f:
        f.write("\n".join(out) + "\n")


def jpeg_golden():
    pbc = cv2.imread(os.path.join(DATASETS, "pbc/images/neutrophil/BNE_100878.jpg"), cv2.IMREAD_COLOR)
    bccd = cv2.imread(os.path.join(DATASETS, "bccd/images/neutrophil/BloodImage_00136_1.jpg"), cv2.IMREAD_COLOR)
    jtsc = cv2.imread(os.path.join(DATASETS, "zheng-jtsc/images/001.bmp"), cv2.IMREAD_COLOR)
    inputs = {
        "pbc_BNE_100878_crop": pbc[130:227, 130:231, ::-1],  # 101 x 97, the Colour fixture's crop
        "bccd_00136_crop": bccd[40:85, 30:91, ::-1],  # 61 x 45: odd sizes, partial MCUs
        "jtsc_001_crop": jtsc[24:96, 16:104, ::-1],  # 88 x 72: whole 8x8 blocks, partial 16x16 MCUs
    }
    for name, img in inputs.items():
        img = raw(name, img)
        h, w = img.shape[:2]
        for q in QUALITIES:
            ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(img[:, :, ::-1]), [cv2.IMWRITE_JPEG_QUALITY, q])
            assert ok
            dec = cv2.imdecode(buf, cv2.IMREAD_COLOR)[:, :, ::-1]
            with open(os.path.join(HERE, f"{name}_q{q}_{w}x{h}.opencv.rgb"), "wb") as f:
                f.write(np.ascontiguousarray(dec).tobytes())


if __name__ == "__main__":
    hsv_golden()
    jpeg_golden()
