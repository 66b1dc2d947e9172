"""Builds the progress views from the materialised rows: per focusgebied (the default
everywhere), per actielijn over all focusgebieden, and the programme overview.

Across areas, an indicator is combined by its combination rule, never by averaging
percentages: `optelbaar` adds the areas' nulmetingen, latest values and targets; `gewogen-
inwoners` weighs them by the areas' inhabitants (from gebieden); `gewogen-huishoudens` and
`gewogen-leerlingen` need weights the programme's data does not carry, and `niet-combineerbaar`
is not combined: those are shown per focusgebied only, and the response says why. Status counts,
interventies and money add up.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from nplv_shared.problems import NotFound
from rapportage.berekening import richting_teken, tekst
from rapportage.voortgang.repository import VoortgangRepository
from rapportage.voortgang.schemas import (
    Achterstand,
    ActielijnOverzicht,
    ActielijnVoortgang,
    FocusgebiedSamenvatting,
    FocusgebiedVoortgang,
    GebiedActielijn,
    Gecombineerd,
    Geld,
    IndicatorVoortgang,
    IndicatorWeergave,
    JaarGeld,
    NationaleContext,
    Output,
    ProgrammaActielijn,
    ProgrammaGebied,
    Programmaoverzicht,
    Stand,
    StatusAantal,
)

ACTIELIJNEN = (1, 2, 3, 4)
STATUSSEN = ("op-koers", "risico", "achter", "onvoldoende-gegevens")
NUL = Decimal("0.00")
VIER = Decimal("0.0001")
SORTEERBAAR = ("focusgebied", "naam", "gemeente", "op-koers", "risico", "achter",
               "onvoldoende-gegevens", "interventies", "toegekend", "betaald")


def achterstand(rows: Iterable[Any]) -> Achterstand:
    rows = list(rows)
    if not rows:
        return Achterstand(events=0, seconden=None, bijgewerkt_tot=None, gemeten_op=None)
    events = sum(max(r.eind - r.positie, 0) for r in rows)
    tot: list[datetime | None] = [r.gemeten_op if r.positie >= r.eind else r.bij_tot
                                  for r in rows]
    nu = rows[0].nu
    bekend = [t for t in tot if t is not None]
    bijgewerkt = min(bekend) if len(bekend) == len(tot) else None
    return Achterstand(
        events=events, bijgewerkt_tot=bijgewerkt, gemeten_op=min(r.gemeten_op for r in rows),
        seconden=None if bijgewerkt is None else round(max((nu - bijgewerkt).total_seconds(),
                                                           0.0), 3))


def _stand(row: Any) -> Stand:
    # '' : a fact from before provenance was kept (the migration's rebuild fills it in)
    return Stand(laatste_event_id=row.laatste_event_id or None,
                 laatste_event_tijd=row.laatste_event_tijd, bijgewerkt_op=row.bijgewerkt_op)


def _laatste(events: Iterable[tuple[Any, str] | None]) -> Stand:
    """The freshness of a group of rows: the latest of their events (time, then id)."""
    known = [e for e in events if e is not None and e[1]]
    if not known:
        return Stand(laatste_event_id=None, laatste_event_tijd=None, bijgewerkt_op=None)
    tijd, event_id = max(known)
    return Stand(laatste_event_id=event_id, laatste_event_tijd=tijd, bijgewerkt_op=None)


def _indicator(row: Any) -> IndicatorVoortgang:
    return IndicatorVoortgang.model_validate({**row.gegevens, "stand": _stand(row)})


def _per_status(statussen: Iterable[str]) -> list[StatusAantal]:
    counts = Counter(statussen)
    return [StatusAantal(status=s, aantal=counts.get(s, 0)) for s in STATUSSEN]


def _geld(rows: Iterable[Any]) -> Geld:
    sums = {"toegekend": NUL, "verplicht": NUL, "betaald": NUL}
    for r in rows:
        for key in sums:
            sums[key] += getattr(r, key)
    return Geld(**sums, resterend=sums["toegekend"] - sums["betaald"])


def _interventies(rows: Iterable[Any]) -> tuple[int, list[StatusAantal], list[Output]]:
    per_status: dict[str, int] = defaultdict(int)
    output: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in rows:
        per_status[row.status] += row.aantal
        if row.output_eenheid:
            output[row.output_eenheid][0] += row.geplande_output
            output[row.output_eenheid][1] += row.gerealiseerde_output
    return (sum(per_status.values()),
            [StatusAantal(status=s, aantal=n) for s, n in sorted(per_status.items())],
            [Output(eenheid=e, gepland=g, gerealiseerd=r) for e, (g, r) in sorted(output.items())])


def _groepeer(rows: Iterable[Any], *keys: str) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        key = tuple(getattr(row, k) for k in keys)
        grouped[key[0] if len(keys) == 1 else key].append(row)
    return grouped


class VoortgangService:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = VoortgangRepository(session)

    async def achterstand(self) -> Achterstand:
        return achterstand(await self.repo.posities())

    async def _gebied(self, code: str) -> Any:
        rows = await self.repo.gebieden([code])
        if not rows:
            raise NotFound(f"Focusgebied {code} is (nog) niet bekend bij de rapportage.")
        return rows[0]

    async def focusgebied(self, code: str) -> FocusgebiedVoortgang:
        gebied = await self._gebied(code)
        interventies = _groepeer(await self.repo.interventies([code]), "actielijn")
        indicatoren = _groepeer(await self.repo.indicatoren([code]), "actielijn")
        geld = _groepeer(await self.repo.geld([code]), "actielijn")
        interventie_stand = await self.repo.interventie_stand(code)
        actielijnen = []
        for nummer in ACTIELIJNEN:
            aantal, per_status, output = _interventies(interventies.get(nummer, []))
            ind = [_indicator(r) for r in indicatoren.get(nummer, [])]
            actielijnen.append(ActielijnVoortgang(
                actielijn=nummer, aantal_interventies=aantal, per_status=per_status,
                output=output, indicatoren_per_status=_per_status(i.status for i in ind),
                indicatoren=ind, geld=_geld(geld.get(nummer, [])),
                geld_per_jaar=[JaarGeld(jaar=jaar, **_geld(rs).model_dump())
                               for jaar, rs in sorted(_groepeer(geld.get(nummer, []),
                                                                "jaar").items())],
                stand=_laatste([interventie_stand.get(nummer), *(
                    (r.laatste_event_tijd, r.laatste_event_id)
                    for r in (*indicatoren.get(nummer, []), *geld.get(nummer, [])))])))
        return FocusgebiedVoortgang(
            focusgebied=gebied.code, naam=gebied.naam, gemeente=gebied.gemeente,
            actielijnen=actielijnen, stand=_stand(gebied),
            achterstand=await self.achterstand())

    async def indicator(self, code: str, indicator_code: str) -> IndicatorWeergave:
        await self._gebied(code)
        rows = await self.repo.indicatoren([code], indicator_code=indicator_code)
        if not rows:
            raise NotFound(f"Geen voortgang van indicator {indicator_code} in focusgebied "
                           f"{code}: de indicator is (nog) niet bekend of geldt hier niet.")
        return IndicatorWeergave(focusgebied=code, voortgang=_indicator(rows[0]),
                                 achterstand=await self.achterstand())

    async def summaries(self, *, gemeente: str | None, offset: int,
                        limit: int) -> tuple[list[FocusgebiedSamenvatting], int]:
        rows, total = await self.repo.summaries(gemeente=gemeente, offset=offset, limit=limit)
        return [FocusgebiedSamenvatting(focusgebied=r.code, naam=r.naam, gemeente=r.gemeente,
                                        aantal_interventies=r.aantal) for r in rows], total

    async def actielijn(self, nummer: int) -> ActielijnOverzicht:
        gebieden = {g.code: g for g in await self.repo.gebieden()}
        codes = list(gebieden)
        interventies = list(await self.repo.interventies(codes, nummer))
        indicatoren = await self.repo.indicatoren(codes, nummer)
        geld = await self.repo.geld(codes, nummer)
        aantal, per_status, output = _interventies(interventies)
        per_gebied_int = _groepeer(interventies, "focusgebied")
        per_gebied_ind = _groepeer(indicatoren, "focusgebied")
        per_gebied_geld = _groepeer(geld, "focusgebied")
        gecombineerd = [combineer(rows, gebieden) for _, rows in
                        sorted(_groepeer(indicatoren, "indicator").items())]
        return ActielijnOverzicht(
            actielijn=nummer, indicatoren_per_status=_per_status(r.status for r in indicatoren),
            indicatoren=gecombineerd, aantal_interventies=aantal, per_status=per_status,
            output=output, geld=_geld(geld),
            per_focusgebied=[GebiedActielijn(
                focusgebied=g.code, naam=g.naam, gemeente=g.gemeente,
                indicatoren_per_status=_per_status(
                    r.status for r in per_gebied_ind.get(g.code, [])),
                aantal_interventies=sum(r.aantal for r in per_gebied_int.get(g.code, [])),
                geld=_geld(per_gebied_geld.get(g.code, [])), stand=_stand(g))
                for g in gebieden.values()],
            achterstand=await self.achterstand())

    async def programma(self, sorteer: str | None) -> Programmaoverzicht:
        gebieden = await self.repo.gebieden()
        codes = [g.code for g in gebieden]
        interventies = _groepeer(await self.repo.interventies(codes), "focusgebied",
                                 "actielijn")
        indicatoren = _groepeer(await self.repo.indicatoren(codes), "focusgebied", "actielijn")
        geld = _groepeer(await self.repo.geld(codes), "focusgebied", "actielijn")
        overzicht = [ProgrammaGebied(
            focusgebied=g.code, naam=g.naam, gemeente=g.gemeente, stand=_stand(g),
            actielijnen=[ProgrammaActielijn(
                actielijn=a,
                indicatoren_per_status=_per_status(
                    r.status for r in indicatoren.get((g.code, a), [])),
                aantal_interventies=sum(r.aantal for r in interventies.get((g.code, a), [])),
                geld=_geld(geld.get((g.code, a), []))) for a in ACTIELIJNEN])
            for g in gebieden]
        if sorteer:
            overzicht = _sorteer(overzicht, sorteer)
        return Programmaoverzicht(
            focusgebieden=overzicht,
            nederland=[NationaleContext(indicator=r.code, naam=r.naam, actielijn=r.actielijn,
                                        periode=r.periode,
                                        waarde=None if r.waarde is None else tekst(r.waarde))
                       for r in await self.repo.nederland()],
            achterstand=await self.achterstand())


def _sorteer(gebieden: list[ProgrammaGebied], sorteer: str) -> list[ProgrammaGebied]:
    """`sorteer`: a key of SORTEERBAAR, `-` in front for descending; the client chooses, the
    default is by code (no ranking)."""
    aflopend = sorteer.startswith("-")
    key = sorteer.lstrip("-")

    def waarde(g: ProgrammaGebied) -> Any:
        if key in ("focusgebied", "naam", "gemeente"):
            return getattr(g, key)
        if key == "interventies":
            return sum(a.aantal_interventies for a in g.actielijnen)
        if key in ("toegekend", "betaald"):
            return sum(getattr(a.geld, key) for a in g.actielijnen)
        return sum(s.aantal for a in g.actielijnen for s in a.indicatoren_per_status
                   if s.status == key)

    return sorted(gebieden, key=lambda g: (waarde(g), g.focusgebied), reverse=aflopend)


def combineer(rows: list[Any], gebieden: dict[str, Any]) -> Gecombineerd:
    eerste = rows[0].gegevens
    regel = eerste["combinatie"]
    basis = {"indicator": eerste["indicator"], "naam": eerste["naam"], "combinatie": regel,
                 "per_status": _per_status(r.status for r in rows)}
    compleet = [r for r in rows if r.gegevens["voortgang"] is not None]
    leeg: dict[str, Any] = {"gebieden_meegeteld": [], "nulmeting": None, "laatste": None,
                            "streefwaarde": None, "voortgang": None}
    if regel in ("gewogen-huishoudens", "gewogen-leerlingen"):
        wat = regel.removeprefix("gewogen-")
        return Gecombineerd(**basis, **leeg, toelichting=(
            f"Gewogen naar {wat}; die aantallen per focusgebied levert het programma niet, dus "
            "deze indicator is alleen per focusgebied te lezen (geen gemiddelde van "
            "percentages)."))
    if regel != "optelbaar" and regel != "gewogen-inwoners":
        return Gecombineerd(**basis, **leeg, toelichting=(
            "Niet combineerbaar over gebieden: alleen per focusgebied te lezen."))
    if regel == "gewogen-inwoners":
        zonder = [r.focusgebied for r in compleet if not gebieden[r.focusgebied].inwoners]
        if zonder:
            return Gecombineerd(**basis, **leeg, toelichting=(
                "Gewogen naar inwoners, maar van " + ", ".join(zonder) + " is het aantal "
                "inwoners niet bekend: alleen per focusgebied te lezen."))
    if not compleet:
        return Gecombineerd(**basis, **leeg, toelichting=(
            "Nog geen focusgebied met nulmeting, meting en streefwaarde."))

    def gewicht(r: Any) -> Decimal:
        return Decimal(1) if regel == "optelbaar" else Decimal(gebieden[r.focusgebied].inwoners)

    totaal = sum((gewicht(r) for r in compleet), Decimal(0))

    def veld_over_gebieden(veld: str) -> Decimal:
        som = sum((gewicht(r) * Decimal(_waarde(r.gegevens[veld])) for r in compleet),
                  Decimal(0))
        return som if regel == "optelbaar" else (som / totaal).quantize(VIER)

    nul, laatste, streef = (veld_over_gebieden("nulmeting"), veld_over_gebieden("laatsteMeting"),
                            veld_over_gebieden("streefwaarde"))
    richting = eerste["richting"]
    voortgang = None
    if streef != nul:
        voortgang = ((laatste - nul) / (streef - nul) if richting == "neutraal" else
                     richting_teken(richting) * (laatste - nul) / abs(streef - nul))
    return Gecombineerd(
        **basis, gebieden_meegeteld=sorted(r.focusgebied for r in compleet),
        nulmeting=tekst(nul), laatste=tekst(laatste), streefwaarde=tekst(streef),
        voortgang=None if voortgang is None else tekst(voortgang.quantize(VIER)),
        toelichting=("Opgeteld over de meegetelde gebieden (elk met zijn eigen laatste "
                     "periode)." if regel == "optelbaar" else
                     "Gewogen gemiddelde naar inwoners over de meegetelde gebieden (elk met "
                     "zijn eigen laatste periode)."))


def _waarde(item: dict[str, Any]) -> str:
    return str(item["waarde"])
