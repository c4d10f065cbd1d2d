#!/usr/bin/env bash
# RecVAE in one process against RecVAE as a job on two silo processes (Redis membership on loopback), back to back
# with the same data, settings and one LibTorch thread per process: seconds per epoch, bytes between the silos per
# epoch, and test NDCG@100 as a markdown table.
#   bench/recvae-cluster.sh [DATA] [EPOCHS]
#   DATA: a data set name or --data argument (default ml-1m, found through VAECF_DATA_DIR)
# BENCH_ARGS adds options to both train commands (e.g. "--encoder-layers 3"). Runs go to runs/recvae-cluster-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-ml-1m}; epochs=${2:-2}
out=runs/recvae-cluster-bench; rm -rf "$out"; mkdir -p "$out"
dotnet build -c Release src/Client -v q -nologo >/dev/null
dotnet build -c Release src/Silo -v q -nologo >/dev/null
vaecf() { dotnet src/Client/bin/Release/net10.0/vaecf.dll "$@"; }
common=(--data "$data" --model recvae --epochs "$epochs" --threads 1 ${BENCH_ARGS:-})
echo "== one process" >&2
vaecf train "${common[@]}" --fresh --out "$out/single" 2> >(tee "$out/single.log" >&2) >/dev/null
source bench/two-silo-processes.sh
trap stop_two_silos EXIT
start_two_silos "$out"
echo "== two silo processes" >&2
vaecf train "${common[@]}" --fresh --cluster "redis://127.0.0.1:$silo_port" --job bench --out "$out/cluster" 2> >(tee "$out/cluster.log" >&2) >/dev/null
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
print("| where | workers | parameter shards | s per epoch | MiB between silos per epoch | best epoch | test NDCG@100 |")
print("|---|---|---|---|---|---|---|")
for name in ("single", "cluster"):
    m = json.load(open(os.path.join(out, name, "metrics.json")))
    c = m.get("cluster")
    t = m["test"]["NDCG@100"]
    mib = f"{m['bytesPerEpoch'] / 1048576:.1f}" if c else "-"
    print(f"| {'one process' if c is None else str(c['Silos']) + ' silo processes'} | {c['Workers'] if c else '-'} | "
          f"{c['ParameterShards'] if c else '-'} | {m['secondsPerEpoch']:.1f} | {mib} | {m['bestEpoch']} | {t['mean']:.4f} ± {t['standardError']:.4f} |")
PY
