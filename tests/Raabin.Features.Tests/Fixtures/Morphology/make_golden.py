#!/usr/bin/python3
"""Makes the golden files of the morphology tests, once, from the independent implementations.

Run with Debian's python3 (python3-opencv 4.6.0, python3-scipy 1.10.1, numpy), from the repository root:
    /usr/bin/python3 tests/Raabin.Features.Tests/Fixtures/Morphology/make_golden.py [samples-folder]
Writes elements.json, masks.json and gray.json next to this script. Never re-run to make a test pass.

Formats
- Masks are run lengths [width, height, r0, r1, ...]: runs alternate background/foreground over the row-major
  pixels, starting with background (r0 may be 0). Foreground is 255.
- Grey images are {"width", "height", "base64"} of the row-major bytes.
- A structuring element is [shape, width, height] with shape "ellipse", "rect" or "cross" and the anchor at the
  centre (cv2.getStructuringElement's default), used with cv2's default border (BORDER_CONSTANT, the morphology
  default value: the border never erodes or dilates).
- A digest is "<sha>:<nonzero>": the first 16 hex characters of the sha256 of the array's bytes (little-endian)
  and the number of nonzero elements. Byte arrays: uint8; labels: int32; distances: float64 (scipy) or float32 (cv2).

elements.json: {"digests": {"W,H": digest of the uint8 0/1 cv2.getStructuringElement(MORPH_ELLIPSE, (W, H))} for W, H
in 1..41, "full": {"W,H": rows as lists} for W, H in 1..7}.

masks.json cases: {"name", "mask", "fillHoles": digest of 255 * scipy.ndimage.binary_fill_holes(mask),
"edt": digest of scipy.ndimage.distance_transform_edt(mask) (float64; null when the mask has no background,
where scipy measures to a phantom pixel), "edtCv": digest of cv2.distanceTransform(mask, DIST_L2,
DIST_MASK_PRECISE) (float32; null likewise), "cc8"/"cc4": components, "morph": [...]}.
A components entry is cv2.connectedComponentsWithStats(mask, connectivity=8 or 4): {"count" (retval, background
included), "labels": int32 digest, "stats": int32 digest of the rows 1.. (left, top, width, height, area),
"centroids": float64 digest of the rows 1.., "background": [left, top, width, height, area, cx, cy] (cv2's row 0;
when the background is empty cv2 leaves sentinels there, stored as null), "small": for at most 12 components
[[left, top, width, height, area, cx, cy], ...] of rows 1.., else null}.
A morph entry is {"element": [shape, w, h], "iterations", "erode", "dilate", "open", "close"} with the digests of
cv2.erode, cv2.dilate and cv2.morphologyEx(MORPH_OPEN / MORPH_CLOSE) with that element and iteration count.

gray.json cases: {"name", "image", "morph": [...]} with morph entries as above, on random 8-bit images.
"""
import base64
import glob
import hashlib
import json
import os
import sys

import cv2
import numpy as np
import scipy
import scipy.ndimage as ndi

assert cv2.__version__ == "4.6.0", cv2.__version__
assert scipy.__version__ == "1.10.1", scipy.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "..", "samples")
SHAPES = {"ellipse": cv2.MORPH_ELLIPSE, "rect": cv2.MORPH_RECT, "cross": cv2.MORPH_CROSS}


def rle(mask):
    h, w = mask.shape
    flat = (mask.ravel() != 0).astype(np.int8)
    change = np.flatnonzero(np.diff(flat)) + 1
    bounds = np.concatenate([[0], change, [flat.size]])
    runs = list(np.diff(bounds))
    if flat[0] == 1:
        runs = [0] + runs
    return [int(w), int(h)] + [int(r) for r in runs]


def digest(array):
    array = np.ascontiguousarray(array)
    assert array.dtype.byteorder in "=<|"
    return f"{hashlib.sha256(array.tobytes()).hexdigest()[:16]}:{int(np.count_nonzero(array))}"


