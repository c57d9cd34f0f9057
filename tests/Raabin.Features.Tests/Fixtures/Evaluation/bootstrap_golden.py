#!/usr/bin/python3
"""Golden file for the stratified bootstrap (bootstrap.json).

SciPy's bootstrap resamples differently, so this is an independent re-implementation of the resampling documented in
src/Raabin.Features/Evaluation/Bootstrap.cs with the portable SplitMix64 generator, while every metric of every
replicate is computed by scikit-learn 1.2.1 on the expanded resampled label arrays. Run with /usr/bin/python3.
"""
import json
import math
import os
import warnings

import numpy as np
import sklearn
from sklearn import metrics

HERE = os.path.dirname(os.path.abspath(__file__))
MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    @staticmethod
    def for_stream(seed, stream):
        return SplitMix64(mix((seed + (stream + 1) * GAMMA) & MASK))

    def next(self):
        self.state = (self.state + GAMMA) & MASK
        return mix(self.state)

    def next_index(self, count):
        return (self.next() * count) >> 64


def percentile(sorted_values, fraction):
    """Linear interpolation between order statistics: h = (n - 1)·q."""
    n = len(sorted_values)
    if n == 0:
        return None
    h = (n - 1) * fraction
    below = math.floor(h)
    if below >= n - 1:
        return sorted_values[-1]
    return sorted_values[below] + (h - below) * (sorted_values[below + 1] - sorted_values[below])


def interval(estimate, values, level):
    finite = sorted(v for v in values if not math.isnan(v))
    tail = (1 - level) / 2
    lower, upper = percentile(finite, tail), percentile(finite, 1 - tail)
    if finite:
        # Cross-check the documented rule against NumPy's default percentile.
        check = np.percentile(finite, [100 * tail, 100 * (1 - tail)])
        assert abs(check[0] - lower) <= 1e-12 and abs(check[1] - upper) <= 1e-12, (check, lower, upper)
    return {"estimate": None if math.isnan(estimate) else estimate, "lower": lower, "upper": upper, "valid": len(finite)}


def scores(k, present, truth, pred):
    labels = list(range(k))
    return [
        metrics.accuracy_score(truth, pred),
        metrics.f1_score(truth, pred, labels=labels, average="macro", zero_division=0),
        metrics.f1_score(truth, pred, labels=present, average="macro", zero_division=0),
        metrics.balanced_accuracy_score(truth, pred),
        metrics.cohen_kappa_score(truth, pred),
    ]


def resample(seed, r, k, truth):
    random = SplitMix64.for_stream(seed, r)
    chosen = []
    for c in range(k):
        members = [i for i, t in enumerate(truth) if t == c]
        for _ in range(len(members)):
            chosen.append(members[random.next_index(len(members))])
    return chosen


def case(name, k, truth, pred_a, pred_b, replicates, seed, level):
    truth = [int(t) for t in truth]
    pred_a = [int(p) for p in pred_a]
    pred_b = [int(p) for p in pred_b]
    present = sorted(set(truth))
    single = []
    paired = []
    for r in range(replicates):
        chosen = resample(seed, r, k, truth)
        t = np.array([truth[i] for i in chosen])
        a = np.array([pred_a[i] for i in chosen])
        b = np.array([pred_b[i] for i in chosen])
        sa = scores(k, present, t, a)
        sb = scores(k, present, t, b)
        single.append(sa)
        paired.append([sa[0] - sb[0], sa[1] - sb[1]])
    point_a = scores(k, present, np.array(truth), np.array(pred_a))
    point_b = scores(k, present, np.array(truth), np.array(pred_b))
    keys = ["accuracy", "macro_f1", "macro_f1_present", "balanced_accuracy", "cohen_kappa"]
    return {
        "name": name,
        "classes": [f"c{c}" for c in range(k)],
        "truth": truth,
        "predicted_a": pred_a,
        "predicted_b": pred_b,
        "replicates": replicates,
        "seed": str(seed),
        "level": level,
        "single": {key: interval(point_a[m], [s[m] for s in single], level) for m, key in enumerate(keys)},
        "paired": {
            "accuracy_difference": interval(point_a[0] - point_b[0], [p[0] for p in paired], level),
            "macro_f1_difference": interval(point_a[1] - point_b[1], [p[1] for p in paired], level),
        },
    }


def draw(rng, k, n, skill, absent=()):
    weights = rng.dirichlet(np.full(k, 1.0))
    weights[list(absent)] = 0
    weights /= weights.sum()
    truth = rng.choice(k, size=n, p=weights)
    pred = np.where(rng.uniform(size=n) < skill, truth, rng.integers(0, k, size=n))
    return truth, pred


def main():
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(99)
    cases = []
    truth, pred_a = draw(rng, 5, 120, 0.8)
    pred_b = np.where(rng.uniform(size=120) < 0.85, pred_a, rng.integers(0, 5, size=120))
    cases.append(case("five-classes", 5, truth, pred_a, pred_b, 1000, 42, 0.95))
    truth, pred_a = draw(rng, 9, 80, 0.6, absent=(2, 7))
    _, pred_b = draw(rng, 9, 80, 0.0)
    pred_b = np.where(rng.uniform(size=80) < 0.5, truth, pred_b)
    cases.append(case("absent-classes", 9, truth, pred_a, pred_b, 400, 2024, 0.9))
    truth, pred_a = draw(rng, 3, 40, 0.95)
    truth[:2] = [0, 1]
    pred_b = pred_a.copy()
    pred_b[::7] = (pred_b[::7] + 1) % 3
    cases.append(case("three-classes-seed-max", 3, truth, pred_a, pred_b, 300, MASK, 0.95))
    # One class only and always right: κ is NaN in every replicate.
    cases.append(case("one-class", 2, [1] * 6, [1] * 6, [1, 1, 0, 1, 1, 1], 50, 7, 0.95))

    stream = SplitMix64(1234567)
    payload = {
        "generator": f"bootstrap_golden.py with scikit-learn {sklearn.__version__}, NumPy {np.__version__}",
        "splitmix64": {"seed": "1234567", "outputs": [str(stream.next()) for _ in range(5)]},
        "streams": {"seed": "42", "first_output_of_stream": [str(SplitMix64.for_stream(42, r).next()) for r in range(4)],
                    "next_index_1000": [SplitMix64.for_stream(42, 0).next_index(1000)]},
        "cases": cases,
    }
    with open(os.path.join(HERE, "bootstrap.json"), "w") as handle:
        json.dump(payload, handle, separators=(",", ":"))
        handle.write("\n")


if __name__ == "__main__":
    main()
