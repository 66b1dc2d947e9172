"""The events financien publishes on `nplv.financien.v1` (event-carried state, CloudEvents)."""

from nplv_shared.events import EventRegistry

registry = EventRegistry()
