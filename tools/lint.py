"""Architecture lint (`make lint`): import-linter contracts generated from services.toml.

    .venv/bin/python tools/lint.py            # run lint-imports with the generated contracts
    .venv/bin/python tools/lint.py --print    # show the generated configuration

For every service in the list, and so for every service added later without editing this file:
- services are independent of each other, and `nplv_shared` imports no service;
- inside a service, each aggregate package (a folder with a `repository.py`) is layered
  router → service → repository → models (a lower layer never imports a higher one);
- routers import neither repositories nor models (they call services);
- an aggregate never imports another aggregate's repository or models (it calls that
  aggregate's service).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from servicelist import ROOT, SERVICES

# Parenthesised: optional (a read-side aggregate keeps its tables in the service's db.py).
LAYERS = ["router", "service", "repository", "(models)"]


def aggregates(service: str) -> list[str]:
    package = ROOT / "services" / service / "src" / service
    return sorted(p.parent.name for p in package.glob("*/repository.py"))


def _existing(modules: list[str]) -> list[str]:
    """Only modules that exist (import-linter refuses a forbidden module it cannot find)."""
    def exists(module: str) -> bool:
        service, *rest = module.split(".")
        return (ROOT / "services" / service / "src" / service / "/".join(rest)).with_suffix(
            ".py").exists()
    return [m for m in modules if exists(m)]


def _list(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def contracts() -> str:
    names = [s.name for s in SERVICES]
    lines = [
        "[tool.importlinter]",
        f"root_packages = {_list(['nplv_shared', *names])}",
        "",
        "[[tool.importlinter.contracts]]",
        'name = "Services zijn onafhankelijk van elkaar"',
        'type = "independence"',
        f"modules = {_list(names)}",
        "",
        "[[tool.importlinter.contracts]]",
        'name = "shared kent geen services"',
        'type = "forbidden"',
        'source_modules = ["nplv_shared"]',
        f"forbidden_modules = {_list(names)}",
    ]
    for name in names:
        found = aggregates(name)
        if not found:
            continue
        lines += [
            "",
            "[[tool.importlinter.contracts]]",
            f'name = "{name}: router → service → repository → models"',
            'type = "layers"',
            f"layers = {_list(LAYERS)}",
            f"containers = {_list([f'{name}.{a}' for a in found])}",
            "",
            "[[tool.importlinter.contracts]]",
            f'name = "{name}: routers roepen services aan, geen repositories of modellen"',
            'type = "forbidden"',
            f"source_modules = {_list([f'{name}.{a}.router' for a in found])}",
            "forbidden_modules = " + _list(_existing(
                [f"{name}.{a}.{m}" for a in found for m in ("repository", "models")])),
            "allow_indirect_imports = true",
        ]
        for aggregate in found:
            others = [a for a in found if a != aggregate]
            if not others:
                continue
            lines += [
                "",
                "[[tool.importlinter.contracts]]",
                f'name = "{name}.{aggregate} gebruikt van andere aggregaten alleen hun service"',
                'type = "forbidden"',
                f'source_modules = ["{name}.{aggregate}"]',
                "forbidden_modules = " + _list(_existing(
                    [f"{name}.{o}.{m}" for o in others for m in ("repository", "models")])),
                "allow_indirect_imports = true",
            ]
    return "\n".join(lines) + "\n"


def main() -> int:
    config = contracts()
    if "--print" in sys.argv:
        print(config)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "importlinter.toml"
        path.write_text(config, encoding="utf-8")
        lint_imports = Path(sys.executable).with_name("lint-imports")
        return subprocess.run([str(lint_imports), "--config", str(path)], cwd=ROOT,
                              check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
