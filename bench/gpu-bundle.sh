#!/usr/bin/env bash
# Packs the Release build of the `vaecf` client with this machine's .NET runtime, without LibTorch, into
# artifacts/gpu-bundle.tar.xz for a GPU machine that has PyTorch but no .NET (see bench/gpu-cluster-epochs.sh,
# which unpacks it there and links LibTorch from the installed PyTorch, as ../shared/PLATFORM.md describes).
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/gpu-bundle; rm -rf "$out"; mkdir -p "$out/app" "$out/dotnet"
dotnet build src/Client -c Release -v q -nologo >/dev/null
cp -a src/Client/bin/Release/net10.0/. "$out/app/"
# LibTorch comes from PyTorch there; drop it, other platforms' natives, satellite folders, symbols and docs.
rm -f "$out/app"/*.pdb "$out/app"/*.xml
find "$out/app" -mindepth 1 -maxdepth 1 -type d ! -name runtimes -exec rm -rf {} +
find "$out/app/runtimes" -mindepth 1 -maxdepth 1 -type d ! -name linux-x64 -exec rm -rf {} +
find "$out/app/runtimes/linux-x64/native" -name 'libtorch*' -o -name 'libc10*' -o -name 'libgomp*' -o -name 'libshm*' \
  -o -name 'libbackend_with_compiler*' -o -name 'libjitbackend_test*' -o -name 'libnnapi_backend*' -o -name 'libaoti_custom_ops*' | xargs -r rm -f
root=$(dirname "$(readlink -f "$(command -v dotnet)")")
cp -a "$root/dotnet" "$root/host" "$out/dotnet/"
mkdir -p "$out/dotnet/shared"; cp -a "$root/shared/Microsoft.NETCore.App" "$out/dotnet/shared/"
tar -C artifacts -cJf artifacts/gpu-bundle.tar.xz gpu-bundle
du -sh "$out" artifacts/gpu-bundle.tar.xz
