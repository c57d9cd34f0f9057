#!/usr/bin/python3
"""Golden pixel hashes from OpenCV's imread (Debian python3-opencv 4.6.0), made once.

For every image under DATASETS (sorted, recursively; masks excluded), writes
path,format,width,height,pixel_sha256 where pixel_sha256 is SHA-256 over the decoded RGB24 row-major bytes
(cv2.imread, IMREAD_COLOR, converted BGR->RGB). Usage: make_imread_hashes.py DATASETS OUT.csv
"""
import csv, hashlib, os, sys
import cv2
import numpy as np

FORMATS = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".bmp": "bmp", ".tif": "tiff", ".tiff": "tiff"}

def main(root, out):
    rows = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            ext = os.path.splitext(name)[1].lower()
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            if ext not in FORMATS or "/masks/" in "/" + rel:
                continue
            bgr = cv2.imread(full, cv2.IMREAD_COLOR)
            rgb = np.ascontiguousarray(bgr[:, :, ::-1])
            rows.append((rel, FORMATS[ext], rgb.shape[1], rgb.shape[0], hashlib.sha256(rgb.tobytes()).hexdigest()))
    rows.sort(key=lambda r: r[0])
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["path", "format", "width", "height", "pixel_sha256"])
        w.writerows(rows)
    print(f"{len(rows)} images, OpenCV {cv2.__version__}")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
