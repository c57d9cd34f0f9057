#!/usr/bin/python3
"""Compares BmpDecoder output with cv2.imread on every BMP of the zheng-* datasets (a report, not a test).

Input: a CSV 'path,sha256' written by a C# runner that calls BmpDecoder.Decode on each file and hashes the
RGB bytes (or writes 'error' as the hash). Usage: /usr/bin/python3 compare_dataset.py decoded.csv
"""
import csv
import hashlib
import sys

import cv2
import numpy as np

matches, total, mismatched = 0, 0, []
with open(sys.argv[1]) as f:
    for row in csv.DictReader(f):
        total += 1
        img = cv2.imread(row["path"], cv2.IMREAD_COLOR)
        expected = "none" if img is None else hashlib.sha256(np.ascontiguousarray(img[..., ::-1]).tobytes()).hexdigest()
        if expected == row["sha256"]:
            matches += 1
        else:
            mismatched.append(row["path"])
print("%d of %d BMPs match cv2.imread" % (matches, total))
for path in mismatched:
    print("mismatch:", path)
