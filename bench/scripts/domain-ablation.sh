#!/usr/bin/env bash
# The domain-lever ablation of the README: od-cell + od-groups measured once per dataset and once on a randomised copy of
# pbc train, then `raabin ablation` (feature groups × randomised copies × transductive modes × few-shot k) trained on pbc
# train and tested on pbc test and the three other domains.
# Usage, from the repository root after `dotnet build -c Release`: bench/scripts/domain-ablation.sh [OUT_DIR] [extra ablation options]
# Needs ../shared (or RAABIN_SHARED). About 30 minutes on 2 cores, most of it the few-shot draws.
set -euo pipefail
shared=${RAABIN_SHARED:-../shared}
out=${1:-out/domain-ablation}
shift || true
raabin="dotnet $(pwd)/src/Raabin.Features.Cli/bin/Release/net10.0/raabin.dll"
mkdir -p "$out"
for s in pbc zheng-jtsc zheng-cellavision bccd; do
  [ -f "$out/$s.csv" ] || $raabin features "$shared/datasets/$s" --segmenter od-cell --extractor od-groups --out "$out/$s.csv"
done
[ -f "$out/pbc-randomised-1.csv" ] || $raabin features "$shared/datasets/pbc" --split train --segmenter od-cell --extractor od-groups \
  --randomise --randomise-seed 1 --out "$out/pbc-randomised-1.csv"
$raabin ablation --train "$out/pbc.csv:train" --randomised "$out/pbc-randomised-1.csv" \
  --test "pbc-test=$out/pbc.csv:test" --test "zheng-jtsc=$out/zheng-jtsc.csv" --test "zheng-cellavision=$out/zheng-cellavision.csv" \
  --test "bccd=$out/bccd.csv" --groups shape --groups shape+colour --groups shape+colour+texture-coarse \
  --groups shape+colour+texture-coarse+texture-fine --out "$out/ablation" "$@"
