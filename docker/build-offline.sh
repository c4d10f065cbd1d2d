#!/usr/bin/env bash
# Builds the vaecf image with podman and no container registry, from Debian packages and this machine's .NET SDK:
#
#   1. base image  localhost/vaecf-base:KEY   Debian 12 (mmdebstrap, minbase) + ca-certificates, tzdata, libssl3,
#                                             zlib1g, fonts-dejavu-core + the .NET and ASP.NET Core runtimes copied
#                                             from the SDK install + the user "app" (UID 1654) of the .NET images
#   2. redis image localhost/vaecf-redis:KEY  Debian 12 + redis-server (for the container tests and local runs)
#   3. vaecf image $VAECF_IMAGE (localhost/vaecf:local): docker/Dockerfile with APP_SOURCE=context, the base image
#                                             above as ASPNET_IMAGE, and /app published here (Release, linux-x64)
#
# Both Debian images are cached: KEY is a hash of their recipe (the functions below, the package lists, the suite
# and the .NET runtime versions). An image is rebuilt only when its key changes; its root file system tarball is
# kept in $VAECF_CACHE (~/.cache/vaecf) so that an emptied podman store is refilled with `podman import` alone.
# The key does not follow Debian's archive: to take in package updates, delete $VAECF_CACHE/images and the
# localhost/vaecf-base and localhost/vaecf-redis images. The vaecf image is rebuilt on every run from a fresh publish.
#
# TorchSharp 0.107's libLibTorchSharp.so asks for GLIBCXX_3.4.32, which Debian 12's libstdc++ lacks: the publish
# runs with VaeCfPatchLibTorchSharpAlways=true (build/LibTorchSharpPatch.targets), which marks that version weak in
# the published copy whatever the build machine's own libstdc++, so the library loads in the image.
#
# Needs: podman (with runc), mmdebstrap, the .NET SDK of global.json; root (podman's rootful store and networks).
# Settings (environment): VAECF_IMAGE, VAECF_CACHE, VAECF_DEBIAN_MIRROR (default: apt's own sources),
# CONTAINERS_CONF (default docker/podman/containers.conf). Prints each step's time; the last line names the image.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/docker/podman/containers.conf}
cache=${VAECF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vaecf}
image=${VAECF_IMAGE:-localhost/vaecf:local}
suite=bookworm
base_packages=ca-certificates,tzdata,libssl3,zlib1g,fonts-dejavu-core
redis_packages=redis-server
mirror=${VAECF_DEBIAN_MIRROR:-}

for tool in podman mmdebstrap dotnet; do
  command -v "$tool" >/dev/null || { echo "build-offline.sh: $tool is not installed (apt-get install podman runc mmdebstrap)" >&2; exit 2; }
done
mkdir -p "$cache/images"

step() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

# The .NET runtimes to copy: the newest installed Microsoft.NETCore.App and Microsoft.AspNetCore.App of the SDK's
# major version, from the SDK's own install folder.
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
major=$(dotnet --version | cut -d. -f1)
newest() { find "$dotnet_root/$1" -mindepth 1 -maxdepth 1 -name "$major.*" -printf '%f\n' | sort -V | tail -n 1; }
netcore=$(newest shared/Microsoft.NETCore.App)
aspnet=$(newest shared/Microsoft.AspNetCore.App)
fxr=$(newest host/fxr)
[ -n "$netcore" ] && [ -n "$aspnet" ] && [ -n "$fxr" ] ||
  { echo "build-offline.sh: no .NET $major runtime (Microsoft.NETCore.App and Microsoft.AspNetCore.App) in $dotnet_root" >&2; exit 2; }

# $1 = output tarball. Debian minbase + runtime packages + the .NET runtimes + user app (1654:1654, as in the
# official .NET images, which the Dockerfile's USER $APP_UID expects).
build_base_rootfs() {
  mmdebstrap --variant=minbase --include="$base_packages" \
    --customize-hook="mkdir -p \"\$1/usr/share/dotnet/shared\" \"\$1/usr/share/dotnet/host/fxr\"" \
    --customize-hook="cp -a '$dotnet_root/dotnet' '$dotnet_root/LICENSE.txt' '$dotnet_root/ThirdPartyNotices.txt' \"\$1/usr/share/dotnet/\"" \
    --customize-hook="cp -a '$dotnet_root/host/fxr/$fxr' \"\$1/usr/share/dotnet/host/fxr/\"" \
    --customize-hook="mkdir -p \"\$1/usr/share/dotnet/shared/Microsoft.NETCore.App\" \"\$1/usr/share/dotnet/shared/Microsoft.AspNetCore.App\"" \
    --customize-hook="cp -a '$dotnet_root/shared/Microsoft.NETCore.App/$netcore' \"\$1/usr/share/dotnet/shared/Microsoft.NETCore.App/\"" \
    --customize-hook="cp -a '$dotnet_root/shared/Microsoft.AspNetCore.App/$aspnet' \"\$1/usr/share/dotnet/shared/Microsoft.AspNetCore.App/\"" \
    --customize-hook='ln -sf /usr/share/dotnet/dotnet "$1/usr/bin/dotnet"' \
    --customize-hook='echo "app:x:1654:" >> "$1/etc/group"; echo "app:x:1654:1654::/home/app:/usr/sbin/nologin" >> "$1/etc/passwd"; echo "app:!:1::::::" >> "$1/etc/shadow"; mkdir -p "$1/home/app"; chown 1654:1654 "$1/home/app"' \
    "$suite" "$1" ${mirror:+"$mirror"}
}
base_changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
              --change 'ENV APP_UID=1654' --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true'
              --change 'ENV DOTNET_ROOT=/usr/share/dotnet')

