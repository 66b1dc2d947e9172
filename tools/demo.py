"""`make demo`: loads the DEMO data set into a running system, through the public APIs only.

    make up && make demo
    .venv/bin/python tools/demo.py [--gebieden URL] [--indicatoren URL] [--financien URL]
                                   [--rapportage URL] [--keys DIR]

Everything here is fictitious and marked as such; it never touches the programme's reference data
(focusgebieden, gemeenten, kernindicatoren, begrotingsregels, the €500.000 toekenningen), it only
adds to it, for six focusgebieden (DEMO_GEBIEDEN):

- metingen of all 15 kernindicatoren, 2020–2026 in each indicator's period type, for the
  focusgebied, the rest of its gemeente (`GM….-rest`) and Nederland (`NL01`), with `bron`
  "DEMO – …", imported per writing organisation with `POST /v1/metingen/imports`; one of them is
  then corrected (PUT with If-Match and a `reden`);
- per focusgebied and kernindicator a nulmeting and streefwaarden 2026 and 2032 (in the
  indicator's direction of improvement; toelichting "DEMO – …"), written by the gemeente;
- interventies in all four actielijnen and every status, with planned and realised output, as
  `POST /v1/interventies/imports` with `bronsysteem` "demo", one file per owner;
- toekenningen on chapter-7 begrotingsregels (omschrijving "DEMO – …") and verplichtingen and
  betalingen on them (referentie "DEMO-…").

The trends differ per area (DEMO_GEBIEDEN: op koers, risico, achter; per indicator a seeded
draw may deviate), and one indicator (ervaren gezondheid) has a single edition only: too few
data for a trend. All values come from `random.Random` with fixed string seeds, so every run
produces the same data set.

Idempotent: the imports sync (a second run reports everything `ongewijzigd`), nulmetingen and
streefwaarden are read first and only written when absent, toekenningen and realisaties are
looked up by their DEMO omschrijving/referentie and created with an `Idempotency-Key` derived
from that text. A second run writes nothing.

Tokens are minted in-process with the development key of `make up` (`.local/keys/`, created by
`make token`/`make up`), per organisation as the permission rules demand: a ministry's data team
writes the metingen of its source, the gemeente its nulmetingen and streefwaarden, each owner
its interventies, the ministry of the begrotingsregel its toekenningen and realisaties.

`run_demo(urls, private_key)` is the same as a function (tests/integration/test_demo.py).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import httpx

from nplv_shared.tokens import mint

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servicelist import ROOT, by_name

SEED = "nplv-demo-v1"
BRONSYSTEEM = "demo"
DEMO = "DEMO"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:nplv:demo")
SERVICES = ("gebieden", "indicatoren", "financien", "rapportage")

# --- the data set -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Gebied:
    code: str
    profiel: str          # op-koers | risico | achter: how most of its indicators develop
    grootte: float        # inwoners / 100 000 (scales counts)
    rest_grootte: float   # the rest of the gemeente, same unit


DEMO_GEBIEDEN = (
    Gebied("rotterdam-zuid", "op-koers", 2.0, 4.6),
    Gebied("utrecht-overvecht", "op-koers", 0.35, 3.3),
    Gebied("den-haag-zuidwest", "risico", 0.75, 4.9),
    Gebied("arnhem-oost", "risico", 0.35, 1.3),
    Gebied("heerlen-noord", "achter", 0.45, 0.42),
    Gebied("tilburg-noordwest", "achter", 0.6, 1.65),
)
PROFIELEN = ("op-koers", "risico", "achter")
# How much of the targeted yearly improvement an area realises, per profile.
TEMPO = {"op-koers": 1.15, "risico": 0.5, "achter": -0.3}


@dataclass(frozen=True)
class Reeks:
    """Levels in 2022 (focusgebied, rest of the gemeente, Nederland) and the improvement per year
    the targets ask of the focusgebied. Counts (`per_inwoners`) are per 100 000 inhabitants
    for the focusgebied and the rest; Nederland's is absolute."""

    focus: float
    rest: float
    nl: float
    doel_per_jaar: float   # signed: the change per year the targets ask
    decimalen: int = 1
    per_inwoners: bool = False


