"""rapportage.voortgangsrapportage.grafiek: the report's SVG line chart, read back as XML."""

import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from rapportage.voortgangsrapportage import grafiek
from rapportage.voortgangsrapportage.grafiek import Grafiekgegevens, Reeks, svg

NS = "{http://www.w3.org/2000/svg}"
D = Decimal


def gegevens(gebied: list[tuple[str, Decimal]] | None = None, *,
             vergelijkingen: list[Reeks] | None = None,
             nulmeting: tuple[str, Decimal] | None = None,
             streefwaarde: tuple[str, Decimal] | None = None, titel: str = "Score, Noord",
             label: str = "Heerlen-Noord", richting: str = "hoger-is-beter",
             id: str = "g-noord-score") -> Grafiekgegevens:
    return Grafiekgegevens(id=id, titel=titel, eenheid="score",
                           gebied=Reeks(label, gebied or []), vergelijkingen=vergelijkingen or [],
                           nulmeting=nulmeting, streefwaarde=streefwaarde, richting=richting)


VOORBEELD = gegevens(
    [("2019", D("61.0")), ("2020", D("62.0")), ("2022", D("63.4")), ("2024S1", D("64.5"))],
    vergelijkingen=[Reeks("Rest van Heerlen", [("2019", D("65.2")), ("2024S1", D("66.1"))]),
                    Reeks("Nederland", [("2019", D("70.1")), ("2022", D("70.2")),
                                        ("2024S1", D("70.4"))])],
    nulmeting=("2019", D("61.0")), streefwaarde=("2030", D("70.0")))


def parse(g: Grafiekgegevens) -> ET.Element:
    root = ET.fromstring(svg(g))
    assert root.tag == f"{NS}svg"
    return root


def reeks(root: ET.Element, naam: str) -> ET.Element:
    (groep,) = [g for g in root.iter(f"{NS}g") if g.get("data-reeks") == naam]
    return groep


def punten(root: ET.Element, naam: str) -> list[tuple[str, float, float]]:
    """(periode, x, y) of a series' markers, from their translate()."""
    uit = []
    for el in reeks(root, naam):
        if el.get("class") == "punt":
            x, y = re.fullmatch(r"translate\((\S+) (\S+)\)", el.get("transform", "")).groups()
            uit.append((el.get("data-periode", ""), float(x), float(y)))
    return uit


def lijnen(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter(f"{NS}path") if el.get("class") == "lijn"]


def hoekpunten(pad: ET.Element) -> list[tuple[float, float]]:
    d = pad.get("d", "")
    assert re.fullmatch(r"M[-\d. ]+(L[-\d. ]+)*", d)
    return [(float(x), float(y)) for x, y in (p.split() for p in d[1:].split("L"))]


def teksten(root: ET.Element, klasse: str | None = None) -> list[str]:
    return [el.text or "" for el in root.iter(f"{NS}text")
            if klasse is None or el.get("class") == klasse]


def tick_labels(root: ET.Element) -> list[str]:
    (labels,) = [g for g in root.iter(f"{NS}g") if g.get("class") == "as-labels"]
    return [el.text or "" for el in labels if el.get("text-anchor") == "end"]


def test_accessible_name_and_description_are_referenced():
    root = parse(VOORBEELD)
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 640 ")
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None
    assert desc is not None
    assert root.get("aria-labelledby", "").split() == [title.get("id"), desc.get("id")]
    assert title.get("id") != desc.get("id")
    assert title.text == "Score, Noord"


def test_description_summarises_the_chart_in_dutch():
    desc = parse(VOORBEELD).find(f"{NS}desc")
    assert desc is not None
    assert desc.text == (
        "Lijngrafiek: Score, Noord. Eenheid: score. Heerlen-Noord van 61,0 (2019) naar 64,5 "
        "(2024S1) in 4 metingen; nulmeting 61,0 (2019); streefwaarde 70,0 in 2030; "
        "trajectwaarde 64,9 in 2024S1, dus achter op het traject. Rest van Heerlen van 65,2 "
        "(2019) naar 66,1 (2024S1) in 2 metingen. Nederland van 70,1 (2019) naar 70,4 (2024S1) "
        "in 3 metingen. Een hogere waarde is beter.")


