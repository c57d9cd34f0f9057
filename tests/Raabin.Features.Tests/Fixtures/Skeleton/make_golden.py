#!/usr/bin/python3
"""Makes skeleton.json, the golden file of the thinning test, once.

Run with Debian's python3 (python3-skimage 0.19.3, python3-opencv 4.6.0, numpy, scipy), from anywhere:
    /usr/bin/python3 make_golden.py [path/to/samples]
Never re-run to make a test pass.

Each case: {"name", "mask": run lengths, "skeleton": run lengths} where the skeleton is
skimage.morphology.skeletonize(mask != 0) (2-D, method None = Zhang-Suen, skimage 0.19.3). Run lengths are
[width, height, r0, r1, ...]: runs alternate background/foreground over the row-major pixels, starting with
background (r0 may be 0), as in Fixtures/Morphology.
Inputs: degenerate masks (1 x 1, lines, all foreground, all background, touching the border), drawn shapes (discs,
ellipses, rectangles, two discs joined by a bridge, a ring, a horseshoe), seeded random textures and smoothed blobs
(numpy.random.RandomState(1984)), and the nucleus masks (value 255) of samples/zheng-*/masks.
"""
import glob
import json
import os
import sys

import cv2
import numpy as np
import scipy.ndimage as ndi
import skimage
from skimage.morphology import skeletonize

assert skimage.__version__ == "0.19.3", skimage.__version__
HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "..", "samples")


def rle(mask):
    h, w = mask.shape
    flat = (mask.ravel() != 0).astype(np.int8)
    change = np.flatnonzero(np.diff(flat)) + 1
    bounds = np.concatenate([[0], change, [flat.size]])
    runs = list(np.diff(bounds))
    if flat[0] == 1:
        runs = [0] + runs
    return [int(w), int(h)] + [int(r) for r in runs]


cases = []


def add(name, mask):
    mask = (np.asarray(mask) != 0)
    cases.append({"name": name, "mask": rle(mask), "skeleton": rle(skeletonize(mask))})


add("1x1-fg", np.ones((1, 1)))
add("1x1-bg", np.zeros((1, 1)))
add("all-fg-9x6", np.ones((6, 9)))
add("all-bg-5x7", np.zeros((7, 5)))
add("line-1x17", np.ones((1, 17)))
add("thick-line-3x20", np.pad(np.ones((3, 20)), 2))
for r in (3, 6, 10, 15, 24):
    m = np.zeros((2 * r + 9, 2 * r + 7), np.uint8)
    cv2.circle(m, (r + 3, r + 4), r, 1, -1)
    add(f"disc-{r}", m)
for (a, b, angle) in ((20, 10, 0), (25, 8, 30), (18, 12, 77)):
    m = np.zeros((64, 64), np.uint8)
    cv2.ellipse(m, (32, 31), (a, b), angle, 0, 360, 1, -1)
    add(f"ellipse-{a}-{b}-{angle}", m)
m = np.zeros((40, 50), np.uint8)
cv2.rectangle(m, (5, 6), (44, 25), 1, -1)
add("rectangle", m)
m = np.zeros((60, 100), np.uint8)
cv2.circle(m, (25, 30), 15, 1, -1)
cv2.circle(m, (70, 30), 15, 1, -1)
m[28:33, 25:70] = 1
add("two-discs-bridge", m)
m = np.zeros((64, 64), np.uint8)
cv2.circle(m, (31, 32), 22, 1, 6)
add("ring", m)
m = np.zeros((70, 70), np.uint8)
cv2.ellipse(m, (35, 35), (25, 25), 0, 30, 330, 1, 12)
add("horseshoe", m)
m = np.zeros((30, 30), np.uint8)
m[0:20, 0:12] = 1
m[10:30, 18:30] = 1
add("touching-border", m)
rng = np.random.RandomState(1984)
for size, d in ((9, 0.5), (16, 0.6), (40, 0.5), (40, 0.75), (64, 0.85)):
    add(f"random-{size}-{d}", rng.rand(size, size + 3) < d)
for i in range(10):
    h, w = int(rng.randint(20, 100)), int(rng.randint(20, 100))
    smooth = ndi.gaussian_filter(rng.rand(h, w), rng.uniform(1.5, 5))
    add(f"blobs-{i}", smooth > np.quantile(smooth, rng.uniform(0.3, 0.8)))
for path in sorted(glob.glob(os.path.join(SAMPLES, "zheng-*", "masks", "*.png"))):
    truth = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    add(os.path.relpath(path, SAMPLES), truth == 255)

with open(os.path.join(HERE, "skeleton.json"), "w") as f:
    json.dump({"generator": "make_golden.py", "skimage": skimage.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(len(cases), "cases")