REEKSEN: dict[str, Reeks] = {
    # cumulative: the levels are the production per period (half year)
    "woningen-herstructurering": Reeks(60, 15, 2500, 120, 0, True),
    "woningen-verduurzaming-efg": Reeks(5500, 4000, 1_350_000, -550, 0, True),
    "woningen-nieuwbouw": Reeks(250, 500, 72_000, 40, 0, True),
    "woningvoorraad-diversiteit": Reeks(52, 28, 29, -1.2),   # neutraal: the target mixes
    "leefbaarometer-score": Reeks(3.4, 5.6, 6.2, 0.15),
    "achterstandsscore-po-vo": Reeks(27, 13, 10.5, -0.8),
    "schooladvies-havo-vwo": Reeks(31, 47, 48, 1.0),
    "voortijdig-schoolverlaters": Reeks(120, 70, 23_500, -8, 0, True),
    "doorstroom-opleidingsniveau": Reeks(36, 51, 54, 1.0),
    "relatieve-welvaart": Reeks(21, 11, 8.2, -0.6),
    "huishoudens-uitkering": Reeks(17.5, 9.5, 6.8, -0.5),
    "ervaren-gezondheid": Reeks(63, 73, 76, 0.6),
    "ervaren-veiligheid": Reeks(44, 34, 32, -1.0),
    "risicoscore-jonge-aanwas": Reeks(61, 42, 33, -1.5),
    "incidentie-criminaliteit": Reeks(3400, 3000, 400_000, -100, 0, True),
}
# Too few data for a trend: the GGD Gezondheidsmonitor's 2022 edition only.
TE_WEINIG = "ervaren-gezondheid"
PERIODEN = {
    "jaar": ["2022", "2023", "2024", "2025"],
    "halfjaar": ["2022S1", "2022S2", "2023S1", "2023S2", "2024S1", "2024S2", "2025S1",
                 "2025S2", "2026S1"],
    "schooljaar": ["2021/2022", "2022/2023", "2023/2024", "2024/2025"],
    "tweejaar": ["2020B", "2022B", "2024B"],
}
NULMETING = {"jaar": "2022", "halfjaar": "2022S1", "schooljaar": "2021/2022", "tweejaar": "2022B"}
DOELJAREN = ("2026", "2032")
# The ministry whose data team delivers a source (the platform knows ministries and gemeenten,
# so CBS writes under EZK); "Gemeente": the gemeente itself, Nederland by the programmabureau.
LEVERANCIER = {"CBS": "EZK", "DUO": "OCW", "RVO EP-Online": "BZK", "Leefbaarometer": "BZK",
               "GGD Gezondheidsmonitor": "VWS", "Veiligheidsmonitor": "JenV",
               "Zicht op Ondermijning": "JenV", "Politie": "JenV"}
# The half-year whose voortgangsrapportage the demo shows (its metingen run to 2026S1).
DEMO_RAPPORT = "2025S2"
# The one correction: (indicator, focusgebied, periode, first value's factor, reden)
CORRECTIE = ("incidentie-criminaliteit", "rotterdam-zuid", "2024S1", Decimal("1.18"),
             "DEMO – herberekend: aangiften uit Rotterdam-Noord waren dubbel meegeteld")


@dataclass(frozen=True)
class Sjabloon:
    sleutel: str
    actielijn: int
    eigenaar: str | None      # ministry, None: the gemeente runs it
    titel: str
    eenheid: str
    gepland: float            # per 100 000 inhabitants (counts) or absolute (`vast`)
    status: str
    realisatie: float         # share of the planned output realised (for op koers)
    vast: bool = False
    omschrijving: str = ""


SJABLONEN = (
    Sjabloon("alliantie", 1, "BZK", "Alliantieoverleg en gebiedsregie", "overleggen", 12,
             "afgerond", 1.0, True, "Bestuurlijk alliantieoverleg met rijksvertegenwoordiger"),
    Sjabloon("datateam", 1, None, "Wijkdatateam en monitoring", "rapportages", 8, "lopend",
             0.5, True, "Halfjaarlijkse voortgangsrapportage aan de alliantie"),
    Sjabloon("herstructurering", 2, "BZK", "Herstructurering portiekflats", "woningen", 400,
             "lopend", 0.45, False, "Sloop-nieuwbouw en ingrijpende renovatie met corporaties"),
    Sjabloon("isolatie", 2, "EZK", "Wijkaanpak isolatie E/F/G-labels", "woningen", 1200,
             "lopend", 0.4, False, "Nationaal isolatieprogramma, wijkgerichte aanpak"),
    Sjabloon("openbare-ruimte", 2, None, "Vergroening openbare ruimte", "m2", 20000,
             "gepland", 0.0, True, "Pleinen en binnenterreinen vergroenen"),
    Sjabloon("rijke-schooldag", 3, "OCW", "Rijke schooldag", "leerlingen", 900, "lopend",
             0.6, False, "Extra lestijd, sport en cultuur na schooltijd"),
    Sjabloon("schuldhulp", 3, "SZW", "Schuldhulp dichtbij", "huishoudens", 300, "afgerond",
             1.05, False, "Vroegsignalering van betalingsachterstanden"),
    Sjabloon("kansrijke-start", 3, "VWS", "Kansrijke start", "gezinnen", 150, "gestopt",
             0.25, False, "Gestopt: opgegaan in de gemeentelijke jeugdaanpak"),
    Sjabloon("preventie-met-gezag", 4, "JenV", "Preventie met gezag: jongerenaanpak",
             "jongeren", 80, "lopend", 0.55, False, "Persoonsgerichte aanpak jonge aanwas"),
    Sjabloon("straatcoaches", 4, "JenV", "Straatcoaches en jongerenwerk", "jongeren", 60,
             "gepland", 0.0, False, "Start na aanbesteding"),
    Sjabloon("ondermijning", 4, None, "Integrale controles ondermijning", "controles", 60,
             "afgerond", 1.2, True, "Gezamenlijke controles gemeente, politie en Belastingdienst"),
)

