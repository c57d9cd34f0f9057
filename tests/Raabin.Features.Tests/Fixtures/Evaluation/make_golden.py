#!/usr/bin/python3
"""Golden files for tests/Raabin.Features.Tests/Evaluation.

Run once with Debian's interpreter (scikit-learn 1.2.1, SciPy 1.10.1, NumPy):
    /usr/bin/python3 make_golden.py
It writes metrics.json, mcnemar.json and ks.json next to this script. Every expected value in them comes from
scikit-learn or SciPy; this script only draws the seeded random inputs. NaN is written as null.
"""
import json
import math
import os
import warnings

import numpy as np
import scipy
import sklearn
from scipy import stats
from sklearn import metrics

HERE = os.path.dirname(os.path.abspath(__file__))


def clean(value):
    """Python float (null for NaN) so that the JSON is standard."""
    value = float(value)
    return None if math.isnan(value) else value


def write(name, payload):
    payload["generator"] = f"make_golden.py with scikit-learn {sklearn.__version__}, SciPy {scipy.__version__}, NumPy {np.__version__}"
    with open(os.path.join(HERE, name), "w") as handle:
        json.dump(payload, handle, separators=(",", ":"))
        handle.write("\n")


def metric_case(name, k, truth, pred):
    labels = list(range(k))
    truth = np.asarray(truth, dtype=int)
    pred = np.asarray(pred, dtype=int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p, r, f, s = metrics.precision_recall_fscore_support(truth, pred, labels=labels, zero_division=0)
        case = {
            "name": name,
            "classes": [f"class-{c:02d}" for c in labels],
            "truth": truth.tolist(),
            "predicted": pred.tolist(),
            "confusion": metrics.confusion_matrix(truth, pred, labels=labels).tolist(),
            "precision": [clean(v) for v in p],
            "recall": [clean(v) for v in r],
            "f1": [clean(v) for v in f],
            "support": [int(v) for v in s],
            "accuracy": clean(metrics.accuracy_score(truth, pred)),
            "macro_precision": clean(metrics.precision_score(truth, pred, labels=labels, average="macro", zero_division=0)),
            "macro_recall": clean(metrics.recall_score(truth, pred, labels=labels, average="macro", zero_division=0)),
            "macro_f1": clean(metrics.f1_score(truth, pred, labels=labels, average="macro", zero_division=0)),
            # Macro-F1 over the classes present in the truth: the labels argument restricted to them.
            "macro_f1_present": clean(metrics.f1_score(truth, pred, labels=sorted(set(truth.tolist())), average="macro", zero_division=0)),
            "balanced_accuracy": clean(metrics.balanced_accuracy_score(truth, pred)),
            "cohen_kappa": clean(metrics.cohen_kappa_score(truth, pred)),
            "mcc": clean(metrics.matthews_corrcoef(truth, pred)),
        }
    return case


def metric_cases():
    rng = np.random.default_rng(20240611)
    cases = []
    for i in range(30):
        k = int(rng.integers(2, 19))
        n = int(rng.integers(1, 160))
        # Skewed class frequencies; some classes drop out of the truth entirely.
        weights = rng.dirichlet(np.full(k, 0.6))
        if k > 2 and i % 3 == 0:
            absent = rng.choice(k, size=int(rng.integers(1, k // 2 + 1)), replace=False)
            weights[absent] = 0
            weights /= weights.sum()
        truth = rng.choice(k, size=n, p=weights)
        if i % 4 == 1 and n > 3:
            # A few single-sample classes.
            for c in rng.choice(k, size=min(k, 2), replace=False):
                truth[truth == c] = truth[0] if truth[0] != c else (c + 1) % k
                truth[int(rng.integers(0, n))] = c
        skill = rng.uniform(0.0, 1.0)
        pred = np.where(rng.uniform(size=n) < skill, truth, rng.integers(0, k, size=n))
        if i % 5 == 2:
            # A class that is predicted but never true.
            never = [c for c in range(k) if c not in set(truth.tolist())]
            if never:
                pred[: max(1, n // 10)] = never[0]
        cases.append(metric_case(f"random-{i:02d}", k, truth, pred))
    cases.append(metric_case("all-correct", 4, [0, 1, 2, 3, 1, 2], [0, 1, 2, 3, 1, 2]))
    cases.append(metric_case("all-wrong", 3, [0, 1, 2, 0, 1, 2], [1, 2, 0, 2, 0, 1]))
    cases.append(metric_case("single-class-all-correct", 3, [1, 1, 1], [1, 1, 1]))
    cases.append(metric_case("single-class-some-wrong", 3, [1, 1, 1, 1], [1, 0, 1, 2]))
    cases.append(metric_case("single-sample", 5, [3], [2]))
    cases.append(metric_case("constant-prediction", 4, [0, 1, 2, 3, 0, 1], [2, 2, 2, 2, 2, 2]))
    return cases


def mcnemar_cases():
    pairs = [(b, c) for b in range(0, 26) for c in range(b, 26)]
    pairs += [(b, c) for b in (0, 1, 2, 5, 17, 60, 100, 499, 1000, 2400, 2500) for c in (1, 40, 101, 700, 2499, 2600, 4000)]
    pairs += [(0, 5000), (1, 4999), (2500, 2500), (2499, 2501), (1200, 3800), (2000, 3000), (30, 1), (999, 1001), (4999, 1)]
    rows = []
    for b, c in pairs:
        n = b + c
        p = 1.0 if n == 0 else stats.binomtest(min(b, c), n, 0.5, alternative="two-sided").pvalue
        formula = 1.0 if n == 0 else min(1.0, 2.0 * stats.binom.cdf(min(b, c), n, 0.5))
        # The brief's formula and SciPy's binomtest agree for p = 1/2.
        assert p == formula or abs(p - formula) <= 1e-12 * max(p, formula), (b, c, p, formula)
        rows.append([b, c, clean(p)])
    return rows


def ks_cases():
    rng = np.random.default_rng(77)
    cases = []
    sizes = [(1, 1), (1, 5), (3, 3), (5, 8), (10, 10), (12, 30), (40, 41), (50, 50), (64, 200), (150, 90), (300, 280), (7, 500), (400, 400), (120, 333)]
    for i, (n1, n2) in enumerate(sizes):
        shift = rng.uniform(0.0, 0.8)
        if i % 3 == 0:
            # Integer data: many ties within and across the samples.
            a = rng.integers(0, 6, size=n1).astype(float)
            b = (rng.integers(0, 6, size=n2) + (1 if shift > 0.4 else 0)).astype(float)
        else:
            a = np.round(rng.normal(0.0, 1.0, size=n1), 4)
            b = np.round(rng.normal(shift, 1.0 + shift, size=n2), 4)
        result = stats.ks_2samp(a, b, alternative="two-sided", method="auto")
        cases.append({"a": a.tolist(), "b": b.tolist(), "statistic": clean(result.statistic), "pvalue": clean(result.pvalue)})
    # Identical samples and fully separated samples.
    same = np.round(rng.normal(size=25), 3)
    for a, b in ((same, same.copy()), (np.arange(20.0), np.arange(20.0) + 100.0), (np.arange(30.0), np.arange(45.0) + 100.0)):
        result = stats.ks_2samp(a, b, alternative="two-sided", method="auto")
        cases.append({"a": a.tolist(), "b": b.tolist(), "statistic": clean(result.statistic), "pvalue": clean(result.pvalue)})
    return cases


def shift_cases():
    rng = np.random.default_rng(5)
    cases = []
    for n1, n2 in ((2, 2), (5, 9), (30, 30), (100, 57), (3, 200)):
        a = np.round(rng.normal(1.0, 2.0, size=n1), 5)
        b = np.round(rng.normal(1.5, 1.0, size=n2), 5)
        pooled = math.sqrt(((n1 - 1) * np.var(a, ddof=1) + (n2 - 1) * np.var(b, ddof=1)) / (n1 + n2 - 2))
        cases.append({
            "a": a.tolist(), "b": b.tolist(),
            "mean_a": clean(np.mean(a)), "mean_b": clean(np.mean(b)),
            "sd_a": clean(np.std(a, ddof=1)), "sd_b": clean(np.std(b, ddof=1)),
            "pooled_sd": clean(pooled),
            "smd": clean((np.mean(b) - np.mean(a)) / pooled),
        })
    return cases


def calibration_cases():
    """ECE with 15 bins: edges = linspace(0, 1, 16), bin b = (e_b, e_b+1], the first bin [0, e_1]
    (np.digitize(..., right=True) on the inner edges)."""
    rng = np.random.default_rng(15)
    edges = np.linspace(0.0, 1.0, 16)
    cases = []
    for n, sharpness in ((1, 1.0), (40, 2.0), (250, 0.5), (600, 4.0)):
        conf = rng.beta(2.0 * sharpness, 1.0, size=n)
        if n > 30:
            # Values on every edge, plus 0 and 1.
            conf[:16] = edges
        correct = rng.uniform(size=n) < conf ** 1.3
        bins = np.digitize(conf, edges[1:-1], right=True)
        table = []
        ece = 0.0
        mce = 0.0
        for b in range(15):
            member = bins == b
            count = int(member.sum())
            if count:
                mean_conf = float(np.mean(conf[member]))
                acc = float(np.mean(correct[member]))
                gap = abs(acc - mean_conf)
                ece += count / n * gap
                mce = max(mce, gap)
                table.append([count, mean_conf, acc])
            else:
                table.append([0, None, None])
        cases.append({"confidence": conf.tolist(), "correct": correct.astype(int).tolist(), "bins": table, "ece": ece, "mce": mce})
    return cases


def main():
    write("metrics.json", {"cases": metric_cases()})
    write("mcnemar.json", {"columns": ["b", "c", "scipy_binomtest_two_sided_p"], "rows": mcnemar_cases()})
    write("ks.json", {"cases": ks_cases()})
    write("shift.json", {"cases": shift_cases()})
    write("calibration.json", {"cases": calibration_cases()})


if __name__ == "__main__":
    main()
