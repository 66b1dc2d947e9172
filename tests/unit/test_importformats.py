"""The streaming parser of import files: whatever the network's read sizes, a file gives the
same rows; unreadable rows are row errors, a body that is no file of its type is a FileError."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import AsyncIterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nplv_shared.importformats import (
    CSV,
    JSON,
    NDJSON,
    FileError,
    checked_start,
    media_type_of,
    read_chunks,
)

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=12)
ROWS = st.lists(st.fixed_dictionaries({"a": TEXT, "b": TEXT, "c": TEXT}), max_size=30)


async def _parts(body: bytes, sizes: list[int]) -> AsyncIterator[bytes]:
    position = 0
    for size in sizes:
        if position >= len(body):
            break
        yield body[position:position + size]
        position += size
    if position < len(body):
        yield body[position:]


def _read(body: bytes, media: str, sizes: list[int], chunk: int = 7) -> tuple[list, list]:
    async def run() -> tuple[list, list]:
        rows, errors = [], []
        async for part in read_chunks(_parts(body, sizes), media, size=chunk):
            assert 0 < len(part) <= chunk
            rows += part.rows
            errors += part.errors
        return rows, errors
    return asyncio.run(run())


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["a", "b", "c"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@settings(max_examples=150, deadline=None)
@given(rows=ROWS, sizes=st.lists(st.integers(1, 40), max_size=60))
def test_every_format_gives_the_rows_whatever_the_read_sizes(rows, sizes) -> None:
    expected = [(n, row) for n, row in enumerate(rows, start=1)]
    assert _read(json.dumps(rows).encode(), JSON, sizes) == (expected, [])
    ndjson = "\n".join(json.dumps(r) for r in rows).encode()
    assert _read(ndjson, NDJSON, sizes) == (expected, [])
    # CSV: an empty field is "not given", as in a spreadsheet
    parsed, errors = _read(_csv(rows), CSV, sizes)
    assert errors == []
    assert parsed == [(n, {k: v for k, v in row.items() if v != ""}) for n, row in expected]


def test_numbers_keep_their_exact_digits() -> None:
    rows, _ = _read(b'[{"w": 0.1000}, {"w": 12345678901234567890}]', JSON, [3] * 20)
    assert [r["w"] for _, r in rows] == ["0.1000", "12345678901234567890"]


def test_unreadable_rows_are_row_errors_and_the_rest_goes_on() -> None:
    rows, errors = _read(b'{"a": 1}\nnot json\n[1]\n{"b": 2}\n', NDJSON, [5] * 10)
    assert [n for n, _ in rows] == [1, 4]
    assert [(e.rij, e.reden[:12]) for e in errors] == [(2, "ongeldige JS"), (3, "regel is gee")]
    rows, errors = _read(b"a,b\n1,2\n1,2,3\n", CSV, [4] * 5)
    assert [n for n, _ in rows] == [1]
    assert errors[0].rij == 2
    rows, errors = _read(b'[{"a": 1}, 5]', JSON, [100])
    assert errors[0].rij == 2


@pytest.mark.parametrize(("body", "media"), [
    (b'{"a": 1}', JSON), (b'[{"a": 1}', JSON), (b'[{"a": 1}] x', JSON), (b"[{", JSON),
    (b'[{"a": 1},]', JSON), (b"", CSV), (b"a,a\n1,2", CSV), (b",b\n1,2", CSV),
    (b"\xff\xfe", CSV),
])
def test_a_body_that_is_no_file_of_its_type(body: bytes, media: str) -> None:
    with pytest.raises(FileError):
        _read(body, media, [2] * 20)


def test_media_types() -> None:
    assert media_type_of("text/csv; charset=utf-8") == CSV
    assert media_type_of("application/ndjson") == NDJSON
    assert media_type_of("Application/JSON") == JSON
    assert media_type_of("text/plain") is None
    assert media_type_of(None) is None




@pytest.mark.parametrize(("body", "media", "ok"), [
    (b'  [{"a": 1}', JSON, True), (b"\xef\xbb\xbf[", JSON, True), (b'{"a": 1}', JSON, False),
    (b'{"a": 1}\n', NDJSON, True), (b"[1]", NDJSON, False), (b"a,b\n1,2", CSV, True),
    (b"a,a\n1", CSV, False), (b"", CSV, False), (b"   \n", JSON, False),
    (b"\xff\xfe[", JSON, False), (b"\x00", JSON, False), (("é" * 5000).encode() + b"\n", CSV, True),
])
def test_a_job_file_is_looked_at_before_it_is_stored(body: bytes, media: str, ok: bool) -> None:
    async def run() -> bytes:
        return b"".join([part async for part in checked_start(_parts(body, [3] * 5000), media)])
    if ok:
        assert asyncio.run(run()) == body
    else:
        with pytest.raises(FileError):
            asyncio.run(run())
