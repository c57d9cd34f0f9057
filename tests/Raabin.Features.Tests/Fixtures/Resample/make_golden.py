#!/usr/bin/python3
"""Makes the golden files of the resize, Laplacian-of-Gaussian, moments and convexity-defect tests, once.

Run with Debian's python3 (python3-opencv 4.6.0, numpy) from the repository root or anywhere:
    /usr/bin/python3 make_golden.py [path/to/samples]
Writes resize.json, log.json and shapes.json next to this script. Never re-run to make a test pass.

Formats (all JSON; floats are written with Python's repr, which round-trips):
* Random inputs are stored inline: {"w", "h", "data": base64 of the row-major uint8 bytes (RGB interleaved for
  "rgb")}. A float64 input made from uint8 bytes b is (b - 100) / 7 (computed in float64 here and in the tests);
  a float64 input made from a sample image is green / 255.
* Sample inputs name a lossless BMP of the shipped samples/ folder and a crop {"path", "x", "y", "w", "h"}; grey
  inputs are its green channel (cv2.imread gives BGR; index 1).
* Digests are the full hex SHA-256 of the output array's bytes (uint8, or float64 little-endian), row-major.
* Masks are run lengths [width, height, r0, r1, ...] alternating background/foreground, starting with background.
"""
import base64
import hashlib
import json
import os
import struct
import sys

import cv2
import numpy as np

assert cv2.__version__ == "4.6.0", cv2.__version__
HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "..", "samples")


