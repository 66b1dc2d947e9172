"""The audit log on a real PostgreSQL session, rolled back per test: what the ORM collector
sees of a create, an update and a delete, the rows `Verantwoording` writes, and the trigger
that refuses to change them."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from gebieden.db import traceability
from gebieden.interventies.service import InterventieService
from gebieden.permissions import LOADER
from gebieden.verwerkingen import INTERVENTIES_REGISTREREN, VERANTWOORDING
from nplv_shared import audit
from nplv_shared.tracing import TraceParent
from nplv_shared.verwerkingen import Verwerking, now_ms
from tests.service.test_gebieden_use_cases import BZK, PUBLISHER, area, invoer

CONTEXT = TraceParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")


def line() -> Verwerking:
    return Verwerking(context=CONTEXT, parent_span_id=None, name="createInterventie",
                      activity=INTERVENTIES_REGISTREREN, start_ms=now_ms(), end_ms=now_ms())


class TestCollector:
    async def test_create_update_delete_are_collected_with_before_and_after(
            self, gebieden_session: AsyncSession) -> None:
        code = await area(gebieden_session)
        service = InterventieService(gebieden_session, PUBLISHER)
        audit.start_audit(gebieden_session)
        created = await service.create(invoer(code, titel="Eerst"), BZK)
        await service.replace(created.id, invoer(code, titel="Daarna"), BZK, '"1"')
        await service.delete(created.id, BZK, '"2"')
        changes = [c for c in audit.collected(gebieden_session) if c.resource == "interventie"]
        assert [c.operatie for c in changes] == ["aanmaken", "wijzigen", "verwijderen"]
        assert {c.resource_id for c in changes} == {str(created.id)}
        made, changed, deleted = changes
        assert made.voor is None
        assert made.na is not None
        assert (made.na["titel"], made.na["geplande_output"]) == ("Eerst", "120.50")
        assert changed.voor == {"titel": "Eerst"}
        assert changed.na == {"titel": "Daarna"}
        assert deleted.na is None
        assert deleted.voor is not None
        assert deleted.voor["titel"] == "Daarna"

    async def test_a_session_that_is_not_audited_collects_nothing(
            self, gebieden_session: AsyncSession) -> None:
        await area(gebieden_session)
        assert audit.collected(gebieden_session) == []
        with pytest.raises(RuntimeError):
            audit.record(gebieden_session, audit.Wijziging("importeren", "x", "1"))


class TestRows:
    async def test_rows_name_who_the_trace_and_the_activity(
            self, gebieden_session: AsyncSession) -> None:
        code = await area(gebieden_session)
        audit.start_audit(gebieden_session)
        created = await InterventieService(gebieden_session, PUBLISHER).create(invoer(code), BZK)
        audit.record(gebieden_session, audit.Wijziging(
            "importeren", "import", "imp-1", details={"aantal": 3}))
        await VERANTWOORDING.record(gebieden_session, line(), audit.collected(gebieden_session),
                                    BZK, method="POST", path="/v1/interventies")
        log = traceability.verwerkingslog
        [processing] = (await gebieden_session.execute(select(log))).all()
        assert (processing.trace_id, processing.span_id) == (CONTEXT.trace_id, CONTEXT.span_id)
        table = traceability.audit
        rows = (await gebieden_session.execute(select(table).order_by(table.c.id))).all()
        assert [(r.operatie, r.resource) for r in rows] == [
            ("aanmaken", "interventie"), ("importeren", "import")]
        row = rows[0]
        assert (row.client_id, row.organisatie, row.oin) == ("bzk-systeem", "BZK", None)
        assert (row.trace_id, row.span_id) == (CONTEXT.trace_id, CONTEXT.span_id)
        assert row.resource_id == str(created.id)
        assert row.verwerkingsactiviteit == "urn:nplv:verwerkingsactiviteit:" \
                                            "interventies-registreren:v1"
        assert rows[1].details == {"aantal": 3}

    @pytest.mark.parametrize("statement", ["update", "delete"])
    async def test_the_table_refuses_update_and_delete(
            self, gebieden_session: AsyncSession, statement: str) -> None:
        audit.start_audit(gebieden_session)
        audit.record(gebieden_session, audit.Wijziging("importeren", "import", "imp-1"))
        await VERANTWOORDING.record(gebieden_session, line(), audit.collected(gebieden_session),
                                    LOADER)
        table = traceability.audit
        change = (update(table).values(client_id="iemand-anders") if statement == "update"
                  else delete(table))
        with pytest.raises(DBAPIError, match="auditlog kan niet"):
            async with gebieden_session.begin_nested():
                await gebieden_session.execute(change)