@pytest.mark.parametrize(("richting", "oordeel"), [
    ("hoger-is-beter", "dus voor op het traject. Een hogere waarde is beter."),
    ("lager-is-beter", "dus achter op het traject. Een lagere waarde is beter."),
    ("neutraal", "trajectwaarde 5,0 in 2025. Er is geen gewenste richting."),
])
def test_description_judges_the_last_meting_against_the_trajectory(richting, oordeel):
    g = gegevens([("2020", D("0.0")), ("2025", D("6.0"))], nulmeting=("2020", D("0.0")),
                 streefwaarde=("2030", D("10.0")), richting=richting)
    assert (parse(g).find(f"{NS}desc").text or "").endswith(oordeel)


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError, match="richting"):
        svg(gegevens(richting="omhoog"))


def test_one_line_and_one_marker_per_point_for_each_series():
    root = parse(VOORBEELD)
    assert len(lijnen(root)) == 3
    assert [len(punten(root, n)) for n in ("gebied", "vergelijking-1", "vergelijking-2")] \
        == [4, 2, 3]
    assert len(punten(root, "streefwaarde")) == 1
    for naam in ("gebied", "vergelijking-1", "vergelijking-2"):
        (lijn,) = [el for el in reeks(root, naam) if el.get("class") == "lijn"]
        assert hoekpunten(lijn) == [(x, y) for _, x, y in punten(root, naam)]


def test_series_differ_in_dash_pattern_and_marker_shape():
    root = parse(VOORBEELD)
    strepen = {el.get("stroke-dasharray") for el in lijnen(root)}
    strepen.add(root.find(f".//{NS}path[@class='traject']").get("stroke-dasharray"))
    assert len(strepen) == 4
    vormen = set()
    for naam in ("gebied", "vergelijking-1", "vergelijking-2", "streefwaarde"):
        (vorm,) = {(el.tag, el.get("d")) for el in reeks(root, naam) if el.get("class") == "punt"}
        vormen.add(vorm)
    assert len(vormen) == 4


def test_empty_comparison_series_are_left_out():
    g = gegevens([("2020", D(1)), ("2021", D(2))], vergelijkingen=[Reeks("Nederland", [])])
    root = parse(g)
    assert [el.get("data-reeks") for el in root.iter(f"{NS}g") if el.get("data-reeks")] \
        == ["gebied"]
    assert "Nederland: geen metingen." in (root.find(f"{NS}desc").text or "")
    assert "Nederland" not in teksten(root)


def test_legend_is_text_in_the_svg():
    legenda = parse(VOORBEELD).find(f".//{NS}g[@class='legenda']")
    assert [el.text for el in legenda.iter(f"{NS}text")] == [
        "Heerlen-Noord", "Rest van Heerlen", "Nederland", "Traject naar streefwaarde",
        "Streefwaarde"]


def test_a_higher_value_is_drawn_higher():
    root = parse(VOORBEELD)
    ys = [y for _, _, y in punten(root, "gebied")]  # 61.0 < 62.0 < 63.4 < 64.5
    assert ys == sorted(ys, reverse=True)
    assert len(set(ys)) == 4
    (_, _, y_doel), = punten(root, "streefwaarde")
    (_, _, y_nl), _, _ = punten(root, "vergelijking-2")
    assert y_nl < y_doel < ys[-1]  # 70.1 above 70.0 above 64.5


def test_x_follows_the_periods_whatever_the_input_order():
    g = gegevens([("2025", D(3)), ("2024S2", D(2)), ("2024Q1", D(4)), ("2022M03", D(1)),
                  ("2023/2024", D(5))])
    root = parse(g)
    assert [p for p, _, _ in punten(root, "gebied")] == [
        "202203", "2023/2024", "2024Q1", "2024S2", "2025"]
    xs = [x for _, x, _ in punten(root, "gebied")]
    assert xs == sorted(xs)
    assert len(set(xs)) == 5


def test_periods_sit_at_their_midpoint():
    root = parse(gegevens([("2020", D(1)), ("2020S1", D(2)), ("2020S2", D(3)),
                           ("2021", D(4))]))
    x = {p: x for p, x, _ in punten(root, "gebied")}
    assert x["2020S1"] < x["2020"] < x["2020S2"] < x["2021"]
    # 2020 is a leap year: its halves' midpoints average half a day (0.4) before its own.
    assert x["2020"] == pytest.approx((x["2020S1"] + x["2020S2"]) / 2, abs=0.5)
    assert x["2021"] - x["2020"] == pytest.approx(2 * (x["2020S2"] - x["2020S1"]), abs=1)


def test_trajectory_runs_from_the_nulmeting_to_the_target():
    root = parse(VOORBEELD)
    traject = root.find(f".//{NS}path[@class='traject']")
    assert traject is not None
    assert traject.get("stroke-dasharray")
    (_, x0, y0), *_ = punten(root, "gebied")  # the nulmeting is the 2019 meting
    (_, x1, y1), = punten(root, "streefwaarde")
    assert hoekpunten(traject) == [(x0, y0), (x1, y1)]
    assert x1 > max(x for _, x, _ in punten(root, "gebied"))  # target beyond the last meting
    assert "Streefwaarde 70,0" in teksten(root)


