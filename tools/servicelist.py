"""The service list (`services.toml` at the repository root), read once for every tool."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES_FILE = ROOT / "services.toml"


@dataclass(frozen=True)
class Service:
    name: str
    api_port: int
    metrics_port: int
    produces: str | None = None
    consumes: tuple[str, ...] = ()
    loader: bool = False
    dead_letter: str | None = None  # the topic a consumer sends events it cannot apply to

    @property
    def topics(self) -> tuple[str, ...]:
        """Every topic this service writes to: its events and its dead letters."""
        return tuple(t for t in (self.produces, self.dead_letter) if t)

    @property
    def prefix(self) -> str:
        """Environment prefix of its settings, e.g. `GEBIEDEN_`."""
        return self.name.upper() + "_"

    @property
    def folder(self) -> Path:
        return ROOT / "services" / self.name

    @property
    def consumer_group(self) -> str:
        return f"nplv-{self.name}"


def load(path: Path = SERVICES_FILE) -> tuple[Service, ...]:
    with path.open("rb") as f:
        entries = tomllib.load(f).get("service", [])
    return tuple(Service(name=e["name"], api_port=e["api_port"], metrics_port=e["metrics_port"],
                         produces=e.get("produces"), consumes=tuple(e.get("consumes", ())),
                         loader=bool(e.get("loader", False)), dead_letter=e.get("dead_letter"))
                 for e in entries)


SERVICES = load()


def by_name(name: str) -> Service:
    for service in SERVICES:
        if service.name == name:
            return service
    raise KeyError(f"dienst {name} staat niet in services.toml")


def main() -> None:
    """`python tools/servicelist.py [names|packages|src-dirs]`: for shell scripts and make."""
    import sys

    what = sys.argv[1] if len(sys.argv) > 1 else "names"
    if what == "names":
        print(" ".join(s.name for s in SERVICES))
    elif what == "src-dirs":
        print(" ".join(f"services/{s.name}/src" for s in SERVICES))
    else:
        raise SystemExit(f"onbekend: {what}")


if __name__ == "__main__":
    main()
