#!/usr/bin/env bash
# Trains Mult-VAE^PR and Mult-DAE and fits the baselines on one data set and split, then prints a markdown
# table of test Recall@20, Recall@50 and NDCG@100 (mean ± standard error) from each run's metrics.json.
#   bench/compare-models.sh DATASET HELDOUT_USERS [MODELS...]
#   e.g. bench/compare-models.sh ml-1m 600 popularity ease wmf slim cdae dae vae vae-auto
# Runs go to runs/compare-DATASET/<model>/; re-running skips models whose metrics.json exists.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?data set}; heldout=${2:?held-out users}; shift 2
models=("$@"); [ ${#models[@]} -gt 0 ] || models=(popularity ease wmf slim cdae dae vae vae-auto)
out=runs/compare-$data
dotnet build -c Release src/Client -v q -nologo >/dev/null
vaecf() { dotnet src/Client/bin/Release/net10.0/vaecf.dll "$@"; }
common=(--data "$data" --heldout-users "$heldout")
for m in "${models[@]}"; do
  dir=$out/$m
  [ -f "$dir/metrics.json" ] && { echo "== $m: done already"; continue; }
  echo "== $m"; start=$(date +%s)
  case $m in
    vae) vaecf train "${common[@]}" --model vae --out "$dir" ;;
    vae-auto) vaecf train "${common[@]}" --model vae --beta-mode auto --out "$dir" ;;
    dae) vaecf train "${common[@]}" --model dae --out "$dir" ;;
    wmf) vaecf baseline "${common[@]}" --name wmf --wmf-c1 2,10,50 --wmf-factors 100,200 --out "$dir" ;;
    slim) vaecf baseline "${common[@]}" --name slim --threads 1 --slim-l1 0.5,5 --slim-l2 0.5,5 --out "$dir" ;;
    cdae) vaecf baseline "${common[@]}" --name cdae --cdae-weight-decay 0.01,1,100 --out "$dir" ;;
    *) vaecf baseline "${common[@]}" --name "$m" --tune --out "$dir" ;;
  esac
  echo "$m took $(( $(date +%s) - start )) s" | tee "$dir/wall-seconds.txt"
done
echo
echo "| model | Recall@20 | Recall@50 | NDCG@100 | notes |"
echo "|---|---|---|---|---|"
for m in "${models[@]}"; do
  f=$out/$m/metrics.json; [ -f "$f" ] || continue
  python3 - "$f" "$m" "$(cat "$out/$m/wall-seconds.txt" 2>/dev/null)" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); t = m["test"]
cell = lambda k: f'{t[k]["mean"]:.4f} ± {t[k]["standardError"]:.4f}'
notes = []
if "chosenBeta" in m: notes.append(f'beta {m["chosenBeta"]:.3f}, best epoch {m["bestEpoch"]}, {m["secondsPerEpoch"]:.1f} s/epoch')
if "chosen" in m: notes.append(m["chosen"])
notes.append(sys.argv[3])
print(f'| {sys.argv[2]} | {cell("Recall@20")} | {cell("Recall@50")} | {cell("NDCG@100")} | {"; ".join(notes)} |')
PY
done
