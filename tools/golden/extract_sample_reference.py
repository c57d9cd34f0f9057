#!/usr/bin/python3
"""Copies the reference outputs (../shared/reference) of the images in samples/ into small test fixtures.

Usage: extract_sample_reference.py SHARED_REFERENCE SAMPLES OUT_DIR
Writes features.csv (the reference's 51 features), segmentation.csv (Dice/IoU of zheng-*) and predictions.csv
for exactly the shipped sample images, rows unchanged apart from selection.
"""
import csv, os, sys

def manifest_paths(samples, name):
    with open(os.path.join(samples, name, "manifest.csv"), newline="") as f:
        return {r["path"] for r in csv.DictReader(f)}

def main(ref, samples, out):
    names = sorted(d for d in os.listdir(samples) if os.path.isfile(os.path.join(samples, d, "manifest.csv")))
    wanted = {n: manifest_paths(samples, n) for n in names}
    # features: one file per dataset, first column 'dataset'
    with open(os.path.join(out, "features.csv"), "w", newline="") as fo:
        w = None
        for n in names:
            with open(os.path.join(ref, "features", n + ".csv"), newline="") as fi:
                r = csv.reader(fi)
                header = next(r)
                if w is None:
                    w = csv.writer(fo, lineterminator="\n")
                    w.writerow(header)
                for row in r:
                    if row[1] in wanted[n]:
                        w.writerow(row)
    with open(os.path.join(out, "segmentation.csv"), "w", newline="") as fo:
        w = csv.writer(fo, lineterminator="\n")
        first = True
        for n in names:
            p = os.path.join(ref, "segmentation", n + ".csv")
            if not os.path.exists(p):
                continue
            with open(p, newline="") as fi:
                r = csv.reader(fi)
                header = next(r)
                if first:
                    w.writerow(["dataset"] + header)
                    first = False
                for row in r:
                    if row[0] in wanted[n]:
                        w.writerow([n] + row)
    with open(os.path.join(out, "predictions.csv"), "w", newline="") as fo:
        w = csv.writer(fo, lineterminator="\n")
        w.writerow(["dataset", "path", "label", "pred"])
        for fname in sorted(os.listdir(os.path.join(ref, "predictions"))):
            n = "pbc" if fname.startswith("pbc-") else fname[:-4]
            with open(os.path.join(ref, "predictions", fname), newline="") as fi:
                for row in csv.DictReader(fi):
                    if row["path"] in wanted.get(n, ()):
                        w.writerow([n, row["path"], row["label"], row["pred"]])

if __name__ == "__main__":
    main(*sys.argv[1:4])
