#!/usr/bin/env bash
# Epoch time of the single-process trainer against the cluster: the in-process cluster with 1, 2 and 4 workers,
# and two silo processes with Redis membership on loopback. Prints a markdown table of seconds per epoch (training
# part), the ratio to the single-process trainer, bytes moved between silos per step (in all and per silo, next to
# the reduce-scatter + all-gather bound 2(S-1)/S x the model's float32 bytes), and test NDCG@100.
# BENCH_ARGS adds options to every run (e.g. BENCH_ARGS="--compress-gradients" or "--threads 1").
#   bench/cluster-epochs.sh DATA EPOCHS [HELDOUT_USERS] [CONFIGS...]
#   DATA: a data set name (ml-1m) or a split folder, e.g. ML-20M-shaped synthetic data from
#         `vaecf data synth --out runs/synth-ml20m --heldout-users 10000`
#   CONFIGS: any of single w1 w2 w4 two-silos (default: all)
# Needs redis-server for two-silos. Runs go to runs/cluster-bench-<name>/<config>/.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?data set or split folder}; epochs=${2:?epochs}; heldout=${3:-600}; shift $(( $# < 3 ? $# : 3 ))
configs=("$@"); [ ${#configs[@]} -gt 0 ] || configs=(single w1 w2 w4 two-silos)
name=$(basename "$data"); out=runs/cluster-bench-$name
dotnet build -c Release src/Client -v q -nologo >/dev/null
dotnet build -c Release src/Silo -v q -nologo >/dev/null
vaecf() { dotnet src/Client/bin/Release/net10.0/vaecf.dll "$@"; }
if [ -d "$data" ]; then args=(--split "$data"); else args=(--data "$data" --heldout-users "$heldout"); fi
args+=(--epochs "$epochs" --fresh ${BENCH_ARGS:-})

source bench/two-silo-processes.sh
two_silos() {
  local dir=$1
  trap stop_two_silos RETURN
  start_two_silos "$dir"
  vaecf train "${args[@]}" --cluster "redis://127.0.0.1:$silo_port" --job bench --out "$dir"
}

for c in "${configs[@]}"; do
  dir=$out/$c; mkdir -p "$dir"
  echo "== $c"
  case $c in
    single) vaecf train "${args[@]}" --single-process --out "$dir" ;;
    w1|w2|w4) vaecf train "${args[@]}" --workers "${c#w}" --out "$dir" ;;
    two-silos) two_silos "$dir" ;;
    *) echo "unknown config $c" >&2; exit 2 ;;
  esac
done

python3 - "$out" "${configs[@]}" <<'PY'
import json, os, sys
out, configs = sys.argv[1], sys.argv[2:]
rows = {c: json.load(open(os.path.join(out, c, "metrics.json"))) for c in configs if os.path.exists(os.path.join(out, c, "metrics.json"))}
base = rows.get("single", {}).get("secondsPerEpoch")
print("| run | silos | workers | shards | s per epoch | ratio to single | MiB per step | MiB per silo per step | bound 2(S-1)/S x model | test NDCG@100 |")
print("|---|---|---|---|---|---|---|---|---|---|")
for c, m in rows.items():
    cl = m.get("cluster", {})
    ratio = f"{m['secondsPerEpoch'] / base:.2f}" if base else "-"
    silos = cl.get("Silos")
    mib = m.get("bytesPerStep", 0) / 1048576 if "bytesPerStep" in m else None
    per_silo = f"{mib / silos:.1f}" if mib is not None and silos else "-"
    bound = f"{2 * (silos - 1) / silos * cl['ParameterCount'] * 4 / 1048576:.1f}" if silos else "-"
    print(f"| {c} | {silos or '-'} | {cl.get('Workers', '-')} | {cl.get('ParameterShards', '-')} | {m['secondsPerEpoch']:.2f} | {ratio} | "
          f"{'-' if mib is None else f'{mib:.1f}'} | {per_silo} | {bound} | {m['test']['NDCG@100']['mean']:.4f} |")
PY
