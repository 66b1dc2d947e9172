"""The environment variables that docker-compose.yml and the manifests set are exactly names the
services' Settings read: a misspelt name would silently fall back to a default. And the values
they set for topics and consumer groups agree with services.toml."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.conftest import OVERLAYS, Manifest, of_kind, pod_spec, run, servicelist

UVICORN = {"FORWARDED_ALLOW_IPS"}  # uvicorn's own: the proxies it believes (see test_proxy)


def settings_class(service: servicelist.Service) -> Any:
    return importlib.import_module(f"{service.name}.config").Settings


def setting_names(service: servicelist.Service) -> set[str]:
    settings = settings_class(service)
    assert settings.model_config["env_prefix"] == service.prefix
    return {service.prefix + field.upper() for field in settings.model_fields}


def required(service: servicelist.Service) -> set[str]:
    names = {"DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "JWT_PUBLIC_KEY_FILE"}
    if service.produces:
        names |= {"TOPIC", "EVENT_SOURCE"}
    if service.consumes:
        names |= {"TOPICS", "CONSUMER_GROUP"}
    if service.dead_letter:
        names |= {"DEAD_LETTER_TOPIC"}
    return {service.prefix + name for name in names}


def check(service: servicelist.Service, env: dict[str, str], where: str,
          monkeypatch: pytest.MonkeyPatch) -> None:
    unknown = set(env) - setting_names(service) - UVICORN
    assert not unknown, f"{where}: {sorted(unknown)} leest {service.name} niet"
    missing = required(service) - set(env)
    assert not missing, f"{where}: {sorted(missing)} ontbreekt"
    with monkeypatch.context() as patch:  # the values parse, and say what services.toml says
        for name in [n for n in os.environ if n.startswith(service.prefix)]:
            patch.delenv(name)
        for name, value in env.items():
            patch.setenv(name, value)
        settings = settings_class(service)()
    if service.produces:
        assert settings.topic == service.produces, where
    if service.consumes:
        assert list(settings.topics) == list(service.consumes), where
        assert settings.consumer_group == service.consumer_group, where
    if service.dead_letter:
        assert settings.dead_letter_topic == service.dead_letter, where


def env_file(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return dict(pairs)


def test_compose_sets_only_settings_names(compose: dict[str, Any], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          services: tuple[servicelist.Service, ...]) -> None:
    key = tmp_path / "key.pem"
    key.write_text("key")
    result = run(["bash", "deploy/compose/make-secrets.sh", tmp_path / "secrets"],
                 env={**os.environ, "NPLV_JWT_PUBLIC_KEY": str(key)})
    assert result.returncode == 0, result.stderr
    for service in services:
        containers = {name: c for name, c in compose["services"].items()
                      if c.get("image", "").startswith(f"nplv-{service.name}:")}
        assert containers
        for name, container in containers.items():
            env = {k: str(v) for k, v in container.get("environment", {}).items()}
            for file in container.get("env_file", []):
                env |= env_file(tmp_path / "secrets" / Path(file["path"]).name)
            if name == "topics":  # a one-off command; it reads no settings
                continue
            check(service, env, f"docker-compose.yml {name}", monkeypatch)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_manifests_set_only_settings_names(overlay: str, rendered: dict[str, list[Manifest]],
                                           monkeypatch: pytest.MonkeyPatch,
                                           services: tuple[servicelist.Service, ...]) -> None:
    config_maps = of_kind(rendered[overlay], "ConfigMap")
    assert set(config_maps["nplv-proxy"]["data"]) <= UVICORN
    for service in services:
        for kind in ("Deployment", "Job"):
            for name, manifest in of_kind(rendered[overlay], kind).items():
                if not name.startswith(f"{service.name}-"):
                    continue
                for container in pod_spec(manifest)["containers"]:
                    env: dict[str, str] = {}
                    for source in container.get("envFrom", []):
                        config = source["configMapRef"]["name"]
                        assert config in {f"{service.name}-config", "nplv-proxy"}, config
                        env |= config_maps[config]["data"]
                    for item in container.get("env", []):
                        env[item["name"]] = item.get("value", "postgresql+asyncpg://x@y/z")
                    check(service, env, f"{overlay} {kind} {name}", monkeypatch)
