"""Export the published contracts to `contracts/` (committed, reviewed as diffs).

    .venv/bin/python tools/export_contracts.py           # (re)write contracts/
    .venv/bin/python tools/export_contracts.py --check   # exit 1 with a diff if out of date

For every service in services.toml: one JSON Schema per event type it publishes
(`contracts/events/<type>.schema.json`, from `<service>.events.registry`), its OpenAPI document
(`contracts/openapi/<service>.json`, from `<service>.main.build_app().openapi()`; building an app
does not connect to anything), and one AsyncAPI 3.0.0 document for all topics
(`contracts/asyncapi.json`: a channel per produced topic, a send operation for its producer and
a receive operation per consumer), and the register of processing activities
(`contracts/verwerkingsactiviteiten.json`, from `<service>.verwerkingen.REGISTER`). Every file
is JSON with sorted keys and a trailing newline, so a schema change shows up as a small diff.

The contracts describe the code, not the machine it runs on: service settings come from their
defaults, whatever <SERVICE>_* variables the environment holds.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import inspect
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from servicelist import SERVICES, Service

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"
EVENTS_DIR = "events"

ASYNCAPI_VERSION = "3.0.0"
ASYNCAPI_DOC_VERSION = "1.0.0"  # bump when a channel, its messages or bindings change
KAFKA_BINDING_VERSION = "0.5.0"
LOCAL_KAFKA = "127.0.0.1:19092"  # tools/devstack.py LOCAL_KAFKA: `make up` and the tests


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _module(service: Service, name: str) -> Any:
    return importlib.import_module(f"{service.name}.{name}")


@contextmanager
def code_defaults() -> Iterator[None]:
    """Build apps from the settings' defaults; leave environment, caches and logging as found."""
    caches = [_module(s, "config").get_settings for s in SERVICES]
    saved_env = dict(os.environ)
    root = logging.getLogger()
    saved_logging = (list(root.handlers), root.level)
    prefixes = tuple(s.prefix for s in SERVICES)
    for name in [n for n in os.environ if n.startswith(prefixes)]:
        del os.environ[name]
    for cache in caches:
        cache.cache_clear()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        for cache in caches:
            cache.cache_clear()
        root.handlers[:] = saved_logging[0]
        root.setLevel(saved_logging[1])


def registries() -> dict[str, Any]:
    """The event registry of every producing service, by service name."""
    return {s.name: _module(s, "events").registry for s in SERVICES if s.produces}


def event_schemas() -> dict[str, dict[str, Any]]:
    return {event_type: registry.json_schema(event_type)
            for registry in registries().values() for event_type, _ in registry}


def openapi_documents() -> dict[str, dict[str, Any]]:
    with code_defaults():  # importing main builds the module-level app too
        return {s.name: _module(s, "main").build_app().openapi() for s in SERVICES}


def event_schema_path(event_type: str) -> str:
    return f"{EVENTS_DIR}/{event_type}.schema.json"


def _message(event_type: str, model: Any) -> dict[str, Any]:
    aggregate, verb = event_type.split(".")[3:5]
    state = ("Draagt alleen de identiteit van het verwijderde aggregaat." if verb == "verwijderd"
             else "Draagt de volledige publieke toestand van het aggregaat (event-carried "
                  "state): een herhaling of replay is een onschuldige upsert.")
    return {
        "name": model.__name__,
        "title": event_type,
        "summary": f"{aggregate.capitalize()} {verb}.",
        "description": f"CloudEvent (structured mode) van type `{event_type}`. {state} "
                       "`sequence` is de versie van het aggregaat; consumenten negeren wat op of "
                       "onder hun opgeslagen versie ligt.",
        "contentType": _cloudevents_content_type(),
        "headers": {
            "type": "object",
            "properties": {"content-type": {"type": "string",
                                            "const": _cloudevents_content_type()}},
            "required": ["content-type"],
        },
        "payload": {"$ref": event_schema_path(event_type)},
        "bindings": {"kafka": {"key": model.key_schema,
                               "bindingVersion": KAFKA_BINDING_VERSION}},
    }


def _cloudevents_content_type() -> str:
    from nplv_shared.events import CLOUDEVENTS_CONTENT_TYPE

    return CLOUDEVENTS_CONTENT_TYPE


def _camel(*words: str) -> str:
    return words[0] + "".join(w.capitalize() for w in words[1:])


def _default(service: Service, setting: str) -> Any:
    return _module(service, "config").Settings.model_fields[setting].default