# Toekenningen: (begrotingsregel, jaren, euro per 100 000 inhabitants). Lines and years other
# tests on a shared stack fill to their limits (kansengelijkheid 2022, versterken
# onderwijskwaliteit 2022, stimuleren van wooncombinaties, the volkshuisvestingsfonds of the
# €500.000 grants) are left alone.
TOEKENNINGEN = (
    ("woningbouwimpuls", (2023, 2024), Decimal("4000000")),
    ("nationaal-isolatieprogramma", (2024, 2025), Decimal("1500000")),
    ("kansengelijkheid", (2024, 2025), Decimal("1200000")),
    ("envelop-arbeidsmarkt-armoede-en-schulden", (2023,), Decimal("150000")),
    ("preventie-met-gezag", (2023, 2024, 2025, 2026), Decimal("600000")),
)
# Realised share of a toekenning per year: (verplichting, betalingen)
REALISATIE = {2023: (Decimal("1.00"), (Decimal("0.60"), Decimal("0.40"))),
              2024: (Decimal("1.00"), (Decimal("0.50"), Decimal("0.20"))),
              2025: (Decimal("0.80"), (Decimal("0.30"),)),
              2026: (Decimal("0.40"), ())}

# --- plumbing ---------------------------------------------------------------------------------


class DemoFout(Exception):
    """A service not reachable or a write refused; the message says which and why."""


@dataclass
class Urls:
    gebieden: str
    indicatoren: str
    financien: str
    rapportage: str

    @classmethod
    def from_services(cls, host: str = "127.0.0.1", port_offset: int = 0) -> Urls:
        return cls(**{s: f"http://{host}:{by_name(s).api_port + port_offset}"
                      for s in SERVICES})


def _vrijgegeven(regel: dict[str, Any]) -> bool:
    """Money may be spent: the line is not on the aanvullende post, or Financiën approved it."""
    goedkeuring = regel.get("goedkeuring") or {}
    return not regel.get("aanvullendePost") or goedkeuring.get("status") == "goedgekeurd"


@dataclass
class Telling:
    """Per kind of record: how many were created, changed, already there."""

    per_soort: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, soort: str, uitkomst: str, n: int = 1) -> None:
        self.per_soort[soort][uitkomst] += n

    def aangemaakt(self) -> int:
        return sum(c["aangemaakt"] + c["bijgewerkt"] + c["gecorrigeerd"]
                   for c in self.per_soort.values())

    def regels(self) -> list[str]:
        out = []
        for soort, c in self.per_soort.items():
            delen = ", ".join(f"{k} {v}" for k, v in sorted(c.items()))
            out.append(f"  {soort:<14} {sum(c.values()):>5}  ({delen})")
        return out


class Api:
    def __init__(self, name: str, base: str, private_key: str) -> None:
        self.name, self.base = name, base.rstrip("/")
        self.http = httpx.Client(base_url=f"{self.base}/v1", timeout=120)
        self.private_key = private_key
        self._tokens: dict[tuple[str, str], str] = {}

    def close(self) -> None:
        self.http.close()

    def auth(self, organisatie: str, scope: str) -> dict[str, str]:
        key = (organisatie, scope)
        if key not in self._tokens:
            self._tokens[key] = mint(organisatie, [scope], private_key=self.private_key,
                                     client_id=f"demo-{organisatie.lower()}")
        return {"Authorization": f"Bearer {self._tokens[key]}"}

    def request(self, method: str, path: str, *, ok: tuple[int, ...] = (200, 201),
                **kwargs: Any) -> httpx.Response:
        try:
            r = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise DemoFout(f"{self.name} ({self.base}) niet bereikbaar bij {method} {path}: "
                           f"{exc}") from exc
        if r.status_code not in ok:
            raise DemoFout(f"{self.name}: {method} {path} gaf {r.status_code}:\n"
                           f"{_pretty(r)}")
        return r

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs).json()

    def all_pages(self, path: str, **params: Any) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        page = 1
        while True:
            body = self.get(path, params={**params, "page": page, "pageSize": 100})
            out += body["resultaten"]
            if len(out) >= body["totaal"] or not body["resultaten"]:
                return out
            page += 1


