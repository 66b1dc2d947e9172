"""Reading an import file as a stream of row chunks: a JSON array, NDJSON or CSV body, parsed
while it arrives, so at most one chunk of parsed rows and one network read of text are held at
once (never the whole file). Rows are numbered from 1 in file order (CSV: the header is not a
row), and every row is a `dict` of the fields as sent: the importer validates them.

A row that cannot be read at all (a broken JSON value, an NDJSON line that is not an object, a
CSV line with more fields than the header) is a `RowError` in the chunk, not an exception, so
best-effort imports go on. A body that is not what its media type says (no JSON array, an
unclosed array) raises `FileError`: nothing of it is imported.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

JSON = "application/json"
NDJSON = "application/x-ndjson"
CSV = "text/csv"
MEDIA_TYPES = (JSON, NDJSON, CSV)
# also accepted for NDJSON: the names the format has had
NDJSON_ALIASES = ("application/ndjson", "application/jsonl", "application/json-seq")


@dataclass(frozen=True)
class RowError:
    rij: int
    veld: str | None
    reden: str
    code: str = "invalid"  # "forbidden": the caller may not write this row (403, not 400)


@dataclass
class Chunk:
    """Up to `size` consecutive rows: `(row number, fields)`, and the rows that were unreadable."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows) + len(self.errors)


class FileError(ValueError):
    """The body as a whole is not a file of its media type."""


def media_type_of(content_type: str | None) -> str | None:
    """The import format named by a Content-Type header, or None when it is not one."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in NDJSON_ALIASES:
        return NDJSON
    return media if media in MEDIA_TYPES else None


async def read_chunks(body: AsyncIterator[bytes], media_type: str, *,
                      size: int = 5000) -> AsyncIterator[Chunk]:
    """The rows of `body` in chunks of `size` (the last may be smaller)."""
    if media_type == JSON:
        rows = _json_array(_text(body))
    elif media_type == NDJSON:
        rows = _ndjson(_text(body))
    elif media_type == CSV:
        rows = _csv(_text(body))
    else:
        raise FileError(f"Onbekend formaat {media_type!r}")
    chunk = Chunk()
    async for number, item in rows:
        if isinstance(item, RowError):
            chunk.errors.append(item)
        else:
            chunk.rows.append((number, item))
        if len(chunk) >= size:
            yield chunk
            chunk = Chunk()
    if len(chunk):
        yield chunk


SNIFF_BYTES = 8192


async def checked_start(body: AsyncIterator[bytes], media_type: str) -> AsyncIterator[bytes]:
    """`body` unchanged, after a look at its start (the first `SNIFF_BYTES`): a file stored as
    a job to be read later is refused now (FileError) when it is empty, not UTF-8, or does not
    begin as its format must (`[`, `{`, a CSV header). The rest is judged when it is read."""
    start = b""
    stream = aiter(body)
    async for part in stream:
        start += part
        if len(start) >= SNIFF_BYTES:
            break
    _check_start(start, media_type)
    if start:
        yield start
    async for part in stream:
        yield part


def _check_start(start: bytes, media_type: str) -> None:
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    try:
        text = decoder.decode(start[:SNIFF_BYTES])
    except UnicodeDecodeError as exc:
        raise FileError(f"Het bestand is geen geldige UTF-8 (byte {exc.start}).") from exc
    head = text.lstrip(_WHITESPACE)
    if not head:
        raise FileError("Het bestand is leeg.")
    if media_type == JSON and not head.startswith("["):
        raise FileError("Een JSON-import is één array van objecten: [{...}, {...}].")
    if media_type == NDJSON and not head.startswith("{"):
        raise FileError("Een NDJSON-import heeft één JSON-object per regel.")
    if media_type == CSV and "\n" in head:
        _header(head.split("\n", 1)[0].removesuffix("\r"))


def _header(line: str) -> list[str]:
    try:
        names = [name.strip() for name in next(csv.reader([line], strict=True), [])]
    except csv.Error as exc:
        raise FileError(f"De kopregel van de CSV is onleesbaar: {exc}.") from exc
    if not names or len(set(names)) != len(names) or not all(names):
        raise FileError("De kopregel van de CSV heeft lege of dubbele kolomnamen.")
    return names


async def _text(body: AsyncIterator[bytes]) -> AsyncIterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    try:
        async for part in body:
            text = decoder.decode(part)
            if text:
                yield text
        tail = decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise FileError(f"Het bestand is geen geldige UTF-8 (byte {exc.start}).") from exc
    if tail:
        yield tail


_WHITESPACE = " \t\r\n"
_decoder = json.JSONDecoder(parse_float=str, parse_int=str, parse_constant=str)


class _Buffer:
    """Text read so far and the position up to which it has been consumed."""

    def __init__(self, text: AsyncIterator[str]) -> None:
        self.stream = aiter(text)
        self.text, self.pos, self.more = "", 0, True

    async def fill(self) -> bool:
        """Read once more; False at the end of the body."""
        if not self.more:
            return False
        try:
            part = await anext(self.stream)
        except StopAsyncIteration:
            self.more = False
            return False
        self.text, self.pos = self.text[self.pos:] + part, 0
        return True

    async def next_char(self) -> str | None:
        """The next character that is not whitespace (not consumed), None at the end."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not await self.fill():
                return None


