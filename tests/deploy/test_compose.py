"""docker-compose.yml: valid Compose, the same system as `make up`, and every service of
services.toml in it."""

from __future__ import annotations

import os
from typing import Any

from tests.deploy.conftest import ROOT, run, servicelist, tool

LOCAL_KAFKA_POM = ROOT / "deploy" / "local" / "kafka" / "pom.xml"


def test_validates_against_the_compose_specification() -> None:
    result = run([tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec",
                  "docker-compose.yml"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_depends_on_names_a_defined_service(compose: dict[str, Any]) -> None:
    defined = set(compose["services"])
    for name, service in compose["services"].items():
        for needed, how in service.get("depends_on", {}).items():
            assert needed in defined, f"{name} hangt af van onbekende dienst {needed}"
            assert how["condition"] in {"service_healthy", "service_completed_successfully"}
            if how["condition"] == "service_healthy":
                assert "healthcheck" in compose["services"][needed], needed


def test_every_secret_used_is_defined(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for secret in service.get("secrets", []):
            assert secret["source"] in compose["secrets"], f"{name}: {secret['source']}"


def test_every_service_has_migrations_api_and_worker(
        compose: dict[str, Any], services: tuple[servicelist.Service, ...]) -> None:
    defined = compose["services"]
    for service in services:
        migrations, api, worker = (defined.get(f"{service.name}-{role}")
                                   for role in ("migrations", "api", "worker"))
        for role, container in (("migrations", migrations), ("api", api), ("worker", worker)):
            assert container, f"{service.name}-{role} ontbreekt in docker-compose.yml"
        for container in (migrations, api, worker):
            assert container["image"] == f"nplv-{service.name}:dev"
            assert container["build"]["args"] == {"SERVICE": service.name}
            assert container["read_only"]
            assert container["user"] == "10001:10001"
            assert container["tmpfs"] == ["/tmp"]
            assert container["cap_drop"] == ["ALL"]
        assert migrations["restart"] == "no"
        script = migrations["command"][2]
        assert script.startswith(f"alembic -c services/{service.name}/alembic.ini upgrade head")
        assert (f"python -m {service.name}.loader" in script) == service.loader
        assert api["ports"][0]["published"] == str(service.api_port)  # the URLs of `make up`
        assert "/v1/health/ready" in " ".join(api["healthcheck"]["test"])
        assert "healthcheck" in worker
        for container in (api, worker):
            assert container["depends_on"][f"{service.name}-migrations"]["condition"] == \
                "service_completed_successfully"
        if service.produces or service.consumes:
            assert worker["depends_on"]["topics"]["condition"] == \
                "service_completed_successfully"


def test_postgres_has_one_database_per_service(
        compose: dict[str, Any], services: tuple[servicelist.Service, ...]) -> None:
    postgres = compose["services"]["postgres"]
    assert postgres["environment"]["NPLV_DATABASES"].split() == [s.name for s in services]
    env_files = [os.path.basename(f["path"]) for f in postgres["env_file"]]
    assert env_files == [f"{s.name}.env" for s in services]
    assert {"pgdata"} <= set(compose["volumes"])


def test_topics_job_creates_every_produced_topic_like_make_up(
        compose: dict[str, Any], services: tuple[servicelist.Service, ...]) -> None:
    command = compose["services"]["topics"]["command"]
    assert command[:3] == ["python", "-m", "nplv_shared.topics"]
    assert command[command.index("--partitions") + 1] == "6"
    produced = sorted(t for s in services for t in s.topics)
    assert sorted(a for a in command if a.startswith("nplv.")) == produced


def test_kafka_is_the_version_make_up_runs(compose: dict[str, Any]) -> None:
    pom = LOCAL_KAFKA_POM.read_text()
    version = pom.split("<kafka.version>")[1].split("<")[0]
    kafka = compose["services"]["kafka"]
    assert kafka["image"] == f"apache/kafka:{version}"
    assert str(kafka["environment"]["KAFKA_LOG_RETENTION_MS"]) == "-1"
    assert "kafkadata" in compose["volumes"]


def test_make_secrets_writes_what_compose_reads(tmp_path: Any,
                                                compose: dict[str, Any]) -> None:
    key = tmp_path / "dev-public.pem"
    key.write_text("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n")
    secrets = tmp_path / "secrets"
    result = run(["bash", "deploy/compose/make-secrets.sh", secrets],
                 env={**os.environ, "NPLV_JWT_PUBLIC_KEY": str(key)})
    assert result.returncode == 0, result.stderr
    wanted = {os.path.basename(s["file"]) for s in compose["secrets"].values()}
    wanted |= {os.path.basename(f["path"]) for s in compose["services"].values()
               for f in s.get("env_file", [])}
    assert wanted == {p.name for p in secrets.iterdir()}
    first = (secrets / "gebieden.env").read_text()
    run(["bash", "deploy/compose/make-secrets.sh", secrets],
        env={**os.environ, "NPLV_JWT_PUBLIC_KEY": str(key)})
    assert (secrets / "gebieden.env").read_text() == first  # kept, never regenerated
    assert "secrets/" in (ROOT / "deploy" / "compose" / ".gitignore").read_text().split()

