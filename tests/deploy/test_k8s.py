"""deploy/k8s: every overlay renders and validates offline (Kubernetes JSON schemas of a pinned
version, unknown fields are errors; KafkaTopic against Strimzi's CRD schema), and every service of
services.toml is deployed the way the architecture needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.deploy.conftest import (
    K8S,
    KUBERNETES_VERSION,
    OVERLAYS,
    Manifest,
    kustomize,
    of_kind,
    pod_spec,
    run,
    servicelist,
    tool,
)

KAFKATOPIC_SCHEMA = json.loads(
    (Path(__file__).parent / "strimzi-kafkatopic-v1beta2.schema.json").read_text())
PARTITIONS = 6


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_validates_strictly(overlay: str, rendered: dict[str, list[Manifest]],
                                    tmp_path: Path) -> None:
    custom = [m for m in rendered[overlay] if m["apiVersion"].startswith("kafka.strimzi.io/")]
    standard = [m for m in rendered[overlay] if m not in custom]
    for topic in custom:  # Strimzi's CRD schema, since the Kubernetes schemas do not know it
        assert topic["kind"] == "KafkaTopic", topic["kind"]
        jsonschema.validate(topic, KAFKATOPIC_SCHEMA)
    path = tmp_path / f"{overlay}.yaml"
    path.write_text(yaml.safe_dump_all(standard))
    result = run([tool("kubernetes-validate"), "--strict", "--quiet", "-k", KUBERNETES_VERSION,
                  path])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "ERROR" not in output, output
    assert "Couldn't find schema" not in output, output  # nothing slips through unvalidated


def test_the_base_has_every_service(services: tuple[servicelist.Service, ...]) -> None:
    base = kustomize(K8S / "base")
    deployments = of_kind(base, "Deployment")
    for service in services:
        assert {f"{service.name}-api", f"{service.name}-worker"} <= set(deployments), \
            f"{service.name} ontbreekt in deploy/k8s/base"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_is_deployed(overlay: str, rendered: dict[str, list[Manifest]],
                                   services: tuple[servicelist.Service, ...]) -> None:
    manifests = rendered[overlay]
    wanted = {"Deployment": ["{}-api", "{}-worker"], "Service": ["{}-api"],
              "ConfigMap": ["{}-config"], "Job": ["{}-migrations"],
              "HorizontalPodAutoscaler": ["{}-api"],
              "PodDisruptionBudget": ["{}-api", "{}-worker"],
              "NetworkPolicy": ["{}-api-ingress", "{}-egress"], "Ingress": ["{}-api"]}
    for service in services:
        for kind, names in wanted.items():
            for name in names:
                assert name.format(service.name) in of_kind(manifests, kind), \
                    f"{overlay}: {kind} {name.format(service.name)} ontbreekt"
        for kind in ("Deployment", "Job"):
            for name, manifest in of_kind(manifests, kind).items():
                if name.startswith(f"{service.name}-"):
                    image = pod_spec(manifest)["containers"][0]["image"]
                    assert f"/{service.name}:" in image or image.startswith(
                        f"nplv-{service.name}:"), image
        job = of_kind(manifests, "Job")[f"{service.name}-migrations"]
        script = pod_spec(job)["containers"][0]["command"][2]
        assert script.startswith(f"alembic -c services/{service.name}/alembic.ini upgrade head")
        assert (f"python -m {service.name}.loader" in script) == service.loader


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_kafka_topics_component(overlay: str, rendered: dict[str, list[Manifest]],
                                services: tuple[servicelist.Service, ...]) -> None:
    topics = of_kind(rendered[overlay], "KafkaTopic")
    assert sorted(topics) == sorted(t for s in services for t in s.topics)
    replicas, min_insync = (3, 2) if overlay == "prod" else (1, 1)
    for topic in topics.values():
        spec = topic["spec"]
        assert spec["partitions"] == PARTITIONS
        assert spec["replicas"] == replicas
        assert spec["config"]["min.insync.replicas"] == min_insync
        assert spec["config"]["retention.ms"] == -1  # rapportage rebuilds by replaying


def containers(manifest: Manifest) -> list[dict[str, Any]]:
    spec = pod_spec(manifest)
    return [*spec.get("initContainers", []), *spec["containers"]]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_pods_are_locked_down(overlay: str, rendered: dict[str, list[Manifest]]) -> None:
    workloads = [*of_kind(rendered[overlay], "Deployment").values(),
                 *of_kind(rendered[overlay], "Job").values()]
    for workload in workloads:
        spec, name = pod_spec(workload), workload["metadata"]["name"]
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert spec["automountServiceAccountToken"] is False, name
        tmp = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
        for container in containers(workload):
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"] == {"drop": ["ALL"]}, name
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), name
            assert any(m["mountPath"] == "/tmp" and m["name"] in tmp
                       for m in container["volumeMounts"]), name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_probes_use_the_health_endpoints(overlay: str,
                                         rendered: dict[str, list[Manifest]]) -> None:
    for name, deployment in of_kind(rendered[overlay], "Deployment").items():
        container = pod_spec(deployment)["containers"][0]
        if name.endswith("-api"):
            assert container["livenessProbe"]["httpGet"]["path"] == "/v1/health/live"
            assert container["readinessProbe"]["httpGet"]["path"] == "/v1/health/ready"
            assert "--proxy-headers" in container["command"]
        else:
            assert "livenessProbe" in container, name


def test_prod_spreads_every_deployment_dev_does_not(
        rendered: dict[str, list[Manifest]]) -> None:
    for name, deployment in of_kind(rendered["prod"], "Deployment").items():
        keys = {c["topologyKey"] for c in pod_spec(deployment)["topologySpreadConstraints"]}
        assert keys == {"kubernetes.io/hostname", "topology.kubernetes.io/zone"}, name
    for deployment in of_kind(rendered["dev"], "Deployment").values():
        assert "topologySpreadConstraints" not in pod_spec(deployment)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_consumers_scale_no_further_than_the_partitions(
        overlay: str, rendered: dict[str, list[Manifest]]) -> None:
    for name, deployment in of_kind(rendered[overlay], "Deployment").items():
        if name.endswith("-worker"):
            assert 1 <= deployment["spec"]["replicas"] <= PARTITIONS, name
    for hpa in of_kind(rendered[overlay], "HorizontalPodAutoscaler").values():
        assert hpa["spec"]["scaleTargetRef"]["name"].endswith("-api")  # never a worker


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_secrets_are_references_only(overlay: str, rendered: dict[str, list[Manifest]],
                                     services: tuple[servicelist.Service, ...]) -> None:
    assert not of_kind(rendered[overlay], "Secret"), "geen geheimen in de repository"
    for service in services:
        for kind in ("Deployment", "Job"):
            for name, manifest in of_kind(rendered[overlay], kind).items():
                if not name.startswith(f"{service.name}-"):
                    continue
                env = {e["name"]: e for e in containers(manifest)[0].get("env", [])}
                url = env[f"{service.prefix}DATABASE_URL"]["valueFrom"]["secretKeyRef"]
                assert url == {"name": f"{service.name}-database", "key": "url"}
                if name.endswith("-api"):
                    secrets = {v["secret"]["secretName"] for v in pod_spec(manifest)["volumes"]
                               if "secret" in v}
                    assert secrets == {"nplv-jwt-public-key"}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_network_policies_allow_only_the_architecture(
        overlay: str, rendered: dict[str, list[Manifest]],
        services: tuple[servicelist.Service, ...]) -> None:
    policies = of_kind(rendered[overlay], "NetworkPolicy")
    deny = policies["nplv-default-deny"]["spec"]
    assert deny["podSelector"] == {}
    assert set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny
    assert "egress" not in deny
    for policy in policies.values():
        for rule in policy["spec"].get("ingress", []):
            for peer in rule["from"]:  # only from other namespaces (the ingress controller)
                assert set(peer) == {"namespaceSelector"}, policy["metadata"]["name"]
        for rule in policy["spec"].get("egress", []):
            for peer in rule.get("to", []):  # never to a pod of an NPLV service
                labels = peer.get("podSelector", {}).get("matchLabels", {})
                assert not {"app.kubernetes.io/name", "app.kubernetes.io/part-of"} & set(labels)
    for service in services:
        ingress = policies[f"{service.name}-api-ingress"]["spec"]
        assert ingress["podSelector"]["matchLabels"] == {
            "app.kubernetes.io/name": service.name, "app.kubernetes.io/component": "api"}
        egress = policies[f"{service.name}-egress"]["spec"]
        assert egress["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": service.name}
        databases = [peer["podSelector"]["matchLabels"]["nplv-database"]
                     for rule in egress["egress"] for peer in rule["to"]
                     if "nplv-database" in peer.get("podSelector", {}).get("matchLabels", {})]
        assert databases == [service.name], "alleen de eigen database"
        ports = sorted(p["port"] for rule in egress["egress"] for p in rule["ports"])
        assert ports == [5432, 9092]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_ingress_exposes_v1_over_tls(overlay: str, rendered: dict[str, list[Manifest]]) -> None:
    for name, ingress in of_kind(rendered[overlay], "Ingress").items():
        spec = ingress["spec"]
        assert spec["tls"][0]["secretName"] == "nplv-api-tls"
        hosts = {rule["host"] for rule in spec["rules"]}
        assert hosts == set(spec["tls"][0]["hosts"]), name
        for rule in spec["rules"]:
            for path in rule["http"]["paths"]:
                assert (path["path"], path["pathType"]) == ("/v1", "Prefix"), name
                assert path["backend"]["service"]["name"] == name
