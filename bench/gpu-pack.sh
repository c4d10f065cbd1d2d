#!/usr/bin/env bash
# Packs what bench/gpu-check.sh needs on a GPU machine that has PyTorch but no .NET, into artifacts/gpu-check/
# (about 55 MB, under the 64 MiB a lent machine's copy of the working tree may carry):
#   vaecf-bundle.tar.xz   scripts/portable-bundle.sh's vaecf and vaecf-silo with a .NET runtime, without LibTorch
#   vaecf-bench.tar.xz    the Release StepBenchmark without LibTorch (run on the bundle's .NET)
#   ml-1m.tar.xz          MovieLens 1M from VAECF_DATA_DIR, for the quality check (not redistributable: never commit)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/artifacts/gpu-check
data=${VAECF_DATA_DIR:-$repo/../shared/data}
[ -f "$data/ml-1m/ratings_without_timestamps.dat" ] || { echo "error: ml-1m not found under $data" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
"$repo/scripts/portable-bundle.sh" "$tmp/vaecf-bundle" >/dev/null
dotnet build "$repo/bench/StepBenchmark" -c Release -v q -nologo >/dev/null
mkdir -p "$tmp/vaecf-bench"
cp -a "$repo/bench/StepBenchmark/bin/Release/net10.0/." "$tmp/vaecf-bench/"
rm -f "$tmp/vaecf-bench"/*.pdb "$tmp/vaecf-bench"/*.xml
find "$tmp/vaecf-bench" -mindepth 1 -maxdepth 1 -type d ! -name runtimes -exec rm -rf {} +
find "$tmp/vaecf-bench/runtimes" -mindepth 1 -maxdepth 1 -type d ! -name linux-x64 -exec rm -rf {} +
find "$tmp/vaecf-bench/runtimes/linux-x64/native" \( -name 'libtorch*' -o -name 'libc10*' -o -name 'libgomp*' -o -name 'libshm*' \
  -o -name 'libbackend_with_compiler*' -o -name 'libjitbackend_test*' -o -name 'libnnapi_backend*' -o -name 'libaoti_custom_ops*' \) -delete
mkdir -p "$tmp/ml-1m" && cp "$data/ml-1m/ratings_without_timestamps.dat" "$data/ml-1m/movies.dat" "$tmp/ml-1m/"
mv "$tmp/vaecf-bundle.tar.xz" "$out/"
XZ_OPT=-9 tar -C "$tmp" -cJf "$out/vaecf-bench.tar.xz" vaecf-bench
XZ_OPT=-9 tar -C "$tmp" -cJf "$out/ml-1m.tar.xz" ml-1m
du -ch "$out"/*.tar.xz
