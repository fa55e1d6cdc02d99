"""Streaming writers: rows in, bytes out, with the count, size and SHA-256 of what was written.

Memory stays flat whatever the number of rows: each row is encoded and written as it
arrives, and only a small buffer is held. ``HashingFile`` is the part that writes bytes; the
files PostgreSQL writes itself (``opendata.copying``) go through it too.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

FLUSH_BYTES = 256 * 1024


@dataclass
class Written:
    rows: int
    bytes: int
    sha256: str


class HashingFile:
    """Writes bytes to a binary file in blocks of about ``FLUSH_BYTES``, hashing and counting them."""

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0
        self.pending: list[bytes] = []
        self.pending_size = 0

    def write(self, data: bytes) -> None:
        self.pending.append(data)
        self.pending_size += len(data)
        if self.pending_size >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        data = b"".join(self.pending)
        self.pending, self.pending_size = [], 0
        self.digest.update(data)
        self.size += len(data)
        self.handle.write(data)

    def close(self, rows: int) -> Written:
        self.flush()
        return Written(rows=rows, bytes=self.size, sha256=self.digest.hexdigest())


class HashingSink:
    """Buffers text, encodes it as UTF-8 and writes it to a binary file while hashing it."""

    def __init__(self, handle: BinaryIO):
        self.file = HashingFile(handle)
        self.buffer = io.StringIO()

    def write(self, text: str) -> None:
        self.buffer.write(text)
        if self.buffer.tell() >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        data = self.buffer.getvalue().encode("utf-8")
        self.buffer = io.StringIO()
        self.file.write(data)

    def close(self, rows: int) -> Written:
        self.flush()
        return self.file.close(rows)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class CsvWriter:
    """RFC 4180: comma-separated, CRLF line ends, quotes where needed, a header row."""

    extension, media_type = "csv", "text/csv"

    def __init__(self, handle: BinaryIO, columns: Sequence[str], point: tuple[str, str] | None = None):
        self.sink = HashingSink(handle)
        self.writer = csv.writer(self.sink, lineterminator="\r\n")
        self.writer.writerow(columns)
        self.rows = 0

    def write(self, row: tuple) -> None:
        self.writer.writerow(["" if value is None else value for value in row])
        self.rows += 1

    def close(self) -> Written:
        return self.sink.close(self.rows)


class JsonWriter:
    """A JSON array of objects, one per row, each on its own line."""

    extension, media_type = "json", "application/json"
    # Shared with the files PostgreSQL writes (opendata.copying), so that both are laid out alike.
    opening, closing = "[", "\n]\n"

    def __init__(self, handle: BinaryIO, columns: Sequence[str], point: tuple[str, str] | None = None):
        self.sink = HashingSink(handle)
        self.columns = columns
        self.rows = 0
        self.sink.write(self.opening)

    def write(self, row: tuple) -> None:
        self.rows += 1
        self.sink.write(("," if self.rows > 1 else "") + "\n" + _json(dict(zip(self.columns, row, strict=True))))

    def close(self) -> Written:
        self.sink.write(self.closing)
        return self.sink.close(self.rows)


class GeoJsonWriter:
    """An RFC 7946 FeatureCollection: WGS84, [longitude, latitude]; rows without a point have null geometry."""

    extension, media_type = "geojson", "application/geo+json"
    opening, closing = '{"type":"FeatureCollection","features":[', "\n]}\n"

    def __init__(self, handle: BinaryIO, columns: Sequence[str], point: tuple[str, str] | None = None):
        assert point is not None
        self.sink = HashingSink(handle)
        self.columns = columns
        self.lat_index, self.lon_index = columns.index(point[0]), columns.index(point[1])
        self.rows = 0
        self.sink.write(self.opening)

    def write(self, row: tuple) -> None:
        self.rows += 1
        lat, lon = row[self.lat_index], row[self.lon_index]
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        feature = {"type": "Feature", "geometry": geometry, "properties": dict(zip(self.columns, row, strict=True))}
        self.sink.write(("," if self.rows > 1 else "") + "\n" + _json(feature))

    def close(self) -> Written:
        self.sink.write(self.closing)
        return self.sink.close(self.rows)


WRITERS = {writer.extension: writer for writer in (CsvWriter, JsonWriter, GeoJsonWriter)}
