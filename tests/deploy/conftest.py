"""What the deployment tests read: the service list, docker-compose.yml as the Compose loader
sees it, and the rendered kustomize overlays. The validators come from
scripts/local/deploy-tools.sh (`make test` runs it); everything here works offline."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import servicelist  # noqa: E402

TOOLS = ROOT / ".local" / "tools"
OVERLAYS = ("dev", "prod")
K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSION = "1.32.0"  # the oldest Kubernetes the manifests are meant for

Manifest = dict[str, Any]


def tool(name: str) -> Path:
    """A validator installed by scripts/local/deploy-tools.sh; fails (never skips) without it."""
    for path in (TOOLS / "bin" / name, TOOLS / "venv" / "bin" / name):
        if path.exists():
            return path
    pytest.fail(f"{name} ontbreekt: draai scripts/local/deploy-tools.sh (make test doet dat)")


def run(cmd: list[str | Path], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False, **kwargs)


def kustomize(folder: Path) -> list[Manifest]:
    own = TOOLS / "bin" / "kustomize"
    if own.exists():
        cmd: list[str | Path] = [own, "build", folder]
    elif shutil.which("kubectl"):
        cmd = ["kubectl", "kustomize", folder]
    else:
        pytest.fail("geen kustomize: draai scripts/local/deploy-tools.sh")
    result = run(cmd)
    assert result.returncode == 0, f"kustomize {folder} faalt:\n{result.stderr}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="session")
def services() -> tuple[servicelist.Service, ...]:
    return servicelist.SERVICES


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    """docker-compose.yml after interpolation, anchors and merges, like `docker compose config`
    (compose-go, the loader docker compose is built on, with the Compose Specification schema)."""
    result = run([tool("compose-spec"), "--format", "json", "docker-compose.yml"])
    assert result.returncode == 0, f"docker-compose.yml is ongeldig:\n{result.stderr}"
    model: dict[str, Any] = json.loads(result.stdout)
    return model


@pytest.fixture(scope="session")
def rendered() -> dict[str, list[Manifest]]:
    """Every overlay, rendered."""
    return {overlay: kustomize(K8S / "overlays" / overlay) for overlay in OVERLAYS}


def of_kind(manifests: list[Manifest], kind: str) -> dict[str, Manifest]:
    return {m["metadata"]["name"]: m for m in manifests if m["kind"] == kind}


def pod_spec(manifest: Manifest) -> dict[str, Any]:
    spec: dict[str, Any] = manifest["spec"]["template"]["spec"]
    return spec
