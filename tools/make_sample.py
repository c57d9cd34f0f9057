#!/usr/bin/python3
"""Copies the small real sample shipped in samples/ from ../shared/datasets (run once; the output is committed).

Per dataset, a seeded choice of images per class from the evaluation split (pbc: split=test, so the shipped models
never saw them), with their ground-truth masks where the dataset has them. The manifest keeps the datasets' format.
"""
import csv, os, random, shutil, sys

PER_CLASS = {"pbc": 6, "zheng-jtsc": 2, "zheng-cellavision": 1, "bccd": 2}

def main(src_root, dst_root):
    rng = random.Random(2026)
    for name, per_class in PER_CLASS.items():
        with open(os.path.join(src_root, name, "manifest.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        if name == "pbc":
            rows = [r for r in rows if r["split"] == "test"]
        chosen = []
        for label in sorted({r["label"] for r in rows}):
            pool = sorted((r for r in rows if r["label"] == label), key=lambda r: r["path"])
            chosen += rng.sample(pool, min(per_class, len(pool)))
        if name == "pbc":
            # Make sure the 4:2:0 366x369 variant is represented (250 of the pbc images are).
            big = sorted(r["path"] for r in rows if os.path.getsize(os.path.join(src_root, name, r["path"])) > 0
                         and is_large(os.path.join(src_root, name, r["path"])))
            if big and not any(r["path"] in big for r in chosen):
                extra = next(r for r in rows if r["path"] == rng.choice(big))
                chosen.append(extra)
        chosen.sort(key=lambda r: r["path"])
        out = os.path.join(dst_root, name)
        for r in chosen:
            for key in ("path", "mask"):
                if r.get(key):
                    os.makedirs(os.path.dirname(os.path.join(out, r[key])), exist_ok=True)
                    shutil.copyfile(os.path.join(src_root, name, r[key]), os.path.join(out, r[key]))
        with open(os.path.join(out, "manifest.csv"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["path", "label", "split", "domain", "mask"], lineterminator="\n")
            w.writeheader()
            w.writerows(chosen)
        print(name, len(chosen))

def is_large(path):
    with open(path, "rb") as f:
        data = f.read()
    i = data.find(b"\xff\xc0")
    return i > 0 and int.from_bytes(data[i + 5:i + 7], "big") == 369

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
