"""The programme's gemeenten and focusgebieden as indicatoren knows them: a reference copy of
the programme document, loaded by the loader (services share no database). Metingen,
nulmetingen and streefwaarden are validated against it."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren.referentie.repository import ReferentieRepository
from indicatoren.referentie.schemas import Gebied
from nplv_shared.db import SessionDep
from nplv_shared.problems import NotFound


@dataclass(frozen=True)
class Gebieden:
    """All known areas at once (20 focusgebieden, 19 gemeenten): for batch validation."""

    focusgebieden: dict[str, str]  # code → gemeente
    gemeenten: frozenset[str]
    namen: dict[str, str]  # code → naam (focusgebieden and gemeenten)


class ReferentieService:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = ReferentieRepository(session)

    async def gemeente_of(self, focusgebied: str) -> str | None:
        record = await self.repo.focusgebied(focusgebied)
        return record.gemeente if record else None

    async def focusgebieden(self) -> list[Gebied]:
        return [Gebied.model_validate(f) for f in await self.repo.focusgebieden()]

    async def focusgebied(self, code: str) -> Gebied:
        record = await self.repo.focusgebied(code)
        if record is None:
            raise NotFound(f"Focusgebied {code} bestaat niet.")
        return Gebied.model_validate(record)

    async def gebieden(self) -> Gebieden:
        focus = await self.repo.focusgebieden()
        gemeenten = await self.repo.gemeenten()
        return Gebieden(
            focusgebieden={f.code: f.gemeente for f in focus},
            gemeenten=frozenset(g.code for g in gemeenten),
            namen={**{g.code: g.naam for g in gemeenten}, **{f.code: f.naam for f in focus}})

    async def load(self, gemeenten: list[dict[str, str]],
                   focusgebieden: list[dict[str, str]]) -> int:
        return await self.repo.add_missing(gemeenten, focusgebieden)


async def referentie_service(session: SessionDep) -> ReferentieService:
    """The dependency routers use (async: FastAPI would run a plain constructor in a thread)."""
    return ReferentieService(session)
