#!/usr/bin/env bash
# The standard protocol (train on pbc:train, test on pbc:test and the three other microscopes) with every --trainer, then
# `raabin compare` of them all on the same images (paired tests). Usage: bench/scripts/trainers-table.sh OUT_DIR [SHARED]
# SHARED defaults to ../shared (the datasets are never part of the repository). Prints each trainer's macro-F1 per test
# set and training time (from metrics.json) and writes OUT_DIR/compare/summary.md.
set -euo pipefail
out=${1:?usage: trainers-table.sh OUT_DIR [SHARED]}
shared=${2:-../shared}
d=$shared/datasets
raabin=${RAABIN:-dotnet src/Raabin.Features.Cli/bin/Release/net10.0/raabin.dll}
trainers=(kernel-svm lbfgs-maxent sdca-maxent lightgbm fastforest ova-ldsvm)
for t in "${trainers[@]}"; do
  [ -f "$out/$t/metrics.json" ] && continue
  $raabin evaluate --train "$d/pbc:train" --test "$d/pbc:test" --test "$d/zheng-jtsc" --test "$d/zheng-cellavision" --test "$d/bccd" \
    --class-weight neutrophil=10 --overlap-check exact --trainer "$t" --out "$out/$t" > "$out.$t.log" 2>&1
done
python3 - "$out" "${trainers[@]}" <<'PY'
import json, sys
out, trainers = sys.argv[1], sys.argv[2:]
print("| trainer | " + " | ".join(t["name"] for t in json.load(open(f"{out}/{trainers[0]}/metrics.json"))[0]["tests"]) + " | training (s) |")
for t in trainers:
    run = json.load(open(f"{out}/{t}/metrics.json"))[0]
    print(f"| {t} | " + " | ".join(f"{s['macroF1']:.3f}" for s in run["tests"]) + f" | {run['trainingSeconds']:.1f} |")
PY
also=()
for t in "${trainers[@]:1}"; do also+=(--also "$t=$out/$t/predictions.csv"); done
$raabin compare --svm "$out/kernel-svm/predictions.csv" "${also[@]}" --out "$out/compare" > "$out.compare.log" 2>&1
echo "comparison: $out/compare/summary.md"