def test_no_trajectory_without_a_nulmeting():
    root = parse(gegevens([("2020", D(1))], streefwaarde=("2030", D(5))))
    assert root.find(f".//{NS}path[@class='traject']") is None
    assert len(punten(root, "streefwaarde")) == 1


def test_text_is_escaped():
    kwaad = 'A <b> & "c" \'d\''
    g = gegevens([("2020", D(1))], titel=kwaad, label=kwaad, id='x" onload="alert(1)',
                 vergelijkingen=[Reeks(kwaad + "2", [("2020", D(2))])])
    markup = svg(g)
    assert "<b>" not in markup
    assert "onload=" not in markup
    root = ET.fromstring(markup)
    assert root.find(f"{NS}title").text == kwaad
    assert kwaad in teksten(root)
    assert kwaad + "2" in teksten(root)
    assert re.fullmatch(r"[A-Za-z_][\w.-]*", root.find(f"{NS}title").get("id", ""))


@pytest.mark.parametrize(("ruw", "veilig"), [
    ("g-heerlen-noord", "g-heerlen-noord"), ("1 x<y", "g-1-x-y"), ("", "g-"),
    ("rotterdam zuid/%", "rotterdam-zuid")])
def test_ids_are_sanitised(ruw, veilig):
    assert grafiek._svg_id(ruw) == veilig


def test_same_input_gives_the_same_bytes():
    kopie = gegevens(list(VOORBEELD.gebied.punten), vergelijkingen=list(VOORBEELD.vergelijkingen),
                     nulmeting=("2019", D("61.0")), streefwaarde=("2030", D("70.0")))
    assert svg(VOORBEELD) == svg(VOORBEELD) == svg(kopie)


def test_coordinates_have_at_most_one_decimal():
    markup = svg(VOORBEELD)
    for attr in re.findall(r' (?:x|y|x1|x2|y1|y2|d|transform)="([^"]*)"', markup):
        assert not re.search(r"\d\.\d\d", attr), attr


def test_everything_lies_inside_the_plot_area():
    for g in (VOORBEELD, gegevens([("2020", D(-5)), ("2021", D(0)), ("2022", D(7))])):
        root = parse(g)
        for naam in [el.get("data-reeks") for el in root.iter(f"{NS}g") if el.get("data-reeks")]:
            for _, x, y in punten(root, naam):
                assert 48 <= x <= grafiek.RECHTS
                assert grafiek.BOVEN <= y <= grafiek.ONDER


def test_no_data_still_gives_a_valid_chart():
    root = parse(gegevens())
    assert "Geen metingen beschikbaar" in (root.find(f"{NS}desc").text or "")
    assert teksten(root, "geen-metingen") == ["Geen metingen beschikbaar"]
    assert not [el for el in root.iter() if el.get("class") == "punt"]
    assert root.find(f"{NS}title").text == "Score, Noord"


def test_a_target_without_metingen_is_still_drawn():
    root = parse(gegevens(nulmeting=("2020", D(10)), streefwaarde=("2030", D(5))))
    assert teksten(root, "geen-metingen") == ["Geen metingen beschikbaar"]
    assert len(punten(root, "streefwaarde")) == 1
    assert root.find(f".//{NS}path[@class='traject']") is not None


def test_a_single_point():
    root = parse(gegevens([("2024S1", D("12.5"))]))
    assert not lijnen(root)
    ((periode, _, y),) = punten(root, "gebied")
    assert periode == "2024S1"
    assert grafiek.BOVEN < y < grafiek.ONDER
    assert len(tick_labels(root)) >= 3
    assert [t for t in teksten(root) if re.fullmatch(r"\d{4}", t)] == ["2024"]


def test_equal_values_get_a_range_around_them():
    root = parse(gegevens([("2020", D(5)), ("2021", D(5)), ("2022", D(5))]))
    ys = {y for _, _, y in punten(root, "gebied")}
    assert len(ys) == 1
    assert grafiek.BOVEN < ys.pop() < grafiek.ONDER
    labels = tick_labels(root)
    assert len(labels) == len(set(labels)) >= 3


def test_all_zero_values():
    root = parse(gegevens([("2020", D(0)), ("2021", D(0))]))
    assert tick_labels(root)[0] == "0,0"
    assert {y for _, _, y in punten(root, "gebied")} == {grafiek.ONDER}


