#!/usr/bin/python3
"""Independent reference outputs for the C# C-SVC, from Debian's LIBSVM 3.24 and scikit-learn 1.2.1.

Run with Debian's interpreter (/usr/bin/python3: python3-sklearn, libsvm3 3.24+ds-6, libsvm-tools).

Three references, because each shows something different:
  * svm-train / svm-predict (the command-line tools): the model file's per-class SV counts and rho, and the
    predicted labels. svm-predict reads support vectors that svm-train wrote with 8 significant digits, so its
    decision values (which it does not print anyway) are not those of the in-memory model.
  * libsvm.so.3 (the same library svm-train links) called in memory through ctypes: svm_train + svm_predict_values
    give LIBSVM's exact double decision values with full-precision support vectors.
  * scikit-learn SVC(decision_function_shape='ovo'): its bundled, modified LIBSVM (dense dot products through BLAS),
    so its numbers may differ from LIBSVM's in the last bits.

Data files here are CSV: class index (0..k-1) then the features; rows sorted by class.
"""
import ctypes
import ctypes.util
import subprocess
import sys

import numpy as np


class SvmNode(ctypes.Structure):
    _fields_ = [("index", ctypes.c_int), ("value", ctypes.c_double)]


class SvmProblem(ctypes.Structure):
    _fields_ = [("l", ctypes.c_int), ("y", ctypes.POINTER(ctypes.c_double)),
                ("x", ctypes.POINTER(ctypes.POINTER(SvmNode)))]


class SvmParameter(ctypes.Structure):
    _fields_ = [("svm_type", ctypes.c_int), ("kernel_type", ctypes.c_int), ("degree", ctypes.c_int),
                ("gamma", ctypes.c_double), ("coef0", ctypes.c_double), ("cache_size", ctypes.c_double),
                ("eps", ctypes.c_double), ("C", ctypes.c_double), ("nr_weight", ctypes.c_int),
                ("weight_label", ctypes.POINTER(ctypes.c_int)), ("weight", ctypes.POINTER(ctypes.c_double)),
                ("nu", ctypes.c_double), ("p", ctypes.c_double), ("shrinking", ctypes.c_int),
                ("probability", ctypes.c_int)]


class SvmModel(ctypes.Structure):
    _fields_ = [("param", SvmParameter), ("nr_class", ctypes.c_int), ("l", ctypes.c_int),
                ("SV", ctypes.POINTER(ctypes.POINTER(SvmNode))),
                ("sv_coef", ctypes.POINTER(ctypes.POINTER(ctypes.c_double))),
                ("rho", ctypes.POINTER(ctypes.c_double)), ("probA", ctypes.POINTER(ctypes.c_double)),
                ("probB", ctypes.POINTER(ctypes.c_double)), ("sv_indices", ctypes.POINTER(ctypes.c_int)),
                ("label", ctypes.POINTER(ctypes.c_int)), ("nSV", ctypes.POINTER(ctypes.c_int)),
                ("free_sv", ctypes.c_int)]


PRINT_FUNC = ctypes.CFUNCTYPE(None, ctypes.c_char_p)
_quiet = PRINT_FUNC(lambda s: None)


def _library():
    lib = ctypes.CDLL("libsvm.so.3")
    assert ctypes.c_int.in_dll(lib, "libsvm_version").value == 324, "expected LIBSVM 3.24"
    lib.svm_train.restype = ctypes.POINTER(SvmModel)
    lib.svm_train.argtypes = [ctypes.POINTER(SvmProblem), ctypes.POINTER(SvmParameter)]
    lib.svm_predict_values.restype = ctypes.c_double
    lib.svm_predict_values.argtypes = [ctypes.POINTER(SvmModel), ctypes.POINTER(SvmNode),
                                       ctypes.POINTER(ctypes.c_double)]
    lib.svm_set_print_string_function.argtypes = [PRINT_FUNC]
    lib.svm_set_print_string_function(_quiet)
    return lib


def _nodes(row):
    # Every feature, zeros included (svm-train keeps explicit zeros too); 1-based indices, -1 terminator.
    nodes = (SvmNode * (len(row) + 1))()
    for i, v in enumerate(row):
        nodes[i].index = i + 1
        nodes[i].value = float(v)
    nodes[len(row)].index = -1
    return nodes


def read_data(path):
    data = np.loadtxt(path, delimiter=",", ndmin=2)
    return data[:, 0].astype(int), data[:, 1:]


def write_libsvm(path, labels, features):
    with open(path, "w") as f:
        for label, row in zip(labels, features):
            f.write("%d %s\n" % (label, " ".join("%d:%.17g" % (i + 1, v) for i, v in enumerate(row))))