def element(spec):
    shape, w, h = spec
    return cv2.getStructuringElement(SHAPES[shape], (w, h))


def morph(image, spec, iterations):
    k = element(spec)
    return {"element": list(spec), "iterations": iterations,
            "erode": digest(cv2.erode(image, k, iterations=iterations)),
            "dilate": digest(cv2.dilate(image, k, iterations=iterations)),
            "open": digest(cv2.morphologyEx(image, cv2.MORPH_OPEN, k, iterations=iterations)),
            "close": digest(cv2.morphologyEx(image, cv2.MORPH_CLOSE, k, iterations=iterations))}


def components(mask, connectivity):
    n, labels, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=connectivity)
    assert labels.dtype == np.int32 and stats.dtype == np.int32 and centroids.dtype == np.float64
    row0 = stats[0]
    background = None if row0[4] == 0 else [int(v) for v in row0] + [float(v) for v in centroids[0]]
    small = None
    if n - 1 <= 12:
        small = [[int(v) for v in stats[i]] + [float(v) for v in centroids[i]] for i in range(1, n)]
    return {"count": int(n), "labels": digest(labels), "stats": digest(stats[1:]),
            "centroids": digest(centroids[1:]), "background": background, "small": small}


def random_element(rng, max_size):
    shape = rng.choice(["ellipse", "ellipse", "ellipse", "rect", "cross"])
    w, h = int(rng.randint(1, max_size + 1)), int(rng.randint(1, max_size + 1))
    if rng.rand() < 0.3:
        h = w
    return (str(shape), w, h)


def mask_case(name, mask, rng, elements):
    mask = np.where(mask != 0, 255, 0).astype(np.uint8)
    has_background = bool((mask == 0).any())
    case = {"name": name, "mask": rle(mask),
            "fillHoles": digest(ndi.binary_fill_holes(mask).astype(np.uint8) * 255),
            "edt": digest(ndi.distance_transform_edt(mask)) if has_background else None,
            "edtCv": digest(cv2.distanceTransform(mask, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)) if has_background else None,
            "cc8": components(mask, 8), "cc4": components(mask, 4)}
    case["morph"] = [morph(mask, spec, int(rng.choice([1, 1, 1, 2, 3]))) for spec in elements]
    return case


def make_elements():
    digests, full = {}, {}
    for w in range(1, 42):
        for h in range(1, 42):
            k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (w, h))
            assert k.dtype == np.uint8 and k.shape == (h, w)
            digests[f"{w},{h}"] = digest(k)
            if w <= 7 and h <= 7:
                full[f"{w},{h}"] = k.tolist()
    return {"digests": digests, "full": full}


def blobs(rng, h, w, sigma, level):
    noise = rng.rand(h, w)
    smooth = ndi.gaussian_filter(noise, sigma)
    return (smooth > np.quantile(smooth, level)).astype(np.uint8) * 255