def _pretty(r: httpx.Response) -> str:
    try:
        return json.dumps(r.json(), indent=2, ensure_ascii=False)[:4000]
    except ValueError:
        return r.text[:4000]


def _idempotency_key(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _rng(*parts: object) -> random.Random:
    return random.Random("/".join([SEED, *(str(p) for p in parts)]))


def _round(value: float, decimalen: int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimalen), rounding=ROUND_HALF_UP)


def _euro(value: Decimal) -> Decimal:
    """Rounded to whole thousands, as grants are."""
    return ((value / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 1000).quantize(
        Decimal("0.01"))


# --- metingen, nulmetingen, streefwaarden -------------------------------------------------------

def _tijd(periode: str) -> float:
    """Middle of a period, in years."""
    if periode.endswith("B"):
        return int(periode[:4]) + 1.0
    if "/" in periode:
        return int(periode[5:]) + 0.0
    if "S" in periode:
        return int(periode[:4]) + (0.25 if periode.endswith("1") else 0.75)
    return int(periode) + 0.5


def _perioden_per_jaar(periodetype: str) -> float:
    return {"halfjaar": 2.0, "tweejaar": 0.5}.get(periodetype, 1.0)


def profiel_van(gebied: Gebied, indicator: str) -> str:
    """The area's profile, except for about one indicator in four (a seeded draw)."""
    rng = _rng("profiel", gebied.code, indicator)
    return gebied.profiel if rng.random() < 0.75 else rng.choice(PROFIELEN)


@dataclass(frozen=True)
class Meting:
    indicator: str
    regio: str
    periode: str
    waarde: Decimal
    status: str
    bron: str


def _grenzen(indicator: dict[str, Any]) -> tuple[float, float]:
    if indicator["eenheid"] == "percentage":
        return 0.0, 100.0
    if indicator["eenheid"] == "score":
        return float(indicator["schaalMin"]), float(indicator["schaalMax"])
    return 0.0, float("inf")


def reeks_waarden(indicator: dict[str, Any], gebied: Gebied, soort: str
                  ) -> list[tuple[str, Decimal]]:
    """The series of one indicator in one region ("focus", "rest" or "nl")."""
    code, periodetype = indicator["code"], indicator["periodetype"]
    r = REEKSEN[code]
    perioden = PERIODEN[periodetype]
    if code == TE_WEINIG:
        perioden = [NULMETING[periodetype]]
    schaal = {"focus": gebied.grootte, "rest": gebied.rest_grootte, "nl": 1.0}[soort]
    niveau = {"focus": r.focus, "rest": r.rest, "nl": r.nl}[soort]
    if r.per_inwoners and soort != "nl":
        niveau *= schaal
    # the yearly change: the focus area's by its profile, the others a slower drift
    doel = r.doel_per_jaar * (gebied.grootte if r.per_inwoners else 1.0)
    if soort == "focus":
        tempo = doel * TEMPO[profiel_van(gebied, code)]
    else:
        tempo = doel * (0.25 if soort == "rest" else 0.15) * (niveau / (r.focus * (
            gebied.grootte if r.per_inwoners else 1.0)))
    rng = _rng("reeks", code, gebied.code if soort != "nl" else "", soort)
    lo, hi = _grenzen(indicator)
    t0 = _tijd(NULMETING[periodetype])
    cumulatief = indicator["soort"] == "cumulatief"
    ruis = abs(doel) * (0.35 if soort != "nl" else 0.1)
    out, totaal = [], 0.0
    for periode in perioden:
        if cumulatief:
            productie = max(0.0, (niveau if soort != "focus" else niveau * max(
                0.15, TEMPO[profiel_van(gebied, code)])) + rng.gauss(0, 0.2 * niveau))
            totaal += productie
            waarde = totaal
        else:
            dt = max(0.0, _tijd(periode) - t0)
            waarde = niveau + tempo * dt + rng.gauss(0, ruis) * (1 if dt else 0.3)
        waarde = min(hi, max(lo, waarde))
        out.append((periode, _round(waarde, r.decimalen)))
    return out


def streefwaarde(indicator: dict[str, Any], gebied: Gebied, nulmeting: Decimal,
                 doeljaar: str) -> Decimal:
    code, periodetype = indicator["code"], indicator["periodetype"]
    r = REEKSEN[code]
    jaren = int(doeljaar) + 1.0 - _tijd(NULMETING[periodetype])
    if indicator["soort"] == "cumulatief":
        per_periode = r.focus * gebied.grootte
        waarde = float(nulmeting) + per_periode * _perioden_per_jaar(periodetype) * jaren
    else:
        doel = r.doel_per_jaar * (gebied.grootte if r.per_inwoners else 1.0)
        # the far target asks somewhat less per year than the near one
        waarde = float(nulmeting) + doel * jaren * (1.0 if doeljaar == DOELJAREN[0] else 0.8)
    lo, hi = _grenzen(indicator)
    return _round(min(hi, max(lo, waarde)), r.decimalen)


def regio_codes(gebied: Gebied, gemeente: str) -> dict[str, str]:
    return {"focus": gebied.code, "rest": f"{gemeente}-rest", "nl": "NL01"}


def schrijver(indicator: dict[str, Any], soort: str, gemeente: str) -> tuple[str, str]:
    """(organisatie, scope) that writes a meting of this indicator in this kind of region."""
    bron = indicator["bron"]
    if bron in LEVERANCIER:
        return LEVERANCIER[bron], "nplv:indicatoren:schrijven"
    if soort == "nl":
        return "BZK", "nplv:indicatoren:beheer"
    return gemeente, "nplv:indicatoren:schrijven"


def metingen(indicatoren: list[dict[str, Any]], gemeente_van: dict[str, str]
             ) -> dict[tuple[str, str], list[Meting]]:
    """Every demo meting, per writer; Nederland once per indicator."""
    per_schrijver: dict[tuple[str, str], list[Meting]] = defaultdict(list)
    gezien: set[tuple[str, str, str]] = set()
    for gebied in DEMO_GEBIEDEN:
        gemeente = gemeente_van[gebied.code]
        for indicator in indicatoren:
            for soort, regio in regio_codes(gebied, gemeente).items():
                reeks = reeks_waarden(indicator, gebied, soort)
                for i, (periode, waarde) in enumerate(reeks):
                    key = (indicator["code"], regio, periode)
                    if key in gezien:
                        continue
                    gezien.add(key)
                    bron = (f"{DEMO} – fictieve reeks ({indicator['bron']}), "
                            "niet voor gebruik buiten demonstraties")
                    status = "voorlopig" if i == len(reeks) - 1 else "definitief"
                    per_schrijver[schrijver(indicator, soort, gemeente)].append(
                        Meting(indicator["code"], regio, periode, waarde, status, bron))
    return per_schrijver


# --- the loader -------------------------------------------------------------------------------

class DemoLoader:
    def __init__(self, urls: Urls, private_key: str) -> None:
        self.api = {s: Api(s, getattr(urls, s), private_key) for s in SERVICES}
        self.telling = Telling()

    def close(self) -> None:
        for api in self.api.values():
            api.close()

    def run(self) -> Telling:
        self.check_reachable()
        gebieden = {f["code"]: f for f in self.api["gebieden"].all_pages("/focusgebieden")}
        ontbrekend = [g.code for g in DEMO_GEBIEDEN if g.code not in gebieden]
        if ontbrekend:
            raise DemoFout(f"focusgebieden {', '.join(ontbrekend)} ontbreken in gebieden: is de "
                           "referentiedata geladen (make up)?")
        gemeente_van = {g.code: gebieden[g.code]["gemeente"] for g in DEMO_GEBIEDEN}
        naam_van = {g.code: gebieden[g.code]["naam"] for g in DEMO_GEBIEDEN}
        indicatoren = [i for i in self.api["indicatoren"].all_pages("/indicatoren", kern="true")
                       if i["code"] in REEKSEN and i["status"] == "actief"]
        if {i["code"] for i in indicatoren} != set(REEKSEN):
            raise DemoFout("niet alle 15 kernindicatoren staan in indicatoren: is de "
                           "referentiedata geladen (make up)?")
        self.load_interventies(gemeente_van, naam_van)
        self.load_metingen(indicatoren, gemeente_van)
        self.load_correctie(gemeente_van)
        self.load_doelen(indicatoren, gemeente_van, naam_van)
        self.load_financien(gemeente_van, naam_van)
        return self.telling

    def check_reachable(self) -> None:
        for name, api in self.api.items():
            try:
                r = api.http.get("/health/live", timeout=5)
            except httpx.HTTPError as exc:
                raise DemoFout(f"{name} is niet bereikbaar op {api.base} ({exc}). Start het "
                               "systeem eerst met `make up`.") from exc
            if r.status_code != 200:
                raise DemoFout(f"{name} op {api.base} is niet gezond: {r.status_code}\n"
                               f"{_pretty(r)}")

    # interventies ------------------------------------------------------------------------

    def interventie_rijen(self, gemeente_van: dict[str, str], naam_van: dict[str, str]
                          ) -> dict[str, list[dict[str, Any]]]:
        per_eigenaar: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for gebied in DEMO_GEBIEDEN:
            rng = _rng("interventies", gebied.code)
            tempo = {"op-koers": 1.0, "risico": 0.7, "achter": 0.4}[gebied.profiel]
            for s in SJABLONEN:
                gepland = Decimal(s.gepland if s.vast else round(s.gepland * gebied.grootte))
                gepland = max(gepland, Decimal(1))
                realisatie = s.realisatie * (1.0 if s.status == "afgerond" else tempo)
                gerealiseerd = (None if s.status == "gepland" else
                                Decimal(round(float(gepland) * realisatie
                                              * rng.uniform(0.9, 1.1))))
                start = {"afgerond": "2023-01-09", "lopend": "2023-09-01",
                         "gestopt": "2023-03-01", "gepland": "2027-01-04"}[s.status]
                eind = {"afgerond": "2025-12-19", "gestopt": "2024-10-31",
                        "lopend": "2028-12-31", "gepland": "2030-12-31"}[s.status]
                eigenaar = s.eigenaar or gemeente_van[gebied.code]
                per_eigenaar[eigenaar].append({
                    "bronsysteem": BRONSYSTEEM, "bronId": f"{gebied.code}/{s.sleutel}",
                    "focusgebied": gebied.code, "actielijn": s.actielijn,
                    "ministerie": s.eigenaar, "titel": f"[{DEMO}] {s.titel} "
                                                       f"{naam_van[gebied.code]}",
                    "omschrijving": f"{DEMO} – fictieve interventie voor demonstraties. "
                                    f"{s.omschrijving}.",
                    "status": s.status, "startdatum": start, "einddatum": eind,
                    "outputEenheid": s.eenheid, "geplandeOutput": f"{gepland:.2f}",
                    "gerealiseerdeOutput": (None if gerealiseerd is None
                                            else f"{gerealiseerd:.2f}")})
        return per_eigenaar

    def load_interventies(self, gemeente_van: dict[str, str], naam_van: dict[str, str]) -> None:
        api = self.api["gebieden"]
        for eigenaar, rijen in sorted(self.interventie_rijen(gemeente_van, naam_van).items()):
            r = api.request("POST", "/interventies/imports", json=rijen,
                            headers=api.auth(eigenaar, "nplv:interventies:schrijven"))
            self._count_import("interventies", r.json())

    def _count_import(self, soort: str, body: dict[str, Any]) -> None:
        samenvatting = body.get("samenvatting") or {}
        if body.get("status") != "voltooid" or samenvatting.get("geweigerd"):
            raise DemoFout(f"import van {soort} niet voltooid:\n"
                           f"{json.dumps(body, indent=2, ensure_ascii=False)[:4000]}")
        for uitkomst in ("aangemaakt", "bijgewerkt", "ongewijzigd"):
            self.telling.add(soort, uitkomst, samenvatting.get(uitkomst, 0))

    # metingen ------------------------------------------------------------------------------

    def load_metingen(self, indicatoren: list[dict[str, Any]],
                      gemeente_van: dict[str, str]) -> None:
        api = self.api["indicatoren"]
        ind, regio, periode, _, _ = CORRECTIE
        for (organisatie, scope), rijen in sorted(metingen(indicatoren, gemeente_van).items()):
            body = [{"indicator": m.indicator, "regio": m.regio, "periode": m.periode,
                     "waarde": str(m.waarde), "status": m.status, "bron": m.bron,
                     # a value that differs from what is stored (an older data set, or data
                     # entered by hand) is corrected, with this reason, instead of refused
                     "reden": "DEMO – demoreeks opnieuw geladen"}
                    for m in rijen if (m.indicator, m.regio, m.periode) != (ind, regio, periode)]
            r = api.request("POST", "/metingen/imports", json=body,
                            headers=api.auth(organisatie, scope))
            self._count_import("metingen", r.json())

    def load_correctie(self, gemeente_van: dict[str, str]) -> None:
        """One meting first delivered wrong, then corrected with If-Match and a reden."""
        api = self.api["indicatoren"]
        ind, focus, periode, factor, reden = CORRECTIE
        indicator = api.get(f"/indicatoren/{ind}")
        gebied = next(g for g in DEMO_GEBIEDEN if g.code == focus)
        juist = dict(reeks_waarden(indicator, gebied, "focus"))[periode]
        fout = (juist * factor).quantize(Decimal(1))
        organisatie, scope = schrijver(indicator, "focus", gemeente_van[focus])
        headers = api.auth(organisatie, scope)
        bron = f"{DEMO} – fictieve reeks ({indicator['bron']}), niet voor gebruik buiten " \
               "demonstraties"
        path = f"/metingen/{ind}/{focus}/{periode}"
        r = api.request("GET", path, ok=(200, 404))
        if r.status_code == 404:
            r = api.request("PUT", path, headers=headers, json={
                "waarde": str(fout), "status": "definitief", "bron": bron})
            self.telling.add("metingen", "aangemaakt")
        if Decimal(r.json()["waarde"]) == juist:
            self.telling.add("correcties", "ongewijzigd")
            return
        api.request("PUT", path, headers={**headers, "If-Match": r.headers["etag"]}, json={
            "waarde": str(juist), "status": "definitief", "bron": bron, "reden": reden})
        self.telling.add("correcties", "gecorrigeerd")

    # nulmetingen and streefwaarden ---------------------------------------------------------------

    def load_doelen(self, indicatoren: list[dict[str, Any]], gemeente_van: dict[str, str],
                    naam_van: dict[str, str]) -> None:
        api = self.api["indicatoren"]
        for gebied in DEMO_GEBIEDEN:
            gemeente = gemeente_van[gebied.code]
            headers = api.auth(gemeente, "nplv:indicatoren:schrijven")
            besluit = f"{DEMO}-besluit alliantie {naam_van[gebied.code]} 2023"
            for indicator in indicatoren:
                code, periodetype = indicator["code"], indicator["periodetype"]
                periode = NULMETING[periodetype]
                nul = dict(reeks_waarden(indicator, gebied, "focus"))[periode]
                base = f"/focusgebieden/{gebied.code}/indicatoren/{code}"
                self._put_once("nulmetingen", base + "/nulmeting", headers, {
                    "waarde": str(nul), "periode": periode, "besluit": besluit,
                    "toelichting": f"{DEMO} – fictieve nulmeting {periode}"})
                for doeljaar in DOELJAREN:
                    self._put_once("streefwaarden", f"{base}/streefwaarden/{doeljaar}",
                                   headers, {
                        "waarde": str(streefwaarde(indicator, gebied, nul, doeljaar)),
                        "besluit": besluit,
                        "toelichting": f"{DEMO} – fictieve streefwaarde {doeljaar} "
                                       f"(profiel {profiel_van(gebied, code)})"})

    def _put_once(self, soort: str, path: str, headers: dict[str, str],
                  body: dict[str, Any]) -> None:
        """Written when absent; one that exists is left as it is (a revision would need a
        reden and a besluit, and may be someone's real decision)."""
        api = self.api["indicatoren"]
        if api.request("GET", path, ok=(200, 404)).status_code == 200:
            self.telling.add(soort, "ongewijzigd")
            return
        api.request("PUT", path, headers=headers, json=body, ok=(201,))
        self.telling.add(soort, "aangemaakt")

    # toekenningen and realisaties ------------------------------------------------------------

    def load_financien(self, gemeente_van: dict[str, str], naam_van: dict[str, str]) -> None:
        api = self.api["financien"]
        regels = {r["code"]: r for r in api.all_pages("/begrotingsregels")}
        for gebied in DEMO_GEBIEDEN:
            rng = _rng("toekenningen", gebied.code)
            for regelcode, jaren, per_inwoners in TOEKENNINGEN:
                regel = regels.get(regelcode)
                if regel is None:
                    raise DemoFout(f"begrotingsregel {regelcode} ontbreekt in financien")
                # some areas do without some lines
                if rng.random() < 0.2:
                    continue
                for jaar in jaren:
                    bedrag = _euro(per_inwoners * Decimal(repr(gebied.grootte))
                                   * Decimal(repr(rng.uniform(0.85, 1.15))))
                    omschrijving = (f"{DEMO} – fictieve toekenning {regel['instrument']} "
                                    f"{jaar} aan {naam_van[gebied.code]}")
                    toekenning = self._toekenning(regel, gebied.code, jaar, bedrag, omschrijving)
                    if _vrijgegeven(regel):
                        self._realisaties(toekenning, gemeente_van[gebied.code],
                                          gebied.profiel)
                    else:  # financien refuses realisaties until Financiën approves the line
                        self.telling.add("realisaties", "wacht-op-goedkeuring")

    def _toekenning(self, regel: dict[str, Any], focusgebied: str, jaar: int, bedrag: Decimal,
                    omschrijving: str) -> dict[str, Any]:
        api = self.api["financien"]
        for t in api.all_pages("/toekenningen", begrotingsregel=regel["code"],
                               focusgebied=focusgebied, jaar=jaar):
            if t["omschrijving"] == omschrijving:
                self.telling.add("toekenningen", "ongewijzigd")
                return t
        body = {"begrotingsregel": regel["code"], "focusgebied": focusgebied, "jaar": jaar,
                "bedrag": f"{bedrag:.2f}", "omschrijving": omschrijving}
        headers = {**api.auth(regel["ministerie"], "nplv:financien:schrijven"),
                   "Idempotency-Key": _idempotency_key("toekenning", omschrijving)}
        r = api.request("POST", "/toekenningen", json=body, headers=headers, ok=(201,))
        self.telling.add("toekenningen", "aangemaakt")
        return dict(r.json())

    def _realisaties(self, toekenning: dict[str, Any], gemeente: str, profiel: str) -> None:
        api = self.api["financien"]
        jaar = int(toekenning["jaar"])
        verplichting, betalingen = REALISATIE[jaar]
        tempo = {"op-koers": Decimal(1), "risico": Decimal("0.8"),
                 "achter": Decimal("0.6")}[profiel]
        bedrag = Decimal(toekenning["bedrag"])
        gepland: list[tuple[str, Decimal, str]] = []
        if verplichting:
            gepland.append(("verplichting", verplichting * (tempo if jaar >= 2025 else 1),
                            f"{jaar}-03-15"))
        for n, aandeel in enumerate(betalingen):
            gepland.append(("betaling", aandeel * tempo, f"{jaar}-{6 + 5 * n:02d}-28"))
        bestaand = {r["referentie"] for r in api.all_pages("/realisaties",
                                                            toekenning=toekenning["id"])}
        for n, (soort, aandeel, datum) in enumerate(gepland, start=1):
            kort = "VP" if soort == "verplichting" else "BT"
            referentie = (f"{DEMO}-{kort}-{toekenning['begrotingsregel']}-"
                          f"{toekenning['focusgebied']}-{jaar}-{n}")
            if referentie in bestaand:
                self.telling.add("realisaties", "ongewijzigd")
                continue
            body = {"toekenning": toekenning["id"], "soort": soort,
                    "bedrag": f"{(bedrag * aandeel).quantize(Decimal('0.01')):.2f}",
                    "datum": datum, "referentie": referentie}
            # the ministry commits, the gemeente records what it paid out
            organisatie = toekenning["ministerie"] if soort == "verplichting" else gemeente
            headers = {**api.auth(organisatie, "nplv:financien:schrijven"),
                       "Idempotency-Key": _idempotency_key("realisatie", referentie)}
            api.request("POST", "/realisaties", json=body, headers=headers, ok=(201,))
            self.telling.add("realisaties", "aangemaakt")


def run_demo(urls: Urls, private_key: str, log: Callable[[str], None] = print) -> Telling:
    """Load the demo data set and `log` what it loaded per kind; raises DemoFout when a service
    is away or a write fails."""
    loader = DemoLoader(urls, private_key)
    try:
        telling = loader.run()
    finally:
        loader.close()
    for line in iter_lines(telling):
        log(line)
    return telling


def _private_key(keys: Path) -> str:
    path = keys / "dev-private.pem"
    if not path.exists():
        raise DemoFout(f"geen ontwikkelsleutel in {path}: start het systeem met `make up` "
                       "(dat maakt de sleutel en start de diensten met de publieke helft)")
    return path.read_text()


def iter_lines(telling: Telling) -> Iterator[str]:
    yield "DEMO-gegevens geladen (fictief; bronsysteem 'demo', teksten beginnen met 'DEMO'):"
    yield from telling.regels()
    n = telling.aangemaakt()
    yield (f"  {n} record(s) aangemaakt of bijgewerkt" if n
           else "  niets nieuws: de demo-gegevens stonden er al")


def main(argv: list[str] | None = None) -> int:
    defaults = Urls.from_services()
    parser = argparse.ArgumentParser(description="Laad de DEMO-gegevens via de API's")
    for s in SERVICES:
        parser.add_argument(f"--{s}", default=getattr(defaults, s), metavar="URL",
                            help=f"basis-URL van {s} (standaard {getattr(defaults, s)})")
    parser.add_argument("--keys", type=Path, default=ROOT / ".local" / "keys",
                        help="map met dev-private.pem (standaard .local/keys, van make up)")
    args = parser.parse_args(argv)
    urls = Urls(**{s: getattr(args, s) for s in SERVICES})
    try:
        run_demo(urls, _private_key(args.keys))
    except DemoFout as exc:
        print(f"make demo mislukt: {exc}", file=sys.stderr)
        return 1
    focus = DEMO_GEBIEDEN[0].code
    print(f"  voortgang: {urls.rapportage}/v1/voortgang/focusgebieden/{focus}")
    print(f"  voortgangsrapportage {DEMO_RAPPORT} (afdrukbaar): "
          f"{urls.rapportage}/v1/voortgangsrapportages/{DEMO_RAPPORT}/afdrukversie")
    return 0


if __name__ == "__main__":
    sys.exit(main())
