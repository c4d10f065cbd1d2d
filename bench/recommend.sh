#!/usr/bin/env bash
# Throughput and memory of `vaecf recommend --histories` (top N for every user of a ratings file).
#   bench/recommend.sh                    ml-1m: trains a small Mult-DAE once (runs/recommend-bench/ml-1m-dae), then
#                                         recommends the top 100 to all 6,040 users with 1 and 2 LibTorch threads
#   bench/recommend.sh MODEL HISTORIES    any saved model and ratings file (csv user,item or a known data set name)
# Prints wall seconds and peak RSS (/usr/bin/time) and the command's own users/s line. Needs VAECF_DATA_DIR for ml-1m.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/Client -v q -nologo >/dev/null
vaecf() { dotnet src/Client/bin/Release/net10.0/vaecf.dll "$@"; }
out=runs/recommend-bench; mkdir -p "$out"
model=${1:-}; histories=${2:-ml-1m}
if [ -z "$model" ]; then
  model=$out/ml-1m-dae/model.vaecf
  [ -f "$model" ] || vaecf train --data ml-1m --heldout-users 600 --model dae --weight-decay 1e-4 --epochs 20 \
    --single-process --out "$out/ml-1m-dae" >/dev/null
fi
for threads in 1 2; do
  echo "== $threads thread(s): vaecf recommend --model $model --histories $histories --top 100"
  /usr/bin/time -f "%e s wall, peak RSS %M KiB" \
    dotnet src/Client/bin/Release/net10.0/vaecf.dll recommend --model "$model" --histories "$histories" \
      --out "$out/recommendations.csv" --top 100 --threads "$threads" 2>&1 | grep -E "^(histories|wrote|[0-9.]+ s wall)"
done
