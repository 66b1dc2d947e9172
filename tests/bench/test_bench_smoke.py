"""`make bench` itself works: its smallest run prints the table with a figure for every
workload and writes the RESULTS file. Not whether any target holds: benchmarks are not
tests, and nothing here depends on timing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration

# Every workload's rows, by the start of their name.
EXPECTED = (
    "1 write POST /v1/interventies, 16 conn: writes/s",
    "1 write POST /v1/interventies, 64 conn: p99",
    "2 read /v1/voortgang/focusgebieden/rotterdam-zuid, 10 conn: req/s",
    "2 read /v1/voortgang/focusgebieden, 50 conn: p99",
    "2 read /v1/focusgebieden?pageSize=20, 10 conn: req/s",
    "2 read /v1/interventies?focusgebied=rotterdam-zuid&pageSize=20, 50 conn: req/s",
    "3 event→view",
    "4 backlog",
    "5 RSS idle: gebieden-api",
    "5 RSS at end of 3: rapportage-worker",
    "6 backlog",
    "7 import 5 000 metingen (25 000/request, 2 at once): rows/s",
    "7 import 10 000 metingen: peak RSS indicatoren-api",
    "8 backlog of 3 000 meting events: produced to the topic events/s",
    "8 backlog of 3 000 meting events: drain into the views events/s",
    "9 rebuild by replay of",
    "10 meting→view, 50 writes/s for 2s: achieved writes/s",
    "10 meting→view, 50 writes/s for 2s: 2xx→visible p99",
    "10 meting→view, 50 writes/s for 2s: lost",
    "11 report 2025S2 demo: bereken after a change",
    "11 report 2025S2 demo: HTML render",
    "11 report 2025S2 demo: GET …/2025S2/afdrukversie after a change",
    "11 report 2025S2 demo: GET …/2025S2/afdrukversie repeated",
    "11 report 2025S2 demo: baseline GET /v1/voortgang/programma",
    "11 report 2025S2 large 2×15×4: GET …/2025S2 (JSON) after a change",
    "11 report 2025S2 large 2×15×4: baseline GET /v1/voortgang/focusgebieden/",
)
NUMBER = re.compile(r"^-?\d[\d ]*(\.\d+)? (/s|ms|MB|events|s)\b")


def table_rows(text: str) -> list[list[str]]:
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    assert lines, "geen tabel"
    header, *rows = lines
    assert header.split("|")[1].strip() == "workload"
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in rows]


def test_smallest_run_prints_table_and_results(tmp_path: Path) -> None:
    results, rows_json = tmp_path / "RESULTS.md", tmp_path / "rows.json"
    run = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--results", str(results),
         "--json", str(rows_json), "--workdir", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-5000:]

    printed = table_rows(run.stdout)
    for expected in EXPECTED:
        assert any(row[0].startswith(expected) for row in printed), expected
    for workload, ours, baseline, ratio, _target, holds in printed:
        assert NUMBER.match(ours), (workload, ours)
        assert baseline == "—" or NUMBER.match(baseline), (workload, baseline)
        assert ratio == "—" or float(ratio) >= 0, (workload, ratio)
        assert holds in ("yes", "no", "—"), (workload, holds)

    written = results.read_text()
    assert "cores" in written
    assert table_rows(written) == printed
    rows = json.loads(rows_json.read_text())["rows"]
    assert len(rows) == len(printed)
    assert all(isinstance(row["ours"], float | int) for row in rows)
