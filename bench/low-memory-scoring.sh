#!/usr/bin/env bash
# A model (Mult-VAE / Mult-DAE model.vaecf, or RecVAE model.recvae) loaded whole against the same model scored in place (--low-memory: the item-sized layers
# read from the file one item range at a time), back to back: `vaecf evaluate` of the split's test users, with wall
# time, peak RSS and test NDCG@100 as a markdown table.
#   bench/low-memory-scoring.sh MODEL SPLIT-OPTIONS...
#   MODEL: a model.vaecf or model.recvae; SPLIT-OPTIONS: how `vaecf evaluate` finds the split the model was trained on (--split FOLDER,
#   or --data NAME --heldout-users N ...), and any other evaluate options, for both runs.
set -euo pipefail
cd "$(dirname "$0")/.."
model=$1; shift
out=runs/low-memory-bench; rm -rf "$out"; mkdir -p "$out"
dotnet build -c Release src/Client -v q -nologo >/dev/null
echo "model: $model ($(du -h "$model" | cut -f1))" >&2
for mode in false true; do
  echo "== --low-memory $mode" >&2
  /usr/bin/time -f "%e %M" -o "$out/$mode.time" \
    dotnet src/Client/bin/Release/net10.0/vaecf.dll evaluate --model "$model" --low-memory "$mode" "$@" \
    > "$out/$mode.out" 2> >(tee "$out/$mode.log" >&2)
done
python3 - "$out" <<'PY'
import os, sys
out = sys.argv[1]
print("| model loading | wall s | peak RSS MiB | test NDCG@100 |")
print("|---|---|---|---|")
for mode, label in (("false", "whole"), ("true", "in place (--low-memory)")):
    wall, rss = open(os.path.join(out, mode + ".time")).read().split()[-2:]
    row = next(l.split() for l in open(os.path.join(out, mode + ".out")) if l.count("±") == 3)
    print(f"| {label} | {float(wall):.1f} | {int(rss) / 1024:.0f} | {row[7]} ± {row[9]} |")
PY
