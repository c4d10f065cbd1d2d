#!/usr/bin/env bash
# On a GPU machine with PyTorch and no .NET: unpacks artifacts/vaecf-bundle.tar.xz (made by scripts/portable-bundle.sh),
# loads LibTorch from the installed PyTorch (VAECF_LIBTORCH), generates ML-20M-shaped synthetic data and trains it back to back with
# the single-process trainer and the in-process cluster (one silo, one worker) on CUDA, twice each.
# Prints seconds per epoch (training part) per run and writes each run's metrics.json and training.jsonl to $OUT.
#   bench/gpu-cluster-epochs.sh [EPOCHS]
set -euo pipefail
epochs=${1:-3}
work=${TMPDIR:-/tmp}/vaecf-gpu; rm -rf "$work"; mkdir -p "$work"
tar -C "$work" -xJf artifacts/vaecf-bundle.tar.xz
torchlib=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
# LibTorch (with CUDA) comes from the installed PyTorch: vaecf loads it from this folder before any tensor work.
export VAECF_LIBTORCH=$torchlib
export LD_LIBRARY_PATH=$torchlib:${LD_LIBRARY_PATH:-}
vaecf() { "$work/vaecf-bundle/vaecf" "$@"; }
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
python3 -c 'import torch; print("pytorch", torch.__version__, "cuda", torch.version.cuda)'
vaecf data synth --out "$work/synth" --heldout-users 10000 | tail -2
out=${OUT:-$work/out}; mkdir -p "$out"
for run in single-1 cluster-1 single-2 cluster-2; do
  dir=$work/runs/$run
  case $run in
    single*) vaecf train --split "$work/synth" --epochs "$epochs" --device cuda --single-process --fresh --out "$dir" > "$out/$run.log" 2>&1 ;;
    cluster*) vaecf train --split "$work/synth" --epochs "$epochs" --device cuda --fresh --out "$dir" > "$out/$run.log" 2>&1 ;;
  esac
  cp "$dir/metrics.json" "$out/$run.metrics.json"; cp "$dir/training.jsonl" "$out/$run.training.jsonl"
  python3 - "$dir" "$run" <<'PY'
import json, sys
d, run = sys.argv[1], sys.argv[2]
rows = [json.loads(l) for l in open(d + "/training.jsonl")]
secs = [r["Seconds"] for r in rows]
m = json.load(open(d + "/metrics.json"))
print(f"{run}: s per epoch {['%.3f' % s for s in secs]}, users/s {rows[-1]['UsersPerSecond']:.0f}, test NDCG@100 {m['test']['NDCG@100']['mean']:.4f}")
PY
done
