"""The report as CSV, one table at a time, for analysts: UTF-8 (no byte order mark), comma
separated, a header row, decimals with a point and never in exponent form, dates ISO 8601,
`true`/`false`, an empty field for a missing value. Every column is documented here; the same
text is in the OpenAPI document and the README."""

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from rapportage.berekening import tekst
from rapportage.voortgang.schemas import Kloof
from rapportage.voortgangsrapportage.schemas import RapportIndicator, Voortgangsrapport

Kolommen = list[tuple[str, str]]

GEBIED: Kolommen = [("periode", "Het halfjaar van het rapport, bv. 2024S1"),
                    ("focusgebied", "Code van het focusgebied"),
                    ("gemeente", "CBS-code van de gemeente (GMxxxx)"),
                    ("actielijn", "Actielijn 1–4")]
GELD: Kolommen = [
    ("toegekend", "Toegekend bedrag in euro (begrotingsjaren t/m het jaar van de periode)"),
    ("verplicht", "Verplicht in euro, gedateerd t/m het einde van de periode"),
    ("betaald", "Betaald in euro, gedateerd t/m het einde van de periode"),
    ("resterend", "Toegekend min betaald, in euro")]

TABELLEN: dict[str, Kolommen] = {
    "indicatoren": [*GEBIED,
        ("indicator", "Code van de indicator"), ("naam", "Naam van de indicator"),
        ("eenheid", "Eenheid van de waarden"),
        ("richting", "hoger-is-beter, lager-is-beter of neutraal"),
        ("nulmeting_periode", "Periode van de nulmeting"), ("nulmeting", "Waarde van de nulmeting"),
        ("laatste_periode", "Periode van de laatste meting t/m het einde van het halfjaar"),
        ("laatste_waarde", "Waarde van die meting"),
        ("laatste_status", "voorlopig of definitief"),
        ("streefwaarde_periode", "Doelperiode van de streefwaarde waartegen de status is bepaald"),
        ("streefwaarde", "Die streefwaarde"),
        ("voortgang", "(laatste − nulmeting) / |streefwaarde − nulmeting|, met het teken van de "
                      "richting"),
        ("verwachte_voortgang", "Verstreken deel van het rechte traject (0–1)"),
        ("trajectwaarde", "Waarde van het rechte traject bij de laatste meting"),
        ("status", "op-koers, risico, achter of onvoldoende-gegevens"),
        ("prognose", "verwacht, bereikt, niet-bij-huidig-tempo of onvoldoende-gegevens"),
        ("prognose_periode", "Periode waarin de trend de streefwaarde bereikt"),
        ("trend_per_jaar", "Helling van de trendlijn per jaar"),
        ("rest_gemeente_periode", "Laatste periode die gebied en rest van de gemeente delen"),
        ("rest_gemeente_waarde", "Waarde van de rest van de gemeente in die periode"),
        ("kloof_rest_gemeente", "Gebied min rest van de gemeente (leeg voor aantallen)"),
        ("nederland_periode", "Laatste periode die gebied en Nederland delen"),
        ("nederland_waarde", "Waarde van Nederland in die periode"),
        ("kloof_nederland", "Gebied min Nederland (leeg voor aantallen)")],
    "metingen": [*GEBIED,
        ("indicator", "Code van de indicator"),
        ("regio", "Het focusgebied, GMxxxx-rest of NL01"),
        ("soort", "focusgebied, rest-gemeente of nederland"),
        ("meting_periode", "Periode van de meting"), ("waarde", "Gemeten waarde"),
        ("status", "voorlopig of definitief")],
    "interventies": [*GEBIED,
        ("id", "Id van de interventie"), ("titel", "Titel van de interventie"),
        ("ministerie", "Eigenaar (ministerie)"),
        ("status", "Status aan het einde van de periode"),
        ("startdatum", "Startdatum (ISO 8601)"), ("einddatum", "Einddatum (ISO 8601)"),
        ("output_eenheid", "Eenheid van de output"),
        ("geplande_output", "Geplande output aan het einde van de periode"),
        ("gerealiseerde_output", "Gerealiseerde output aan het einde van de periode"),
        ("gestart_in_periode", "true als de startdatum in het halfjaar ligt"),
        ("beeindigd_in_periode", "true als de einddatum in het halfjaar ligt"),
        ("nagemeld", "true als pas na de periode vastgelegd")],
    "geld": [*GEBIED, *GELD,
        ("verplicht_in_periode", "Verplicht in euro, gedateerd in het halfjaar"),
        ("betaald_in_periode", "Betaald in euro, gedateerd in het halfjaar")],
    "geld-per-jaar": [*GEBIED, ("jaar", "Begrotingsjaar"), *GELD],
    "programma": [
        ("periode", "Het halfjaar van het rapport"), ("actielijn", "Actielijn 1–4"),
        ("op_koers", "Aantal indicatoren × gebieden op koers"),
        ("risico", "Aantal indicatoren × gebieden met risico"),
        ("achter", "Aantal indicatoren × gebieden achter"),
        ("onvoldoende_gegevens", "Aantal indicatoren × gebieden met onvoldoende gegevens"),
        ("interventies", "Aantal interventies"),
        ("gestart_in_periode", "Interventies gestart in het halfjaar"),
        ("beeindigd_in_periode", "Interventies beëindigd in het halfjaar"),
        *GELD, ("verplicht_in_periode", "Verplicht in het halfjaar, in euro"),
        ("betaald_in_periode", "Betaald in het halfjaar, in euro")],
}


