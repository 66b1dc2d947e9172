"""Export the published contracts to `contracts/` (committed, reviewed as diffs).

    .venv/bin/python tools/export_contracts.py           # (re)write contracts/
    .venv/bin/python tools/export_contracts.py --check   # exit 1 with a diff if out of date

Writes one JSON Schema per event type (`contracts/events/<type>.schema.json`, from the gebieden
event registry), each service's OpenAPI document (`contracts/openapi/<service>.json`, from
`build_app().openapi()`; building an app does not connect to anything) and an AsyncAPI 3.0.0
document for the Kafka topic (`contracts/asyncapi.json`). Every file is JSON with sorted keys and
a trailing newline, so a schema change shows up as a small diff.

The contracts describe the code, not the machine it runs on: service settings come from their
defaults, whatever GEBIEDEN_* / RAPPORTAGE_* variables the environment holds.
"""

from __future__ import annotations

import argparse
import difflib
import inspect
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"
EVENTS_DIR = "events"
ENV_PREFIXES = ("GEBIEDEN_", "RAPPORTAGE_")

ASYNCAPI_VERSION = "3.0.0"
ASYNCAPI_DOC_VERSION = "1.0.0"  # bump when the channel, its messages or bindings change
KAFKA_BINDING_VERSION = "0.5.0"
LOCAL_KAFKA = "127.0.0.1:19092"  # tools/devstack.py LOCAL_KAFKA: `make up` and the tests
CHANNEL_ID = "gebiedenEvents"

# Which aggregate is keyed by what (gebieden/events.py: "the focusgebied code, gemeente code for
# gemeente-level aggregates"). tests/contract/test_events_conform.py checks real keys against it.
GEMEENTE_KEYED = {"gemeente", "prestatieafspraken"}
FOCUSGEBIED_KEY = {
    "type": "string",
    "description": "De focusgebiedcode van het aggregaat; alle wijzigingen in één focusgebied "
                   "komen zo in volgorde binnen.",
    "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$",
    "examples": ["rotterdam-zuid"],
}
GEMEENTE_KEY = {
    "type": "string",
    "description": "De CBS-gemeentecode (aggregaten op gemeenteniveau).",
    "pattern": r"^GM[0-9]{4}$",
    "examples": ["GM0599"],
}


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@contextmanager
def code_defaults() -> Iterator[None]:
    """Build apps from the settings' defaults; leave environment, caches and logging as found."""
    from gebieden.config import get_settings as gebieden_settings
    from rapportage.config import get_settings as rapportage_settings

    saved_env = dict(os.environ)
    root = logging.getLogger()
    saved_logging = (list(root.handlers), root.level)
    for name in [n for n in os.environ if n.startswith(ENV_PREFIXES)]:
        del os.environ[name]
    gebieden_settings.cache_clear()
    rapportage_settings.cache_clear()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        gebieden_settings.cache_clear()
        rapportage_settings.cache_clear()
        root.handlers[:] = saved_logging[0]
        root.setLevel(saved_logging[1])


def event_schemas() -> dict[str, dict[str, Any]]:
    from gebieden.events import registry

    return {event_type: registry.json_schema(event_type) for event_type, _ in registry}


def openapi_documents() -> dict[str, dict[str, Any]]:
    with code_defaults():  # importing main builds the module-level app too
        from gebieden.main import build_app as build_gebieden
        from rapportage.main import build_app as build_rapportage

        builders: dict[str, Callable[[], Any]] = {
            "gebieden": build_gebieden, "rapportage": build_rapportage,
        }
        return {name: build().openapi() for name, build in builders.items()}


def event_schema_path(event_type: str) -> str:
    return f"{EVENTS_DIR}/{event_type}.schema.json"


def _message(event_type: str, model: type) -> dict[str, Any]:
    aggregate, verb = event_type.split(".")[3:5]
    state = ("Draagt alleen de identiteit van het verwijderde aggregaat." if verb == "verwijderd"
             else "Draagt de volledige publieke toestand van het aggregaat (event-carried "
                  "state): een herhaling of replay is een onschuldige upsert.")
    key = GEMEENTE_KEY if aggregate in GEMEENTE_KEYED else FOCUSGEBIED_KEY
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
        "bindings": {"kafka": {"key": key, "bindingVersion": KAFKA_BINDING_VERSION}},
    }


def _cloudevents_content_type() -> str:
    from nplv_shared.events import CLOUDEVENTS_CONTENT_TYPE

    return CLOUDEVENTS_CONTENT_TYPE


