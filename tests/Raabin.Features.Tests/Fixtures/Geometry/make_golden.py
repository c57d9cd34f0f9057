#!/usr/bin/python3
"""Makes the golden files of the geometry and multi-Otsu tests, once, from the independent implementations.

Run with Debian's python3 (python3-opencv 4.6.0, python3-scipy 1.10.1, python3-skimage 0.19.3, numpy):
    /usr/bin/python3 make_golden.py [/work/shared/datasets]
Writes contours.json, fills.json and multiotsu.json next to this script. Never re-run to make a test pass.

Masks are stored as run lengths: [width, height, r0, r1, ...] where the runs alternate background/foreground
over the row-major pixels, starting with background (r0 may be 0). Foreground values are kept as 255 here;
the tests also check that any nonzero value counts as foreground.
Fills are stored as digests "<sha>:<painted>": the first 16 hex characters of the sha256 of the filled
width*height uint8 canvas (zeros, polygon painted 255 by cv2.drawContours, thickness -1) and the number of
painted pixels.
"""
import hashlib
import json
import os
import sys

import cv2
import numpy as np
import scipy
import skimage
from scipy.spatial import ConvexHull
from skimage.filters import threshold_multiotsu

assert cv2.__version__ == "4.6.0", cv2.__version__
assert scipy.__version__ == "1.10.1", scipy.__version__
assert skimage.__version__ == "0.19.3", skimage.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/datasets"


def rle(mask):
    h, w = mask.shape
    flat = (mask.ravel() != 0).astype(np.int8)
    runs = []
    current, length = 0, 0
    for v in flat:
        if v == current:
            length += 1
        else:
            runs.append(length)
            current, length = v, 1
    runs.append(length)
    return [int(w), int(h)] + [int(r) for r in runs]


def digest(canvas):
    return f"{hashlib.sha256(canvas.tobytes()).hexdigest()[:16]}:{int(np.count_nonzero(canvas))}"


def fill_digest(shape, polygons):
    canvas = np.zeros(shape, np.uint8)
    cv2.drawContours(canvas, [np.asarray(p, np.int32).reshape(-1, 1, 2) for p in polygons], -1, 255, thickness=-1)
    return digest(canvas)


def random_mask(rng):
    h, w = int(rng.randint(4, 49)), int(rng.randint(4, 49))
    m = np.zeros((h, w), np.uint8)
    kind = rng.randint(0, 6)
    for _ in range(rng.randint(1, 5)):
        shape = rng.randint(0, 5)
        cx, cy = int(rng.randint(-3, w + 3)), int(rng.randint(-3, h + 3))
        if shape <= 1:
            axes = (int(rng.randint(0, 12)), int(rng.randint(0, 12)))
            cv2.ellipse(m, (cx, cy), axes, float(rng.randint(0, 180)), 0, 360, 255, -1)
        elif shape == 2:
            x2, y2 = cx + int(rng.randint(-8, 9)), cy + int(rng.randint(-8, 9))
            cv2.rectangle(m, (cx, cy), (x2, y2), 255, -1)
        elif shape == 3:
            x2, y2 = int(rng.randint(0, w)), int(rng.randint(0, h))
            cv2.line(m, (cx, cy), (x2, y2), 255, int(rng.randint(1, 3)))
        else:
            r = int(rng.randint(3, 12))
            cv2.circle(m, (cx, cy), r, 255, 2)  # a ring, possibly with a blob inside below
            if rng.rand() < 0.7:
                cv2.circle(m, (cx, cy), max(0, r - 4), 255, -1)
    if kind == 1:  # holes
        for _ in range(rng.randint(1, 4)):
            cv2.ellipse(m, (int(rng.randint(0, w)), int(rng.randint(0, h))),
                        (int(rng.randint(0, 4)), int(rng.randint(0, 4))), 0, 0, 360, 0, -1)
    if kind == 2:  # salt and pepper
        noise = rng.rand(h, w)
        m[noise < 0.05] = 255
        m[noise > 0.97] = 0
    if kind == 3:  # dense random texture
        m[rng.rand(h, w) < 0.45] = 255
    return m


