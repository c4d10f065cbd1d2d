#!/usr/bin/env bash
# Item shards on one GPU, for a lent machine with PyTorch (CUDA) and no .NET, from artifacts/gpu-check/ (bench/gpu-pack.sh).
# For each catalog size in ITEM_SIZES (default "1000000 3000000"):
#   1. PyTorch eager at that size, 500 users per step, bf16 and fp32 (bench/pytorch_step.py --items N);
#   2. `vaecf train --item-shards 1` on the in-process cluster (one silo) on the GPU, one epoch;
#   3. two vaecf-silo processes on the same GPU (Localhost clustering, the second naming the first as primary) and
#      `vaecf train --item-shards 2 --cluster` to their gateways, one epoch.
# Prints s per step (the last step of the epoch, from metrics.json), s per epoch, MiB per step, peak RSS of each
# process, the GPU's peak memory and test NDCG@100. A size whose checkpoint parts and model would not fit the free
# disk (24 bytes per parameter at the peak: 29 GB at 1M items, 86 GB at 3M, more than a 64 GB lent machine has) is
# skipped with a line saying so.
# Data: `vaecf data synth --items 2.4N --users N/125 --clicks-per-user 650 --heldout-users 500` (about 1.01M items kept at N = 1M).
# Writes gpu-item-shards.log and the runs' metrics.json to $OUT (default /tmp/gpu-item-shards-out).
#   bench/gpu-item-shards.sh
#   DEVICE=cpu ITEM_SIZES=20000 USERS=1500 BUNDLE_DIR=... PYTHON=...: a quick run of the script on a machine without a GPU
#   (BUNDLE_DIR: a folder with `vaecf` and `vaecf-silo` programs instead of the packed bundle).
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/gpu-item-shards-out}; mkdir -p "$out"
exec > >(tee "$out/gpu-item-shards.log") 2>&1
work=${TMPDIR:-/tmp}/vaecf-gpu-item-shards; rm -rf "$work"; mkdir -p "$work"
py=${PYTHON:-python3}
if [ -n "${BUNDLE_DIR:-}" ]; then bundle=$BUNDLE_DIR; else
  tar -C "$work" -xJf artifacts/gpu-check/vaecf-bundle.tar.xz; bundle=$work/vaecf-bundle
  export DOTNET_ROOT=$bundle/dotnet
fi
# LibTorch (with CUDA) from the installed PyTorch; left unset where there is none (a build that carries its own).
libtorch=${VAECF_LIBTORCH:-$("$py" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null)}
[ -n "$libtorch" ] && export VAECF_LIBTORCH=$libtorch
device=${DEVICE:-cuda}
section() { echo; echo "== $* ($(date +%T))"; }
# The GPU's memory in use, sampled every second while a run goes: gpu_watch starts, gpu_peak stops and prints the most.
gpu_watch() { [ "$device" = cpu ] && return; nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -l 1 >"$work/gpu.samples" & gpu_pid=$!; }
gpu_peak() { [ "$device" = cpu ] && { echo "-"; return; }; kill "$gpu_pid" 2>/dev/null; sort -n "$work/gpu.samples" | tail -1; }
ready() { "$py" - "$1" <<'PY'
import sys, time, urllib.request
for _ in range(240):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health/ready", timeout=2); sys.exit(0)
    except Exception:
        time.sleep(0.5)
sys.exit(1)
PY
}
report() { "$py" - "$@" <<'PY'
import json, sys
run, label, rss, gpu = sys.argv[1:5]
m = json.load(open(run + "/metrics.json"))
rows = [json.loads(l) for l in open(run + "/training.jsonl")]
steps = rows[-1]["Step"] - (rows[-2]["Step"] if len(rows) > 1 else 0)
t = m["test"]["NDCG@100"]
print(f"RESULT {label}: {m['cluster']['ParameterCount']:,} parameters, {m['lastStepMilliseconds']['Step'] / 1000:.3f} s last step, "
      f"{m['secondsPerEpoch']:.1f} s per epoch of {steps} steps, {m['bytesPerStep'] / 1048576:.2f} MiB per step, peak RSS {rss}, "
      f"GPU memory {gpu} MiB, test NDCG@100 {t['mean']:.4f} ± {t['standardError']:.4f}")
PY
}

