"""services.toml is the one service list: every service folder is in it, every entry has the
files the tooling expects, and the tooling derives from it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import servicelist

ROOT = Path(__file__).resolve().parents[2]
NAMES = [s.name for s in servicelist.SERVICES]


def test_every_service_folder_is_registered_and_every_entry_has_a_folder() -> None:
    folders = sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml"))
    assert folders == sorted(NAMES), "registreer een nieuwe dienst in services.toml"


def test_names_and_ports_are_unique() -> None:
    assert len(set(NAMES)) == len(NAMES)
    ports = [p for s in servicelist.SERVICES for p in (s.api_port, s.metrics_port)]
    assert len(set(ports)) == len(ports)


def test_the_workspace_takes_every_service_folder_without_naming_it() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "services/*" in pyproject["tool"]["uv"]["workspace"]["members"]
    assert "services/*/src" in pyproject["tool"]["mypy"]["files"]


def test_consumed_topics_are_produced_by_a_listed_service() -> None:
    produced = {s.produces for s in servicelist.SERVICES if s.produces}
    for service in servicelist.SERVICES:
        assert set(service.consumes) <= produced, service.name


@pytest.mark.parametrize("service", servicelist.SERVICES, ids=NAMES)
def test_a_service_has_the_template_files(service: servicelist.Service) -> None:
    package = service.folder / "src" / service.name
    expected = ["alembic.ini", "migrations/env.py", f"src/{service.name}/main.py",
                f"src/{service.name}/config.py", f"src/{service.name}/worker.py",
                f"src/{service.name}/db.py", f"src/{service.name}/verwerkingen.py"]
    if service.produces:
        expected.append(f"src/{service.name}/events.py")
    if service.loader:
        expected.append(f"src/{service.name}/loader.py")
    missing = [f for f in expected if not (service.folder / f).exists()]
    assert not missing, f"{service.name} mist {missing} (zie CONVENTIONS.md, 'Adding a service')"
    assert (package / "__init__.py").exists()


@pytest.mark.parametrize("service", servicelist.SERVICES, ids=NAMES)
def test_its_settings_match_its_entry(service: servicelist.Service) -> None:
    import importlib

    settings = importlib.import_module(f"{service.name}.config").Settings
    assert settings.model_config["env_prefix"] == service.prefix
    fields = settings.model_fields
    assert fields["database_url"].default.endswith(f"/{service.name}")
    if service.produces:
        assert fields["topic"].default == service.produces
    if service.consumes:
        assert fields["topics"].default == list(service.consumes)
        assert fields["consumer_group"].default == service.consumer_group


def test_lint_contracts_cover_every_service_and_aggregate() -> None:
    import lint

    config = lint.contracts()
    for name in NAMES:
        assert f'"{name}"' in config
        for aggregate in lint.aggregates(name):
            assert f"{name}.{aggregate}" in config
    assert "gebieden.interventies gebruikt van andere aggregaten alleen hun service" in config
