#!/usr/bin/python3
"""Makes lbp.json, the golden file of the local-binary-pattern test, once.

Run with Debian's python3 (python3-skimage 0.19.3, numpy) from anywhere:
    /usr/bin/python3 make_golden.py [path/to/samples]
Never re-run to make a test pass.

Each case: an 8-bit input {"w", "h", "data": base64 of the row-major bytes} (random bytes, a random image with flat
runs and ties, or the green channel of a shipped BMP crop), P, R, and the codes of
skimage.feature.local_binary_pattern(image, P, R, method='uniform') as base64 bytes (row-major).
"""
import base64
import json
import os
import sys

import cv2
import numpy as np
import skimage
from skimage.feature import local_binary_pattern

assert skimage.__version__ == "0.19.3", skimage.__version__
HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "..", "samples")


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype=np.uint8).tobytes()).decode()


rng = np.random.RandomState(11)
inputs = [
    ("random", rng.randint(0, 256, (23, 31)).astype(np.uint8)),
    ("ties", (rng.randint(0, 4, (20, 17)) * 60).astype(np.uint8)),
    ("sample", cv2.imread(os.path.join(SAMPLES, "zheng-jtsc", "images", "067.bmp"))[20:84, 30:90, 1]),
]
cases = []
for name, image in inputs:
    for p, r in ((8, 1.0), (16, 2.0), (8, 1.5)):
        codes = local_binary_pattern(image, p, r, method="uniform")
        assert codes.max() <= p + 1
        cases.append({"name": name, "w": int(image.shape[1]), "h": int(image.shape[0]), "data": b64(image),
                      "P": p, "R": r, "codes": b64(codes.astype(np.uint8))})
with open(os.path.join(HERE, "lbp.json"), "w") as f:
    json.dump({"generator": "make_golden.py", "skimage": skimage.__version__, "cases": cases}, f, indent=1)
print(len(cases), "cases")
