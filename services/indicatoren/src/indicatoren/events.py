"""The events indicatoren publishes on `nplv.indicatoren.v1` (event-carried state, CloudEvents)."""

from nplv_shared.events import EventRegistry

registry = EventRegistry()