def asyncapi_document() -> dict[str, Any]:
    from gebieden.config import Settings as GebiedenSettings
    from gebieden.events import registry
    from nplv_shared.topics import TOPIC_CONFIG, ensure_topics
    from rapportage.config import Settings as RapportageSettings

    topic = GebiedenSettings.model_fields["topic"].default
    source = GebiedenSettings.model_fields["event_source"].default
    group = RapportageSettings.model_fields["consumer_group"].default
    client_id = RapportageSettings.model_fields["kafka_client_id"].default
    partitions = inspect.signature(ensure_topics).parameters["partitions"].default
    retention_ms = int(TOPIC_CONFIG["retention.ms"])
    messages = {model.__name__: _message(event_type, model) for event_type, model in registry}
    channel_ref = {"$ref": f"#/channels/{CHANNEL_ID}"}
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": "urn:nld:nplv:contracts:gebieden-events",
        "info": {
            "title": "NPLV Gebieden events",
            "version": ASYNCAPI_DOC_VERSION,
            "description": (
                "De CloudEvents (1.0, NL GOV-profiel, structured mode) die de gebieden-dienst "
                f"publiceert op Kafka-topic `{topic}`, en hoe rapportage ze leest. Elk event "
                "staat eerst in de outbox van de gebieden-database, in dezelfde transactie als "
                "de wijziging; de outbox-relay publiceert ze daarna in volgorde. De payload-"
                "schema's (JSON Schema 2020-12) staan in `events/<type>.schema.json`."
            ),
            "contact": {"name": "Programmabureau NPLV (BZK/VRO)",
                        "url": "https://www.volkshuisvestingnederland.nl",
                        "email": "nplv-api@minbzk.nl"},
            "license": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
            "tags": [{"name": "gebieden"}, {"name": "cloudevents"}],
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
        "channels": {
            CHANNEL_ID: {
                "address": topic,
                "title": "Gebieden-events",
                "description": (
                    f"Alle wijzigingen van de gebieden-dienst (bron `{source}`). Sleutel = "
                    "focusgebiedcode (gemeentecode voor aggregaten op gemeenteniveau), zodat "
                    "alle wijzigingen in één gebied in volgorde binnenkomen. Retentie: "
                    f"onbeperkt (topicconfiguratie `retention.ms={retention_ms}`): rapportage "
                    "bouwt haar weergaven opnieuw op door het topic vanaf het begin af te spelen."
                ),
                "servers": [{"$ref": "#/servers/lokaal"}],
                "messages": {name: {"$ref": f"#/components/messages/{name}"}
                             for name in messages},
                "bindings": {"kafka": {
                    "topic": topic,
                    "partitions": partitions,
                    "topicConfiguration": {
                        "retention.ms": retention_ms,
                        "cleanup.policy": [TOPIC_CONFIG["cleanup.policy"]],
                    },
                    "bindingVersion": KAFKA_BINDING_VERSION,
                }},
            },
        },
        "operations": {
            "publishGebiedenEvents": {
                "action": "send",
                "channel": channel_ref,
                "title": "Gebieden publiceert",
                "description": "De outbox-relay van de gebieden-worker publiceert de events in "
                               "outbox-volgorde (idempotente producer, acks=all) en markeert ze "
                               "pas na de bevestiging van de broker als gepubliceerd.",
                "messages": [{"$ref": f"#/channels/{CHANNEL_ID}/messages/{name}"}
                             for name in messages],
            },
            "receiveGebiedenEvents": {
                "action": "receive",
                "channel": channel_ref,
                "title": "Rapportage leest",
                "description": (
                    f"De rapportage-worker leest in consumer group `{group}` vanaf het begin "
                    "(auto.offset.reset=earliest), legt verwerkte event-ids vast in haar inbox "
                    "in dezelfde transactie als de weergave (deduplicatie op event-id) en commit "
                    "daarna de offsets. Onbekende types en attributen worden getolereerd."
                ),
                "messages": [{"$ref": f"#/channels/{CHANNEL_ID}/messages/{name}"}
                             for name in messages],
                "bindings": {"kafka": {
                    "groupId": {"type": "string", "enum": [group]},
                    "clientId": {"type": "string", "enum": [f"{client_id}-{group}"]},
                    "bindingVersion": KAFKA_BINDING_VERSION,
                }},
            },
        },
        "components": {"messages": messages},
    }


def generate() -> dict[str, str]:
    """Every contract file (path relative to contracts/) with its exact text."""
    files = {event_schema_path(t): render(s) for t, s in event_schemas().items()}
    files.update({f"openapi/{name}.json": render(doc)
                  for name, doc in openapi_documents().items()})
    files["asyncapi.json"] = render(asyncapi_document())
    return files


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
