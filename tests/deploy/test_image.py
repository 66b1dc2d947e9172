"""The Dockerfile: lints clean with hadolint, builds from uv.lock with the Makefile's uv, runs as a
numeric non-root user, and every command that compose and the manifests give its image exists."""

from __future__ import annotations

import ast
import importlib.util
import re
import shlex
from pathlib import Path
from typing import Any

from tests.deploy.conftest import ROOT, Manifest, of_kind, pod_spec, run, tool

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_hadolint_has_nothing_to_say() -> None:
    result = run([tool("hadolint"), "--no-color", "Dockerfile"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert not result.stdout.strip(), result.stdout


def test_builds_from_the_lock_with_the_makefiles_uv() -> None:
    makefile_uv = re.search(r"^UV_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M)
    image_uv = re.search(r"^ARG UV_VERSION=(\S+)$", DOCKERFILE, re.M)
    assert makefile_uv
    assert image_uv
    assert image_uv.group(1) == makefile_uv.group(1)
    assert re.search(r"uv sync --frozen --no-dev --no-editable --package \"\$\{SERVICE\}\"",
                     DOCKERFILE)


def test_runtime_stage_is_slim_non_root_and_writes_no_bytecode() -> None:
    stages = re.findall(r"^FROM (\S+) AS (\w+)$", DOCKERFILE, re.M)
    assert [name for _, name in stages] == ["builder", "runtime"]
    runtime = DOCKERFILE.split("AS runtime", 1)[1]
    assert "pip install" not in runtime
    assert "apt-get" not in runtime
    assert re.search(r"^USER \d+:\d+$", runtime, re.M), "USER moet numeriek zijn (runAsNonRoot)"
    assert "PYTHONDONTWRITEBYTECODE=1" in runtime
    assert "HOME=/tmp" in runtime


def test_dockerignore_keeps_local_state_out() -> None:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    for kept_out in (".local/", ".venv/", "node_modules/"):
        assert kept_out in lines
    assert lines[lines.index("*") + 1:].count("!services/") == 1  # only sources come in


def commands(compose: dict[str, Any], rendered: dict[str, list[Manifest]]) -> list[list[str]]:
    found = [s["command"] for name, s in compose["services"].items()
             if str(s.get("image", "")).startswith("nplv-")]
    for manifests in rendered.values():
        for kind in ("Deployment", "Job"):
            for manifest in of_kind(manifests, kind).values():
                found += [c["command"] for c in pod_spec(manifest)["containers"]]
    default = re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M)
    assert default
    found.append(ast.literal_eval(default.group(1)))
    return found


def split(command: list[str]) -> list[list[str]]:
    """`sh -c "a && b"` → [[a...], [b...]]; anything else is one command."""
    if command[:2] == ["sh", "-c"]:
        script = command[2].replace('"${SERVICE}', '"gebieden').replace("exec ", "")
        return [shlex.split(part) for part in script.split("&&")]
    return [command]


def assert_module(name: str, attribute: str | None = None) -> None:
    spec = importlib.util.find_spec(name)
    assert spec, f"module {name} bestaat niet"
    assert spec.origin
    tree = ast.parse(Path(spec.origin).read_text())
    if attribute:
        assigned = {t.id for node in tree.body if isinstance(node, ast.Assign)
                    for t in node.targets if isinstance(t, ast.Name)}
        assert attribute in assigned, f"{name} heeft geen {attribute}"
    else:
        assert "__main__" in ast.unparse(tree), f"{name} is niet uitvoerbaar met python -m"


def test_every_entrypoint_exists(compose: dict[str, Any],
                                 rendered: dict[str, list[Manifest]]) -> None:
    seen = set()
    for command in commands(compose, rendered):
        for argv in split(command):
            if argv[0] == "uvicorn":
                module, attribute = argv[1].split(":")
                assert_module(module, attribute)
            elif argv[:2] == ["python", "-m"]:
                assert_module(argv[2])
            elif argv[0] == "alembic":
                ini = argv[argv.index("-c") + 1]
                assert (ROOT / ini).is_file()
                assert "upgrade head" in " ".join(argv)
                assert "COPY services/${SERVICE}/alembic.ini" in DOCKERFILE
            else:
                raise AssertionError(f"onbekend commando {argv}")
            seen.add(argv[0] if argv[0] != "python" else argv[2])
    assert {"uvicorn", "alembic", "nplv_shared.topics"} <= seen