def libsvm_in_memory(train_y, train_x, test_x, gamma, cost, weights, degree=3, coef0=0.0, eps=1e-3):
    """LIBSVM 3.24 svm_train and svm_predict_values in memory (polynomial kernel, C-SVC)."""
    lib = _library()
    rows = [_nodes(r) for r in train_x]
    problem = SvmProblem()
    problem.l = len(rows)
    problem.y = (ctypes.c_double * len(rows))(*[float(v) for v in train_y])
    problem.x = (ctypes.POINTER(SvmNode) * len(rows))(*[ctypes.cast(r, ctypes.POINTER(SvmNode)) for r in rows])
    param = SvmParameter()
    param.svm_type, param.kernel_type, param.degree = 0, 1, degree
    param.gamma, param.coef0, param.cache_size, param.eps, param.C = gamma, coef0, 100.0, eps, cost
    param.nr_weight = len(weights)
    param.weight_label = (ctypes.c_int * len(weights))(*weights.keys())
    param.weight = (ctypes.c_double * len(weights))(*weights.values())
    param.nu, param.p, param.shrinking, param.probability = 0.5, 0.1, 1, 0
    model = lib.svm_train(ctypes.byref(problem), ctypes.byref(param)).contents
    k = model.nr_class
    pairs = k * (k - 1) // 2
    labels = [model.label[i] for i in range(k)]
    assert labels == sorted(labels), "rows must be sorted by class so LIBSVM's class order is the sorted order"
    n_sv = [model.nSV[i] for i in range(k)]
    rho = [model.rho[i] for i in range(pairs)]
    sv_rows = [model.sv_indices[i] - 1 for i in range(model.l)]
    decisions, predictions = [], []
    out = (ctypes.c_double * pairs)()
    for r in test_x:
        nodes = _nodes(r)
        predictions.append(int(lib.svm_predict_values(ctypes.byref(model), nodes, out)))
        decisions.append([out[i] for i in range(pairs)])
    return {"nsv": n_sv, "rho": rho, "sv_rows": sv_rows, "pred": predictions, "dec": decisions}


def sklearn_reference(train_y, train_x, test_x, gamma, cost, weights, degree=3, coef0=0.0, eps=1e-3):
    from sklearn.svm import SVC
    model = SVC(C=cost, kernel="poly", degree=degree, gamma=gamma, coef0=coef0, tol=eps, class_weight=weights,
                decision_function_shape="ovo", break_ties=False, shrinking=True, cache_size=200)
    model.fit(train_x, train_y)
    return {"nsv": [int(v) for v in model.n_support_], "rho": [float(-v) for v in model.intercept_],
            "sv_rows": [int(v) for v in model.support_],
            "pred": [int(v) for v in model.predict(test_x)],
            "dec": model.decision_function(test_x).tolist()}


def svm_train_predict(train_file, test_file, model_file, out_file, gamma, cost, weights, probability=False):
    """Debian's svm-train / svm-predict; returns the model file's nr_sv, rho and total_sv and the predictions.

    With probability=True both run with -b 1 (svm-train's cross-validation shuffles with the C library's rand(),
    never seeded, so the result is reproducible) and the result also has probA, probB and per-row probabilities.
    """
    args = ["svm-train", "-q", "-s", "0", "-t", "1", "-d", "3", "-g", "%.17g" % gamma, "-r", "0",
            "-c", "%.17g" % cost, "-e", "0.001", "-b", "1" if probability else "0"]
    for label, w in weights.items():
        args += ["-w%d" % label, "%.17g" % w]
    subprocess.run(args + [train_file, model_file], check=True)
    subprocess.run(["svm-predict", "-q", "-b", "1" if probability else "0", test_file, model_file, out_file],
                   check=True)
    header = {}
    with open(model_file) as f:
        for line in f:
            if line.startswith("SV"):
                break
            key, _, rest = line.strip().partition(" ")
            header[key] = rest.split()
    with open(out_file) as f:
        lines = [line.split() for line in f if line.strip()]
    result = {"nsv": [int(v) for v in header["nr_sv"]], "rho": [float(v) for v in header["rho"]],
              "total_sv": int(header["total_sv"][0])}
    if probability:
        assert lines[0][0] == "labels" and [int(v) for v in lines[0][1:]] == sorted(int(v) for v in lines[0][1:])
        result["probA"] = [float(v) for v in header["probA"]]
        result["probB"] = [float(v) for v in header["probB"]]
        result["prob"] = [[float(v) for v in line[1:]] for line in lines[1:]]
        lines = lines[1:]
    result["pred"] = [int(float(line[0])) for line in lines]
    return result


def main(argv):
    """CLI for the bench: libsvm_reference.py TRAIN.csv TEST.csv GAMMA COST LABEL:WEIGHT OUT_PREFIX.

    Writes OUT_PREFIX-libsvm.csv and OUT_PREFIX-sklearn.csv: one line per test row, prediction then the
    decision values (17 significant digits), and OUT_PREFIX-summary.txt with nSV, rho and SV rows of both.
    """
    train_path, test_path, gamma, cost, weight, prefix = argv
    gamma, cost = float(gamma), float(cost)
    label, w = weight.split(":")
    weights = {int(label): float(w)}
    train_y, train_x = read_data(train_path)
    _, test_x = read_data(test_path)
    with open(prefix + "-summary.txt", "w") as summary:
        for name, fn in (("libsvm", libsvm_in_memory), ("sklearn", sklearn_reference)):
            result = fn(train_y, train_x, test_x, gamma, cost, weights)
            with open("%s-%s.csv" % (prefix, name), "w") as f:
                for p, d in zip(result["pred"], result["dec"]):
                    f.write("%d,%s\n" % (p, ",".join("%.17g" % v for v in d)))
            summary.write("%s nsv %s\n" % (name, " ".join(map(str, result["nsv"]))))
            summary.write("%s rho %s\n" % (name, " ".join("%.17g" % v for v in result["rho"])))
            summary.write("%s sv_rows %s\n" % (name, " ".join(map(str, result["sv_rows"]))))


if __name__ == "__main__":
    main(sys.argv[1:])
