#!/usr/bin/env python3
"""Compare the managed decoder with OpenCV on mutants written by the fuzz benchmark.

Usage: /usr/bin/python3 bench/scripts/fuzz-opencv.py DIR [--list N]

DIR is the fuzz benchmark's --out folder: DIR/decoded.csv lists mutants in DIR/decoded/ with the managed decoder's
outcome (intact, damaged or refused), size and pixel_sha256 = SHA-256 of the decoded RGB24 row-major bytes (as
`raabin info --csv` writes it). Each mutant is read with cv2.imread(path, cv2.IMREAD_COLOR) (OpenCV 4.6, EXIF
orientation applied, as the managed decoder does), converted BGR -> RGB and hashed the same way. Prints, per format and
outcome: how many mutants, how many cv2 decodes, how many of those have equal pixels, and lists the differences (kind,
seed, managed outcome, warning). Exit code 0 when every intact-decoded mutant equals OpenCV's pixels.
"""
import csv
import hashlib
import os
import sys
from collections import defaultdict

import cv2


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    folder = args[0]
    limit = int(args[args.index("--list") + 1]) if "--list" in args else 40
    cv2.setLogLevel(0) if hasattr(cv2, "setLogLevel") else None
    counts = defaultdict(lambda: [0, 0, 0])  # (format, outcome) -> mutants, cv2 decodes, equal
    differences = []
    with open(os.path.join(folder, "decoded.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["format"], row["outcome"])
            counts[key][0] += 1
            try:
                image = cv2.imread(os.path.join(folder, "decoded", row["file"]), cv2.IMREAD_COLOR)
            except cv2.error:
                image = None  # e.g. a size over CV_IO_MAX_IMAGE_WIDTH: imread raises instead of returning None
            if image is None:
                if row["outcome"] != "refused":
                    differences.append((row, "cv2 refuses, managed decodes"))
                continue
            counts[key][1] += 1
            rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
            digest = hashlib.sha256(rgb.tobytes()).hexdigest()
            same = (digest == row["pixel_sha256"] and str(rgb.shape[1]) == row["width"] and str(rgb.shape[0]) == row["height"])
            if same:
                counts[key][2] += 1
            elif row["outcome"] == "refused":
                differences.append((row, f"managed refuses, cv2 decodes {rgb.shape[1]}x{rgb.shape[0]}"))
            else:
                managed = f"{row['width']}x{row['height']}"
                differences.append((row, f"pixels differ (managed {managed}, cv2 {rgb.shape[1]}x{rgb.shape[0]})"))

    print(f"{'format':<6} {'outcome':<8} {'mutants':>8} {'cv2 decodes':>12} {'equal':>8}")
    for (fmt, outcome), (n, decoded, equal) in sorted(counts.items()):
        print(f"{fmt:<6} {outcome:<8} {n:>8} {decoded:>12} {equal:>8}")
    print(f"differences: {len(differences)}")
    for row, what in differences[:limit]:
        print(f"  {row['file']}: {what}; {row['kind']} of {row['seed']} (index {row['index']}); managed {row['outcome']}"
              + (f": {row['warning']}" if row["warning"] else ""))
    intact_bad = [r for r, _ in differences if r["outcome"] == "intact"]
    return 1 if intact_bad else 0


if __name__ == "__main__":
    sys.exit(main())
