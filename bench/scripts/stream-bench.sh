#!/usr/bin/env bash
# Streaming at any size (issue 15): `raabin features` over manifests of 10k, 30k and 100k rows made of the shared
# images repeated, with 1 and 2 workers; prints wall time, images/s and peak RSS (/usr/bin/time -v) per run.
#
# Usage: bench/scripts/stream-bench.sh WORK_DIR [SHARED] [COUNTS] [JOBS]
#   WORK_DIR  scratch folder (datasets, outputs and logs go there; several GB free is not needed: rows only)
#   SHARED    defaults to ../shared (the datasets are never part of the repository)
#   COUNTS    rows per manifest, space-separated; default "10000 30000 100000"
#   JOBS      worker counts, space-separated; default "1 2"
# RAABIN overrides the command (default: the Release build of the CLI).
#
# A manifest's paths must be relative, without "..", and listed once, so each repetition of the images goes through its
# own directory symlink: WORK_DIR/rows-N/c<k>/<dataset> -> SHARED/datasets/<dataset>, and row i is image (i mod M) of
# the M shared images (all four datasets, in their manifests' order) through copy c<i div M>. Nothing is copied.
set -euo pipefail
work=${1:?usage: stream-bench.sh WORK_DIR [SHARED] [COUNTS] [JOBS]}
shared=${2:-../shared}
counts=${3:-10000 30000 100000}
jobs_list=${4:-1 2}
datasets=$(cd "$shared/datasets" && pwd)
raabin=${RAABIN:-dotnet src/Raabin.Features.Cli/bin/Release/net10.0/raabin.dll}
mkdir -p "$work"
work=$(cd "$work" && pwd)

# Every shared image once, as "dataset,path,label,split,domain" (masks left out: features do not read them).
all="$work/all-images.csv"
python3 - "$datasets" "$all" <<'PY'
import csv, sys
root, out = sys.argv[1], sys.argv[2]
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    for name in ["pbc", "zheng-jtsc", "zheng-cellavision", "bccd"]:
        with open(f"{root}/{name}/manifest.csv", newline="") as m:
            for r in csv.DictReader(m):
                w.writerow([name, r["path"], r["label"], r.get("split", ""), r.get("domain", "")])
PY

for n in $counts; do
  dir="$work/rows-$n"
  if [ ! -f "$dir/manifest.csv" ]; then
    mkdir -p "$dir"
    python3 - "$datasets" "$all" "$dir" "$n" <<'PY'
import csv, os, sys
root, all_images, dir, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
images = list(csv.reader(open(all_images, newline="")))
copies = (n + len(images) - 1) // len(images)
for k in range(copies):
    os.makedirs(f"{dir}/c{k}", exist_ok=True)
    for name in ["pbc", "zheng-jtsc", "zheng-cellavision", "bccd"]:
        link = f"{dir}/c{k}/{name}"
        if not os.path.islink(link):
            os.symlink(f"{root}/{name}", link)
with open(f"{dir}/manifest.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["path", "label", "split", "domain"])
    for i in range(n):
        name, path, label, split, domain = images[i % len(images)]
        w.writerow([f"c{i // len(images)}/{name}/{path}", label, split, domain])
PY
  fi
done

# CPU % (of one core) shows how much of the machine a run got: on a shared machine a 2-worker run may get far less than 200 %.
printf '| rows | jobs | wall (s) | images/s | CPU %% | peak RSS (MB) | exit |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for n in $counts; do
  for j in $jobs_list; do
    out="$work/out-$n-j$j"
    mkdir -p "$out"
    rm -f "$out/features.csv" "$out/features.csv.partial" "$out/features.csv.partial.json"
    set +e
    # stderr goes to a log, so progress comes as plain periodic lines there.
    /usr/bin/time -v -o "$out/time.txt" $raabin features "$work/rows-$n" --jobs "$j" --out "$out/features.csv" 2> "$out/stderr.log"
    code=$?
    set -e
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$out/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$out/time.txt")
    cpu=$(awk -F': ' '/Percent of CPU/ { sub("%", "", $2); print $2 }' "$out/time.txt")
    rate=$(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')
    printf '| %s | %s | %.1f | %s | %s | %s | %s |\n' "$n" "$j" "$wall" "$rate" "$cpu" "$rss" "$code"
  done
done
