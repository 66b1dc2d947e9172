"""Use cases for focusgebieden and their alliantie and uitvoeringsprogramma."""

from sqlalchemy.ext.asyncio import AsyncSession

from gebieden import events
from gebieden.concurrency import check_if_match
from gebieden.focusgebieden.models import Alliantie, Focusgebied, Uitvoeringsprogramma
from gebieden.focusgebieden.repository import FocusgebiedRepository
from gebieden.focusgebieden.schemas import (
    AlliantieInvoer,
    FocusgebiedInvoer,
    UitvoeringsprogrammaInvoer,
)
from gebieden.gemeenten.models import Gemeente
from gebieden.interventies.repository import InterventieRepository
from gebieden.permissions import ensure_may_manage_gemeente
from gebieden.upsert import upsert
from nplv_shared.auth import Principal
from nplv_shared.problems import BadRequest, Conflict, InvalidParam, NotFound


class FocusgebiedService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.repo = FocusgebiedRepository(session)

    async def list(self, *, gemeente: str | None, offset: int,
                   limit: int) -> tuple[list[Focusgebied], int]:
        return await self.repo.list(gemeente=gemeente, offset=offset, limit=limit)

    async def get(self, code: str) -> Focusgebied:
        focusgebied = await self.repo.get(code)
        if focusgebied is None:
            raise NotFound(f"Focusgebied {code} bestaat niet.")
        return focusgebied

    async def put(self, code: str, invoer: FocusgebiedInvoer,
                  if_match: str | None) -> tuple[Focusgebied, bool]:
        if await self.session.get(Gemeente, invoer.gemeente) is None:
            raise BadRequest(f"Gemeente {invoer.gemeente} hoort niet bij het programma.",
                             invalid_params=[InvalidParam(name="body.gemeente", code="unknown",
                                                          reason="onbekende gemeente")])
        state = {"naam": invoer.naam, "gemeente_code": invoer.gemeente,
                 "inwoners": invoer.inwoners,
                 "gebiedsdelen": [d.model_dump(mode="json", by_alias=True)
                                  for d in invoer.gebiedsdelen]}
        saved = await upsert(self.session, await self.repo.get(code, for_update=True),
                             lambda: Focusgebied(code=code), state, if_match)
        focusgebied = saved.obj
        if not saved.changed:
            return focusgebied, False
        event_class = (events.FocusgebiedAangemaakt if saved.created
                       else events.FocusgebiedGewijzigd)
        data = event_class(code=code, naam=focusgebied.naam, gemeente=focusgebied.gemeente_code,
                           inwoners=focusgebied.inwoners, gebiedsdelen=focusgebied.gebiedsdelen)
        await events.publish(self.session, data, subject=f"focusgebieden/{code}", key=code,
                             sequence=focusgebied.versie)
        return focusgebied, saved.created

    async def delete(self, code: str, if_match: str | None) -> None:
        focusgebied = await self.repo.get(code, for_update=True)
        if focusgebied is None:
            raise NotFound(f"Focusgebied {code} bestaat niet.")
        check_if_match(if_match, focusgebied.versie)
        if await InterventieRepository(self.session).exists_in_focusgebied(code):
            raise Conflict(f"Focusgebied {code} heeft nog interventies; verwijder die eerst.")
        await self.repo.delete(focusgebied)
        data = events.FocusgebiedVerwijderd(code=code, gemeente=focusgebied.gemeente_code)
        await events.publish(self.session, data, subject=f"focusgebieden/{code}", key=code,
                             sequence=focusgebied.versie + 1)

    async def get_alliantie(self, code: str) -> Alliantie:
        await self.get(code)
        alliantie = await self.session.get(Alliantie, code)
        if alliantie is None:
            raise NotFound(f"Voor focusgebied {code} is nog geen alliantie vastgelegd.")
        return alliantie

    async def put_alliantie(self, code: str, invoer: AlliantieInvoer, principal: Principal | None,
                            if_match: str | None) -> tuple[Alliantie, bool]:
        focusgebied = await self.get(code)
        if principal is not None:
            ensure_may_manage_gemeente(principal, focusgebied.gemeente_code)
        body = invoer.model_dump(mode="json", by_alias=True)
        state = {key: body[key] for key in
                 ("voorzitter", "rijksvertegenwoordiger", "partners", "programmabureau")}
        saved = await upsert(self.session, await self.repo.alliantie(code),
                             lambda: Alliantie(focusgebied_code=code), state, if_match)
        if saved.changed:
            event_class = (events.AlliantieAangemaakt if saved.created
                           else events.AlliantieGewijzigd)
            await events.publish(self.session, event_class(focusgebied=code, **state),
                                 subject=f"focusgebieden/{code}/alliantie", key=code,
                                 sequence=saved.obj.versie)
        return saved.obj, saved.created

    async def get_uitvoeringsprogramma(self, code: str) -> Uitvoeringsprogramma:
        await self.get(code)
        programma = await self.session.get(Uitvoeringsprogramma, code)
        if programma is None:
            raise NotFound(f"Voor focusgebied {code} is nog geen uitvoeringsprogramma vastgelegd.")
        return programma

    async def put_uitvoeringsprogramma(self, code: str, invoer: UitvoeringsprogrammaInvoer,
                                       principal: Principal, if_match: str | None,
                                       ) -> tuple[Uitvoeringsprogramma, bool]:
        focusgebied = await self.get(code)
        ensure_may_manage_gemeente(principal, focusgebied.gemeente_code)
        state = {"status": invoer.status.value, "vastgesteld_op": invoer.vastgesteld_op,
                 "onderdelen": [o.model_dump(mode="json", by_alias=True)
                                for o in invoer.onderdelen]}
        saved = await upsert(self.session, await self.repo.uitvoeringsprogramma(code),
                             lambda: Uitvoeringsprogramma(focusgebied_code=code), state, if_match)
        programma = saved.obj
        if not saved.changed:
            return programma, False
        event_class = (events.UitvoeringsprogrammaAangemaakt if saved.created
                       else events.UitvoeringsprogrammaGewijzigd)
        data = event_class(focusgebied=code, status=programma.status,
                           vastgesteldOp=programma.vastgesteld_op,
                           onderdelen=programma.onderdelen)
        await events.publish(self.session, data, subject=f"focusgebieden/{code}/"
                             "uitvoeringsprogramma", key=code, sequence=programma.versie)
        return programma, saved.created