[ "$device" = cpu ] || nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
"$py" -c 'import torch; print("pytorch", torch.__version__, "cuda", torch.version.cuda)' 2>/dev/null || echo "no PyTorch in $py"
for n in ${ITEM_SIZES:-1000000 3000000}; do
  free_bytes=$(df -B1 --output=avail "$work" | tail -1)
  # The epoch's parts with both moments (12 bytes a parameter), the model and the client's copy (4 + 4), 4 to spare.
  need=$((n * 1201 * 24))
  if [ "$free_bytes" -lt "$need" ]; then echo "SKIP $n items: needs about $((need / 1000000000)) GB of disk for parts and model, $((free_bytes / 1000000000)) GB free"; continue; fi
  section "$n items: data"
  data=$work/synth-$n
  users=${USERS:-$((n / 125 > 1500 ? n / 125 : 1500))}
  "$bundle/vaecf" data synth --items $((n * 12 / 5)) --users "$users" --clicks-per-user 650 --heldout-users 500 --out "$data" 2>&1 | tail -1
  echo "items kept: $(wc -l < "$data/unique_sid.txt")"

  section "$n items: PyTorch eager"
  if [ "$device" != cpu ]; then
    for p in bf16 fp32; do "$py" bench/pytorch_step.py --items "$n" --steps 20 --precision $p --score-users 0 | grep RESULT; done
  fi

  section "$n items: 1 item shard, in-process cluster"
  run=$work/runs/$n-1
  gpu_watch
  /usr/bin/time -f "%M" -o "$work/rss-$n-1" "$bundle/vaecf" train --split "$data" --item-shards 1 --epochs 1 --device "$device" --fresh \
    --out "$run" 2>&1 | grep -E "^(cluster|best epoch|vae-)|rror"
  report "$run" "$n items, 1 shard" "$(( $(tail -1 "$work/rss-$n-1") / 1024 )) MiB" "$(gpu_peak)"
  cp "$run/metrics.json" "$out/$n-1.metrics.json" 2>/dev/null

  section "$n items: 2 item shards, two silos on one device"
  port=$((21000 + RANDOM % 20000)); pids=()
  gpu_watch
  for i in 0 1; do
    primary=(); [ $i = 1 ] && primary=(Silo__PrimarySiloEndpoint=127.0.0.1:$port)
    env Silo__Clustering=Localhost Silo__SiloPort=$((port + i)) Silo__GatewayPort=$((port + 10 + i)) Silo__HttpPort=$((port + 20 + i)) \
      "${primary[@]}" Storage__Directory="$work/jobs" Torch__Device="$device" "$bundle/vaecf-silo" >"$work/silo$i-$n.log" 2>&1 &
    pids+=($!)
    ready $((port + 20 + i)) || { echo "silo $i did not become ready; its log:"; tail -20 "$work/silo$i-$n.log"; }
  done
  run=$work/runs/$n-2
  "$bundle/vaecf" train --split "$data" --item-shards 2 --epochs 1 --fresh --cluster "127.0.0.1:$((port + 10)),127.0.0.1:$((port + 11))" \
    --job "items-$n" --out "$run" 2>&1 | grep -E "^(cluster|best epoch|vae-)|rror"
  gpu=$(gpu_peak)
  rss=$(for p in "${pids[@]}"; do grep VmHWM "/proc/$p/status" | awk '{printf "%d MiB ", $2 / 1024}'; done)
  kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null
  report "$run" "$n items, 2 shards on 2 silos" "silos $rss" "$gpu"
  cp "$run/metrics.json" "$out/$n-2.metrics.json" 2>/dev/null
  rm -rf "$work/jobs" "$work/runs" "$data"
done
section "done"