async def _json_array(text: AsyncIterator[str]) -> AsyncIterator[tuple[int, Any]]:
    """A JSON array of objects, value by value: `raw_decode` takes each complete value off the
    front of the buffer; an incomplete one waits for the next read. Numbers stay text, so a
    decimal value keeps its exact digits."""
    buffer = _Buffer(text)
    if await buffer.next_char() != "[":
        raise FileError("Een JSON-import is één array van objecten: [{...}, {...}].")
    buffer.pos += 1
    number = 0
    while True:
        char = await buffer.next_char()
        if char is None:
            raise FileError("De JSON-array is niet afgesloten met ].")
        if char == "]" and number == 0:
            buffer.pos += 1
            break
        value = await _value(buffer, number)
        number += 1
        yield number, (value if isinstance(value, dict)
                       else RowError(number, None, "rij is geen JSON-object"))
        char = await buffer.next_char()
        if char == ",":
            buffer.pos += 1
        elif char == "]":
            buffer.pos += 1
            break
        else:
            raise FileError(f"Ongeldige JSON na rij {number}: verwacht ',' of ']'.")
    if await buffer.next_char() is not None:
        raise FileError("Na het einde van de JSON-array volgt nog tekst.")


async def _value(buffer: _Buffer, number: int) -> Any:
    while True:
        try:
            value, end = _decoder.raw_decode(buffer.text, buffer.pos)
        except json.JSONDecodeError as exc:
            if await buffer.fill():
                continue
            raise FileError(f"Ongeldige JSON in rij {number + 1}: {exc.msg}.") from exc
        # a number or literal at the very end of the text may go on in the next read
        if end == len(buffer.text) and not isinstance(value, dict | list | str) \
                and await buffer.fill():
            continue
        buffer.pos = end
        return value


async def _lines(text: AsyncIterator[str]) -> AsyncIterator[str]:
    """Lines without their end (`\n` or `\r\n`)."""
    rest = ""
    async for part in text:
        lines = (rest + part).split("\n")
        rest = lines.pop()
        for line in lines:
            yield line.removesuffix("\r")
    if rest:
        yield rest.removesuffix("\r")


async def _ndjson(text: AsyncIterator[str]) -> AsyncIterator[tuple[int, Any]]:
    number = 0
    async for line in _lines(text):
        if not line.strip():
            continue
        number += 1
        try:
            value = _decoder.decode(line)
        except json.JSONDecodeError as exc:
            yield number, RowError(number, None, f"ongeldige JSON: {exc.msg}")
            continue
        if isinstance(value, dict):
            yield number, value
        else:
            yield number, RowError(number, None, "regel is geen JSON-object")


async def _records(text: AsyncIterator[str]) -> AsyncIterator[str]:
    """CSV records: lines, joined while a quoted field runs over a line end (an odd number of
    quotes so far; an escaped quote `""` keeps the count even)."""
    pending: list[str] = []
    quotes = 0
    async for line in _lines(text):
        pending.append(line)
        quotes += line.count('"')
        if quotes % 2 == 0:
            yield "\n".join(pending)
            pending, quotes = [], 0
    if pending:
        yield "\n".join(pending)


async def _csv(text: AsyncIterator[str]) -> AsyncIterator[tuple[int, Any]]:
    header: list[str] | None = None
    number = 0
    async for record in _records(text):
        if not record.strip():
            continue
        if header is None:
            header = _header(record)
            continue
        try:
            fields = next(csv.reader([record], strict=True), [])
        except csv.Error as exc:
            number += 1
            yield number, RowError(number, None, f"onleesbare CSV-regel: {exc}")
            continue
        number += 1
        if len(fields) > len(header):
            yield number, RowError(number, None,
                                   f"{len(fields)} velden, de kopregel heeft er {len(header)}")
            continue
        # a missing trailing field and an empty one are both "not given"
        yield number, {name: value for name, value in zip(header, fields, strict=False)
                       if value != ""}
    if header is None:
        raise FileError("De CSV heeft geen kopregel.")
