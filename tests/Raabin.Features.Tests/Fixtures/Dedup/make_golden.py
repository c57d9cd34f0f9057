#!/usr/bin/python3
"""Golden hashes for the dedup tests, from independent implementations (Debian python3-pil 9.4, python3-scipy 1.10,
python3-opencv 4.6).

aHash / pHash are computed exactly as imagehash 4.3 defines them (imagehash is not packaged in Debian, so its two
functions are restated here from their documented definition):
  average_hash: img.convert('L').resize((8, 8), LANCZOS); bits = pixels > pixels.mean()
  phash:        img.convert('L').resize((32, 32), LANCZOS); d = scipy.fftpack.dct(scipy.fftpack.dct(p, axis=0), axis=1);
                low = d[:8, :8]; bits = low > median(low)
  hex string:   bits row-major, first bit most significant (imagehash's str(hash)).
Sharpness: mean of sqrt(gx^2 + gy^2), gx/gy = cv2.Sobel(gray, CV_64F, 1,0 / 0,1, ksize=3), gray = cv2.cvtColor(RGB2GRAY).

Usage:
  make_golden.py                      writes imagehash-golden.csv for every image of ../../../../samples (run from this folder)
  make_golden.py --compare hashes.csv DATASET_ROOT...
                                      compares a `raabin dedup` hashes.csv with these definitions and prints bit statistics
"""
import csv
import hashlib
import os
import sys

import cv2
import numpy as np
import scipy.fftpack
from PIL import Image

LANCZOS = Image.Resampling.LANCZOS


def bits_to_hex(bits):
    s = ''.join('1' if b else '0' for b in bits.flatten())
    return '{:016x}'.format(int(s, 2))


def hashes(path):
    img = Image.open(path)
    img.load()
    rgb = np.asarray(img.convert('RGB'))
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    same_pixels = bgr is not None and np.array_equal(rgb, bgr[:, :, ::-1])
    grey = img.convert('L')
    small = grey.resize((8, 8), LANCZOS)
    a = np.asarray(small)
    ahash = bits_to_hex(a > np.mean(a))
    big = grey.resize((32, 32), LANCZOS)
    p = np.asarray(big)
    d = scipy.fftpack.dct(scipy.fftpack.dct(p, axis=0), axis=1)
    low = d[:8, :8]
    phash = bits_to_hex(low > np.median(low))
    g = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    gx = cv2.Sobel(g, cv2.CV_64F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_64F, 0, 1, ksize=3)
    sharp = float(np.mean(np.sqrt(gx * gx + gy * gy)))
    return {
        'ahash': ahash,
        'phash': phash,
        'resize8_sha256': hashlib.sha256(a.tobytes()).hexdigest(),
        'resize32_sha256': hashlib.sha256(p.tobytes()).hexdigest(),
        'sharpness': repr(sharp),
        'pil_equals_cv2': 'true' if same_pixels else 'false',
    }


def write_golden():
    samples = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', 'samples'))
    rows = []
    for root, _, files in os.walk(samples):
        for f in files:
            full = os.path.join(root, f)
            rel = os.path.relpath(full, samples).replace(os.sep, '/')
            if '/masks/' in rel or not f.lower().endswith(('.jpg', '.jpeg', '.bmp', '.png')):
                continue
            rows.append((rel, hashes(full)))
    rows.sort(key=lambda r: r[0])
    cols = ['ahash', 'phash', 'resize8_sha256', 'resize32_sha256', 'sharpness', 'pil_equals_cv2']
    with open('imagehash-golden.csv', 'w', newline='') as out:
        w = csv.writer(out, lineterminator='\n')
        w.writerow(['path'] + cols)
        for rel, h in rows:
            w.writerow([rel] + [h[c] for c in cols])
    print(f'{len(rows)} images -> imagehash-golden.csv')


def compare(hashes_csv, roots):
    by_name = {os.path.basename(os.path.normpath(r)): r for r in roots}
    n = a_diff_imgs = p_diff_imgs = a_bits = p_bits = not_same = 0
    worst_p = 0
    sharp_rel = 0.0
    with open(hashes_csv, newline='') as f:
        for row in csv.DictReader(f):
            full = os.path.join(by_name[row['dataset']], row['path'])
            h = hashes(full)
            n += 1
            da = bin(int(h['ahash'], 16) ^ int(row['ahash'], 16)).count('1')
            dp = bin(int(h['phash'], 16) ^ int(row['phash'], 16)).count('1')
            a_bits += da
            p_bits += dp
            a_diff_imgs += da > 0
            p_diff_imgs += dp > 0
            worst_p = max(worst_p, dp)
            not_same += h['pil_equals_cv2'] != 'true'
            s = float(h['sharpness'])
            sharp_rel = max(sharp_rel, abs(float(row['sharpness']) - s) / max(s, 1e-300))
            if da or dp:
                print(f"{row['dataset']}/{row['path']}: aHash bits differ {da}, pHash bits differ {dp}")
    print(f'{n} images: aHash differs in {a_diff_imgs} ({a_bits} bits), pHash differs in {p_diff_imgs} ({p_bits} bits, '
          f'max {worst_p} in one image); PIL pixels != OpenCV pixels in {not_same}; max relative sharpness difference {sharp_rel:.3g}')


if __name__ == '__main__':
    if len(sys.argv) > 2 and sys.argv[1] == '--compare':
        compare(sys.argv[2], sys.argv[3:])
    else:
        write_golden()
