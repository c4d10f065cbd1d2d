#!/usr/bin/env bash
# The GPU checks, on a machine with PyTorch (CUDA) and no .NET, in about 5 minutes, from artifacts/gpu-check/ made by
# bench/gpu-pack.sh. Back to back on the same GPU:
#   1. PyTorch eager reference step at ML-20M shape (500 users), fp32, tf32, bf16, and its 10k-user scoring;
#   2. vaecf-bench: the trainer's step with batches on the device, fp32 (with 10k-user scoring and top 100), tf32,
#      bf16, and fp32 with batches built on the host;
#   3. users/s at larger batches (2,000 and 8,000 users, fp32 and bf16);
#   4. ml-1m 600/600, 100 epochs, single process on CUDA (compare with the CPU figure in docs/benchmarks.md);
#   5. ML-20M-shaped synthetic data, 10 epochs at 500, 2,000 and 8,000 users per step: validation NDCG@100 and s/epoch;
#   6. RecVAE on ml-1m 600/600, 2 epochs, single process on CUDA, fp32 then bf16 (the CPU figure of the same command is in
#      docs/benchmarks.md).
# Writes gpu-check.log (and the runs' metrics.json files) to $OUT (default /tmp/gpu-check-out).
#   bench/gpu-check.sh         (environment: SKIP_BATCH_STUDY=1 skips 5; DEVICE=cpu STEPS=3 EPOCHS=2 VAECF_LIBTORCH=... PYTHON=... LARGE_USERS=1000 SCORE_USERS=500
#                              make a quick run of the script itself on a machine without a GPU)
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/gpu-check-out}; mkdir -p "$out"
log=$out/gpu-check.log
exec > >(tee "$log") 2>&1
work=${TMPDIR:-/tmp}/vaecf-gpu-check; rm -rf "$work"; mkdir -p "$work/data"
for f in vaecf-bundle vaecf-bench; do tar -C "$work" -xJf "artifacts/gpu-check/$f.tar.xz"; done
tar -C "$work/data" -xJf artifacts/gpu-check/ml-1m.tar.xz
py=${PYTHON:-python3}
export VAECF_LIBTORCH=${VAECF_LIBTORCH:-$("$py" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')}
device=${DEVICE:-cuda} steps=${STEPS:-50} epochs=${EPOCHS:-100}
export VAECF_DATA_DIR=$work/data DOTNET_ROOT=$work/vaecf-bundle/dotnet
bench() { "$DOTNET_ROOT/dotnet" "$work/vaecf-bench/vaecf-bench.dll" --device "$device" "$@" 2>&1 | grep -E "^(RESULT|step time|scoring|libtorch|threads)|rror"; }
vaecf() { "$work/vaecf-bundle/vaecf" "$@"; }
section() { echo; echo "== $* ($(date +%T))"; }

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
"$py" -c 'import torch; print("pytorch", torch.__version__, "cuda", torch.version.cuda)'

section "1. PyTorch eager, 500 users per step"
for p in fp32 tf32 bf16; do "$py" bench/pytorch_step.py --steps $steps --precision $p --score-users $([ $p = fp32 ] && echo ${SCORE_USERS:-10000} || echo 0) | grep RESULT; done

section "2. vaecf step, 500 users per step"
bench --steps $steps --precision fp32 --assembly device --score-users ${SCORE_USERS:-10000}
bench --steps $steps --precision tf32 --assembly device --score-users 0
bench --steps $steps --precision bf16 --assembly device --score-users 0
bench --steps $steps --precision fp32 --assembly host --score-users 0

section "3. larger batches"
for u in ${LARGE_USERS:-2000 8000}; do
  for p in fp32 bf16; do bench --steps $((steps < 20 ? steps : 20)) --users $u --precision $p --assembly device --score-users 0 | grep RESULT; done
  "$py" bench/pytorch_step.py --steps $((steps < 20 ? steps : 20)) --users $u --precision bf16 --score-users 0 | grep RESULT
done

section "4. ml-1m 600/600, 100 epochs, CUDA"
vaecf train --data ml-1m --heldout-users 600 --single-process --device "$device" --epochs "$epochs" --fresh --out "$work/ml1m" 2>&1 | grep -E "^(libtorch|training|best epoch|vae-|model )"
cp "$work/ml1m/metrics.json" "$out/ml1m-cuda.metrics.json" 2>/dev/null

if [ -z "${SKIP_BATCH_STUDY:-}" ]; then
  section "5. ML-20M-shaped synthetic, 10 epochs per batch size"
  vaecf data synth --out "$work/synth" --heldout-users 10000 2>&1 | tail -1
  for u in 500 2000 8000; do
    vaecf train --split "$work/synth" --epochs $((epochs < 10 ? epochs : 10)) --batch-size $u --single-process --device "$device" --fresh --out "$work/synth-$u" 2>&1 \
      | grep -E "^(best epoch|vae-)" | sed "s/^/batch $u: /"
    cp "$work/synth-$u/metrics.json" "$out/synth-$u.metrics.json" 2>/dev/null
  done
fi
section "6. RecVAE on ml-1m 600/600, 2 epochs, CUDA, fp32 then bf16"
vaecf train --data ml-1m --heldout-users 600 --model recvae --device "$device" --epochs 2 --fresh --out "$work/recvae" 2>&1 \
  | grep -E "^(training|best epoch|recvae |model)|rror"
cp "$work/recvae/metrics.json" "$out/recvae-cuda.metrics.json" 2>/dev/null
vaecf train --data ml-1m --heldout-users 600 --model recvae --device "$device" --precision bf16 --epochs 2 --fresh --out "$work/recvae-bf16" 2>&1 \
  | grep -E "^(training|best epoch|recvae )|rror"
cp "$work/recvae-bf16/metrics.json" "$out/recvae-cuda-bf16.metrics.json" 2>/dev/null
section "done"