def make_masks():
    rng = np.random.RandomState(20250611)
    cases = []

    def add(name, mask, count=3, max_size=15, extra=()):
        specs = [random_element(rng, max_size) for _ in range(count)] + list(extra)
        cases.append(mask_case(name, mask, rng, specs))

    # Degenerate and thin shapes.
    add("1x1-fg", np.full((1, 1), 255, np.uint8), extra=[("ellipse", 3, 3)])
    add("1x1-bg", np.zeros((1, 1), np.uint8), extra=[("ellipse", 3, 3)])
    add("all-fg-6x4", np.full((4, 6), 255, np.uint8))
    add("all-bg-5x7", np.zeros((7, 5), np.uint8))
    for d in (0.2, 0.5, 0.8):
        add(f"1x17-{d}", (rng.rand(1, 17) < d).astype(np.uint8) * 255)
        add(f"23x1-{d}", (rng.rand(23, 1) < d).astype(np.uint8) * 255)
    for i, d in enumerate((0.1, 0.3, 0.5, 0.7, 0.9, 0.5, 0.5)):
        add(f"7x5-{i}-{d}", (rng.rand(5, 7) < d).astype(np.uint8) * 255, max_size=9)
    # Random textures (many components, nested, touching the border).
    for size, d in ((16, 0.4), (64, 0.1), (64, 0.45), (64, 0.6), (64, 0.9), (120, 0.3), (120, 0.7), (37, 0.5)):
        add(f"random-{size}-{d}", (rng.rand(size, size + (size % 7)) < d).astype(np.uint8) * 255, max_size=21)
    # Smoothed blobs, some with holes.
    for i in range(14):
        h, w = int(rng.randint(20, 121)), int(rng.randint(20, 121))
        add(f"blobs-{i}", blobs(rng, h, w, rng.uniform(1.5, 6), rng.uniform(0.3, 0.85)), max_size=41)
    # Rings with islands inside (holes, nested components).
    ring = np.zeros((64, 64), np.uint8)
    cv2.circle(ring, (30, 32), 20, 255, 3)
    cv2.circle(ring, (30, 32), 6, 255, -1)
    cv2.circle(ring, (30, 32), 2, 0, -1)
    cv2.rectangle(ring, (0, 0), (63, 63), 255, 1)
    add("rings-64", ring, extra=[("ellipse", 5, 5), ("ellipse", 9, 4)])
    # Real nucleus masks (value 255 of the ground truth) and one cell mask (nonzero) per dataset.
    for path in sorted(glob.glob(os.path.join(SAMPLES, "zheng-*", "masks", "*.png"))):
        truth = cv2.imread(path, cv2.IMREAD_UNCHANGED)
        rel = os.path.relpath(path, SAMPLES)
        radii = [int(r) for r in rng.choice([1, 2, 3, 5, 8, 13, 20, 30, 40], 2, replace=False)]
        add(rel, truth == 255, count=1, max_size=41,
            extra=[("ellipse", 2 * r + 1, 2 * r + 1) for r in radii])
        if rel.endswith(("067.png", "010.png")):
            add(rel + ":cell", truth != 0, count=1, max_size=41, extra=[("ellipse", 81, 81)])
    return cases


def make_gray():
    rng = np.random.RandomState(6110)
    cases = []
    for name, (h, w) in [("1x1", (1, 1)), ("1x9", (1, 9)), ("9x1", (9, 1)), ("7x5", (5, 7)), ("16x16", (16, 16)),
                         ("20x33", (20, 33)), ("48x40", (40, 48)), ("64x64", (64, 64))]:
        image = rng.randint(0, 256, (h, w)).astype(np.uint8)
        specs = [random_element(rng, 41 if h > 16 else 9) for _ in range(6)] + [("ellipse", 3, 3), ("rect", 2, 3)]
        cases.append({"name": f"uniform-{name}", "image": {"width": w, "height": h,
                      "base64": base64.b64encode(image.tobytes()).decode()},
                      "morph": [morph(image, s, int(rng.choice([1, 1, 2, 3]))) for s in specs]})
    smooth = np.clip(ndi.gaussian_filter(rng.rand(100, 110) * 255, 3) * 3 - 250, 0, 255).astype(np.uint8)
    specs = [("ellipse", 2 * r + 1, 2 * r + 1) for r in (1, 4, 12, 40)] + [("ellipse", 20, 7), ("cross", 9, 9)]
    cases.append({"name": "smooth-110x100", "image": {"width": 110, "height": 100,
                  "base64": base64.b64encode(smooth.tobytes()).decode()},
                  "morph": [morph(smooth, s, 1) for s in specs]})
    return cases


def write(name, payload):
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")
    print(name, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    versions = {"opencv": cv2.__version__, "scipy": scipy.__version__, "numpy": np.__version__}
    write("elements.json", {"generator": "make_golden.py", "versions": versions, **make_elements()})
    write("masks.json", {"generator": "make_golden.py", "versions": versions, "cases": make_masks()})
    write("gray.json", {"generator": "make_golden.py", "versions": versions, "cases": make_gray()})
