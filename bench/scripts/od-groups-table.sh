#!/usr/bin/env bash
# The cross-domain table of the od-groups feature groups: od-cell + od-groups measured once per dataset, then an RBF SVM
# (C = 10, z-score) trained on pbc train on each group alone and combined, tested on pbc test and the three other
# domains; F1_10 = macro-F1 over the classes with at least 10 test images. No target labels are used for training.
# Usage, from the repository root after `dotnet build -c Release`: bench/scripts/od-groups-table.sh [OUT_DIR]
# Needs ../shared (or RAABIN_SHARED) and python3 (standard library only, for the F1 arithmetic and the id lists).
set -euo pipefail
shared=${RAABIN_SHARED:-../shared}
out=${1:-out/od-groups-table}
raabin="dotnet $(pwd)/src/Raabin.Features.Cli/bin/Release/net10.0/raabin.dll"
mkdir -p "$out"
for s in pbc zheng-jtsc zheng-cellavision bccd; do
  [ -f "$out/$s.csv" ] || $raabin features "$shared/datasets/$s" --segmenter od-cell --extractor od-groups --out "$out/$s.csv" 2>/dev/null || true
done

ids() { python3 - "$1" "$(head -1 "$out/pbc.csv")" <<'PY'
import re, sys
group, cols = sys.argv[1], sys.argv[2].split(',')
p = {'shape': r'^(nuc|cell)_(solidity|circularity|convexity|eccentricity|components|thickness_max|thickness_mean|lobes_35|lobes_55|defect_depth_1|defect_depth_2|deep_defects)$|^nc_area_ratio$|^nuc_offset$',
     'colour': r'^(nuc|cyto)_(od_[RGB]|chrom_[RGB]|od_sum|od_sum_cv)$|^cyto_nuc_(od_ratio|chrom_diff)_[RGB]$',
     'texture-coarse': r'^(nuc|cyto)_(log2_energy|redness_mean|redness_sd)$',
     'texture-fine': r'^(nuc|cyto)_(log1_energy|lbp_\d)$'}
wanted = [re.compile(p[g]) for g in group.split('+')]
print(','.join(c for c in cols if any(w.match(c) for w in wanted)))
PY
}

f1_10() { python3 - "$@" <<'PY'
import csv, sys
cells = []
for path in sys.argv[1:]:
    rows = list(csv.DictReader(open(path)))
    support = {}
    for r in rows:
        support[r['label']] = support.get(r['label'], 0) + 1
    f1 = []
    for c, n in support.items():
        if n < 10:
            continue
        tp = sum(r['label'] == c and r['pred'] == c for r in rows)
        predicted = sum(r['pred'] == c for r in rows)
        precision, recall = (tp / predicted if predicted else 0), tp / n
        f1.append(0 if precision + recall == 0 else 2 * precision * recall / (precision + recall))
    cells.append('%.3f' % (sum(f1) / len(f1)))
print(' | '.join(cells))
PY
}

echo "| features | pbc test | zheng-jtsc | zheng-cellavision | bccd |"
echo "| --- | --- | --- | --- | --- |"
for g in shape colour texture-coarse texture-fine shape+colour shape+colour+texture-coarse shape+colour+texture-coarse+texture-fine; do
  $raabin train "$out/pbc.csv" --split train --features "$(ids $g)" --kernel rbf --c 10 --normalizer zscore --model "$out/m-$g.json" >/dev/null 2>&1
  for s in pbc zheng-jtsc zheng-cellavision bccd; do
    split=(); [ $s = pbc ] && split=(--split test)
    $raabin predict --model "$out/m-$g.json" "$out/$s.csv" "${split[@]}" --out "$out/p-$g-$s.csv" >/dev/null 2>&1 || true
  done
  echo "| $g | $(f1_10 "$out/p-$g-pbc.csv" "$out/p-$g-zheng-jtsc.csv" "$out/p-$g-zheng-cellavision.csv" "$out/p-$g-bccd.csv") |"
done