def test_negative_values():
    root = parse(gegevens([("2020", D("-3.5")), ("2021", D("1.25")), ("2022", D("-0.5"))]))
    labels = tick_labels(root)
    assert labels == ["-4", "-3", "-2", "-1", "0", "1", "2"]
    (_, _, y1), (_, _, y2), (_, _, y3) = punten(root, "gebied")
    assert y2 < y3 < y1
    zero_lines = [el for el in root.iter(f"{NS}line") if el.get("stroke") == grafiek.TEKST]
    assert len(zero_lines) == 1


def test_ticks_use_nice_steps_and_dutch_numbers():
    root = parse(gegevens([("2015", D("1234567")), ("2024", D("1500000"))]))
    labels = tick_labels(root)
    assert labels[:3] == ["1.200.000", "1.250.000", "1.300.000"]
    assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*", t) for t in labels)
    stappen = [int(b.replace(".", "")) - int(a.replace(".", ""))
               for a, b in itertools.pairwise(labels)]
    assert set(stappen) == {50000}


@pytest.mark.parametrize(("waarden", "verwacht"), [
    ([D("61"), D("64.5")], ["60", "61", "62", "63", "64", "65"]),
    ([D("61.0"), D("72.0")], ["60,0", "62,5", "65,0", "67,5", "70,0", "72,5", "75,0"]),
    ([D("0.1"), D("0.3")], ["0,05", "0,10", "0,15", "0,20", "0,25", "0,30", "0,35"]),
    ([D("-20"), D("30")], ["-30", "-20", "-10", "0", "10", "20", "30", "40"]),
    ([D("5")], ["4,4", "4,6", "4,8", "5,0", "5,2", "5,4", "5,6"]),
    ([D("0"), D("40")], ["0", "10", "20", "30", "40", "50"]),  # never below zero
])
def test_tick_steps(waarden, verwacht):
    ticks, decimalen = grafiek._y_ticks(waarden)
    assert [grafiek._nl(t, decimalen) for t in ticks] == verwacht


@pytest.mark.parametrize(("waarde", "decimalen", "tekst"), [
    (D("1234.5"), 1, "1.234,5"), (D("1234567.891"), 2, "1.234.567,89"), (D("-0.04"), 1, "0,0"),
    (D("-1500"), 0, "-1.500"), (D("0.25"), 1, "0,3"), (D("999"), 0, "999")])
def test_dutch_number_formatting(waarde, decimalen, tekst):
    assert grafiek._nl(waarde, decimalen) == tekst


def test_at_most_eight_year_labels():
    root = parse(gegevens([("2005", D(1)), ("2024", D(2))], nulmeting=("2005", D(1)),
                          streefwaarde=("2040", D(3))))
    jaren = [int(t) for t in teksten(root) if re.fullmatch(r"\d{4}", t)]
    assert 3 <= len(jaren) <= 8
    assert jaren == sorted(jaren)


def contrast(kleur: str) -> float:
    """WCAG 2.1 contrast ratio of a #RRGGBB colour against white."""
    def kanaal(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (kanaal(int(kleur[i:i + 2], 16) / 255) for i in (1, 3, 5))
    luminantie = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminantie + 0.05)


def test_contrast_ratio_formula():
    assert contrast("#000000") == pytest.approx(21)
    assert contrast("#FFFFFF") == pytest.approx(1)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)


def test_every_graphic_colour_has_3_to_1_and_text_4_5_to_1_on_white():
    stijlen = [grafiek.GEBIED, *grafiek.VERGELIJKINGEN, grafiek.TRAJECT, grafiek.STREEFWAARDE]
    for kleur in [s.kleur for s in stijlen] + [grafiek.TEKST]:
        assert contrast(kleur) >= 3.0, kleur
    assert contrast(grafiek.TEKST) >= 4.5
    # And in the markup: every colour drawn is one of those, except white (the open square's
    # inside) and the grid lines, which are decoration.
    root = parse(VOORBEELD)
    gebruikt = {el.get(a) for el in root.iter() for a in ("fill", "stroke")} - {None, "none"}
    assert gebruikt - {"#FFFFFF", grafiek.RASTER} <= {s.kleur for s in stijlen} | {grafiek.TEKST}
    for kleur in gebruikt - {"#FFFFFF", grafiek.RASTER}:
        assert contrast(kleur) >= 3.0, kleur
    # Text takes the root's fill (the text colour) everywhere.
    assert root.get("fill") == grafiek.TEKST
    assert all(el.get("fill") is None for el in root.iter(f"{NS}text"))
    assert contrast(root.get("fill", "")) >= 4.5
