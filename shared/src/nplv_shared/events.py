"""CloudEvents 1.0 (structured JSON, NL GOV profile) envelope and the event type registry."""

import re
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json"
TYPE_PATTERN = re.compile(r"nl\.nplv\.[a-z]+(\.[a-z-]+)+\.v[0-9]+")
SOURCE_PATTERN = re.compile(r"urn:nld:[a-z0-9:.-]+")
# Kafka key schemas (AsyncAPI message bindings): which key an event type is published under.
FOCUSGEBIED_KEY: dict[str, Any] = {
    "type": "string",
    "description": "De focusgebiedcode van het aggregaat; alle wijzigingen in één focusgebied "
                   "komen zo in volgorde binnen.",
    "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$",
    "examples": ["rotterdam-zuid"],
}
GEMEENTE_KEY: dict[str, Any] = {
    "type": "string",
    "description": "De CBS-gemeentecode (aggregaten op gemeenteniveau).",
    "pattern": r"^GM[0-9]{4}$",
    "examples": ["GM0599"],
}
# Fields the platform maintains on every aggregate (`nplv_shared.aggregates.Versioned`): in the
# API, never in an event's state (the version travels as the event's `sequence`).
VERSION_FIELDS = frozenset({"versie", "aangemaakt_op", "gewijzigd_op"})


class EventData(BaseModel):
    """Base of every event payload. The producer is strict (`extra="forbid"`: a payload carries
    exactly its declared fields, and the published JSON Schema says so); consumers read the
    `data` dict tolerantly and ignore what they do not know."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Set per subclass: the CloudEvents `type` this payload is published under.
    event_type: ClassVar[str]
    # The schema of its Kafka key (= `partitionkey`), published in the AsyncAPI document.
    key_schema: ClassVar[dict[str, Any]] = FOCUSGEBIED_KEY

    @classmethod
    def of(cls, resource: BaseModel) -> Self:
        """The payload carrying a resource's public state, taken from its API schema (all of
        it but the VERSION_FIELDS).

        Strict: a field of the resource that the event does not declare (or a required event
        field the resource lacks) raises, so a field added to an aggregate cannot silently
        go missing from its events.
        """
        return cls.model_validate(resource.model_dump(by_alias=True, exclude=set(VERSION_FIELDS)))

    @classmethod
    def identity_of(cls, resource: BaseModel) -> Self:
        """A tombstone payload: only the fields this event declares (its identity)."""
        state = resource.model_dump(by_alias=True)
        names = {f.alias or n for n, f in cls.model_fields.items()}
        return cls.model_validate({k: v for k, v in state.items() if k in names})


class Gegevens(EventData):
    """The base of a service's payloads: fields named in Python, published in camelCase (as the
    API names them)."""

    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel,
                              populate_by_name=True, serialize_by_alias=True)


class CloudEvent(BaseModel):
    """The envelope. Consumers accept unknown extension attributes (tolerant reader)."""

    model_config = ConfigDict(extra="allow")

    specversion: Literal["1.0"] = "1.0"
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    source: str = Field(pattern=f"^{SOURCE_PATTERN.pattern}$")
    type: str = Field(pattern=f"^{TYPE_PATTERN.pattern}$")
    subject: str
    time: AwareDatetime = Field(default_factory=lambda: datetime.now(UTC))
    datacontenttype: Literal["application/json"] = "application/json"
    dataschema: str
    sequence: int | None = Field(default=None, description="Versie van het aggregaat")
    partitionkey: str = Field(description="Kafka-sleutel: de focusgebiedcode of het aggregaat")
    data: dict[str, Any]

    # `type` and `source` are checked by pydantic-core's own regex (Field patterns below):
    # a consumer parses every event, and a Python validator per field per event is what it
    # would spend most of that time on. These two are for the publisher's own checks.
    @classmethod
    def check_type(cls, value: str) -> str:
        if not TYPE_PATTERN.fullmatch(value):
            raise ValueError("type moet reverse-DNS met één v-versie zijn, bv. nl.nplv.x.y.v1")
        return value

    @classmethod
    def check_source(cls, value: str) -> str:
        if not SOURCE_PATTERN.fullmatch(value):
            raise ValueError("source moet een urn:nld:-URN zijn")
        return value

    def to_json_bytes(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()


def schema_url(event_type: str) -> str:
    """`dataschema`: names the contract published as contracts/events/<type>.schema.json."""
    return f"urn:nld:nplv:schema:{event_type}"


def build_event(*, source: str, data: EventData, subject: str, key: str,
                sequence: int | None = None, time: datetime | None = None) -> CloudEvent:
    return CloudEvent(
        source=source,
        type=data.event_type,
        subject=subject,
        dataschema=schema_url(data.event_type),
        sequence=sequence,
        partitionkey=key,
        data=data.model_dump(mode="json"),
        time=time or datetime.now(UTC),
    )


class EventRegistry:
    """Maps every published event type to its payload model (for schemas and consumers)."""

    def __init__(self) -> None:
        self._models: dict[str, type[EventData]] = {}

    def register(self, model: type[EventData]) -> type[EventData]:
        if not TYPE_PATTERN.fullmatch(model.event_type):
            raise ValueError(f"ongeldig eventtype {model.event_type}")
        self._models[model.event_type] = model
        return model

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(sorted(self._models.items()))

    def model_for(self, event_type: str) -> type[EventData] | None:
        return self._models.get(event_type)

    def json_schema(self, event_type: str) -> dict[str, Any]:
        """The full CloudEvent schema with `data` narrowed to this type's payload."""
        model = self._models[event_type]
        data_schema = model.model_json_schema()
        envelope = CloudEvent.model_json_schema()
        envelope["$id"] = schema_url(event_type)
        envelope["title"] = event_type
        envelope["properties"]["type"] = {"const": event_type}
        envelope["properties"]["data"] = {"$ref": "#/$defs/Data"}
        envelope.setdefault("$defs", {}).update(data_schema.pop("$defs", {}))
        envelope["$defs"]["Data"] = data_schema
        envelope["properties"]["source"]["pattern"] = f"^{SOURCE_PATTERN.pattern}$"
        envelope["required"] = sorted({*envelope.get("required", []), "data", "time", "id",
                                       "specversion"})
        return envelope