def beschrijving() -> str:
    """The columns of every table, as Markdown (for the OpenAPI document)."""
    return "\n\n".join(f"**{naam}**: " + "; ".join(f"`{k}` {t}" for k, t in kolommen)
                       for naam, kolommen in TABELLEN.items())


def _veld(waarde: Any) -> str:
    if waarde is None:
        return ""
    if isinstance(waarde, bool):
        return "true" if waarde else "false"
    if isinstance(waarde, Decimal):
        return tekst(waarde)
    if isinstance(waarde, date):
        return waarde.isoformat()
    return str(waarde)


def csv_tekst(rapport: Voortgangsrapport, tabel: str) -> str:
    kolommen = [k for k, _ in TABELLEN[tabel]]
    uit = io.StringIO()
    writer = csv.writer(uit, lineterminator="\r\n")  # RFC 4180
    writer.writerow(kolommen)
    for rij in RIJEN[tabel](rapport):
        writer.writerow([_veld(rij.get(k)) for k in kolommen])
    return uit.getvalue()


def _gebieden(rapport: Voortgangsrapport) -> Iterator[tuple[dict[str, Any], Any]]:
    for g in rapport.focusgebieden:
        for a in g.actielijnen:
            yield ({"periode": rapport.periode, "focusgebied": g.focusgebied,
                    "gemeente": g.gemeente, "actielijn": a.actielijn}, a)


def _kloof(i: RapportIndicator, soort: str) -> Kloof | None:
    return next((k for k in i.vergelijking if k.soort == soort), None)


def _indicatoren(rapport: Voortgangsrapport) -> Iterator[dict[str, Any]]:
    for basis, a in _gebieden(rapport):
        for i in a.indicatoren:
            rest, nl = _kloof(i, "rest-gemeente"), _kloof(i, "nederland")
            yield {**basis, "indicator": i.indicator, "naam": i.naam, "eenheid": i.eenheid,
                   "richting": i.richting,
                   "nulmeting_periode": i.nulmeting and i.nulmeting.periode,
                   "nulmeting": i.nulmeting and i.nulmeting.waarde,
                   "laatste_periode": i.laatste_meting and i.laatste_meting.periode,
                   "laatste_waarde": i.laatste_meting and i.laatste_meting.waarde,
                   "laatste_status": i.laatste_meting and i.laatste_meting.status,
                   "streefwaarde_periode": i.streefwaarde and i.streefwaarde.periode,
                   "streefwaarde": i.streefwaarde and i.streefwaarde.waarde,
                   "voortgang": i.voortgang, "verwachte_voortgang": i.verwachte_voortgang,
                   "trajectwaarde": i.trajectwaarde, "status": i.status,
                   "prognose": i.prognose.uitkomst, "prognose_periode": i.prognose.periode,
                   "trend_per_jaar": i.prognose.trend_per_jaar,
                   "rest_gemeente_periode": rest and rest.periode,
                   "rest_gemeente_waarde": rest and rest.waarde,
                   "kloof_rest_gemeente": rest and rest.kloof,
                   "nederland_periode": nl and nl.periode, "nederland_waarde": nl and nl.waarde,
                   "kloof_nederland": nl and nl.kloof}


def _metingen(rapport: Voortgangsrapport) -> Iterator[dict[str, Any]]:
    for basis, a in _gebieden(rapport):
        for i in a.indicatoren:
            reeksen = [(basis["focusgebied"], "focusgebied", i.reeks),
                       *((v.regio, v.soort, v.punten) for v in i.vergelijkingsreeksen)]
            for regio, soort, punten in reeksen:
                for p in punten:
                    yield {**basis, "indicator": i.indicator, "regio": regio, "soort": soort,
                           "meting_periode": p.periode, "waarde": p.waarde, "status": p.status}


def _interventies(rapport: Voortgangsrapport) -> Iterator[dict[str, Any]]:
    for basis, a in _gebieden(rapport):
        for i in a.interventies.lijst:
            yield {**basis, **i.model_dump()}


def _geld(rapport: Voortgangsrapport) -> Iterator[dict[str, Any]]:
    for basis, a in _gebieden(rapport):
        yield {**basis, **a.geld.model_dump()}


def _geld_per_jaar(rapport: Voortgangsrapport) -> Iterator[dict[str, Any]]:
    for basis, a in _gebieden(rapport):
        for j in a.geld_per_jaar:
            yield {**basis, **j.model_dump()}


def _programma(rapport: Voortgangsrapport) -> Iterator[dict[str, Any]]:
    for a in rapport.programma.actielijnen:
        yield {"periode": rapport.periode, "actielijn": a.actielijn,
               **{s.status.replace("-", "_"): s.aantal for s in a.indicatoren_per_status},
               "interventies": a.interventies.aantal,
               "gestart_in_periode": a.interventies.gestart_in_periode,
               "beeindigd_in_periode": a.interventies.beeindigd_in_periode,
               **a.geld.model_dump()}


RIJEN: dict[str, Callable[[Voortgangsrapport], Iterator[dict[str, Any]]]] = {
    "indicatoren": _indicatoren, "metingen": _metingen, "interventies": _interventies,
    "geld": _geld, "geld-per-jaar": _geld_per_jaar, "programma": _programma}
