#!/usr/bin/env bash
# Writes OUT/ and OUT.tar.xz: the `vaecf` and `vaecf-silo` programs (Release builds) with a .NET runtime and without
# LibTorch, for a Linux x64 machine that has PyTorch (or any LibTorch) but no .NET. There:
#   tar -xJf vaecf-bundle.tar.xz
#   vaecf-bundle/vaecf train --device cuda          # or: vaecf-bundle/vaecf-silo (settings as in README)
# The launchers use the installed PyTorch's torch/lib when VAECF_LIBTORCH is unset and python3 imports torch.
#   scripts/portable-bundle.sh OUT    (default OUT: artifacts/vaecf-bundle)
# VAECF_BUNDLE_XZ sets xz's options for OUT.tar.xz (default -9e: the smallest archive, minutes of one core); e.g.
# VAECF_BUNDLE_XZ="-6 -T0" packs faster on several cores into a larger archive.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$repo/artifacts/vaecf-bundle}")
[ -n "$out" ] && [ "$out" != / ] || { echo "error: bad output folder '$out'" >&2; exit 2; }
dotnet_bin=$(command -v dotnet) || { echo "error: the .NET SDK (dotnet) is needed to build the bundle" >&2; exit 2; }
root=$(dirname "$(readlink -f "$dotnet_bin")")
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d "${out}.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

build() {  # project, app folder
  dotnet build "$repo/$1" -c Release -v q -nologo >/dev/null
  local from="$repo/$1/bin/Release/net10.0" to="$tmp/$2"
  mkdir -p "$to"
  cp -a "$from/." "$to/"
  # LibTorch comes from the machine (VAECF_LIBTORCH); drop it, other platforms' natives, satellite folders,
  # publish leftovers, symbols and docs.
  rm -f "$to"/*.pdb "$to"/*.xml
  find "$to" -mindepth 1 -maxdepth 1 -type d ! -name runtimes -exec rm -rf {} +
  find "$to/runtimes" -mindepth 1 -maxdepth 1 -type d ! -name linux-x64 -exec rm -rf {} +
  find "$to/runtimes/linux-x64/native" \( -name 'libtorch*' -o -name 'libc10*' -o -name 'libgomp*' -o -name 'libshm*' \
    -o -name 'libbackend_with_compiler*' -o -name 'libjitbackend_test*' -o -name 'libnnapi_backend*' -o -name 'libaoti_custom_ops*' \) -delete
}
build src/Client app/vaecf
build src/Silo app/vaecf-silo

mkdir -p "$tmp/dotnet/shared"
cp -a "$root/dotnet" "$root/host" "$tmp/dotnet/"
for fx in Microsoft.NETCore.App Microsoft.AspNetCore.App; do cp -a "$root/shared/$fx" "$tmp/dotnet/shared/"; done
for app in vaecf vaecf-silo; do
  cat > "$tmp/$app" <<SH
#!/bin/sh
# $app from this bundle, on the .NET runtime beside it. LibTorch: VAECF_LIBTORCH names its lib folder; when it is
# unset and python3 imports torch, the installed PyTorch's torch/lib is used.
here=\$(dirname "\$(readlink -f "\$0")")
if [ -z "\${VAECF_LIBTORCH:-}" ] && command -v python3 >/dev/null 2>&1; then
  lib=\$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null) && [ -n "\$lib" ] && export VAECF_LIBTORCH="\$lib"
fi
export DOTNET_ROOT="\$here/dotnet"
exec "\$here/dotnet/dotnet" "\$here/app/$app/$app.dll" "\$@"
SH
  chmod +x "$tmp/$app"
done

# Replace OUT and OUT.tar.xz only once both are complete.
name=$(basename "$out")
rm -rf "$tmp/$name" && mkdir "$tmp/$name" && mv "$tmp/app" "$tmp/dotnet" "$tmp/vaecf" "$tmp/vaecf-silo" "$tmp/$name/"
XZ_OPT=${VAECF_BUNDLE_XZ:--9e} tar -C "$tmp" -cJf "$tmp/$name.tar.xz" "$name"
rm -rf "$out" && mv "$tmp/$name" "$out"
mv -f "$tmp/$name.tar.xz" "$out.tar.xz"
echo "bundle: $out ($(du -sh "$out" | cut -f1)), $out.tar.xz ($(du -h "$out.tar.xz" | cut -f1))"