def contour_case(name, mask):
    contours, _ = cv2.findContours(mask.copy(), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    shape = mask.shape
    case = {"name": name, "mask": rle(mask), "contours": []}
    for c in contours:
        pts = c.reshape(-1, 2)
        case["contours"].append({
            "points": [int(v) for v in pts.ravel()],
            "area": float(cv2.contourArea(c)),
            "arcLength": float(cv2.arcLength(c, True)),
            "fill": fill_digest(shape, [pts]),
        })
    case["fillAll"] = fill_digest(shape, [c.reshape(-1, 2) for c in contours]) if contours else None
    ys, xs = np.nonzero(mask)
    centres = np.stack([xs, ys], axis=1)
    try:
        hull = ConvexHull(centres)
        vertices = centres[hull.vertices]
        case["hull"] = {
            "vertices": [int(v) for v in vertices.ravel()],
            "volume": float(hull.volume),
            "area": float(hull.area),
            "fill": fill_digest(shape, [vertices]),
        }
    except Exception:  # qhull refuses fewer than 3 points and collinear sets
        case["hull"] = None
    return case


def make_contours():
    rng = np.random.RandomState(20240611)
    cases = [contour_case(f"random-{i:03d}", random_mask(rng)) for i in range(300)]
    manifest = os.path.join(DATASETS, "zheng-jtsc", "masks")
    for name in ["001.png", "017.png", "042.png", "088.png", "123.png", "150.png", "201.png", "256.png", "299.png"]:
        truth = cv2.imread(os.path.join(manifest, name), cv2.IMREAD_UNCHANGED)
        nucleus = np.where(truth == 255, 255, 0).astype(np.uint8)
        cases.append(contour_case(f"zheng-jtsc/masks/{name}", nucleus))
    return cases


def make_fills():
    rng = np.random.RandomState(77)
    cases = []
    for i in range(400):
        h, w = int(rng.randint(3, 40)), int(rng.randint(3, 40))
        n = int(rng.choice([1, 2, 2, 3, 3, 4, 5, 6, 8, 12]))
        spread = int(rng.choice([0, 0, 3, 10, 60, 5000]))
        xs = rng.randint(-spread, w + spread + 1, n)
        ys = rng.randint(-spread, h + spread + 1, n)
        if i % 10 == 7 and n >= 2:  # collinear
            t = rng.randint(-3, 4, n)
            xs = xs[0] + t * int(rng.randint(-3, 4))
            ys = ys[0] + t * int(rng.randint(-3, 4))
        pts = np.stack([xs, ys], axis=1)
        cases.append({"width": w, "height": h, "points": [int(v) for v in pts.ravel()],
                      "fill": fill_digest((h, w), [pts])})
    return cases


def otsu_case(name, counts, first):
    counts = np.asarray(counts, np.int64)
    values = np.repeat(np.arange(first, first + len(counts)), counts).astype(np.uint8)
    image = values.reshape(1, -1)
    case = {"name": name, "first": int(first), "counts": [int(c) for c in counts]}
    for classes in (2, 3):
        try:
            case[f"classes{classes}"] = [int(t) for t in threshold_multiotsu(image, classes=classes)]
        except ValueError:
            case[f"classes{classes}"] = None
    return case


def make_multiotsu():
    rng = np.random.RandomState(4242)
    cases = []
    for i in range(150):
        kind = i % 5
        if kind == 0:  # uniform noise over a random range
            lo = int(rng.randint(0, 200)); hi = int(rng.randint(lo, 256))
            vals = rng.randint(lo, hi + 1, int(rng.randint(1, 3000)))
        elif kind == 1:  # mixture of two or three Gaussians
            parts = []
            for _ in range(rng.randint(2, 4)):
                parts.append(rng.normal(rng.uniform(0, 255), rng.uniform(2, 40), int(rng.randint(10, 2000))))
            vals = np.clip(np.round(np.concatenate(parts)), 0, 255).astype(int)
        elif kind == 2:  # few distinct values (exercises the "as many values as classes" branch)
            vals = rng.choice(rng.randint(0, 256, int(rng.randint(1, 5))), int(rng.randint(1, 50)))
        elif kind == 3:  # sparse histogram with gaps
            support = rng.randint(0, 256, int(rng.randint(3, 12)))
            vals = rng.choice(support, int(rng.randint(5, 400)))
        else:  # skewed
            vals = np.clip(np.round(rng.exponential(rng.uniform(5, 60), int(rng.randint(20, 5000)))
                                    + rng.randint(0, 100)), 0, 255).astype(int)
        vals = np.asarray(vals, int)
        lo, hi = vals.min(), vals.max()
        cases.append(otsu_case(f"random-{i:03d}", np.bincount(vals - lo, minlength=hi - lo + 1), lo))
    # Real colour channels (zheng-jtsc BMP, GPL-3.0): R, G, B histograms of a few images.
    for name in ["001.bmp", "050.bmp", "100.bmp", "200.bmp"]:
        bgr = cv2.imread(os.path.join(DATASETS, "zheng-jtsc", "images", name), cv2.IMREAD_COLOR)
        for c, channel in zip((2, 1, 0), "RGB"):
            plane = bgr[:, :, c]
            lo, hi = int(plane.min()), int(plane.max())
            counts = np.bincount(plane.ravel().astype(int) - lo, minlength=hi - lo + 1)
            case = otsu_case(f"zheng-jtsc/images/{name}:{channel}", counts, lo)
            for classes in (2, 3):  # the real image must give the same answer as its histogram
                assert case[f"classes{classes}"] == [int(t) for t in threshold_multiotsu(plane, classes=classes)]
            cases.append(case)
    return cases


def write(name, payload):
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")
    print(name, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    versions = {"opencv": cv2.__version__, "scipy": scipy.__version__, "skimage": skimage.__version__,
                "numpy": np.__version__}
    write("contours.json", {"generator": "make_golden.py", "versions": versions, "cases": make_contours()})
    write("fills.json", {"generator": "make_golden.py", "versions": versions, "cases": make_fills()})
    write("multiotsu.json", {"generator": "make_golden.py", "versions": versions, "cases": make_multiotsu()})
