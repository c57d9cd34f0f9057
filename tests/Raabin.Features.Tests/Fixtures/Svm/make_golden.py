#!/usr/bin/python3
"""Builds the LIBSVM parity fixture (run once, from the repository root, with Debian's /usr/bin/python3):

    /usr/bin/python3 tests/Raabin.Features.Tests/Fixtures/Svm/make_golden.py /path/to/shared

Inputs: <shared>/reference/features/pbc.csv (the published method's 51 features) and
<shared>/datasets/pbc/manifest.csv (the split). Outputs, next to this script:

  pbc-subset.csv          split,class,f1..f51: every 20th pbc train row and every 15th test row (each split sorted by
                          label, then path), min-max normalised with the min/max of the chosen train rows, 17
                          significant digits; class = index of the label in sorted order (basophil 0 .. neutrophil 4).
  golden-model.txt        gamma_scale (1 / (51 * variance of all normalised train entries)), gamma (gamma_scale
                          rounded to float, the value all references use; see below), and per reference the
                          per-class SV counts and the rho values (svm-train's model file, LIBSVM in memory,
                          scikit-learn) and the SV training rows.
  golden-test.csv         per test row: svm-predict's label, LIBSVM-in-memory decision values (exact doubles),
                          scikit-learn's label and decision values.
  golden-probability.csv  per test row: svm-predict -b 1's label and class probabilities (model from svm-train -b 1,
                          whose probA/probB are in golden-model.txt). LIBSVM's cross-validation shuffle uses rand(),
                          so these are for closeness checks, not equality.

Debian's svm-train 3.24+ds-6 reads -g, -c, -e, -w with strtof (float precision), not atof: given
-g 0.33997795922486773 it trains with 0.33997794985771179. The fixture therefore uses a float-representable gamma.
"""
import csv
import os
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import libsvm_reference as ref  # noqa: E402

CLASSES = ["basophil", "eosinophil", "lymphocyte", "monocyte", "neutrophil"]
COST = 6.0
WEIGHTS = {CLASSES.index("neutrophil"): 10.0}


def load(shared):
    with open(os.path.join(shared, "datasets", "pbc", "manifest.csv")) as f:
        split = {r["path"]: r["split"] for r in csv.DictReader(f)}
    rows = {"train": [], "test": []}
    with open(os.path.join(shared, "reference", "features", "pbc.csv")) as f:
        reader = csv.reader(f)
        header = next(reader)
        first = header.index("error") + 1
        for r in reader:
            s = split[r[1]]
            if s in rows and r[3] == "1":
                rows[s].append((r[2], r[1], [float(v) for v in r[first:]]))
    for s in rows:
        rows[s].sort(key=lambda t: (t[0], t[1]))
    return rows["train"][::20], rows["test"][::15]


def main(shared):
    train, test = load(shared)
    train_x = np.array([t[2] for t in train])
    test_x = np.array([t[2] for t in test])
    lo, hi = train_x.min(axis=0), train_x.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    train_x = (train_x - lo) / span
    test_x = (test_x - lo) / span
    train_y = np.array([CLASSES.index(t[0]) for t in train])
    test_y = np.array([CLASSES.index(t[0]) for t in test])
    # Round-trip through the 17-digit text so every reference sees exactly the doubles the C# test reads.
    train_x = np.array([[float("%.17g" % v) for v in r] for r in train_x])
    test_x = np.array([[float("%.17g" % v) for v in r] for r in test_x])
    gamma_scale = 1.0 / (train_x.shape[1] * train_x.var())
    # Debian's svm-train parses its numeric options with strtof (a Debian patch), so it trains with gamma rounded to
    # float. Use that value everywhere so svm-train, LIBSVM in memory and scikit-learn all solve the same problem.
    gamma = float(np.float32(gamma_scale))

    with open(os.path.join(HERE, "pbc-subset.csv"), "w") as f:
        f.write("split,class," + ",".join("f%d" % (i + 1) for i in range(train_x.shape[1])) + "\n")
        for name, ys, xs in (("train", train_y, train_x), ("test", test_y, test_x)):
            for y, x in zip(ys, xs):
                f.write("%s,%d,%s\n" % (name, y, ",".join("%.17g" % v for v in x)))

    with tempfile.TemporaryDirectory() as tmp:
        paths = [os.path.join(tmp, n) for n in ("train.txt", "test.txt", "model.txt", "out.txt")]
        ref.write_libsvm(paths[0], train_y, train_x)
        ref.write_libsvm(paths[1], test_y, test_x)
        tools = ref.svm_train_predict(*paths, gamma, COST, WEIGHTS)
        tools_b = ref.svm_train_predict(*paths, gamma, COST, WEIGHTS, probability=True)
    memory = ref.libsvm_in_memory(train_y, train_x, test_x, gamma, COST, WEIGHTS)
    skl = ref.sklearn_reference(train_y, train_x, test_x, gamma, COST, WEIGHTS)

    with open(os.path.join(HERE, "golden-model.txt"), "w") as f:
        f.write("gamma_scale %.17g\n" % gamma_scale)
        f.write("gamma %.17g\n" % gamma)
        f.write("cost %.17g\n" % COST)
        f.write("weights %s\n" % " ".join("%d:%.17g" % kv for kv in WEIGHTS.items()))
        for name, r in (("svm-train", tools), ("libsvm", memory), ("sklearn", skl)):
            f.write("%s nsv %s\n" % (name, " ".join(map(str, r["nsv"]))))
            f.write("%s rho %s\n" % (name, " ".join("%.17g" % v for v in r["rho"])))
        for name, r in (("libsvm", memory), ("sklearn", skl)):
            f.write("%s sv_rows %s\n" % (name, " ".join(map(str, r["sv_rows"]))))
        for key in ("probA", "probB"):
            f.write("svm-train-b1 %s %s\n" % (key, " ".join("%.17g" % v for v in tools_b[key])))

    with open(os.path.join(HERE, "golden-probability.csv"), "w") as f:
        f.write("svm_predict_b1,%s\n" % ",".join("p%d" % c for c in range(len(CLASSES))))
        for pred, prob in zip(tools_b["pred"], tools_b["prob"]):
            f.write("%d,%s\n" % (pred, ",".join("%.6g" % v for v in prob)))

    pairs = len(memory["rho"])
    with open(os.path.join(HERE, "golden-test.csv"), "w") as f:
        f.write("svm_predict,libsvm_pred,%s,sklearn_pred,%s\n" % (
            ",".join("libsvm_dec%d" % p for p in range(pairs)), ",".join("sklearn_dec%d" % p for p in range(pairs))))
        for i in range(len(test_y)):
            f.write("%d,%d,%s,%d,%s\n" % (
                tools["pred"][i], memory["pred"][i], ",".join("%.17g" % v for v in memory["dec"][i]),
                skl["pred"][i], ",".join("%.17g" % v for v in skl["dec"][i])))

    print("train %d rows, test %d rows, gamma %.17g" % (len(train_y), len(test_y), gamma))
    print("svm-train nSV", tools["nsv"], "libsvm", memory["nsv"], "sklearn", skl["nsv"])
    agree = sum(a == b for a, b in zip(tools["pred"], skl["pred"]))
    print("svm-predict vs sklearn predictions agree on %d/%d" % (agree, len(test_y)))
    worst = max(abs(a - b) for ra, rb in zip(memory["dec"], skl["dec"]) for a, b in zip(ra, rb))
    print("max |decision libsvm - sklearn| = %.3g" % worst)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "..", "..", "shared"))