def _channel(producer: Service, registry: Any) -> tuple[str, dict[str, Any], dict[str, Any],
                                                        dict[str, Any]]:
    """(channel id, channel, its operations, its messages) for one produced topic."""
    from nplv_shared.topics import TOPIC_CONFIG, ensure_topics

    topic = _default(producer, "topic")
    source = _default(producer, "event_source")
    partitions = inspect.signature(ensure_topics).parameters["partitions"].default
    retention_ms = int(TOPIC_CONFIG["retention.ms"])
    messages = {model.__name__: _message(event_type, model) for event_type, model in registry}
    channel_id = _camel(producer.name, "events")
    channel_ref = {"$ref": f"#/channels/{channel_id}"}
    message_refs = [{"$ref": f"#/channels/{channel_id}/messages/{name}"} for name in messages]
    keys = sorted({m["bindings"]["kafka"]["key"]["description"] for m in messages.values()})
    channel = {
        "address": topic,
        "title": f"{producer.name.capitalize()}-events",
        "description": (
            f"Alle wijzigingen van de {producer.name}-dienst (bron `{source}`). Sleutel: de "
            "Kafka-binding van elk bericht zegt welke (" + "; ".join(keys) + "). Retentie: "
            "onbeperkt (topicconfiguratie "
            f"`retention.ms={retention_ms}`): consumenten bouwen hun weergaven opnieuw op door "
            "het topic vanaf het begin af te spelen. Een aggregaat dat van sleutel wisselt (een "
            "interventie die naar een ander focusgebied verhuist) heeft events op twee "
            "partities, die Kafka niet onderling ordent: consumenten ordenen per aggregaat op "
            "`sequence` en negeren wat op of onder hun opgeslagen versie ligt."
        ),
        "servers": [{"$ref": "#/servers/lokaal"}],
        "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in messages},
        "bindings": {"kafka": {
            "topic": topic,
            "partitions": partitions,
            "topicConfiguration": {
                "retention.ms": retention_ms,
                "cleanup.policy": [TOPIC_CONFIG["cleanup.policy"]],
            },
            "bindingVersion": KAFKA_BINDING_VERSION,
        }},
    }
    operations: dict[str, Any] = {
        _camel("publish", producer.name, "events"): {
            "action": "send",
            "channel": channel_ref,
            "title": f"{producer.name.capitalize()} publiceert",
            "description": f"De outbox-relay van de {producer.name}-worker publiceert de events "
                           "in outbox-volgorde (idempotente producer, acks=all) en markeert ze "
                           "pas na de bevestiging van de broker als gepubliceerd.",
            "messages": message_refs,
        },
    }
    consumers = [s for s in SERVICES if topic in s.consumes]
    for consumer in consumers:
        group = _default(consumer, "consumer_group")
        client_id = _default(consumer, "kafka_client_id")
        # one consumer: receive<Producer>Events; several: …By<Consumer>
        by = ("by", consumer.name) if len(consumers) > 1 else ()
        operations[_camel("receive", producer.name, "events", *by)] = {
            "action": "receive",
            "channel": channel_ref,
            "title": f"{consumer.name.capitalize()} leest",
            "description": (
                f"De {consumer.name}-worker leest in consumer group `{group}` vanaf het begin "
                "(auto.offset.reset=earliest), legt verwerkte event-ids vast in haar inbox "
                "in dezelfde transactie als de weergave (deduplicatie op event-id) en commit "
                "daarna de offsets. Onbekende types en attributen worden getolereerd."
            ),
            "messages": message_refs,
            "bindings": {"kafka": {
                "groupId": {"type": "string", "enum": [group]},
                "clientId": {"type": "string", "enum": [f"{client_id}-{consumer.name}-consumer"]},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }},
        }
    return channel_id, channel, operations, messages