build_redis_rootfs() {
  mmdebstrap --variant=minbase --include="$redis_packages" "$suite" "$1" ${mirror:+"$mirror"}
}
redis_changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
               --change 'EXPOSE 6379'
               --change 'CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--save", "", "--appendonly", "no"]')

# ensure_image NAME BUILD_FUNCTION CHANGES_ARRAY KEY_INPUT...: prints localhost/NAME:KEY after making sure it exists.
ensure_image() {
  local name=$1 build=$2 changes_var=$3; shift 3
  local -n changes=$changes_var
  local key
  key=$(printf '%s\n' "$(declare -f "$build")" "${changes[@]}" "$@" | sha256sum | cut -c1-16)
  local ref=localhost/$name:$key tar=$cache/images/$name-$key.tar
  if podman image exists "$ref"; then
    step "$ref: cached"
  else
    if [ ! -s "$tar" ]; then
      step "$ref: building the root file system with mmdebstrap"
      rm -rf "$cache/images/$name-"*.tar
      # mmdebstrap picks the output format from the name: keep the .tar ending on the partial file.
      "$build" "${tar%.tar}.partial.tar" >&2
      mv "${tar%.tar}.partial.tar" "$tar"
    fi
    step "$ref: importing $tar"
    podman import "${changes[@]}" "$tar" "$ref" >/dev/null
  fi
  echo "$key" > "$cache/images/$name.key"
  echo "$ref"
}

start=$SECONDS
# The two Debian images are independent: build them side by side (mostly download and dpkg time).
redis_ref_file=$(mktemp)
trap 'rm -f "$redis_ref_file"' EXIT
ensure_image vaecf-redis build_redis_rootfs redis_changes "$suite" "$redis_packages" "$mirror" > "$redis_ref_file" &
redis_job=$!
base_ref=$(ensure_image vaecf-base build_base_rootfs base_changes "$suite" "$base_packages" "$mirror" "$netcore" "$aspnet" "$fxr")
wait "$redis_job"
redis_ref=$(cat "$redis_ref_file")
podman tag "$redis_ref" localhost/vaecf-redis:local
step "base images ready in $((SECONDS - start)) s: $base_ref, $redis_ref (also localhost/vaecf-redis:local)"

# /app: both programs published for linux-x64, framework-dependent, without symbols (as the Dockerfile's build stage).
app=$cache/app
publish_start=$SECONDS
rm -rf "$app" && mkdir -p "$app"
for project in src/Silo src/Client; do
  step "dotnet publish $project"
  dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:VaeCfPatchLibTorchSharpAlways=true \
    -o "$app" -nologo -v:q -clp:ErrorsOnly >&2
done
rm -f "$app"/*.pdb
step "published in $((SECONDS - publish_start)) s ($(du -sh "$app" | cut -f1))"

build_start=$SECONDS
previous=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
# TORCH_BACKEND is passed although it is the default: podman 4.3 (buildah) expands only --build-arg values when it
# decides which stages the target needs, and would otherwise skip runtime-cpu.
# With --layers (not --layers=false: podman 4.3 then deletes the base image, taken as the intermediate image of the
# empty runtime-cpu stage); the untagged images it leaves (the app-context stage holds a copy of /app, 0.5 GB) are
# removed below.
build_log=$(mktemp)
podman build --format docker --layers -f "$root/docker/Dockerfile" \
  --build-arg TORCH_BACKEND=cpu --build-arg APP_SOURCE=context --build-arg ASPNET_IMAGE="$base_ref" \
  -t "$image" "$app" 2>&1 | tee "$build_log" >&2
[ "${PIPESTATUS[0]}" -eq 0 ] || { rm -f "$build_log"; exit 1; }
step "image built in $((SECONDS - build_start)) s"
# This build's untagged intermediate images, and the image the tag named before, unless tagged or used elsewhere
# (podman refuses those).
current=$(podman image inspect --format '{{.Id}}' "$image")
for id in $(sed -n 's/^--> \([0-9a-f]\{11,\}\)$/\1/p' "$build_log" | sort -u); do
  [ "$(podman image inspect --format '{{len .RepoTags}}' "$id" 2>/dev/null)" = 0 ] && podman rmi "$id" >/dev/null 2>&1 || true
done
rm -f "$build_log"
if [ -n "$previous" ] && [ "$previous" != "$current" ]; then podman rmi "$previous" >/dev/null 2>&1 || true; fi

# LibTorch loads and trains in the image (TorchSharp's native library against Debian 12's libstdc++): one small
# epoch on the built-in synthetic data.
smoke_start=$SECONDS
podman run --rm --health-cmd none --workdir /tmp --entrypoint dotnet "$image" \
    /app/vaecf.dll train --epochs 1 --hidden 16 --latent 8 --threads 1 --out /tmp/smoke >/dev/null ||
  { echo "build-offline.sh: vaecf train failed in $image" >&2; exit 1; }
step "smoke test (vaecf train, 1 epoch) passed in $((SECONDS - smoke_start)) s"
step "done in $((SECONDS - start)) s"
echo "$image"
