#!/usr/bin/env bash
# The runs behind docs/results/quality.md: RecVAE tuned and the paper's models against tuned EASE and WMF on ml-1m and
# citeulike-a, 600 validation and 600 test users, three split seeds; then RecVAE's component ablation on ml-1m.
# Resumable: run it again after an interruption and finished runs are kept. Usage: bench/quality.sh [OUT] (default runs/quality)
set -euo pipefail
out="${1:-runs/quality}"
cd "$(dirname "$0")/.."
dotnet build src/Client -c Release -v q -nologo >/dev/null
vaecf() { dotnet src/Client/bin/Release/net10.0/vaecf.dll "$@"; }
seeds=98765,98766,98767
vaecf tune --data ml-1m --heldout-users 600 --split-seeds "$seeds" --model recvae --trials 4 --epochs 100 --patience 15 --out "$out/ml-1m"
vaecf tune --data citeulike-a --heldout-users 600 --split-seeds "$seeds" --model recvae --trials 1 --out "$out/citeulike-a"
common=(train --data ml-1m --heldout-users 600 --split-seed 98765 --seed 98765 --model recvae --epochs 50)
vaecf "${common[@]}" --out "$out/ablation/full"
vaecf "${common[@]}" --prior standard --out "$out/ablation/no-composite-prior"
vaecf "${common[@]}" --gamma 0 --beta 0.2 --out "$out/ablation/no-user-beta"
vaecf "${common[@]}" --no-alternation --out "$out/ablation/no-alternation"
vaecf "${common[@]}" --encoder multvae --out "$out/ablation/multvae-encoder"
