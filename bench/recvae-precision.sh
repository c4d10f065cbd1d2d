#!/usr/bin/env bash
# RecVAE in one process with float32 and with bfloat16 products (--precision), back to back with the same data,
# settings and LibTorch threads: seconds per epoch, best epoch and test NDCG@100 as a markdown table.
#   bench/recvae-precision.sh [DATA] [EPOCHS] [THREADS]
#   DATA: a data set name or --data argument (default ml-1m, found through VAECF_DATA_DIR); EPOCHS default 50 (the
#   paper's); THREADS default 1.
# BENCH_ARGS adds options to both train commands (e.g. "--hidden 900"). Runs go to runs/recvae-precision-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-ml-1m}; epochs=${2:-50}; threads=${3:-1}
out=runs/recvae-precision-bench; rm -rf "$out"; mkdir -p "$out"
dotnet build -c Release src/Client -v q -nologo >/dev/null
vaecf() { dotnet src/Client/bin/Release/net10.0/vaecf.dll "$@"; }
common=(--data "$data" --heldout-users 600 --model recvae --epochs "$epochs" --threads "$threads" ${BENCH_ARGS:-})
for precision in fp32 bf16; do
  echo "== $precision" >&2
  /usr/bin/time -f "%e s wall, %M KiB peak RSS" -o "$out/$precision.time" \
    dotnet src/Client/bin/Release/net10.0/vaecf.dll train "${common[@]}" --precision "$precision" --fresh --out "$out/$precision" \
    2> >(tee "$out/$precision.log" >&2) >/dev/null
done
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
rows = {}
print("| precision | s per epoch | best epoch (validation NDCG@100) | test NDCG@100 | Recall@20 | Recall@50 | wall, peak RSS |")
print("|---|---|---|---|---|---|---|")
for p in ("fp32", "bf16"):
    m = json.load(open(os.path.join(out, p, "metrics.json")))
    t = m["test"]
    rows[p] = m["secondsPerEpoch"]
    wall = open(os.path.join(out, p + ".time")).read().strip().splitlines()[-1]
    print(f"| {p} | {m['secondsPerEpoch']:.2f} | {m['bestEpoch']} ({m['bestValidationNdcg100']:.4f}) | "
          f"{t['NDCG@100']['mean']:.4f} ± {t['NDCG@100']['standardError']:.4f} | {t['Recall@20']['mean']:.4f} | {t['Recall@50']['mean']:.4f} | {wall} |")
print(f"\nbf16 / fp32 seconds per epoch: {rows['bf16'] / rows['fp32']:.2f}")
PY
