"""The report's CSV tables are documented where analysts look (the README, the OpenAPI
parameter), the router accepts exactly those tables, and the page's Dutch number formatting."""

import re
import typing
from pathlib import Path

from rapportage.voortgangsrapportage import pagina, tabellen, verschillen
from rapportage.voortgangsrapportage.router import TabelNaam

README = Path(__file__).resolve().parents[2] / "services" / "rapportage" / "README.md"
VOORAF = {"periode", "focusgebied", "gemeente", "actielijn"}


def test_the_router_serves_exactly_the_documented_tables() -> None:
    assert set(typing.get_args(TabelNaam)) == set(tabellen.TABELLEN)


def test_the_readme_lists_every_column_of_every_table() -> None:
    tekst = README.read_text()
    for naam, kolommen in tabellen.TABELLEN.items():
        rij = re.search(rf"^\| `{re.escape(naam)}` \|[^|]*\|(.*)\|$", tekst, re.MULTILINE)
        assert rij, naam
        genoemd = set(re.findall(r"`([a-z_]+)`", rij.group(1)))
        assert genoemd == {k for k, _ in kolommen} - VOORAF, naam


def test_every_column_is_described() -> None:
    for kolommen in tabellen.TABELLEN.values():
        assert all(len(uitleg) > 5 for _, uitleg in kolommen)
        assert len({k for k, _ in kolommen}) == len(kolommen)


def test_dutch_numbers_on_the_page() -> None:
    assert pagina.getal("1234567.50") == "1.234.567,5"
    assert pagina.getal("-13.6000") == "−13,6"
    assert pagina.getal("1300.000") == "1.300"
    assert pagina.getal(None) == "–"
    assert pagina.bedrag("600.01") == "€ 600,01"
    assert pagina.bedrag("1000") == "€ 1.000,00"
    assert pagina.procent("0.5000") == "50%"
    assert pagina.halfjaar("2024S2") == "tweede halfjaar 2024"


def test_difference_paths_name_list_items_by_their_key() -> None:
    oud = {"focusgebieden": [{"focusgebied": "a", "actielijnen": [
        {"actielijn": 3, "indicatoren": [{"indicator": "x", "status": "risico",
                                          "reeks": [{"periode": "2024S1", "status": "d",
                                                     "waarde": "1"}]}]}]}]}
    nieuw = {"focusgebieden": [{"focusgebied": "a", "actielijnen": [
        {"actielijn": 3, "indicatoren": [{"indicator": "x", "status": "op-koers",
                                          "reeks": [{"periode": "2024S1", "status": "d",
                                                     "waarde": "2"}]}]}]}]}
    assert [(c.pad, c.oud, c.nieuw) for c in verschillen.cijfers(oud, nieuw)] == [
        ("focusgebieden/a/actielijnen/3/indicatoren/x/reeks/2024S1/waarde", "1", "2"),
        ("focusgebieden/a/actielijnen/3/indicatoren/x/status", "risico", "op-koers")]
