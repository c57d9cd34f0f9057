#!/usr/bin/env bash
# Shards on a real scheduler: a single-node Slurm (Debian's slurm-wlm and munge, installed when missing) runs
# `raabin features --shard auto` as a job array on the shipped sample, `raabin merge` joins the shards, and the result
# must be the single-machine `raabin features` output byte for byte (cmp). Everything Slurm needs (config, key, state,
# sockets, logs) lives in one temporary folder, on ports of its own; the daemons this script starts are stopped on exit,
# also on failure. Needs root (Slurm's daemons run as root here: SlurmUser=root, SlurmdUser=root) and apt-get when the
# packages are missing. Exit code 0 when both arrays' merges equal the single run, non-zero otherwise.
#
# Usage: .ci/slurm-test.sh            (from anywhere; builds the CLI if needed)
#        SLURM_TEST_KEEP=1 .ci/slurm-test.sh   keeps the temporary folder for a look afterwards
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
say() { echo "slurm-test: $*"; }

if [[ $(id -u) -ne 0 ]]; then
    say "needs root (the Slurm daemons run as root here)"; exit 2
fi

# 1. Packages.
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    say "installing slurm-wlm and munge with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi
say "$(slurmctld -V), $(munged -V 2>&1 | head -n 1)"

# 2. The CLI (a no-op when .ci/run has built it already).
dotnet build src/Raabin.Features.Cli -c Release 2>&1 | grep -E "error|Warn|Elapsed" | tail -n 2 || true
dll="$repo/src/Raabin.Features.Cli/bin/Release/net10.0/raabin.dll"
[[ -f $dll ]] || { say "no $dll after the build"; exit 2; }

work=$(mktemp -d /tmp/raabin-slurm.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
    status=$?
    # Jobs still queued or running on this test cluster (after a failure or a signal) go first.
    [[ -n ${SLURM_CONF:-} && -f ${SLURM_CONF:-} ]] && timeout 10 scancel --quiet --user=root 2>/dev/null || true
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    ((${#pids[@]})) && say "stopped the daemons it started (pids ${pids[*]})"
    if [[ $status -ne 0 ]]; then
        for log in "$work"/*.log; do
            [[ -f $log ]] && { echo "--- $log (last lines)"; tail -n 15 "$log"; }
        done
    fi
    if [[ ${SLURM_TEST_KEEP:-0} == 1 ]]; then say "kept $work"; else rm -rf "$work"; fi
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 3. Munge: a fresh key and a private socket.
mkdir -p "$work/munge" "$work/state" "$work/spool" "$work/out"
chmod 700 "$work/munge"
mungekey --create --keyfile="$work/munge/munge.key" 2>/dev/null \
    || { dd if=/dev/urandom of="$work/munge/munge.key" bs=1 count=1024 status=none; chmod 600 "$work/munge/munge.key"; }
socket="$work/munge/munge.socket"
munged --foreground --force --key-file="$work/munge/munge.key" --socket="$socket" --pid-file="$work/munge/munged.pid" \
    --log-file="$work/munged.log" --seed-file="$work/munge/munged.seed" > "$work/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [[ -S $socket ]] && break; sleep 0.1; done
[[ -S $socket ]] || { say "munged did not start"; exit 1; }
say "munged running (socket $socket)"

# 4. slurm.conf: this host as the only node, no cgroups, no accounting, ports of its own.
host=$(hostname -s)
node=$(slurmd -C | head -n 1 | sed -E 's/ RealMemory=[0-9]+//')
export SLURM_CONF="$work/slurm.conf"
cat > "$SLURM_CONF" <<EOF
ClusterName=raabin-ci
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
$node State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
say "wrote $SLURM_CONF ($node, proctrack/linuxproc, task/none, select/cons_tres)"

# 5. The daemons, in the foreground of background jobs so that this script holds their pids.
slurmctld -D -i -f "$SLURM_CONF" > "$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" > "$work/slurmd.out" 2>&1 &
pids+=($!)
state=
for _ in $(seq 60); do
    state=$(sinfo -h -N -n "$host" -o %T 2>/dev/null || true)
    [[ $state == idle ]] && break
    sleep 1
done
[[ $state == idle ]] || { say "node $host is '${state:-not reported}' after 60 s, not idle"; sinfo -N -l || true; exit 1; }
say "slurmctld and slurmd running; sinfo: node $host idle"

# 6. The array job: one shard per task, the shard taken from the Slurm environment (--shard auto).
samples="$repo/samples/pbc"
cat > "$work/shard.sbatch" <<EOF
#!/usr/bin/env bash
#SBATCH --job-name=raabin-shards
#SBATCH --cpus-per-task=1
#SBATCH --time=00:10:00
set -eu
echo "array task id \$SLURM_ARRAY_TASK_ID on \$(hostname -s): array ids \$SLURM_ARRAY_TASK_MIN..\$SLURM_ARRAY_TASK_MAX step \${SLURM_ARRAY_TASK_STEP:-unset}, \$SLURM_ARRAY_TASK_COUNT tasks"
exec dotnet "$dll" features "$samples" --shard auto --jobs 1 --resume --out "\$1/features-\$SLURM_ARRAY_TASK_ID.csv"
EOF

run_array() {  # run_array ARRAY-SPEC NAME
    local spec=$1 name=$2 out="$work/out/$2"
    mkdir -p "$out"
    say "sbatch --array=$spec --wait: raabin features $samples --shard auto --out $out/features-\$SLURM_ARRAY_TASK_ID.csv"
    local t0=$SECONDS
    # In the background, so that a signal to this script is handled at once (bash defers traps while a foreground command runs).
    sbatch --array="$spec" --wait --parsable -o "$out/task-%a.log" -D "$out" "$work/shard.sbatch" "$out" > "$out/job-id" &
    wait $! || { say "the array job failed"; cat "$out"/task-*.log 2>/dev/null; exit 1; }
    say "job $(cut -d';' -f1 < "$out/job-id") finished in $((SECONDS - t0)) s; its tasks said:"
    for log in "$out"/task-*.log; do sed 's/^/    /' "$log"; done
    dotnet "$dll" merge "$out"/features-*.csv --out "$work/out/$name-merged.csv"
}

run_array 0-3 array-0-3
# Ids need not start at 0 or be consecutive: the shard is the task's position in the array.
run_array 1-7:2 array-1-7-step-2

# 7. The single-machine run, and the comparison.
dotnet "$dll" features "$samples" --out "$work/out/single.csv"
for name in array-0-3 array-1-7-step-2; do
    cmp "$work/out/single.csv" "$work/out/$name-merged.csv"
    say "$name: merged shards == single run, byte for byte ($(wc -l < "$work/out/single.csv") lines, sha256 $(sha256sum < "$work/out/single.csv" | cut -c1-16)...)"
done
say "passed"
