#!/usr/bin/python3
"""Writes golden.csv: for every fixture JPEG, what OpenCV 4.6 (python3-opencv, linking libjpeg62-turbo 2.1.5)
returns from cv2.imread(path) (default flags: colour, EXIF orientation applied), converted BGR -> RGB:
width, height and the SHA-256 of the row-major R,G,B bytes. Files imread cannot read are listed with width 0.
Run: python3 make_golden.py (after make_fixtures.py)."""
import glob
import hashlib
import os

import cv2

HERE = os.path.dirname(os.path.abspath(__file__))

rows = ["file,width,height,rgb_sha256"]
for path in sorted(glob.glob(os.path.join(HERE, "*.jpg"))):
    name = os.path.basename(path)
    if name.startswith("unsupported-"):
        continue
    image = cv2.imread(path)
    if image is None:
        rows.append(f"{name},0,0,")
        continue
    rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    rows.append(f"{name},{rgb.shape[1]},{rgb.shape[0]},{hashlib.sha256(rgb.tobytes()).hexdigest()}")

with open(os.path.join(HERE, "golden.csv"), "w", newline="\n") as f:
    f.write("\n".join(rows) + "\n")
