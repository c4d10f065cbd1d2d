#!/usr/bin/env bash
# Hunts the "Only float32 tensors are stored." crash once seen during an experiment's checkpoint write: runs
# `vaecf experiment` (many trainings in one process, each writing a checkpoint after every epoch) over and over with
# VAECF_DEBUG=1 (full traces), alternating the in-process cluster and --single-process, until MINUTES have passed.
# Prints one line per round and a summary: rounds, trainings, checkpoint writes, failures.
#   bench/checkpoint-soak.sh [MINUTES] [OUT]
set -uo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-20}; out=${2:-runs/checkpoint-soak}
rm -rf "$out"; mkdir -p "$out"
dotnet build -c Release src/Client -v q -nologo >/dev/null
end=$(( $(date +%s) + minutes * 60 )); round=0; failed=0; trainings=0; writes=0
while [ "$(date +%s)" -lt "$end" ]; do
  round=$((round + 1)); mode=(); [ $((round % 2)) -eq 0 ] && mode=(--single-process)
  log=$out/round-$round.log
  VAECF_DEBUG=1 dotnet src/Client/bin/Release/net10.0/vaecf.dll experiment --data synthetic --studies figure1,table4 --epochs 4 \
    --baselines popularity --dae-weight-decay 0.01 --fresh --out "$out/report" "${mode[@]}" >"$log" 2>&1
  rc=$?
  runs=$(find "$out/report/runs" -maxdepth 1 -name '*.json' ! -name 'experiment-identity.json' 2>/dev/null | wc -l)
  trainings=$((trainings + runs)); writes=$((writes + runs * 4))
  if [ $rc -ne 0 ] || grep -q "Only float32" "$log"; then
    failed=$((failed + 1)); cp "$log" "$out/failure-$round.log"
    echo "round $round (${mode[*]:-cluster}): FAILED rc=$rc: $(grep -m1 -E 'error|Exception' "$log")"
  else
    echo "round $round (${mode[*]:-cluster}): ok, $runs trainings"
  fi
done
echo "$round rounds, $trainings trainings, about $writes checkpoint writes, $failed failed"
