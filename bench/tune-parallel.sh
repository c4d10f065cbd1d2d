#!/usr/bin/env bash
# `vaecf tune` with its runs one after another (all cores to each run) against --parallel N (the cores shared among N
# runs at once), back to back on the same data: wall time of each, and whether every run's metrics agree.
#   bench/tune-parallel.sh [DATA] [N] [TUNE-OPTIONS...]
#   DATA: a data set name (default ml-1m); N: runs at once (default: the number of cores).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-ml-1m}; shift || true
n=${1:-$(nproc)}; shift || true
extra=("$@")
[ ${#extra[@]} -gt 0 ] || extra=(--model dae --trials 4 --compare none --baselines ease --ease-lambda 200,500 --epochs 10)
out=runs/tune-parallel-bench; rm -rf "$out"; mkdir -p "$out"
dotnet build -c Release src/Client -v q -nologo >/dev/null
cores=$(nproc)
for mode in sequential parallel; do
  if [ "$mode" = sequential ]; then args=(--parallel 1 --threads "$cores"); else args=(--parallel "$n" --threads $(( cores / n > 0 ? cores / n : 1 ))); fi
  echo "== $mode: ${args[*]}" >&2
  /usr/bin/time -f "%e" -o "$out/$mode.time" \
    dotnet src/Client/bin/Release/net10.0/vaecf.dll tune --data "$data" "${extra[@]}" "${args[@]}" --out "$out/$mode" \
    > "$out/$mode.out" 2> "$out/$mode.log"
done
python3 - "$out" "$n" "$cores" <<'PY'
import csv, os, sys
out, n, cores = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def runs(mode):
    with open(os.path.join(out, mode, "runs.csv")) as f:
        return {r["run"]: r for r in csv.DictReader(f)}
seq, par = runs("sequential"), runs("parallel")
t = {m: float(open(os.path.join(out, m + ".time")).read().split()[-1]) for m in ("sequential", "parallel")}
print("| runs | wall s | speed-up |")
print("|---|---|---|")
print(f"| one after another, {cores} thread(s) each | {t['sequential']:.0f} | 1.00x |")
print(f"| {n} at once, {max(1, cores // n)} thread(s) each | {t['parallel']:.0f} | {t['sequential'] / t['parallel']:.2f}x |")
same = seq.keys() == par.keys() and all(abs(float(seq[k]["ndcg100"]) - float(par[k]["ndcg100"])) < 5e-4 for k in seq)
print(f"\n{len(seq)} runs in the report; test NDCG@100 of every run {'agrees within 5e-4' if same else 'DIFFERS'} "
      f"(the thread count per run differs between the two, so sums may round apart)")
PY
