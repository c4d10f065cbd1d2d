#!/usr/bin/env bash
# Item-sharded training over two silo processes (Redis membership on loopback): `vaecf train --item-shards N
# --cluster ...` on a split folder, then peak RSS of each silo process and of the client, seconds per epoch,
# bytes between processes per step, and test NDCG@100 as a markdown table.
#   bench/item-shards-cluster.sh SPLIT_FOLDER [ITEM_SHARDS] [EPOCHS] [RESUME_SHARDS]
#   SPLIT_FOLDER: e.g. from `vaecf data synth --items 250000 --users 20000 --heldout-users 2000 --out /tmp/big/synth-250k`
#   RESUME_SHARDS: stop the job (Ctrl+C to the client) once its first epoch's checkpoint is written, then start it
#   again with this many item shards: each new shard reads its range from the old parts that overlap it.
# BENCH_ARGS adds options to the train command (e.g. "--batch-size 1000"). Runs go to runs/item-shards-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
split=${1:?split folder}; shards=${2:-4}; epochs=${3:-1}; resume_shards=${4:-}
out=runs/item-shards-bench; rm -rf "$out"; mkdir -p "$out"
dotnet build -c Release src/Client -v q -nologo >/dev/null
dotnet build -c Release src/Silo -v q -nologo >/dev/null
source bench/two-silo-processes.sh
trap stop_two_silos EXIT
start_two_silos "$out"
port=$silo_port; pids=("${silo_pids[@]}")
train() {  # ITEM_SHARDS FRESH
  /usr/bin/time -f "%M" -o "$out/client.rss" dotnet src/Client/bin/Release/net10.0/vaecf.dll train --split "$split" \
    --item-shards "$1" --epochs "$epochs" $2 --cluster "redis://127.0.0.1:$port" --job bench --out "$out/run" ${BENCH_ARGS:-} \
    2> >(tee -a "$out/client.log" >&2)
}
if [ -n "$resume_shards" ]; then
  train "$shards" --fresh &
  client=$!
  until [ -f "$out/jobs/bench/checkpoint.vaecf" ]; do sleep 1; done
  pkill -INT -f "vaecf.dll train --split $split" || true
  wait "$client" || true
  echo "== stopped after the first epoch with $shards item shards; starting again with $resume_shards" | tee -a "$out/client.log"
  train "$resume_shards" ""
  grep -ah "item shards; each of\|resuming after" "$out"/silo*.log || true
else
  train "$shards" --fresh
fi
for i in 0 1; do grep VmHWM "/proc/${pids[$((i + 1))]}/status" | awk '{print $2}' >"$out/silo$i.rss"; done
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
m = json.load(open(os.path.join(out, "run", "metrics.json")))
gib = lambda kib: int(open(os.path.join(out, kib)).read().split()[0]) / 1048576
t = m["test"]["NDCG@100"]
print("| item shards | parameters | s per epoch | MiB per step | silo 0 peak RSS | silo 1 peak RSS | client peak RSS | test NDCG@100 |")
print("|---|---|---|---|---|---|---|---|")
print(f"| {m['cluster']['ItemShards']} | {m['cluster']['ParameterCount']:,} | {m['secondsPerEpoch']:.1f} | {m['bytesPerStep'] / 1048576:.2f} | "
      f"{gib('silo0.rss'):.1f} GiB | {gib('silo1.rss'):.1f} GiB | {gib('client.rss'):.1f} GiB | {t['mean']:.4f} ± {t['standardError']:.4f} |")
PY