def asyncapi_document() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    found = registries()
    for producer in (s for s in SERVICES if s.produces):
        channel_id, channel, ops, msgs = _channel(producer, found[producer.name])
        channels[channel_id] = channel
        operations.update(ops)
        messages.update(msgs)
    topics = ", ".join(f"`{c['address']}`" for c in channels.values())
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": "urn:nld:nplv:contracts:events",
        "info": {
            "title": "NPLV events",
            "version": ASYNCAPI_DOC_VERSION,
            "description": (
                "De CloudEvents (1.0, NL GOV-profiel, structured mode) die de NPLV-diensten "
                f"publiceren op Kafka (topics {topics}), en wie ze leest. Elk event staat eerst "
                "in de outbox van de database van de producerende dienst, in dezelfde transactie "
                "als de wijziging; de outbox-relay publiceert ze daarna in volgorde. De payload-"
                "schema's (JSON Schema 2020-12) staan in `events/<type>.schema.json`."
            ),
            "contact": {"name": "Programmabureau NPLV (BZK/VRO)",
                        "url": "https://www.volkshuisvestingnederland.nl",
                        "email": "nplv-api@minbzk.nl"},
            "license": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
            "tags": [{"name": s.name} for s in SERVICES if s.produces]
            + [{"name": "cloudevents"}],
        },
        "defaultContentType": _cloudevents_content_type(),
        "servers": {
            "lokaal": {
                "host": LOCAL_KAFKA,
                "protocol": "kafka",
                "description": "Lokale broker van `make up` en de tests (PLAINTEXT op loopback). "
                               "Andere omgevingen geven hun brokers via "
                               "`<DIENST>_KAFKA_BOOTSTRAP_SERVERS`.",
            },
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def generate() -> dict[str, str]:
    """Every contract file (path relative to contracts/) with its exact text."""
    files = {event_schema_path(t): render(s) for t, s in event_schemas().items()}
    files.update({f"openapi/{name}.json": render(doc)
                  for name, doc in openapi_documents().items()})
    files["asyncapi.json"] = render(asyncapi_document())
    files["verwerkingsactiviteiten.json"] = render(processing_register())
    return files


def processing_register() -> dict[str, Any]:
    """The register of processing activities (Logboek Dataverwerkingen): every activity of
    every service, with the write operations that perform it."""
    activities = []
    for service in SERVICES:
        register = _module(service, "verwerkingen").REGISTER
        for activity in register.activities():
            operations = sorted(op for op, a in register.operaties.items() if a == activity)
            activities.append({**activity.document(), "dienst": service.name,
                               "operaties": operations})
    return {"titel": "Register van verwerkingsactiviteiten van NPLV",
            "toelichting": "De ids staan in het verwerkingslog (LDV) als "
                           "dpl.core.processing_activity_id en in het auditlog als "
                           "verwerkingsactiviteit. Een id verandert nooit; een andere betekenis "
                           "krijgt een nieuwe versie.",
            "verwerkingsactiviteiten": activities}


def stale_files(files: dict[str, str], root: Path = CONTRACTS) -> list[str]:
    """Generated-kind files on disk that are no longer generated (e.g. a removed event type)."""
    on_disk = [p.relative_to(root).as_posix()
               for pattern in (f"{EVENTS_DIR}/*.schema.json", "openapi/*.json", "asyncapi.json")
               for p in root.glob(pattern)]
    return sorted(p for p in on_disk if p not in files)


def differences(files: dict[str, str], root: Path = CONTRACTS) -> list[str]:
    """A unified diff (committed → generated) per out-of-date file; empty when all is current."""
    diffs = []
    for rel, text in sorted(files.items()):
        path = root / rel
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if old != text:
            diffs.append("".join(difflib.unified_diff(
                old.splitlines(keepends=True), text.splitlines(keepends=True),
                fromfile=f"a/contracts/{rel}" if path.exists() else "/dev/null",
                tofile=f"b/contracts/{rel}")))
    diffs.extend(f"--- a/contracts/{rel}\n+++ /dev/null\n(niet meer gegenereerd)\n"
                 for rel in stale_files(files, root))
    return diffs


def write(files: dict[str, str], root: Path = CONTRACTS) -> list[str]:
    changed = []
    for rel in stale_files(files, root):
        (root / rel).unlink()
        changed.append(f"verwijderd {rel}")
    for rel, text in sorted(files.items()):
        path = root / rel
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(f"geschreven {rel}")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="niets schrijven; exit 1 met een diff als contracts/ verouderd is")
    parser.add_argument("--contracts-dir", type=Path, default=CONTRACTS,
                        help="map met de contracten (standaard: contracts/ in de repo)")
    args = parser.parse_args(argv)
    root = args.contracts_dir.resolve()
    files = generate()
    if args.check:
        diffs = differences(files, root)
        if diffs:
            sys.stdout.write("".join(diffs))
            print(f"\ncontracts/ is verouderd ({len(diffs)} bestand(en)); draai "
                  "`.venv/bin/python tools/export_contracts.py`.", file=sys.stderr)
            return 1
        print(f"contracts/ is actueel ({len(files)} bestanden).")
        return 0
    changed = write(files, root)
    print("\n".join(changed) if changed else "contracts/ was al actueel.")
    print(f"{len(files)} contracten in {root}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