def sha(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def as_double(u8):
    return (u8.astype(np.float64) - 100.0) / 7.0


def sample(path, x, y, w, h):
    bgr = cv2.imread(os.path.join(SAMPLES, path), cv2.IMREAD_COLOR)
    assert bgr is not None, path
    return np.ascontiguousarray(bgr[y:y + h, x:x + w])


def rle(mask):
    h, w = mask.shape
    flat = (mask.ravel() != 0).astype(np.int8)
    runs, current, length = [], 0, 0
    for v in flat:
        if v == current:
            length += 1
        else:
            runs.append(length)
            current, length = v, 1
    runs.append(length)
    return [int(w), int(h)] + [int(r) for r in runs]


INTERP = {"linear": cv2.INTER_LINEAR, "area": cv2.INTER_AREA}
FACTORS = [0.17, 0.2, 0.25, 1 / 3, 0.4, 0.5, 0.7, 1.0, 1.3, 1.5, 2.0, 2.5, 3.0, 3.7]


def targets(rng, w, h):
    """Explicit sizes and scale factors for one input: integer and non-integer ratios, 1xN outputs."""
    out = []
    for _ in range(2):
        out.append({"size": [int(rng.randint(1, 2 * w + 3)), int(rng.randint(1, 2 * h + 3))]})
    for dw, dh in [(max(1, w // 2), max(1, h // 2)), (max(1, w // 3), max(1, h // 3)), (1, max(1, h // 2)),
                   (w * 2, h), (max(1, w // 2), h * 3), (w, max(1, h // 4))]:
        out.append({"size": [int(dw), int(dh)]})
    picks = rng.choice(len(FACTORS), 3, replace=False)
    for i in picks:
        out.append({"scale": [FACTORS[i], FACTORS[i]]})
    fx = float(rng.uniform(0.17, 3.7))
    out.append({"scale": [fx, float(rng.choice(FACTORS))]})
    return out


def run_resize(src, target, interp):
    if "size" in target:
        return cv2.resize(src, tuple(target["size"]), interpolation=INTERP[interp])
    fx, fy = target["scale"]
    w = int(np.rint(src.shape[1] * fx))
    h = int(np.rint(src.shape[0] * fy))
    if w < 1 or h < 1:
        return None
    return cv2.resize(src, None, fx=fx, fy=fy, interpolation=INTERP[interp])


def make_resize():
    rng = np.random.RandomState(20240901)
    inputs, cases = {}, []
    shapes = [(1, 1), (1, 9), (9, 1), (2, 2), (3, 7), (16, 16), (17, 5), (40, 3), (3, 40)]
    shapes += [(int(rng.randint(1, 49)), int(rng.randint(1, 49))) for _ in range(23)]
    for i, (w, h) in enumerate(shapes):
        name = f"random-{i:02d}"
        u8 = rng.randint(0, 256, (h, w)).astype(np.uint8)
        inputs[name] = {"w": w, "h": h, "data": b64(u8)}
        for kind, src in (("u8", u8), ("f64", as_double(u8))):
            for target in targets(rng, w, h):
                for interp in ("linear", "area"):
                    out = run_resize(src, target, interp)
                    if out is None:
                        continue
                    case = {"input": name, "type": kind, "interp": interp, **target,
                            "out": [int(out.shape[1]), int(out.shape[0])], "sha256": sha(out)}
                    if out.size <= 12:
                        case["values"] = [float(v) if kind == "f64" else int(v) for v in out.ravel()]
                    cases.append(case)
    # Real crops (lossless BMP samples): grey (green), float64 (green / 255) and RGB.
    crops = [("zheng-cellavision/images/010.bmp", 0, 0, 300, 300), ("zheng-cellavision/images/074.bmp", 37, 51, 97, 89),
             ("zheng-jtsc/images/067.bmp", 0, 0, 120, 120), ("zheng-jtsc/images/183.bmp", 10, 20, 61, 1)]
    for path, x, y, w, h in crops:
        name = f"{path}:{x},{y},{w},{h}"
        inputs[name] = {"path": path, "x": x, "y": y, "w": w, "h": h}
        bgr = sample(path, x, y, w, h)
        green = np.ascontiguousarray(bgr[:, :, 1])
        rgb = np.ascontiguousarray(bgr[:, :, ::-1])
        for kind, src in (("u8", green), ("f64", green.astype(np.float64) / 255.0), ("rgb", rgb)):
            for target in targets(rng, w, h):
                for interp in ("linear", "area"):
                    out = run_resize(src, target, interp)
                    if out is None:
                        continue
                    cases.append({"input": name, "type": kind, "interp": interp, **target,
                                  "out": [int(out.shape[1]), int(out.shape[0])], "sha256": sha(out)})
    # Random RGB inputs.
    for i, (w, h) in enumerate([(5, 4), (31, 17), (1, 6), (24, 24)]):
        name = f"random-rgb-{i}"
        rgb = rng.randint(0, 256, (h, w, 3)).astype(np.uint8)
        inputs[name] = {"w": w, "h": h, "data": b64(rgb), "rgb": True}
        for target in targets(rng, w, h):
            for interp in ("linear", "area"):
                out = run_resize(rgb, target, interp)
                if out is None:
                    continue
                cases.append({"input": name, "type": "rgb", "interp": interp, **target,
                              "out": [int(out.shape[1]), int(out.shape[0])], "sha256": sha(out)})
    return {"inputs": inputs, "cases": cases}


def bits(values):
    return " ".join(f"{struct.unpack('<q', struct.pack('<d', float(v)))[0] & 0xFFFFFFFFFFFFFFFF:016x}" for v in values)


def make_log():
    rng = np.random.RandomState(4711)
    inputs, cases, kernels = {}, [], {}
    sigmas = [0.5, 0.6, 0.8, 1.0, 1.3, 1.7, 2.0, 2.5, 3.0, 3.3, 4.0]
    for s in sigmas:
        n = int(np.rint(s * 8 + 1)) | 1
        kernels[repr(s)] = {"n": n, "bits": bits(cv2.getGaussianKernel(n, s, cv2.CV_64F).ravel())}
    sources = []
    for i, (w, h) in enumerate([(1, 1), (1, 12), (15, 1), (5, 4), (24, 19), (33, 31)]):
        name = f"random-{i}"
        u8 = rng.randint(0, 256, (h, w)).astype(np.uint8)
        inputs[name] = {"w": w, "h": h, "data": b64(u8)}
        sources.append((name, as_double(u8)))
    for path, x, y, w, h in [("zheng-jtsc/images/067.bmp", 20, 20, 80, 80), ("zheng-cellavision/images/042.bmp", 100, 90, 64, 71)]:
        name = f"{path}:{x},{y},{w},{h}"
        inputs[name] = {"path": path, "x": x, "y": y, "w": w, "h": h}
        sources.append((name, sample(path, x, y, w, h)[:, :, 1].astype(np.float64) / 255.0))
    for name, src in sources:
        for s in sigmas:
            blur = cv2.GaussianBlur(src, (0, 0), s)
            log = cv2.Laplacian(blur, cv2.CV_64F)
            stride = max(1, src.size // 40)
            cases.append({"input": name, "sigma": s, "blurSha256": sha(blur), "logSha256": sha(log), "stride": stride,
                          "blur": [float(v) for v in blur.ravel()[::stride]],
                          "log": [float(v) for v in log.ravel()[::stride]]})
    return {"inputs": inputs, "kernels": kernels, "cases": cases}


def random_blob_mask(rng):
    h, w = int(rng.randint(5, 61)), int(rng.randint(5, 61))
    m = np.zeros((h, w), np.uint8)
    for _ in range(rng.randint(1, 5)):
        kind = rng.randint(0, 4)
        cx, cy = int(rng.randint(-3, w + 3)), int(rng.randint(-3, h + 3))
        if kind <= 1:
            cv2.ellipse(m, (cx, cy), (int(rng.randint(1, 20)), int(rng.randint(1, 20))), float(rng.randint(0, 180)),
                        0, 360, 255, -1)
        elif kind == 2:
            pts = rng.randint(-5, max(w, h) + 5, (int(rng.randint(3, 9)), 2)).astype(np.int32)
            cv2.fillPoly(m, [pts], 255)
        else:
            cv2.line(m, (cx, cy), (int(rng.randint(0, w)), int(rng.randint(0, h))), 255, int(rng.randint(1, 4)))
    if rng.rand() < 0.15:  # specks: many tiny contours, duplicate points
        m[rng.rand(h, w) < 0.03] = 255
    if rng.rand() < 0.3:  # pinholes
        m[rng.rand(h, w) < 0.04] = 0
    return m


def moments_dict(m):
    keys = ["m00", "m10", "m01", "m20", "m11", "m02", "m30", "m21", "m12", "m03",
            "mu20", "mu11", "mu02", "mu30", "mu21", "mu12", "mu03",
            "nu20", "nu11", "nu02", "nu30", "nu21", "nu12", "nu03"]
    d = {k: float(m[k]) for k in keys}
    d["hu"] = [float(v) for v in cv2.HuMoments(m).ravel()]
    return d


def contour_entry(c, with_points):
    e = {"n": int(len(c)), "moments": moments_dict(cv2.moments(c))}
    if with_points:
        e["points"] = [int(v) for v in c.reshape(-1)]
    hull = cv2.convexHull(c, returnPoints=False)
    e["hull"] = [int(v) for v in hull.ravel()]
    try:
        d = cv2.convexityDefects(c, hull)
        e["defects"] = [] if d is None else [int(v) for v in d.reshape(-1)]
    except cv2.error:
        e["defects"] = None  # OpenCV refuses non-monotonous hull indices
    return e


def shape_case(name, mask, source, with_none_points, min_area=None):
    case = {"name": name, **source, "moments": moments_dict(cv2.moments(mask, True))}
    simple, _ = cv2.findContours(mask.copy(), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if min_area is None:
        case["simple"] = [contour_entry(c, False) for c in simple]
    else:  # every contour is listed (its index and point count), big ones in full
        case["minArea"] = min_area
        case["simple"] = [contour_entry(c, False) if cv2.contourArea(c) >= min_area else {"n": int(len(c))}
                          for c in simple]
    if with_none_points:
        none, _ = cv2.findContours(mask.copy(), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        case["none"] = [contour_entry(c, True) for c in none]
    return case


def make_shapes():
    rng = np.random.RandomState(31337)
    cases = []
    for i in range(90):
        m = random_blob_mask(rng)
        cases.append(shape_case(f"random-{i:03d}", m, {"mask": rle(m)}, with_none_points=i % 4 == 0))
    for folder in ("zheng-jtsc", "zheng-cellavision"):
        for f in sorted(os.listdir(os.path.join(SAMPLES, folder, "masks"))):
            path = f"{folder}/masks/{f}"
            truth = cv2.imread(os.path.join(SAMPLES, path), cv2.IMREAD_UNCHANGED)
            for value in (255, 128):  # nucleus; nucleus + cytoplasm (the whole cell)
                m = np.where(truth >= value, 255, 0).astype(np.uint8)
                cases.append(shape_case(f"{path}>={value}", m, {"path": path, "atLeast": value}, with_none_points=True))
    for folder in ("zheng-jtsc", "zheng-cellavision"):
        for f in sorted(os.listdir(os.path.join(SAMPLES, folder, "images"))):
            path = f"{folder}/images/{f}"
            green = cv2.imread(os.path.join(SAMPLES, path), cv2.IMREAD_COLOR)[:, :, 1]
            t, m = cv2.threshold(green, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
            t = int(t)
            assert np.array_equal(m, np.where(green <= t, 255, 0).astype(np.uint8))
            cases.append(shape_case(f"{path}:green<={t}", m, {"path": path, "greenAtMost": t}, with_none_points=False,
                                    min_area=30.0))
    return {"cases": cases}


def write(name, payload):
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")
    print(name, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    versions = {"opencv": cv2.__version__, "numpy": np.__version__}
    write("resize.json", {"generator": "make_golden.py", "versions": versions, **make_resize()})
    write("log.json", {"generator": "make_golden.py", "versions": versions, **make_log()})
    write("shapes.json", {"generator": "make_golden.py", "versions": versions, **make_shapes()})
