#!/usr/bin/python3
"""Writes the timm-style fixtures the way timm's inference.py saves them (pandas DataFrame with numpy-array cells),
and the excerpt of the project's CNN scores with its expected summary.

Run from this folder:  /usr/bin/python3 make_fixtures.py /work/shared/reference
(pandas 1.5.3 / numpy 1.24.2 from Debian). The hand-made fixtures (probs.csv, bare-columns.csv, ...) are not
generated; their expected values are worked out in the tests.
"""
import csv
import json
import sys

import numpy as np
import pandas as pd

# Class order of classes.txt: neutrophil = 0, eosinophil = 1, lymphocyte = 2.
names = np.array(["neutrophil", "eosinophil", "lymphocyte"], dtype=object)
filenames = ["EO_1.jpg", "NE_3.jpg"]
indices = np.array([[1, 2, 0], [0, 2, 1]])
probs = np.array([[0.7, 0.2, 0.1], [0.6, 0.4, 0.0]], dtype=np.float32)

# inference.py without --results-separate-col: list-valued cells (numpy arrays, written with numpy's str()).
lists = pd.DataFrame({"filename": filenames, "index": list(indices), "label": list(names[indices]), "prob": list(probs)})
lists.to_csv("timm-lists.csv", index=False)
lists.set_index("filename").to_json("timm-index.json", indent=4, orient="index")
lists.to_json("timm-records.jsonl", lines=True, orient="records")

# inference.py --results-separate-col --topk 2: one column per rank.
sep = {"filename": filenames}
for i in range(2):
    sep[f"index_{i}"] = indices[:, i]
for i in range(2):
    sep[f"label_{i}"] = names[indices][:, i]
for i in range(2):
    sep[f"prob_{i}"] = probs[:, i]
pd.DataFrame(sep).to_csv("timm-top2.csv", index=False)

# Excerpt of the CNN scores: the first 5 rows of each class and the first 6 misclassified rows, in file order.
if len(sys.argv) > 1:
    src = sys.argv[1] + "/cnn/scores_resnet18_pbc-test.csv"
    with open(src, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    per_class, wrong, keep = {}, 0, []
    for r in body:
        take = False
        if per_class.get(r[2], 0) < 5:
            per_class[r[2]] = per_class.get(r[2], 0) + 1
            take = True
        if r[2] != r[9] and wrong < 6:
            wrong += 1
            take = True
        if take:
            keep.append(r)
    with open("scores_resnet18_pbc-test.excerpt.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(keep)
    p = np.array([[float(x) for x in r[4:9]] for r in keep])
    classes = [h[2:] for h in header[4:9]]
    summary = {
        "rows": len(keep),
        "correct": sum(1 for r in keep if r[2] == r[9]),
        "pred_is_argmax": int(sum(1 for r, q in zip(keep, p) if classes[int(np.argmax(q))] == r[9])),
        "max_abs_sum_error": float(np.max(np.abs(p.sum(axis=1) - 1))),
        "classes": classes,
        "last_row": {"path": keep[-1][1], "label": keep[-1][2], "pred": keep[-1][9], "p": [float(x) for x in keep[-1][4:9]]},
    }
    with open("scores_resnet18_pbc-test.excerpt.expected.json", "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
