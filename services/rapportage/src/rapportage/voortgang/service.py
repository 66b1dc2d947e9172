"""Builds the progress view of a focusgebied from the materialised rows."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from nplv_shared.problems import NotFound
from rapportage.voortgang.repository import VoortgangRepository
from rapportage.voortgang.schemas import (
    ActielijnVoortgang,
    FocusgebiedSamenvatting,
    FocusgebiedVoortgang,
    Output,
    Stand,
    StatusAantal,
)


class VoortgangService:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = VoortgangRepository(session)

    async def focusgebied(self, code: str) -> FocusgebiedVoortgang:
        rows = await self.repo.view(code)
        if not rows:
            raise NotFound(f"Focusgebied {code} is (nog) niet bekend bij de rapportage.")
        gebied = rows[0]
        view_rows = [r for r in rows if r.actielijn is not None]
        return FocusgebiedVoortgang(
            focusgebied=gebied.code, naam=gebied.naam, gemeente=gebied.gemeente,
            actielijnen=[_actielijn(nummer, rs)
                         for nummer, rs in _by_actielijn(view_rows).items()],
            stand=Stand(laatste_event_id=gebied.laatste_event_id,
                        laatste_event_tijd=gebied.laatste_event_tijd,
                        bijgewerkt_op=gebied.bijgewerkt_op),
        )

    async def summaries(self, *, gemeente: str | None, offset: int,
                        limit: int) -> tuple[list[FocusgebiedSamenvatting], int]:
        rows, total = await self.repo.summaries(gemeente=gemeente, offset=offset, limit=limit)
        return [FocusgebiedSamenvatting(focusgebied=r.code, naam=r.naam, gemeente=r.gemeente,
                                        aantal_interventies=r.aantal) for r in rows], total


def _by_actielijn(rows: list[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.actielijn].append(row)
    return dict(sorted(grouped.items()))


def _actielijn(nummer: int, rows: list[Any]) -> ActielijnVoortgang:
    per_status: dict[str, int] = defaultdict(int)
    output: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in rows:
        per_status[row.status] += row.aantal
        if row.output_eenheid:
            output[row.output_eenheid][0] += row.geplande_output
            output[row.output_eenheid][1] += row.gerealiseerde_output
    return ActielijnVoortgang(
        actielijn=nummer, aantal_interventies=sum(per_status.values()),
        per_status=[StatusAantal(status=s, aantal=n) for s, n in sorted(per_status.items())],
        output=[Output(eenheid=e, gepland=g, gerealiseerd=r)
                for e, (g, r) in sorted(output.items())],
    )
