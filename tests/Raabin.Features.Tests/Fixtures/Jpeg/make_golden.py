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

# Damaged copies: imread is lenient (libjpeg warns, fills missing data with zeros = grey). Each row names a fixture
# and a recipe applied to its bytes: "cut:N" keeps the first N bytes; "set:OFFSET=VALUE;..." overwrites bytes
# (offsets inside the entropy-coded data, drawn with a fixed seed). Written to damaged.csv.
import random
import tempfile


def entropy_start(data):
    i = 2
    while True:
        marker, length = data[i + 1], (data[i + 2] << 8) | data[i + 3]
        if marker == 0xDA:
            return i + 2 + length
        i += 2 + length


def apply(data, recipe):
    kind, _, arg = recipe.partition(":")
    if kind == "cut":
        return data[:int(arg)]
    out = bytearray(data)
    for item in arg.split(";"):
        offset, value = item.split("=")
        out[int(offset)] = int(value)
    return bytes(out)


recipes = [
    ("pbc-444-baseline.jpg", "cut:8000"),
    ("pbc-444-baseline.jpg", "cut:12345"),
    ("crop-420.jpg", "cut:1500"),
    ("crop-restart-1block-420.jpg", "cut:1500"),
    ("crop-restart-1row.jpg", "cut:2000"),
    ("crop-sequential-3scans.jpg", "cut:1800"),
    ("odd-37x23-440.jpg", "cut:700"),
]
rng = random.Random(20240501)
for name in ["crop-restart-1block-420.jpg", "crop-restart-1row.jpg"]:
    with open(os.path.join(HERE, name), "rb") as f:
        data = f.read()
    start = entropy_start(data)
    for _ in range(4):
        changes = sorted({rng.randrange(start, len(data) - 2): rng.randrange(256) for _ in range(3)}.items())
        recipes.append((name, "set:" + ";".join(f"{o}={v}" for o, v in changes)))

# 4-component files cut short (made by make_cmyk_fixtures.py; appended so the rows above keep their values).
recipes += [
    ("cmyk-adobe-120x90-c2x2.jpg", "cut:2500"),
    ("ycck-adobe-37x23-y2x2.jpg", "cut:700"),
]

rows = ["file,recipe,width,height,rgb_sha256"]
with tempfile.TemporaryDirectory() as tmp:
    for name, recipe in recipes:
        with open(os.path.join(HERE, name), "rb") as f:
            damaged = apply(f.read(), recipe)
        path = os.path.join(tmp, "damaged.jpg")
        with open(path, "wb") as f:
            f.write(damaged)
        image = cv2.imread(path)
        if image is None:
            rows.append(f"{name},{recipe},0,0,")
            continue
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        rows.append(f"{name},{recipe},{rgb.shape[1]},{rgb.shape[0]},{hashlib.sha256(rgb.tobytes()).hexdigest()}")

with open(os.path.join(HERE, "damaged.csv"), "w", newline="\n") as f:
    f.write("\n".join(rows) + "\n")
